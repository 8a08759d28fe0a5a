// OAuth for connectors, console side: the consent page (what a client asks
// for, and the person's decision) and "Connected apps" (the grants people
// gave, revoked from here). Rules in core (oauth/consent.ts, oauth/grants.ts).
import {
  consentDecisionInput,
  consentFinishUrl,
  consentUidInput,
  decideConsent,
  getConnectedApp,
  getConsentRequest,
  connectedAppGroupsInput,
  listConnectedAppGroups,
  listConnectedApps,
  revokeConnectedApp,
  revokeGrantInput,
} from '@flowpos/core';
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

export const oauthRouter = createTRPCRouter({
  consentRequest: authedProcedure
    .input(consentUidInput)
    .query(({ ctx, input }) => getConsentRequest(ctx.services.db, ctx.actor, input.uid)),

  /** Returns where the browser goes next: the backend finishes the authorization there. */
  decide: authedProcedure.input(consentDecisionInput).mutation(async ({ ctx, input }) => {
    const { ticket } = await decideConsent(ctx.services, ctx.actor, input);
    return { redirectTo: consentFinishUrl(ctx.services.issuer, input.uid, ticket) };
  }),

  connectedApps: authedProcedure.query(({ ctx }) => listConnectedApps(ctx.services.db, ctx.actor)),

  /** One connected app, for its page (who may see it: as in the list). */
  connectedApp: authedProcedure
    .input(revokeGrantInput)
    .query(({ ctx, input }) => getConnectedApp(ctx.services.db, ctx.actor, input.grantId)),
  /** Grouped by app, a page at a time, searchable. */
  connectedAppGroups: authedProcedure
    .input(connectedAppGroupsInput)
    .query(({ ctx, input }) => listConnectedAppGroups(ctx.services.db, ctx.actor, input)),

  revoke: authedProcedure.input(revokeGrantInput).mutation(async ({ ctx, input }) => {
    await revokeConnectedApp(ctx.services, ctx.actor, input.grantId);
    return { revoked: true as const };
  }),
});
