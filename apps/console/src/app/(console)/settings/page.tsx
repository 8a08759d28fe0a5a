'use client';
// Business settings: the time zone every tool reads dates in (a date alone is
// that whole local day), and whether sales may go beyond the stock on hand.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { MerchantOnly } from '@/components/app-shell';
import { BusinessLimitsSection } from '@/components/business-limits-section';
import { CheckboxField, onSubmitted, SelectField } from '@/components/field';
import { PageHeader, QueryState } from '@/components/states';
import { useNotifyingMutation } from '@/components/toasts';
import { useBusiness } from '@/lib/business';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type Settings = RouterOutputs['businesses']['settings'];

export default function SettingsPage() {
  const { business } = useBusiness();
  if (!business) return null;
  return (
    <>
      <PageHeader
        title="Settings"
        description={`How ${business.name} reads dates and sells stock, in the console and in every MCP tool.`}
      />
      <MerchantOnly action="editSettings" what="change business settings">
        <SettingsView key={business.id} businessId={business.id} />
        <BusinessLimitsSection key={`limits-${business.id}`} businessId={business.id} />
      </MerchantOnly>
    </>
  );
}

function SettingsView({ businessId }: { businessId: string }) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.businesses.settings.queryOptions({ businessId }));
  const zones = useQuery(
    trpc.businesses.timeZones.queryOptions(undefined, { staleTime: Infinity }),
  );
  const loaded = settings.data && zones.data && { settings: settings.data, zones: zones.data };
  return (
    <QueryState
      query={{
        isPending: settings.isPending || zones.isPending,
        error: settings.error ?? zones.error,
        data: loaded || undefined,
        refetch: () => Promise.all([settings.refetch(), zones.refetch()]),
      }}
      loading="Loading settings…"
      failed="Cannot load the settings."
    >
      {(data) => (
        <SettingsForm businessId={businessId} initial={data.settings} zones={data.zones} />
      )}
    </QueryState>
  );
}

function SettingsForm({
  businessId,
  initial,
  zones,
}: {
  businessId: string;
  initial: Settings;
  zones: string[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [allowBackorders, setAllowBackorders] = useState(initial.allowBackorders);
  const save = useNotifyingMutation(
    trpc.businesses.updateSettings.mutationOptions(),
    (saved) => `Settings saved: dates now read in ${saved.timeZone}.`,
    () =>
      queryClient.invalidateQueries({
        queryKey: trpc.businesses.settings.queryKey({ businessId }),
      }),
  );
  const options = zones.includes(timeZone) ? zones : [timeZone, ...zones];

  return (
    <form
      onSubmit={onSubmitted(() => save.mutate({ businessId, timeZone, allowBackorders }))}
      className="panel"
      style={{ maxWidth: 560 }}
    >
      <SelectField
        id="time-zone"
        label="Time zone"
        value={timeZone}
        onChange={setTimeZone}
        choices={options.map((zone) => ({ value: zone, label: zone }))}
      >
        <span className="field-hint">
          A date in a report or an MCP tool means that whole day here: orders on 2026-11-29 are
          from=to=2026-11-29.
        </span>
      </SelectField>
      <div className="field">
        <CheckboxField
          checked={allowBackorders}
          onChange={setAllowBackorders}
          label="Allow backorders"
          hint="Sale intents may ask for more than the stock on hand (stock then goes below zero)."
        />
      </div>
      <button type="submit" className="button button-primary" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save settings'}
      </button>
    </form>
  );
}
