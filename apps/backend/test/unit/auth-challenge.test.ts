// The WWW-Authenticate challenges of /mcp, in process: the 401 one, and the
// 403 step-up one an OAuth client reads to ask the person for one more scope.
import { POS_TOOLS, SCOPES, ToolRegistry, type Principal } from '@flowpos/core';
import { describe, expect, it } from 'vitest';
import {
  insufficientScopeChallenge,
  unauthorizedChallenge,
} from '../../src/mcp/auth/auth-challenge.ts';

const METADATA = 'https://mcp.flowpos.example/.well-known/oauth-protected-resource/mcp';
const registry = new ToolRegistry(POS_TOOLS);

/** A principal with just what visibility reads (the credential id does not matter here). */
const principal = (over: Partial<Principal>): Principal =>
  ({
    kind: 'oauth',
    role: 'merchant',
    scopes: ['pos:read'],
    authorizedBusinessIds: ['b1'],
    activeBusinessId: 'b1',
    label: 'person@example.com',
    ...over,
  }) as Principal;

const call = (name: unknown) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } });

describe('unauthorizedChallenge', () => {
  it('names the resource metadata and every scope', () => {
    expect(unauthorizedChallenge(METADATA)).toBe(
      `Bearer resource_metadata="${METADATA}", scope="${SCOPES.join(' ')}"`,
    );
  });
});

describe('insufficientScopeChallenge', () => {
  it('asks an OAuth client for the scope the called tool needs, keeping the ones it has', () => {
    const challenge = insufficientScopeChallenge(
      registry,
      principal({}),
      [call('create_sale_intent')],
      METADATA,
    );
    expect(challenge).toBe(
      `Bearer error="insufficient_scope", scope="pos:read pos:intents", resource_metadata="${METADATA}", error_description="This tool needs the pos:intents scope"`,
    );
  });

  it('looks past other messages of a batch to the first call that needs more', () => {
    const challenge = insufficientScopeChallenge(
      registry,
      principal({}),
      [
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        call('whoami'),
        call('create_sale_intent'),
      ],
      METADATA,
    );
    expect(challenge).toContain('scope="pos:read pos:intents"');
  });

  it('has nothing to ask when the tool is visible, unknown, beyond the role, or not named', () => {
    for (const [who, name] of [
      [principal({}), 'whoami'],
      [principal({}), 'no_such_tool'],
      [principal({ role: 'tenant_developer' }), 'create_sale_intent'],
      [principal({}), 42],
    ] as const)
      expect(insufficientScopeChallenge(registry, who, [call(name)], METADATA)).toBeNull();
  });

  it('never challenges an API key or a console token (no step-up for them)', () => {
    for (const kind of ['api_key', 'token'] as const)
      expect(
        insufficientScopeChallenge(
          registry,
          principal({ kind }),
          [call('create_sale_intent')],
          METADATA,
        ),
      ).toBeNull();
  });
});
