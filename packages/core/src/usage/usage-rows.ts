// Usage aggregates as the rows the database keeps: one per (business,
// credential, tool, period, bucket start), for the hour and for its UTC day,
// written alongside so the day rows need no roll-up job. Rows with the same
// key are merged before a write (one statement may not update a row twice),
// made storable (storable.ts) and sorted (instances upserting the same rows
// take their locks in the same order: no deadlock).
import { isUuid, storableText } from '../storable.ts';
import { DAY_MS, type UsageAggregate } from './usage-counter.ts';
import { mergeHistogram } from './usage-histogram.ts';

export type UsagePeriod = 'hour' | 'day';

export interface UsageRow extends UsageAggregate {
  period: UsagePeriod;
}

/** Longest tool name or credential kept (a registry name is far shorter). */
const MAX_TEXT = 200;

const rowKey = (r: UsageRow) =>
  `${r.period}\n${r.bucketStart}\n${r.businessId}\n${r.credential}\n${r.tool}`;

function addInto(into: UsageRow, from: UsageAggregate): void {
  into.calls += from.calls;
  into.refused += from.refused;
  into.badArguments += from.badArguments;
  into.failed += from.failed;
  into.durationMsSum += from.durationMsSum;
  mergeHistogram(into.histogram, from.histogram);
  if (from.lastUsedAt > into.lastUsedAt) into.lastUsedAt = from.lastUsedAt;
}

/** Rows merged by key (copies: the inputs are not changed). */
export function mergeRows(rows: readonly UsageRow[]): UsageRow[] {
  const merged = new Map<string, UsageRow>();
  for (const row of rows) {
    const key = rowKey(row);
    const existing = merged.get(key);
    if (existing) addInto(existing, row);
    else merged.set(key, { ...row, histogram: [...row.histogram] });
  }
  return [...merged.values()].sort((a, b) => {
    const ka = rowKey(a);
    const kb = rowKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** Whether a row can be written at all: its business id must be a UUID (the column's type). */
export function isWritableRow(row: Pick<UsageRow, 'businessId'>): boolean {
  return isUuid(row.businessId);
}

/** Hour aggregates as hour rows and day rows, storable, merged and sorted. */
export function usageRows(aggregates: readonly UsageAggregate[]): UsageRow[] {
  const rows: UsageRow[] = [];
  for (const a of aggregates) {
    const clean = {
      ...a,
      credential: storableText(a.credential.slice(0, MAX_TEXT)),
      tool: storableText(a.tool.slice(0, MAX_TEXT)),
    };
    rows.push({ ...clean, period: 'hour' });
    rows.push({ ...clean, period: 'day', bucketStart: a.bucketStart - (a.bucketStart % DAY_MS) });
  }
  return mergeRows(rows);
}
