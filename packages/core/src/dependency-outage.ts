// A dependency outage told apart from a bug: PostgreSQL or Redis unreachable,
// restarting or dropping the connection. Such an error becomes the product's
// "try again" answer (503 with Retry-After and, on /mcp, a JSON-RPC error
// body; a tool error naming the outage inside tools/call) instead of a 500
// or an "unexpected" tool failure: the request did nothing wrong.
import { AppError, unavailable } from './errors.ts';

/** Node socket errors: the peer is gone or refuses. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTCONN',
]);

/**
 * Prisma's "cannot reach / lost / timed out waiting for a connection / transaction", and
 * PostgreSQL's connection exceptions (class 08), shutdown and start-up states
 * (57P01-57P03) and too many connections (53300).
 */
const DATABASE_CODE = /^(P1001|P1002|P1008|P1017|P2024|P2028|08[0-9A-Z]{3}|57P0[123]|53300)$/;

/**
 * Prisma's driver adapter error kinds for the same (a transaction whose
 * connection died mid-way is closed under it: TransactionAlreadyClosed).
 */
const ADAPTER_KINDS = new Set([
  'ConnectionClosed',
  'DatabaseNotReachable',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);

/** The same, as the drivers word it (pg, Prisma's adapter, ioredis). */
const OUTAGE_MESSAGE =
  /Connection terminated|Can't reach database server|Server has closed the connection|database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Connection is closed|Stream isn't writeable|enableOfflineQueue|Reached the max retries per request|connect ECONNREFUSED|read ECONNRESET|Timed out fetching a new connection|timeout exceeded when trying to connect/i;

/** Every error along the chain a driver or Prisma wraps (cause, driver adapter error, aggregate). */
function* chain(error: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (depth > 6 || error === null || typeof error !== 'object') return;
  const e = error as Record<string, unknown>;
  yield e;
  yield* chain(e.cause, depth + 1);
  const meta = e.meta as { driverAdapterError?: unknown } | undefined;
  if (meta?.driverAdapterError) yield* chain(meta.driverAdapterError, depth + 1);
  if (Array.isArray(e.errors))
    for (const inner of e.errors.slice(0, 4)) yield* chain(inner, depth + 1);
}

export function isDependencyOutage(error: unknown): boolean {
  if (error instanceof AppError) return false;
  for (const e of chain(error)) {
    for (const code of [e.code, e.originalCode, e.kind]) {
      if (typeof code !== 'string') continue;
      if (SOCKET_CODES.has(code) || DATABASE_CODE.test(code) || ADAPTER_KINDS.has(code))
        return true;
    }
    if (e.name === 'MaxRetriesPerRequestError') return true;
    if (typeof e.message === 'string' && OUTAGE_MESSAGE.test(e.message)) return true;
  }
  return false;
}

export const DEPENDENCY_DOWN =
  'Service temporarily unavailable (a database or cache is unreachable): try again shortly';

/** The outage as the AppError transports answer 503 + Retry-After for; anything else unchanged. */
export function asDependencyOutage(error: unknown): unknown {
  return isDependencyOutage(error) ? unavailable(DEPENDENCY_DOWN) : error;
}
