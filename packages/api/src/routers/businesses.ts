// Businesses the signed-in person can act for (all of them for operators).
import { businessesForActor } from '@flowpos/core';
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

export const businessesRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => businessesForActor(ctx.services.db, ctx.actor)),
});
