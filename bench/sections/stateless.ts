// Bench section 1b: the 2026-07-28 stateless path.
import {
  endpointOf,
  newAgent,
  type Endpoint,
  type LoadClient,
  type LoadResult,
  runLoad,
} from '../lib/http-load.ts';
import { MCP_ACCEPT } from '../lib/mcp-http.ts';
import { spawnBaseline } from '../lib/processes.ts';
import { interleaved } from '../lib/interleaved.ts';
import { ratioRow, throughputRow } from '../lib/load-rows.ts';
import type { Report } from '../lib/report.ts';
import type { Settings } from '../lib/settings.ts';
import type { ServerProcess } from '../lib/processes.ts';

/** Section 1b: 2026-07-28 stateless tools/call through the product vs the bare SDK 2 handler and the 2025 path. */
export async function benchStateless(opts: {
  report: Report;
  settings: Settings;
  A: Endpoint;
  key: string;
  sku: string;
  productClients: LoadClient[];
  /** Told of each server started, so that the run stops it even when the section fails. */
  track: (server: ServerProcess) => void;
}): Promise<void> {
  const { report, settings, A, key, sku, productClients, track } = opts;
  const bareV2 = await spawnBaseline('bare-sdk-v2', 'bench/servers/bare-sdk-v2.ts');
  track(bareV2);
  const modernClients = (
    ep: ReturnType<typeof endpointOf>,
    bearer: string | undefined,
    tool: string,
    args: Record<string, unknown>,
  ): LoadClient[] => {
    const params = JSON.stringify({
      name: tool,
      arguments: args,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'flowpos-bench', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    });
    return Array.from({ length: settings.clients }, () => ({
      agent: newAgent(),
      endpoints: [ep],
      path: '/mcp',
      headers: {
        'content-type': 'application/json',
        accept: MCP_ACCEPT,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': tool,
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: (n: number) =>
        `{"jsonrpc":"2.0","id":${n + 1},"method":"tools/call","params":${params}}`,
    }));
  };
  const productModern = modernClients(A, key, 'get_product', { sku });
  const bareModern = modernClients(endpointOf(bareV2.baseUrl), undefined, 'echo', {
    text: 'hello',
  });
  for (const [label, clients] of [
    ['product', productModern],
    ['bare SDK 2', bareModern],
  ] as const) {
    const c = clients[0] as LoadClient;
    const ep = c.endpoints[0] as ReturnType<typeof endpointOf>;
    const res = await fetch(`http://${ep.host}:${ep.port}/mcp`, {
      method: 'POST',
      headers: c.headers,
      body: c.body(0),
    });
    const text = await res.text();
    if (res.status !== 200 || !text.includes('"result"') || text.includes('"isError":true'))
      throw new Error(`2026 tools/call on ${label}: HTTP ${res.status} ${text.slice(0, 300)}`);
  }
  await runLoad(productModern, settings.warmMs);
  await runLoad(bareModern, settings.warmMs);
  const s1b = await interleaved(
    { modern: productModern, legacy: productClients, bareV2: bareModern },
    settings.rounds,
    settings.roundMs,
  );
  const S1B = '1b tools/call, 2026-07-28';
  for (const [name, label] of [
    ['modern', 'product get_product, 2026 stateless (auth + tenant read + audit per request)'],
    ['legacy', 'product get_product, 2025 session'],
    ['bareV2', 'bare SDK 2 createMcpHandler stateless echo (node:http)'],
  ] as const) {
    report.add(
      throughputRow(
        S1B,
        `${label}: throughput`,
        s1b[name] as LoadResult[],
        `${settings.clients} clients`,
      ),
    );
  }
  for (const [metric, a, b, min] of [
    ['ratio product 2026 / bare SDK 2 stateless', 'modern', 'bareV2', 1.0],
    ['ratio product 2026 / product 2025 session', 'modern', 'legacy', 0.9],
  ] as const) {
    const [ra, rb] = [s1b[a] as LoadResult[], s1b[b] as LoadResult[]];
    const options = { min, digits: 1, detail: 'median of per-round ratios' };
    report.add(ratioRow(S1B, metric, ra, rb, options));
  }
  for (const c of [...productModern, ...bareModern]) c.agent.destroy();
  await bareV2.stop();
}
