// Cells of the keys table that lead to a key's page and show its tool policy.
import Link from 'next/link';
import { policySummary } from '@/lib/tool-policy-text';
import type { RouterOutputs } from '@/lib/trpc';

type KeyRow = RouterOutputs['keys']['list'][number];

export function keyNameCell(k: KeyRow) {
  return (
    <Link href={`/keys/${k.id}`}>
      <strong>{k.name}</strong>
    </Link>
  );
}

export const keyToolsCell = (k: KeyRow) => policySummary(k.toolPolicy);
