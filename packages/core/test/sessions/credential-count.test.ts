// The per-credential session cap counts before it reads: every store kind
// (memory, Redis, PostgreSQL) answers how many sessions a credential holds
// without listing them, and agrees with the list it would read near the cap.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sessionRecord } from '../support/session-records.ts';
import { everyStoreKind } from '../support/store-kinds.ts';

const TTL = 60_000;
const hex = () => randomBytes(8).toString('hex');

const stores = everyStoreKind('count', TTL);

describe.each(stores)('the %s store', (_kind, makeStore) => {
  it("counts a credential's sessions as many as it lists, and follows an ended one", async () => {
    const store = makeStore();
    const mine = `key:${hex()}`;
    const theirs = `key:${hex()}`;
    expect(await store.countForCredential(mine)).toBe(0);
    const records = [1, 2, 3].map(() => sessionRecord({ credential: mine }));
    for (const r of [...records, sessionRecord({ credential: theirs })]) await store.create(r);

    expect(await store.countForCredential(mine)).toBe(3);
    expect(await store.countForCredential(theirs)).toBe(1);
    expect((await store.idsForCredential(mine)).sort()).toEqual(records.map((r) => r.id).sort());

    await store.delete(records[0]?.id as string);
    expect(await store.countForCredential(mine)).toBe(2);
  });
});
