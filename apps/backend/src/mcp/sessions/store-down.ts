// The session store (Redis, or the database) not answering: the request gets
// a 503 to retry, and the log says what could not be done.
import { unavailable, type AppError } from '@flowpos/core';
import type { Logger } from 'pino';

export const STORE_DOWN = 'Session store unavailable: try again shortly';

/** Logs the failure (`doing`: what was refused) and answers the 503 to throw. */
export function storeDown(logger: Logger, error: unknown, doing: string): AppError {
  logger.warn({ err: error }, `session store unavailable: ${doing}`);
  return unavailable(STORE_DOWN);
}
