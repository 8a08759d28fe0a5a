// What a signed-in person may do: in a business, by their role there (roleIn),
// and across businesses. The one table core's services enforce (authorizeIn,
// authorize) and `me` reports (capabilities.ts); a rule changes here or nowhere.
import { forbidden } from '../errors.ts';
import type { Role } from '../roles.ts';
import { roleIn, type Actor } from './actor.ts';

/** Any member of the business (operators included), or only its merchants (and operators). */
type Standing = 'member' | 'merchant';

/** Actions inside one business, and the standing each needs there. */
const BUSINESS_RULES = {
  viewSettings: 'member',
  /** List keys, create and manage those of a role one may create (creatableKeyRoles), preview a key's tools. */
  manageKeys: 'member',
  seeSessions: 'member',
  editSettings: 'merchant',
  /** List members, turn memberships on or off, sign members out everywhere. */
  manageMembers: 'merchant',
  /** List intents, approve and reject them. */
  decideIntents: 'merchant',
  viewAudit: 'merchant',
  endSessions: 'merchant',
  /** See and revoke the connected apps others gave for the business. */
  manageConnectedApps: 'merchant',
  /** Set calls per minute and daily caps: the business defaults, and per key or connected app. */
  setLimits: 'merchant',
  /** Tool call usage of the business's keys and connected apps (counts, errors, durations). */
  viewUsage: 'merchant',
  /** Diagnose a credential, session or app of the business (diagnose/*). */
  diagnose: 'merchant',
} as const satisfies Record<string, Standing>;
export type BusinessAction = keyof typeof BUSINESS_RULES;
export const BUSINESS_ACTIONS = Object.keys(BUSINESS_RULES) as BusinessAction[];

/**
 * Actions across businesses. seeSessions: the sessions list and sessionless
 * clients (each row still limited to one's businesses); previewCustomTools: a
 * tools preview for a made-up role, scopes and business count;
 * previewUserTools: a tools preview as any user.
 */
export const PLATFORM_ACTIONS = [
  'seeSessions',
  'previewCustomTools',
  'seeAllSessions',
  'viewAllAudit',
  'viewAllUsage',
  'viewAllConnectedApps',
  'previewUserTools',
  'signOutAnyone',
  'diagnoseAnything',
] as const;
export type PlatformAction = (typeof PLATFORM_ACTIONS)[number];

/** Who may take an action across businesses: any member, any merchant, or operators only. */
type Reach = 'memberAnywhere' | 'merchantAnywhere' | 'operator';

function reachOf(action: PlatformAction): Reach {
  if (action === 'seeSessions') return 'memberAnywhere';
  if (action === 'previewCustomTools') return 'merchantAnywhere';
  return 'operator';
}

function hasStanding(role: Role, standing: Standing): boolean {
  return standing === 'member' || role === 'merchant' || role === 'platform_operator';
}

/** Whether a person of `role` in a business may take `action` there. */
export function roleMay(role: Role | null, action: BusinessAction): boolean {
  return role !== null && hasStanding(role, BUSINESS_RULES[action]);
}

export function mayIn(actor: Actor, businessId: string, action: BusinessAction): boolean {
  return roleMay(roleIn(actor, businessId), action);
}

/** The actor's role in the business when they may take `action` there; 403 otherwise. */
export function authorizeIn(actor: Actor, businessId: string, action: BusinessAction): Role {
  const role = roleIn(actor, businessId);
  if (!role) throw forbidden('You are not a member of this business');
  if (!roleMay(role, action)) throw forbidden('Only a merchant of this business can do this');
  return role;
}

export function may(actor: Actor, action: PlatformAction): boolean {
  if (actor.isPlatformOperator) return true;
  switch (reachOf(action)) {
    case 'operator':
      return false;
    case 'merchantAnywhere':
      return actor.memberships.some((m) => hasStanding(m.role, 'merchant'));
    case 'memberAnywhere':
      return actor.memberships.length > 0;
  }
}

const REFUSALS: Record<Reach, string> = {
  operator: 'Only platform operators can do this',
  merchantAnywhere: 'Only merchants and platform operators can do this',
  memberAnywhere: 'You are not a member of any business',
};

export function authorize(actor: Actor, action: PlatformAction): void {
  if (!may(actor, action)) throw forbidden(REFUSALS[reachOf(action)]);
}
