// McpRequestService: MCP 2026-07-28 requests. That revision has no sessions:
// every request carries its own `_meta` envelope and is served by a fresh SDK
// server built for the caller's principal (SDK 2's createMcpHandler), on any
// instance. What a 2025 session remembered (the active business) is kept per
// credential in the session store. Rights changes reach open
// `subscriptions/listen` streams on every instance: the domain events travel
// over Redis pub/sub, each instance re-checks its own streams of the credentials
// concerned (listen-streams.ts: per-credential caps, closing, targeted notices).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  buildMcpServer,
  ClientActivityRecorder,
  clientFromMeta,
  createToolRunner,
  InvalidatingCache,
  withRememberedBusiness,
  type DomainEvent,
  type SessionBinding,
} from '@flowpos/core';
import {
  createMcpHandler,
  type AuthInfo,
  type InboundClassificationOutcome,
  type McpHttpHandler,
  type McpRequestContext,
} from '@modelcontextprotocol/server';
import type { Authenticated } from '../shared/authenticated.ts';
import { CACHE_HINTS, isListen, toolCalledIn, type CallerInfo } from './request-shape.ts';
import { JSONRPC, jsonRpcError } from '../../http/json-rpc.ts';
import { requestId, serveBoundedExchange } from './bounded-exchange.ts';
import { FastToolCalls, MODERN_REVISION } from '../shared/fast-tool-call.ts';
import { ObservedExchange } from '../shared/inspect-requests.ts';
import { ListenStreams } from './listen-streams.ts';
import type { McpServerDeps } from '../shared/mcp-server-deps.ts';
import { countRefusedArguments } from './refused-call-usage.ts';

export interface McpRequestServiceDeps extends McpServerDeps {
  maxBodyBytes: number;
  instanceId: string;
  /** How often a credential's activity is written at most (default 5 s). */
  activityIntervalMs?: number;
  /** How long a request may take before it is answered with a timeout error. */
  requestTimeoutMs: number;
  /** Plain tools/call requests answered without the SDK's per-request server (fast-tool-call.ts); default on. */
  fastToolCalls?: boolean;
  listen: {
    /** Open `subscriptions/listen` streams on this instance, all credentials together. */
    maxStreams: number;
    /** Of which one credential may hold at most this many. */
    maxPerCredential: number;
    /** And one business (active when the stream opens), all its credentials together. */
    maxPerBusiness: number;
    /** How often every open stream is checked against its credential again (ms). */
    recheckMs: number;
  };
  /** The credential as it authenticates now, from an Authorization header (the MCP guard). */
  authenticate(authorization: string | undefined): Promise<Authenticated | null>;
}

/**
 * How long an instance reuses a credential's remembered business without
 * reading the store. A change (set_active_business) is written to the store,
 * then announced (credential.changed), which drops the copy on every instance,
 * as a cached 2025 session learns of a change to its principal; the TTL bounds
 * a missed announcement to the second within which every instance learns.
 */
const ACTIVE_BUSINESS_TTL_MS = 1_000;

export class McpRequestService {
  readonly handler: McpHttpHandler;
  /** 2026 requests being served (their responses not closed yet). */
  inFlight = 0;
  private readonly unsubscribe: () => void;
  private readonly activity: ClientActivityRecorder;
  private readonly fast: FastToolCalls | undefined;
  /** Each credential's remembered business (set_active_business), per instance, briefly. */
  private readonly activeBusinesses = new InvalidatingCache<string | null>(ACTIVE_BUSINESS_TTL_MS);
  readonly listenStreams: ListenStreams;
  /** The Authorization header each open listen stream came with, to check it again. */
  private readonly listenAuthorization = new WeakMap<object, string | undefined>();

  private readonly deps: McpRequestServiceDeps;
  constructor(deps: McpRequestServiceDeps) {
    this.deps = deps;
    const onerror = (error: Error) => deps.logger.debug({ err: error }, 'mcp 2026 request refused');
    this.listenStreams = new ListenStreams({
      registry: deps.registry,
      authenticate: async (stream) => {
        const auth = await deps.authenticate(this.listenAuthorization.get(stream));
        if (!auth) return null;
        // Checked as its requests are served: with the business the client chose (roles differ by business).
        const remembered = await deps.store.getActiveBusiness(auth.credential);
        return { ...auth, principal: withRememberedBusiness(auth.principal, remembered) };
      },
      maxPerCredential: deps.listen.maxPerCredential,
      maxPerBusiness: deps.listen.maxPerBusiness,
      recheckMs: deps.listen.recheckMs,
      onError: (err) => deps.logger.warn({ err }, 'listen stream check failed'),
    });
    this.handler = createMcpHandler((ctx) => this.buildServer(ctx), {
      legacy: 'reject',
      maxRequestBodySize: deps.maxBodyBytes,
      maxSubscriptions: deps.listen.maxStreams,
      bus: this.listenStreams,
      onerror,
    });
    this.activity = new ClientActivityRecorder(
      deps.store,
      deps.instanceId,
      deps.activityIntervalMs,
    );
    this.unsubscribe = deps.events.subscribe((event) => this.onEvent(event));
    this.fast = deps.fastToolCalls === false ? undefined : new FastToolCalls(deps.registry);
  }

