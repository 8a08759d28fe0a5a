'use client';
// Calls per hour (48 h) or per day (90 days), stacked by outcome: answered,
// refused, bad arguments, failed. Drawn with recharts; sized by its container,
// with sparse ticks so it stays readable on a phone (390 px).
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { RouterOutputs } from '@/lib/trpc';

type Point = RouterOutputs['usage']['overview']['series'][number];
export type UsageRange = RouterOutputs['usage']['overview']['range'];

const SERIES = [
  { key: 'ok', label: 'Answered', color: '#2f54eb' },
  { key: 'refused', label: 'Refused', color: '#8a5a00' },
  { key: 'badArguments', label: 'Bad arguments', color: '#b3589a' },
  { key: 'failed', label: 'Failed', color: '#c62828' },
] as const;

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export function rangeText(range: UsageRange): string {
  return range === '48h' ? 'the last 48 hours' : 'the last 90 days';
}

export function UsageChart({ series, range }: { series: Point[]; range: UsageRange }) {
  const label = range === '48h' ? hourLabel : dayLabel;
  const data = series.map((p) => ({
    at: label.format(new Date(p.at)),
    ok: p.calls - p.refused - p.badArguments - p.failed,
    refused: p.refused,
    badArguments: p.badArguments,
    failed: p.failed,
  }));
  const calls = series.reduce((sum, p) => sum + p.calls, 0);
  const errors = series.reduce((sum, p) => sum + p.refused + p.badArguments + p.failed, 0);
  const title = range === '48h' ? 'Calls per hour' : 'Calls per day';
  return (
    <figure className="usage-chart" aria-label={`${title}, ${rangeText(range)}`}>
      <figcaption>
        {title}, {rangeText(range)}: <strong>{calls}</strong> calls, <strong>{errors}</strong>{' '}
        errors
      </figcaption>
      <div className="usage-chart-plot">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid vertical={false} stroke="#dde1e7" />
            <XAxis
              dataKey="at"
              tick={{ fontSize: 11 }}
              interval="preserveStartEnd"
              minTickGap={28}
              tickLine={false}
            />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
            <Tooltip cursor={{ fill: 'rgb(47 84 235 / 8%)' }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {SERIES.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stackId="calls"
                fill={s.color}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
