// A business's settings as the console reads and edits them: its time zone
// (what a date means in every tool) and whether sales may go beyond stock.
// Members read them; merchants (and operators) change them, audited.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { authorizeIn } from '../access/permissions.ts';
import type { AuditLog } from '../audit.ts';
import { parse } from '../validation.ts';
import { businessSettings } from './businesses.ts';
import { isValidTimeZone } from './date-range.ts';

export const updateBusinessSettingsInput = z.object({
  businessId: z.uuid(),
  timeZone: z
    .string()
    .max(64)
    .refine(isValidTimeZone, 'timeZone must be an IANA time zone, e.g. America/New_York')
    .optional(),
  allowBackorders: z.boolean().optional(),
});

export async function getBusinessSettings(db: Db, actor: Actor, businessId: string) {
  authorizeIn(actor, businessId, 'viewSettings');
  return { businessId, ...(await businessSettings(db, businessId)) };
}

export async function updateBusinessSettings(
  deps: { db: Db; audit: AuditLog },
  actor: Actor,
  raw: unknown,
) {
  const input = parse(updateBusinessSettingsInput, raw);
  authorizeIn(actor, input.businessId, 'editSettings');
  const before = await businessSettings(deps.db, input.businessId);
  const change = {
    ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
    ...(input.allowBackorders !== undefined ? { allowBackorders: input.allowBackorders } : {}),
  };
  await deps.db.business.update({ where: { id: input.businessId }, data: change });
  deps.audit.record({
    businessId: input.businessId,
    action: 'business.settings_changed',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { from: before, to: change },
  });
  return getBusinessSettings(deps.db, actor, input.businessId);
}

/** Every IANA time zone this runtime knows, for the console's picker. */
export function timeZoneNames(): string[] {
  return Intl.supportedValuesOf('timeZone');
}
