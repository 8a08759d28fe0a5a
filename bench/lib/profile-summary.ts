// Summarises a V8 .cpuprofile: top functions by self time, self time by
// package / area, and self time by category (HTTP, auth, session, SDK, zod,
// DB client, audit, metrics, Redis, GC…), so that a regression names its
// cause. Usable alone:
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

export interface CpuProfile {
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

export interface ProfileSummary {
  totalMs: number;
  functions: ProfileRow[];
  areas: ProfileRow[];
  /** Every category, largest first (not cut to `top`). */
  categories: ProfileRow[];
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

/** The package a node_modules path belongs to (`@scope/name` or `name`), else undefined. */
function packageOf(where: string): string | undefined {
  const nm = where.lastIndexOf('node_modules/');
  if (nm < 0) return undefined;
  const rest = where.slice(nm + 'node_modules/'.length).split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

/** node_modules/<pkg>, the workspace package or app, node internals, or (native/gc). */
function area(where: string, name: string): string {
  if (where === '(native)') return name.startsWith('(') ? name : '(native)';
  const pkg = packageOf(where);
  if (pkg) return pkg;
  if (where.startsWith('node:')) return 'node:' + (where.slice(5).split('/')[0] ?? '');
  const parts = where.split('/');
  if (parts[0] === 'apps' || parts[0] === 'packages') return `${parts[0]}/${parts[1]}`;
  return parts[0] ?? where;
}

/** Packages by category. Not listed: shared helpers (ajv, fast-deep-equal…), which take their caller's. */
const PACKAGES: [RegExp, string][] = [
  [/^@fastify\/rate-limit$/, 'throttling'],
  [
    /^(fastify|@fastify\/.*|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|fast-decode-uri-component|secure-json-parse|toad-cache|json-schema-ref-resolver|fast-uri)$/,
    'HTTP',
  ],
  [/^(jose|oidc-provider|firebase-admin|@firebase\/.*)$/, 'auth'],
  [/^@modelcontextprotocol\//, 'SDK'],
  [/^zod$/, 'zod'],
  [/^(@prisma\/.*|prisma|pg|pg-.*|postgres-.*|pgpass|pglite-prisma-adapter)$/, 'DB client'],
  [/^(prom-client|tdigest|bintrees)$/, 'metrics'],
  [/^(@opentelemetry\/.*|require-in-the-middle|import-in-the-middle|shimmer)$/, 'tracing'],
  [
    /^(ioredis|@ioredis\/.*|redis-parser|redis-errors|cluster-key-slot|denque|standard-as-callback)$/,
    'Redis',
  ],
  [
    /^(pino|pino-.*|sonic-boom|thread-stream|quick-format-unescaped|safe-stable-stringify|on-exit-leak-free|atomic-sleep)$/,
    'logging',
  ],
  [/^(tsx|esbuild|get-tsconfig)$/, 'tsx loader'],
];

/** Repository paths (below apps/ or packages/) by category, first match wins. */
const REPO_PATHS: [RegExp, string][] = [
  [/^backend\/src\/http\/rate-limits\.ts$/, 'throttling'],
  [/^backend\/src\/observability\/(metrics|process-metrics|tool-calls)\.ts$/, 'metrics'],
  [/^backend\/src\/http\/metrics\.routes\.ts$/, 'metrics'],
  [/^backend\/src\/observability\/(tracing|tool-spans)\.ts$/, 'tracing'],
  [/^backend\/src\/observability\/logger\.ts$/, 'logging'],
  [/^backend\/src\/mcp\/interfaces\/(guards\/|auth-challenge)/, 'auth'],
  [/^backend\/src\/mcp\/application\/(mcp-token\.service|user-principals)\.ts$/, 'auth'],
  [/^backend\/src\/(oauth\/|http\/token\.routes)/, 'auth'],
  [
    /^backend\/src\/mcp\/application\/(live-session|mcp-session\.service|session-transport|event-stores)\.ts$/,
    'session',
  ],
  [/^backend\/src\/mcp\//, 'MCP & tools (product)'],
  [/^backend\/src\/(http\/|app\.ts|serve\.ts|observability\/request-context\.ts)/, 'HTTP'],
  [/^core\/src\/(keys|auth|access|oauth)\/|^core\/src\/(principal|credential-ids)\.ts$/, 'auth'],
  [/^core\/src\/sessions\//, 'session'],
  [/^core\/src\/(validation\.ts|schemas\/)/, 'zod'],
  [/^core\/src\/audit(-query)?\.ts$/, 'audit'],
  [/^core\/src\/(mcp|tools|pos)\//, 'MCP & tools (product)'],
  [/^db\/src\//, 'DB client'],
];

/** Frames with no category of their own (V8 builtins, Node internals) take their caller's. */
const NO_CALLER = 'Node runtime & I/O (no app caller)';

/** The category of a frame, or undefined when it is shared code that takes its caller's. */
function categoryOf(where: string, name: string): string | undefined {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'V8 (program)';
  if (where === '(native)') return undefined;
  // Prisma's query compiler is the only WebAssembly the product loads.
  if (where.startsWith('wasm://')) return 'DB client';
  if (where.startsWith('node:'))
    return /^node:(_http_|http$|https$|internal\/http)/.test(where) ? 'HTTP' : undefined;
  const pkg = packageOf(where);
  if (pkg) {
    for (const [pattern, category] of PACKAGES) if (pattern.test(pkg)) return category;
    return undefined;
  }
  const repo = /(?:^|\/)(?:apps|packages)\/(.*)$/.exec(where)?.[1];
  if (repo === undefined) return undefined;
  for (const [pattern, category] of REPO_PATHS) if (pattern.test(repo)) return category;
  return 'app (other)';
}

function readProfile(source: string | CpuProfile): CpuProfile {
  return typeof source === 'string'
    ? (JSON.parse(readFileSync(source, 'utf8')) as CpuProfile)
    : source;
}

export function summariseProfile(source: string | CpuProfile, top = 25): ProfileSummary {
  const profile = readProfile(source);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const categoryCache = new Map<number, string>();
  /** The node's category, else its nearest categorised caller's. */
  const categoryOfNode = (id: number): string => {
    const cached = categoryCache.get(id);
    if (cached) return cached;
    const node = byId.get(id);
    let found: string;
    if (!node) found = NO_CALLER;
    else {
      const own = categoryOf(location(node.callFrame.url), node.callFrame.functionName);
      const up = parent.get(id);
      found = own ?? (up === undefined ? NO_CALLER : categoryOfNode(up));
    }
    categoryCache.set(id, found);
    return found;
  };
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
  const categories = new Map<string, ProfileRow>();
  const addTo = (rows: Map<string, ProfileRow>, key: string, row: () => ProfileRow, ms: number) => {
    const r = rows.get(key) ?? row();
    r.selfMs += ms;
    rows.set(key, r);
  };
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    const where = location(node.callFrame.url);
    const whereLine = where === '(native)' ? where : `${where}:${node.callFrame.lineNumber + 1}`;
    const blank =
      (n: string, w = '') =>
      () => ({ name: n, where: w, selfMs: 0, selfPct: 0 });
    addTo(fns, `${name}@${whereLine}`, blank(name, whereLine), ms);
    const a = area(where, name);
    addTo(areas, a, blank(a), ms);
    const c = categoryOfNode(id);
    addTo(categories, c, blank(c), ms);
  }
  const finish = (rows: Iterable<ProfileRow>, n = Infinity) =>
    [...rows]
      .map((r) => ({ ...r, selfPct: total ? (100 * r.selfMs) / total : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, n);
  return {
    totalMs: total,
    functions: finish(fns.values(), top),
    areas: finish(areas.values(), top),
    categories: finish(categories.values()),
  };
}

const pctLine = (r: ProfileRow, extra = '') =>
  `  ${r.selfPct.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.name}${extra}`;

export function formatProfile(summary: ProfileSummary): string {
  return [
    `busy time sampled (idle excluded): ${(summary.totalMs / 1000).toFixed(1)} s`,
    '',
    'self time by category (builtins and Node internals count for their caller):',
    ...summary.categories.map((r) => pctLine(r)),
    '',
    'self time by area:',
    ...summary.areas.map((r) => pctLine(r)),
    '',
    'top functions by self time:',
    ...summary.functions.map((r) => pctLine(r, `  ${r.where}`)),
  ].join('\n');
}

/**
 * The categories of several profiles side by side: share of busy time, and,
 * when the profile's request count is given, self time per request (µs), which
 * compares eras whose totals differ.
 */
export function formatCategoryTable(
  eras: { label: string; summary: ProfileSummary; requests?: number }[],
): string {
  const names = [...new Set(eras.flatMap((e) => e.summary.categories.map((c) => c.name)))];
  const find = (s: ProfileSummary, name: string) => s.categories.find((c) => c.name === name);
  const first = eras[0]?.summary;
  if (first) names.sort((a, b) => (find(first, b)?.selfMs ?? 0) - (find(first, a)?.selfMs ?? 0));
  const cell = (e: (typeof eras)[number], name: string) => {
    const row = find(e.summary, name);
    const pct = `${(row?.selfPct ?? 0).toFixed(1)}%`.padStart(6);
    return e.requests
      ? `${pct} ${(((row?.selfMs ?? 0) * 1000) / e.requests).toFixed(0).padStart(5)} µs`
      : pct;
  };
  const width = Math.max(8, ...names.map((n) => n.length));
  const cols = eras.map((e) => Math.max(e.label.length, cell(e, names[0] ?? '').length));
  const line = (first: string, rest: string[]) =>
    [first.padEnd(width), ...rest.map((c, i) => c.padStart(cols[i] as number))].join('  ');
  const lines = [
    line(
      'category',
      eras.map((e) => e.label),
    ),
  ];
  lines.push(
    line(
      '-'.repeat(width),
      cols.map((w) => '-'.repeat(w)),
    ),
  );
  for (const name of names)
    lines.push(
      line(
        name,
        eras.map((e) => cell(e, name)),
      ),
    );
  if (eras.every((e) => e.requests))
    lines.push(
      line(
        'total',
        eras.map(
          (e) =>
            `100% ${((e.summary.totalMs * 1000) / (e.requests as number)).toFixed(0).padStart(5)} µs`,
        ),
      ),
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
