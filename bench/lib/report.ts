// The bench's results: rows with a value, what it was compared with, and a
// PASS/MISS against its target; printed as a table and written as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Row {
  section: string;
  metric: string;
  value: number | null;
  /** A second figure shown as `value / value2 unit` (p50 / p99). */
  value2?: number;
  unit: string;
  /** Free text: what the value is compared with, how it was measured. */
  detail?: string;
  target?: string;
  pass?: boolean;
  /** Per-round values behind a median. */
  rounds?: number[];
  /** The figures a value sums, by name (CPU per call: server, PostgreSQL, Redis, load generator). */
  parts?: Record<string, number>;
  skipped?: string;
}

export class Report {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];

  add(row: Row): Row {
    this.rows.push(row);
    return row;
  }

  skip(section: string, metric: string, reason: string): void {
    this.rows.push({ section, metric, value: null, unit: '', skipped: reason });
  }

  note(line: string): void {
    this.notes.push(line);
  }

  table(): string {
    const cells = this.rows.map((r) => [
      r.section,
      r.metric,
      r.skipped
        ? `skipped: ${r.skipped}`
        : r.value2 !== undefined
          ? `${formatValue(r.value, '')} / ${formatValue(r.value2, r.unit)}`
          : formatValue(r.value, r.unit),
      r.target ? `${r.pass ? 'PASS' : 'MISS'} (${r.target})` : '',
      r.detail ?? '',
    ]);
    const header = ['section', 'metric', 'value', 'target', 'detail'];
    const widths = header.map((h, i) =>
      Math.max(h.length, ...cells.map((c) => (c[i] as string).length)),
    );
    const widthsNoDetail = widths.slice(0, 4);
    const line = (c: string[]) =>
      c
        .map((v, i) => (i < 4 ? v.padEnd(widthsNoDetail[i] as number) : v))
        .join('  ')
        .trimEnd();
    const sep = widths.map((w, i) => '-'.repeat(i < 4 ? w : Math.min(w, 40)));
    const out = [line(header), line(sep)];
    let previous = '';
    for (const c of cells) {
      if (previous && c[0] !== previous) out.push('');
      previous = c[0] as string;
      out.push(line(c));
    }
    return out.join('\n');
  }

  write(file: string, meta: Record<string, unknown>): void {
    mkdirSync(dirname(file), { recursive: true });
    const targets = this.rows.filter((r) => r.target);
    writeFileSync(
      file,
      JSON.stringify(
        {
          ...meta,
          summary: {
            targets: targets.length,
            pass: targets.filter((r) => r.pass).length,
            miss: targets.filter((r) => !r.pass).map((r) => `${r.section}: ${r.metric}`),
          },
          rows: this.rows,
          notes: this.notes,
          table: this.table().split('\n'),
        },
        null,
        2,
      ) + '\n',
    );
  }
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const digits = unit === '×' ? 2 : abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const n = value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return unit === '×' ? `${n}×` : unit ? `${n} ${unit}` : n;
}
