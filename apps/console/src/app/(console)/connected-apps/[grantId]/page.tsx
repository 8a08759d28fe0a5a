'use client';
// One connected app's page (an OAuth grant): what it is, then its sections
// (usage; other sections join here). Thin: the grant comes from the list.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { ScopeChips } from '@/components/scopes';
import { Empty, PageHeader, QueryState } from '@/components/states';
import { UsageSection } from '@/components/usage-section';
import { formatDate, formatDateTime, formatRelative } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

export default function ConnectedAppPage() {
  const { grantId } = useParams<{ grantId: string }>();
  const trpc = useTRPC();
  const apps = useQuery(trpc.oauth.connectedApps.queryOptions());
  return (
    <QueryState query={apps} loading="Loading the app…" failed="Cannot load the app.">
      {(rows) => {
        const app = rows.find((a) => a.id === grantId);
        if (!app)
          return (
            <Empty title="Connected app not found">
              It may have been revoked. <Link href="/connected-apps">Back to connected apps</Link>
            </Empty>
          );
        return (
          <>
            <PageHeader
              title={app.clientName}
              description={
                <>
                  For {app.userEmail} at {app.businessName} · connected {formatDate(app.createdAt)}{' '}
                  · last used{' '}
                  <span title={formatDateTime(app.lastUsedAt, 'never')}>
                    {formatRelative(app.lastUsedAt, Date.now(), 'never')}
                  </span>
                </>
              }
              actions={
                <Link href="/connected-apps" className="button">
                  All connected apps
                </Link>
              }
            />
            <ScopeChips scopes={app.scopes} />
            <UsageSection kind="grant" id={app.id} />
          </>
        );
      }}
    </QueryState>
  );
}
