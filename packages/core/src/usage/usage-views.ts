// Usage as the console shows it: one credential's (an API key's page, a
// connected app's page) and the overview (top keys, tools, errors, slowest
// tools). Who may see what is decided here: a merchant their business's
// usage (and anyone their own connected app's), operators every business's.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import { roleIn, type Actor } from '../access/actor.ts';
import { actorLabels } from '../access/actor-labels.ts';
import { authorize, authorizeIn } from '../access/permissions.ts';
import { keyCredentialId, grantCredentialId, parseCredentialId } from '../credential-ids.ts';
import { notFound } from '../errors.ts';
import { isUuid } from '../storable.ts';
import { histogramQuantile } from './usage-histogram.ts';
import {
  usageHistograms,
  usageSeries,
  usageTotals,
  USAGE_RANGES,
  type Counts,
  type GroupTotals,
  type SeriesPoint,
  type UsageFilter,
  type UsageRange,
} from './usage-read.ts';

const range = z.enum(USAGE_RANGES).default('48h');
export const credentialUsageInput = z.object({
  kind: z.enum(['key', 'grant']),
  id: z.string().min(1).max(200),
  range,
});
export const usageOverviewInput = z.object({
  /** One business; absent: every business (operators only). */
  businessId: z.uuid().optional(),
  range,
});

export interface ToolUsage extends Counts {
  tool: string;
  p50Ms: number | null;
  p95Ms: number | null;
  avgMs: number | null;
  lastUsedAt: Date;
}

export interface CredentialUsage extends Counts {
  credential: string;
  label: string;
  businessId: string;
  businessName: string;
  lastUsedAt: Date;
}

export interface CredentialUsageView {
  range: UsageRange;
  credential: string;
  businessId: string;
  totals: Counts;
  series: SeriesPoint[];
  tools: ToolUsage[];
}

export interface UsageOverview {
  range: UsageRange;
  totals: Counts;
  series: SeriesPoint[];
  topCredentials: CredentialUsage[];
  topTools: ToolUsage[];
  /** Credentials and tools with errors, most first. */
  errors: (CredentialUsage & { tool: string })[];
  /** Tools by p95 duration, slowest first. */
  slowestTools: ToolUsage[];
}

const errorsOf = (c: Counts) => c.refused + c.badArguments + c.failed;
const zero = (): Counts => ({ calls: 0, refused: 0, badArguments: 0, failed: 0 });
function add(into: Counts, from: Counts): void {
  into.calls += from.calls;
  into.refused += from.refused;
  into.badArguments += from.badArguments;
  into.failed += from.failed;
}

function byTool(totals: GroupTotals[], histograms: Map<string, number[]>): ToolUsage[] {
  const tools = new Map<string, ToolUsage & { durationMsSum: number }>();
  for (const t of totals) {
    let tool = tools.get(t.tool);
    if (!tool) {
      const h = histograms.get(t.tool) ?? [];
      tool = {
        tool: t.tool,
        ...zero(),
        durationMsSum: 0,
        p50Ms: histogramQuantile(h, 0.5),
        p95Ms: histogramQuantile(h, 0.95),
        avgMs: null,
        lastUsedAt: t.lastUsedAt,
      };
      tools.set(t.tool, tool);
    }
    add(tool, t);
    tool.durationMsSum += t.durationMsSum;
    if (t.lastUsedAt > tool.lastUsedAt) tool.lastUsedAt = t.lastUsedAt;
  }
  return [...tools.values()]
    .map(({ durationMsSum, ...tool }) => ({
      ...tool,
      avgMs: tool.calls > 0 ? Math.round((durationMsSum / tool.calls) * 100) / 100 : null,
    }))
    .sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
}

/** What people read for each credential: a key's name, an app's name and person, a user's e-mail. */
async function credentialLabels(db: Db, credentials: string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const grantIds = credentials.flatMap((c) => {
    const ref = parseCredentialId(c);
    return ref?.kind === 'grant' ? [ref.id] : [];
  });
  const [people, grants] = await Promise.all([
    actorLabels(
      db,
      credentials.filter((c) => parseCredentialId(c)?.kind !== 'grant'),
    ),
    grantIds.length
      ? db.oAuthGrant.findMany({
          where: { id: { in: grantIds } },
          select: { id: true, clientName: true, user: { select: { email: true } } },
        })
      : [],
  ]);
  for (const [ref, label] of people) labels.set(ref, label.label);
  for (const g of grants) labels.set(grantCredentialId(g.id), `${g.clientName} (${g.user.email})`);
  return labels;
}

