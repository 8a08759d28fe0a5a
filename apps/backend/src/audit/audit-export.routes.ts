// GET /audit/export: the audit page's download, streamed. Scripts send a
// Firebase ID token; the console's browser sends `?ticket=` from
// POST /audit/export/ticket (a download link cannot carry a header). Core
// checks both exactly as it checks the audit page.
import { Readable } from 'node:stream';
import {
  auditTicketKey,
  exportAuditEvents,
  issueAuditTicket,
  redeemAuditTicket,
  type Actor,
  type SpentTickets,
} from '@flowpos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { signedInActor, type SignedInDeps } from '../http/signed-in.ts';

export interface AuditExportDeps extends SignedInDeps {
  /** The fleet's shared secret (MCP_TOKEN_SECRET): tickets verify on any instance. */
  tokenSecret: string;
  /** Where a ticket is marked used (Redis: on every instance). */
  spentTickets: SpentTickets;
}

export function registerAuditExportRoutes(app: FastifyInstance, deps: AuditExportDeps): void {
  const key = auditTicketKey(deps.tokenSecret);
  const signedIn = (request: FastifyRequest): Promise<Actor> => signedInActor(request, deps);

  app.post('/audit/export/ticket', async (request, reply) => {
    const actor = await signedIn(request);
    const issued = issueAuditTicket(key, actor, request.body ?? {});
    reply.header('Cache-Control', 'no-store');
    return {
      ...issued,
      url: `/audit/export?ticket=${encodeURIComponent(issued.ticket)}`,
    };
  });

  app.get('/audit/export', async (request, reply) => {
    const query = { ...(request.query as Record<string, unknown>) };
    const ticket = typeof query.ticket === 'string' ? query.ticket : undefined;
    let actor: Actor;
    let input: unknown = query;
    if (ticket) {
      const redeemed = await redeemAuditTicket(deps.db, key, ticket, deps.spentTickets);
      await deps.limitUser?.(request, redeemed.actor.userId);
      ({ actor, input } = redeemed);
    } else {
      actor = await signedIn(request);
    }
    const file = await exportAuditEvents(deps.db, actor, input);
    deps.audit.record({
      action: 'audit.exported',
      outcome: 'success',
      actorKind: 'user',
      actorId: actor.userId,
      businessId: file.businessId,
      details: { filename: file.filename },
    });
    // Readable.from pulls the next chunk only when the socket drains: backpressure
    // end to end, and a closed connection stops the database reads.
    return reply
      .header('Content-Type', file.contentType)
      .header('Content-Disposition', `attachment; filename="${file.filename}"`)
      .header('Cache-Control', 'no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(Readable.from(file.chunks, { objectMode: false }));
  });
}