  /**
   * Serves one 2026 request on the raw Node objects (Fastify has stepped
   * aside). `body` is the JSON Fastify already read.
   */
  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    auth: Authenticated,
    body: unknown,
    /** The SDK's classification of the request, made by the controller (lets a plain call skip the SDK). */
    route?: InboundClassificationOutcome,
  ): Promise<void> {
    const remembered = await this.activeBusinesses.getOrLoad(auth.credential, () =>
      this.deps.store.getActiveBusiness(auth.credential),
    );
    const caller: CallerInfo = {
      principal: withRememberedBusiness(auth.principal, remembered),
      credential: auth.credential,
      toolCalled: toolCalledIn(body),
    };
    const authInfo: AuthInfo = {
      // The bearer itself stays out of the SDK: tools never need it.
      token: '',
      clientId: auth.credential,
      scopes: caller.principal.scopes,
      extra: { caller },
    };
    (req as IncomingMessage & { auth?: AuthInfo }).auth = authInfo;
    const { inspector } = this.deps;
    // Recorded once its response closes (the inspector's queue; nothing awaited).
    const observed =
      inspector &&
      new ObservedExchange(
        inspector,
        auth.credential,
        caller.principal.activeBusinessId,
        body,
        res,
      );
    const track = () => {
      this.recordActivity(res, caller, body);
      this.inFlight++;
      res.once('close', () => this.inFlight--);
    };
    const exchange = (stop?: AbortSignal) => {
      track();
      return serveBoundedExchange({
        req,
        res,
        body,
        timeoutMs: stop ? undefined : this.deps.requestTimeoutMs,
        maxBodyBytes: this.deps.maxBodyBytes,
        ...(stop ? { stop } : {}),
        fetch: (request, options) => this.handler.fetch(request, options),
        onError: (error) => this.deps.logger.warn({ err: error }, 'mcp 2026 request failed'),
        onFirstChunk: observed?.firstChunk,
      });
    };
    if (!isListen(body)) {
      const plain = route && this.fast?.plainCall(req.headers, body, caller.principal, route);
      if (!plain || !this.fast) {
        const { usage, registry } = this.deps;
        countRefusedArguments(usage, registry, caller.principal, caller.toolCalled, body);
        return exchange();
      }
      track();
      const run = createToolRunner(this.bindingFor(caller), this.runnerOptions(caller));
      return this.fast.serve(
        res,
        plain,
        observed ? observed.wrap(run) : run,
        this.deps.requestTimeoutMs,
      );
    }
    const admitted = await this.listenStreams.open(
      { ...auth, principal: caller.principal },
      (stream) => {
        this.listenAuthorization.set(stream, req.headers.authorization);
        return exchange(stream.abort.signal);
      },
    );
    if (admitted === 'served') return;
    const { maxPerCredential, maxPerBusiness } = this.deps.listen;
    const message =
      admitted === 'credential_full'
        ? `Too many subscriptions/listen streams for this credential (at most ${maxPerCredential} per instance)`
        : `Too many subscriptions/listen streams for this business (at most ${maxPerBusiness} per instance)`;
    res.writeHead(429, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jsonRpcError(JSONRPC.SERVER_ERROR, message, requestId(body))));
  }

  /** For the live view; throttled per credential, a listen stream opening or closing shows at once. */
  private recordActivity(res: ServerResponse, caller: CallerInfo, body: unknown): void {
    const meta = clientFromMeta(body);
    // A revision the server does not serve is refused by the SDK: no client to show.
    if (meta.protocolVersion !== MODERN_REVISION) return;
    const { credential, principal } = caller;
    if (isListen(body)) {
      this.activity.listening(credential, 1);
      res.once('close', () => {
        this.activity.listening(credential, -1);
        this.activity.seen(credential, principal, meta);
      });
    }
    this.activity.seen(credential, principal, meta);
  }

  async shutdown(): Promise<void> {
    this.unsubscribe();
    this.listenStreams.close();
    await this.handler.close();
  }

  private buildServer(ctx: McpRequestContext) {
    const caller = ctx.authInfo?.extra?.caller as CallerInfo | undefined;
    // The controller authenticates every request before it gets here.
    if (!caller) throw new Error('2026 request without an authenticated caller');
    const built = buildMcpServer(this.bindingFor(caller), {
      ...this.runnerOptions(caller),
      registry: this.deps.registry,
      validator: this.deps.validator,
      diagnostics: this.deps.diagnostics,
      views: this.deps.views,
      cacheHints: CACHE_HINTS,
      onlyTool: caller.toolCalled,
      approvals: this.deps.approvals,
    });
    return built.server;
  }

  /** What a tool of this request runs with: the caller's principal, which set_active_business changes per credential. */
  private bindingFor(caller: CallerInfo): SessionBinding {
    let principal = caller.principal;
    return {
      sessionId: null,
      principal: () => principal,
      context: {
        db: this.deps.db,
        sql: this.deps.sql,
        sessions: this.deps.sessions,
        consoleUrl: this.deps.consoleUrl,
        caps: this.deps.caps,
        updatePrincipal: async (change) => {
          const next = change(principal);
          await this.deps.store.setActiveBusiness(caller.credential, next.activeBusinessId);
          this.activeBusinesses.delete(caller.credential);
          principal = next;
          await this.deps.events.publish({
            type: 'credential.changed',
            credential: caller.credential,
          });
          return next;
        },
      },
    };
  }

  private runnerOptions(caller: CallerInfo) {
    return {
      audit: this.deps.audit,
      usage: this.deps.usage,
      onUnexpectedError: (err: unknown, tool: string) =>
        this.deps.logger.error({ err, tool, credential: caller.credential }, 'tool failed'),
    };
  }

  private onEvent(event: DomainEvent): void {
    if (event.type === 'credential.changed') this.activeBusinesses.delete(event.credential);
    else if (event.type === 'resync') this.activeBusinesses.clear();
    // Only the streams of the credentials concerned are checked, and notified
    // when what they see changed.
    this.listenStreams.onEvent(event);
  }
}
