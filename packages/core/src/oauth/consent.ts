// The consent step of an OAuth authorization: what the console shows the
// signed-in person (client, redirect host, scopes asked, the businesses they
// may act for) and their decision. The decision is finished by the same
// browser that started the request: it comes back to the backend with a
// one-time ticket only this person's console session received, so a flow
// started by someone else cannot be consented to by a phished victim.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '@flowpos/db';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { businessesForActor } from '../access/businesses-for-actor.ts';
import type { AuditLog } from '../audit.ts';
import { badRequest, forbidden, notFound } from '../errors.ts';
import { SCOPE_DESCRIPTIONS, isScope, type Role, type Scope } from '../roles.ts';
import { POS_TOOLS } from '../tools/pos-tools.ts';
import {
  MAX_POLICY_TOOLS,
  toolPolicyColumns,
  toolPolicyOf,
  describePolicy,
  type ToolPolicy,
} from '../tools/tool-policy.ts';
import { knownToolPolicy } from '../tools/tool-policy-rules.ts';
import { hiddenReason } from '../tools/tool-registry.ts';
import { consentableScopes } from './grant-principal.ts';

/** A tool the app would get in a business: the person may untick it (the grant's tool policy). */
export interface ConsentTool {
  name: string;
  title: string;
  readOnly: boolean;
  /** The scope it needs: unticking that scope takes the tool away too. */
  scope: Scope | null;
}

export interface ConsentBusiness {
  id: string;
  name: string;
  role: Role;
  /** The requested scopes this person's role here allows. */
  allowedScopes: Scope[];
  /** The tools those scopes give here (before any is unticked). */
  tools: ConsentTool[];
}

export interface ConsentView {
  uid: string;
  clientId: string;
  clientName: string;
  /** False when the name is only what the client declared about itself. */
  clientVerified: boolean;
  redirectHost: string;
  requestedScopes: { scope: string; description: string }[];
  businesses: ConsentBusiness[];
}

export const consentUidInput = z.object({ uid: z.string().min(1).max(200) });
export const consentDecisionInput = z.object({
  uid: z.string().min(1).max(200),
  allow: z.boolean(),
  businessId: z.uuid().optional(),
  scopes: z.array(z.string().max(100)).max(20).optional(),
  /** The tools left ticked; absent: every tool the scopes give (tool policy `all`). */
  tools: z.array(z.string().max(64)).max(MAX_POLICY_TOOLS).optional(),
});
export type ConsentDecisionInput = z.infer<typeof consentDecisionInput>;

const hashTicket = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

async function pendingConsent(db: Db, uid: string) {
  const row = await db.oAuthConsent.findUnique({ where: { uid } });
  if (!row || row.expiresAt.getTime() <= Date.now() || row.decidedAt) {
    throw notFound('This authorization request has expired or was already answered');
  }
  return row;
}

/** The tools a grant with these rights would show (the rule tools/list applies). */
function consentTools(role: Role, scopes: Scope[], businessId: string): ConsentTool[] {
  const principal = { role, scopes, authorizedBusinessIds: [businessId] };
  return POS_TOOLS.filter((t) => hiddenReason(t, principal) === null).map((t) => ({
    name: t.name,
    title: t.title,
    readOnly: t.readOnly,
    scope: t.group === 'intent' ? 'pos:intents' : t.scope,
  }));
}

async function businessesFor(db: Db, actor: Actor, requested: string[]) {
  const businesses = await businessesForActor(db, actor);
  return businesses.map((b) => {
    const allowedScopes = consentableScopes(b.role, requested);
    return { ...b, allowedScopes, tools: consentTools(b.role, allowedScopes, b.id) };
  });
}

/** The ticked tools as the grant's policy; none ticked is refused (deny instead). */
function consentPolicy(tools: string[] | undefined): ToolPolicy {
  if (tools === undefined) return { kind: 'all' };
  if (tools.length === 0) {
    throw badRequest('Leave at least one tool ticked, or deny access to this app');
  }
  return knownToolPolicy({ kind: 'tools', tools });
}

