// Authentication and the error contract: every procedure refuses an
// anonymous caller, AppErrors keep their code, internals never leak.
import { randomUUID } from 'node:crypto';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createTRPCContext, type ApiServices } from '../src/index.ts';
import { createWorld, expectCode, type World } from './support/fixtures.ts';

let w: World;
beforeAll(async () => {
  w = await createWorld('apiauth');
});
afterAll(async () => {
  await w?.close();
});

function everyProcedure(w: World) {
  const c = w.caller(null);
  const businessId = w.businessA.id;
  const id = randomUUID();
  return {
    'me.get': () => c.me.get(),
    'businesses.list': () => c.businesses.list(),
    'keys.list': () => c.keys.list({ businessId }),
    'keys.create': () => c.keys.create({ businessId, name: 'k', scopes: ['pos:read'] }),
    'keys.revoke': () => c.keys.revoke({ keyId: id }),
    'keys.updateScopes': () => c.keys.updateScopes({ keyId: id, scopes: ['pos:read'] }),
    'keys.keyOptions': () => c.keys.keyOptions({ businessId }),
    'sessions.list': () => c.sessions.list({}),
    'sessions.end': () => c.sessions.end({ sessionId: id }),
    'tools.preview': () =>
      c.tools.preview({ mode: 'custom', role: 'merchant', scopes: ['pos:read'], businessCount: 1 }),
    'intents.list': () => c.intents.list({ businessId }),
    'intents.approve': () => c.intents.approve({ businessId, intentId: id }),
    'intents.reject': () => c.intents.reject({ businessId, intentId: id }),
    'audit.list': () => c.audit.list({ businessId }),
    'members.list': () => c.members.list({ businessId }),
    'members.setActive': () => c.members.setActive({ businessId, userId: id, isActive: false }),
  };
}

describe('authentication', () => {
  it('refuses every procedure without a token', async () => {
    const calls = everyProcedure(w);
    expect(Object.keys(calls)).toHaveLength(16);
    for (const [name, call] of Object.entries(calls)) {
      const error = await expectCode(call(), 'UNAUTHORIZED');
      expect(error.message, name).toMatch(/Sign in required/);
    }
  });

  it('refuses a bad token and a malformed header', async () => {
    const bad = (authorization: string) =>
      createTRPCContext({ authorization, services: w.services });
    const { createCaller } = await import('../src/index.ts');
    await expectCode(createCaller(bad('Bearer not-a-token')).me.get(), 'UNAUTHORIZED');
    await expectCode(createCaller(bad(`Basic token-${w.merchantA.uid}`)).me.get(), 'UNAUTHORIZED');
    await expectCode(createCaller(bad('Bearer')).me.get(), 'UNAUTHORIZED');
  });

  it('refuses a valid identity that is no FlowPOS user', async () => {
    await expectCode(w.caller(w.stranger).me.get(), 'FORBIDDEN');
  });

  it('resolves the actor once per request', async () => {
    let verified = 0;
    const services: ApiServices = {
      ...w.services,
      verifier: { verify: async (t) => (verified++, w.services.verifier.verify(t)) },
    };
    const { createCaller } = await import('../src/index.ts');
    const caller = createCaller(
      createTRPCContext({ authorization: `Bearer ${w.merchantA.token}`, services }),
    );
    await caller.me.get();
    await caller.businesses.list();
    expect(verified).toBe(1);
  });
});

describe('me and businesses', () => {
  it('me.get returns the actor and, per business, their role and capabilities', async () => {
    const me = await w.caller(w.both).me.get();
    expect(me).toEqual({
      userId: w.both.id,
      email: w.both.email,
      isPlatformOperator: false,
      capabilities: {
        can: expect.objectContaining({ previewCustomTools: true, viewAllAudit: false }),
        businesses: [
          {
            businessId: w.businessA.id,
            businessName: w.businessA.name,
            role: 'merchant',
            can: expect.objectContaining({ manageMembers: true, decideIntents: true }),
          },
          {
            businessId: w.businessB.id,
            businessName: w.businessB.name,
            role: 'tenant_developer',
            can: expect.objectContaining({ manageKeys: true, decideIntents: false }),
          },
        ],
      },
    });
  });

  it('me.get: an operator gets every business, with every business action', async () => {
    const { capabilities } = await w.caller(w.operator).me.get();
    const ids = capabilities.businesses.map((b) => b.businessId);
    expect(ids).toEqual(expect.arrayContaining([w.businessA.id, w.businessB.id]));
    for (const b of capabilities.businesses) {
      expect(b.role).toBe('platform_operator');
      expect(Object.values(b.can).every(Boolean)).toBe(true);
    }
    expect(capabilities.can.viewAllAudit).toBe(true);
  });

  it('businesses.list: members get theirs, operators every business', async () => {
    expect(await w.caller(w.merchantA).businesses.list()).toEqual([
      { id: w.businessA.id, name: w.businessA.name, role: 'merchant' },
    ]);
    expect(await w.caller(w.devA).businesses.list()).toEqual([
      { id: w.businessA.id, name: w.businessA.name, role: 'tenant_developer' },
    ]);
    const all = await w.caller(w.operator).businesses.list();
    expect(all.map((b) => b.id)).toEqual(expect.arrayContaining([w.businessA.id, w.businessB.id]));
    expect(new Set(all.map((b) => b.role))).toEqual(new Set(['platform_operator']));
  });
});

