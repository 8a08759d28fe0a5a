'use client';
// Usage of one API key or connected app, on its page: calls and errors over
// 48 hours by hour or 90 days by day, and per tool calls, errors, p50/p95 and
// last use. Refreshed every 15 s while shown (usage reaches the database in
// batches every few seconds).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { QueryState } from './states';
import { UsageChart, rangeText, type UsageRange } from './usage-chart';
import { RangeSwitch, ToolUsageTable } from './usage-tables';
import { useTRPC } from '@/lib/trpc';

export function UsageSection({ kind, id }: { kind: 'key' | 'grant'; id: string }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<UsageRange>('48h');
  const usage = useQuery({
    ...trpc.usage.credential.queryOptions({ kind, id, range }),
    refetchInterval: 15_000,
  });
  return (
    <section className="usage-section" aria-labelledby="usage-heading">
      <div className="section-header">
        <h2 id="usage-heading">Usage</h2>
        <RangeSwitch range={range} onChange={setRange} />
      </div>
      <QueryState query={usage} loading="Loading usage…" failed="Cannot load the usage.">
        {(data) => (
          <>
            <UsageChart series={data.series} range={data.range} />
            <ToolUsageTable
              caption={`Usage per tool, ${rangeText(data.range)}`}
              tools={data.tools}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
