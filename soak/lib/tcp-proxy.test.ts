import assert from 'node:assert/strict';
import { connect, createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/** An echo server: what the proxy forwards comes back. */
let echo: Server;
let echoPort = 0;
let proxy: TcpProxy;

before(async () => {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as { port: number }).port;
  proxy = await startTcpProxy({ port: echoPort });
});

after(async () => {
  await proxy.close();
  await new Promise<void>((r) => echo.close(() => r()));
});

/** Sends `text` through the proxy; resolves with the echo, or the error's code. */
function roundTrip(text: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(proxy.port, '127.0.0.1', () => s.write(text));
    s.once('data', (d) => {
      resolve(String(d));
      s.destroy();
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

describe('the soak TCP proxy', () => {
  it('forwards both ways', async () => {
    assert.equal(await roundTrip('ping'), 'ping');
    assert.ok(proxy.accepted >= 1);
  });

  it('drops open connections and refuses new ones while cut, then accepts again on the same port', async () => {
    const open = connect(proxy.port, '127.0.0.1');
    await new Promise((r) => open.once('connect', r));
    const closed = new Promise((r) => open.once('close', r));
    await proxy.cutOff();
    assert.equal(proxy.cut, true);
    await closed;
    assert.equal(await roundTrip('x'), 'ECONNREFUSED');
    const port = proxy.port;
    await proxy.resume();
    assert.equal(proxy.port, port);
    assert.equal(await roundTrip('back'), 'back');
  });

  it('outage(ms) cuts for that long', async () => {
    const outage = proxy.outage(300);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await roundTrip('x'), 'ECONNREFUSED');
    await outage;
    assert.equal(await roundTrip('after'), 'after');
  });
});