describe('errors over HTTP', () => {
  const request = (
    services: ApiServices,
    path: string,
    opts: { input?: unknown; token?: string; method?: 'GET' | 'POST' } = {},
  ) => {
    const method = opts.method ?? 'GET';
    const input = opts.input === undefined ? '' : JSON.stringify({ json: opts.input });
    const url = `http://localhost/trpc/${path}${method === 'GET' && input ? `?input=${encodeURIComponent(input)}` : ''}`;
    const req = new Request(url, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      },
      ...(method === 'POST' ? { body: input || '{}' } : {}),
    });
    return fetchRequestHandler({
      endpoint: '/trpc',
      req,
      router: appRouter,
      createContext: () =>
        createTRPCContext({ authorization: req.headers.get('authorization'), services }),
    });
  };
  type ErrorBody = {
    error: {
      json: {
        message: string;
        code: number;
        data: { code: string; httpStatus: number; issues: unknown; stack?: unknown };
      };
    };
  };

  it('maps AppError codes to HTTP statuses', async () => {
    const anonymous = await request(w.services, 'me.get');
    expect(anonymous.status).toBe(401);
    const forbidden = await request(w.services, 'keys.list', {
      input: { businessId: w.businessB.id },
      token: w.merchantA.token,
    });
    expect(forbidden.status).toBe(403);
    const body = (await forbidden.json()) as ErrorBody;
    expect(body.error.json.data.code).toBe('FORBIDDEN');
    expect(body.error.json.message).toBe('You are not a member of this business');
  });

  it('exposes field issues on BAD_REQUEST (tRPC input and core validation)', async () => {
    const res = await request(w.services, 'keys.list', {
      input: { businessId: 'nope' },
      token: w.merchantA.token,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.json.data.issues).toEqual([
      { path: 'businessId', message: 'businessId must be a UUID' },
    ]);

    const created = await request(w.services, 'keys.create', {
      method: 'POST',
      input: { businessId: w.businessA.id, name: '', scopes: [] },
      token: w.merchantA.token,
    });
    expect(created.status).toBe(400);
    const issues = ((await created.json()) as ErrorBody).error.json.data.issues as {
      path: string;
    }[];
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['name', 'scopes']));
  });

  it('hides the message and stack of unexpected errors', async () => {
    const services: ApiServices = {
      ...w.services,
      verifier: {
        verify: async () => {
          throw new Error('query failed at 10.0.0.7:5432 password=hunter2');
        },
      },
    };
    const res = await request(services, 'me.get', { token: 'token-x' });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/hunter2|10\.0\.0\.7/);
    const body = JSON.parse(text) as ErrorBody;
    expect(body.error.json.data.code).toBe('INTERNAL_SERVER_ERROR');
    expect(body.error.json.data.stack).toBeUndefined();
  });

  it('answers a dependency outage as SERVICE_UNAVAILABLE (503), still without its detail', async () => {
    const services: ApiServices = {
      ...w.services,
      verifier: {
        verify: async () => {
          throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2'), {
            code: 'ECONNREFUSED',
          });
        },
      },
    };
    const res = await request(services, 'me.get', { token: 'token-x' });
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toMatch(/hunter2|ECONNREFUSED|10\.0\.0\.7/);
    const body = JSON.parse(text) as ErrorBody;
    expect(body.error.json.data.code).toBe('SERVICE_UNAVAILABLE');
    expect(body.error.json.message).toMatch(/try again shortly/);
  });
});
