// The servers one bench run starts, side by side on this machine: two product
// instances (A, and B as its A/A floor), the bare SDK and the ceiling
// baselines, an optional candidate checkout, and the product with metrics,
// throttling or governance off. A profile run starts product A (or the
// candidate) alone.
import { resolve } from 'node:path';
import { UNGOVERNED_ENV } from '../sections/governance.ts';
import { INSPECT_FLAG } from './inspector-profiler.ts';
import { spawnBaseline, spawnProduct, type ServerProcess } from './processes.ts';
import { CANDIDATE, PROFILE } from './settings.ts';

export interface ProductEnv {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  emulatorHost: string;
}

export interface BenchServers {
  productA: ServerProcess;
  productB?: ServerProcess;
  bare?: ServerProcess;
  ceiling?: ServerProcess;
  candidate?: ServerProcess;
  /** The product without metrics: what /metrics costs on tools/call. */
  unmetered?: ServerProcess;
  /** The product without throttling: what rate limits cost on tools/call. */
  unthrottled?: ServerProcess;
  /** The product with usage, the inspector and credential limits off (section 1d). */
  ungoverned?: ServerProcess;
}

/** A product variant that only a full (not a profile) run starts. */
const variant = (env: ProductEnv, name: string, extra: Record<string, string>) =>
  PROFILE
    ? undefined
    : spawnProduct({ ...env, name: `product-${name}`, instanceId: `bench-${name}`, env: extra });

export async function startBenchServers(env: ProductEnv): Promise<BenchServers> {
  const [productA, productB, bare, ceiling, candidate, unmetered, unthrottled, ungoverned] =
    await Promise.all([
      spawnProduct({
        ...env,
        name: 'product-A',
        instanceId: 'bench-A',
        // Profiled over the inspector, around each load only (not start-up).
        execArgv: PROFILE && !CANDIDATE ? [INSPECT_FLAG] : [],
      }),
      PROFILE ? undefined : spawnProduct({ ...env, name: 'product-B', instanceId: 'bench-B' }),
      PROFILE ? undefined : spawnBaseline('bare-sdk', 'bench/servers/bare-sdk.ts'),
      PROFILE ? undefined : spawnBaseline('ceiling', 'bench/servers/ceiling.ts'),
      CANDIDATE
        ? spawnProduct({
            ...env,
            name: 'candidate',
            instanceId: 'bench-candidate',
            root: resolve(CANDIDATE),
            execArgv: PROFILE ? [INSPECT_FLAG] : [],
          })
        : undefined,
      variant(env, 'unmetered', { METRICS_ENABLED: 'false' }),
      variant(env, 'unthrottled', { RATE_LIMIT_ENABLED: 'false' }),
      variant(env, 'ungoverned', { ...UNGOVERNED_ENV }),
    ]);
  return { productA, productB, bare, ceiling, candidate, unmetered, unthrottled, ungoverned };
}

/** The servers a full run needs beyond product A; throws when one is missing. */
export function fullRunServers(servers: BenchServers) {
  const { productB, bare, ceiling, unmetered, unthrottled, ungoverned } = servers;
  if (!productB || !bare || !ceiling || !unmetered || !unthrottled || !ungoverned)
    throw new Error('servers missing');
  return { productB, bare, ceiling, unmetered, unthrottled, ungoverned };
}
