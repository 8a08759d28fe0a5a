// Bench section 1d: what governance costs on tools/call. The product as
// merchants run it — a key with an explicit tool policy and its own calls per
// minute, usage counted, every request kept for the session inspector —
// against the same product with all of it off (USAGE_ENABLED, INSPECTOR_ENABLED
// and CREDENTIAL_LIMITS_ENABLED false, a key whose policy is "all"), on both
// protocol eras, interleaved, beside the A/A floor of two identical governed
// servers. Target: at most 1.05× the server CPU per call.
import { type Endpoint, type LoadClient, type LoadResult, warmUp } from '../lib/http-load.ts';
import { aaRow, cpuRatioRow, cpuRow } from '../lib/cpu-rows.ts';
import { interleaved, type RoundResult } from '../lib/interleaved.ts';
import type { Report } from '../lib/report.ts';
import type { Settings } from '../lib/settings.ts';
import type { CpuMeters } from '../lib/side-cpu.ts';
import { checkStatelessCall, statelessClients } from '../lib/stateless-clients.ts';

const S = '1d governance costs on tools/call';

/** What a governed server's settings switch off. */
export const UNGOVERNED_ENV = {
  USAGE_ENABLED: 'false',
  INSPECTOR_ENABLED: 'false',
  CREDENTIAL_LIMITS_ENABLED: 'false',
} as const;

export async function benchGovernance(opts: {
  report: Report;
  settings: Settings;
  /** 2025 sessions on product A with the governed key, on product B (A/A) and on the ungoverned server. */
  sessions: { governed: LoadClient[]; governedB: LoadClient[]; ungoverned: LoadClient[] };
  endpoints: { A: Endpoint; B: Endpoint; ungoverned: Endpoint };
  keys: { governed: string; plain: string };
  sku: string;
  pids: { governed?: number; governedB?: number; ungoverned?: number };
  meters: CpuMeters;
}): Promise<void> {
  const { report, settings, sessions, endpoints, keys, sku, pids, meters } = opts;
  const n = settings.clients;
  const modern = {
    governed: statelessClients(n, endpoints.A, keys.governed, 'get_product', { sku }),
    governedB: statelessClients(n, endpoints.B, keys.governed, 'get_product', { sku }),
    ungoverned: statelessClients(n, endpoints.ungoverned, keys.plain, 'get_product', { sku }),
  };
  for (const [name, clients] of Object.entries(modern)) await checkStatelessCall(clients, name);
  for (const [era, targets] of [
    ['2025 sessions', sessions],
    ['2026-07-28 stateless', modern],
  ] as const) {
    for (const clients of Object.values(targets)) await warmUp(clients, settings.warmMs);
    const s = await interleaved(
      { governed: targets.governed, governedB: targets.governedB, ungoverned: targets.ungoverned },
      settings.rounds,
      settings.roundMs,
      { pids, meters },
    );
    const governed = s.governed as RoundResult[];
    const aa = aaRow(
      S,
      `${era}: server CPU per tools/call, governed A / governed B`,
      governed,
      s.governedB as LoadResult[],
    );
    if (aa) report.add(aa.row);
    const ratio = cpuRatioRow(
      S,
      `${era}: server CPU per tools/call, governance on / off`,
      governed,
      s.ungoverned as LoadResult[],
      aa?.floor,
      { max: 1.05 },
    );
    if (ratio) report.add(ratio);
    for (const [label, rs] of [
      [`${era}: governed`, governed],
      [`${era}: ungoverned`, s.ungoverned as LoadResult[]],
    ] as const) {
      const row = cpuRow(S, label, rs);
      if (row) report.add(row);
    }
  }
  for (const clients of Object.values(modern)) for (const c of clients) c.agent.destroy();
}
