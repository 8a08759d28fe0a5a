// npm run diagnose -- <value> [--tool <name>] [--json]
// The console's Diagnose page for shells: what a pasted API key (or prefix),
// MCP access token, OAuth access token, session id or OAuth client id is, and
// the runbook's answer from live state. Reads DATABASE_URL (or the embedded
// PGlite default) and REDIS_URL as the backend does (its config module), with
// an operator's reach: whoever can run this can read the database anyway.
// The value is hashed or compared, never written anywhere or printed back.
import { connect } from 'node:net';
import {
  createDatabaseSessionStore,
  createFirebaseVerifier,
  createRedisSessionStore,
  diagnose,
  formatDiagnosis,
  POS_TOOLS,
  ToolRegistry,
  type SessionStore,
} from '@flowpos/core';
import { createDatabase, isPgliteUrl } from '@flowpos/db';
import { Redis } from 'ioredis';
import { loadConfig } from '../apps/backend/src/config.ts';
import { tokenSignerFor } from '../apps/backend/src/tokens/token-signer.ts';

const USAGE =
  'Usage: npm run diagnose -- <key, prefix, token, session id or client id> [--tool <name>] [--json]';

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

function parseArgs(argv: string[]): { value: string; tool?: string; json: boolean } {
  const rest = [...argv];
  const json = rest.includes('--json');
  const toolAt = rest.indexOf('--tool');
  const tool = toolAt >= 0 ? rest[toolAt + 1] : undefined;
  const values = rest.filter(
    (a, i) => a !== '--json' && (toolAt < 0 || (i !== toolAt && i !== toolAt + 1)),
  );
  const value = values.join(' ').trim();
  if (!value) throw new Error(USAGE);
  return { value, ...(tool ? { tool } : {}), json };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  const url = config.databaseUrl;
  if (isPgliteUrl(url) && url !== 'pglite:memory' && (await portAnswers(config.port))) {
    throw new Error(
      `A backend answers on port ${config.port} and holds the embedded database: use the console's Diagnose page, or stop npm start first`,
    );
  }
  const db = createDatabase(url, { poolSize: 2 });
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    : null;
  try {
    // The embedded database is this process's alone now: bring it to the schema (as npm start would).
    if (db.kind === 'pglite') await db.migrate();
    if (redis) await redis.connect();
    const store: SessionStore = redis
      ? createRedisSessionStore(redis, {
          prefix: config.redisKeyPrefix,
          idleTtlMs: config.sessionIdleTtlMs,
        })
      : createDatabaseSessionStore(db.prisma, config.sessionIdleTtlMs);
    const tokens = tokenSignerFor(config);
    const result = await diagnose(
      {
        db: db.prisma,
        store,
        registry: new ToolRegistry(POS_TOOLS),
        tokens,
        firebase: createFirebaseVerifier(config.firebaseProjectId),
      },
      'shell',
      { value: args.value, ...(args.tool ? { tool: args.tool } : {}) },
    );
    console.log(
      args.json
        ? JSON.stringify(result, null, 2)
        : result.diagnoses.map(formatDiagnosis).join('\n\n---\n\n'),
    );
  } finally {
    redis?.disconnect();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
