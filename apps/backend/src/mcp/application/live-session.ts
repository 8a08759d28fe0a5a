// A 2025 session live in this process: its SDK server, built for the
// session's principal, connected to its SessionTransport. Built for a new
// session, or rebuilt from the store's record on any instance, where the
// client's own handshake is replayed so the SDK server is in the state the
// client believes it is in.
import {
  buildMcpServer,
  type BuiltServer,
  type Principal,
  type SessionRecord,
} from '@flowpos/core';
import type { StoredInitialize } from '@flowpos/core';
import type { EventStores } from './event-stores.ts';
import type { McpServerDeps } from './mcp-server-deps.ts';
import { SessionTransport } from './session-transport.ts';
import { negotiatedVersion } from './stored-initialize.ts';

export interface LiveSession {
  id: string;
  credential: string;
  principal: Principal;
  protocolVersion: string;
  built: BuiltServer;
  transport: SessionTransport;
  lastTouch: number;
  /** The credential's expiry (epoch ms), if any: the session ends then. */
  expiresAt: number | undefined;
}

export interface LiveSessionDeps extends McpServerDeps {
  eventStores: EventStores;
  /** How long a request may wait for its answer before it gets a timeout error. */
  requestTimeoutMs?: number | undefined;
}

/** The SDK server and transport for a session record (not yet initialized). */
export async function buildLiveSession(
  record: SessionRecord,
  deps: LiveSessionDeps,
  updatePrincipal: (live: LiveSession, change: (p: Principal) => Principal) => Promise<Principal>,
): Promise<LiveSession> {
  const transport = new SessionTransport(
    record.id,
    deps.eventStores.forSession(record.id),
    deps.requestTimeoutMs,
  );
  const live: LiveSession = {
    id: record.id,
    credential: record.credential,
    principal: record.principal,
    protocolVersion: negotiatedVersion(record.initialize.protocolVersion),
    transport,
    built: undefined as unknown as BuiltServer,
    expiresAt: record.expiresAt,
    lastTouch: Date.now(),
  };
  live.built = buildMcpServer(
    {
      sessionId: record.id,
      principal: () => live.principal,
      context: {
        db: deps.db,
        sql: deps.sql,
        sessions: deps.directory,
        consoleUrl: deps.consoleUrl,
        updatePrincipal: (change: (p: Principal) => Principal) => updatePrincipal(live, change),
      },
    },
    {
      registry: deps.registry,
      validator: deps.validator,
      audit: deps.audit,
      diagnostics: deps.diagnostics,
      views: deps.views,
      onUnexpectedError: (err, tool) =>
        deps.logger.error({ err, tool, sessionId: record.id }, 'tool failed'),
    },
  );
  await live.built.connect(transport);
  return live;
}

/** Feeds a rebuilt session the client's initialize and initialized; the answers go nowhere. */
export async function replayHandshake(
  live: LiveSession,
  initialize: StoredInitialize,
): Promise<void> {
  await live.transport.dispatch(
    [
      {
        jsonrpc: '2.0',
        id: `rebuild-${live.id}`,
        method: 'initialize',
        params: { ...initialize },
      },
    ],
    false,
  );
  await live.transport.dispatch([{ jsonrpc: '2.0', method: 'notifications/initialized' }], false);
}
