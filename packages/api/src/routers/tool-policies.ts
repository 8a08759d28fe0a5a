// Tool policies of keys and connected apps: what a policy may name, and
// changing one. Thin adapters over core (keys/key-tool-policy.ts,
// oauth/grant-tool-policy.ts), which authorize as for managing keys and
// connected apps.
import {
  toolPolicyCatalog,
  updateApiKeyToolPolicy,
  updateApiKeyToolPolicyInput,
  updateGrantToolPolicy,
  updateGrantToolPolicyInput,
} from '@flowpos/core';
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

export const toolPoliciesRouter = createTRPCRouter({
  /** Every tool a policy may name, with whether a read-only policy keeps it. */
  catalog: authedProcedure.query(() => toolPolicyCatalog()),

  updateKey: authedProcedure
    .input(updateApiKeyToolPolicyInput)
    .mutation(({ ctx, input }) => updateApiKeyToolPolicy(ctx.services, ctx.actor, input)),

  updateGrant: authedProcedure
    .input(updateGrantToolPolicyInput)
    .mutation(({ ctx, input }) => updateGrantToolPolicy(ctx.services, ctx.actor, input)),
});
