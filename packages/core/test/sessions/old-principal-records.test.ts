// After a rolling deploy, Redis and the database still hold sessions and
// sessionless clients written by the version before `Principal.subject` was
// renamed `credentialId`: each store reads them in the current shape, and a
// principal rewritten from one is stored in the current shape.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/principal.ts';
import type { ClientActivity } from '../../src/sessions/client-activity.ts';
import { storedPrincipal } from '../../src/sessions/session-record.ts';
import { keyPrincipal, sessionRecord } from '../support/session-records.ts';
import { everyStoreKind } from '../support/store-kinds.ts';

/** A principal as the older version wrote it: `subject`, no `credentialId`. */
function oldShape(credential: string): Principal {
  const { credentialId: _dropped, ...rest } = keyPrincipal('b1');
  return { ...rest, subject: credential } as unknown as Principal;
}

// Only the shared stores outlive a deploy; the memory store starts empty with the process.
const stores = everyStoreKind('old-principal', 60_000).filter(([kind]) => kind !== 'memory');

describe('storedPrincipal', () => {
  it('reads subject as credentialId, and leaves a current principal as it is', () => {
    expect(storedPrincipal(oldShape('key:k9'))).toEqual({
      ...keyPrincipal('b1'),
      credentialId: 'key:k9',
    });
    const current = keyPrincipal('b1');
    expect(storedPrincipal(current)).toBe(current);
  });
});

describe.each(stores)('the %s store', (_kind, makeStore) => {
  it('reads a session written with the old principal shape, and rewrites it in the new', async () => {
    const store = makeStore();
    const credential = `key:${randomBytes(6).toString('hex')}`;
    const record = sessionRecord({ credential, principal: oldShape(credential) });
    await store.create(record);

    const read = await store.get(record.id);
    expect(read?.principal.credentialId).toBe(credential);
    expect(read?.principal).not.toHaveProperty('subject');
    const [listed] = await store.page(null, 10);
    expect(listed?.principal.credentialId).toBe(credential);

    await store.updatePrincipal(record.id, (p) => ({ ...p, scopes: [] }));
    expect((await store.get(record.id))?.principal).toEqual({
      ...keyPrincipal('b1'),
      credentialId: credential,
      scopes: [],
    });
  });

  it('reads a sessionless client written with the old principal shape', async () => {
    const store = makeStore();
    const credential = `key:${randomBytes(6).toString('hex')}`;
    const activity: ClientActivity = {
      credential,
      principal: oldShape(credential),
      client: { name: 'old', version: '1' },
      protocolVersion: '2026-07-28',
      lastSeenAt: Date.now(),
      instanceId: 'a',
      listenStreams: 0,
    };
    await store.recordClient(activity);

    const clients = await store.pageClients(null, 100);
    const read = clients.find((c) => c.credential === credential);
    expect(read?.principal.credentialId).toBe(credential);
  });
});
