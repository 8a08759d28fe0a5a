// The MCP endpoint: 2025 sessions (lifetime, caches, caps), 2026 listen
// streams, request deadlines, the fast paths, the session inspector and
// approval in the client.
import { z } from 'zod';
import type { Env } from './schema.ts';

export const mcpEnv = {
  MCP_TEST_TOOLS: z.enum(['true', 'false']).default('false'),
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(10).default(86_400),
  SESSION_CACHE_SIZE: z.coerce.number().int().min(1).default(5000),
  // An idle session's SDK server is ~30 KB of heap, its record ~2 KB: only
  // recently used sessions keep a server (a plain tools/call needs none).
  SESSION_SERVER_CACHE_SIZE: z.coerce.number().int().min(1).default(64),
  MCP_MAX_SESSIONS_PER_CREDENTIAL: z.coerce.number().int().min(1).default(100),
  // Each open stream holds a socket (a file descriptor) and a keep-alive timer:
  // 2048 fits the usual 4096+ descriptor limits beside the sessions' GET
  // streams; one credential's (8) or business's (128) share cannot fill it.
  MCP_MAX_LISTEN_STREAMS: z.coerce.number().int().min(1).default(2048),
  MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL: z.coerce.number().int().min(1).default(8),
  MCP_MAX_LISTEN_STREAMS_PER_BUSINESS: z.coerce.number().int().min(1).default(128),
  MCP_LISTEN_RECHECK_SECONDS: z.coerce.number().int().min(1).default(60),
  MCP_MAX_INITIALIZE_BYTES: z.coerce.number().int().min(256).default(4096),
  MCP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  MCP_FAST_TOOL_CALLS: z.enum(['true', 'false']).default('true'),
  // Session inspector: each session's and sessionless client's last 200
  // requests, kept this long after its last request (off for the bench).
  INSPECTOR_ENABLED: z.enum(['true', 'false']).default('true'),
  INSPECTOR_TTL_SECONDS: z.coerce.number().int().min(10).default(3_600),
  // Approval in the client: a 2026 retry waits this long for the merchant's
  // decision (default 3 s, at most half of MCP_REQUEST_TIMEOUT_MS), at most
  // this many retries (the SDK client gives up after 10); a 2025 call waits
  // this long after sending the link (default: 3/4 of MCP_REQUEST_TIMEOUT_MS,
  // at most 45 s). Both must end before the request times out.
  MCP_APPROVAL_ROUND_WAIT_MS: z.coerce.number().int().min(100).max(30_000).optional(),
  MCP_APPROVAL_ROUNDS: z.coerce.number().int().min(1).max(9).default(8),
  MCP_APPROVAL_SESSION_WAIT_MS: z.coerce.number().int().min(100).optional(),
};

export interface McpConfig {
  /** Registers the conformance suite's diagnostic tools (tests only). */
  testTools: boolean;
  sessionIdleTtlMs: number;
  sessionCacheSize: number;
  /** Idle cached sessions that keep their SDK server (LRU; sessions with a GET stream keep theirs). */
  sessionServerCacheSize: number;
  /** Live MCP sessions one credential may hold. */
  maxSessionsPerCredential: number;
  /** 2026-07-28 `subscriptions/listen` streams held by one instance. */
  listen: {
    /** All credentials together (the SDK refuses beyond). */
    maxStreams: number;
    /** One credential's share. */
    maxPerCredential: number;
    /** One business's share, all its credentials together. */
    maxPerBusiness: number;
    /** How often each open stream is checked against its credential again (ms). */
    recheckMs: number;
  };
  /** Size cap of what a session keeps of initialize (negotiated version, clientInfo, capabilities, as JSON). */
  maxInitializeBytes: number;
  /** How long an MCP request may wait for its answer before it gets a timeout error. */
  requestTimeoutMs: number;
  /** Approval in the client (URL elicitation); the requestState key is derived from tokenSecret. */
  approvals: { roundWaitMs: number; maxRounds: number; sessionWaitMs: number };
  /** Plain 2026 tools/call requests skip the SDK's per-request server (same answers; off: every request goes through the SDK). */
  fastToolCalls: boolean;
  /** Session inspector: off (false) records nothing; ttlMs: how long a log outlives its last request. */
  inspector: { enabled: boolean; ttlMs: number };
}

export function mcpConfig(env: Env): McpConfig {
  return {
    testTools: env.MCP_TEST_TOOLS === 'true',
    sessionIdleTtlMs: env.SESSION_IDLE_TIMEOUT_SECONDS * 1000,
    sessionCacheSize: env.SESSION_CACHE_SIZE,
    sessionServerCacheSize: env.SESSION_SERVER_CACHE_SIZE,
    maxSessionsPerCredential: env.MCP_MAX_SESSIONS_PER_CREDENTIAL,
    listen: {
      maxStreams: env.MCP_MAX_LISTEN_STREAMS,
      maxPerCredential: env.MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL,
      maxPerBusiness: env.MCP_MAX_LISTEN_STREAMS_PER_BUSINESS,
      recheckMs: env.MCP_LISTEN_RECHECK_SECONDS * 1000,
    },
    maxInitializeBytes: env.MCP_MAX_INITIALIZE_BYTES,
    requestTimeoutMs: env.MCP_REQUEST_TIMEOUT_MS,
    approvals: {
      roundWaitMs:
        env.MCP_APPROVAL_ROUND_WAIT_MS ??
        Math.min(3_000, Math.floor(env.MCP_REQUEST_TIMEOUT_MS / 2)),
      maxRounds: env.MCP_APPROVAL_ROUNDS,
      sessionWaitMs:
        env.MCP_APPROVAL_SESSION_WAIT_MS ??
        Math.min(45_000, Math.floor((env.MCP_REQUEST_TIMEOUT_MS * 3) / 4)),
    },
    fastToolCalls: env.MCP_FAST_TOOL_CALLS === 'true',
    inspector: {
      enabled: env.INSPECTOR_ENABLED === 'true',
      ttlMs: env.INSPECTOR_TTL_SECONDS * 1000,
    },
  };
}
