// oidc-provider's storage on Prisma (PostgreSQL or PGlite): one table for
// every model. Codes, tokens, sessions and interactions are keyed by the
// SHA-256 of their id and stored without it (`jti` is put back on read), so
// the database holds no usable credential. `consume` is atomic: a second use
// of a code or refresh token, even concurrent, is seen as a reuse and revokes
// the grant. Expiry is the provider's to judge for every record that carries
// `exp` (it checks on each find, and so can say "expired" rather than "not
// found"); the sweeper deletes expired rows only after a grace period.
import { createHash } from 'node:crypto';
import { storableJson, storableText } from '@flowpos/core';
import type { Db } from '@flowpos/db';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';

/** Models whose ids are public identifiers, stored as they are. */
const CLEAR_ID_MODELS = new Set(['Client', 'Grant']);

type Json = Parameters<Db['oAuthRecord']['create']>[0]['data']['payload'];

/** `onReuse` hears of a code or refresh token used twice at the same moment. */
export function createPrismaAdapter(db: Db, onReuse: (grantId: string) => Promise<void>) {
  return (kind: string): Adapter => {
    const hashed = !CLEAR_ID_MODELS.has(kind);
    // A client id or client metadata is whatever a caller sent: stored as storable.ts makes it.
    const key = (id: string) =>
      hashed ? createHash('sha256').update(id).digest('hex') : storableText(id);

    const read = async (
      where: { kind_id: { kind: string; id: string } } | { uid: string },
      id?: string,
    ): Promise<AdapterPayload | undefined> => {
      const row =
        'kind_id' in where
          ? await db.oAuthRecord.findUnique({ where })
          : await db.oAuthRecord.findFirst({ where: { kind, uid: where.uid } });
      if (!row) return undefined;
      const payload = { ...(row.payload as AdapterPayload) };
      // A record without `exp` (a client) is not checked by the provider: its expiry is ours.
      if (payload.exp === undefined && row.expiresAt && row.expiresAt.getTime() <= Date.now())
        return undefined;
      if (hashed && id !== undefined) payload.jti = id;
      if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
      return payload;
    };

    return {
      async upsert(id, payload, expiresIn) {
        const stored: AdapterPayload = { ...payload };
        if (hashed) delete stored.jti;
        const data = {
          payload: storableJson(stored) as Json,
          grantId: payload.grantId ?? null,
          uid: payload.uid ? key(payload.uid) : null,
          expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
        };
        await db.oAuthRecord.upsert({
          where: { kind_id: { kind, id: key(id) } },
          create: { kind, id: key(id), ...data },
          update: data,
        });
      },
      async find(id) {
        return read({ kind_id: { kind, id: key(id) } }, id);
      },
      async findByUid(uid) {
        return read({ uid: key(uid) });
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const { count } = await db.oAuthRecord.updateMany({
          where: { kind, id: key(id), consumedAt: null },
          data: { consumedAt: new Date() },
        });
        if (count > 0) return;
        const row = await db.oAuthRecord.findUnique({ where: { kind_id: { kind, id: key(id) } } });
        if (row?.grantId) await onReuse(row.grantId);
        throw new errors.InvalidGrant('grant request is invalid');
      },
      async destroy(id) {
        await db.oAuthRecord.deleteMany({ where: { kind, id: key(id) } });
      },
      async revokeByGrantId(grantId) {
        await db.oAuthRecord.deleteMany({ where: { kind, grantId } });
      },
    };
  };
}
