// A 2026-07-28 `subscriptions/listen` stream held open by the soak and opened
// again whenever it ends (an instance killed or stopped under it); each
// reopening is counted by the soak's fetch.
import { soakFetch } from './client-fetch.ts';
import type { LoadContext } from './load.ts';

const MODERN = '2026-07-28';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One subscriptions/listen stream, opened again whenever it ends, until the run stops. */
export async function listenLane(
  ctx: LoadContext,
  bearer: () => string,
  name: string,
  stop: AbortSignal,
) {
  const fetcher = soakFetch(ctx.rec);
  while (ctx.running() && !stop.aborted) {
    try {
      const res = await fetcher(ctx.mcpUrl, {
        method: 'POST',
        signal: stop,
        headers: {
          authorization: `Bearer ${bearer()}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': MODERN,
          'mcp-method': 'subscriptions/listen',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'subscriptions/listen',
          params: {
            notifications: { toolsListChanged: true },
            _meta: {
              'io.modelcontextprotocol/protocolVersion': MODERN,
              'io.modelcontextprotocol/clientInfo': { name, version: '1' },
              'io.modelcontextprotocol/clientCapabilities': {},
            },
          },
        }),
      });
      if (res.body) for await (const chunk of res.body) void chunk;
    } catch {
      /* dropped: opened again below */
    }
    await pause(250);
  }
}
