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

/**
 * Fields that may hold a credential or a one-time ticket, at the top of a
 * log line or one level down. Not `code`: it is an error's code (ECONNRESET)
 * far more often than an OAuth code, which no log line carries.
 */
const SECRET_FIELDS = [
  'authorization',
  'token',
  'key',
  'firebaseIdToken',
  'ticket',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code_verifier',
];
const REDACT = [
  'req.headers.authorization',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
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
