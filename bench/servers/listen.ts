// How every baseline server runs: on PORT (any free port when unset) on
// loopback, keep-alive like the product (HTTP_KEEP_ALIVE_TIMEOUT_SECONDS' default), `READY <port>` printed once listening
// (what spawnBaseline waits for), closed on SIGTERM.
import type { Server } from 'node:http';

export function listenForBench(httpServer: Server): void {
  httpServer.keepAliveTimeout = 65_000;
  httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = httpServer.address();
    process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
  process.on('SIGTERM', () => httpServer.close(() => process.exit(0)));
  process.on('SIGINT', () => process.exit(0));
}
