// Diagnose on PostgreSQL + Redis and on the embedded default (PGlite, no
// Redis): a revoked key and a deleted session are diagnosed the same; a
// pasted secret never reaches a log line, a table or the answer; merchants
// get "not found" for another business's key exactly as for no key at all;
// diagnoses are throttled per user (RATE_LIMIT_DIAGNOSE).
import { generateApiKey } from '@flowpos/core';
import { describe, expect, it } from 'vitest';
import { createBusiness, createKey, createUser } from '../support/fixtures.ts';
import { DATABASE_KINDS, useHarnessOn } from '../support/harness.ts';
import { mcpRequest, rawSession } from '../support/raw-http.ts';
import { trpc } from '../support/oauth-browser.ts';
import { logCapture } from '../support/log-capture.ts';
import { waitFor } from '../support/poll.ts';
import { diagnoseOver, findingOf } from './support.ts';

const BUDGET = 20;

describe.each(DATABASE_KINDS)('diagnose on %s', (kind) => {
  const log = logCapture();
  const h = useHarnessOn(kind, `diagnose-${kind}`, {
    env: { LOG_LEVEL: 'trace', LOG_REQUESTS: 'true', RATE_LIMIT_DIAGNOSE: String(BUDGET) },
    logStream: log.stream,
  });

  it('a revoked key and a deleted session, with the runbook rows', async () => {
    const { business } = await createBusiness(h.db);
    const merchant = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
    });
    const idToken = await merchant.idToken();
    const { key, row } = await createKey(h.db, { businessId: business.id });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    expect(
      (await mcpRequest(h.server.mcpUrl, { method: 'DELETE', bearer: key, sessionId })).status,
    ).toBe(200);
    await trpc(h.server.baseUrl, idToken, 'keys.revoke', { keyId: row.id }, 'mutation');

    findingOf(await diagnoseOver(h.server.baseUrl, idToken, key), 'key.revoked');
    await waitFor(async () =>
      findingOf(await diagnoseOver(h.server.baseUrl, idToken, sessionId), 'session.deleted'),
    );
  });

  it('a pasted secret is in no log line, no table and no answer', async () => {
    const { business } = await createBusiness(h.db);
    const merchant = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
    });
    const idToken = await merchant.idToken();
    const { key } = await createKey(h.db, { businessId: business.id, revoked: true });
    const unknown = generateApiKey();
    const body = JSON.stringify(await diagnoseOver(h.server.baseUrl, idToken, key));
    await diagnoseOver(h.server.baseUrl, idToken, unknown);
    // The audit trail records the diagnosis (kind and outcome only).
    await waitFor(() =>
      h.db.auditEvent.findFirst({ where: { action: 'diagnose.run', actorId: merchant.id } }),
    );
    expect(body).not.toContain(key);
    expect(log.lines.length).toBeGreaterThan(0);
    for (const secret of [key, unknown, key.slice(11), unknown.slice(11)]) {
      expect(log.lines.filter((l) => l.includes(secret))).toEqual([]);
      const tables = await h.db.$queryRawUnsafe<{ table_name: string }[]>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      );
      for (const { table_name } of tables) {
        const [hit] = await h.db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM "${table_name}" t WHERE t::text LIKE $1`,
          `%${secret}%`,
        );
        expect(hit?.n, `${secret.slice(0, 11)}… in ${table_name}`).toBe(0);
      }
    }
  });

  it("another business's key is not found, exactly as no key at all (no oracle)", async () => {
    const mine = await createBusiness(h.db);
    const theirs = await createBusiness(h.db);
    const merchant = await createUser(h.db, {
      memberships: [{ businessId: mine.business.id, role: 'merchant' }],
    });
    const idToken = await merchant.idToken();
    const { key: theirKey } = await createKey(h.db, {
      businessId: theirs.business.id,
      revoked: true,
    });
    const { key: myKey } = await createKey(h.db, { businessId: mine.business.id, revoked: true });
    const [other] = await diagnoseOver(h.server.baseUrl, idToken, theirKey);
    const [none] = await diagnoseOver(h.server.baseUrl, idToken, generateApiKey());
    expect(other!.found).toBe(false);
    expect({ ...other, label: '' }).toEqual({ ...none, label: '' });
    expect((await diagnoseOver(h.server.baseUrl, idToken, myKey))[0]!.found).toBe(true);
    const theirSession = await rawSession(
      h.server.mcpUrl,
      (await createKey(h.db, { businessId: theirs.business.id })).key,
    );
    const [session] = await diagnoseOver(h.server.baseUrl, idToken, theirSession);
    expect(session!.found).toBe(false);
    expect(session!.summary).toMatch(/^Not found/);
  });

  it('throttled per user: 429 beyond RATE_LIMIT_DIAGNOSE', async () => {
    const { business } = await createBusiness(h.db);
    const merchant = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
    });
    const idToken = await merchant.idToken();
    const statuses: number[] = [];
    for (let i = 0; i <= BUDGET; i++) {
      statuses.push(
        (
          await trpc(
            h.server.baseUrl,
            idToken,
            'diagnose.run',
            { value: 'nothing-like-anything' },
            'mutation',
          )
        ).status,
      );
    }
    expect(statuses.slice(0, BUDGET).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Other console calls of the user still pass.
    expect((await trpc(h.server.baseUrl, idToken, 'me.get', undefined, 'query')).status).not.toBe(
      429,
    );
  });
});
