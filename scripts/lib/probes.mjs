// Probes the entry scripts run before and while they start things: does a URL
// answer, does a port accept connections, and readable logs and URLs.
// Plain Node ESM on purpose: it runs before dependencies are installed.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';

/** Whether `url` answers at all (`okOnly`: with a 2xx status). */
export async function answers(url, { timeoutMs = 2000, okOnly = false } = {}) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.arrayBuffer().catch(() => undefined);
    return okOnly ? res.ok : true;
  } catch {
    return false;
  }
}

/** Whether something accepts TCP connections on host:port. */
export function listening(host, port, timeoutMs = 2000) {
  return new Promise((r) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (open) => {
      socket.destroy();
      r(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The first of `ports` ([port, what, env var]) already taken on 127.0.0.1, as
 * a message saying how to free it; null when all are free.
 */
export async function busyPort(ports) {
  for (const [port, what, envVar] of ports) {
    if (await listening('127.0.0.1', port, 1000))
      return `port ${port} (${what}) is already in use: stop it or set ${envVar}`;
  }
  return null;
}

/** The last `lines` lines of a log file ('' when unreadable). */
export function tail(file, lines = 25) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** A database URL fit to print: its password hidden. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** Prefixes every line of a child's output so interleaved logs stay readable. */
export function prefixLines(stream, prefix, sink = process.stdout, onLine = undefined) {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => {
    onLine?.(line);
    sink.write(`${prefix} ${line}\n`);
  });
}
