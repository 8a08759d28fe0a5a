// Dynamically registered clients do not pile up: a client expires
// OAUTH_UNUSED_CLIENT_TTL_SECONDS after registration unless a person consents
// to it first (then it lives on with its grant), and an address holds at most
// OAUTH_PENDING_CLIENTS_PER_ADDRESS such unused clients at once. The
// registering address is kept only as a keyed hash. Expired clients are
// unreadable at once (the adapter ignores expired records) and deleted by the
// record sweeper.
import { createHmac } from 'node:crypto';
import type { Db } from '@flowpos/db';
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import { clientAddressOf, tooManyRequestsBody } from './oauth-throttle.ts';

const CLIENT = 'Client';

export interface ClientRegistrations {
  /** When `address` holds its cap of unused clients: the seconds until one expires; else null. */
  full(address: string): Promise<number | null>;
  /**
   * After the provider stored `clientId`: starts its expiry and records who
   * registered it. Registrations racing past the cap are undone: then the
   * seconds to wait, else null.
   */
  record(clientId: string, address: string | undefined): Promise<number | null>;
  /** A person consented to the client: it no longer expires. */
  claim(clientId: string): Promise<void>;
}

export function createClientRegistrations(
  db: Db,
  config: Pick<Config, 'oauth' | 'tokenSecret'>,
): ClientRegistrations {
  const { unusedClientTtlSeconds: ttl, pendingClientsPerAddress: cap } = config.oauth;
  const registrant = (address: string) =>
    createHmac('sha256', config.tokenSecret)
      .update(`oauth-registrant:${address}`)
      .digest('base64url');

  /** The unused clients of `registeredBy`, soonest to expire first (only as many as the cap needs). */
  const pending = (registeredBy: string, take: number) =>
    db.oAuthRecord.findMany({
      where: { kind: CLIENT, registeredBy, expiresAt: { gt: new Date() } },
      select: { expiresAt: true },
      orderBy: { expiresAt: 'asc' },
      take,
    });
  const secondsUntil = (date: Date | null | undefined) =>
    Math.max(1, Math.ceil(((date?.getTime() ?? Date.now()) - Date.now()) / 1000));

  return {
    async full(address) {
      const rows = await pending(registrant(address), cap);
      return rows.length < cap ? null : secondsUntil(rows[0]?.expiresAt);
    },
    async record(clientId, address) {
      const registeredBy = address === undefined ? null : registrant(address);
      await db.oAuthRecord.update({
        where: { kind_id: { kind: CLIENT, id: clientId } },
        data: { registeredBy, expiresAt: new Date(Date.now() + ttl * 1000) },
      });
      if (registeredBy === null) return null;
      // Counted after marking: of two racing registrations the later count sees both.
      const rows = await pending(registeredBy, cap + 1);
      if (rows.length <= cap) return null;
      await db.oAuthRecord.deleteMany({ where: { kind: CLIENT, id: clientId } });
      return secondsUntil(rows[0]?.expiresAt);
    },
    async claim(clientId) {
      await db.oAuthRecord.updateMany({
        where: { kind: CLIENT, id: clientId, expiresAt: { not: null } },
        data: { expiresAt: null },
      });
    },
  };
}

/**
 * Marks each client the provider registers (after its own handler, which
 * knows the route and the new id) and turns a registration past the cap into
 * a 429.
 */
export function boundRegistrations(provider: Provider, registrations: ClientRegistrations): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'registration' || ctx.status !== 201) return;
    const clientId = (ctx.body as { client_id?: unknown } | undefined)?.client_id;
    if (typeof clientId !== 'string') return;
    const wait = await registrations.record(clientId, clientAddressOf(ctx.req));
    if (wait === null) return;
    ctx.status = 429;
    ctx.set('Retry-After', String(wait));
    ctx.body = tooManyRequestsBody(wait, TOO_MANY_UNUSED);
  });
}

export const TOO_MANY_UNUSED =
  'Too many unused clients registered from this address: use one, or retry later';
