// RUNBOOK §1 symptom table, the session rows: 400 without a session id, 404
// for an unknown one (or another credential's), auth checked before the
// session lookup, tools missing from tools/list, and set_active_business.
import { generateApiKey } from '@flowpos/core';
import { describe, expect, it } from 'vitest';
import { createBusiness, createKey, createUser, unique } from '../support/fixtures.ts';
import { INTENT_WRITE_TOOLS, READ_ONLY_TOOLS } from '../../harness/tool-lists.ts';
import { connectClient, toolJson } from '../support/mcp-client.ts';
import { startTestServer } from '../support/server.ts';
import { redisSessionKey } from '../support/harness.ts';
import {
  AUTH_REQUIRED,
  exchangeToken,
  mcpRequest,
  openSse,
  rawSession,
  toolsCallBody,
  toolsListBody,
} from '../support/raw-http.ts';
import { expectAuthRequired, useSymptomSetup } from '../support/symptom-setup.ts';

const { h, valid } = useSymptomSetup('sessionsymptoms');

describe('400 mcp-session-id header required', () => {
  it.each(['POST', 'GET', 'DELETE'] as const)(
    '%s /mcp with valid auth and no session header',
    async (method) => {
      const res = await mcpRequest(h.server.mcpUrl, {
        method,
        bearer: valid().validKey,
        ...(method === 'POST' ? { body: toolsListBody() } : {}),
      });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'mcp-session-id header required' },
        id: null,
      });
    },
  );
});

describe('404 Unknown session ID (the runbook says 400; DESIGN.md: the MCP spec requires 404)', () => {
  const expectUnknown = (res: { status: number; json: unknown }) => {
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      jsonrpc: '2.0',
      error: { code: -32001, message: 'Unknown session ID' },
      id: null,
    });
  };

  it('an id that never existed, on POST, GET and DELETE', async () => {
    const sessionId = crypto.randomUUID();
    expectUnknown(
      await mcpRequest(h.server.mcpUrl, {
        bearer: valid().validKey,
        sessionId,
        body: toolsListBody(),
      }),
    );
    expectUnknown(
      await mcpRequest(h.server.mcpUrl, { bearer: valid().validKey, method: 'GET', sessionId }),
    );
    expectUnknown(
      await mcpRequest(h.server.mcpUrl, { bearer: valid().validKey, method: 'DELETE', sessionId }),
    );
  });

  it('another credential presenting a live session id is refused as if it did not exist', async () => {
    const owner = (await createKey(h.db, { businessId: valid().businessId })).key;
    const sessionId = await rawSession(h.server.mcpUrl, owner);
    const sameBusinessKey = (await createKey(h.db, { businessId: valid().businessId })).key;
    for (const intruder of [sameBusinessKey, valid().validToken]) {
      expectUnknown(
        await mcpRequest(h.server.mcpUrl, {
          bearer: intruder,
          sessionId,
          body: toolsCallBody('whoami'),
        }),
      );
      expectUnknown(
        await mcpRequest(h.server.mcpUrl, { bearer: intruder, method: 'GET', sessionId }),
      );
      expectUnknown(
        await mcpRequest(h.server.mcpUrl, { bearer: intruder, method: 'DELETE', sessionId }),
      );
    }
    // The owner's session is untouched.
    const res = await mcpRequest(h.server.mcpUrl, {
      bearer: owner,
      sessionId,
      body: toolsCallBody('whoami'),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.json.result.content[0].text).sessionId).toBe(sessionId);
  });

  it('another user presenting a V2 session id is refused', async () => {
    const { business } = await createBusiness(h.db);
    const a = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'owner',
    });
    const b = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'other',
    });
    const tokenA = (await exchangeToken(h.server.baseUrl, await a.idToken())).json.token;
    const tokenB = (await exchangeToken(h.server.baseUrl, await b.idToken())).json.token;
    const sessionId = await rawSession(h.server.mcpUrl, tokenA);
    expectUnknown(
      await mcpRequest(h.server.mcpUrl, {
        bearer: tokenB,
        sessionId,
        body: toolsCallBody('whoami'),
      }),
    );
    expect(
      (
        await mcpRequest(h.server.mcpUrl, {
          bearer: tokenA,
          sessionId,
          body: toolsCallBody('whoami'),
        })
      ).status,
    ).toBe(200);
  });
});

