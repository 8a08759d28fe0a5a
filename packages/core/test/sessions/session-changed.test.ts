// `session.changed` comes from the directory alone: a principal rewritten by
// changePrincipal or updateForCredential is announced once, with the instance
// that applied it; a change that writes nothing announces nothing.
import { describe, expect, it } from 'vitest';
import { createMemoryEventBus, type DomainEvent } from '../../src/events.ts';
import { createMemorySessionStore } from '../../src/sessions/memory-session-store.ts';
import { SessionDirectory } from '../../src/sessions/session-directory.ts';
import { sessionRecord } from '../support/session-records.ts';

async function setUp() {
  const store = createMemorySessionStore(60_000);
  const events = createMemoryEventBus();
  const heard: DomainEvent[] = [];
  events.subscribe((event) => void heard.push(event));
  const record = sessionRecord({ credential: 'key:k1' });
  await store.create(record);
  return { store, heard, record, directory: new SessionDirectory(store, events) };
}

describe('session.changed', () => {
  it('changePrincipal stores the change and announces it with its origin', async () => {
    const { store, heard, record, directory } = await setUp();
    const stored = await directory.changePrincipal(
      record.id,
      (p) => ({ ...p, scopes: [] }),
      'instance-a',
    );
    expect(stored?.scopes).toEqual([]);
    expect((await store.get(record.id))?.principal.scopes).toEqual([]);
    expect(heard).toEqual([
      { type: 'session.changed', sessionId: record.id, origin: 'instance-a' },
    ]);
  });

  it('a change that writes nothing announces nothing; a gone session gives null', async () => {
    const { heard, record, directory } = await setUp();
    expect(await directory.changePrincipal(record.id, () => null)).toEqual(record.principal);
    expect(await directory.changePrincipal('gone', (p) => p)).toBeNull();
    expect(heard).toEqual([]);
  });

  it("updateForCredential announces each of the credential's sessions it rewrote", async () => {
    const { heard, record, directory } = await setUp();
    await directory.updateForCredential('key:k1', (p) => ({ ...p, scopes: [] }));
    expect(heard).toEqual([{ type: 'session.changed', sessionId: record.id }]);
  });
});

describe('updateForCredential', () => {
  it('writes and announces nothing when the principal stays the same', async () => {
    const { store, heard, record, directory } = await setUp();
    await directory.updateForCredential('key:k1', (p) => p);
    expect(heard).toEqual([]);
    expect((await store.get(record.id))?.principal).toEqual(record.principal);
  });

  it('ends a session whose credential has no business left', async () => {
    const { store, heard, record, directory } = await setUp();
    await directory.updateForCredential('key:k1', () => null);
    expect(await store.get(record.id)).toBeNull();
    expect(heard).toEqual([{ type: 'session.ended', sessionId: record.id }]);
  });
});
