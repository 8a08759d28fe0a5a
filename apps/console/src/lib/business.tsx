'use client';
// The business the console is working on: one of the signed-in user's
// businesses, remembered in localStorage so it survives a reload.
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { requiredContext } from './required-context';
import { useTRPC, type RouterOutputs } from './trpc';

export type BusinessOption = RouterOutputs['businesses']['list'][number];
export type Me = RouterOutputs['me']['get'];

const STORAGE_KEY = 'flowpos.console.businessId';

interface BusinessContextValue {
  me: Me;
  businesses: BusinessOption[];
  business: BusinessOption | null;
  /** The signed-in user's role in the selected business. */
  role: BusinessOption['role'] | null;
  setBusinessId(id: string): void;
}

const [BusinessContext, useBusinessContext] = requiredContext<BusinessContextValue>('useBusiness');

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function BusinessProvider({
  me,
  businesses,
  children,
}: {
  me: Me;
  businesses: BusinessOption[];
  children: ReactNode;
}) {
  const [selectedId, setSelectedId] = useState<string | null>(null);

  useEffect(() => {
    setSelectedId(readStored());
  }, []);

  const setBusinessId = useCallback((id: string) => {
    setSelectedId(id);
    try {
      window.localStorage.setItem(STORAGE_KEY, id);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }, []);

  const business = businesses.find((b) => b.id === selectedId) ?? businesses[0] ?? null;

  const value = useMemo<BusinessContextValue>(
    () => ({
      me,
      businesses,
      business,
      role: business?.role ?? null,
      setBusinessId,
    }),
    [me, businesses, business, setBusinessId],
  );
  return <BusinessContext value={value}>{children}</BusinessContext>;
}

export const useBusiness = useBusinessContext;

/** Loads what the shell needs before any page renders. */
export function useShellData() {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  const businesses = useQuery(
    trpc.businesses.list.queryOptions(undefined, { enabled: me.isSuccess }),
  );
  return { me, businesses };
}
