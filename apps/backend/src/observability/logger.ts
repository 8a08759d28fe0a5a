// The backend's logger: JSON lines (production) or pino-pretty lines (npm start),
// secrets redacted, and the current request's id on every line.
import type { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestId } from './request-context.ts';

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
}

const REDACT = [
  'req.headers.authorization',
  '*.authorization',
  '*.token',
  '*.key',
  '*.firebaseIdToken',
];

export function createLogger(options: LoggerOptions, destination?: Writable): Logger {
  const stream: DestinationStream | undefined =
    options.format === 'pretty'
      ? pretty({
          // Synchronous, in this thread: no worker, nothing lost on exit.
          sync: true,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname',
          ...(destination ? { destination, colorize: false } : {}),
        })
      : (destination as DestinationStream | undefined);
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT, censor: '[redacted]' },
      mixin() {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    stream,
  );
}
