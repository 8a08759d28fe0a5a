// The soak's database: created on its own PostgreSQL, migrated as a release
// step would, and given one business with products, an order large enough
// for every refund the run proposes, a merchant (in the Firebase Auth
// Emulator too) and three API keys.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '@flowpos/db';
import { createBusiness, createKey, createUser } from '../../apps/backend/harness/fixtures.ts';
import { REPO_ROOT } from './fleet.ts';
import type { Postgres } from './services.ts';

export async function prepareDatabase(postgres: Postgres) {
  const admin = new pg.Client({ connectionString: postgres.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE flowpos_soak');
  await admin.end();
  const directUrl = postgres.url('flowpos_soak');
  const migrate = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: directUrl },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr}`);

  const database = createDatabase(directUrl, { poolSize: 2 });
  const db = database.prisma;
  const { business, products } = await createBusiness(
    db,
    `Soak Diner ${randomBytes(3).toString('hex')}`,
  );
  const order = await db.order.create({
    data: { businessId: business.id, totalCents: 1_000_000, placedAt: new Date() },
  });
  const merchant = await createUser(db, {
    memberships: [{ businessId: business.id, role: 'merchant' }],
    label: 'soak',
  });
  const keys = await Promise.all(
    Array.from({ length: 3 }, () => createKey(db, { businessId: business.id })),
  );
  return { database, business, products, order, merchant, keys };
}
