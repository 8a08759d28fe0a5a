'use client';
// Members of the business: who may sign in for it, turning a membership on
// or off (their live sessions follow at once), and signing a member out of
// this business (what they hold for it ends; a merchant acts only within
// their business). Operators may also sign a person out everywhere.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { MerchantOnly } from '@/components/app-shell';
import { ConfirmAction, useConfirmedAction } from '@/components/confirm-action';
import { InviteMemberForm, MemberRoleSelect } from '@/components/member-changes';
import { actionsColumn, DataTable, RowButton } from '@/components/data-table';
import { Empty, PageHeader, QueryState, StatusBadge } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
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
  const notify = useToast();
  const { me } = useBusiness();
  const { canAnywhere } = useCapabilities(businessId);
  const members = useQuery(trpc.members.list.queryOptions({ businessId }));
  const reload = () =>
    queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ businessId }) });
  const setActive = useConfirmedAction(
    trpc.members.setActive.mutationOptions(),
    (m: Member) => ({ businessId, userId: m.userId, isActive: !m.isActive }),
    async (member) => {
      notify(
        `${member.email} is now ${member.isActive ? 'active' : 'inactive'} at ${businessName}.`,
      );
      await queryClient.invalidateQueries({
        queryKey: trpc.members.list.queryKey({ businessId }),
      });
    },
  );
  const signOut = useConfirmedAction(
    trpc.members.signOut.mutationOptions(),
    (m: Member) => ({ businessId, userId: m.userId }),
    (_, m) => notify(`${m.email} is signed out of ${businessName}.`),
  );
  const signOutEverywhere = useConfirmedAction(
    trpc.members.signOutEverywhere.mutationOptions(),
    (m: Member) => ({ userId: m.userId }),
    (_, m) => notify(`${m.email} is signed out everywhere.`),
  );

  return (
    <>
      <InviteMemberForm businessId={businessId} businessName={businessName} onDone={reload} />
      <QueryState query={members} loading="Loading members…" failed="Cannot load members.">
        {(rows) => (
          <DataTable
            caption={`Members of ${businessName}`}
            rows={rows}
            rowKey={(m) => m.userId}
            empty={<Empty title="No members">Nobody belongs to {businessName} yet.</Empty>}
            columns={[
              {
                header: 'Email',
                cell: (m) => (
                  <>
                    {m.email}
                    {m.userId === me.userId && <span className="cell-sub">you</span>}
                    {m.displayName && <span className="cell-sub">{m.displayName}</span>}
                  </>
                ),
              },
              {
                header: 'Role',
                cell: (m) => (
                  <MemberRoleSelect businessId={businessId} member={m} onDone={reload} />
                ),
              },
              { header: 'Since', cell: (m) => formatDate(m.createdAt) },
              {
                header: 'Status',
                cell: (m) => <StatusBadge status={m.isActive ? 'active' : 'inactive'} />,
              },
              actionsColumn<Member>((m) =>
                m.userId === me.userId ? null : (
                  <>
                    <RowButton
                      name={`Sign out ${m.email} of ${businessName}`}
                      tone="danger"
                      onClick={() => signOut.ask(m)}
                    >
                      Sign out
                    </RowButton>
                    {canAnywhere('signOutAnyone') && (
                      <RowButton
                        name={`Sign out ${m.email} everywhere`}
                        tone="danger"
                        onClick={() => signOutEverywhere.ask(m)}
                      >
                        Sign out everywhere
                      </RowButton>
                    )}
                    <RowButton
                      name={`${m.isActive ? 'Deactivate' : 'Activate'} ${m.email}`}
                      tone={m.isActive ? 'danger' : undefined}
                      onClick={() => setActive.ask(m)}
                    >
                      {m.isActive ? 'Deactivate' : 'Activate'}
                    </RowButton>
                  </>
                ),
              ),
            ]}
          />
        )}
      </QueryState>
      <ConfirmAction
        action={signOut}
        title={`Sign this member out of ${businessName}?`}
        confirmLabel="Sign out"
        danger
      >
        {(m) => (
          <p>
            The connected apps <strong>{m.email}</strong> authorized for {businessName} are revoked,
            and their live MCP sessions acting for {businessName} end at once. Their membership,
            their sign-in and their access to other businesses stay: deactivate the membership to
            take {businessName} away from them.
          </p>
        )}
      </ConfirmAction>
      <ConfirmAction
        action={signOutEverywhere}
        title="Sign this person out everywhere?"
        confirmLabel="Sign out everywhere"
        danger
      >
        {(m) => (
          <p>
            Every MCP token, connected app and live MCP session of <strong>{m.email}</strong>, for
            every business, stops working at once, and their Firebase sign-ins are revoked. They
            keep their memberships and can sign in again.
          </p>
        )}
      </ConfirmAction>
      <ConfirmAction
        action={setActive}
        title={(m) => (m.isActive ? 'Deactivate this member?' : 'Activate this member?')}
        confirmLabel={(m) => (m.isActive ? 'Deactivate' : 'Activate')}
        danger={(m) => m.isActive}
      >
        {(m) =>
          m.isActive ? (
            <p>
              <strong>{m.email}</strong> loses access to {businessName} at once: their MCP tokens
              and live sessions no longer reach it, and the connected apps they authorized for it
              are revoked. Their access to other businesses stays.
            </p>
          ) : (
            <p>
              <strong>{m.email}</strong> gets access to {businessName} again as{' '}
              {roleLabel(m.role).toLowerCase()}.
            </p>
          )
        }
      </ConfirmAction>
    </>
  );
}
