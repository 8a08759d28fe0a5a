// Shared by the account-trust files: a merchant to act as, tokens whose
// refresh chain started long ago, and the calls a client and the console make.
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { createBusiness, createUser } from './fixtures.ts';
import type { Harness } from './harness.ts';
import { initializeBody, mcpRequest, postJson, trpcMutation } from './raw-http.ts';

export const DAY_S = 86_400;
/** The refresh chain's hard age these files run with. */
export const TRUST_ENV = { MCP_MAX_SESSION_AGE_SECONDS: String(30 * DAY_S) };

/** The Auth Emulator's admin API (disable, delete, revoke accounts). */
export const emulatorAdmin = () =>
  getAuth(
    getApps().find((a) => a.name === 'account-trust-admin') ??
      initializeApp({ projectId: 'demo-flowpos' }, 'account-trust-admin'),
  );

export function trustCalls(h: Harness) {
  return {
    refresh: (token: string) => postJson(`${h.server.baseUrl}/mcp/token/refresh`, { token }),
    mcpStatus: async (token: string) =>
      (await mcpRequest(h.server.mcpUrl, { bearer: token, body: initializeBody() })).status,
    async merchant() {
      const { business } = await createBusiness(h.db);
      const user = await createUser(h.db, {
        memberships: [{ businessId: business.id, role: 'merchant' }],
        label: 'trust',
      });
      return { business, user };
    },
    /** A token from the server's signer whose chain started `ageSeconds` ago. */
    async chainToken(userId: string, ageSeconds: number, generation = 0) {
      const authTime = Math.floor(Date.now() / 1000) - ageSeconds;
      return (
        await h.server.services.core.tokenSigner.sign({
          sub: userId,
          email: 'x@test',
          role: 'merchant',
          businessIds: [],
          authTime,
          generation,
        })
      ).token;
    },
    trpcMutation: (idToken: string, path: string, input: unknown) =>
      trpcMutation(h.server.baseUrl, idToken, path, input),
  };
}
