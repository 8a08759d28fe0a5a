// Tool arguments and key counts through a real MCP client on PostgreSQL:
// arguments that are not an object, wrong types and dates each get one clear
// answer, and list_businesses counts only keys that work.
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../src/audit.ts';
import { merchantKey, toolClients } from '../support/tool-client.ts';

let db: TestDatabase;
let audit: AuditLog;
let connect: ReturnType<typeof toolClients>;

async function business(name: string) {
  const biz = await db.prisma.business.create({ data: { name } });
  return { id: biz.id };
}

beforeAll(async () => {
  db = await createTestDatabase('arguments');
  audit = createAuditLog(db.prisma);
  connect = toolClients(db, audit);
});

afterAll(async () => {
  await audit.close();
  await db.drop();
});

describe('bad arguments', () => {
  it('arguments that are not an object get JSON-RPC -32602, wrong types one isError line', async () => {
    const biz = await business('Args Shop');
    const { client, call } = await connect(merchantKey(biz.id));
    for (const [args, kind] of [
      [null, 'null'],
      [[1, 2], 'an array'],
      ['x', 'a string'],
    ] as const) {
      const refused = client.request({
        method: 'tools/call',
        params: { name: 'list_products', arguments: args as never },
      });
      await expect(refused).rejects.toMatchObject({
        code: -32602,
        message: `Invalid params: arguments must be an object of named arguments, not ${kind}`,
      });
    }
    const wrong = await call('list_products', { limit: 'ten', search: 5 });
    expect(wrong).toMatchObject({
      isError: true,
      text: 'Invalid arguments for tool list_products: search: Invalid input: expected string, received number; limit: Invalid input: expected number, received string',
    });
    const dates = await call('get_sales_summary', { from: '11/29/2026', to: '2026-11-29' });
    expect(dates.text).toBe(
      'Invalid arguments for tool get_sales_summary: from: 11/29/2026 is not an ISO 8601 date (2026-11-29) or date-time (2026-11-29T09:00, 2026-11-29T17:00:00Z)',
    );
    expect((await call('list_products')).isError).toBe(false);
  });
});

describe('expired keys', () => {
  it('list_businesses counts only keys that work: not revoked, not expired', async () => {
    const biz = await business('Key Counting Shop');
    const key = (name: string, data: { expiresAt?: Date; isActive?: boolean } = {}) =>
      db.prisma.apiKey.create({
        data: {
          businessId: biz.id,
          name,
          prefix: 'fp_mcp_0000',
          hash: `${biz.id}-${name}`,
          role: 'merchant',
          scopes: ['pos:read'],
          ...data,
        },
      });
    await key('live');
    await key('later', { expiresAt: new Date(Date.now() + 86_400_000) });
    await key('expired', { expiresAt: new Date(Date.now() - 1000) });
    await key('revoked', { isActive: false });
    const { call } = await connect({
      ...merchantKey(biz.id),
      role: 'platform_operator',
      scopes: ['operator'],
    });
    const listed = (await call('list_businesses')).json().businesses;
    expect(listed.find((b: { id: string }) => b.id === biz.id)).toMatchObject({ activeKeys: 2 });
  });
});
