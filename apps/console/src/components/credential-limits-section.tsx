'use client';
// A key's or connected app's limits: its own figures (a merchant edits them),
// what applies (its own, else the business default), and today's use of each
// daily cap, with when the day resets.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  LIMIT_LABELS,
  LimitsForm,
  type LimitField,
  type LimitValues,
} from '@/components/limits-form';
import { QueryState } from '@/components/states';
import { useNotifyingMutation } from '@/components/toasts';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type View = RouterOutputs['limits']['key'];
export type LimitsTarget = { keyId: string } | { grantId: string };

const money = (cents: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);

export function CredentialLimitsSection({ target }: { target: LimitsTarget }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(
    'keyId' in target
      ? trpc.limits.key.queryOptions({ keyId: target.keyId })
      : trpc.limits.grant.queryOptions({ grantId: target.grantId }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.limits.pathKey() });
  const saveKey = useNotifyingMutation(
    trpc.limits.setKey.mutationOptions(),
    () => 'Limits saved.',
    refresh,
  );
  const saveGrant = useNotifyingMutation(
    trpc.limits.setGrant.mutationOptions(),
    () => 'Limits saved.',
    refresh,
  );
  const save = (values: LimitValues) =>
    'keyId' in target
      ? saveKey.mutate({ keyId: target.keyId, ...values })
      : saveGrant.mutate({ grantId: target.grantId, ...values });
  return (
    <section aria-labelledby="limits-heading">
      <h2 id="limits-heading">Limits and caps</h2>
      <QueryState query={query} loading="Loading limits…" failed="Cannot load the limits.">
        {(view) => (
          <>
            <Usage view={view} />
            <LimitsForm
              idPrefix="limit"
              initial={view.own}
              fallback={(field: LimitField) =>
                view.defaults[field] === null
                  ? field === 'callsPerMinute'
                    ? 'the server’s limit'
                    : 'no cap'
                  : `the business default, ${view.defaults[field]}`
              }
              canEdit={view.canEdit}
              saving={saveKey.isPending || saveGrant.isPending}
              submitLabel="Save limits"
              onSave={save}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}

function Usage({ view }: { view: View }) {
  const usage = view.usage;
  if (!usage) return <p className="field-hint">Today’s use is not available.</p>;
  return (
    <table className="table" aria-label="Today’s use of the daily caps">
      <thead>
        <tr>
          <th>Cap</th>
          <th>Used today</th>
          <th>Cap value</th>
        </tr>
      </thead>
      <tbody>
        {usage.caps.map((c) => {
          const shown = (n: number) =>
            c.cap === 'refundCentsPerDay' ? money(n, usage.currency) : String(n);
          return (
            <tr key={c.cap}>
              <td>{LIMIT_LABELS[c.cap]}</td>
              <td data-testid={`used-${c.cap}`}>{shown(c.used)}</td>
              <td>{c.value === null ? 'no cap' : shown(c.value)}</td>
            </tr>
          );
        })}
      </tbody>
      <caption className="field-hint">
        Day {usage.day} ({usage.timeZone}); resets at {usage.resetsAtLocal}. Calls per minute now:{' '}
        {view.effective.callsPerMinute ?? 'the server’s limit'}.
      </caption>
    </table>
  );
}
