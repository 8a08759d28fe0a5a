// Hostile input on /mcp, 2025 era (sessions): initialize, tools/call and a
// writing tool (create_sale_intent) each get the whole corpus. Every answer
// is a 4xx or a JSON-RPC answer, never a 5xx or a hang; what was stored
// breaks no later write; the audit trail holds exactly the sessions opened
// and the tools run.
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createKey } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import {
  ACCEPT_BOTH,
  initializeBody,
  mcpRequest,
  rawSession,
  toolsCallBody,
} from '../support/raw-http.ts';
import {
  expectRefusedOrAnswered,
  HOSTILE_SEGMENTS,
  hostileBodies,
  sendCorpus,
  toolRuns,
  type HostileAnswer,
} from '../support/hostile-corpus.ts';
import { useShop } from '../support/hostile-setup.ts';

const h = useHarness('hostile2025', { MCP_MAX_SESSIONS_PER_CREDENTIAL: '1000' });
const shop = useShop(h);

async function auditCount(actorId: string, action: string) {
  await h.server.services.core.audit.flush();
  return h.db.auditEvent.count({ where: { actorId, action } });
}

const post =
  (bearer: string, sessionId?: string, query = '') =>
  (body: string | Uint8Array, signal: AbortSignal) =>
    fetch(`${h.server.mcpUrl}${query}`, {
      method: 'POST',
      signal,
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        accept: ACCEPT_BOTH,
        ...(sessionId
          ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION }
          : {}),
      },
      body,
    });

describe('/mcp 2025 era', () => {
  it('initialize: every hostile field is refused or stored safely, and each session opened is audited', async () => {
    const { key, row } = await createKey(h.db, { businessId: shop().businessId });
    const keyId = row.id;
    const base = initializeBody();
    const answers = await sendCorpus(
      hostileBodies(base, [
        ['id'],
        ['method'],
        ['params'],
        ['params', 'protocolVersion'],
        ['params', 'capabilities'],
        ['params', 'clientInfo'],
        ['params', 'clientInfo', 'name'],
        ['params', 'clientInfo', 'version'],
      ]),
      post(key),
    );
    expectRefusedOrAnswered(answers);
    const opened = answers.filter((a) => a.status === 200 && a.json?.result);
    expect(opened.length).toBeGreaterThan(0);
    // A refused initialize leaves no session behind; an accepted one is stored storable.
    const ids = await h.server.services.store.idsForCredential(`key:${keyId}`);
    expect(ids).toHaveLength(opened.length);
    for (const id of ids) {
      const record = await h.server.services.store.get(id);
      expect(JSON.stringify(record?.initialize).length).toBeLessThanOrEqual(4096);
      expect(JSON.stringify(record?.initialize)).not.toMatch(/\\u0000|\\ud[89a-f]/i);
    }
    expect(await auditCount(`key:${keyId}`, 'mcp.session_opened')).toBe(opened.length);
    // Nothing stored breaks a later write: a plain session opens and is audited.
    await rawSession(h.server.mcpUrl, key);
    expect(await auditCount(`key:${keyId}`, 'mcp.session_opened')).toBe(opened.length + 1);
  });

  it('tools/call: every hostile field is refused or answered, and every tool run is audited', async () => {
    const { key, row } = await createKey(h.db, { businessId: shop().businessId });
    const keyId = row.id;
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const read = await sendCorpus(
      hostileBodies(toolsCallBody('list_products', { search: 'latte' }), [
        ['id'],
        ['params'],
        ['params', 'name'],
        ['params', 'arguments'],
        ['params', 'arguments', 'search'],
        ['params', '_meta'],
      ]),
      post(key, sessionId),
    );
    expectRefusedOrAnswered(read);
    const write = await sendCorpus(
      hostileBodies(
        toolsCallBody('create_sale_intent', {
          lines: [{ productId: shop().productId, quantity: 1 }],
          note: 'hostile',
        }),
        [
          ['params', 'arguments', 'note'],
          ['params', 'arguments', 'lines'],
          ['params', 'arguments', 'lines', 0, 'productId'],
          ['params', 'arguments', 'lines', 0, 'quantity'],
        ],
      ),
      post(key, sessionId),
    );
    expectRefusedOrAnswered(write);
    // /mcp reads no query string: a hostile one is refused or ignored, never a 5xx.
    const queried: HostileAnswer[] = [];
    for (const segment of HOSTILE_SEGMENTS) {
      const call = {
        name: `query: ${segment.name}`,
        body: JSON.stringify(toolsCallBody('whoami')),
      };
      queried.push(
        ...(await sendCorpus([call], post(key, sessionId, `?q=${String(segment.body)}`))),
      );
    }
    expectRefusedOrAnswered(queried);
    // The session still works, and a write after the corpus lands.
    const after = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: toolsCallBody('create_sale_intent', {
        lines: [{ productId: shop().productId, quantity: 2 }],
        note: 'after the corpus',
      }),
    });
    expect(after.json.result.isError).toBeUndefined();
    expect(
      await h.db.intent.count({
        where: { businessId: shop().businessId, note: 'after the corpus' },
      }),
    ).toBe(1);
    // Hostile session ids (what a header can carry): an unknown session, never a 5xx.
    for (const sessionHeader of [
      'x'.repeat(8_000),
      '*',
      '../../x',
      'é\u00ff',
      ' ',
      `${sessionId}*`,
    ]) {
      const res = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        sessionId: sessionHeader,
        body: toolsCallBody('whoami'),
      });
      expect([400, 404, 431], sessionHeader.slice(0, 20)).toContain(res.status);
    }
    const ran = toolRuns([...read, ...write, ...queried]).length + 1;
    expect(await auditCount(`key:${keyId}`, 'mcp.tools_call')).toBe(ran);
  });
});
