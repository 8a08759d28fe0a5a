import { describe, expect, it } from 'vitest';
import {
  credentialId,
  grantCredentialId,
  keyCredentialId,
  parseActorRef,
  parseCredentialId,
  userCredentialId,
} from '../src/credential-ids.ts';

describe('credential ids', () => {
  it('builds one id per kind', () => {
    expect(keyCredentialId('k1')).toBe('key:k1');
    expect(userCredentialId('u1')).toBe('user:u1');
    expect(grantCredentialId('g1')).toBe('grant:g1');
  });

  it('reads back what it builds', () => {
    for (const kind of ['key', 'user', 'grant'] as const) {
      expect(parseCredentialId(credentialId(kind, 'abc-123'))).toEqual({ kind, id: 'abc-123' });
    }
  });

  it('keeps everything after the first colon as the id', () => {
    expect(parseCredentialId('grant:a:b')).toEqual({ kind: 'grant', id: 'a:b' });
  });

  it('refuses no kind, an unknown kind and an empty id', () => {
    expect(parseCredentialId('abc')).toBeNull();
    expect(parseCredentialId('oauth:abc')).toBeNull();
    expect(parseCredentialId(':abc')).toBeNull();
    expect(parseCredentialId('key:')).toBeNull();
    expect(parseCredentialId('')).toBeNull();
  });

  it('reads an audit actor: a credential id, or a bare user id', () => {
    expect(parseActorRef('key:k1')).toEqual({ kind: 'key', id: 'k1' });
    expect(parseActorRef('u1')).toEqual({ kind: 'user', id: 'u1' });
    expect(parseActorRef('team:x')).toBeNull();
    expect(parseActorRef('')).toBeNull();
  });
});
