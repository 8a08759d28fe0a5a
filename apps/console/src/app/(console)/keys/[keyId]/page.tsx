'use client';
// One API key's page: what it is, then its sections (usage; other sections
// join here). Thin: the key comes from the business's key list.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { ScopeChips } from '@/components/scopes';
import { Empty, PageHeader, QueryState, StatusBadge } from '@/components/states';
import { UsageSection } from '@/components/usage-section';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
import { formatDateTime, formatRelative, roleLabel } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

export default function KeyPage() {
  const { keyId } = useParams<{ keyId: string }>();
  const { business } = useBusiness();
  const { can } = useCapabilities();
  const trpc = useTRPC();
  const keys = useQuery({
    ...trpc.keys.list.queryOptions({ businessId: business?.id ?? '' }),
    enabled: Boolean(business),
  });
  if (!business) return null;
  return (
    <QueryState query={keys} loading="Loading the key…" failed="Cannot load the key.">
      {(rows) => {
        const key = rows.find((k) => k.id === keyId);
        if (!key)
          return (
            <Empty title="Key not found">
              No key of {business.name} has this id. <Link href="/keys">Back to the keys</Link>
            </Empty>
          );
        return (
          <>
            <PageHeader
              title={`Key “${key.name}”`}
              description={
                <>
                  <code>{key.prefix}…</code> · {roleLabel(key.role)} ·{' '}
                  <StatusBadge status={key.status} /> · last used{' '}
                  <span title={formatDateTime(key.lastUsedAt, 'never')}>
                    {formatRelative(key.lastUsedAt, Date.now(), 'never')}
                  </span>
                </>
              }
              actions={
                <Link href="/keys" className="button">
                  All keys
                </Link>
              }
            />
            <ScopeChips scopes={key.scopes} />
            {can('viewUsage') && <UsageSection kind="key" id={key.id} />}
          </>
        );
      }}
    </QueryState>
  );
}
