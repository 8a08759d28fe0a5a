'use client';
// Members of the business: who may sign in for it, turning a membership on
// or off (their live sessions follow at once), and signing a member out
// everywhere (every MCP token and session they hold stops working).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { MerchantOnly } from '@/components/app-shell';
import { ConfirmDialog } from '@/components/modal';
import { Empty, ErrorAlert, Loading, PageHeader, StatusBadge } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { errorMessage } from '@/lib/errors';
import { formatDate, roleLabel } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type Member = RouterOutputs['members']['list'][number];

export default function MembersPage() {
  const { business } = useBusiness();
  if (!business) return null;
  return (
    <>
      <PageHeader
        title="Members"
        description={`People who can sign in for ${business.name}, and their role.`}
      />
      <MerchantOnly action="manageMembers" what="manage members">
        <MembersView key={business.id} businessId={business.id} businessName={business.name} />
      </MerchantOnly>
    </>
  );
}

function MembersView({ businessId, businessName }: { businessId: string; businessName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useBusiness();
  const members = useQuery(trpc.members.list.queryOptions({ businessId }));
  const [changing, setChanging] = useState<Member | null>(null);
  const [signingOut, setSigningOut] = useState<Member | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const setActive = useMutation(
    trpc.members.setActive.mutationOptions({
      onSuccess: async (member) => {
        setChanging(null);
        setNotice(
          `${member.email} is now ${member.isActive ? 'active' : 'inactive'} at ${businessName}.`,
        );
        await queryClient.invalidateQueries({
          queryKey: trpc.members.list.queryKey({ businessId }),
        });
      },
    }),
  );

  const signOut = useMutation(
    trpc.members.signOutEverywhere.mutationOptions({
      onSuccess: () => {
        setNotice(`${signingOut?.email ?? 'The member'} is signed out everywhere.`);
        setSigningOut(null);
      },
    }),
  );

  return (
    <>
      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      {members.isPending ? (
        <Loading label="Loading members…" />
      ) : members.error ? (
        <ErrorAlert
          title="Cannot load members."
          error={members.error}
          onRetry={() => void members.refetch()}
        />
      ) : members.data.length === 0 ? (
        <Empty title="No members">Nobody belongs to {businessName} yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Members of {businessName}</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => {
                const self = m.userId === me.userId;
                return (
                  <tr key={m.userId}>
                    <td data-label="Email">
                      {m.email}
                      {self && <span className="cell-sub">you</span>}
                      {m.displayName && <span className="cell-sub">{m.displayName}</span>}
                    </td>
                    <td data-label="Role">{roleLabel(m.role)}</td>
                    <td data-label="Since">{formatDate(m.createdAt)}</td>
                    <td data-label="Status">
                      <StatusBadge status={m.isActive ? 'active' : 'inactive'} />
                    </td>
                    <td data-label="Actions" className="actions">
                      {self ? (
                        <span className="muted small">—</span>
                      ) : (
                        <>
                          <button
                            type="button"
                            className="button button-small button-danger-outline"
                            aria-label={`Sign out ${m.email} everywhere`}
                            onClick={() => {
                              signOut.reset();
                              setNotice(null);
                              setSigningOut(m);
                            }}
                          >
                            Sign out everywhere
                          </button>
                          <button
                            type="button"
                            className={
                              m.isActive
                                ? 'button button-small button-danger-outline'
                                : 'button button-small'
                            }
                            aria-label={`${m.isActive ? 'Deactivate' : 'Activate'} ${m.email}`}
                            onClick={() => {
                              setActive.reset();
                              setNotice(null);
                              setChanging(m);
                            }}
                          >
                            {m.isActive ? 'Deactivate' : 'Activate'}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {signingOut && (
        <ConfirmDialog
          title="Sign this member out everywhere?"
          confirmLabel="Sign out everywhere"
          danger
          pending={signOut.isPending}
          error={signOut.error ? errorMessage(signOut.error) : null}
          onClose={() => setSigningOut(null)}
          onConfirm={() => signOut.mutate({ businessId, userId: signingOut.userId })}
        >
          <p>
            Every MCP token and live MCP session of <strong>{signingOut.email}</strong> stops
            working at once, and their Firebase sign-ins are revoked. They keep their memberships
            and can sign in again.
          </p>
        </ConfirmDialog>
      )}
      {changing && (
        <ConfirmDialog
          title={changing.isActive ? 'Deactivate this member?' : 'Activate this member?'}
          confirmLabel={changing.isActive ? 'Deactivate' : 'Activate'}
          danger={changing.isActive}
          pending={setActive.isPending}
          error={setActive.error ? errorMessage(setActive.error) : null}
          onClose={() => setChanging(null)}
          onConfirm={() =>
            setActive.mutate({ businessId, userId: changing.userId, isActive: !changing.isActive })
          }
        >
          {changing.isActive ? (
            <p>
              <strong>{changing.email}</strong> loses access to {businessName} at once and is signed
              out everywhere: every MCP token and live MCP session they hold ends.
            </p>
          ) : (
            <p>
              <strong>{changing.email}</strong> gets access to {businessName} again as{' '}
              {roleLabel(changing.role).toLowerCase()}.
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
