// Hostile input on /mcp, 2026-07-28 era (stateless, per request): the
// `_meta` envelope, tools/call and a writing tool each get the whole corpus.
// Every answer is a 4xx or a JSON-RPC answer, never a 5xx or a hang; the
// client activity recorded from `_meta` breaks no later write; the audit
// trail holds exactly the tools run.
import { describe, expect, it } from 'vitest';
import { createKey } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import {
  expectRefusedOrAnswered,
  hostileBodies,
  sendCorpus,
  toolRuns,
} from '../support/hostile-corpus.ts';
import { useShop } from '../support/hostile-setup.ts';
import { MODERN, modernHeaders } from '../support/modern-wire.ts';

const h = useHarness('hostile2026');
const shop = useShop(h);

const META = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'hostile', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

function call(name: string, args: Record<string, unknown>, id = 1) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, _meta: structuredClone(META) },
  };
}

const post =
  (bearer: string, method: string, name?: string) =>
  (body: string | Uint8Array, signal: AbortSignal) =>
    fetch(h.server.mcpUrl, {
      method: 'POST',
      signal,
      headers: modernHeaders(bearer, method, name),
      body,
    });

async function auditCount(actorId: string, action: string) {
  await h.server.services.core.audit.flush();
  return h.db.auditEvent.count({ where: { actorId, action } });
}

describe('/mcp 2026-07-28 era', () => {
  it('the _meta envelope and tools/call: every hostile field is refused or answered, every tool run audited', async () => {
    const { key, row } = await createKey(h.db, { businessId: shop().businessId });
    const meta = (k: string) => ['params', '_meta', k];
    const read = await sendCorpus(
      hostileBodies(call('list_products', { search: 'latte' }), [
        ['id'],
        ['params', 'name'],
        ['params', 'arguments'],
        ['params', 'arguments', 'search'],
        ['params', '_meta'],
        meta('io.modelcontextprotocol/protocolVersion'),
        meta('io.modelcontextprotocol/clientInfo'),
        [...meta('io.modelcontextprotocol/clientInfo'), 'name'],
        [...meta('io.modelcontextprotocol/clientInfo'), 'version'],
        meta('io.modelcontextprotocol/clientCapabilities'),
      ]),
      post(key, 'tools/call', 'list_products'),
    );
    expectRefusedOrAnswered(read);
    const write = await sendCorpus(
      hostileBodies(
        call('create_sale_intent', { lines: [{ productId: shop().productId, quantity: 1 }] }),
        [
          ['params', 'arguments', 'note'],
          ['params', 'arguments', 'lines', 0, 'productId'],
          ['params', 'arguments', 'lines', 0, 'quantity'],
        ],
      ),
      post(key, 'tools/call', 'create_sale_intent'),
    );
    expectRefusedOrAnswered(write);
    const discover = await sendCorpus(
      hostileBodies({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: META } }, [
        ['params', '_meta', 'io.modelcontextprotocol/clientInfo', 'name'],
      ]),
      post(key, 'server/discover'),
    );
    expectRefusedOrAnswered(discover);

    // A plain call after the corpus works, its client is listed, and its write lands.
    const after = await post(
      key,
      'tools/call',
      'create_sale_intent',
    )(
      JSON.stringify(
        call('create_sale_intent', {
          lines: [{ productId: shop().productId, quantity: 2 }],
          note: 'after 2026',
        }),
      ),
      AbortSignal.timeout(30_000),
    );
    expect(after.status).toBe(200);
    expect(
      await h.db.intent.count({ where: { businessId: shop().businessId, note: 'after 2026' } }),
    ).toBe(1);
    const clients = await h.server.services.store.pageClients(null, 100);
    const mine = clients.find((c) => c.credential === `key:${row.id}`);
    expect(mine?.client.name).toBe('hostile');
    expect(await auditCount(`key:${row.id}`, 'mcp.tools_call')).toBe(
      toolRuns([...read, ...write]).length + 1,
    );
  });
});
