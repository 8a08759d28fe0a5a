// CPU profiles of a running server over its inspector (started with
// `--inspect=127.0.0.1:0`): the profiler is switched on and off around one
// load, so a profile holds that load only, not start-up (tsx compiling every
// module) or another load run in the same process.
import type { CpuProfile } from './profile-summary.ts';
import type { ServerProcess } from './processes.ts';
import { sleep } from './stats.ts';

/** The node flag that opens the inspector on a free loopback port. */
export const INSPECT_FLAG = '--inspect=127.0.0.1:0';

/** The server's inspector WebSocket address, from the line Node prints when it opens. */
async function inspectorUrl(server: ServerProcess, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(server.output())?.[1];
    if (url) return url;
    if (Date.now() > deadline)
      throw new Error(`${server.name}: no inspector address in its output`);
    await sleep(100);
  }
}

export interface Profiler {
  start(): Promise<void>;
  stop(): Promise<CpuProfile>;
  close(): void;
}

/** Connects to the server's inspector; `samplingUs` is the sampling interval (V8's default 1000). */
export async function connectProfiler(server: ServerProcess, samplingUs = 500): Promise<Profiler> {
  const ws = new WebSocket(await inspectorUrl(server));
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('inspector connection failed')), {
      once: true,
    });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    const waiter = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!waiter || msg.id === undefined) return;
    pending.delete(msg.id);
    if (msg.error) waiter.reject(new Error(`inspector: ${msg.error.message}`));
    else waiter.resolve(msg.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: samplingUs });
  return {
    start: async () => void (await send('Profiler.start')),
    stop: async () => ((await send('Profiler.stop')) as { profile: CpuProfile }).profile,
    close: () => ws.close(),
  };
}
