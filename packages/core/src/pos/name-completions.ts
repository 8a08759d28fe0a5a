// Names a person may be typing into a prompt argument, and what a typed name
// stands for. Each read is bounded by its caller's rights: products of one
// business (the active one), businesses among the ids the caller holds.
// Matching is by prefix, case-insensitive, like a client's completion menu.
import type { Db } from '@flowpos/db';
import { likeLiteral } from './like-literal.ts';

/** What completion/complete may answer at most (the MCP limit). */
export const MAX_COMPLETIONS = 100;
/** A longer prefix matches nothing any name here starts with. */
const MAX_PREFIX = 100;

const startsWith = (prefix: string) => ({
  startsWith: likeLiteral(prefix),
  mode: 'insensitive' as const,
});
const sameText = (text: string) => ({ equals: likeLiteral(text), mode: 'insensitive' as const });

/** Active products' names and SKUs in `businessId` that start with `prefix`, names first. */
export async function productNameCompletions(
  db: Db,
  businessId: string,
  prefix: string,
): Promise<string[]> {
  if (prefix.length > MAX_PREFIX) return [];
  const [byName, bySku] = await Promise.all([
    db.product.findMany({
      where: { businessId, isActive: true, name: startsWith(prefix) },
      select: { name: true },
      orderBy: { name: 'asc' },
      distinct: ['name'],
      take: MAX_COMPLETIONS,
    }),
    db.product.findMany({
      where: { businessId, isActive: true, sku: startsWith(prefix) },
      select: { sku: true },
      orderBy: { sku: 'asc' },
      take: MAX_COMPLETIONS,
    }),
  ]);
  const values = [...byName.map((p) => p.name), ...bySku.map((p) => p.sku)];
  return [...new Set(values)].slice(0, MAX_COMPLETIONS);
}

/** The active product in `businessId` whose SKU is `ref` exactly, else whose name is (any case). */
export async function findProductByNameOrSku(db: Db, businessId: string, ref: string) {
  const select = { id: true, sku: true, name: true } as const;
  return (
    (await db.product.findFirst({ where: { businessId, isActive: true, sku: ref }, select })) ??
    (await db.product.findFirst({
      where: { businessId, isActive: true, name: sameText(ref) },
      orderBy: { id: 'asc' },
      select,
    }))
  );
}

/** Names of the businesses among `businessIds` that start with `prefix`. */
export async function businessNameCompletions(
  db: Db,
  businessIds: readonly string[],
  prefix: string,
): Promise<string[]> {
  if (prefix.length > MAX_PREFIX || businessIds.length === 0) return [];
  const rows = await db.business.findMany({
    where: { id: { in: [...businessIds] }, name: startsWith(prefix) },
    select: { name: true },
    orderBy: { name: 'asc' },
    distinct: ['name'],
    take: MAX_COMPLETIONS,
  });
  return rows.map((b) => b.name);
}

/** The business among `businessIds` with this name (any case); null when none is. */
export async function findBusinessByName(db: Db, businessIds: readonly string[], name: string) {
  return db.business.findFirst({
    where: { id: { in: [...businessIds] }, name: sameText(name) },
    orderBy: { id: 'asc' },
    select: { id: true, name: true },
  });
}
