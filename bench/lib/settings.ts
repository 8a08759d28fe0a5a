// Run modes and sizes. BENCH_QUICK=1: ~1-minute smoke run (fewer, shorter
// rounds; same measurements). BENCH_PROFILE=1: CPU profile of the product only.
export const QUICK = process.env.BENCH_QUICK === '1';
export const PROFILE = process.env.BENCH_PROFILE === '1';
/** A checkout of a candidate change: section 1 adds it as a fourth interleaved target. */
export const CANDIDATE = process.env.BENCH_CANDIDATE || undefined;
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const EMULATOR_HOST = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099';

export interface Settings {
  rounds: number;
  /** Duration of one throughput round (one target), ms. */
  roundMs: number;
  warmMs: number;
  /** Concurrent clients, one session each. */
  clients: number;
  /** Duration of one /mcp/token or /mcp/token/refresh round, ms. */
  httpRoundMs: number;
  sessionsToOpen: number;
  heapSessions: number;
  rebuildSamples: number;
  keyCached: number;
  keyUncached: number;
  tokenVerify: number;
  /** tools/call per target and round in the views section (3b). */
  viewCalls: number;
  /** Requests per round for the console's keys.list and sessions.list. */
  trpcKeys: number;
  trpcSessions: number;
  profileMs: number;
}

export const settings: Settings = QUICK
  ? {
      rounds: 3,
      roundMs: 1_500,
      warmMs: 1_000,
      clients: 20,
      httpRoundMs: 1_000,
      sessionsToOpen: 10_000,
      heapSessions: 1_000,
      rebuildSamples: 100,
      keyCached: 5_000,
      keyUncached: 300,
      viewCalls: 500,
      tokenVerify: 3_000,
      trpcKeys: 10,
      trpcSessions: 3,
      profileMs: 8_000,
    }
  : {
      rounds: 10,
      roundMs: 3_000,
      warmMs: 2_000,
      clients: 20,
      httpRoundMs: 2_000,
      sessionsToOpen: 10_000,
      heapSessions: 2_000,
      rebuildSamples: 300,
      keyCached: 20_000,
      keyUncached: 1_000,
      viewCalls: 1_000,
      tokenVerify: 10_000,
      trpcKeys: 20,
      trpcSessions: 8,
      profileMs: 15_000,
    };

/** Where a section reports its progress. */
export type Log = (line: string) => void;

export const log: Log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
