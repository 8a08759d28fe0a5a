'use client';
// The dialogs of the keys page: create a key, show its secret once, edit scopes.
import { useMutation } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useId, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '@/lib/errors';
import { roleLabel } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { Modal } from './modal';

export type GrantOptions = RouterOutputs['keys']['grantOptions'];
export type CreatedKey = RouterOutputs['keys']['create'];
type KeyRow = RouterOutputs['keys']['list'][number];
type Role = GrantOptions['roles'][number];
type Scope = keyof GrantOptions['scopeDescriptions'];

type FieldErrors = Partial<Record<'name' | 'scopes' | 'expiresAt' | 'role' | 'form', string>>;

/** Server-side field issues (BAD_REQUEST) placed next to their fields; anything else goes on top. */
function serverErrors(error: unknown): FieldErrors {
  if (error instanceof TRPCClientError) {
    const issues = (
      error.data as { issues?: { path: string; message: string }[] | null } | undefined
    )?.issues;
    if (issues && issues.length > 0) {
      const out: FieldErrors = {};
      for (const issue of issues) {
        const field = String(issue.path).split('.')[0] as keyof FieldErrors;
        if (field === 'name' || field === 'scopes' || field === 'expiresAt' || field === 'role')
          out[field] ??= issue.message;
        else out.form = out.form ? `${out.form}; ${issue.message}` : issue.message;
      }
      return out;
    }
  }
  return { form: errorMessage(error) };
}

function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function ScopeCheckboxes({
  legend,
  scopes,
  descriptions,
  checked,
  onChange,
  error,
}: {
  legend: string;
  scopes: readonly Scope[];
  descriptions: Record<Scope, string>;
  checked: ReadonlySet<Scope>;
  onChange(next: Set<Scope>): void;
  error?: string | undefined;
}) {
  const errorId = useId();
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      <div className="checkbox-list">
        {scopes.map((scope) => (
          <label key={scope} className="checkbox">
            <input
              type="checkbox"
              name="scopes"
              value={scope}
              checked={checked.has(scope)}
              onChange={(e) => {
                const next = new Set(checked);
                if (e.target.checked) next.add(scope);
                else next.delete(scope);
                onChange(next);
              }}
            />
            <span className="checkbox-text">
              <code>{scope}</code>
              <span className="muted small">{descriptions[scope]}</span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
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
    const found: FieldErrors = {};
    const trimmed = name.trim();
    if (!trimmed) found.name = 'Give the key a name, e.g. “Claude on the shop laptop”.';
    else if (trimmed.length > 80) found.name = 'The name is at most 80 characters.';
    const chosen = [...scopes].filter((s) => allowed(role).includes(s));
    if (chosen.length === 0) found.scopes = 'Choose at least one scope.';
    let expiresAt: Date | undefined;
    if (expires) {
      expiresAt = new Date(`${expires}T23:59:59`);
      if (Number.isNaN(expiresAt.getTime())) found.expiresAt = 'Enter a valid date.';
      else if (expires < todayIso() || expiresAt.getTime() <= Date.now())
        found.expiresAt = 'The expiry date must be in the future.';
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate({
      businessId,
      name: trimmed,
      role,
      scopes: chosen,
      ...(expiresAt ? { expiresAt } : {}),
    });
  }

  return (
    <Modal title="Create API key" onClose={onClose} locked={create.isPending}>
      <form onSubmit={onSubmit} noValidate>
        <p className="muted" style={{ marginBottom: 14 }}>
          For <strong>{businessName}</strong>. The secret is shown once, right after creation.
        </p>
        {errors.form && (
          <p className="alert alert-error" role="alert">
            {errors.form}
          </p>
        )}
        <div className="field">
          <label htmlFor="key-name">Name</label>
          <input
            id="key-name"
            type="text"
            value={name}
            maxLength={120}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? 'key-name-error' : undefined}
            autoFocus
          />
          {errors.name && (
            <p id="key-name-error" className="field-error">
              {errors.name}
            </p>
          )}
        </div>
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
          descriptions={options.scopeDescriptions}
          checked={scopes}
          onChange={setScopes}
          error={errors.scopes}
        />
        <div className="field">
          <label htmlFor="key-expires">Expires on (optional)</label>
          <input
            id="key-expires"
            type="date"
            value={expires}
            min={todayIso()}
            onChange={(e) => setExpires(e.target.value)}
            aria-invalid={errors.expiresAt ? true : undefined}
            aria-describedby={errors.expiresAt ? 'key-expires-error' : 'key-expires-hint'}
          />
          {errors.expiresAt ? (
            <p id="key-expires-error" className="field-error">
              {errors.expiresAt}
            </p>
          ) : (
            <span id="key-expires-hint" className="field-hint">
              Leave empty for a key that does not expire. It stops working at the end of that day.
            </span>
          )}
        </div>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose} disabled={create.isPending}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function SecretDialog({ created, onClose }: { created: CreatedKey; onClose(): void }) {
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopyState('copied');
    } catch {
      // No clipboard permission: select the text so Ctrl+C works.
      inputRef.current?.select();
      setCopyState('failed');
    }
  }

  return (
    <Modal title="Copy your new API key" onClose={onClose} locked wide>
      <p className="alert alert-warning" role="note">
        This is the only time the full key is shown. Copy it now and store it somewhere safe;
        FlowPOS keeps only a hash of it.
      </p>
      <p>
        Key <strong>{created.name}</strong> ({roleLabel(created.role)}, {created.scopes.join(', ')})
      </p>
      <div className="secret-box">
        <label htmlFor="api-key-secret" className="visually-hidden">
          API key secret
        </label>
        <textarea
          id="api-key-secret"
          ref={inputRef}
          readOnly
          rows={2}
          spellCheck={false}
          value={created.key}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          {copyState === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="muted small" role="status" aria-live="polite">
        {copyState === 'copied'
          ? 'Copied to the clipboard.'
          : copyState === 'failed'
            ? 'Copying is blocked here: the key is selected, press Ctrl+C (⌘C).'
            : 'MCP clients send it as “Authorization: Bearer <key>”.'}
      </p>
      <div className="modal-actions">
        <button type="button" className="button" onClick={onClose}>
          I have saved the key
        </button>
      </div>
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
    if (scopes.size === 0) {
      setErrors({ scopes: 'Choose at least one scope.' });
      return;
    }
    setErrors({});
    update.mutate({ keyId: apiKey.id, scopes: [...scopes] });
  }

  return (
    <Modal title={`Edit scopes of ${apiKey.name}`} onClose={onClose} locked={update.isPending}>
      <form onSubmit={onSubmit} noValidate>
        <p className="muted" style={{ marginBottom: 14 }}>
          A {roleLabel(apiKey.role).toLowerCase()} key. Live sessions of this key get the new tool
          list at once.
        </p>
        {errors.form && (
          <p className="alert alert-error" role="alert">
            {errors.form}
          </p>
        )}
        <ScopeCheckboxes
          legend="Scopes"
          scopes={allowed}
          descriptions={options.scopeDescriptions}
          checked={scopes}
          onChange={setScopes}
          error={errors.scopes}
        />
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose} disabled={update.isPending}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save scopes'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
