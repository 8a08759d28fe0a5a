// Expired authorization-server records (codes, tokens, sessions, interactions,
// registered clients nobody consented to in time) and consent requests are
// deleted now and then: this only keeps the tables small. A record is kept for
// a grace period after it expires, so that the provider, which judges expiry
// itself on every read, can still answer "authorization code is expired"
// instead of "not found" to a late client. Every instance sweeps; the deletes
// are idempotent.
import type { Db } from '@flowpos/db';

/** How long an expired record stays readable (for the provider's "expired" answer). */
export const EXPIRED_RECORD_GRACE_MS = 60 * 60_000;

export async function sweepExpiredOAuthRecords(db: Db, now = new Date()): Promise<number> {
  const records = await db.oAuthRecord.deleteMany({
    where: {
      OR: [
        { expiresAt: { lt: new Date(now.getTime() - EXPIRED_RECORD_GRACE_MS) } },
        // An unused registered client has no late caller to tell: it goes at once.
        { kind: 'Client', expiresAt: { lt: now } },
      ],
    },
  });
  const consents = await db.oAuthConsent.deleteMany({ where: { expiresAt: { lt: now } } });
  return records.count + consents.count;
}

export function startOAuthRecordSweeper(db: Db, everyMs = 10 * 60_000): () => void {
  const timer = setInterval(
    () => void sweepExpiredOAuthRecords(db).catch(() => undefined),
    everyMs,
  );
  timer.unref();
  return () => clearInterval(timer);
}
