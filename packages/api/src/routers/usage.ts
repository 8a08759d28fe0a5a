// Tool call usage for the console: one key's or connected app's, and the
// overview. Thin adapters: core decides who sees what (usage-views.ts).
import {
  credentialUsage,
  credentialUsageInput,
  usageOverview,
  usageOverviewInput,
} from '@flowpos/core';
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

export const usageRouter = createTRPCRouter({
  credential: authedProcedure
    .input(credentialUsageInput)
    .query(({ ctx, input }) => credentialUsage(ctx.services.db, ctx.actor, input)),

  overview: authedProcedure
    .input(usageOverviewInput)
    .query(({ ctx, input }) => usageOverview(ctx.services.db, ctx.actor, input)),
});
