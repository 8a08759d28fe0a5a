// Starts the backend: configuration first; then, when OTEL_TRACES_ENABLED=true,
// OpenTelemetry (before Fastify, pg and ioredis load, so that they can be
// instrumented); then the server itself (serve.ts).
import { ConfigError, loadConfig } from './config.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const stopTracing = config.tracing.enabled
    ? await (await import('./observability/tracing.ts')).startTracing(config)
    : undefined;
  const { serve } = await import('./composition/serve.ts');
  await serve(config, stopTracing);
}

main().catch((error: unknown) => {
  // Another process holds the embedded database: one line naming it, no stack.
  if (error instanceof Error && error.name === 'DatabaseInUseError') console.error(error.message);
  else console.error(error);
  process.exit(1);
});
