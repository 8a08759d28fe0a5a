// Merchants shape their business's team: invite someone by e-mail (the user
// is created, or the existing one linked, with an active membership; they sign
// in with Firebase under that address, linked when it is verified) and change
// a member's role. A business always keeps an active merchant: the last one
// cannot be demoted. The member's live sessions follow at once.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from './actor.ts';
import { authorizeIn } from './permissions.ts';
import {
  memberView,
  refreshUserSessions,
  type MembershipDeps,
  type MemberView,
} from './memberships.ts';
import { conflict, notFound } from '../errors.ts';

/** Roles a business gives its members (platform operators are a user flag, not a membership). */
export const MEMBER_ROLES = ['merchant', 'tenant_developer'] as const;
export const memberRoleSchema = z.enum(MEMBER_ROLES);

export const inviteMemberInput = z.object({
  businessId: z.uuid(),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'email: an e-mail address' }).max(254)),
  role: memberRoleSchema,
});
export type InviteMemberInput = z.input<typeof inviteMemberInput>;

export const changeMemberRoleInput = z.object({
  businessId: z.uuid(),
  userId: z.uuid(),
  role: memberRoleSchema,
});
export type ChangeMemberRoleInput = z.infer<typeof changeMemberRoleInput>;

/** Until the person first signs in, the user row holds a uid no Firebase account has. */
const pendingFirebaseUid = () => `invited:${randomUUID()}`;

export async function inviteMember(
  deps: MembershipDeps,
  actor: Actor,
  raw: InviteMemberInput,
): Promise<MemberView & { created: boolean }> {
  const input = inviteMemberInput.parse(raw);
  authorizeIn(actor, input.businessId, 'manageMembers');
  const existing = await deps.db.user.findUnique({ where: { email: input.email } });
  const user =
    existing ??
    (await deps.db.user.create({
      data: { email: input.email, firebaseUid: pendingFirebaseUid() },
    }));
  const key = { businessId_userId: { businessId: input.businessId, userId: user.id } };
  const membership = await deps.db.businessUser.findUnique({ where: key });
  if (membership?.isActive) throw conflict(`${input.email} is already a member of this business`);
  const row = membership
    ? await deps.db.businessUser.update({
        where: key,
        data: { isActive: true, role: input.role },
        include: { user: { select: { email: true, displayName: true } } },
      })
    : await deps.db.businessUser.create({
        data: { businessId: input.businessId, userId: user.id, role: input.role },
        include: { user: { select: { email: true, displayName: true } } },
      });
  await refreshUserSessions(deps, user.id);
  deps.audit.record({
    businessId: input.businessId,
    action: 'member.invited',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { userId: user.id, email: input.email, role: input.role, newUser: !existing },
  });
  return { ...memberView(row), created: !existing };
}

export async function changeMemberRole(
  deps: MembershipDeps,
  actor: Actor,
  input: ChangeMemberRoleInput,
): Promise<MemberView> {
  authorizeIn(actor, input.businessId, 'manageMembers');
  const key = { businessId_userId: { businessId: input.businessId, userId: input.userId } };
  const row = await deps.db.$transaction(async (tx) => {
    const existing = await tx.businessUser.findUnique({ where: key });
    if (!existing) throw notFound('Member not found in this business');
    if (existing.role === 'merchant' && input.role !== 'merchant' && existing.isActive) {
      // Locks the business's merchant rows: two demotions at once cannot both pass.
      const merchants = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM business_user
        WHERE business_id = ${input.businessId}::uuid AND role = 'merchant' AND is_active
        FOR UPDATE`;
      if (merchants.length <= 1) {
        throw conflict(
          'A business needs at least one merchant: make another member a merchant first',
        );
      }
    }
    return tx.businessUser.update({
      where: key,
      data: { role: input.role },
      include: { user: { select: { email: true, displayName: true } } },
    });
  });
  await refreshUserSessions(deps, input.userId);
  deps.audit.record({
    businessId: input.businessId,
    action: 'member.role_changed',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { userId: input.userId, email: row.user.email, role: input.role },
  });
  return memberView(row);
}
