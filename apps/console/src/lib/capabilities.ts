'use client';
// What the signed-in person may do, as the server says (`me.capabilities`,
// computed by core from the rules it enforces). Pages ask here instead of
// comparing roles, so a button shows exactly when the request would succeed.
import { useBusiness, type Me } from './business';

type BusinessCapabilities = Me['capabilities']['businesses'][number];
export type BusinessAction = keyof BusinessCapabilities['can'];
export type PlatformAction = keyof Me['capabilities']['can'];

export interface CapabilityCheck {
  /** The person's role in the business (null: not one they can act for). */
  role: BusinessCapabilities['role'] | null;
  /** May they take this action in the business? */
  can(action: BusinessAction): boolean;
  /** May they take this action in another business (e.g. a row's)? */
  canIn(businessId: string, action: BusinessAction): boolean;
  /** May they take this action across businesses? */
  canAnywhere(action: PlatformAction): boolean;
}

export function capabilityCheck(me: Me, businessId: string | null | undefined): CapabilityCheck {
  const find = (id: string | null | undefined) =>
    me.capabilities.businesses.find((b) => b.businessId === id);
  const here = find(businessId);
  return {
    role: here?.role ?? null,
    can: (action) => here?.can[action] ?? false,
    canIn: (id, action) => find(id)?.can[action] ?? false,
    canAnywhere: (action) => me.capabilities.can[action],
  };
}

/** Capabilities in `businessId`, or in the business the console is working on. */
export function useCapabilities(businessId?: string): CapabilityCheck {
  const { me, business } = useBusiness();
  return capabilityCheck(me, businessId ?? business?.id);
}
