// Bounded shared state: what a client sends at initialize is capped (larger:
// 400, nothing stored), sessions per credential are capped (409 beyond,
// room again once one ends), and tRPC batches are capped (400 beyond).
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/server';
import superjson from 'superjson';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey, createUser } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import { initializeBody, mcpRequest, rawSession } from '../support/raw-http.ts';

const h = useHarness('bounded', {
  MCP_MAX_SESSIONS_PER_CREDENTIAL: '2',
  TRPC_MAX_BATCH_SIZE: '3',
});
let businessId: string;

beforeAll(async () => {
  businessId = (await createBusiness(h.db, undefined, 0)).business.id;
});

describe('initialize', () => {
  it('client info and capabilities over 4 KB: 400 and no session', async () => {
    const { key } = await createKey(h.db, { businessId });
    const body = initializeBody();
    body.params.clientInfo = { name: 'x'.repeat(5000), version: '1' };
    const res = await mcpRequest(h.server.mcpUrl, { bearer: key, body });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/exceed 4096 bytes/);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    const capabilities = initializeBody();
    (capabilities.params as { capabilities: unknown }).capabilities = {
      experimental: { blob: 'y'.repeat(5000) },
    };
    expect((await mcpRequest(h.server.mcpUrl, { bearer: key, body: capabilities })).status).toBe(
      400,
    );
    const keyId = (await h.db.apiKey.findFirstOrThrow({ where: { businessId } })).id;
    expect(await h.server.services.store.idsForCredential(`key:${keyId}`)).toEqual([]);
  });
});

describe('what initialize stores', () => {
  it('a 900 kB protocolVersion is answered with, and stored as, the negotiated version', async () => {
    const { key } = await createKey(h.db, { businessId });
    const body = initializeBody();
    body.params.protocolVersion = `2025-${'9'.repeat(900_000)}`;
    const res = await mcpRequest(h.server.mcpUrl, { bearer: key, body });
    expect(res.status).toBe(200);
    expect(res.json.result.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
    const record = await h.server.services.store.get(res.headers.get('mcp-session-id')!);
    expect(record?.initialize.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
    expect(JSON.stringify(record?.initialize).length).toBeLessThan(4096);
  });

  it('the cap counts every stored field: client info and capabilities under it, with the stored version over it: 400', async () => {
    const { key } = await createKey(h.db, { businessId });
    const body = initializeBody();
    const sent = { clientInfo: { name: '', version: '1' }, capabilities: {} };
    // Client info and capabilities alone: 4,080 bytes, under the cap.
    sent.clientInfo.name = 'n'.repeat(4080 - JSON.stringify(sent).length);
    Object.assign(body.params, sent);
    const res = await mcpRequest(h.server.mcpUrl, { bearer: key, body });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(
      /protocolVersion, clientInfo and capabilities exceed 4096 bytes/,
    );
    expect(res.headers.get('mcp-session-id')).toBeNull();
  });
});

describe('sessions per credential', () => {
  it('beyond the cap a new initialize gets 409; ending one makes room', async () => {
    const { key } = await createKey(h.db, { businessId });
    const first = await rawSession(h.server.mcpUrl, key);
    await rawSession(h.server.mcpUrl, key);
    const third = await mcpRequest(h.server.mcpUrl, { bearer: key, body: initializeBody() });
    expect(third.status).toBe(409);
    expect(third.json.error.message).toMatch(/Too many open sessions for this credential/);
    // Another credential is not affected.
    const { key: other } = await createKey(h.db, { businessId });
    expect(
      (await mcpRequest(h.server.mcpUrl, { bearer: other, body: initializeBody() })).status,
    ).toBe(200);
    const ended = await mcpRequest(h.server.mcpUrl, {
      method: 'DELETE',
      bearer: key,
      sessionId: first,
    });
    expect(ended.status).toBeLessThan(300);
    expect(
      (await mcpRequest(h.server.mcpUrl, { bearer: key, body: initializeBody() })).status,
    ).toBe(200);
  });
});

describe('tRPC batches', () => {
  it('a batch over the cap is one 400; within it, it runs', async () => {
    const user = await createUser(h.db, {
      memberships: [{ businessId, role: 'merchant' }],
      label: 'batch',
    });
    const idToken = await user.idToken();
    const batch = async (n: number) => {
      const paths = Array.from({ length: n }, () => 'me.get').join(',');
      const input = Object.fromEntries(
        Array.from({ length: n }, (_, i) => [i, superjson.serialize(undefined)]),
      );
      const res = await fetch(
        `${h.server.baseUrl}/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`,
        { headers: { authorization: `Bearer ${idToken}` } },
      );
      return res.status;
    };
    expect(await batch(3)).toBe(200);
    expect(await batch(4)).toBe(400);
  });
});
