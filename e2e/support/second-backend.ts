// A second backend instance for one spec: same database, Redis prefix and
// secrets as the run's backend, its own port. Requests spread over both show
// that nothing depends on which instance a request reaches.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { backendEnv } from './backend-env.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface SecondBackend {
  port: number;
  stop(): Promise<void>;
}

export async function startSecondBackend(databaseUrl: string): Promise<SecondBackend> {
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/backend/src/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...backendEnv(databaseUrl, port, `e2e-second-${port}`), MIGRATE_ON_START: 'false' },
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return { port, stop };
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error('the second backend instance did not become ready');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
