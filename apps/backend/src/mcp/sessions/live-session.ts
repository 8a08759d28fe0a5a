// A 2025 session live in this process. Held as a light record (principal,
// credential, negotiated version, the client's initialize, its transport and
// tool runner): what the fast path needs for a plain tools/call or ping. Its
// SDK server, built for the session's principal and connected to the
// session's transport, exists only while something needs it (any other
// request, an open GET stream); a server built for a session opened
// elsewhere, or dropped while idle, is fed the client's own handshake again so
// it is in the state the client believes it is in.
import { randomUUID } from 'node:crypto';
import {
  buildMcpServer,
  createToolRunner,
  type BuiltServer,
  type Principal,
  type SessionBinding,
  type SessionRecord,
  type StoredInitialize,
  type ToolRunner,
} from '@flowpos/core';
import type { EventStores } from './event-stores.ts';
import type { McpServerDeps } from '../shared/mcp-server-deps.ts';
import { SessionTransport } from './session-transport.ts';
import { initializeToStore, negotiatedVersion } from './stored-initialize.ts';
import type { Authenticated } from '../shared/authenticated.ts';

export interface LiveSession {
  id: string;
  credential: string;
  principal: Principal;
  protocolVersion: string;
  /** What the client sent in initialize, replayed into a server built later. */
  initialize: StoredInitialize;
  /** The SDK server, while the session has one (see McpSessionService.serverFor). */
  built: BuiltServer | undefined;
  transport: SessionTransport;
  /** What its tools run with, made when first needed (see sessionTools). */
  tools: SessionTools | undefined;
  lastTouch: number;
  /** The credential's expiry (epoch ms), if any: the session ends then. */
  expiresAt: number | undefined;
}

export interface SessionTools {
  /** What the session's tools run with (its server's and the fast path's). */
  binding: SessionBinding;
  /** Runs a tool for this session as its SDK server does (the fast path calls it directly). */
  run: ToolRunner;
}

export interface LiveSessionDeps extends McpServerDeps {
  eventStores: EventStores;
  /** How long a request may wait for its answer before it gets a timeout error. */
  requestTimeoutMs?: number | undefined;
}

const runnerOptions = (deps: LiveSessionDeps, sessionId: string) => ({
  audit: deps.audit,
  usage: deps.usage,
  onUnexpectedError: (err: unknown, tool: string) =>
    deps.logger.error({ err, tool, sessionId }, 'tool failed'),
});

/** The record a session opened now stores: the credential's principal and the client's initialize. */
export function newSessionRecord(
  auth: Authenticated,
  initializeParams: unknown,
  instanceId: string,
): SessionRecord {
  const now = Date.now();
  return {
    id: randomUUID(),
    principal: auth.principal,
    credential: auth.credential,
    initialize: initializeToStore(initializeParams),
    createdAt: now,
    lastSeenAt: now,
    instanceId,
    expiresAt: auth.expiresAt,
  };
}

/** The session's record in this process, without an SDK server. */
export function liveSession(record: SessionRecord, deps: LiveSessionDeps): LiveSession {
  return {
    id: record.id,
    credential: record.credential,
    principal: record.principal,
    protocolVersion: negotiatedVersion(record.initialize.protocolVersion),
    initialize: record.initialize,
    built: undefined,
    transport: new SessionTransport(
      record.id,
      deps.eventStores.forSession(record.id),
      deps.requestTimeoutMs,
    ),
    tools: undefined,
    expiresAt: record.expiresAt,
    lastTouch: Date.now(),
  };
}

/** The session's binding and tool runner (kept on the session while it is in use). */
export function sessionTools(
  live: LiveSession,
  deps: LiveSessionDeps,
  updatePrincipal: (live: LiveSession, change: (p: Principal) => Principal) => Promise<Principal>,
): SessionTools {
  const binding: SessionBinding = {
    sessionId: live.id,
    principal: () => live.principal,
    context: {
      db: deps.db,
      sql: deps.sql,
      sessions: deps.sessions,
      consoleUrl: deps.consoleUrl,
      caps: deps.caps,
      updatePrincipal: (change: (p: Principal) => Principal) => updatePrincipal(live, change),
    },
  };
  return { binding, run: createToolRunner(binding, runnerOptions(deps, live.id)) };
}

/** Builds the session's SDK server and connects it to the session's transport (not initialized). */
export async function connectServer(
  live: LiveSession,
  tools: SessionTools,
  deps: LiveSessionDeps,
): Promise<void> {
  const built = buildMcpServer(tools.binding, {
    ...runnerOptions(deps, live.id),
    registry: deps.registry,
    validator: deps.validator,
    diagnostics: deps.diagnostics,
    approvals: deps.approvals,
    views: deps.views,
  });
  // Set first: a rights change while it connects re-syncs (or drops) this server.
  live.built = built;
  await built.connect(live.transport);
}

/** Lets go of the session's SDK server (the transport stops feeding it) and of its tools. */
export function dropServer(live: LiveSession): void {
  live.built = undefined;
  live.tools = undefined;
  live.transport.onmessage = undefined;
  live.transport.onclose = undefined;
  live.transport.onerror = undefined;
}

/** Feeds a newly built server the client's initialize and initialized; the answers go nowhere. */
export async function replayHandshake(live: LiveSession): Promise<void> {
  await live.transport.dispatch(
    [
      {
        jsonrpc: '2.0',
        id: `rebuild-${live.id}`,
        method: 'initialize',
        params: { ...live.initialize },
      },
    ],
    false,
  );
  await live.transport.dispatch([{ jsonrpc: '2.0', method: 'notifications/initialized' }], false);
}
