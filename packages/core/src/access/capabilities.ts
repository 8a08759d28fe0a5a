// What the signed-in person may do, as the console asks for it (`me`): per
// business their role and every business action, and the actions that span
// businesses. Computed from the table core enforces (permissions.ts), so a
// page shows a button exactly when the server would accept the request.
import type { Db } from '@flowpos/db';
import type { Role } from '../roles.ts';
import type { Actor } from './actor.ts';
import { businessesForActor, type ActorBusiness } from './businesses-for-actor.ts';
import {
  BUSINESS_ACTIONS,
  PLATFORM_ACTIONS,
  may,
  roleMay,
  type BusinessAction,
  type PlatformAction,
} from './permissions.ts';

export interface BusinessCapabilities {
  businessId: string;
  businessName: string;
  role: Role;
  can: Record<BusinessAction, boolean>;
}

export interface Capabilities {
  /** Actions across businesses. */
  can: Record<PlatformAction, boolean>;
  /** Every business the person can act for (all of them for operators), by name. */
  businesses: BusinessCapabilities[];
}

function allowed<A extends string>(actions: readonly A[], allows: (a: A) => boolean) {
  return Object.fromEntries(actions.map((a) => [a, allows(a)])) as Record<A, boolean>;
}

/** The capabilities of an actor in the given businesses (those businessesForActor returns). */
export function capabilitiesOf(actor: Actor, businesses: readonly ActorBusiness[]): Capabilities {
  return {
    can: allowed(PLATFORM_ACTIONS, (action) => may(actor, action)),
    businesses: businesses.map((b) => ({
      businessId: b.id,
      businessName: b.name,
      role: b.role,
      can: allowed(BUSINESS_ACTIONS, (action) => roleMay(b.role, action)),
    })),
  };
}

export async function capabilitiesFor(db: Db, actor: Actor): Promise<Capabilities> {
  return capabilitiesOf(actor, await businessesForActor(db, actor));
}
