// npm run soak: faults under load (issue 22; soak/run.ts does the work).
//   npm run soak                      3 minutes, one fault of each kind
//   npm run soak -- --minutes N
// Needs PostgreSQL's server binaries (Debian's postgresql package), redis-server,
// HAProxy and the Firebase Auth Emulator on FIREBASE_AUTH_EMULATOR_HOST
// (default 127.0.0.1:9099; started here when none answers). Never touches the
// machine's own PostgreSQL or Redis: it starts its own, on ports of its own.
// Plain Node ESM, like the other entry scripts.
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { ensureNode24 } from './node-runtime.mjs';
import {
  buildViews,
  generatePrismaClient,
  hasCommand,
  killOnExit,
  quietEnv,
  readyAuthEmulator,
  root,
  stopGroups,
} from './bootstrap.mjs';
import { spawn } from 'node:child_process';

await ensureNode24('npm run soak');

let emulator = null;
let soak = null;
const stop = () => stopGroups([soak, emulator], { signal: 'SIGTERM', graceMs: 20_000 });
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => void stop().finally(() => process.exit(130)));
killOnExit(() => [soak, emulator]);

function die(message) {
  process.stderr.write(`npm run soak: ${message}\n`);
  return stop().finally(() => process.exit(1));
}

async function main() {
  const env = quietEnv();
  for (const cmd of ['haproxy', 'redis-server'])
    if (!hasCommand(cmd)) return die(`${cmd} is missing (apt-get install -y ${cmd})`);
  if (!(await generatePrismaClient({ env, ifStale: true }))) return die('prisma generate failed');
  if (!(await buildViews({ env, ifStale: true }))) return die('the views build failed');
  const log = resolve(tmpdir(), `flowpos-soak-emulator-${process.pid}.log`);
  const started = await readyAuthEmulator({ env, log });
  emulator = started.child;
  if (started.error) return die(started.error);
  soak = spawn(process.execPath, ['--import', 'tsx', 'soak/run.ts', ...process.argv.slice(2)], {
    cwd: root,
    env: { ...env, FIREBASE_AUTH_EMULATOR_HOST: started.host },
    stdio: 'inherit',
    detached: true,
  });
  const code = await new Promise((r) => soak.once('exit', (c, s) => r(c ?? (s ? 1 : 0))));
  soak = null;
  await stopGroups([emulator]);
  process.exit(code);
}

main().catch((error) => die(error instanceof Error ? error.message : String(error)));
