// The audit trail, newest first, a page at a time.
import { auditListInput, listAuditEvents } from '@flowpos/core';
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

export const auditRouter = createTRPCRouter({
  list: authedProcedure
    .input(auditListInput)
    .query(({ ctx, input }) => listAuditEvents(ctx.services.db, ctx.actor, input)),
});
