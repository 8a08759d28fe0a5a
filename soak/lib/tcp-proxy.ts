// A loopback TCP proxy the soak puts in front of Redis and PostgreSQL: the
// backends keep their configured address while the service behind it
// becomes unreachable (open connections dropped, new ones refused), as in a
// network outage; `resume` accepts again on the same port.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections accepted since start. */
  readonly accepted: number;
  /** True while cut. */
  readonly cut: boolean;
  /** Drops every open connection and refuses new ones. */
  cutOff(): Promise<void>;
  /** Accepts connections again, on the same port. */
  resume(): Promise<void>;
  /** Cut for `ms`, then resumed. */
  outage(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(
  target: { host?: string; port: number },
  listenPort = 0,
): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let cut = false;
  let server: Server = createServer();
  const onConnection = (client: Socket) => {
    accepted++;
    const upstream = connect(target.port, target.host ?? '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  };
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer(onConnection);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(listenPort);
  const cutOff = async () => {
    if (cut) return;
    cut = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  const resume = async () => {
    if (!cut) return;
    await listen(port);
    cut = false;
  };
  return {
    port,
    get accepted() {
      return accepted;
    },
    get cut() {
      return cut;
    },
    cutOff,
    resume,
    async outage(ms) {
      await cutOff();
      await new Promise((r) => setTimeout(r, ms));
      await resume();
    },
    async close() {
      await cutOff();
    },
  };
}
