'use client';
// A business's default limits for its keys and connected apps (each may
// override them on its own page). Merchants change them.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { LimitsForm, type LimitValues } from '@/components/limits-form';
import { QueryState } from '@/components/states';
import { useNotifyingMutation } from '@/components/toasts';
import { useTRPC } from '@/lib/trpc';

export function BusinessLimitsSection({ businessId }: { businessId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.limits.business.queryOptions({ businessId }));
  const save = useNotifyingMutation(
    trpc.limits.setBusiness.mutationOptions(),
    () => 'Default limits saved.',
    () => queryClient.invalidateQueries({ queryKey: trpc.limits.pathKey() }),
  );
  return (
    <section aria-labelledby="default-limits-heading" style={{ marginTop: 24 }}>
      <h2 id="default-limits-heading">Default limits per key and connected app</h2>
      <QueryState query={query} loading="Loading limits…" failed="Cannot load the limits.">
        {(data) => (
          <LimitsForm
            idPrefix="default-limit"
            initial={data.defaults}
            fallback={(field) => (field === 'callsPerMinute' ? 'the server’s limit' : 'no cap')}
            canEdit
            saving={save.isPending}
            submitLabel="Save default limits"
            onSave={(values: LimitValues) => save.mutate({ businessId, ...values })}
          />
        )}
      </QueryState>
    </section>
  );
}
