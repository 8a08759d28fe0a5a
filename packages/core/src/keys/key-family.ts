// One API key, many secrets: rolling a key stores the new secret as a new row
// and links the old row to it (`replacedById`). The rows linked this way are
// one key to the merchant: it is named by its newest row (the head), its older
// rows are its previous secrets (working until their overlap ends), and
// revoking or changing the key applies to every one of them.
export interface KeyLink {
  id: string;
  replacedById: string | null;
}

/** The head of every row's key, by row id (a row never rolled is its own head). */
export function headsOf(links: readonly KeyLink[]): Map<string, string> {
  const next = new Map(links.map((l) => [l.id, l.replacedById]));
  const heads = new Map<string, string>();
  const find = (id: string): string => {
    const known = heads.get(id);
    if (known) return known;
    const path: string[] = [];
    let current = id;
    for (;;) {
      path.push(current);
      const successor = next.get(current);
      // A successor missing from `links` (or a cycle) ends the walk where we are.
      if (!successor || !next.has(successor) || path.includes(successor)) break;
      const resolved = heads.get(successor);
      if (resolved) {
        current = resolved;
        break;
      }
      current = successor;
    }
    for (const p of path) heads.set(p, current);
    return current;
  };
  for (const l of links) find(l.id);
  return heads;
}

/** Every row of the key `id` belongs to: its head first, then each older secret. */
export function familyOf(links: readonly KeyLink[], id: string): string[] {
  const heads = headsOf(links);
  const head = heads.get(id) ?? id;
  const older = links.filter((l) => l.id !== head && heads.get(l.id) === head).map((l) => l.id);
  return [head, ...older];
}

/** The rows grouped by key, in the order of their heads: each head with its older rows. */
export function groupByKey<T extends KeyLink>(rows: readonly T[]): { head: T; older: T[] }[] {
  const heads = headsOf(rows);
  const groups = new Map<string, { head: T; older: T[] }>();
  for (const row of rows)
    if (heads.get(row.id) === row.id) groups.set(row.id, { head: row, older: [] });
  for (const row of rows) {
    const head = heads.get(row.id);
    if (head !== row.id && head) groups.get(head)?.older.push(row);
  }
  return [...groups.values()];
}
