// Businesses as operators see them.
import type { Db } from '@flowpos/db';
import { notFound } from '../errors.ts';
import { activeKeyWhere } from '../keys/key-status.ts';

export async function listBusinesses(
  db: Db,
  liveSessions: ReadonlyMap<string, number>,
  now = new Date(),
) {
  const rows = await db.business.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      createdAt: true,
      _count: {
        select: {
          members: { where: { isActive: true } },
          // A key counts while it works (keyStatus 'active').
          apiKeys: { where: activeKeyWhere(now) },
        },
      },
    },
  });
  return rows.map((b) => ({
    id: b.id,
    name: b.name,
    activeMembers: b._count.members,
    activeKeys: b._count.apiKeys,
    liveSessions: liveSessions.get(b.id) ?? 0,
  }));
}

/** What the POS rules need to know of a business: its zone, currency, backorders. */
export async function businessSettings(db: Db, businessId: string) {
  const business = await db.business.findUnique({
    where: { id: businessId },
    select: { timeZone: true, currency: true, allowBackorders: true },
  });
  if (!business) throw notFound('Business not found');
  return business;
}
