'use client';
// The forms of the keys page: create a key and edit its scopes, validated with
// the schemas the server parses them with (@flowpos/core/schemas).
import { useMutation } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useState, type FormEvent } from 'react';
import { createApiKeyInput, updateApiKeyScopesInput } from '@flowpos/core/schemas';
import { errorMessage } from '@/lib/errors';
import { roleLabel } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { FormError, TextField } from './field';
import { Modal } from './modal';
import { ScopeCheckboxes } from './scope-checkboxes';
import type { CreatedKey } from './secret-dialog';

export type GrantOptions = RouterOutputs['keys']['grantOptions'];
type KeyRow = RouterOutputs['keys']['list'][number];
type Role = GrantOptions['roles'][number];
type Scope = keyof GrantOptions['scopeDescriptions'];

const FIELDS = ['name', 'scopes', 'expiresAt', 'role'] as const;
type FieldErrors = Partial<Record<(typeof FIELDS)[number] | 'form', string>>;

/** Issues placed next to their fields (the first one each); the others go on top. */
function byField(issues: readonly { path: PropertyKey[] | string; message: string }[]) {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const field = String(Array.isArray(issue.path) ? issue.path[0] : issue.path).split('.')[0];
    const known = FIELDS.find((f) => f === field);
    if (known) out[known] ??= issue.message;
    else out.form = out.form ? `${out.form}; ${issue.message}` : issue.message;
  }
  return out;
}

/** A refusal from the server: its field issues (BAD_REQUEST) by field, anything else on top. */
function serverErrors(error: unknown): FieldErrors {
  if (error instanceof TRPCClientError) {
    const issues = (error.data as { issues?: { path: string; message: string }[] } | undefined)
      ?.issues;
    if (issues && issues.length > 0) return byField(issues);
  }
  return { form: errorMessage(error) };
}

function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function FormActions({
  pending,
  label,
  pendingLabel,
  onClose,
}: {
  pending: boolean;
  label: string;
  pendingLabel: string;
  onClose(): void;
}) {
  return (
    <div className="modal-actions">
      <button type="button" className="button" onClick={onClose} disabled={pending}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? pendingLabel : label}
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
  options: GrantOptions;
  onClose(): void;
  onCreated(key: CreatedKey): void;
}) {
  const trpc = useTRPC();
  const defaultRole: Role = options.roles.includes(options.actorRole)
    ? options.actorRole
    : (options.roles[0] ?? options.actorRole);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(defaultRole);
  const allowed = (r: Role): Scope[] => options.scopesByRole[r] ?? [];
  const [scopes, setScopes] = useState<Set<Scope>>(
    () => new Set(allowed(defaultRole).filter((s) => s === 'pos:read')),
  );
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});

  const create = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: (key) => onCreated(key),
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = createApiKeyInput.safeParse({
      businessId,
      name,
      role,
      scopes: [...scopes].filter((s) => allowed(role).includes(s)),
      // The key works until the end of the chosen day, here.
      expiresAt: expires ? new Date(`${expires}T23:59:59`) : undefined,
    });
    const found = parsed.success ? {} : byField(parsed.error.issues);
    const expiresAt = parsed.data?.expiresAt;
    if (expiresAt && expiresAt.getTime() <= Date.now())
      found.expiresAt = 'The expiry date must be in the future.';
    setErrors(found);
    if (parsed.success && Object.keys(found).length === 0) create.mutate(parsed.data);
  }

  return (
    <Modal title="Create API key" onClose={onClose} locked={create.isPending}>
      <form onSubmit={onSubmit} noValidate>
        <p className="muted" style={{ marginBottom: 14 }}>
          For <strong>{businessName}</strong>. The secret is shown once, right after creation.
        </p>
        <FormError error={errors.form} />
        <TextField
          id="key-name"
          label="Name"
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
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
                setScopes(
                  (current) => new Set([...current].filter((s) => allowed(next).includes(s))),
                );
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
        <ScopeCheckboxes
          legend="Scopes"
          scopes={allowed(role)}
          describe={(scope) => options.scopeDescriptions[scope]}
          checked={scopes}
          onChange={setScopes}
          error={errors.scopes}
        />
        <TextField
          id="key-expires"
          label="Expires on (optional)"
          type="date"
          value={expires}
          min={todayIso()}
          onChange={(e) => setExpires(e.target.value)}
          error={errors.expiresAt}
          hint="Leave empty for a key that does not expire. It stops working at the end of that day."
        />
        <FormActions
          pending={create.isPending}
          label="Create key"
          pendingLabel="Creating…"
          onClose={onClose}
        />
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
  options: GrantOptions;
  onClose(): void;
  onSaved(key: KeyRow): void;
}) {
  const trpc = useTRPC();
  const allowed: Scope[] = options.scopesByRole[apiKey.role] ?? [];
  const [scopes, setScopes] = useState<Set<Scope>>(
    () => new Set(apiKey.scopes.filter((s) => allowed.includes(s))),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const update = useMutation(
    trpc.keys.updateScopes.mutationOptions({
      onSuccess: (key) => onSaved(key),
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = updateApiKeyScopesInput.safeParse({ keyId: apiKey.id, scopes: [...scopes] });
    setErrors(parsed.success ? {} : byField(parsed.error.issues));
    if (parsed.success) update.mutate(parsed.data);
  }

  return (
    <Modal title={`Edit scopes of ${apiKey.name}`} onClose={onClose} locked={update.isPending}>
      <form onSubmit={onSubmit} noValidate>
        <p className="muted" style={{ marginBottom: 14 }}>
          A {roleLabel(apiKey.role).toLowerCase()} key. Live sessions of this key get the new tool
          list at once.
        </p>
        <FormError error={errors.form} />
        <ScopeCheckboxes
          legend="Scopes"
          scopes={allowed}
          describe={(scope) => options.scopeDescriptions[scope]}
          checked={scopes}
          onChange={setScopes}
          error={errors.scopes}
        />
        <FormActions
          pending={update.isPending}
          label="Save scopes"
          pendingLabel="Saving…"
          onClose={onClose}
        />
      </form>
    </Modal>
  );
}
