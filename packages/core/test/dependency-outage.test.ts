// Outages of PostgreSQL or Redis, as the drivers report them, are told apart
// from bugs and from the caller's own mistakes.
import { describe, expect, it } from 'vitest';
import {
  AppError,
  asDependencyOutage,
  conflict,
  isDependencyOutage,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from '../src/index.ts';

const errno = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('isDependencyOutage', () => {
  it.each([
    ['a refused connection', errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['pg losing its connection', new Error('Connection terminated unexpectedly')],
    ['Prisma: cannot reach the server', errno('P1001', "Can't reach database server at 127.0.0.1")],
    ['Prisma: pool timeout', errno('P2024')],
    [
      "Prisma's driver adapter error (PostgreSQL starting up)",
      Object.assign(new Error('Invalid `db.user.findUnique()` invocation'), {
        code: 'P2010',
        meta: { driverAdapterError: { cause: { originalCode: '57P03', kind: 'postgres' } } },
      }),
    ],
    [
      'a transaction whose connection died (driver adapter kind)',
      Object.assign(new Error('Transaction already closed'), {
        code: 'P2028',
        meta: { driverAdapterError: { cause: { kind: 'TransactionAlreadyClosed' } } },
      }),
    ],
    [
      'the adapter losing its connection',
      Object.assign(new Error('x'), {
        meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } },
      }),
    ],
    ['admin shutdown', errno('57P01', 'terminating connection due to administrator command')],
    [
      'ioredis offline',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    ['ioredis retries spent', Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' })],
    ['wrapped in a cause', new Error('outer', { cause: errno('ECONNRESET') })],
  ])('recognises %s', (_label, error) => {
    expect(isDependencyOutage(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a unique violation', errno('P2002', 'Unique constraint failed')],
    ['a data error', errno('22P02', 'invalid input syntax for type uuid')],
    ['an AppError', conflict('no')],
    ['not an error', 'ECONNREFUSED'],
    ['null', null],
  ])('leaves %s alone', (_label, error) => {
    expect(isDependencyOutage(error)).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(isDependencyOutage(a)).toBe(false);
  });
});

describe('asDependencyOutage', () => {
  it('turns an outage into a 503 that asks to retry shortly', () => {
    const error = asDependencyOutage(errno('ECONNREFUSED'));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(503);
    expect((error as AppError).details).toEqual({
      retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
    });
    expect((error as AppError).message).toMatch(/try again shortly/);
  });

  it('returns anything else unchanged', () => {
    const bug = new Error('bug');
    expect(asDependencyOutage(bug)).toBe(bug);
  });
});
