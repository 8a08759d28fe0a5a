// Load generation with node:http keep-alive agents: one agent (one socket per
// host) per simulated client, closed loop (send, await the answer, send again).
// Deliberately not the SDK client: it costs more CPU than the servers it drives.
import http from 'node:http';
import { Samples } from './stats.ts';

export interface Endpoint {
  host: string;
  port: number;
}

export function endpointOf(baseUrl: string): Endpoint {
  const u = new URL(baseUrl);
  return { host: u.hostname, port: Number(u.port) };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function newAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 30_000 });
}

/** One request; reads the whole body. */
export function request(
  agent: http.Agent | undefined,
  endpoint: Endpoint,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: endpoint.host,
        port: endpoint.port,
        method,
        path,
        headers:
          body === undefined
            ? headers
            : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** The hot-loop variant: returns the status only and discards the body. */
function fire(
  agent: http.Agent,
  endpoint: Endpoint,
  path: string,
  headers: http.OutgoingHttpHeaders,
  body: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: endpoint.host, port: endpoint.port, method: 'POST', path, headers },
      (res) => {
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface LoadClient {
  agent: http.Agent;
  /** Requests alternate over these endpoints (one entry: always the same). */
  endpoints: Endpoint[];
  path: string;
  headers: Record<string, string>;
  /** The JSON body of the n-th request of this client. */
  body(n: number): string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs every client in a closed loop for `durationMs`; 2xx answers count as successes. */
export async function runLoad(clients: LoadClient[], durationMs: number): Promise<LoadResult> {
  const samples = new Samples();
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  const stopAt = started + durationMs;
  await Promise.all(
    clients.map(async (client) => {
      let n = 0;
      while (performance.now() < stopAt) {
        const endpoint = client.endpoints[n % client.endpoints.length] as Endpoint;
        const body = client.body(n);
        const headers = { ...client.headers, 'content-length': Buffer.byteLength(body) };
        const t0 = performance.now();
        try {
          const status = await fire(client.agent, endpoint, client.path, headers, body);
          if (status < 200 || status >= 300) {
            errors++;
            firstError ??= `HTTP ${status}`;
          }
        } catch (error) {
          errors++;
          firstError ??= error;
        }
        samples.push(performance.now() - t0);
        n++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (errors > 0 && errors === samples.length)
    throw new Error(`every request failed: ${String(firstError)}`);
  return {
    requests: samples.length,
    errors,
    seconds,
    rps: (samples.length - errors) / seconds,
    p50Ms: samples.percentile(50),
    p99Ms: samples.percentile(99),
  };
}

/** Runs `count` requests spread over `concurrency` closed-loop workers; returns wall time. */
export async function runCount(
  count: number,
  concurrency: number,
  one: (i: number, agent: http.Agent) => Promise<void>,
): Promise<{ seconds: number }> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const agent = newAgent();
      try {
        for (;;) {
          const i = next++;
          if (i >= count) return;
          await one(i, agent);
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000 };
}

/**
 * Warms a target until it is steady: at least `minMs` of load, then 1-second
 * runs until two in a row agree within 5% on throughput (at most `maxMs` in
 * all). A fixed short warm-up measured a product, whose JIT has more to
 * compile than a bare echo's, before it was hot. Returns how long it took.
 */
export async function warmUp(
  clients: LoadClient[],
  minMs: number,
  maxMs = Math.max(minMs, 12_000),
): Promise<number> {
  const started = performance.now();
  await runLoad(clients, minMs);
  let last = (await runLoad(clients, 1_000)).rps;
  while (performance.now() - started < maxMs) {
    const now = (await runLoad(clients, 1_000)).rps;
    if (Math.abs(now - last) <= 0.05 * Math.max(now, last)) break;
    last = now;
  }
  return performance.now() - started;
}
