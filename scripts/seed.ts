// npm run seed [-- --demo-key]
// Migrates DATABASE_URL (or the embedded PGlite default in .data/pglite), then
// upserts the demo businesses, catalogs, orders, users (Firebase Auth Emulator
// + database), memberships and seed API keys. Safe to run again.
// --demo-key also rotates the `Demo key (npm start)` key and prints it.
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { createDatabase, DEFAULT_PGLITE_DIR, isPgliteUrl } from '@flowpos/db';
import { seed } from './seed-data.ts';
import { assertEmulatorReachable, emulatorHost, SeedError } from './seed/emulator.ts';
import { DEMO_PASSWORD } from './seed/users.ts';

// PGlite creates its data folder but not the folders above it (.data/).
function ensurePgliteParent(url: string | undefined): void {
  if (!isPgliteUrl(url)) return;
  const dir = url?.slice('pglite:'.length) || DEFAULT_PGLITE_DIR;
  if (dir !== 'memory') mkdirSync(dirname(resolve(dir)), { recursive: true });
}

/** Whether something answers on 127.0.0.1:port (a running backend, here). */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolvePromise(true)));
    socket.once('error', () => resolvePromise(false));
    socket.once('timeout', () => (socket.destroy(), resolvePromise(false)));
  });
}

async function main(): Promise<void> {
  const demoKey = process.argv.includes('--demo-key');
  process.env.FIREBASE_AUTH_EMULATOR_HOST = emulatorHost();
  await assertEmulatorReachable();

  const url = process.env.DATABASE_URL || undefined;
  // PGlite is one process's database: opening the folder a running backend
  // holds would hang or damage it (npm start seeds before its backend starts).
  const port = Number(process.env.PORT || 4000);
  if (isPgliteUrl(url) && url !== 'pglite:memory' && (await portAnswers(port))) {
    throw new SeedError(
      `A backend answers on port ${port} and may hold the embedded database: stop npm start first (it seeds at start), or seed PostgreSQL with DATABASE_URL`,
    );
  }
  ensurePgliteParent(url);
  const db = createDatabase(url, { poolSize: 2 });
  try {
    const applied = await db.migrate();
    console.log(
      `Seeding ${db.kind === 'pglite' ? 'the embedded PGlite database' : 'PostgreSQL'}` +
        (applied.length ? ` (applied migrations: ${applied.join(', ')})` : ''),
    );
    await seed({ prisma: db.prisma, demoKey, log: (line) => console.log(line) });
    console.log(`Seed done. Demo users sign in with password "${DEMO_PASSWORD}".`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof SeedError ? message : `Seed failed: ${message}`);
  process.exit(1);
});