export async function getConsentRequest(db: Db, actor: Actor, uid: string): Promise<ConsentView> {
  const row = await pendingConsent(db, uid);
  return {
    uid: row.uid,
    clientId: row.clientId,
    clientName: row.clientName,
    clientVerified: row.clientVerified,
    redirectHost: new URL(row.redirectUri).host,
    requestedScopes: row.scopes.map((scope) => ({
      scope,
      description: isScope(scope) ? SCOPE_DESCRIPTIONS[scope] : scope,
    })),
    businesses: await businessesFor(db, actor, row.scopes),
  };
}

/** Records the decision and returns the ticket the browser takes back to the backend. */
export async function decideConsent(
  deps: { db: Db; audit: AuditLog },
  actor: Actor,
  input: ConsentDecisionInput,
): Promise<{ ticket: string }> {
  const row = await pendingConsent(deps.db, input.uid);
  let businessId: string | null = null;
  let scopes: Scope[] = [];
  let policy: ToolPolicy = { kind: 'all' };
  if (input.allow) {
    const businesses = await businessesFor(deps.db, actor, row.scopes);
    const chosen =
      businesses.find((b) => b.id === input.businessId) ??
      (input.businessId === undefined && businesses.length === 1 ? businesses[0] : undefined);
    if (!chosen) {
      if (input.businessId === undefined) throw badRequest('Choose the business to act for');
      throw forbidden('You are not a member of this business');
    }
    const asked = input.scopes ?? chosen.allowedScopes;
    const beyond = asked.filter((s) => !(chosen.allowedScopes as string[]).includes(s));
    if (beyond.length) throw forbidden(`Your role cannot grant: ${beyond.join(', ')}`);
    scopes = asked.filter(isScope);
    if (scopes.length === 0) throw badRequest('Allow at least one scope');
    policy = consentPolicy(input.tools);
    businessId = chosen.id;
  }
  const ticket = randomBytes(32).toString('base64url');
  const { count } = await deps.db.oAuthConsent.updateMany({
    where: { uid: row.uid, decidedAt: null },
    data: {
      userId: actor.userId,
      businessId,
      grantedScopes: scopes,
      ...toolPolicyColumns(policy),
      denied: !input.allow,
      ticketHash: hashTicket(ticket),
      decidedAt: new Date(),
    },
  });
  if (count === 0) throw notFound('This authorization request has expired or was already answered');
  deps.audit.record({
    businessId,
    action: input.allow ? 'oauth.consented' : 'oauth.denied',
    outcome: input.allow ? 'success' : 'denied',
    actorKind: 'user',
    actorId: actor.userId,
    details: {
      clientId: row.clientId,
      clientName: row.clientName,
      scopes,
      ...(input.allow && { toolPolicy: describePolicy(policy) }),
    },
  });
  return { ticket };
}

export interface ConsentDecision {
  uid: string;
  clientId: string;
  clientName: string;
  userId: string;
  businessId: string | null;
  scopes: string[];
  /** The grant's tool policy, as the person chose it. */
  toolPolicy: ToolPolicy;
  denied: boolean;
}

/** The decision for this ticket, once: the ticket is spent by reading it. */
export async function takeConsentDecision(
  db: Db,
  uid: string,
  ticket: string,
): Promise<ConsentDecision | null> {
  const { count } = await db.oAuthConsent.updateMany({
    where: { uid, ticketHash: hashTicket(ticket), expiresAt: { gt: new Date() } },
    data: { ticketHash: null },
  });
  if (count === 0) return null;
  const row = await db.oAuthConsent.findUnique({ where: { uid } });
  if (!row?.userId) return null;
  return {
    uid: row.uid,
    clientId: row.clientId,
    clientName: row.clientName,
    userId: row.userId,
    businessId: row.businessId,
    scopes: row.grantedScopes,
    toolPolicy: toolPolicyOf(row),
    denied: row.denied,
  };
}

/** The backend route the consenting browser returns to (it finishes the authorization). */
export const CONSENT_PATH = '/oauth-consent';

export function consentFinishUrl(issuer: string, uid: string, ticket: string): string {
  return `${issuer}${CONSENT_PATH}/${encodeURIComponent(uid)}/finish?ticket=${encodeURIComponent(ticket)}`;
}
