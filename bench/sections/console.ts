// Bench section 6: the console's tRPC keys.list and sessions.list with many live sessions.
import { randomBytes } from 'node:crypto';
import { createCaller, createTRPCContext } from '@flowpos/api';
import {
  createAuditLog,
  createMemoryEventBus,
  createRedisSessionStore,
  POS_TOOLS,
  SessionDirectory,
  ToolRegistry,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import type { Redis } from 'ioredis';
import type { TestUser } from '../../apps/backend/harness/fixtures.ts';
import { newAgent, request, type Endpoint } from '../lib/http-load.ts';
import type { Report } from '../lib/report.ts';
import type { Log, Settings } from '../lib/settings.ts';
import { p, roundsMedian } from '../lib/stats.ts';

export async function benchConsole(opts: {
  report: Report;
  settings: Settings;
  db: Db;
  redis: Redis;
  prefix: string;
  A: Endpoint;
  operator: TestUser | undefined;
  businessId: string;
  log: Log;
}): Promise<void> {
  const { report, settings, db, redis, prefix, A, operator, businessId, log } = opts;
  const S = '6 console tRPC';
  let callKeys: () => Promise<number>;
  let callSessions: () => Promise<number>;
  let how: string;
  let sessionsBytes = 0;
  const sessionCount = await redis.zcard(`${prefix}mcp:sessions`);
  if (operator) {
    const idToken = await operator.idToken();
    const agent = newAgent();
    const headers = { authorization: `Bearer ${idToken}` };
    const keysPath = `/trpc/keys.list?input=${encodeURIComponent(JSON.stringify({ json: { businessId } }))}`;
    const sessionsPath = `/trpc/sessions.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`;
    const get = async (path: string) => {
      const answer = await request(agent, A, 'GET', path, headers);
      if (answer.status !== 200)
        throw new Error(
          `GET ${path.split('?')[0]}: HTTP ${answer.status} ${answer.body.slice(0, 300)}`,
        );
      return answer.body;
    };
    const count = (body: string) =>
      (
        (JSON.parse(body) as { result: { data: { json: unknown[] | { keys: unknown[] } } } }).result
          .data.json as unknown[]
      ).length;
    callKeys = async () => (await get(keysPath)).length;
    callSessions = async () => (await get(sessionsPath)).length;
    const keysBody = await get(keysPath);
    const sessionsBody = await get(sessionsPath);
    sessionsBytes = sessionsBody.length;
    let keysCount: number | string;
    try {
      keysCount = count(keysBody);
    } catch {
      keysCount = '?';
    }
    how = `HTTP GET /trpc on instance A, operator's Firebase ID token (emulator); ${keysCount} keys, ${sessionCount} live sessions (page of ${(JSON.parse(sessionsBody) as { result: { data: { json: { items: unknown[] } } } }).result.data.json.items.length}), ${(sessionsBytes / 1e3).toFixed(0)} kB response`;
  } else {
    // In-process: the same router and procedures, a fake IdTokenVerifier.
    const uid = `bench-operator-${randomBytes(4).toString('hex')}`;
    await db.user.create({
      data: { email: `${uid}@test.flowpos`, firebaseUid: uid, isPlatformOperator: true },
    });
    const events = createMemoryEventBus();
    const services = {
      db,
      audit: createAuditLog(db),
      events,
      sessions: new SessionDirectory(
        createRedisSessionStore(redis, { prefix, idleTtlMs: 86_400_000 }),
        events,
      ),
      registry: new ToolRegistry(POS_TOOLS),
      verifier: {
        verify: async () => ({ uid, email: `${uid}@test.flowpos`, emailVerified: true }),
      },
      issuer: 'http://127.0.0.1:4000',
    };
    const caller = () =>
      createCaller(createTRPCContext({ authorization: 'Bearer fake', services }));
    callKeys = async () => (await caller().keys.list({ businessId })).length;
    callSessions = async () => (await caller().sessions.list({})).items.length;
    how = `in-process createCaller (emulator not running: fake IdTokenVerifier); ${sessionCount} live sessions`;
  }
  log(`  ${how}`);
  const k: number[][] = [];
  const s: number[][] = [];
  for (let r = 0; r < settings.rounds; r++) {
    const kr: number[] = [];
    const sr: number[] = [];
    for (let i = 0; i < settings.trpcKeys; i++) {
      const t0 = performance.now();
      await callKeys();
      kr.push(performance.now() - t0);
    }
    for (let i = 0; i < settings.trpcSessions; i++) {
      const t0 = performance.now();
      await callSessions();
      sr.push(performance.now() - t0);
    }
    k.push(kr);
    s.push(sr);
    log(
      `  round ${r + 1}: keys.list p50 ${p(kr, 50).toFixed(1)} ms, sessions.list p50 ${p(sr, 50).toFixed(1)} ms`,
    );
  }
  report.add({
    section: S,
    metric: 'keys.list p50 / p95',
    value: roundsMedian(k, 50),
    value2: roundsMedian(k, 95),
    unit: 'ms',
    detail: `${settings.trpcKeys} sequential calls/round; ${how}`,
  });
  const sessionsP95 = roundsMedian(s, 95);
  report.add({
    section: S,
    metric: 'sessions.list (operator) p50 / p95',
    value: roundsMedian(s, 50),
    value2: sessionsP95,
    unit: 'ms',
    target: 'p95 < 100 ms',
    pass: sessionsP95 < 100,
    rounds: s.map((r) => +p(r, 95).toFixed(1)),
    detail: `${settings.trpcSessions} sequential calls/round, rounds interleaved with keys.list`,
  });
}