async function businessNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const rows = ids.length
    ? await db.business.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
    : [];
  return new Map(rows.map((b) => [b.id, b.name]));
}

/** The business a key or grant acts for, once the actor may see its usage; 404 otherwise. */
async function credentialBusiness(
  db: Db,
  actor: Actor,
  kind: 'key' | 'grant',
  id: string,
): Promise<string> {
  if (kind === 'key') {
    const key = isUuid(id)
      ? await db.apiKey.findUnique({ where: { id }, select: { businessId: true } })
      : null;
    // Another business's key is "not found", as on every key page: no oracle.
    if (!key || !roleIn(actor, key.businessId)) throw notFound('API key not found');
    authorizeIn(actor, key.businessId, 'viewUsage');
    return key.businessId;
  }
  const grant = await db.oAuthGrant.findUnique({
    where: { id },
    select: { businessId: true, userId: true },
  });
  // Whoever connected an app sees what it did; merchants see their business's apps.
  const own = grant?.userId === actor.userId;
  if (!grant || (!own && !roleIn(actor, grant.businessId)))
    throw notFound('Connected app not found');
  if (!own) authorizeIn(actor, grant.businessId, 'viewUsage');
  return grant.businessId;
}

export async function credentialUsage(
  db: Db,
  actor: Actor,
  input: z.output<typeof credentialUsageInput>,
  now?: number,
): Promise<CredentialUsageView> {
  const businessId = await credentialBusiness(db, actor, input.kind, input.id);
  const credential = input.kind === 'key' ? keyCredentialId(input.id) : grantCredentialId(input.id);
  const filter: UsageFilter = { range: input.range, businessId, credential, now };
  const [totals, histograms, series] = await Promise.all([
    usageTotals(db, filter),
    usageHistograms(db, filter),
    usageSeries(db, filter),
  ]);
  const sum = zero();
  for (const t of totals) add(sum, t);
  return {
    range: input.range,
    credential,
    businessId,
    totals: sum,
    series,
    tools: byTool(totals, histograms),
  };
}

export async function usageOverview(
  db: Db,
  actor: Actor,
  input: z.output<typeof usageOverviewInput>,
  now?: number,
): Promise<UsageOverview> {
  if (input.businessId) authorizeIn(actor, input.businessId, 'viewUsage');
  else authorize(actor, 'viewAllUsage');
  const filter: UsageFilter = { range: input.range, businessId: input.businessId, now };
  const [totals, histograms, series] = await Promise.all([
    usageTotals(db, filter),
    usageHistograms(db, filter),
    usageSeries(db, filter),
  ]);
  const credentials = new Map<string, CredentialUsage>();
  for (const t of totals) {
    const key = `${t.businessId}\n${t.credential}`;
    let c = credentials.get(key);
    if (!c) {
      c = {
        credential: t.credential,
        label: t.credential,
        businessId: t.businessId,
        businessName: '',
        ...zero(),
        lastUsedAt: t.lastUsedAt,
      };
      credentials.set(key, c);
    }
    add(c, t);
    if (t.lastUsedAt > c.lastUsedAt) c.lastUsedAt = t.lastUsedAt;
  }
  const [labels, names] = await Promise.all([
    credentialLabels(db, [...new Set(totals.map((t) => t.credential))]),
    businessNames(db, [...new Set(totals.map((t) => t.businessId))]),
  ]);
  const named = <T extends { credential: string; businessId: string }>(c: T) => ({
    ...c,
    label: labels.get(c.credential) ?? c.credential,
    businessName: names.get(c.businessId) ?? c.businessId,
  });
  const sum = zero();
  for (const t of totals) add(sum, t);
  const tools = byTool(totals, histograms);
  return {
    range: input.range,
    totals: sum,
    series,
    topCredentials: [...credentials.values()]
      .sort((a, b) => b.calls - a.calls)
      .slice(0, 10)
      .map(named),
    topTools: tools.slice(0, 10),
    errors: totals
      .filter((t) => errorsOf(t) > 0)
      .sort((a, b) => errorsOf(b) - errorsOf(a))
      .slice(0, 10)
      .map((t) =>
        named({
          credential: t.credential,
          label: t.credential,
          businessId: t.businessId,
          businessName: '',
          tool: t.tool,
          calls: t.calls,
          refused: t.refused,
          badArguments: t.badArguments,
          failed: t.failed,
          lastUsedAt: t.lastUsedAt,
        }),
      ),
    slowestTools: [...tools]
      .filter((t) => t.p95Ms !== null)
      .sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0))
      .slice(0, 10),
  };
}
