// The backend server: services, HTTP server (and the metrics listener); closes
// all of it (PGlite included: left open, its folder hangs the next start) on
// SIGINT/SIGTERM. Loaded by main.ts after tracing, when on, is in place.
import { buildApp } from './app.ts';
import { mcpUrl, type Config } from '../config.ts';
import { startMetricsServer } from '../observability/metrics.routes.ts';
import { createLogger } from '../observability/logger.ts';
import { logUnhandledRejections } from '../observability/unhandled-rejections.ts';
import { createServices } from './services.ts';

export async function serve(config: Config, stopTracing?: () => Promise<void>): Promise<void> {
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  for (const deprecation of config.deprecations) logger.warn(deprecation);
  const services = await createServices(config, logger);
  logUnhandledRejections(
    logger,
    services.metrics && (() => services.metrics?.unhandledRejection()),
  );
  const app = await buildApp(services, logger);
  await app.listen({ host: config.host, port: config.port });
  const metricsServer =
    services.metrics && config.metrics.port
      ? await startMetricsServer(services.metrics, {
          host: config.host,
          port: config.metrics.port,
          token: config.metrics.token,
        })
      : undefined;
  if (config.metrics.enabled && !config.metrics.onMainPort && !metricsServer) {
    logger.warn('metrics are not served: set METRICS_PORT or METRICS_TOKEN to serve /metrics');
  }
  logger.info(
    {
      mcp: mcpUrl(config),
      database: services.database.kind,
      sessionStore: services.store.kind,
      instanceId: config.instanceId,
    },
    'FlowPOS backend listening',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      metricsServer?.close();
      await app.close();
      await services.close();
      await stopTracing?.();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
