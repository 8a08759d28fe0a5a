// One order of the business, for the page an approved intent links to.
import { z } from 'zod';
import { getOrderFor } from '@flowpos/core';
import { businessProcedure, createTRPCRouter } from '../trpc.ts';

export const ordersRouter = createTRPCRouter({
  get: businessProcedure
    .input(z.object({ orderId: z.uuid() }))
    .query(({ ctx, input }) =>
      getOrderFor(ctx.services.db, ctx.actor, input.businessId, input.orderId),
    ),
});
