'use client';
// Tools preview: the tools/list a principal would get (ToolRegistry.listFor on
// the server), and the hidden tools with the reason each is hidden.
import { skipToken, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Empty, ErrorAlert, Loading, PageHeader } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
import { roleLabel } from '@/lib/format';
import { useTRPC, type RouterInputs, type RouterOutputs } from '@/lib/trpc';

type PreviewInput = RouterInputs['tools']['preview'];
type Preview = RouterOutputs['tools']['preview'];
type CustomInput = Extract<PreviewInput, { mode: 'custom' }>;
type Role = CustomInput['role'];
type Scope = CustomInput['scopes'][number];
type Mode = PreviewInput['mode'];

const ROLES: Role[] = ['merchant', 'tenant_developer', 'platform_operator'];

export default function ToolsPreviewPage() {
  const { business } = useBusiness();
  if (!business) return null;
  return <ToolsPreview key={business.id} businessId={business.id} businessName={business.name} />;
}

function ToolsPreview({ businessId, businessName }: { businessId: string; businessName: string }) {
  const trpc = useTRPC();
  const { canAnywhere } = useCapabilities(businessId);
  const canCustom = canAnywhere('previewCustomTools');
  const canUser = canAnywhere('previewUserTools');
  const modes: { value: Mode; label: string }[] = [
    ...(canCustom ? [{ value: 'custom' as const, label: 'Role and scopes' }] : []),
    { value: 'key', label: 'Existing key' },
    ...(canUser ? [{ value: 'user' as const, label: 'User' }] : []),
  ];
  const [mode, setMode] = useState<Mode>(modes[0]?.value ?? 'key');

  const grant = useQuery(trpc.keys.grantOptions.queryOptions({ businessId }));
  const allScopes = Object.keys(grant.data?.scopeDescriptions ?? {}) as Scope[];

  const [role, setRole] = useState<Role>('merchant');
  // null: the role's own defaults (not what this user may grant), so a merchant
  // previewing an operator sees what an operator sees; set once scopes are ticked.
  const [customScopes, setScopes] = useState<Set<Scope> | null>(null);
  const scopes = customScopes ?? new Set<Scope>(grant.data?.roleDefaults[role] ?? []);
  const [businessCount, setBusinessCount] = useState('1');
  const [keyId, setKeyId] = useState('');
  const [userId, setUserId] = useState('');

  const keys = useQuery(trpc.keys.list.queryOptions({ businessId }, { enabled: mode === 'key' }));
  const members = useQuery(
    trpc.members.list.queryOptions({ businessId }, { enabled: mode === 'user' && canUser }),
  );

  // Preselect the first key / member once they are loaded.
  useEffect(() => {
    if (!keyId && keys.data?.[0]) setKeyId(keys.data[0].id);
  }, [keys.data, keyId]);
  useEffect(() => {
    if (!userId && members.data?.[0]) setUserId(members.data[0].userId);
  }, [members.data, userId]);

  const count = Number.parseInt(businessCount, 10);
  const countError =
    !Number.isInteger(count) || count < 1 || count > 10_000
      ? 'Enter a whole number from 1 to 10000.'
      : null;

  let input: PreviewInput | null = null;
  if (mode === 'custom' && !countError && (customScopes || grant.data))
    input = { mode, role, scopes: [...scopes], businessCount: count };
  if (mode === 'key' && keyId) input = { mode, keyId };
  if (mode === 'user' && userId) input = { mode, userId };

  const preview = useQuery(
    trpc.tools.preview.queryOptions(input ?? skipToken, {
      placeholderData: (previous) => previous,
    }),
  );

  return (
    <>
      <PageHeader
        title="Tools preview"
        description="What an MCP client sees in tools/list for a principal: the same rule the server applies when a session starts."
      />
      <div className="preview-grid">
        <form
          className="panel preview-form"
          onSubmit={(e) => e.preventDefault()}
          aria-label="Principal to preview"
        >
          <fieldset>
            <legend>Preview for</legend>
            <div className="radio-options">
              {modes.map((m) => (
                <label key={m.value}>
                  <input
                    type="radio"
                    name="mode"
                    value={m.value}
                    checked={mode === m.value}
                    onChange={() => setMode(m.value)}
                  />
                  {m.label}
                </label>
              ))}
            </div>
          </fieldset>

          {mode === 'custom' && (
            <>
              <div className="field">
                <label htmlFor="preview-role">Role</label>
                <select
                  id="preview-role"
                  value={role}
                  onChange={(e) => {
                    setRole(e.target.value as Role);
                    setScopes(null);
                  }}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {roleLabel(r)}
                    </option>
                  ))}
                </select>
              </div>
              <fieldset>
                <legend>Scopes</legend>
                {grant.isPending ? (
                  <Loading label="Loading scopes…" />
                ) : grant.error ? (
                  <ErrorAlert error={grant.error} />
                ) : (
                  <div className="checkbox-list">
                    {allScopes.map((scope) => (
                      <label key={scope} className="checkbox">
                        <input
                          type="checkbox"
                          value={scope}
                          checked={scopes.has(scope)}
                          onChange={(e) => {
                            const next = new Set(scopes);
                            if (e.target.checked) next.add(scope);
                            else next.delete(scope);
                            setScopes(next);
                          }}
                        />
                        <span className="checkbox-text">
                          <code>{scope}</code>
                          <span className="muted small">{grant.data.scopeDescriptions[scope]}</span>
                        </span>
                      </label>
                    ))}
                  </div>
                )}
              </fieldset>
              <div className="field">
                <label htmlFor="preview-businesses">Authorized businesses</label>
                <input
                  id="preview-businesses"
                  type="number"
                  min={1}
                  max={10000}
                  value={businessCount}
                  onChange={(e) => setBusinessCount(e.target.value)}
                  aria-invalid={countError ? true : undefined}
                  aria-describedby={countError ? 'preview-businesses-error' : undefined}
                />
                {countError && (
                  <p id="preview-businesses-error" className="field-error">
                    {countError}
                  </p>
                )}
              </div>
            </>
          )}

          {mode === 'key' && (
            <div className="field">
              <label htmlFor="preview-key">API key of {businessName}</label>
              {keys.isPending ? (
                <Loading label="Loading keys…" />
              ) : keys.error ? (
                <ErrorAlert error={keys.error} />
              ) : keys.data.length === 0 ? (
                <p className="muted">This business has no keys yet.</p>
              ) : (
                <>
                  <select
                    id="preview-key"
                    value={keyId}
                    onChange={(e) => setKeyId(e.target.value)}
                    aria-describedby="preview-key-chosen"
                  >
                    {keys.data.map((k) => (
                      <option key={k.id} value={k.id} title={k.name}>
                        {k.name} ({k.prefix}…){k.status !== 'active' ? ` — ${k.status}` : ''}
                      </option>
                    ))}
                  </select>
                  {/* A closed select cuts a long name: the chosen one is shown whole here. */}
                  <p id="preview-key-chosen" className="field-hint chosen-name">
                    {keys.data.find((k) => k.id === keyId)?.name}
                  </p>
                </>
              )}
            </div>
          )}

          {mode === 'user' && (
            <div className="field">
              <label htmlFor="preview-user">Member of {businessName}</label>
              {members.isPending ? (
                <Loading label="Loading members…" />
              ) : members.error ? (
                <ErrorAlert error={members.error} />
              ) : members.data.length === 0 ? (
                <p className="muted">This business has no members.</p>
              ) : (
                <select
                  id="preview-user"
                  value={userId}
                  onChange={(e) => setUserId(e.target.value)}
                >
                  {members.data.map((m) => (
                    <option key={m.userId} value={m.userId}>
                      {m.email} ({roleLabel(m.role)}
                      {m.isActive ? '' : ', inactive'})
                    </option>
                  ))}
                </select>
              )}
              <span className="field-hint">
                A V2 token of this user: all of their active memberships count.
              </span>
            </div>
          )}
        </form>

        <section aria-label="Preview result" aria-busy={preview.isFetching}>
          {!input ? (
            <Empty title="Nothing to preview yet">Choose a principal on the left.</Empty>
          ) : preview.isPending ? (
            <Loading label="Computing tools/list…" />
          ) : preview.error ? (
            <ErrorAlert
              title="Cannot compute the preview."
              error={preview.error}
              onRetry={() => void preview.refetch()}
            />
          ) : (
            <PreviewResult preview={preview.data} />
          )}
        </section>
      </div>
    </>
  );
}

