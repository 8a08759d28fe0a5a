'use client';
// Connected apps: the connectors (claude.ai, ChatGPT, VS Code…) people allowed
// to use FlowPOS through OAuth, grouped by app, a page at a time, searchable.
// Everyone sees and revokes their own; merchants their businesses'; operators
// all. Revoking ends the app's sessions at once.
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmAction, useConfirmedAction } from '@/components/confirm-action';
import { ConnectedAppGroup, type AppGrant } from '@/components/connected-app-group';
import { TextField } from '@/components/field';
import { ConnectSnippets } from '@/components/connect-snippets';
import { Empty, PageHeader, QueryState } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useCapabilities } from '@/lib/capabilities';
import { useTRPC } from '@/lib/trpc';

const PAGE_SIZE = 10;

export default function ConnectedAppsPage() {
  const seesAll = useCapabilities().canAnywhere('viewAllConnectedApps');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [search, setSearch] = useState('');
  // The cursors of the pages before this one (the first page has none).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const input = { limit: PAGE_SIZE, cursor, ...(search.trim() ? { search: search.trim() } : {}) };
  const apps = useQuery(
    trpc.oauth.connectedAppGroups.queryOptions(input, { placeholderData: keepPreviousData }),
  );
  const revoke = useConfirmedAction(
    trpc.oauth.revoke.mutationOptions(),
    (a: AppGrant) => ({ grantId: a.id }),
    async (_, a) => {
      notify(`${a.clientName} was disconnected. Its tokens and sessions no longer work.`);
      await queryClient.invalidateQueries({ queryKey: trpc.oauth.connectedAppGroups.queryKey() });
    },
  );

  return (
    <>
      <PageHeader
        title="Connected apps"
        description={
          seesAll
            ? 'Every app people connected to FlowPOS with OAuth, across businesses, by app.'
            : 'Apps connected with OAuth, by app: yours, and for businesses you manage, your members’.'
        }
      />
      <form className="app-search" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField
          id="apps-search"
          label="Search apps"
          type="search"
          placeholder="App, client id, person or business"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setCursors([null]);
          }}
        />
      </form>
      <QueryState
        query={apps}
        loading="Loading connected apps…"
        failed="Cannot load connected apps."
      >
        {(page) =>
          page.items.length === 0 ? (
            search.trim() ? (
              <Empty title="No app matches">Nothing connected matches “{search.trim()}”.</Empty>
            ) : (
              <Empty title="No connected apps">
                Apps appear here once someone connects Claude, ChatGPT, VS Code or another MCP
                client with the MCP URL alone and allows it.
                <ConnectSnippets />
              </Empty>
            )
          ) : (
            <>
              {page.items.map((group) => (
                <ConnectedAppGroup key={group.clientId} group={group} onRevoke={revoke.ask} />
              ))}
              <nav className="pager" aria-label="Pages of apps">
                <button
                  type="button"
                  className="button"
                  disabled={cursors.length <= 1}
                  onClick={() => setCursors((c) => c.slice(0, -1))}
                >
                  Previous
                </button>
                <span>Page {cursors.length}</span>
                <button
                  type="button"
                  className="button"
                  disabled={!page.nextCursor}
                  onClick={() => page.nextCursor && setCursors((c) => [...c, page.nextCursor])}
                >
                  Next
                </button>
              </nav>
            </>
          )
        }
      </QueryState>
      <ConfirmAction action={revoke} title="Disconnect this app?" confirmLabel="Revoke" danger>
        {(a) => (
          <p>
            <strong>{a.clientName}</strong> stops acting for {a.userEmail} at {a.businessName} now:
            its tokens are refused and its sessions end. To use it again, they connect it again.
          </p>
        )}
      </ConfirmAction>
    </>
  );
}
