// The end of a bench run: the table and its summary line on stdout, and the
// same rows with the machine and settings in bench/results/latest.json.
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Report } from './report.ts';
import { QUICK, settings } from './settings.ts';

export function publishResults(
  report: Report,
  {
    resultsDir,
    started,
    loadAtStart,
  }: { resultsDir: string; started: number; loadAtStart: number[] },
): void {
  const [l1s, l5s] = loadAtStart;
  const [l1e, l5e] = loadavg();
  report.note(
    `load average (1/5 min) at start ${l1s?.toFixed(1)}/${l5s?.toFixed(1)}, at end ${l1e?.toFixed(1)}/${l5e?.toFixed(1)} on ${cpus().length} cores: other processes share this machine; compare ratios, not absolute figures`,
  );
  report.note(
    'product instances run apps/backend/src/main.ts on Node 24 type stripping (no tsx) with DATABASE_POOL_SIZE 10, SESSION_CACHE_SIZE 5000, KEY_CACHE_TTL_MS 30000 (defaults), NODE_ENV=test, LOG_LEVEL=warn',
  );
  // Sections in order in the table.
  report.rows.sort((a, b) => a.section.localeCompare(b.section, 'en', { numeric: true }));
  const table = report.table();
  const seconds = (Date.now() - started) / 1000;
  const targets = report.rows.filter((r) => r.target);
  const summary = `${targets.filter((r) => r.pass).length}/${targets.length} targets met; ${seconds.toFixed(0)} s; ${QUICK ? 'BENCH_QUICK=1' : 'full'} run; median of ${settings.rounds} interleaved rounds of ${settings.roundMs / 1000} s`;
  process.stdout.write(
    `\nFlowPOS MCP bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} cpus (${cpus()[0]?.model ?? '?'})\n\n${table}\n\n${summary}\n`,
  );
  if (report.notes.length)
    process.stdout.write(`\nnotes:\n${report.notes.map((n) => `- ${n}`).join('\n')}\n`);
  report.write(resolve(resultsDir, 'latest.json'), {
    generatedAt: new Date().toISOString(),
    mode: QUICK ? 'quick' : 'full',
    seconds: Math.round(seconds),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadavgAtStart: loadAtStart,
      loadavgAtEnd: loadavg(),
    },
    settings,
  });
  process.stdout.write(`\nwritten: bench/results/latest.json\n`);
}
