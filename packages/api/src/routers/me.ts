// The signed-in person: who they are, where they belong, and what they may do
// in each business (core's capabilities, so pages never re-derive a rule).
import { capabilitiesFor } from '@flowpos/core';
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

export const meRouter = createTRPCRouter({
  get: authedProcedure.query(async ({ ctx }) => {
    const { userId, email, isPlatformOperator } = ctx.actor;
    // Each business the person belongs to, with their role there, is in capabilities.businesses.
    const capabilities = await capabilitiesFor(ctx.services.db, ctx.actor);
    return { userId, email, isPlatformOperator, capabilities };
  }),
});
