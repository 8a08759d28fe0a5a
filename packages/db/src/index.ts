// Database access for FlowPOS: the Prisma client factory, the migration
// applier and the generated model types.
export { createDatabase, isPgliteUrl, type Database, type Db, type SqlClient } from './client.ts';
export { DatabaseInUseError } from './pglite-lock.ts';
export { applyMigrations, listMigrations, type SqlExecutor } from './migrate.ts';
export { MIGRATIONS_DIR, REPO_ROOT, DEFAULT_PGLITE_DIR } from './paths.ts';
export { Prisma, PrismaClient } from './generated/prisma/client.ts';
export type * from './generated/prisma/models.ts';
export { Role, IntentKind, IntentStatus, OrderStatus } from './generated/prisma/enums.ts';
