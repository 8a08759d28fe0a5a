'use client';
// OAuth consent: an app (claude.ai, ChatGPT, VS Code…) asked to use FlowPOS
// for the signed-in person. It shows who asks (its name; "unverified" when it
// only declared that name itself), where the answer goes, the scopes asked,
// and the business to act for; scopes beyond the person's role there cannot
// be chosen. The tools those scopes give are listed ticked: the person can
// untick some (the grant's tool policy becomes the ticked list), not all.
// Allow or Deny sends the browser back to the backend, which answers the app.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { ScopeCheckboxes } from '@/components/scopes';
import { ErrorAlert, Loading } from '@/components/states';
import { useAuth } from '@/lib/auth';
import { roleLabel } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type ConsentView = RouterOutputs['oauth']['consentRequest'];

function ConsentPage() {
  const { state } = useAuth();
  const router = useRouter();
  const uid = useSearchParams().get('uid') ?? '';

  useEffect(() => {
    if (state.status === 'signed-out')
      router.replace(`/sign-in?next=${encodeURIComponent(`/oauth/consent?uid=${uid}`)}`);
  }, [state.status, router, uid]);

  if (state.status !== 'signed-in') {
    return <Loading label={state.status === 'loading' ? 'Loading…' : 'Redirecting to sign-in…'} />;
  }
  return <ConsentForm uid={uid} email={state.user.email ?? ''} />;
}

function ConsentForm({ uid, email }: { uid: string; email: string }) {
  const trpc = useTRPC();
  const request = useQuery(trpc.oauth.consentRequest.queryOptions({ uid }, { enabled: !!uid }));
  if (!uid) return <ErrorAlert error={new Error('This page needs an authorization request.')} />;
  if (request.isPending) return <Loading label="Loading the request…" />;
  if (request.error) return <ErrorAlert title="Cannot continue." error={request.error} />;
  return <Decision view={request.data} email={email} />;
}

function Decision({ view, email }: { view: ConsentView; email: string }) {
  const trpc = useTRPC();
  const [businessId, setBusinessId] = useState(view.businesses[0]?.id ?? '');
  const business = view.businesses.find((b) => b.id === businessId);
  const allowed = useMemo(() => new Set<string>(business?.allowedScopes ?? []), [business]);
  const [checked, setChecked] = useState<Set<string>>(() => new Set(business?.allowedScopes));
  useEffect(() => setChecked(new Set(allowed)), [allowed]);
  // Tools left out by the person; none left out: the grant keeps every tool (policy all).
  const [unticked, setUnticked] = useState<Set<string>>(() => new Set());
  useEffect(() => setUnticked(new Set()), [business]);
  const decide = useMutation(
    trpc.oauth.decide.mutationOptions({
      onSuccess: ({ redirectTo }) => window.location.assign(redirectTo),
    }),
  );
  const chosen = [...checked].filter((s) => allowed.has(s));
  const offered = (business?.tools ?? []).filter(
    (t) => t.scope === null || chosen.includes(t.scope),
  );
  const ticked = offered.filter((t) => !unticked.has(t.name)).map((t) => t.name);
  const narrowed = ticked.length < offered.length;
  const noTool = offered.length > 0 && ticked.length === 0;
  const clientHost = view.clientId.startsWith('https://') ? new URL(view.clientId).host : null;

  return (
    <form
      aria-labelledby="consent-title"
      onSubmit={(e) => {
        e.preventDefault();
        decide.mutate({
          uid: view.uid,
          allow: true,
          businessId,
          scopes: chosen,
          ...(narrowed && { tools: ticked }),
        });
      }}
    >
      <h1 id="consent-title">Allow {view.clientName} to use FlowPOS?</h1>
      <p className="consent-client">
        {view.clientVerified && clientHost ? (
          <span className="badge badge-success">Published by {clientHost}</span>
        ) : (
          <span className="badge badge-pending">Unverified: the app named itself</span>
        )}{' '}
        <span className="muted small">
          Answers go to <code>{view.redirectHost}</code>. Signed in as {email}.
        </span>
      </p>
      {view.businesses.length === 0 ? (
        <p className="alert alert-error" role="alert">
          You have no business this app could act for.
        </p>
      ) : (
        <>
          <div className="field">
            <label htmlFor="consent-business">Business</label>
            {view.businesses.length === 1 ? (
              <p id="consent-business">
                {business?.name} <span className="muted">({roleLabel(business?.role ?? '')})</span>
              </p>
            ) : (
              <select
                id="consent-business"
                value={businessId}
                onChange={(e) => setBusinessId(e.target.value)}
              >
                {view.businesses.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name} ({roleLabel(b.role)})
                  </option>
                ))}
              </select>
            )}
          </div>
          <ScopeCheckboxes
            legend="It asks to"
            scopes={view.requestedScopes.map((r) => r.scope)}
            describe={(scope) => (
              <>
                {view.requestedScopes.find((r) => r.scope === scope)?.description}
                {!allowed.has(scope) && ' (not allowed for your role here)'}
              </>
            )}
            disabled={(scope) => !allowed.has(scope)}
            checked={new Set(chosen)}
            onChange={setChecked}
          />
          {offered.length > 0 && (
            <ScopeCheckboxes
              legend="Tools it may use"
              scopes={offered.map((t) => t.name)}
              describe={(name) => {
                const tool = offered.find((t) => t.name === name);
                return `${tool?.title ?? ''}${tool?.readOnly ? ' · read-only' : ''}`;
              }}
              checked={new Set(ticked)}
              onChange={(next) =>
                setUnticked(new Set(offered.map((t) => t.name).filter((n) => !next.has(n))))
              }
              error={
                noTool ? 'Leave at least one tool ticked, or deny access to this app' : undefined
              }
            />
          )}
        </>
      )}
      {decide.error && <ErrorAlert error={decide.error} />}
      <div className="consent-actions">
        <button
          type="button"
          className="button"
          disabled={decide.isPending}
          onClick={() => decide.mutate({ uid: view.uid, allow: false })}
        >
          Deny
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={decide.isPending || !business || chosen.length === 0 || noTool}
        >
          {decide.isPending ? 'Working…' : 'Allow'}
        </button>
      </div>
    </form>
  );
}

export default function OAuthConsentRoute() {
  return (
    <main className="full-page-state">
      <div className="panel narrow">
        <Suspense fallback={<Loading />}>
          <ConsentPage />
        </Suspense>
      </div>
    </main>
  );
}
