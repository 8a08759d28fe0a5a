// "No scope named means all scopes", the one rule OAuth consent and grant
// tokens share.
import { describe, expect, it } from 'vitest';
import { namedScopesOrAll, SCOPES } from '../src/roles.ts';

describe('namedScopesOrAll', () => {
  it('keeps the scopes of ours that are named', () => {
    expect(namedScopesOrAll(['pos:read', 'offline_access'])).toEqual(['pos:read']);
  });

  it('means every scope when none of ours is named', () => {
    expect(namedScopesOrAll([])).toEqual([...SCOPES]);
    expect(namedScopesOrAll(['offline_access', 'openid'])).toEqual([...SCOPES]);
  });

  it('means every scope of a narrower set when that set is the whole', () => {
    expect(namedScopesOrAll([], ['pos:read', 'sessions:read'])).toEqual([
      'pos:read',
      'sessions:read',
    ]);
  });
});
