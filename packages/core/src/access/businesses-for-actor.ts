// The businesses an actor can act for in the console: their active
// memberships, or every business for a platform operator; each with the
// actor's role there (roleIn).
import type { Db } from '@flowpos/db';
import { roleIn, type Actor } from './actor.ts';
import type { Role } from '../roles.ts';

export interface ActorBusiness {
  id: string;
  name: string;
  role: Role;
}

/** By business name. */
export async function businessesForActor(db: Db, actor: Actor): Promise<ActorBusiness[]> {
  const candidates = actor.isPlatformOperator
    ? await db.business.findMany({
        select: { id: true, name: true },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      })
    : actor.memberships.map((m) => ({ id: m.businessId, name: m.businessName }));
  return candidates.flatMap((b) => {
    const role = roleIn(actor, b.id);
    return role ? [{ ...b, role }] : [];
  });
}
