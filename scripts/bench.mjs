// npm run bench: the benchmarks on the runtime we ship. Runs bench/run.ts on
// Node 24 (fetched into .tools/ like npm start and npm test do), with the
// dependencies and the Prisma client in place, and with a Firebase Auth
// Emulator (the one already answering, else a throwaway one stopped at the
// end) so the token exchange and console rows report figures.
// Plain Node ESM on purpose: it must run before dependencies are installed.
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { ensureNode24 } from './node-runtime.mjs';
import {
  ensureDependencies,
  buildViews,
  generatePrismaClient,
  killOnExit,
  quietEnv,
  readyAuthEmulator,
  root,
  run,
  stopGroups,
} from './bootstrap.mjs';

await ensureNode24('npm run bench');

let emulator = null;
const stop = () => stopGroups([emulator]);
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => void stop().finally(() => process.exit(130)));
killOnExit(() => [emulator]);

function die(message) {
  process.stderr.write(`npm run bench: ${message}\n`);
  return stop().finally(() => process.exit(1));
}

async function main() {
  const env = quietEnv();
  if (!(await ensureDependencies({ env }))) return die('dependency install failed');
  if (!(await generatePrismaClient({ env, ifStale: true }))) return die('prisma generate failed');
  if (!(await buildViews({ env, ifStale: true }))) return die('the views build failed');

  const log = resolve(tmpdir(), `flowpos-bench-emulator-${process.pid}.log`);
  const started = await readyAuthEmulator({ env, log });
  emulator = started.child;
  if (started.error) return die(started.error);
  const code = await run(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
    cwd: root,
    env: { ...env, FIREBASE_AUTH_EMULATOR_HOST: started.host },
  });
  await stop();
  process.exit(code);
}

main().catch((error) =>
  die(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
