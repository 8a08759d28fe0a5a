// ListenStreams on its own: the periodic check closes a stream whose
// credential stopped authenticating (a token past its expiry: no event says
// so), and a notification reaches only the stream whose visible tools changed.
import { POS_TOOLS, ToolRegistry, type Principal } from '@flowpos/core';
import type { ServerEvent } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import type { Authenticated } from '../../src/mcp/shared/authenticated.ts';
import { ListenStreams, type ListenStream } from '../../src/mcp/stateless/listen-streams.ts';
import { waitFor } from '../support/poll.ts';

const principal = (credentialId: string, businessId: string): Principal => ({
  kind: 'token',
  credentialId,
  role: 'merchant',
  scopes: ['pos:read', 'pos:intents', 'sessions:read'],
  authorizedBusinessIds: [businessId],
  activeBusinessId: businessId,
  label: credentialId,
});

/** Opens a stream that subscribes like the SDK's listen router and stays open until aborted. */
function openStream(streams: ListenStreams, auth: Authenticated) {
  const heard: ServerEvent[] = [];
  let opened!: (stream: ListenStream) => void;
  const stream = new Promise<ListenStream>((r) => (opened = r));
  const served = streams.open(auth, async (s) => {
    const unsubscribe = streams.subscribe((event) => heard.push(event));
    opened(s);
    await new Promise<void>((resolve) =>
      s.abort.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    unsubscribe();
  });
  return { heard, stream, served };
}

describe('ListenStreams', () => {
  it('the periodic check closes a stream whose credential no longer authenticates', async () => {
    const valid = new Set(['user:a']);
    const streams = new ListenStreams({
      registry: new ToolRegistry(POS_TOOLS),
      authenticate: async (s) =>
        valid.has(s.credential) ? { principal: s.principal, credential: s.credential } : null,
      maxPerCredential: 2,
      maxPerBusiness: 4,
      recheckMs: 20,
    });
    const a = openStream(streams, { principal: principal('user:a', 'b1'), credential: 'user:a' });
    await a.stream;
    valid.delete('user:a');
    expect(await a.served).toBe('served');
    expect(streams.openCount).toBe(0);
    streams.close();
  });

  it('a change of rights is told to that credential’s stream only, and only when its tools changed', async () => {
    const current = new Map<string, Principal>([
      ['user:a', principal('user:a', 'b1')],
      ['user:b', principal('user:b', 'b2')],
    ]);
    const streams = new ListenStreams({
      registry: new ToolRegistry(POS_TOOLS),
      authenticate: async (s) => ({
        principal: current.get(s.credential)!,
        credential: s.credential,
      }),
      maxPerCredential: 2,
      maxPerBusiness: 4,
      recheckMs: 60_000,
    });
    const a = openStream(streams, { principal: current.get('user:a')!, credential: 'user:a' });
    const b = openStream(streams, { principal: current.get('user:b')!, credential: 'user:b' });
    await Promise.all([a.stream, b.stream]);

    // The active business changed: the same tools, nothing to tell.
    streams.onEvent({ type: 'credential.changed', credential: 'user:a' });
    current.set('user:a', { ...principal('user:a', 'b1'), scopes: ['sessions:read'] });
    streams.onEvent({ type: 'credential.changed', credential: 'user:a' });
    await waitFor(() => a.heard.length > 0, { what: 'A told of its change' });
    // Resync re-checks everyone: B's tools did not change, so B hears nothing of it;
    // then B's own change (found by the next resync) is all B ever hears.
    streams.onEvent({ type: 'resync' });
    current.set('user:b', { ...principal('user:b', 'b2'), scopes: ['sessions:read'] });
    streams.onEvent({ type: 'resync' });
    await waitFor(() => b.heard.length === 3, { what: 'B told of its own change' });
    const kinds = ['prompts_list_changed', 'resources_list_changed', 'tools_list_changed'];
    expect(a.heard.map((e) => e.kind).sort()).toEqual(kinds);
    expect(b.heard.map((e) => e.kind).sort()).toEqual(kinds);
    streams.close();
    await Promise.all([a.served, b.served]);
  });
});
