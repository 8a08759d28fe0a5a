// A promise nobody awaited failed: a bug to log and count, not a reason to
// drop every client of this instance (Node's default is to exit). Uncaught
// exceptions still end the process: after one, its state is unknown.
import type { Logger } from 'pino';

export function logUnhandledRejections(logger: Logger, count?: () => void): () => void {
  const handler = (reason: unknown) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
    count?.();
  };
  process.on('unhandledRejection', handler);
  return () => process.off('unhandledRejection', handler);
}
