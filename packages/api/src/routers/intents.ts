// Intents awaiting a merchant's decision. Core checks the merchant, decides
// (approving a sale creates the order) and audits.
import { z } from 'zod';
import { decideIntent, listIntentsFor } from '@flowpos/core';
import { createTRPCRouter, merchantProcedure } from '../trpc.ts';

const intentInput = z.object({ intentId: z.uuid() });

export const intentsRouter = createTRPCRouter({
  list: merchantProcedure
    .input(
      z.object({ status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional() }),
    )
    .query(({ ctx, input }) =>
      listIntentsFor(ctx.services.db, ctx.actor, input.businessId, { status: input.status }),
    ),

  approve: merchantProcedure
    .input(intentInput)
    .mutation(({ ctx, input }) => decideIntent(ctx.services, ctx.actor, input, 'approve')),

  reject: merchantProcedure
    .input(intentInput)
    .mutation(({ ctx, input }) => decideIntent(ctx.services, ctx.actor, input, 'reject')),
});
