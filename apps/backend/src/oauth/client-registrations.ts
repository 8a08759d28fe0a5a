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
import { addressKey } from '../http/address-key.ts';
import { clientAddressOf, tooManyRequestsBody } from './oauth-throttle.ts';

const CLIENT = 'Client';

export interface ClientRegistrations {
  /** When `address` holds its cap of unused clients: the seconds until one expires; else null. */
  full(address: string): Promise<number | null>;
  /**
   * After the provider stored `clientId`: starts its expiry and records who
   * registered it, one registration per address at a time; one that finds the
   * cap reached (racing ones included) is undone: then the seconds to wait,
   * else null. `full` is the cheap early refusal; this is the exact one.
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
      .update(`oauth-registrant:${addressKey(address)}`)
      .digest('base64url');

  /** The unused clients of `registeredBy`, soonest to expire first (only as many as the cap needs). */
  const pending = (tx: Pick<Db, 'oAuthRecord'>, registeredBy: string) =>
    tx.oAuthRecord.findMany({
      where: { kind: CLIENT, registeredBy, expiresAt: { gt: new Date() } },
      select: { expiresAt: true },
      orderBy: { expiresAt: 'asc' },
      take: cap,
    });
  const secondsUntil = (date: Date | null | undefined) =>
    Math.max(1, Math.ceil(((date?.getTime() ?? Date.now()) - Date.now()) / 1000));

  return {
    async full(address) {
      const rows = await pending(db, registrant(address));
      return rows.length < cap ? null : secondsUntil(rows[0]?.expiresAt);
    },
    async record(clientId, address) {
      const where = { kind_id: { kind: CLIENT, id: clientId } };
      const expiresAt = new Date(Date.now() + ttl * 1000);
      if (address === undefined) {
        await db.oAuthRecord.update({ where, data: { expiresAt } });
        return null;
      }
      const registeredBy = registrant(address);
      return db.$transaction(async (tx) => {
        // One registration per address at a time: racing ones cannot both see room.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${registeredBy}))`;
        const rows = await pending(tx, registeredBy);
        if (rows.length >= cap) {
          await tx.oAuthRecord.delete({ where });
          return secondsUntil(rows[0]?.expiresAt);
        }
        await tx.oAuthRecord.update({ where, data: { registeredBy, expiresAt } });
        return null;
      });
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
