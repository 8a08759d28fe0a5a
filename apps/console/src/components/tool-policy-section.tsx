'use client';
// The "Tools" section of a key's or a connected app's page: its tool policy,
// changed here by whoever may manage it (core decides; the server refuses
// otherwise). Live sessions and listen streams of the credential get the new
// tools/list at once. Links to the tools preview of exactly this credential.
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import type { FormEvent } from 'react';
import type { ToolPolicy } from '@flowpos/core/schemas';
import { ErrorAlert } from '@/components/states';
import { useToast } from '@/components/toasts';
import { policySummary } from '@/lib/tool-policy-text';
import { useTRPC } from '@/lib/trpc';
import { ToolPolicyFields, useToolPolicy } from './tool-policy-fields';

type Target = { keyId: string } | { grantId: string };

export function ToolPolicySection({
  target,
  policy,
  canEdit,
  onSaved,
}: {
  target: Target;
  policy: ToolPolicy;
  /** False: shown, not editable (a revoked key, an app the viewer cannot manage). */
  canEdit: boolean;
  onSaved(): Promise<unknown> | void;
}) {
  const trpc = useTRPC();
  const notify = useToast();
  const state = useToolPolicy(policy);
  const options = {
    onSuccess: async () => {
      notify('Tool policy saved. Connected clients get the new tool list now.');
      await onSaved();
    },
  };
  const forKey = useMutation(trpc.toolPolicies.updateKey.mutationOptions(options));
  const forGrant = useMutation(trpc.toolPolicies.updateGrant.mutationOptions(options));
  const save = 'keyId' in target ? forKey : forGrant;
  const preview =
    'keyId' in target
      ? `/tools?key=${encodeURIComponent(target.keyId)}`
      : `/tools?grant=${encodeURIComponent(target.grantId)}`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if ('keyId' in target) forKey.mutate({ keyId: target.keyId, toolPolicy: state.policy });
    else forGrant.mutate({ grantId: target.grantId, toolPolicy: state.policy });
  }

  return (
    <section className="panel section" aria-labelledby="tool-policy-title">
      <h2 id="tool-policy-title">Tools</h2>
      <p className="muted">
        Now: <strong data-testid="tool-policy-summary">{policySummary(policy)}</strong>.{' '}
        <Link href={preview}>See the exact tools/list it gets</Link>
      </p>
      {canEdit ? (
        <form onSubmit={onSubmit} noValidate aria-label="Tool policy">
          {save.error && <ErrorAlert error={save.error} />}
          <ToolPolicyFields state={state} />
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save tool policy'}
          </button>
        </form>
      ) : null}
    </section>
  );
}
