// A 2026-07-28 `subscriptions/listen` stream held open by the soak and opened
// again whenever it ends (an instance killed or stopped under it); each
// reopening is counted by the soak's fetch.
import { listenRequest } from '../../apps/backend/harness/listen-request.ts';
import { soakFetch } from './client-fetch.ts';
import type { LoadContext } from './load.ts';

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
      const res = await fetcher(
        ctx.mcpUrl,
        listenRequest(bearer(), name, { toolsListChanged: true }, stop),
      );
      if (res.body) for await (const chunk of res.body) void chunk;
    } catch {
      /* dropped: opened again below */
    }
    await pause(250);
  }
}
