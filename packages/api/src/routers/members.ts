// Business members: list them, turn a membership on or off (core applies the
// change to the user's live sessions at once).
import { listMembers, setMemberActive, setMemberActiveInput } from '@flowpos/core';
import { createTRPCRouter, merchantProcedure } from '../trpc.ts';

export const membersRouter = createTRPCRouter({
  list: merchantProcedure.query(({ ctx, input }) =>
    listMembers(ctx.services.db, ctx.actor, input.businessId),
  ),

  setActive: merchantProcedure
    .input(setMemberActiveInput)
    .mutation(({ ctx, input }) => setMemberActive(ctx.services, ctx.actor, input)),
});
