// Live MCP sessions: members see those active in their businesses,
// operators all of them (SessionDirectory decides which).
import { z } from 'zod';
import { cutOffClient, recentRequestsFor, sessionFilterInput, withKeyNames } from '@flowpos/core';
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

const filterInput = sessionFilterInput.default({});

export const sessionsRouter = createTRPCRouter({
  list: authedProcedure
    .input(filterInput)
    .query(async ({ ctx, input }) =>
      withKeyNames(ctx.services.db, await ctx.services.sessions.listFor(ctx.actor, input)),
    ),

  /** Sessionless (2026-07-28) clients, per credential. */
  clients: authedProcedure
    .input(filterInput)
    .query(async ({ ctx, input }) =>
      withKeyNames(ctx.services.db, await ctx.services.sessions.listClientsFor(ctx.actor, input)),
    ),

  /** The session inspector: a session's or sessionless client's last requests, newest first. */
  requests: authedProcedure
    .input(
      z.union([
        z.object({ sessionId: z.string().min(1).max(200) }),
        z.object({ credential: z.string().min(1).max(200) }),
      ]),
    )
    .query(({ ctx, input }) =>
      recentRequestsFor(
        {
          db: ctx.services.db,
          store: ctx.services.sessions.store,
          log: ctx.services.requestLog,
        },
        ctx.actor,
        input,
      ),
    ),

  /** Revokes a sessionless client's credential (its API key or OAuth grant). */
  cutOff: authedProcedure
    .input(z.object({ credential: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) => cutOffClient(ctx.services, ctx.actor, input.credential)),

  end: authedProcedure
    .input(z.object({ sessionId: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.sessions.endFor(ctx.actor, input.sessionId);
      return { ended: true as const };
    }),
});
