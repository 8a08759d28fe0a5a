// The live view names API keys as merchants named them ("Till 2"), not by
// prefix: the prefix stays beside the name for whoever matches it to a log.
import type { Db } from '@flowpos/db';
import { parseCredentialId } from '../credential-ids.ts';
import { isUuid } from '../storable.ts';
import type { Page } from './session-pages.ts';

interface Named {
  principal: { kind: string; label: string; keyPrefix?: string };
}

function credentialOf(view: Named & { credential?: string; principal: { credentialId?: string } }) {
  return view.credential ?? view.principal.credentialId ?? '';
}

/** The page with each API key's label replaced by its name (one query for the page). */
export async function withKeyNames<
  V extends Named & { credential?: string; principal: { credentialId?: string } },
>(db: Db, page: Page<V>): Promise<Page<V>> {
  const keyIds = new Map<V, string>();
  for (const view of page.items) {
    const ref = parseCredentialId(credentialOf(view));
    if (view.principal.kind === 'api_key' && ref?.kind === 'key' && isUuid(ref.id))
      keyIds.set(view, ref.id);
  }
  if (keyIds.size === 0) return page;
  const keys = await db.apiKey.findMany({
    where: { id: { in: [...new Set(keyIds.values())] } },
    select: { id: true, name: true },
  });
  const names = new Map(keys.map((k) => [k.id, k.name]));
  return {
    ...page,
    items: page.items.map((view) => {
      const name = names.get(keyIds.get(view) ?? '');
      if (!name) return view;
      return {
        ...view,
        principal: { ...view.principal, label: name, keyPrefix: view.principal.label },
      };
    }),
  };
}
