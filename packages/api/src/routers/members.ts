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
import { businessRead, serviceCall } from './service-call.ts';

export const membersRouter = createTRPCRouter({
  list: businessProcedure.query(businessRead(listMembers)),

  setActive: businessProcedure.input(setMemberActiveInput).mutation(serviceCall(setMemberActive)),

  /** By e-mail: creates or links the user, with an active membership. */
  invite: businessProcedure.input(inviteMemberInput).mutation(serviceCall(inviteMember)),

  /** Core keeps an active merchant in every business (the last one cannot be demoted). */
  changeRole: businessProcedure
    .input(changeMemberRoleInput)
    .mutation(serviceCall(changeMemberRole)),

  /** Merchants on their members: what the member holds for this business ends. */
  signOut: businessProcedure.input(signOutOfBusinessInput).mutation(serviceCall(signOutOfBusiness)),

  /** Operators on anyone, anyone on themselves. */
  signOutEverywhere: authedProcedure
    .input(signOutEverywhereInput)
    .mutation(serviceCall(signOutEverywhere)),
});
