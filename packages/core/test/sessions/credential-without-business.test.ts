// "A credential with no business left ends its sessions": the directory ends
// every session of that credential, audits why (no_business), leaves other
// credentials' sessions alone, and never rejects when the store fails.
import { describe, expect, it, vi } from 'vitest';
import type { AuditEntry, AuditLog } from '../../src/audit.ts';
import { createMemoryEventBus, type DomainEvent } from '../../src/events.ts';
import { createMemorySessionStore } from '../../src/sessions/memory-session-store.ts';
import { SessionDirectory } from '../../src/sessions/session-directory.ts';
import { sessionRecord } from '../support/session-records.ts';

function recordingAudit(): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    record: (entry) => void entries.push(entry),
    committed: async () => {},
    flush: async () => {},
    close: async () => {},
  };
}

describe('SessionDirectory.endForCredentialWithoutBusiness', () => {
  it("ends that credential's sessions everywhere, audited as no_business", async () => {
    const store = createMemorySessionStore(60_000);
    const events = createMemoryEventBus();
    const heard: DomainEvent[] = [];
    events.subscribe((event) => void heard.push(event));
    const audit = recordingAudit();
    const directory = new SessionDirectory(store, events, { audit });
    const mine = [
      sessionRecord({ credential: 'user:u1' }),
      sessionRecord({ credential: 'user:u1' }),
    ];
    const theirs = sessionRecord({ credential: 'user:u2' });
    for (const r of [...mine, theirs]) await store.create(r);

    directory.endForCredentialWithoutBusiness('user:u1');

    await vi.waitFor(async () => expect(await store.idsForCredential('user:u1')).toEqual([]));
    expect(await store.idsForCredential('user:u2')).toEqual([theirs.id]);
    expect(audit.entries.map((e) => e.details)).toEqual(
      expect.arrayContaining(mine.map((r) => ({ sessionId: r.id, reason: 'no_business' }))),
    );
    expect(heard).toContainEqual({ type: 'credential.changed', credential: 'user:u1' });
  });

  it('tells onError when the store fails, and does not reject', async () => {
    const store = createMemorySessionStore(60_000);
    store.idsForCredential = () => Promise.reject(new Error('store down'));
    const onError = vi.fn();
    const directory = new SessionDirectory(store, createMemoryEventBus(), {
      deferredEndings: { onError },
    });

    directory.endForCredentialWithoutBusiness('user:u1');

    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.any(Error), 'user:u1'));
  });
});
