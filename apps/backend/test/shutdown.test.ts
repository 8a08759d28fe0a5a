// Found while writing the runbook flow: a backend stopped with SIGTERM while a
// client holds a GET /mcp stream must still shut down cleanly (exit code 0),
// not wait for the stream and be killed by its own force-exit timer (code 1).
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBusiness, createKey } from './support/fixtures.ts';
import { openSse, rawSession } from './support/raw-http.ts';
import { waitFor } from './support/poll.ts';
import { dropRedisPrefix } from './support/reap.ts';
import { spawnBackend, uniquePrefix, type BackendProcess } from './support/server.ts';

let database: TestDatabase;
let backend: BackendProcess | undefined;
const prefix = uniquePrefix('shutdown');

beforeAll(async () => {
  database = await createTestDatabase('shutdown');
});
afterAll(async () => {
  await backend?.kill();
  await database?.drop();
  // The session outlives the process by design (the store keeps it): the file's keys go here.
  await dropRedisPrefix(prefix);
});

it('SIGTERM with an open GET /mcp stream exits 0', async () => {
  const { business } = await createBusiness(database.prisma);
  const { key } = await createKey(database.prisma, { businessId: business.id });
  const started = await spawnBackend({
    databaseUrl: database.url,
    redisKeyPrefix: prefix,
  });
  backend = started;
  const sessionId = await rawSession(backend.mcpUrl, key);
  // The stream is open on the server as soon as the request is handled; do not wait for it here.
  const controller = new AbortController();
  const stream = fetch(backend.mcpUrl, {
    headers: {
      authorization: `Bearer ${key}`,
      accept: 'text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
    },
    signal: controller.signal,
  }).catch(() => undefined);
  // Make sure the server holds the stream: a second GET for the session is refused with 409.
  const second = await waitFor(
    async () => {
      const res = await openSse(started.mcpUrl, key, sessionId);
      return res.status === 409 && res;
    },
    { what: 'a second GET of the session to be refused with 409', timeoutMs: 5_000 },
  );
  expect(second.status).toBe(409);

  const exited = new Promise<number | null>((resolve) =>
    backend?.child.once('exit', (code) => resolve(code)),
  );
  backend.child.kill('SIGTERM');
  const code = await exited;
  controller.abort();
  await stream;
  expect(code).toBe(0);
});
