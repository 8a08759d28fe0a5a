// Audit rows as CSV or JSON Lines, safe to open anywhere: spreadsheet formulas
// are defused (OWASP CSV injection), cells are quoted per RFC 4180, and text
// that cannot be encoded (NUL, lone surrogates) becomes U+FFFD instead of
// breaking a parser or a terminal downstream.
import type { AuditEventView } from './audit-query.ts';
import { storableText as safeText } from './storable.ts';

export type AuditExportFormat = 'csv' | 'jsonl';

export const AUDIT_CSV_COLUMNS = [
  'time',
  'action',
  'outcome',
  'actor_kind',
  'actor_id',
  'actor',
  'business_id',
  'details',
  'id',
] as const;

// A spreadsheet runs a cell starting with one of these as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | null): string {
  if (value === null) return '';
  let text = safeText(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(e: AuditEventView): string {
  const cells = [
    e.createdAt.toISOString(),
    e.action,
    e.outcome,
    e.actorKind,
    e.actorId,
    e.actor?.label ?? null,
    e.businessId,
    JSON.stringify(e.details),
    e.id,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function jsonLine(e: AuditEventView): string {
  const row = {
    time: e.createdAt.toISOString(),
    action: e.action,
    outcome: e.outcome,
    actorKind: e.actorKind,
    actorId: e.actorId,
    actor: e.actor?.label ?? null,
    businessId: e.businessId,
    details: e.details,
    id: e.id,
  };
  // JSON.stringify escapes NUL and lone surrogates itself; the replacer keeps
  // the decoded values clean too, for readers that reject them.
  return `${JSON.stringify(row, (_k, v: unknown) => (typeof v === 'string' ? safeText(v) : v))}\n`;
}
