// OpenTelemetry traces, off unless OTEL_TRACES_ENABLED=true: spans for HTTP
// requests (Fastify), PostgreSQL queries (pg) and Redis commands (ioredis),
// exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT. Must start before
// those libraries load: main.ts imports the server only afterwards. The ESM
// loader hook is limited to the instrumented packages.
import { register } from 'node:module';
import type { Config } from '../config.ts';

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
      new http.HttpInstrumentation(),
      new fastify.FastifyInstrumentation(),
      new pg.PgInstrumentation(),
      new ioredis.IORedisInstrumentation(),
    ],
  });
  sdk.start();
  return () => sdk.shutdown();
}
