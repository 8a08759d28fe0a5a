// A throwaway redis-server of the test's own, on a port of its own, for
// tests that take Redis away and bring it back.
import { spawn, type ChildProcess } from 'node:child_process';
import { accepts, stopChild } from '../../harness/local-process.ts';
import { freePort } from './server.ts';
import { waitFor } from './poll.ts';
import { reapOnExit } from './reap.ts';

export interface RedisProcess {
  port: number;
  url: string;
  /** SIGKILL and wait: Redis is gone, with everything it held. */
  kill(): Promise<void>;
  /** Starts redis-server again on the same port (empty). */
  restart(): Promise<void>;
}

export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = reapOnExit(
      spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      ),
    );
    const started = child;
    await waitFor(() => accepts(port), {
      what: `redis-server on port ${port}`,
      intervalMs: 25,
      failIf: () =>
        started.exitCode === null ? undefined : `redis-server exited with ${started.exitCode}`,
    });
  };
  const kill = () => stopChild(child, 'SIGKILL');
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, restart: start };
}
