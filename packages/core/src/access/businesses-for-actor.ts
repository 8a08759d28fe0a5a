// The businesses an actor can act for in the console: their active
// memberships, or every business for a platform operator.
import type { Db } from '@flowpos/db';
import type { Actor } from './actor.ts';
import type { Role } from '../roles.ts';

export interface ActorBusiness {
  id: string;
  name: string;
  role: Role;
}

export async function businessesForActor(db: Db, actor: Actor): Promise<ActorBusiness[]> {
  if (actor.isPlatformOperator) {
    const rows = await db.business.findMany({
      select: { id: true, name: true },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    return rows.map((b) => ({ id: b.id, name: b.name, role: 'platform_operator' as const }));
  }
  return actor.memberships.map((m) => ({ id: m.businessId, name: m.businessName, role: m.role }));
}
