// Summarises a V8 .cpuprofile: top functions by self time, and self time by
// package / area. Usable alone:
//   node --import tsx bench/lib/profile-summary.ts bench/results/x.cpuprofile [top]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './processes.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  where: string;
  selfMs: number;
  selfPct: number;
}

function location(url: string): string {
  if (!url) return '(native)';
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch {
      path = url;
    }
  }
  return path.startsWith('/') ? relative(REPO_ROOT, path) : path;
}

/** node_modules/<pkg>, the workspace package or app, node internals, or (native/gc). */
function area(where: string, name: string): string {
  if (where === '(native)') return name.startsWith('(') ? name : '(native)';
  const nm = where.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = where.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? where);
  }
  if (where.startsWith('node:')) return 'node:' + (where.slice(5).split('/')[0] ?? '');
  const parts = where.split('/');
  if (parts[0] === 'apps' || parts[0] === 'packages') return `${parts[0]}/${parts[1]}`;
  return parts[0] ?? where;
}

export function summariseProfile(
  file: string,
  top = 25,
): { totalMs: number; functions: ProfileRow[]; areas: ProfileRow[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    // Idle time is not work: leave it out of the total.
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const fns = new Map<string, ProfileRow>();
  const areas = new Map<string, ProfileRow>();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    const where = location(node.callFrame.url);
    const whereLine = where === '(native)' ? where : `${where}:${node.callFrame.lineNumber + 1}`;
    const key = `${name}@${whereLine}`;
    const row = fns.get(key) ?? { name, where: whereLine, selfMs: 0, selfPct: 0 };
    row.selfMs += ms;
    fns.set(key, row);
    const a = area(where, name);
    const arow = areas.get(a) ?? { name: a, where: '', selfMs: 0, selfPct: 0 };
    arow.selfMs += ms;
    areas.set(a, arow);
  }
  const finish = (rows: Iterable<ProfileRow>) =>
    [...rows]
      .map((r) => ({ ...r, selfPct: total ? (100 * r.selfMs) / total : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return { totalMs: total, functions: finish(fns.values()), areas: finish(areas.values()) };
}

export function formatProfile(summary: ReturnType<typeof summariseProfile>): string {
  const lines = [
    `busy time sampled (idle excluded): ${(summary.totalMs / 1000).toFixed(1)} s`,
    '',
    'self time by area:',
  ];
  for (const r of summary.areas)
    lines.push(
      `  ${r.selfPct.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.name}`,
    );
  lines.push('', 'top functions by self time:');
  for (const r of summary.functions)
    lines.push(
      `  ${r.selfPct.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.name}  ${r.where}`,
    );
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node --import tsx bench/lib/profile-summary.ts FILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(formatProfile(summariseProfile(file, Number(process.argv[3] ?? 30))));
}
