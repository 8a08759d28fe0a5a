// The audit trail: key created/revoked, token exchanged/refreshed, session
// opened/closed and every tools/call (tool, principal, business, outcome,
// durationMs) land in audit_event; no secret or token ever does.
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createUser, unique, type TestUser } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import {
  exchangeToken,
  mcpRequest,
  postJson,
  rawSession,
  toolsCallBody,
} from '../support/raw-http.ts';

const h = useHarness('audit');
let businessA: string;
let businessB: string;
let merchant: TestUser;
const secrets: string[] = [];

beforeAll(async () => {
  businessA = (await createBusiness(h.db, unique('A Audit'))).business.id;
  businessB = (await createBusiness(h.db, unique('B Audit'))).business.id;
  merchant = await createUser(h.db, {
    memberships: [
      { businessId: businessA, role: 'merchant' },
      { businessId: businessB, role: 'merchant' },
    ],
    label: 'audit',
  });
});

async function auditRows(where: { action?: string } = {}) {
  await h.server.services.core.audit.flush();
  return h.db.auditEvent.findMany({ where, orderBy: { createdAt: 'asc' } });
}
const details = (row: { details: unknown }) => row.details as Record<string, unknown>;

async function createKeyViaApi(idToken: string) {
  const res = await fetch(`${h.server.baseUrl}/mcp/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      businessId: businessA,
      name: unique('audit key'),
      scopes: ['pos:read', 'pos:intents'],
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string; prefix: string };
}

describe('audit_event', () => {
  it('api key created and revoked', async () => {
    const idToken = await merchant.idToken();
    secrets.push(idToken);
    const created = await createKeyViaApi(idToken);
    secrets.push(created.key);
    const revoke = await fetch(`${h.server.baseUrl}/mcp/keys/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${idToken}` },
    });
    expect(revoke.status).toBe(200);

    const createdRow = (await auditRows({ action: 'api_key.created' })).find(
      (r) => details(r).keyId === created.id,
    );
    expect(createdRow).toMatchObject({
      businessId: businessA,
      outcome: 'success',
      actorKind: 'user',
      actorId: merchant.id,
    });
    expect(details(createdRow!)).toMatchObject({
      keyId: created.id,
      prefix: created.prefix,
      scopes: ['pos:read', 'pos:intents'],
    });
    const revokedRow = (await auditRows({ action: 'api_key.revoked' })).find(
      (r) => details(r).keyId === created.id,
    );
    expect(revokedRow).toMatchObject({
      businessId: businessA,
      outcome: 'success',
      actorKind: 'user',
      actorId: merchant.id,
    });
  });

  it('token exchanged and refreshed', async () => {
    const idToken = await merchant.idToken();
    secrets.push(idToken);
    const exchanged = await exchangeToken(h.server.baseUrl, idToken);
    expect(exchanged.status).toBe(200);
    secrets.push(exchanged.json.token);
    const refreshed = await postJson(`${h.server.baseUrl}/mcp/token/refresh`, {
      token: exchanged.json.token,
    });
    expect(refreshed.status).toBe(200);
    secrets.push(refreshed.json.token);

    expect(await auditRows({ action: 'mcp.token_exchanged' })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'success', actorKind: 'user', actorId: merchant.id }),
      ]),
    );
    expect(await auditRows({ action: 'mcp.token_refreshed' })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'success', actorKind: 'user', actorId: merchant.id }),
      ]),
    );
  });

  it('session opened, tools/call (success, failure, denied) and session closed', async () => {
    const idToken = await merchant.idToken();
    const { key, id: keyId } = await createKeyViaApi(idToken);
    secrets.push(idToken, key);
    const sessionId = await rawSession(h.server.mcpUrl, key);

    const requestId = unique('lb-req');
    const ok = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: toolsCallBody('list_products', {}),
      headers: { 'x-request-id': requestId },
    });
    expect(ok.json.result.isError).toBeUndefined();
    const failed = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: toolsCallBody('get_product', { productId: crypto.randomUUID() }),
    });
    expect(failed.json.result.isError).toBe(true);
    const closed = await mcpRequest(h.server.mcpUrl, { method: 'DELETE', bearer: key, sessionId });
    expect(closed.status).toBe(200);

    const opened = (await auditRows({ action: 'mcp.session_opened' })).find(
      (r) => details(r).sessionId === sessionId,
    );
    expect(opened).toMatchObject({
      businessId: businessA,
      outcome: 'success',
      actorKind: 'api_key',
      actorId: `key:${keyId}`,
    });
    expect(details(opened!)).toMatchObject({
      sessionId,
      client: 'raw-test 1.0.0',
      instanceId: h.server.services.config.instanceId,
    });

    const calls = (await auditRows({ action: 'mcp.tools_call' })).filter(
      (r) => details(r).sessionId === sessionId,
    );
    expect(calls).toHaveLength(2);
    // By tool, not by order: two calls may share a millisecond.
    const success = calls.find((r) => details(r).tool === 'list_products');
    const failure = calls.find((r) => details(r).tool === 'get_product');
    expect(success).toMatchObject({
      businessId: businessA,
      outcome: 'success',
      actorKind: 'api_key',
      actorId: `key:${keyId}`,
    });
    // The request's id (a load balancer's x-request-id, else a fresh one): an answer is matched to its event.
    expect(details(success!)).toMatchObject({ tool: 'list_products', sessionId, requestId });
    expect(details(failure!).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof details(success!).durationMs).toBe('number');
    expect(details(success!).durationMs as number).toBeGreaterThanOrEqual(0);
    expect(failure).toMatchObject({ businessId: businessA, outcome: 'failure' });
    expect(details(failure!)).toMatchObject({
      tool: 'get_product',
      error: 'Product not found in the active business',
    });
    expect(typeof details(failure!).durationMs).toBe('number');

    const closedRow = (await auditRows({ action: 'mcp.session_closed' })).find(
      (r) => details(r).sessionId === sessionId,
    );
    expect(closedRow).toMatchObject({
      businessId: businessA,
      outcome: 'success',
      actorKind: 'api_key',
      actorId: `key:${keyId}`,
    });
  });

  it('a refused tools/call is recorded as denied, against the active business', async () => {
    const idToken = await merchant.idToken();
    const token = (await exchangeToken(h.server.baseUrl, idToken)).json.token as string;
    secrets.push(idToken, token);
    const sessionId = await rawSession(h.server.mcpUrl, token);
    const res = await mcpRequest(h.server.mcpUrl, {
      bearer: token,
      sessionId,
      body: toolsCallBody('set_active_business', { businessId: crypto.randomUUID() }),
    });
    expect(res.json.result.isError).toBe(true);
    const denied = (await auditRows({ action: 'mcp.tools_call' })).find(
      (r) => details(r).sessionId === sessionId,
    );
    expect(denied).toMatchObject({
      outcome: 'denied',
      actorKind: 'token',
      actorId: `user:${merchant.id}`,
      businessId: businessA,
    });
    expect(details(denied!)).toMatchObject({ tool: 'set_active_business' });
  });

  it('a poisoned initialize cannot switch the trail off: refused with -32602, and the N calls after it are all written', async () => {
    const idToken = await merchant.idToken();
    const { key, id: keyId } = await createKeyViaApi(idToken);
    secrets.push(idToken, key);
    for (const name of ['\\u0000evil', 'half \\ud800 pair']) {
      const poisoned = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        rawBody: `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"${name}","version":"1"}}}`,
      });
      expect(poisoned.status).toBe(400);
      expect(poisoned.json.error.code).toBe(-32602);
      expect(poisoned.json.error.message).toMatch(
        /NUL character or lone surrogate at params\.clientInfo\.name/,
      );
    }
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const n = 12;
    for (let i = 0; i < n; i++) {
      const res = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        sessionId,
        body: toolsCallBody('list_products', {}),
      });
      expect(res.status).toBe(200);
    }
    const calls = (await auditRows({ action: 'mcp.tools_call' })).filter(
      (r) => r.actorId === `key:${keyId}`,
    );
    expect(calls).toHaveLength(n);
  });

  it('a row PostgreSQL refuses is set aside and counted in /metrics; the rest of its batch is written', async () => {
    const audit = h.server.services.core.audit;
    await h.db.$executeRawUnsafe(
      `ALTER TABLE audit_event ADD CONSTRAINT refuse_one_row CHECK (action <> 'metrics.bad')`,
    );
    try {
      for (let i = 0; i < 5; i++)
        audit.record({ action: 'metrics.good', outcome: 'success', actorKind: 'system' });
      audit.record({ action: 'metrics.bad', outcome: 'success', actorKind: 'system' });
      for (let i = 0; i < 5; i++)
        audit.record({ action: 'metrics.good', outcome: 'success', actorKind: 'system' });
      await audit.flush();
    } finally {
      await h.db.$executeRawUnsafe('ALTER TABLE audit_event DROP CONSTRAINT refuse_one_row');
    }
    expect(await h.db.auditEvent.count({ where: { action: 'metrics.good' } })).toBe(10);
    const metrics = await (await fetch(`${h.server.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^flowpos_audit_events_rejected_total 1$/m);
  });

  it('no secret, key or token appears in any audit row', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const dump =
      JSON.stringify(await auditRows()) +
      JSON.stringify(await h.db.$queryRawUnsafe('SELECT * FROM audit_event'));
    for (const secret of secrets) {
      expect(dump).not.toContain(secret);
      // Not even the random part of a key, or any JWT part (the emulator's ID tokens have an empty signature).
      const parts = secret.startsWith('fp_mcp_')
        ? [secret.slice(11)]
        : secret.split('.').filter((p) => p.length > 0);
      for (const part of parts) expect(dump).not.toContain(part);
    }
    expect(dump).not.toMatch(/fp_mcp_[0-9a-f]{20,}/);
    expect(dump).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
  });
});
