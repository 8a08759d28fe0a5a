// Bench section 5: open many sessions, their Redis bytes, rebuild on another instance.
import type { Redis } from 'ioredis';
import { newAgent, request, runCount, type Endpoint } from '../lib/http-load.ts';
import { initializeBody, MCP_ACCEPT, pingBody } from '../lib/mcp-http.ts';
import type { Report } from '../lib/report.ts';
import type { Log, Settings } from '../lib/settings.ts';
import { median, p } from '../lib/stats.ts';

export async function benchSessions(opts: {
  report: Report;
  settings: Settings;
  redis: Redis;
  prefix: string;
  key: string;
  A: Endpoint;
  B: Endpoint;
  log: Log;
}): Promise<string[]> {
  const { report, settings, redis, prefix, key, A, B, log } = opts;
  const S = '5 sessions';
  const headers = {
    'content-type': 'application/json',
    accept: MCP_ACCEPT,
    authorization: `Bearer ${key}`,
  };
  const body = initializeBody('bench-idle');
  const ids: string[] = [];
  const { seconds } = await runCount(
    settings.sessionsToOpen,
    settings.clients,
    async (_i, agent) => {
      const answer = await request(agent, A, 'POST', '/mcp', headers, body);
      const id = answer.headers['mcp-session-id'];
      if (answer.status !== 200 || typeof id !== 'string')
        throw new Error(`initialize: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
      ids.push(id);
    },
  );
  report.add({
    section: S,
    metric: `time to open ${settings.sessionsToOpen.toLocaleString('en-US')} sessions`,
    value: seconds,
    unit: 's',
    detail: `${(settings.sessionsToOpen / seconds).toFixed(0)} initialize/s, ${settings.clients} concurrent clients, one instance, one run`,
  });
  log(`  opened ${ids.length} sessions in ${seconds.toFixed(1)} s`);

  // Redis bytes per session.
  const sample = ids.slice(0, 200);
  const usage = async (k: string) =>
    Number(await redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0')) || 0;
  const perKey: number[] = [];
  for (const id of sample) perKey.push(await usage(`${prefix}mcp:session:${id}`));
  const jsonBytes = median(
    await Promise.all(sample.slice(0, 50).map((id) => redis.strlen(`${prefix}mcp:session:${id}`))),
  );
  const live = await redis.zcard(`${prefix}mcp:sessions`);
  const indexBytes = await usage(`${prefix}mcp:sessions`);
  let credentialBytes = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}mcp:credential:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    for (const k of keys) credentialBytes += await usage(k);
  } while (cursor !== '0');
  const keyBytes = median(perKey);
  const share = live ? (indexBytes + credentialBytes) / live : 0;
  report.add({
    section: S,
    metric: 'Redis bytes per session (mcp:session:{id})',
    value: keyBytes,
    unit: 'B',
    target: '≤ 2 KB',
    pass: keyBytes <= 2048,
    detail: `MEMORY USAGE median of ${sample.length}; JSON ${jsonBytes} B; + index/credential-set share ${share.toFixed(0)} B = ${(keyBytes + share).toFixed(0)} B all-in (${live} live)`,
  });

  // Rebuild on another instance: first request on B for a session opened on A, then a second one.
  const agent = newAgent();
  const probe = ids[0] as string;
  await request(
    agent,
    B,
    'POST',
    '/mcp',
    { ...headers, 'mcp-session-id': probe, 'mcp-protocol-version': '2025-11-25' },
    pingBody(1),
  );
  const first: number[] = [];
  const warm: number[] = [];
  const overhead: number[] = [];
  const candidates = ids.slice(sample.length + 1, sample.length + 1 + settings.rebuildSamples);
  for (const id of candidates) {
    const h = { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
    let t0 = performance.now();
    const a1 = await request(agent, B, 'POST', '/mcp', h, pingBody(1));
    const d1 = performance.now() - t0;
    t0 = performance.now();
    const a2 = await request(agent, B, 'POST', '/mcp', h, pingBody(2));
    const d2 = performance.now() - t0;
    if (a1.status !== 200 || a2.status !== 200)
      throw new Error(`ping on B: HTTP ${a1.status}/${a2.status} ${a1.body.slice(0, 200)}`);
    first.push(d1);
    warm.push(d2);
    overhead.push(d1 - d2);
  }
  agent.destroy();
  const firstP50 = p(first, 50);
  report.add({
    section: S,
    metric: 'rebuild on another instance: first request p50',
    value: firstP50,
    unit: 'ms',
    target: '< 1 ms',
    pass: firstP50 < 1,
    detail: `ping on B for a session opened on A (Redis GET + session record: a ping, like a plain tools/call, needs no SDK server); ${candidates.length} sessions, sequential`,
  });
  report.add({
    section: S,
    metric: 'rebuild on another instance: first request p99',
    value: p(first, 99),
    unit: 'ms',
  });
  report.add({
    section: S,
    metric: 'same session, next request (cached) p50 / p99',
    value: p(warm, 50),
    value2: p(warm, 99),
    unit: 'ms',
    detail: 'the request right after the rebuild, same instance',
  });
  report.add({
    section: S,
    metric: 'rebuild overhead (first − next, paired) p50 / p99',
    value: p(overhead, 50),
    value2: p(overhead, 99),
    unit: 'ms',
  });
  return ids;
}
