// The console's side of per-credential limits: a business's defaults and a
// key's or connected app's overrides, with today's use of each daily cap.
// Anyone who may manage a key (or see a connected app) reads them; only a
// merchant of the business changes them (setLimits), audited, and every
// instance drops its cached limits at once (limits.changed).
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { roleIn } from '../access/actor.ts';
import { authorizeIn } from '../access/permissions.ts';
import type { AuditLog } from '../audit.ts';
import { grantCredentialId, keyCredentialId } from '../credential-ids.ts';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { businessLinks } from '../keys/key-views.ts';
import { manageableKey } from '../keys/manageable-key.ts';
import { familyOf } from '../keys/key-family.ts';
import { parse } from '../validation.ts';
import type { DailyUsage, IntentCaps } from './intent-caps.ts';
import {
  effectiveLimits,
  LIMIT_SELECT,
  limitValuesInput,
  pickLimits,
  type LimitValues,
} from './limit-values.ts';

export interface LimitsDeps {
  db: Db;
  audit: AuditLog;
  events: EventBus;
  /** Absent when limits are switched off: no use to show. */
  caps?: IntentCaps | undefined;
}

export interface CredentialLimitsView {
  businessId: string;
  own: LimitValues;
  defaults: LimitValues;
  effective: LimitValues;
  /** Today's use of each daily cap; null when limits are off or the counters are unreachable. */
  usage: DailyUsage | null;
  /** Whether the actor may change them. */
  canEdit: boolean;
}

export const businessLimitsInput = limitValuesInput.extend({ businessId: z.uuid() });
export const keyLimitsInput = limitValuesInput.extend({ keyId: z.uuid() });
export const grantLimitsInput = limitValuesInput.extend({ grantId: z.string().min(1).max(200) });

async function businessDefaults(db: Db, businessId: string): Promise<LimitValues> {
  const row = await db.business.findUnique({ where: { id: businessId }, select: LIMIT_SELECT });
  if (!row) throw notFound('Business not found');
  return pickLimits(row);
}

async function view(
  deps: Pick<LimitsDeps, 'db' | 'caps'>,
  actor: Actor,
  credential: string,
  businessId: string,
  own: LimitValues,
): Promise<CredentialLimitsView> {
  const defaults = await businessDefaults(deps.db, businessId);
  const usage = deps.caps ? await deps.caps.usage(credential, businessId).catch(() => null) : null;
  const role = roleIn(actor, businessId);
  const canEdit = role === 'merchant' || role === 'platform_operator';
  return { businessId, own, defaults, effective: effectiveLimits(own, defaults), usage, canEdit };
}

export async function getBusinessLimits(db: Db, actor: Actor, businessId: string) {
  authorizeIn(actor, businessId, 'viewSettings');
  return { businessId, defaults: await businessDefaults(db, businessId) };
}

export async function setBusinessLimits(deps: LimitsDeps, actor: Actor, raw: unknown) {
  const { businessId, ...limits } = parse(businessLimitsInput, raw);
  authorizeIn(actor, businessId, 'setLimits');
  const before = await businessDefaults(deps.db, businessId);
  await deps.db.business.update({ where: { id: businessId }, data: limits });
  await changed(deps, actor, businessId, { target: 'business', from: before, to: limits });
  return getBusinessLimits(deps.db, actor, businessId);
}

export async function getKeyLimits(
  deps: Pick<LimitsDeps, 'db' | 'caps'>,
  actor: Actor,
  keyId: string,
) {
  const { row } = await manageableKey(deps.db, actor, keyId);
  return view(deps, actor, keyCredentialId(row.id), row.businessId, pickLimits(row));
}

export async function setKeyLimits(deps: LimitsDeps, actor: Actor, raw: unknown) {
  const { keyId, ...limits } = parse(keyLimitsInput, raw);
  const { row } = await manageableKey(deps.db, actor, keyId);
  authorizeIn(actor, row.businessId, 'setLimits');
  // The limits are the key's: its older secrets still in their overlap follow.
  const ids = familyOf(await businessLinks(deps.db, row.businessId), row.id);
  await deps.db.apiKey.updateMany({ where: { id: { in: ids } }, data: limits });
  const details = {
    target: 'api_key',
    keyId: row.id,
    prefix: row.prefix,
    from: pickLimits(row),
    to: limits,
  };
  await changed(deps, actor, row.businessId, details);
  return getKeyLimits(deps, actor, row.id);
}

/** A live grant the actor may see: their own, or one of a business where they manage connected apps. */
async function visibleGrant(db: Db, actor: Actor, grantId: string) {
  const grant = await db.oAuthGrant.findUnique({ where: { id: grantId } });
  if (!grant || grant.revokedAt) throw notFound('Connected app not found');
  const role = roleIn(actor, grant.businessId);
  const merchant = role === 'merchant' || role === 'platform_operator';
  if (grant.userId !== actor.userId && !merchant) throw notFound('Connected app not found');
  return grant;
}

export async function getGrantLimits(
  deps: Pick<LimitsDeps, 'db' | 'caps'>,
  actor: Actor,
  grantId: string,
) {
  const grant = await visibleGrant(deps.db, actor, grantId);
  return view(deps, actor, grantCredentialId(grant.id), grant.businessId, pickLimits(grant));
}

export async function setGrantLimits(deps: LimitsDeps, actor: Actor, raw: unknown) {
  const { grantId, ...limits } = parse(grantLimitsInput, raw);
  const grant = await visibleGrant(deps.db, actor, grantId);
  authorizeIn(actor, grant.businessId, 'setLimits');
  await deps.db.oAuthGrant.update({ where: { id: grant.id }, data: limits });
  const details = { target: 'oauth_grant', grantId: grant.id, from: pickLimits(grant), to: limits };
  await changed(deps, actor, grant.businessId, details);
  return getGrantLimits(deps, actor, grant.id);
}

async function changed(
  deps: LimitsDeps,
  actor: Actor,
  businessId: string,
  details: Record<string, unknown>,
) {
  await deps.events.publish({ type: 'limits.changed', businessId });
  deps.audit.record({
    businessId,
    action: 'limits.changed',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details,
  });
}
