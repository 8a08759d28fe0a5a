// Hostile input on /mcp/keys: the create and rotate bodies get the whole
// corpus, and the key id (path) and business id (query) get the hostile
// strings. Every answer is a 4xx or the operation itself, never a 5xx or a
// hang; what was stored breaks no later write; the audit trail holds exactly
// the keys created and rotated.
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/harness.ts';
import {
  expectUnstorableRefused,
  HOSTILE_SEGMENTS as hostileSegments,
  hostileBodies,
  sendCorpus,
} from '../support/hostile-corpus.ts';
import { useMerchant } from '../support/hostile-setup.ts';

const h = useHarness('hostilekeys');
const merchant = useMerchant(h, 'hostile-keys');

const send =
  (method: string, path: (body: string | Uint8Array) => string, withBody = true) =>
  (body: string | Uint8Array, signal: AbortSignal) =>
    fetch(`${h.server.baseUrl}${path(body)}`, {
      method,
      signal,
      headers: {
        authorization: `Bearer ${merchant().idToken}`,
        ...(withBody ? { 'content-type': 'application/json' } : {}),
      },
      ...(withBody ? { body } : {}),
    });

async function auditCount(action: string) {
  await h.server.services.core.audit.flush();
  return h.db.auditEvent.count({ where: { actorId: merchant().user.id, action } });
}

const createBody = () => ({
  businessId: merchant().businessId,
  name: 'hostile key',
  scopes: ['pos:read'],
  role: 'merchant',
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
});

async function createKey(): Promise<{ id: string; status: number }> {
  const res = await send('POST', () => '/mcp/keys')(
    JSON.stringify(createBody()),
    AbortSignal.timeout(30_000),
  );
  return { status: res.status, id: ((await res.json()) as { id: string }).id };
}

describe('/mcp/keys', () => {
  it('create: every hostile field is refused or stored safely, and each key created is audited', async () => {
    const answers = await sendCorpus(
      hostileBodies(createBody(), [
        ['businessId'],
        ['name'],
        ['scopes'],
        ['scopes', 0],
        ['role'],
        ['expiresAt'],
      ]),
      send('POST', () => '/mcp/keys'),
    );
    for (const a of answers) expect(a.status, a.name).not.toBe(200);
    expectUnstorableRefused(answers);
    const created = answers.filter((a) => a.status === 201).length;
    // The keys listed, stored names included, read back; a plain key is created after.
    const list = await send(
      'GET',
      () => `/mcp/keys?businessId=${merchant().businessId}`,
      false,
    )('', AbortSignal.timeout(30_000));
    expect(list.status).toBe(200);
    expect(((await list.json()) as { keys: unknown[] }).keys).toHaveLength(created);
    expect((await createKey()).status).toBe(201);
    expect(await auditCount('api_key.created')).toBe(created + 1);
  });

  it('rotate and revoke: hostile bodies, key ids and business ids are refused; a real rotation is audited', async () => {
    const { id } = await createKey();
    const rotate = await sendCorpus(
      hostileBodies({ overlap: '1h' }, [['overlap']]),
      send('POST', () => `/mcp/keys/${id}/rotate`),
    );
    const rotated = rotate.filter((a) => a.status === 201).length;
    await sendCorpus(
      hostileSegments,
      send('POST', (seg) => `/mcp/keys/${String(seg)}/rotate`),
    );
    await sendCorpus(
      hostileSegments,
      send('DELETE', (seg) => `/mcp/keys/${String(seg)}`, false),
    );
    await sendCorpus(
      hostileSegments,
      send('GET', (seg) => `/mcp/keys?businessId=${String(seg)}`, false),
    );
    const before = await auditCount('api_key.rotated');
    expect(before).toBe(rotated);
    const { id: other } = await createKey();
    const res = await send('POST', () => `/mcp/keys/${other}/rotate`)(
      JSON.stringify({ overlap: 'none' }),
      AbortSignal.timeout(30_000),
    );
    expect(res.status).toBe(201);
    expect(await auditCount('api_key.rotated')).toBe(rotated + 1);
  });
});
