// npm run seed [-- --demo-key]
// Migrates DATABASE_URL (or the embedded PGlite default in .data/pglite), then
// upserts the demo businesses, catalogs, orders, users (Firebase Auth Emulator
// + database), memberships and seed API keys. Safe to run again.
// --demo-key also rotates the `Demo key (npm start)` key and prints it.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createDatabase, DEFAULT_PGLITE_DIR, isPgliteUrl } from '@flowpos/db';
import {
  assertEmulatorReachable,
  DEMO_PASSWORD,
  emulatorHost,
  seed,
  SeedError,
} from './seed-data.ts';

// PGlite creates its data folder but not the folders above it (.data/).
function ensurePgliteParent(url: string | undefined): void {
  if (!isPgliteUrl(url)) return;
  const dir = url?.slice('pglite:'.length) || DEFAULT_PGLITE_DIR;
  if (dir !== 'memory') mkdirSync(dirname(resolve(dir)), { recursive: true });
}

async function main(): Promise<void> {
  const demoKey = process.argv.includes('--demo-key');
  process.env.FIREBASE_AUTH_EMULATOR_HOST = emulatorHost();
  await assertEmulatorReachable();

  const url = process.env.DATABASE_URL || undefined;
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
