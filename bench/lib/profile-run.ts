// BENCH_PROFILE=1: the product alone under tools/call load, once per protocol
// era (2025 sessions, 2026-07-28 stateless), profiled over its inspector
// around each load only. Each profile goes to bench/results/profile-<era>.cpuprofile
// (git-ignored); the self time of both, by category, is printed side by side,
// then each era's top frames.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpointOf, warmUp } from './http-load.ts';
import { connectProfiler } from './inspector-profiler.ts';
import { runLoad, type LoadClient } from './http-load.ts';
import type { ServerProcess } from './processes.ts';
import {
  formatCategoryTable,
  formatProfile,
  summariseProfile,
  type ProfileSummary,
} from './profile-summary.ts';
import type { Report, Row } from './report.ts';
import type { Settings } from './settings.ts';
import { checkStatelessCall, statelessClients } from './stateless-clients.ts';

export interface EraLoad {
  /** Short name, used in file names: `2025-session`, `2026-stateless`. */
  era: string;
  label: string;
  clients: LoadClient[];
}

export interface EraProfile {
  era: string;
  label: string;
  file: string;
  rps: number;
  /** Requests served while the profiler ran. */
  requests: number;
  summary: ProfileSummary;
}

export async function runProfile(opts: {
  server: ServerProcess;
  eras: EraLoad[];
  settings: Settings;
  log: (l: string) => void;
  resultsDir: string;
}): Promise<EraProfile[]> {
  const { server, eras, settings, log, resultsDir } = opts;
  const profiler = await connectProfiler(server);
  const out: EraProfile[] = [];
  try {
    for (const { era, label, clients } of eras) {
      if (era.includes('stateless')) await checkStatelessCall(clients, server.name);
      await warmUp(clients, settings.warmMs);
      log(
        `profiling ${server.name}, ${label}: ${clients.length}-client tools/call load for ${settings.profileMs / 1000} s`,
      );
      await profiler.start();
      const result = await runLoad(clients, settings.profileMs);
      const profile = await profiler.stop();
      log(
        `  ${result.rps.toFixed(0)} req/s (profiler on), p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors}`,
      );
      const file = join(resultsDir, `profile-${era}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      const summary = summariseProfile(profile, 20);
      out.push({ era, label, file, rps: result.rps, requests: result.requests, summary });
    }
  } finally {
    profiler.close();
  }
  process.stdout.write(
    `\nself time by category, share of the server's busy time and µs per call (builtins and Node internals, socket writes included, count for their caller):\n\n${formatCategoryTable(out.map((p) => ({ label: p.era, summary: p.summary, requests: p.requests })))}\n`,
  );
  for (const p of out)
    process.stdout.write(`\n${p.label} — ${p.file}\n${formatProfile(p.summary)}\n`);
  return out;
}

/** The report rows of a profile run: each category's share, one column per era. */
export function profileRows(profiles: EraProfile[]): Row[] {
  const [first, second] = profiles;
  if (!first) return [];
  const find = (p: EraProfile, name: string) => p.summary.categories.find((c) => c.name === name);
  const share = (p: EraProfile | undefined, name: string) =>
    +((p && find(p, name)?.selfPct) ?? 0).toFixed(1);
  const perCallUs = (p: EraProfile, name: string) =>
    (((find(p, name)?.selfMs ?? 0) * 1000) / Math.max(1, p.requests)).toFixed(0);
  const names = [...new Set(profiles.flatMap((p) => p.summary.categories.map((c) => c.name)))];
  return names
    .sort((a, b) => share(first, b) - share(first, a))
    .map((name) => ({
      section: 'P profile',
      metric: `self time: ${name} (${profiles.map((p) => p.era).join(' / ')})`,
      value: share(first, name),
      ...(second ? { value2: share(second, name) } : {}),
      unit: '%',
      detail: profiles.map((p) => `${p.era} ${perCallUs(p, name)} µs/call`).join(', '),
    }));
}

/**
 * BENCH_PROFILE=1: `server` under the 2025 session load (`sessionClients`),
 * then under the same load as 2026-07-28 stateless calls of get_product; the
 * category shares go to bench/results/latest.json.
 */
export async function benchProfile(opts: {
  server: ServerProcess;
  sessionClients: LoadClient[];
  key: string;
  sku: string;
  settings: Settings;
  report: Report;
  log: (l: string) => void;
  resultsDir: string;
  machine: Record<string, unknown>;
}): Promise<void> {
  const { server, sessionClients, key, sku, settings, report, log, resultsDir } = opts;
  const started = Date.now();
  const ep = endpointOf(server.baseUrl);
  const stateless = statelessClients(settings.clients, ep, key, 'get_product', { sku });
  const profiles = await runProfile({
    server,
    eras: [
      {
        era: '2025-session',
        label: '2025 session tools/call (get_product)',
        clients: sessionClients,
      },
      {
        era: '2026-stateless',
        label: '2026-07-28 stateless tools/call (get_product)',
        clients: stateless,
      },
    ],
    settings,
    log,
    resultsDir,
  });
  for (const c of stateless) c.agent.destroy();
  for (const row of profileRows(profiles)) report.add(row);
  report.write(join(resultsDir, 'latest.json'), {
    generatedAt: new Date().toISOString(),
    mode: 'profile',
    seconds: Math.round((Date.now() - started) / 1000),
    machine: opts.machine,
    profiled: server.name,
    profiles: profiles.map((p) => ({ era: p.era, file: p.file, rps: Math.round(p.rps) })),
    settings,
  });
  process.stdout.write('\nwritten: bench/results/latest.json (category shares per era)\n');
}
