// Prisma CLI configuration. Only `prisma generate` is used offline; migrations
// are applied by scripts/migrate.ts (see packages/db/src/migrate.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
