'use client';
// One connected app's page (an OAuth grant): what it is, then its sections
// (each its own component, so more can be added beside them).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { ScopeChips } from '@/components/scopes';
import { PageHeader, QueryState } from '@/components/states';
import { ToolPolicySection } from '@/components/tool-policy-section';
import { UsageSection } from '@/components/usage-section';
import { CredentialLimitsSection } from '@/components/credential-limits-section';
import { formatDateTime } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

export default function ConnectedAppPage() {
  const grantId = decodeURIComponent(useParams<{ grantId: string }>().grantId);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const app = useQuery(trpc.oauth.connectedApp.queryOptions({ grantId }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.oauth.connectedApp.queryKey({ grantId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.oauth.connectedApps.queryKey() }),
    ]);
  return (
    <QueryState query={app} loading="Loading the app…" failed="Cannot load this connected app.">
      {(a) => (
        <>
          <PageHeader
            title={a.clientName}
            description={<Link href="/connected-apps">All connected apps</Link>}
          />
          <div className="panel">
            <dl className="facts principal-summary">
              <dt>Person</dt>
              <dd>{a.userEmail}</dd>
              <dt>Business</dt>
              <dd>{a.businessName}</dd>
              <dt>Scopes</dt>
              <dd>
                <ScopeChips scopes={a.scopes} />
              </dd>
              <dt>Connected</dt>
              <dd>{formatDateTime(a.createdAt)}</dd>
              <dt>Last used</dt>
              <dd>{formatDateTime(a.lastUsedAt, 'Never')}</dd>
            </dl>
          </div>
          <ToolPolicySection
            key={a.id}
            target={{ grantId: a.id }}
            policy={a.toolPolicy}
            canEdit={a.canManage}
            onSaved={refresh}
          />
          <CredentialLimitsSection target={{ grantId: a.id }} />
          <UsageSection kind="grant" id={a.id} />
        </>
      )}
    </QueryState>
  );
}
