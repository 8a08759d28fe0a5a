// API key management: thin adapters over core's key service, which checks
// the actor's role in the key's business on every call.
import { z } from 'zod';
import {
  createApiKey,
  createApiKeyInput,
  expirePreviousSecrets,
  keyOptions,
  listApiKeys,
  loadKeyView,
  manageableKey,
  revokeApiKey,
  rotateApiKey,
  rotateApiKeyInput,
  updateApiKeyScopes,
  updateApiKeyScopesInput,
} from '@flowpos/core';
import { authedProcedure, createTRPCRouter, businessProcedure } from '../trpc.ts';

export const keysRouter = createTRPCRouter({
  list: businessProcedure.query(({ ctx, input }) =>
    listApiKeys(ctx.services, ctx.actor, input.businessId),
  ),

  /** The only response that carries the secret (`key`). */
  create: businessProcedure
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.services, ctx.actor, input)),

  /** Every secret of the key stops at once, a rolled key's older ones too. */
  revoke: authedProcedure
    .input(z.object({ keyId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.services, ctx.actor, input.keyId)),

  /** A new secret (shown once); the old one works for the chosen overlap. */
  rotate: authedProcedure
    .input(rotateApiKeyInput)
    .mutation(({ ctx, input }) => rotateApiKey(ctx.services, ctx.actor, input)),

  /** Ends a rolled key's overlap now: its older secrets stop, the newest goes on. */
  expirePrevious: authedProcedure
    .input(z.object({ keyId: z.uuid() }))
    .mutation(({ ctx, input }) => expirePreviousSecrets(ctx.services, ctx.actor, input.keyId)),

  updateScopes: authedProcedure
    .input(updateApiKeyScopesInput)
    .mutation(({ ctx, input }) => updateApiKeyScopes(ctx.services, ctx.actor, input)),

  /** One key, for its page: whoever may manage it. */
  get: authedProcedure.input(z.object({ keyId: z.uuid() })).query(async ({ ctx, input }) => {
    await manageableKey(ctx.services.db, ctx.actor, input.keyId);
    return loadKeyView(ctx.services.db, input.keyId);
  }),

  keyOptions: businessProcedure.query(({ ctx, input }) => keyOptions(ctx.actor, input.businessId)),
});
