// Builds the Prisma client for one of the two back ends: a PostgreSQL server
// (postgres:// or postgresql:// URL) or the embedded PGlite database
// (`pglite:<dir>`, or `pglite:memory` for a throwaway one).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { applyMigrations, type SqlExecutor } from './migrate.ts';
import { DEFAULT_PGLITE_DIR, MIGRATIONS_DIR } from './paths.ts';
import { lockPgliteFolder } from './pglite-lock.ts';

export type Db = PrismaClient;

/**
 * Plain parameterised SQL for the few hot reads where Prisma's per-query cost
 * dominates (tools/call). A `name` makes it a prepared statement on PostgreSQL.
 */
export interface SqlClient {
  query<T>(query: { name?: string; text: string; values?: unknown[] }): Promise<T[]>;
}

export interface Database {
  prisma: PrismaClient;
  sql: SqlClient;
  kind: 'postgres' | 'pglite';
  /** Applies pending migrations; returns their names. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export function isPgliteUrl(url: string | undefined): boolean {
  return !url || url.startsWith('pglite:');
}

export function createDatabase(url: string | undefined, options: DatabaseOptions = {}): Database {
  return isPgliteUrl(url) ? createPglite(url) : createPostgres(url as string, options);
}

function createPostgres(url: string, options: DatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client's error (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: {
      async query<T>(q: { name?: string; text: string; values?: unknown[] }) {
        return (await pool.query(q)).rows as T[];
      },
    },
    kind: 'postgres',
    async migrate() {
      const client = await pool.connect();
      try {
        const executor: SqlExecutor = {
          exec: async (sql) => {
            await client.query(sql);
          },
          query: async <T>(sql: string, params?: unknown[]) =>
            (await client.query(sql, params)).rows as T[],
        };
        return (await applyMigrations(executor, MIGRATIONS_DIR)).map((m) => m.name);
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function createPglite(url: string | undefined): Database {
  const target = url?.slice('pglite:'.length) || DEFAULT_PGLITE_DIR;
  // PGlite creates its own folder but not the parents.
  if (target !== 'memory') mkdirSync(dirname(resolve(target)), { recursive: true });
  // One process per folder: a second opener stops here, before touching it.
  const release = target === 'memory' ? () => undefined : lockPgliteFolder(target);
  const pglite = target === 'memory' ? new PGlite() : new PGlite(target);
  // The adapter's type names the hoisted PGlite copy (another version pulled in
  // by firebase-tools); it only calls the query API both versions share.
  const adapter = new PrismaPGlite(
    pglite as unknown as ConstructorParameters<typeof PrismaPGlite>[0],
  );
  const prisma = new PrismaClient({ adapter });
  let closed = false;
  return {
    prisma,
    sql: {
      async query<T>(q: { name?: string; text: string; values?: unknown[] }) {
        return (await pglite.query<T>(q.text, q.values)).rows;
      },
    },
    kind: 'pglite',
    async migrate() {
      const executor: SqlExecutor = {
        exec: async (sql) => {
          await pglite.exec(sql);
        },
        query: async <T>(sql: string, params?: unknown[]) =>
          (await pglite.query<T>(sql, params)).rows,
      };
      return (await applyMigrations(executor, MIGRATIONS_DIR)).map((m) => m.name);
    },
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      // Left open, PGlite leaves its folder in a state where the next open hangs.
      await pglite.close();
      release();
    },
  };
}
