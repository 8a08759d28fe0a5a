'use client';
// The business the console is working on: one of the signed-in user's
// businesses, remembered in localStorage so it survives a reload. The list
// comes from `me` itself, the same answer as the capabilities in it: two
// queries could be answered either side of a business being created or
// deleted, and a page would then find no capabilities for the business shown.
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { requiredContext } from './required-context';
import { useTRPC, type RouterOutputs } from './trpc';

export type Me = RouterOutputs['me']['get'];
type Role = Me['capabilities']['businesses'][number]['role'];
export interface BusinessOption {
  id: string;
  name: string;
  role: Role;
}

/** The businesses the person can act for, by name, as `me` lists them. */
export function businessOptions(me: Me): BusinessOption[] {
  return me.capabilities.businesses.map((b) => ({
    id: b.businessId,
    name: b.businessName,
    role: b.role,
  }));
}

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

export function BusinessProvider({ me, children }: { me: Me; children: ReactNode }) {
  const businesses = useMemo(() => businessOptions(me), [me]);
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

/** Loads what the shell needs before any page renders: who is signed in, where, and what they may do. */
export function useShellData() {
  const trpc = useTRPC();
  return useQuery(trpc.me.get.queryOptions());
}
