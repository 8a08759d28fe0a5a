// Applies prisma/migrations/*/migration.sql to DATABASE_URL (a PostgreSQL URL)
// or, when unset, to the embedded PGlite database in .data/pglite, recording
// each in `_prisma_migrations` as `prisma migrate deploy` would.
//   npm run db:migrate
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/flowpos npm run db:migrate
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createDatabase, DEFAULT_PGLITE_DIR, isPgliteUrl } from '@flowpos/db';

function describeTarget(url: string | undefined): string {
  if (isPgliteUrl(url)) {
    const dir = url?.slice('pglite:'.length) || DEFAULT_PGLITE_DIR;
    return `PGlite (${dir === 'memory' ? 'in memory' : dir})`;
  }
  try {
    const u = new URL(url as string);
    u.password = u.password ? '***' : '';
    return u.toString();
  } catch {
    return 'PostgreSQL';
  }
}

// PGlite creates its data folder but not the folders above it (.data/).
function ensurePgliteParent(url: string | undefined): void {
  if (!isPgliteUrl(url)) return;
  const dir = url?.slice('pglite:'.length) || DEFAULT_PGLITE_DIR;
  if (dir !== 'memory') mkdirSync(dirname(resolve(dir)), { recursive: true });
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL || undefined;
  ensurePgliteParent(url);
  const db = createDatabase(url, { poolSize: 1 });
  try {
    const applied = await db.migrate();
    const target = describeTarget(url);
    if (applied.length === 0) {
      console.log(`Database ${target} is up to date: no migration to apply.`);
    } else {
      console.log(`Applied ${applied.length} migration(s) to ${target}:`);
      for (const name of applied) console.log(`  - ${name}`);
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
