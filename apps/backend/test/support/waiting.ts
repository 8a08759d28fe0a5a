// Waiting on processes from the outside: whether a port accepts connections,
// and polling a condition with a deadline that names what it waited for.
import { connect } from 'node:net';

export const listening = (port: number) =>
  new Promise<boolean>((r) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      r(true);
    });
    socket.once('error', () => r(false));
  });

export async function until(what: string, check: () => Promise<boolean>, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
