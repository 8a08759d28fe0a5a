// The console's API: one router per entity, composed here.
import { auditRouter } from './routers/audit.ts';
import { businessesRouter } from './routers/businesses.ts';
import { diagnoseRouter } from './routers/diagnose.ts';
import { connectRouter } from './routers/connect.ts';
import { intentsRouter } from './routers/intents.ts';
import { keysRouter } from './routers/keys.ts';
import { limitsRouter } from './routers/limits.ts';
import { meRouter } from './routers/me.ts';
import { membersRouter } from './routers/members.ts';
import { oauthRouter } from './routers/oauth.ts';
import { ordersRouter } from './routers/orders.ts';
import { sessionsRouter } from './routers/sessions.ts';
import { toolPoliciesRouter } from './routers/tool-policies.ts';
import { toolsRouter } from './routers/tools.ts';
import { usageRouter } from './routers/usage.ts';
import { createCallerFactory, createTRPCRouter } from './trpc.ts';

export const appRouter = createTRPCRouter({
  me: meRouter,
  businesses: businessesRouter,
  keys: keysRouter,
  sessions: sessionsRouter,
  tools: toolsRouter,
  toolPolicies: toolPoliciesRouter,
  intents: intentsRouter,
  audit: auditRouter,
  members: membersRouter,
  oauth: oauthRouter,
  limits: limitsRouter,
  usage: usageRouter,
  diagnose: diagnoseRouter,
  connect: connectRouter,
  orders: ordersRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (tests, server components): `createCaller(createTRPCContext({ authorization, services }))`. */
export const createCaller = createCallerFactory(appRouter);
