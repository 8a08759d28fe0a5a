// OpenTelemetry traces, off unless OTEL_TRACES_ENABLED=true: spans for HTTP
// requests (Fastify), PostgreSQL queries (pg) and Redis commands (ioredis),
// exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT. Must start before
// those libraries load: main.ts imports the server only afterwards. The ESM
// loader hook is limited to the instrumented packages. A URL's query values
// that carry a credential or a one-time ticket are recorded as REDACTED.
import { register } from 'node:module';
import type { Config } from '../config.ts';

/**
 * Query parameters whose values never reach a span: credentials (OAuth codes,
 * tokens, client secrets, PKCE verifiers, API keys) and the consent page's
 * one-time ticket (`/oauth-consent/:uid/finish?ticket=`), then the
 * instrumentation's own defaults (signed cloud URLs), which a list given to
 * it replaces.
 */
export const REDACTED_QUERY_PARAMS = [
  'ticket',
  'code',
  'code_verifier',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'client_assertion',
  'key',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];

export async function startTracing(config: Config): Promise<() => Promise<void>> {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: ['fastify', 'pg', 'ioredis'] },
  });
  const [{ NodeSDK }, { OTLPTraceExporter }, http, fastify, pg, ioredis] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-fastify'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const sdk = new NodeSDK({
    serviceName: config.tracing.serviceName,
    traceExporter: new OTLPTraceExporter({ url: `${config.tracing.endpoint}/v1/traces` }),
    instrumentations: [
      // Server spans record `url.query`, client spans `url.full`: both redacted.
      new http.HttpInstrumentation({
        redactedQueryParams: REDACTED_QUERY_PARAMS,
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
      }),
      new fastify.FastifyInstrumentation(),
      new pg.PgInstrumentation(),
      new ioredis.IORedisInstrumentation(),
    ],
  });
  sdk.start();
  return () => sdk.shutdown();
}
