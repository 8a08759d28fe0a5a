// tRPC plumbing for the console: the per-request context, the one AppError →
// tRPC code table, and the procedure builders. Procedures authenticate and
// hand the actor to core, which decides what they may do (access/permissions.ts);
// nothing here checks a role.
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { z } from 'zod';
import {
  AppError,
  asDependencyOutage,
  actorFromAuthorization,
  type Actor,
  type AppErrorCode,
  type AuditLog,
  type EventBus,
  type FirebaseAccounts,
  type IdTokenVerifier,
  type IntentCaps,
  type RequestLogStore,
  type McpTokenSigner,
  type SessionDirectory,
  type ToolRegistry,
  unstorableIn,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';

export interface ApiServices {
  db: Db;
  audit: AuditLog;
  events: EventBus;
  sessions: SessionDirectory;
  registry: ToolRegistry;
  /** The session inspector's logs; absent when it is off. */
  requestLog?: RequestLogStore | undefined;
  verifier: IdTokenVerifier;
  /** Firebase account actions (sign out everywhere); absent in tests without Firebase. */
  accounts?: FirebaseAccounts | undefined;
  /** Verifies V2 MCP tokens (diagnose); absent: a pasted token is only recognised. */
  tokenSigner?: McpTokenSigner | undefined;
  /** The OAuth issuer (PUBLIC_BASE_URL): the consent page sends the browser back there. */
  issuer: string;
  /** Daily caps' counters, for the use the console shows; absent when limits are off. */
  caps?: IntentCaps | undefined;
}

export interface CreateContextOptions {
  /** The request's Authorization header value (`Bearer <Firebase ID token>`), if any. */
  authorization?: string | null | undefined;
  services: ApiServices;
  /** Throttling per signed-in user, once per request (throws a 429 AppError when over budget). */
  limitUser?: ((userId: string) => Promise<void>) | undefined;
  /** Throttling of diagnoses per user (throws a 429 AppError when over budget). */
  limitDiagnose?: ((userId: string) => Promise<void>) | undefined;
}

export interface TRPCContext {
  services: ApiServices;
  /** Resolves the signed-in actor once per request; UNAUTHORIZED without a valid token. */
  actor(): Promise<Actor>;
  /** Spends one diagnosis of the user's budget (429 beyond it). */
  limitDiagnose(userId: string): Promise<void>;
}

export function createTRPCContext(opts: CreateContextOptions): TRPCContext {
  const { services } = opts;
  let actor: Promise<Actor> | undefined;
  return {
    services,
    limitDiagnose: async (userId) => opts.limitDiagnose?.(userId),
    actor() {
      actor ??= actorFromAuthorization(
        services.db,
        services.verifier,
        opts.authorization,
        services.audit,
      ).then(async (signedIn) => {
        await opts.limitUser?.(signedIn.userId);
        return signedIn;
      });
      return actor;
    },
  };
}

/** The one table: AppError codes as tRPC codes (tRPC derives the HTTP status from these). */
export const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** Field-level issues for inline form errors: from tRPC's own input parsing or from core's parse(). */
function fieldIssues(cause: unknown): FieldIssue[] | null {
  if (cause instanceof z.ZodError) {
    return cause.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  }
  if (cause instanceof AppError && Array.isArray(cause.details?.issues)) {
    return cause.details.issues as FieldIssue[];
  }
  return null;
}

const INTERNAL_MESSAGE = 'Something went wrong on our side; try again';

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Only AppError messages and input-validation messages are meant for the caller.
    const known = error.cause instanceof AppError || error.code !== 'INTERNAL_SERVER_ERROR';
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message: known ? shape.message : INTERNAL_MESSAGE,
      data: { ...data, issues: error.code === 'BAD_REQUEST' ? fieldIssues(error.cause) : null },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Rethrows an AppError as the tRPC error of its code (for callers and HTTP alike). */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
    // PostgreSQL or Redis away: SERVICE_UNAVAILABLE (503, Retry-After), not a 500.
    const cause = asDependencyOutage(result.error.cause);
    if (cause instanceof AppError) throw toTRPCError(cause);
  }
  return result;
});

/** Input that cannot be stored as sent (storable.ts) is refused before any procedure runs. */
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = unstorableIn(await getRawInput());
  if (problem) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `Invalid input: ${problem} cannot be accepted`,
    });
  }
  return next();
});

export const publicProcedure = t.procedure.use(storableInput).use(appErrors);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const actor = await ctx.actor();
  return next({ ctx: { actor } });
});

const businessInput = z.object({ businessId: z.uuid({ message: 'businessId must be a UUID' }) });

/** A signed-in request about one business (input.businessId); core decides what the actor may do there. */
export const businessProcedure = authedProcedure.input(businessInput);
