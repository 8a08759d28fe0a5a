// tools.preview: the same list ToolRegistry.listFor gives the MCP endpoint,
// for custom principals, keys and users, each shown only to those allowed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyPrincipal,
  resolveUserPrincipal,
  ROLE_SCOPES,
  ROLES,
  toolListing,
  type Principal,
} from '@flowpos/core';
import { createWorld, expectCode, type World } from '../support/fixtures.ts';

let w: World;
beforeAll(async () => {
  w = await createWorld('apitools');
});
afterAll(async () => {
  await w?.close();
});

const visibleNames = (preview: { tools: { name: string; visible: boolean }[] }) =>
  preview.tools.filter((t) => t.visible).map((t) => t.name);
const listFor = (p: Pick<Principal, 'role' | 'scopes' | 'authorizedBusinessIds'>) =>
  w.services.registry.listFor(p).map((t) => t.name);

describe('tools.preview', () => {
  it('custom: matches listFor for every role, scope set and business count', async () => {
    const op = w.caller(w.operator);
    for (const role of ROLES) {
      for (const businessCount of [1, 2]) {
        const scopes = [...ROLE_SCOPES[role]];
        const preview = await op.tools.preview({ mode: 'custom', role, scopes, businessCount });
        const ids = Array.from({ length: businessCount }, () => randomUUID());
        expect(visibleNames(preview), `${role} x${businessCount}`).toEqual(
          listFor({ role, scopes, authorizedBusinessIds: ids }),
        );
        expect(preview.principal).toEqual({
          role,
          scopes,
          authorizedBusinessCount: businessCount,
          toolPolicy: { kind: 'all' },
        });
        // Every tool is listed; hidden ones say why.
        expect(preview.tools).toHaveLength(w.services.registry.tools.length);
        for (const t of preview.tools)
          expect(t.visible ? t.reason : typeof t.reason).toBe(t.visible ? null : 'string');
      }
    }
    const readOnly = await op.tools.preview({
      mode: 'custom',
      role: 'merchant',
      scopes: ['pos:read'],
      businessCount: 1,
    });
    expect(readOnly.tools.find((t) => t.name === 'create_sale_intent')).toMatchObject({
      visible: false,
      reason: 'needs pos:intents',
    });
    const dev = await op.tools.preview({
      mode: 'custom',
      role: 'tenant_developer',
      scopes: ['pos:read', 'pos:intents'],
      businessCount: 1,
    });
    expect(dev.tools.find((t) => t.name === 'create_sale_intent')?.reason).toBe(
      'never shown to tenant_developer',
    );
  });

  it('shows each tool exactly as tools/list does', async () => {
    const preview = await w
      .caller(w.merchantA)
      .tools.preview({ mode: 'custom', role: 'merchant', scopes: ['pos:read'], businessCount: 2 });
    for (const tool of preview.tools) {
      const def = w.services.registry.get(tool.name);
      expect(def).toBeDefined();
      if (def)
        expect({
          name: tool.name,
          title: tool.title,
          description: tool.description,
          inputSchema: tool.inputSchema,
        }).toEqual(toolListing(def));
    }
  });

  it('custom previews are for operators and merchants, not tenant developers alone', async () => {
    const input = {
      mode: 'custom' as const,
      role: 'merchant' as const,
      scopes: ['pos:read' as const],
      businessCount: 1,
    };
    await expect(w.caller(w.merchantA).tools.preview(input)).resolves.toBeDefined();
    await expectCode(w.caller(w.devA).tools.preview(input), 'FORBIDDEN');
    await expectCode(w.caller(null).tools.preview(input), 'UNAUTHORIZED');
  });

  it('key: members of the key business and operators; matches apiKeyPrincipal', async () => {
    const key = await w.caller(w.merchantA).keys.create({
      businessId: w.businessA.id,
      name: 'Preview',
      scopes: ['pos:read', 'pos:intents'],
    });
    const principal = apiKeyPrincipal({
      id: key.id,
      businessId: key.businessId,
      prefix: key.prefix,
      role: key.role,
      scopes: key.scopes,
      expiresAt: null,
    });
    for (const person of [w.merchantA, w.devA, w.operator]) {
      const preview = await w.caller(person).tools.preview({ mode: 'key', keyId: key.id });
      expect(visibleNames(preview)).toEqual(listFor(principal));
      expect(preview.principal).toEqual({
        role: 'merchant',
        scopes: ['pos:read', 'pos:intents'],
        authorizedBusinessCount: 1,
        toolPolicy: { kind: 'all' },
      });
    }
    await expectCode(
      w.caller(w.merchantB).tools.preview({ mode: 'key', keyId: key.id }),
      'NOT_FOUND',
    );
    await expectCode(
      w.caller(w.operator).tools.preview({ mode: 'key', keyId: randomUUID() }),
      'NOT_FOUND',
    );
  });

  it('user: operators only; matches resolveUserPrincipal', async () => {
    for (const person of [w.merchantA, w.devA, w.both, w.operator]) {
      const preview = await w.caller(w.operator).tools.preview({ mode: 'user', userId: person.id });
      const principal = await resolveUserPrincipal(w.db.prisma, person.id);
      expect(visibleNames(preview)).toEqual(listFor(principal));
      expect(preview.principal.role).toBe(principal.role);
      expect(preview.principal.authorizedBusinessCount).toBe(
        principal.authorizedBusinessIds.length,
      );
    }
    // The merchant of A and developer of B sees set_active_business; the developer never sees intents.
    expect(
      visibleNames(await w.caller(w.operator).tools.preview({ mode: 'user', userId: w.both.id })),
    ).toContain('set_active_business');
    expect(
      visibleNames(await w.caller(w.operator).tools.preview({ mode: 'user', userId: w.devA.id })),
    ).not.toContain('create_sale_intent');
    await expectCode(
      w.caller(w.merchantA).tools.preview({ mode: 'user', userId: w.devA.id }),
      'FORBIDDEN',
    );
    await expectCode(
      w.caller(w.operator).tools.preview({ mode: 'user', userId: randomUUID() }),
      'NOT_FOUND',
    );
  });

  it('rejects a malformed preview request', async () => {
    // @ts-expect-error: an unknown mode is a type error and a 400
    await expectCode(w.caller(w.operator).tools.preview({ mode: 'everything' }), 'BAD_REQUEST');
    await expectCode(
      w.caller(w.operator).tools.preview({
        mode: 'custom',
        role: 'merchant',
        scopes: ['pos:read'],
        businessCount: 0,
      }),
      'BAD_REQUEST',
    );
  });
});
