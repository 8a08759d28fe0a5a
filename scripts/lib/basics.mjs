// The few things every entry script and scripts/lib module needs: the
// repository's root, a sleep, a line on stdout, and the children's environment.
// Plain Node ESM on purpose: it runs before dependencies are installed.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const say = (line = '') => process.stdout.write(`${line}\n`);

/** The environment of every child: this one, without telemetry or update notices. */
export const quietEnv = (env = process.env) => ({
  ...env,
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  NO_UPDATE_NOTIFIER: '1',
});
