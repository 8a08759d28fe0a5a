// Where the repository's Prisma files live, independent of the caller's cwd.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
export const REPO_ROOT = resolve(here, '../../..');
export const MIGRATIONS_DIR = resolve(REPO_ROOT, 'prisma/migrations');
export const DEFAULT_PGLITE_DIR = resolve(REPO_ROOT, '.data/pglite');
