// Servers the tests, the bench and the soak run as child processes of their
// own (redis-server, PostgreSQL, the backend): is the port up yet, and a stop
// that waits until the process is gone.
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/** Whether something accepts TCP connections on 127.0.0.1:`port` now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Sends `signal` to `child` and resolves once it has exited (at once if it already has). */
export async function stopChild(
  child: ChildProcess | undefined,
  signal: NodeJS.Signals,
): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  await exited;
}