describe('auth is checked before the session lookup', () => {
  it('bad auth + unknown session → 401, not 404', async () => {
    const sessionId = crypto.randomUUID();
    for (const method of ['POST', 'GET', 'DELETE'] as const) {
      expectAuthRequired(
        h,
        await mcpRequest(h.server.mcpUrl, {
          method,
          bearer: generateApiKey(),
          sessionId,
          ...(method === 'POST' ? { body: toolsListBody() } : {}),
        }),
      );
    }
  });

  it('no auth + no session header → 401, not 400', async () => {
    expectAuthRequired(h, await mcpRequest(h.server.mcpUrl, { body: toolsListBody() }));
  });

  it('SSE without auth is refused before a stream opens', async () => {
    const sessionId = await rawSession(h.server.mcpUrl, valid().validKey);
    const sse = await openSse(h.server.mcpUrl, undefined, sessionId);
    expect(sse.status).toBe(401);
    expect(JSON.parse(sse.text).error.message).toBe(AUTH_REQUIRED);
  });
});

describe('tool missing from tools/list: scope and role filtering', () => {
  async function toolNames(bearer: string) {
    const connected = await connectClient(h.server.mcpUrl, bearer);
    try {
      return (await connected.client.listTools()).tools.map((t) => t.name).sort();
    } finally {
      await connected.close();
    }
  }

  it('a key without pos:intents has no intent tools; with them it has', async () => {
    const without = (
      await createKey(h.db, {
        businessId: valid().businessId,
        scopes: ['pos:read', 'sessions:read'],
      })
    ).key;
    const withIntents = (
      await createKey(h.db, {
        businessId: valid().businessId,
        scopes: ['pos:read', 'pos:intents', 'sessions:read'],
      })
    ).key;
    expect(await toolNames(without)).toEqual(
      READ_ONLY_TOOLS.filter((name) => name !== 'list_intents'),
    );
    expect(await toolNames(withIntents)).toEqual(
      [...READ_ONLY_TOOLS, ...INTENT_WRITE_TOOLS].sort(),
    );
  });

  it('a key without pos:read has no catalog or order tools', async () => {
    const key = (
      await createKey(h.db, { businessId: valid().businessId, scopes: ['sessions:read'] })
    ).key;
    expect(await toolNames(key)).toEqual(['whoami']);
  });
});

describe('set_active_business takes effect', () => {
  it('whoami shows the new business on the next call, and Redis mcp:session:{id} holds it', async () => {
    const first = await createBusiness(h.db, unique('A Symptoms'));
    const second = await createBusiness(h.db, unique('B Symptoms'));
    const user = await createUser(h.db, {
      memberships: [
        { businessId: first.business.id, role: 'merchant' },
        { businessId: second.business.id, role: 'merchant' },
      ],
      label: 'switcher',
    });
    const token = (await exchangeToken(h.server.baseUrl, await user.idToken())).json.token;
    const connected = await connectClient(h.server.mcpUrl, token);
    try {
      const whoami = async () =>
        toolJson<{ activeBusiness: { id: string } }>(
          await connected.client.callTool({ name: 'whoami', arguments: {} }),
        ).activeBusiness.id;
      expect(await whoami()).toBe(first.business.id);
      const switched = await connected.client.callTool({
        name: 'set_active_business',
        arguments: { businessId: second.business.id },
      });
      expect(switched.isError).toBeFalsy();
      expect(await whoami()).toBe(second.business.id);

      const stored = JSON.parse(
        (await valid().redis.get(
          redisSessionKey(h.server.services, connected.sessionId),
        )) as string,
      );
      expect(stored.principal.activeBusinessId).toBe(second.business.id);
      expect(stored.id).toBe(connected.sessionId);

      // Tools now work on the new business.
      const products = toolJson<{ products: { id: string }[] }>(
        await connected.client.callTool({ name: 'list_products', arguments: {} }),
      );
      expect(products.products.map((p) => p.id).sort()).toEqual(
        second.products.map((p) => p.id).sort(),
      );

      // Another instance (same database and Redis, nothing in memory) serves the session with the new business.
      const other = await startTestServer({
        databaseUrl: h.database.url,
        redis: true,
        redisKeyPrefix: h.server.services.config.redisKeyPrefix,
        // Same public URL: a token's issuer and audience are the deployment's, not the instance's.
        env: { PUBLIC_BASE_URL: h.server.baseUrl },
      });
      try {
        const raw = await mcpRequest(`http://127.0.0.1:${other.services.config.port}/mcp`, {
          bearer: token,
          sessionId: connected.sessionId,
          body: toolsCallBody('whoami'),
        });
        expect(raw.status).toBe(200);
        expect(JSON.parse(raw.json.result.content[0].text).activeBusiness.id).toBe(
          second.business.id,
        );
      } finally {
        await other.close();
      }
    } finally {
      await connected.close();
    }
  });
});
