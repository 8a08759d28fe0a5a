// Bench section 4: V2 token verification and the /mcp/token, /mcp/token/refresh endpoints.
import { randomUUID } from 'node:crypto';
import { McpTokenSigner } from '@flowpos/core';
import type { TestUser } from '../../apps/backend/harness/fixtures.ts';
import {
  newAgent,
  request,
  runLoad,
  type Endpoint,
  type LoadClient,
  type LoadResult,
} from '../lib/http-load.ts';
import { BENCH_TOKEN_SECRET } from '../lib/processes.ts';
import type { Report } from '../lib/report.ts';
import type { Log, Settings } from '../lib/settings.ts';
import { median, roundsMedian, timeEach } from '../lib/stats.ts';

export async function benchTokens(opts: {
  report: Report;
  settings: Settings;
  product: Endpoint;
  merchant: TestUser | undefined;
  log: Log;
}): Promise<void> {
  const { report, settings, product, merchant, log } = opts;
  const S = '4 V2 tokens';
  const signer = new McpTokenSigner({
    secret: BENCH_TOKEN_SECRET,
    ttlSeconds: 3600,
    issuer: 'http://127.0.0.1:4000',
    audience: 'http://127.0.0.1:4000/mcp',
  });
  const subject = () => ({
    sub: randomUUID(),
    email: 'bench@test.flowpos',
    role: 'merchant',
    businessIds: [randomUUID()],
  });
  const { token } = await signer.sign(subject());
  await timeEach(1_000, () => signer.verify(token));
  const seen: Float64Array[] = [];
  const fresh: Float64Array[] = [];
  for (let r = 0; r < settings.rounds; r++) {
    seen.push(await timeEach(settings.tokenVerify, () => signer.verify(token)));
    // Distinct tokens, signed before the clock starts: each is verified for the first time.
    const tokens = await Promise.all(
      Array.from(
        { length: settings.tokenVerify },
        async () => (await signer.sign(subject())).token,
      ),
    );
    fresh.push(await timeEach(tokens.length, (i) => signer.verify(tokens[i] as string)));
  }
  report.add({
    section: S,
    metric: 'McpTokenSigner.verify, a token seen before: p50 / p99',
    value: roundsMedian(seen, 50),
    value2: roundsMedian(seen, 99),
    unit: 'µs',
    detail: `in-process, from the verified-token memory, ${settings.tokenVerify} calls/round; target p50 < 10`,
  });
  report.add({
    section: S,
    metric: 'McpTokenSigner.verify, a new token: p50 / p99',
    value: roundsMedian(fresh, 50),
    value2: roundsMedian(fresh, 99),
    unit: 'µs',
    detail: `in-process, HS256 via jose, ${settings.tokenVerify} distinct tokens/round; target p50 < 200`,
  });

  if (!merchant) {
    report.skip(S, 'POST /mcp/token, /mcp/token/refresh', 'emulator not running');
    return;
  }
  const idToken = await merchant.idToken();
  const headers = { 'content-type': 'application/json' };
  const first = await request(
    undefined,
    product,
    'POST',
    '/mcp/token',
    headers,
    JSON.stringify({ firebaseIdToken: idToken }),
  );
  if (first.status !== 200) throw new Error(`/mcp/token: HTTP ${first.status} ${first.body}`);
  const issued = (JSON.parse(first.body) as { token: string }).token;
  const refreshed = await request(
    undefined,
    product,
    'POST',
    '/mcp/token/refresh',
    headers,
    JSON.stringify({ token: issued }),
  );
  if (refreshed.status !== 200)
    throw new Error(`/mcp/token/refresh: HTTP ${refreshed.status} ${refreshed.body}`);
  const concurrency = 10;
  const clients = (path: string, body: string): LoadClient[] =>
    Array.from({ length: concurrency }, () => ({
      agent: newAgent(),
      endpoints: [product],
      path,
      headers,
      body: () => body,
    }));
  const exchange = clients('/mcp/token', JSON.stringify({ firebaseIdToken: idToken }));
  const refresh = clients('/mcp/token/refresh', JSON.stringify({ token: issued }));
  await runLoad(exchange, 500);
  await runLoad(refresh, 500);
  const ex: LoadResult[] = [];
  const rf: LoadResult[] = [];
  for (let r = 0; r < settings.rounds; r++) {
    ex.push(await runLoad(exchange, settings.httpRoundMs));
    rf.push(await runLoad(refresh, settings.httpRoundMs));
    log(
      `  round ${r + 1}: /mcp/token ${ex.at(-1)?.rps.toFixed(0)} req/s, /refresh ${rf.at(-1)?.rps.toFixed(0)} req/s`,
    );
  }
  for (const c of [...exchange, ...refresh]) c.agent.destroy();
  for (const [label, rs] of [
    ['POST /mcp/token (Firebase ID token exchange)', ex],
    ['POST /mcp/token/refresh', rf],
  ] as const) {
    report.add({
      section: S,
      metric: `${label}: throughput`,
      value: median(rs.map((r) => r.rps)),
      unit: 'req/s',
      rounds: rs.map((r) => Math.round(r.rps)),
      detail: `${concurrency} clients, HTTP against instance A; errors ${rs.reduce((a, r) => a + r.errors, 0)}`,
    });
    report.add({
      section: S,
      metric: `${label}: p50 / p99`,
      value: median(rs.map((r) => r.p50Ms)),
      value2: median(rs.map((r) => r.p99Ms)),
      unit: 'ms',
    });
  }
}
