// Business members: list them, turn a membership on or off (core applies the
// change to the user's live sessions at once), sign one out of the business.
import {
  changeMemberRole,
  changeMemberRoleInput,
  inviteMember,
  inviteMemberInput,
  listMembers,
  setMemberActive,
  setMemberActiveInput,
  signOutEverywhere,
  signOutEverywhereInput,
  signOutOfBusiness,
  signOutOfBusinessInput,
} from '@flowpos/core';
import { authedProcedure, createTRPCRouter, businessProcedure } from '../trpc.ts';

export const membersRouter = createTRPCRouter({
  list: businessProcedure.query(({ ctx, input }) =>
    listMembers(ctx.services.db, ctx.actor, input.businessId),
  ),

  setActive: businessProcedure
    .input(setMemberActiveInput)
    .mutation(({ ctx, input }) => setMemberActive(ctx.services, ctx.actor, input)),

  /** By e-mail: creates or links the user, with an active membership. */
  invite: businessProcedure
    .input(inviteMemberInput)
    .mutation(({ ctx, input }) => inviteMember(ctx.services, ctx.actor, input)),

  /** Core keeps an active merchant in every business (the last one cannot be demoted). */
  changeRole: businessProcedure
    .input(changeMemberRoleInput)
    .mutation(({ ctx, input }) => changeMemberRole(ctx.services, ctx.actor, input)),

  /** Merchants on their members: what the member holds for this business ends. */
  signOut: businessProcedure
    .input(signOutOfBusinessInput)
    .mutation(({ ctx, input }) => signOutOfBusiness(ctx.services, ctx.actor, input)),

  /** Operators on anyone, anyone on themselves. */
  signOutEverywhere: authedProcedure
    .input(signOutEverywhereInput)
    .mutation(({ ctx, input }) => signOutEverywhere(ctx.services, ctx.actor, input)),
});
