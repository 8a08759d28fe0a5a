'use client';
// One API key's page: what it is, then its sections (each its own component,
// so more can be added beside them).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { ScopeChips } from '@/components/scopes';
import { PageHeader, QueryState, StatusBadge } from '@/components/states';
import { ToolPolicySection } from '@/components/tool-policy-section';
import { UsageSection } from '@/components/usage-section';
import { CredentialLimitsSection } from '@/components/credential-limits-section';
import { formatDateTime, roleLabel } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

export default function KeyPage() {
  const { keyId } = useParams<{ keyId: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = useQuery(trpc.keys.get.queryOptions({ keyId }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.keys.get.queryKey({ keyId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() }),
    ]);
  return (
    <QueryState query={key} loading="Loading the key…" failed="Cannot load this key.">
      {(k) => (
        <>
          <PageHeader
            title={`Key “${k.name}”`}
            description={<Link href="/keys">All API keys</Link>}
          />
          <div className="panel">
            <dl className="facts principal-summary">
              <dt>Key</dt>
              <dd>
                <code>{k.prefix}…</code>
              </dd>
              <dt>Role</dt>
              <dd>{roleLabel(k.role)}</dd>
              <dt>Scopes</dt>
              <dd>
                <ScopeChips scopes={k.scopes} />
              </dd>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={k.status} />
              </dd>
              <dt>Last used</dt>
              <dd>{formatDateTime(k.lastUsedAt, 'Never used')}</dd>
            </dl>
          </div>
          <ToolPolicySection
            key={k.id}
            target={{ keyId: k.id }}
            policy={k.toolPolicy}
            canEdit={k.can.changeScopes}
            onSaved={refresh}
          />
          <CredentialLimitsSection target={{ keyId: k.id }} />
          <UsageSection kind="key" id={k.id} />
        </>
      )}
    </QueryState>
  );
}
