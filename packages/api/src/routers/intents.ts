// Intents awaiting a merchant's decision. Core checks the merchant, decides
// (approving a sale creates the order) and audits.
import { z } from 'zod';
import { decideIntent, getIntentFor, listIntentsFor } from '@flowpos/core';
import { createTRPCRouter, businessProcedure } from '../trpc.ts';

const intentInput = z.object({ intentId: z.uuid() });

export const intentsRouter = createTRPCRouter({
  list: businessProcedure
    .input(
      z.object({ status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional() }),
    )
    .query(({ ctx, input }) =>
      listIntentsFor(ctx.services.db, ctx.actor, input.businessId, { status: input.status }),
    ),

  get: businessProcedure
    .input(intentInput)
    .query(({ ctx, input }) =>
      getIntentFor(ctx.services.db, ctx.actor, input.businessId, input.intentId),
    ),

  approve: businessProcedure
    .input(intentInput)
    .mutation(({ ctx, input }) => decideIntent(ctx.services, ctx.actor, input, 'approve')),

  reject: businessProcedure
    .input(intentInput)
    .mutation(({ ctx, input }) => decideIntent(ctx.services, ctx.actor, input, 'reject')),
});
