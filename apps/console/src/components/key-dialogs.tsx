'use client';
// The forms of the keys page: create a key and edit its scopes, validated with
// the schemas the server parses them with (@flowpos/core/schemas).
import { useState, type FormEvent } from 'react';
import { createApiKeyInput, updateApiKeyScopesInput } from '@flowpos/core/schemas';
import { roleLabel } from '@/lib/format';
import { useSchemaForm } from '@/lib/schema-form';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { FormError, TextField } from './field';
import { Modal } from './modal';
import { ScopeCheckboxes } from './scopes';
import { ToolPolicyFields, useToolPolicy } from './tool-policy-fields';
import type { CreatedKey } from './secret-dialog';

export type KeyOptions = RouterOutputs['keys']['keyOptions'];
type KeyRow = RouterOutputs['keys']['list'][number];
type Role = KeyOptions['roles'][number];
type Scope = keyof KeyOptions['scopeDescriptions'];

const FIELDS = ['name', 'scopes', 'expiresAt', 'role', 'toolPolicy'] as const;

/** The scopes field of a key form: the group's props, and the ticked scopes `role` may hold. */
function useKeyScopes(options: KeyOptions, role: Role, initial: (allowed: Scope[]) => Scope[]) {
  const allowed = (r: Role): Scope[] => options.scopesByRole[r] ?? [];
  const [checked, setChecked] = useState(() => new Set(initial(allowed(role))));
  return {
    field: {
      legend: 'Scopes',
      scopes: allowed(role),
      describe: (scope: Scope) => options.scopeDescriptions[scope],
      checked,
      onChange: setChecked,
    },
    chosen: [...checked].filter((s) => allowed(role).includes(s)),
    /** Unticks what a key of `next` may not hold. */
    restrictTo: (next: Role) =>
      setChecked((current) => new Set([...current].filter((s) => allowed(next).includes(s)))),
  };
}

function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function FormActions({
  pending,
  label,
  busy,
  onClose,
}: {
  pending: boolean;
  label: string;
  /** The label while the request is in flight. */
  busy: string;
  onClose(): void;
}) {
  return (
    <div className="modal-actions">
      <button type="button" className="button" onClick={onClose} disabled={pending}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? busy : label}
      </button>
    </div>
  );
}

export function CreateKeyDialog({
  businessId,
  businessName,
  options,
  onClose,
  onCreated,
}: {
  businessId: string;
  businessName: string;
  options: KeyOptions;
  onClose(): void;
  onCreated(key: CreatedKey): void;
}) {
  const trpc = useTRPC();
  const defaultRole: Role = options.roles.includes(options.actorRole)
    ? options.actorRole
    : (options.roles[0] ?? options.actorRole);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(defaultRole);
  const scopes = useKeyScopes(options, role, (allowed) => allowed.filter((s) => s === 'pos:read'));
  const [expires, setExpires] = useState('');
  const toolPolicy = useToolPolicy();
  const form = useSchemaForm({
    schema: createApiKeyInput,
    fields: FIELDS,
    mutation: trpc.keys.create.mutationOptions({ onSuccess: onCreated }),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The key works until the end of the chosen day, here.
    const expiresAt = expires ? new Date(`${expires}T23:59:59`) : undefined;
    form.submit(
      {
        businessId,
        name,
        role,
        scopes: scopes.chosen,
        expiresAt,
        toolPolicy: toolPolicy.policy,
      },
      expiresAt && expiresAt.getTime() <= Date.now()
        ? { expiresAt: 'The expiry date must be in the future.' }
        : {},
    );
  }

  return (
    <Modal title="Create API key" onClose={onClose} locked={form.pending}>
      <form onSubmit={onSubmit} noValidate>
        <p className="muted" style={{ marginBottom: 14 }}>
          For <strong>{businessName}</strong>. The secret is shown once, right after creation.
        </p>
        <FormError error={form.errors.form} />
        <TextField
          id="key-name"
          label="Name"
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={form.errors.name}
          autoFocus
        />
        {options.roles.length > 1 ? (
          <div className="field">
            <label htmlFor="key-role">Role</label>
            <select
              id="key-role"
              value={role}
              onChange={(e) => {
                const next = e.target.value as Role;
                setRole(next);
                scopes.restrictTo(next);
              }}
            >
              {options.roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r)}
                </option>
              ))}
            </select>
            <span className="field-hint">
              The key acts with this role; it can never hold more than your own role allows.
            </span>
          </div>
        ) : (
          <p className="field-hint" style={{ marginBottom: 14 }}>
            Role: <strong>{roleLabel(role)}</strong>
          </p>
        )}
        <ScopeCheckboxes {...scopes.field} error={form.errors.scopes} />
        <ToolPolicyFields
          state={toolPolicy}
          legend="Tools the key may use"
          error={form.errors.toolPolicy}
        />
        <TextField
          id="key-expires"
          label="Expires on (optional)"
          type="date"
          value={expires}
          min={todayIso()}
          onChange={(e) => setExpires(e.target.value)}
          error={form.errors.expiresAt}
          hint="Leave empty for a key that does not expire. It stops working at the end of that day."
        />
        <FormActions pending={form.pending} label="Create key" busy="Creating…" onClose={onClose} />
      </form>
    </Modal>
  );
}

export function EditScopesDialog({
  apiKey,
  options,
  onClose,
  onSaved,
}: {
  apiKey: KeyRow;
  options: KeyOptions;
  onClose(): void;
  onSaved(key: KeyRow): void;
}) {
  const trpc = useTRPC();
  const scopes = useKeyScopes(options, apiKey.role, (allowed) =>
    apiKey.scopes.filter((s) => allowed.includes(s)),
  );
  const form = useSchemaForm({
    schema: updateApiKeyScopesInput,
    fields: FIELDS,
    mutation: trpc.keys.updateScopes.mutationOptions({ onSuccess: onSaved }),
  });

  return (
    <Modal title={`Edit scopes of ${apiKey.name}`} onClose={onClose} locked={form.pending}>
      <form
        onSubmit={form.handleSubmit(() => ({ keyId: apiKey.id, scopes: scopes.chosen }))}
        noValidate
      >
        <p className="muted" style={{ marginBottom: 14 }}>
          A {roleLabel(apiKey.role).toLowerCase()} key. Live sessions of this key get the new tool
          list at once.
        </p>
        <FormError error={form.errors.form} />
        <ScopeCheckboxes {...scopes.field} error={form.errors.scopes} />
        <FormActions pending={form.pending} label="Save scopes" busy="Saving…" onClose={onClose} />
      </form>
    </Modal>
  );
}
