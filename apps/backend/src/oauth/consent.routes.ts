// The browser's way through sign-in and consent. The authorization endpoint
// sends it to GET /oauth-consent/:uid, which records what the console must
// show and redirects to the console's consent page. After the person decides
// there, the console sends the same browser to GET /oauth-consent/:uid/finish
// with the one-time ticket it received; that route checks the interaction
// cookie (set on this origin for this browser), reads the decision and
// finishes the authorization: back to the client with a code, or with
// `access_denied`.
import {
  CONSENT_PATH,
  isScope,
  namedScopesOrAll,
  takeConsentDecision,
  toolPolicyColumns,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { mcpUrl, type Config } from '../config.ts';
import type { ClientRegistrations } from './client-registrations.ts';

export interface ConsentRouteDeps {
  config: Config;
  db: Db;
  provider: Provider;
  registrations: ClientRegistrations;
}

function requestedScopes(scope: unknown): { scopes: string[]; offline: boolean } {
  const asked = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  const scopes = asked.filter(isScope);
  return { scopes, offline: asked.includes('offline_access') };
}

function refuse(reply: FastifyReply, status: number, description: string) {
  return reply.code(status).send({ error: 'invalid_request', error_description: description });
}

export function registerConsentRoutes(app: FastifyInstance, deps: ConsentRouteDeps): void {
  const { config, db, provider, registrations } = deps;
  const resource = mcpUrl(config);

  /** The interaction this browser's cookie names, when it is the one in the URL. */
  const interaction = async (
    request: FastifyRequest<{ Params: { uid: string } }>,
    reply: FastifyReply,
  ) => {
    try {
      const details = await provider.interactionDetails(request.raw, reply.raw);
      return details.uid === request.params.uid ? details : null;
    } catch {
      return null;
    }
  };

  app.get<{ Params: { uid: string } }>(`${CONSENT_PATH}/:uid`, async (request, reply) => {
    const details = await interaction(request, reply);
    if (!details)
      return refuse(reply, 400, 'This authorization request has expired: start again from the app');
    const clientId = String(details.params.client_id);
    const client = await provider.Client.find(clientId);
    if (!client) return refuse(reply, 400, 'Unknown client');
    const { scopes } = requestedScopes(details.params.scope);
    const fromDocument = Boolean(
      (client as { clientIdMetadataDocument?: boolean }).clientIdMetadataDocument,
    );
    await db.oAuthConsent.upsert({
      where: { uid: details.uid },
      create: {
        uid: details.uid,
        clientId,
        clientName: client.clientName ?? clientId,
        clientVerified: fromDocument,
        redirectUri: String(details.params.redirect_uri),
        // The person narrows what is offered.
        scopes: namedScopesOrAll(scopes),
        grantedScopes: [],
        expiresAt: new Date(details.exp * 1000),
      },
      update: {},
    });
    return reply.redirect(
      `${config.consoleUrl}/oauth/consent?uid=${encodeURIComponent(details.uid)}`,
      303,
    );
  });

  app.get<{ Params: { uid: string }; Querystring: { ticket?: string } }>(
    `${CONSENT_PATH}/:uid/finish`,
    async (request, reply) => {
      const details = await interaction(request, reply);
      if (!details) {
        return refuse(
          reply,
          400,
          'This authorization request belongs to another browser or has expired',
        );
      }
      const ticket = request.query.ticket;
      const decision =
        typeof ticket === 'string' && ticket.length <= 200
          ? await takeConsentDecision(db, details.uid, ticket)
          : null;
      if (!decision) return refuse(reply, 400, 'No decision for this authorization request');
      let result;
      if (decision.denied || !decision.businessId) {
        result = { error: 'access_denied', error_description: 'The person denied access' };
      } else {
        const { scopes: asked, offline } = requestedScopes(details.params.scope);
        const grant = new provider.Grant({
          accountId: decision.userId,
          clientId: decision.clientId,
        });
        grant.addResourceScope(resource, decision.scopes.join(' '));
        // Scopes the person left out are rejected, not missing: no second consent prompt.
        const left = asked.filter((s) => !decision.scopes.includes(s));
        if (left.length) grant.rejectResourceScope(resource, left.join(' '));
        if (offline) grant.addOIDCScope('offline_access');
        const grantId = await grant.save();
        // A client a person consented to is in use: it no longer expires unused.
        await registrations.claim(decision.clientId);
        await db.oAuthGrant.create({
          data: {
            id: grantId,
            clientId: decision.clientId,
            clientName: decision.clientName,
            userId: decision.userId,
            businessId: decision.businessId,
            scopes: decision.scopes,
            ...toolPolicyColumns(decision.toolPolicy),
          },
        });
        result = { login: { accountId: decision.userId }, consent: { grantId } };
      }
      reply.hijack();
      await provider.interactionFinished(request.raw, reply.raw, result, {
        mergeWithLastSubmission: false,
      });
    },
  );
}
