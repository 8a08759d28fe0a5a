// The audit page's download: the filtered trail as CSV or JSON Lines, read from
// the database in keyset-paginated chunks and yielded as text, so a million
// rows stream without being held at once. The consumer pulls (a Node Readable
// built with Readable.from honours the socket's backpressure), and stopping the
// iteration stops the queries.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from './access/actor.ts';
import { auditFilterShape, auditTimeZone, auditWhere, authorizeAudit } from './audit-filters.ts';
import type { AuditFilters } from './audit-filters.ts';
import { csvHeader, csvLine, jsonLine, type AuditExportFormat } from './audit-export-format.ts';
import { storableText } from './storable.ts';
import { auditEventViews, olderThan } from './audit-query.ts';
import { parse } from './validation.ts';

export const auditExportInput = z.object({
  ...auditFilterShape,
  format: z.enum(['csv', 'jsonl']).default('csv'),
});
export type AuditExportInput = z.infer<typeof auditExportInput>;

/** Rows per query: large enough to amortise a round trip, small enough to bound memory. */
export const AUDIT_EXPORT_CHUNK = 1000;

export interface AuditExport {
  filename: string;
  businessId: string | null;
  contentType: string;
  /** Text chunks (one per database chunk); returning early stops reading. */
  chunks: AsyncGenerator<string, void, undefined>;
}

/** Checks like the audit page, then prepares the stream (no row is read before the first pull). */
export async function exportAuditEvents(
  db: Db,
  actor: Actor,
  raw: unknown,
  options: { chunkSize?: number } = {},
): Promise<AuditExport> {
  const input = parse(auditExportInput, raw);
  authorizeAudit(actor, input.businessId);
  const timeZone = await auditTimeZone(db, input.businessId);
  const where = await auditWhere(db, input, timeZone);
  const chunkSize = options.chunkSize ?? AUDIT_EXPORT_CHUNK;
  return {
    filename: await exportFilename(db, input),
    businessId: input.businessId ?? null,
    contentType:
      input.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8',
    chunks: rowsAsText(db, where, input.format, chunkSize),
  };
}

async function* rowsAsText(
  db: Db,
  where: Awaited<ReturnType<typeof auditWhere>>,
  format: AuditExportFormat,
  chunkSize: number,
): AsyncGenerator<string, void, undefined> {
  if (format === 'csv') yield csvHeader();
  const line = format === 'csv' ? csvLine : jsonLine;
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: after ? { AND: [where, olderThan(after)] } : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: chunkSize,
    });
    if (rows.length === 0) return;
    const views = await auditEventViews(db, rows);
    yield views.map(line).join('');
    if (rows.length < chunkSize) return;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/** `audit-<business>-<from>-to-<to>.csv`: which trail and which range, in the name itself. */
async function exportFilename(db: Db, input: AuditFilters & { format: string }): Promise<string> {
  const business = input.businessId
    ? await db.business.findUnique({ where: { id: input.businessId }, select: { name: true } })
    : null;
  const slug = (text: string) =>
    storableText(text)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40);
  const who = business ? slug(business.name) || 'business' : 'all-businesses';
  const day = (value: string | undefined) => (value ? slug(value) : undefined);
  const range = `${day(input.from) ?? 'start'}-to-${day(input.to) ?? new Date().toISOString().slice(0, 10)}`;
  return `audit-${who}-${range}.${input.format}`;
}
