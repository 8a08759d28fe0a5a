// Members page controls for merchants: invite someone by e-mail with a role,
// and change a member's role (core refuses to demote the last merchant; the
// refusal is shown as the server words it).
import { useState } from 'react';
import { FormError, onSubmitted, SelectField, TextField } from '@/components/field';
import { useNotifyingMutation } from '@/components/toasts';
import { errorMessage } from '@/lib/errors';
import { roleLabel } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

type MemberRole = 'merchant' | 'tenant_developer';
const ROLE_CHOICES = (['merchant', 'tenant_developer'] as const).map((value) => ({
  value,
  label: roleLabel(value),
}));

export function InviteMemberForm({
  businessId,
  businessName,
  onDone,
}: {
  businessId: string;
  businessName: string;
  onDone(): Promise<unknown>;
}) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('tenant_developer');
  const invite = useNotifyingMutation(
    trpc.members.invite.mutationOptions(),
    (m) =>
      `${m.email} is now a ${roleLabel(m.role).toLowerCase()} of ${businessName}${m.created ? ' (they sign in with this e-mail)' : ''}.`,
    async () => {
      setEmail('');
      await onDone();
    },
  );
  return (
    <form
      className="panel invite-form"
      onSubmit={onSubmitted(() => invite.mutate({ businessId, email, role }))}
      aria-label="Invite a member"
    >
      <TextField
        id="invite-email"
        label="E-mail"
        type="email"
        required
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <SelectField
        id="invite-role"
        label="Role"
        value={role}
        choices={ROLE_CHOICES}
        onChange={setRole}
      />
      <button type="submit" className="button button-primary" disabled={invite.isPending}>
        {invite.isPending ? 'Inviting…' : 'Invite'}
      </button>
      <FormError error={invite.error ? errorMessage(invite.error) : null} />
    </form>
  );
}

export function MemberRoleSelect({
  businessId,
  member,
  onDone,
}: {
  businessId: string;
  member: { userId: string; email: string; role: string };
  onDone(): Promise<unknown>;
}) {
  const trpc = useTRPC();
  const change = useNotifyingMutation(
    trpc.members.changeRole.mutationOptions(),
    (m) => `${m.email} is now ${roleLabel(m.role).toLowerCase()}.`,
    onDone,
  );
  if (member.role !== 'merchant' && member.role !== 'tenant_developer')
    return <>{roleLabel(member.role)}</>;
  return (
    <SelectField
      id={`role-${member.userId}`}
      className="role-select"
      label={`Role of ${member.email}`}
      value={member.role}
      choices={ROLE_CHOICES}
      onChange={(role) => change.mutate({ businessId, userId: member.userId, role })}
    />
  );
}
