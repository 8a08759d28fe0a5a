// A throwaway redis-server of the test's own, on a port of its own, for
// tests that take Redis away and bring it back.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
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

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
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
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, restart: start };
}
