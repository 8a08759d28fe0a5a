// Connected apps as people look for them: grouped by app (OAuth client), a
// page of apps at a time, searchable by app name, client id, person or
// business, each app with where its answers go (a registered client's
// redirect hosts; a Client ID Metadata Document is its own URL's host) and
// the grants the viewer may see.
import type { Db } from '@flowpos/db';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { badRequest } from '../errors.ts';
import { likeLiteral } from '../pos/like-literal.ts';
import { connectedAppView, visibleGrantsWhere, type ConnectedAppView } from './grants.ts';

export const connectedAppGroupsInput = z
  .object({
    search: z.string().trim().max(200).optional(),
    /** The `nextCursor` of the previous page. */
    cursor: z.string().max(600).nullish(),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .default({ limit: 20 });
export type ConnectedAppGroupsInput = z.input<typeof connectedAppGroupsInput>;

export interface ConnectedAppGroup {
  clientId: string;
  clientName: string;
  /** How the app identified itself. */
  registration: 'registered' | 'metadata_document' | 'unknown';
  /** Hosts its redirect URIs point to (registered clients), or its document's host. */
  redirectHosts: string[];
  grantCount: number;
  lastUsedAt: Date | null;
  /** The most recent grants (up to GRANTS_PER_GROUP). */
  grants: ConnectedAppView[];
}

export interface ConnectedAppGroupPage {
  items: ConnectedAppGroup[];
  nextCursor: string | null;
}

const GRANTS_PER_GROUP = 50;

const hostOf = (url: unknown): string[] =>
  typeof url === 'string' && URL.canParse(url) ? [new URL(url).host] : [];

function decodeCursor(cursor: string): string {
  try {
    const clientId: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof clientId === 'string') return clientId;
  } catch {
    // fall through
  }
  throw badRequest('cursor: not a cursor this list returned');
}

export async function listConnectedAppGroups(
  db: Db,
  actor: Actor,
  raw: ConnectedAppGroupsInput = {},
): Promise<ConnectedAppGroupPage> {
  const input = connectedAppGroupsInput.parse(raw);
  const text = input.search ? likeLiteral(input.search) : '';
  const match = { contains: text, mode: 'insensitive' as const };
  const where = {
    revokedAt: null,
    AND: [
      visibleGrantsWhere(actor),
      text
        ? {
            OR: [
              { clientName: match },
              { clientId: match },
              { user: { email: match } },
              { business: { name: match } },
            ],
          }
        : {},
    ],
    ...(input.cursor ? { clientId: { gt: decodeCursor(input.cursor) } } : {}),
  };
  const groups = await db.oAuthGrant.groupBy({
    by: ['clientId'],
    where,
    _count: { _all: true },
    _max: { lastUsedAt: true },
    orderBy: { clientId: 'asc' },
    take: input.limit + 1,
  });
  const page = groups.slice(0, input.limit);
  const clientIds = page.map((g) => g.clientId);
  const [grants, clients] = await Promise.all([
    db.oAuthGrant.findMany({
      where: { ...where, clientId: { in: clientIds } },
      include: { user: { select: { email: true } }, business: { select: { name: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: GRANTS_PER_GROUP * clientIds.length,
    }),
    db.oAuthRecord.findMany({ where: { kind: 'Client', id: { in: clientIds } } }),
  ]);
  const items = page.map((g): ConnectedAppGroup => {
    const mine = grants.filter((r) => r.clientId === g.clientId).slice(0, GRANTS_PER_GROUP);
    const client = clients.find((c) => c.id === g.clientId);
    const redirects = (client?.payload as { redirect_uris?: unknown[] } | undefined)?.redirect_uris;
    const isDocument = g.clientId.startsWith('https://');
    return {
      clientId: g.clientId,
      clientName: mine[0]?.clientName ?? g.clientId,
      registration: client ? 'registered' : isDocument ? 'metadata_document' : 'unknown',
      redirectHosts: client
        ? [...new Set((redirects ?? []).flatMap(hostOf))]
        : isDocument
          ? hostOf(g.clientId)
          : [],
      grantCount: g._count._all,
      lastUsedAt: g._max.lastUsedAt,
      grants: mine.map(connectedAppView),
    };
  });
  const last = page.at(-1);
  return {
    items,
    nextCursor:
      groups.length > input.limit && last
        ? Buffer.from(JSON.stringify(last.clientId)).toString('base64url')
        : null,
  };
}
