// Drops the run's database and its Redis keys. The backend's wrapper drops the
// database too when it stops; both are idempotent.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { testDatabaseBaseUrl } from '@flowpos/db/testing';
import { deleteKeysUnder } from '../apps/backend/harness/redis-keys.ts';
import { REDIS_URL, redisKeyPrefix, stateFile, type RunState } from './support/env.ts';

async function dropDatabase(name: string) {
  const client = new pg.Client({ connectionString: testDatabaseBaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(prefix: string) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

export default async function globalTeardown() {
  const file = stateFile();
  if (existsSync(file)) {
    const state = JSON.parse(readFileSync(file, 'utf8')) as RunState;
    await dropDatabase(state.databaseName);
    rmSync(file, { force: true });
  }
  await deleteRedisKeys(redisKeyPrefix()).catch((error: unknown) =>
    console.warn('e2e: could not clean Redis keys', error),
  );
}
