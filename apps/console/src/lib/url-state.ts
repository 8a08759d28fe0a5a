// Page state kept in the URL's query (filters, toggles), so a reload, a shared
// link or the back button shows the same view. Empty values leave the URL.
'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';

export function useUrlState<Key extends string>(
  keys: readonly Key[],
): [Record<Key, string>, (next: Partial<Record<Key, string>>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const values = useMemo(
    () => Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<Key, string>,
    [params, keys],
  );
  const set = useCallback(
    (next: Partial<Record<Key, string>>) => {
      const query = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(next) as [Key, string | undefined][]) {
        if (value) query.set(key, value);
        else query.delete(key);
      }
      const search = query.toString();
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  return [values, set];
}
