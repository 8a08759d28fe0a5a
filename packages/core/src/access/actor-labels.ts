// People, not ids: who an intent's proposer or an audit event's actor is, as a
// merchant reads it (a key's name, a user's e-mail). The id stays alongside
// for whoever needs it. Refs are `key:<id>`, `user:<id>`, or a bare user id
// (the console's own actions record the user id alone).
import type { Db } from '@flowpos/db';
import { parseActorRef } from '../credential-ids.ts';

export interface ActorLabel {
  /** What the console shows: "key Till 2" or "owner@shop.test". */
  label: string;
  /** The ref as stored, shown on hover. */
  ref: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keys and users are labelled; a grant, or an id no row can have, labels as itself. */
function parseRef(ref: string): { kind: 'key' | 'user'; id: string } | null {
  const parsed = parseActorRef(ref);
  if (!parsed || parsed.kind === 'grant' || !UUID.test(parsed.id)) return null;
  return { kind: parsed.kind, id: parsed.id };
}

/** Labels for every ref at once (two queries at most); unknown refs label as themselves. */
export async function actorLabels(
  db: Db,
  refs: readonly string[],
): Promise<Map<string, ActorLabel>> {
  const parsed = [...new Set(refs)].map((ref) => ({ ref, target: parseRef(ref) }));
  const ids = (kind: 'key' | 'user') =>
    parsed.flatMap((p) => (p.target?.kind === kind ? [p.target.id] : []));
  const [keys, users] = await Promise.all([
    ids('key').length
      ? db.apiKey.findMany({ where: { id: { in: ids('key') } }, select: { id: true, name: true } })
      : [],
    ids('user').length
      ? db.user.findMany({ where: { id: { in: ids('user') } }, select: { id: true, email: true } })
      : [],
  ]);
  const labels = new Map<string, ActorLabel>();
  for (const { ref, target } of parsed) {
    const found =
      target?.kind === 'key'
        ? keys.find((k) => k.id === target.id)?.name
        : users.find((u) => u.id === target?.id)?.email;
    const label = found ? (target?.kind === 'key' ? `key ${found}` : found) : ref;
    labels.set(ref, { label, ref });
  }
  return labels;
}
