// Diagnose: the runbook's answer for a pasted key, token, session id or
// client id, from live state (core's diagnose). A mutation, so the value
// travels in the body (never in a URL a log could keep), throttled per user
// beyond the usual budget: every call may hash and look up a secret.
import { diagnose, diagnoseInput } from '@flowpos/core';
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

export const diagnoseRouter = createTRPCRouter({
  run: authedProcedure.input(diagnoseInput).mutation(async ({ ctx, input }) => {
    await ctx.limitDiagnose(ctx.actor.userId);
    const { services } = ctx;
    return diagnose(
      {
        db: services.db,
        store: services.sessions.store,
        registry: services.registry,
        tokens: services.tokenSigner,
        firebase: services.verifier,
        audit: services.audit,
      },
      ctx.actor,
      input,
    );
  }),
});
