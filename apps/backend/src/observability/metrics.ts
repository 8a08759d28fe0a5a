// Prometheus metrics (prom-client), one registry per app so several apps in a
// process (tests) do not mix. The hot paths only call the small recorders
// below; dependency health and live sessions are read when scraped.
import { Counter, Gauge, Registry } from 'prom-client';
import type { DependencyHealth } from './dependency-health.ts';
import { HotHistogram } from './hot-series.ts';
import { registerProcessMetrics } from './process-metrics.ts';

export type AuthFailureReason =
  | 'missing_credential'
  | 'malformed_credential'
  | 'invalid_api_key'
  | 'invalid_token'
  | 'token_exchange_refused'
  | 'token_refresh_refused';

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface MetricsSources {
  dependencies: () => Promise<DependencyHealth>;
  liveSessions: () => number;
  /** MCP requests waiting for their answer, by protocol era. */
  pendingRequests: () => Record<'2025' | '2026', number>;
}

export class Metrics {
  readonly registry = new Registry();
  // Per-request series: resolved once per label set, then plain increments (hot-series.ts).
  private readonly http: HotHistogram<'method' | 'route' | 'status'>;
  private readonly tools: HotHistogram<'tool' | 'outcome'>;
  private readonly authFailures: Counter<'reason'>;
  private readonly rateLimited: Counter<'route'>;
  private readonly rebuilds: Counter;
  private readonly keyCache: Counter<'result'>;
  private readonly keyCacheHit: { inc(): void };
  private readonly keyCacheMiss: { inc(): void };
  private readonly auditDrops: Counter;
  private readonly auditRejects: Counter;
  private readonly unhandledRejections: Counter;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    registerProcessMetrics(this.registry);
    this.http = new HotHistogram(this.registry, {
      name: 'flowpos_http_request_duration_seconds',
      help: 'HTTP request durations by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS_BUCKETS,
      counter: {
        name: 'flowpos_http_requests_total',
        help: 'HTTP requests by method, route pattern and status',
      },
    });
    this.tools = new HotHistogram(this.registry, {
      name: 'flowpos_mcp_tool_call_duration_seconds',
      help: 'MCP tool call durations by tool and outcome',
      labelNames: ['tool', 'outcome'],
      buckets: SECONDS_BUCKETS,
      counter: {
        name: 'flowpos_mcp_tool_calls_total',
        help: 'MCP tool calls by tool and outcome (success, failure, denied)',
      },
    });
    this.authFailures = new Counter({
      name: 'flowpos_auth_failures_total',
      help: 'Refused credentials by reason',
      labelNames: ['reason'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'flowpos_rate_limit_refusals_total',
      help: 'Requests refused with 429 by route pattern',
      labelNames: ['route'],
      registers,
    });
    this.rebuilds = new Counter({
      name: 'flowpos_mcp_session_rebuilds_total',
      help: 'Sessions this instance rebuilt from the session store (opened elsewhere or before a restart)',
      registers,
    });
    this.keyCache = new Counter({
      name: 'flowpos_api_key_cache_lookups_total',
      help: 'API key verifications by cache result (hit, miss)',
      labelNames: ['result'],
      registers,
    });
    this.auditDrops = new Counter({
      name: 'flowpos_audit_events_dropped_total',
      help: 'Audit events lost because PostgreSQL failed longer than the retry buffer holds',
      registers,
    });
    this.auditRejects = new Counter({
      name: 'flowpos_audit_events_rejected_total',
      help: 'Audit events PostgreSQL refused for their data, set aside so the rest of their batch is written',
      registers,
    });
    this.unhandledRejections = new Counter({
      name: 'flowpos_unhandled_rejections_total',
      help: 'Promise rejections nothing handled: logged and counted instead of ending the process',
      registers,
    });
    this.keyCacheHit = this.keyCache.labels('hit');
    this.keyCacheMiss = this.keyCache.labels('miss');
    new Gauge({
      name: 'flowpos_mcp_live_sessions',
      help: 'MCP sessions held live by this instance',
      registers,
      collect() {
        this.set(sources.liveSessions());
      },
    });
    new Gauge({
      name: 'flowpos_mcp_requests_pending',
      help: 'MCP requests this instance is serving, not answered yet, by protocol era',
      labelNames: ['era'],
      registers,
      collect() {
        for (const [era, count] of Object.entries(sources.pendingRequests())) {
          this.labels(era).set(count);
        }
      },
    });
    new Gauge({
      name: 'flowpos_dependency_up',
      help: 'Whether a dependency answers (1) or not (0): database, redis',
      labelNames: ['dependency'],
      registers,
      async collect() {
        const health = await sources.dependencies();
        for (const [dependency, state] of Object.entries(health))
          this.set({ dependency }, state === 'ok' ? 1 : 0);
      },
    });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.http
      .seriesFor(`${method} ${status} ${route}`, () => ({ method, route, status: String(status) }))
      .observe(seconds);
    if (status === 429) this.rateLimited.inc({ route });
  }

  toolCall(tool: string, outcome: string, seconds: number): void {
    this.tools.seriesFor(`${tool} ${outcome}`, () => ({ tool, outcome })).observe(seconds);
  }

  authFailure(reason: AuthFailureReason): void {
    this.authFailures.inc({ reason });
  }

  sessionRebuilt(): void {
    this.rebuilds.inc();
  }

  auditDropped(count: number): void {
    this.auditDrops.inc(count);
  }

  auditRejected(): void {
    this.auditRejects.inc();
  }

  unhandledRejection(): void {
    this.unhandledRejections.inc();
  }

  keyCacheLookup(hit: boolean): void {
    (hit ? this.keyCacheHit : this.keyCacheMiss).inc();
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
