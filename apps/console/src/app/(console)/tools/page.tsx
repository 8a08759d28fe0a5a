'use client';
// Tools preview: the tools/list a principal would get (ToolRegistry.listFor on
// the server), and the hidden tools with the reason each is hidden. A key or a
// connected app is previewed with its tool policy: exactly what its clients get
// (`?key=<id>` or `?grant=<id>` preselects one, as their pages link here).
import { skipToken, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState } from 'react';
import { toolsPreviewInput } from '@flowpos/core/schemas';
import { SelectField, TextField } from '@/components/field';
import { ScopeCheckboxes } from '@/components/scopes';
import { Empty, Loading, PageHeader, QueryState } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
import { ROLE_CHOICES, roleLabel } from '@/lib/format';
import { useTRPC, type RouterInputs } from '@/lib/trpc';
import { PreviewResult } from './preview-result';

type PreviewInput = RouterInputs['tools']['preview'];
type CustomInput = Extract<PreviewInput, { mode: 'custom' }>;
type Role = CustomInput['role'];
type Scope = CustomInput['scopes'][number];
type Mode = PreviewInput['mode'];

export default function ToolsPreviewPage() {
  return (
    <Suspense fallback={<Loading />}>
      <ToolsPreviewForBusiness />
    </Suspense>
  );
}

function ToolsPreviewForBusiness() {
  const { business } = useBusiness();
  if (!business) return null;
  return <ToolsPreview key={business.id} businessId={business.id} businessName={business.name} />;
}

