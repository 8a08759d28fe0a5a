// Key minting, the one place a secret is made and its row written: a new key
// (create) and a key's next secret (rotate) both come from here. The secret
// exists in clear only in the result; the row keeps its hash and prefix.
import type { Db, Prisma } from '@flowpos/db';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key.ts';
import { withCreator } from './key-views.ts';

/** What the row holds besides the secret: the key's name, role, scopes, policy, expiry, creator. */
export type MintedKeyFields = Omit<Prisma.ApiKeyUncheckedCreateInput, 'prefix' | 'hash'>;

/** Writes a key row for a fresh secret (inside `db`, which may be a transaction). */
export async function mintApiKey(db: Pick<Db, 'apiKey'>, fields: MintedKeyFields) {
  const secret = generateApiKey();
  const row = await db.apiKey.create({
    data: { ...fields, prefix: displayPrefix(secret), hash: hashApiKey(secret) },
    include: withCreator,
  });
  return { row, secret };
}