function PreviewResult({ preview }: { preview: Preview }) {
  const visible = preview.tools.filter((t) => t.visible);
  const hidden = preview.tools.filter((t) => !t.visible);
  return (
    <>
      <div className="panel">
        <h2>Principal</h2>
        <dl className="principal-summary" style={{ marginTop: 10 }}>
          <dt>Role</dt>
          <dd>{roleLabel(preview.principal.role)}</dd>
          <dt>Scopes</dt>
          <dd>
            {preview.principal.scopes.length === 0 ? (
              <span className="muted">none</span>
            ) : (
              <span className="scope-list">
                {preview.principal.scopes.map((s) => (
                  <span key={s} className="scope">
                    {s}
                  </span>
                ))}
              </span>
            )}
          </dd>
          <dt>Businesses</dt>
          <dd>{preview.principal.authorizedBusinessCount}</dd>
        </dl>
      </div>

      <section className="section">
        <h2 id="visible-tools-title">Visible tools ({visible.length})</h2>
        {visible.length === 0 ? (
          <Empty title="No tools">This principal would get an empty tools/list.</Empty>
        ) : (
          <ul
            className="tool-list"
            aria-labelledby="visible-tools-title"
            data-testid="visible-tools"
          >
            {visible.map((tool) => (
              <li key={tool.name} className="tool">
                <div className="tool-head">
                  <span className="tool-name">{tool.name}</span>
                  <span className="muted small">{tool.title}</span>
                </div>
                <p className="tool-description">{tool.description}</p>
                <details>
                  <summary>Input schema</summary>
                  <pre>{JSON.stringify(tool.inputSchema, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section">
        <h2 id="hidden-tools-title">Hidden tools ({hidden.length})</h2>
        {hidden.length === 0 ? (
          <Empty title="Nothing hidden">This principal sees every tool.</Empty>
        ) : (
          <ul className="tool-list" aria-labelledby="hidden-tools-title" data-testid="hidden-tools">
            {hidden.map((tool) => (
              <li key={tool.name} className="tool tool-hidden">
                <div className="tool-head">
                  <span className="tool-name">{tool.name}</span>
                  <span className="reason">{tool.reason}</span>
                </div>
                <p className="tool-description">{tool.description}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
