// Expired authorization-server records (codes, tokens, sessions, interactions,
// registered clients nobody consented to in time) and consent requests are
// deleted now and then: the provider ignores them on read, this only keeps
// the tables small. Every instance sweeps; the deletes are idempotent.
import type { Db } from '@flowpos/db';

export async function sweepExpiredOAuthRecords(db: Db, now = new Date()): Promise<number> {
  const records = await db.oAuthRecord.deleteMany({ where: { expiresAt: { lt: now } } });
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
