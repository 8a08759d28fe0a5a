// The server's log lines, as written: a stream to hand the harness as its
// `logStream`, and the lines it has received so far, for tests that assert
// what was logged (or that a secret never was).
import { Writable } from 'node:stream';

export interface LogCapture {
  stream: Writable;
  lines: string[];
}

export function logCapture(): LogCapture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}
