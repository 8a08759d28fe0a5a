// Idempotency keys for proposals: a client that retries a create_*_intent
// call (a timeout, a dropped connection, a model that calls twice) with the
// same key gets the intent its first call created, never a second one. The
// key belongs to the credential that proposed (Intent.createdBy): the
// database's unique index on (created_by, idempotency_key) decides between
// concurrent retries, so exactly one insert wins on PostgreSQL and PGlite
// alike, and the others read the winner's row. A key is bound to what was
// asked (a hash of the business, the kind and the arguments): the same key
// for another request is refused, so a reused key never answers with an
// intent the caller did not ask for.
import { createHash, randomUUID } from 'node:crypto';
import type { Db, Prisma } from '@flowpos/db';
import { z } from 'zod';
import { conflict } from '../errors.ts';

/** The optional argument of the create_*_intent tools. */
export const idempotencyKeyArg = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .optional()
  .describe(
    'Optional key you choose (e.g. a UUID) to make retries safe: calling again with the same key and the same arguments returns the intent the first call created instead of proposing another; the same key with different arguments is refused. Use a new key for each new proposal.',
  );

type IntentRow = Awaited<ReturnType<Db['intent']['findUniqueOrThrow']>>;
/** A new intent's columns; the key's own columns are this module's to set. */
type IntentData = Omit<Prisma.IntentCreateManyInput, 'id' | 'idempotencyKey' | 'requestHash'>;

/** JSON with object keys sorted, so equal requests hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (request: unknown): string =>
  createHash('sha256').update(canonical(request)).digest('hex');

export interface KeyedProposal {
  /** The intent an earlier call with this key created; null when there is none (or no key). */
  earlier(): Promise<IntentRow | null>;
  /** Creates the intent; when a concurrent call with the same key won, its intent instead. */
  insert(data: IntentData): Promise<IntentRow>;
  /** As insert, saying whether this call created the row (false: a concurrent retry's row). */
  insertNew(data: IntentData): Promise<{ row: IntentRow; created: boolean }>;
}

/**
 * What a proposal does with its optional key. `request` is everything the
 * proposal depends on (business, kind, arguments without the key).
 */
export function keyedProposal(
  db: Db,
  createdBy: string,
  key: string | undefined,
  request: unknown,
): KeyedProposal {
  if (key === undefined) {
    const insertNew = async (data: IntentData) => ({
      row: await db.intent.create({ data }),
      created: true,
    });
    return { earlier: async () => null, insert: (data) => db.intent.create({ data }), insertNew };
  }
  const hash = requestHash(request);
  const earlier = async () => {
    const row = await db.intent.findUnique({
      where: { createdBy_idempotencyKey: { createdBy, idempotencyKey: key } },
    });
    if (row && row.requestHash !== hash)
      throw conflict(
        'This idempotency key was already used for a different request: use a new key for a new proposal',
      );
    return row;
  };
  const insertNew = async (data: IntentData) => {
    const id = randomUUID();
    // ON CONFLICT DO NOTHING: a concurrent call that inserted first is not an error.
    const { count } = await db.intent.createMany({
      data: [{ ...data, id, createdBy, idempotencyKey: key, requestHash: hash }],
      skipDuplicates: true,
    });
    if (count === 1)
      return { row: await db.intent.findUniqueOrThrow({ where: { id } }), created: true };
    const winner = await earlier();
    if (!winner) throw conflict('This proposal could not be recorded: try again');
    return { row: winner, created: false };
  };
  return { earlier, insert: async (data) => (await insertNew(data)).row, insertNew };
}