function ToolsPreview({ businessId, businessName }: { businessId: string; businessName: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const linkedKey = params.get('key') ?? '';
  const linkedGrant = params.get('grant') ?? '';
  const { canAnywhere } = useCapabilities(businessId);
  const canCustom = canAnywhere('previewCustomTools');
  const canUser = canAnywhere('previewUserTools');
  const modes: { value: Mode; label: string }[] = [
    ...(canCustom ? [{ value: 'custom' as const, label: 'Role and scopes' }] : []),
    { value: 'key', label: 'Existing key' },
    { value: 'grant', label: 'Connected app' },
    ...(canUser ? [{ value: 'user' as const, label: 'User' }] : []),
  ];
  const [mode, setMode] = useState<Mode>(
    linkedKey ? 'key' : linkedGrant ? 'grant' : (modes[0]?.value ?? 'key'),
  );

  const keyOptions = useQuery(trpc.keys.keyOptions.queryOptions({ businessId }));
  const allScopes = Object.keys(keyOptions.data?.scopeDescriptions ?? {}) as Scope[];

  const [role, setRole] = useState<Role>('merchant');
  // null: the role's own defaults (not what this user may grant), so a merchant
  // previewing an operator sees what an operator sees; set once scopes are ticked.
  const [customScopes, setScopes] = useState<Set<Scope> | null>(null);
  const scopes = customScopes ?? new Set<Scope>(keyOptions.data?.roleDefaults[role] ?? []);
  const [businessCount, setBusinessCount] = useState('1');
  const [keyId, setKeyId] = useState(linkedKey);
  const [grantId, setGrantId] = useState(linkedGrant);
  const [userId, setUserId] = useState('');

  const keys = useQuery(trpc.keys.list.queryOptions({ businessId }, { enabled: mode === 'key' }));
  const apps = useQuery(
    trpc.oauth.connectedApps.queryOptions(undefined, { enabled: mode === 'grant' }),
  );
  const appsHere = apps.data?.filter((a) => a.businessId === businessId);
  const members = useQuery(
    trpc.members.list.queryOptions({ businessId }, { enabled: mode === 'user' && canUser }),
  );

  // Preselect the first key / member once they are loaded.
  useEffect(() => {
    if (!keyId && keys.data?.[0]) setKeyId(keys.data[0].id);
  }, [keys.data, keyId]);
  useEffect(() => {
    if (!grantId && appsHere?.[0]) setGrantId(appsHere[0].id);
  }, [appsHere, grantId]);
  useEffect(() => {
    if (!userId && members.data?.[0]) setUserId(members.data[0].userId);
  }, [members.data, userId]);

  const custom = toolsPreviewInput.safeParse({
    mode: 'custom',
    role,
    scopes: [...scopes],
    businessCount: Number(businessCount),
  });
  const countError = custom.error?.issues.find((i) => i.path[0] === 'businessCount')?.message;

  let input: PreviewInput | null = null;
  if (mode === 'custom' && custom.success && (customScopes || keyOptions.data)) input = custom.data;
  if (mode === 'key' && keyId) input = { mode, keyId };
  if (mode === 'grant' && grantId) input = { mode, grantId };
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
              <SelectField
                id="preview-role"
                label="Role"
                value={role}
                onChange={(next) => {
                  setRole(next);
                  setScopes(null);
                }}
                choices={ROLE_CHOICES}
              />
              <QueryState
                query={keyOptions}
                loading="Loading scopes…"
                failed="Cannot load the scopes."
              >
                {(options) => (
                  <ScopeCheckboxes
                    legend="Scopes"
                    scopes={allScopes}
                    describe={(scope) => options.scopeDescriptions[scope]}
                    checked={scopes}
                    onChange={setScopes}
                  />
                )}
              </QueryState>
              <TextField
                id="preview-businesses"
                label="Authorized businesses"
                type="number"
                min={1}
                max={10000}
                value={businessCount}
                onChange={(e) => setBusinessCount(e.target.value)}
                error={countError}
              />
            </>
          )}

          {mode === 'key' && (
            <QueryState query={keys} loading="Loading keys…" failed="Cannot load the keys.">
              {(list) =>
                list.length === 0 ? (
                  <p className="muted">This business has no keys yet.</p>
                ) : (
                  <SelectField
                    id="preview-key"
                    label={`API key of ${businessName}`}
                    value={keyId}
                    onChange={setKeyId}
                    describedBy="preview-key-chosen"
                    choices={list.map((k) => ({
                      value: k.id,
                      title: k.name,
                      label: `${k.name} (${k.prefix}…)${k.status !== 'active' ? ` — ${k.status}` : ''}`,
                    }))}
                  >
                    {/* A closed select cuts a long name: the chosen one is shown whole here. */}
                    <p id="preview-key-chosen" className="field-hint chosen-name">
                      {list.find((k) => k.id === keyId)?.name}
                    </p>
                  </SelectField>
                )
              }
            </QueryState>
          )}

          {mode === 'grant' && (
            <QueryState query={apps} loading="Loading apps…" failed="Cannot load connected apps.">
              {() =>
                !appsHere || appsHere.length === 0 ? (
                  <p className="muted">No app is connected to this business.</p>
                ) : (
                  <SelectField
                    id="preview-grant"
                    label={`Connected app of ${businessName}`}
                    value={grantId}
                    onChange={setGrantId}
                    choices={appsHere.map((a) => ({
                      value: a.id,
                      label: `${a.clientName} (${a.userEmail})`,
                    }))}
                  >
                    <span className="field-hint">
                      What its tokens get: the person&apos;s role, the scopes and tools they
                      allowed.
                    </span>
                  </SelectField>
                )
              }
            </QueryState>
          )}

          {mode === 'user' && (
            <QueryState query={members} loading="Loading members…" failed="Cannot load members.">
              {(list) =>
                list.length === 0 ? (
                  <p className="muted">This business has no members.</p>
                ) : (
                  <SelectField
                    id="preview-user"
                    label={`Member of ${businessName}`}
                    value={userId}
                    onChange={setUserId}
                    choices={list.map((m) => ({
                      value: m.userId,
                      label: `${m.email} (${roleLabel(m.role)}${m.isActive ? '' : ', inactive'})`,
                    }))}
                  >
                    <span className="field-hint">
                      A V2 token of this user: all of their active memberships count.
                    </span>
                  </SelectField>
                )
              }
            </QueryState>
          )}
        </form>

        <section aria-label="Preview result" aria-busy={preview.isFetching}>
          {input ? (
            <QueryState
              query={preview}
              loading="Computing tools/list…"
              failed="Cannot compute the preview."
            >
              {(data) => <PreviewResult preview={data} />}
            </QueryState>
          ) : (
            <Empty title="Nothing to preview yet">Choose a principal on the left.</Empty>
          )}
        </section>
      </div>
    </>
  );
}
