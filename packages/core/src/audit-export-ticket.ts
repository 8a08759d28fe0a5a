// A browser cannot put a Firebase ID token on a download link, and fetching the
// file into a Blob would hold every row in the tab. So the signed-in console
// asks for a ticket (Authorization header, the same check as the audit page),
// and the browser downloads `?ticket=` directly: an HMAC over the user, their
// sign-out generation and the filters, good for a minute and for one download
// (spent-tickets.ts). On download the user is loaded afresh and checked
// again, so a membership lost in between counts.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import { loadActorByUserId, type Actor } from './access/actor.ts';
import { authorizeAudit } from './audit-filters.ts';
import { auditExportInput, type AuditExportInput } from './audit-export.ts';
import { unauthorized } from './errors.ts';
import type { SpentTickets } from './spent-tickets.ts';
import { parse } from './validation.ts';

export const AUDIT_TICKET_SECONDS = 60;
const KEY_LABEL = new TextEncoder().encode('flowpos audit export ticket v1');

export function auditTicketKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), KEY_LABEL, 32));
}

const payloadShape = z.object({
  u: z.uuid(),
  g: z.number().int(),
  e: z.number().int(),
  q: auditExportInput,
});

const sign = (key: Uint8Array, body: string) =>
  createHmac('sha256', key).update(body).digest('base64url');

/** A ticket for this export, after the same check the download repeats. */
export function issueAuditTicket(
  key: Uint8Array,
  actor: Actor,
  raw: unknown,
  now = Date.now(),
): { ticket: string; expiresInSeconds: number } {
  const q = parse(auditExportInput, raw);
  authorizeAudit(actor, q.businessId);
  const body = Buffer.from(
    JSON.stringify({
      u: actor.userId,
      g: actor.tokenGeneration,
      e: now + AUDIT_TICKET_SECONDS * 1000,
      q,
    }),
  ).toString('base64url');
  return { ticket: `${body}.${sign(key, body)}`, expiresInSeconds: AUDIT_TICKET_SECONDS };
}

/**
 * The actor (loaded now) and the export the ticket names; 401 for a bad, old,
 * already used or signed-out ticket. Should the spent-ticket store not
 * answer, the download goes on: the ticket still ends within its minute.
 */
export async function redeemAuditTicket(
  db: Db,
  key: Uint8Array,
  ticket: string,
  spent: SpentTickets,
  now = Date.now(),
): Promise<{ actor: Actor; input: AuditExportInput }> {
  const refused = unauthorized('This download link is not valid any more: export again');
  const [body, mac] = ticket.split('.');
  if (!body || !mac || ticket.length > 4000) throw refused;
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refused;
  let payload: z.infer<typeof payloadShape>;
  try {
    payload = payloadShape.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw refused;
  }
  if (payload.e < now) throw refused;
  // The MAC names the ticket: one per user, generation, filters and expiry.
  const first = await spent.spend(mac, payload.e - now + 1_000).catch(() => true);
  if (!first) throw unauthorized('This download link was used already: export again');
  const actor = await loadActorByUserId(db, payload.u);
  // "Sign out everywhere" after the ticket was issued ends it too.
  if (actor.tokenGeneration !== payload.g) throw refused;
  return { actor, input: payload.q };
}
