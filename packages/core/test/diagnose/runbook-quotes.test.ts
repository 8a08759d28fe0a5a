// The diagnosis quotes the runbook: every symptom and step it points to must
// stand word for word in docs/runbook.md (so an operator finds it there, and
// a runbook edit that drops it fails here).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STEPS, SYMPTOMS } from '../../src/diagnose/runbook.ts';

const runbook = readFileSync(
  fileURLToPath(new URL('../../../../docs/runbook.md', import.meta.url)),
  'utf8',
);
const squeeze = (text: string) => text.replace(/\s+/g, ' ');
/** §1's symptom table: the first table of the runbook (later sections have tables of their own). */
const section1 = runbook.split('\n## 2.')[0] as string;
const table = section1.split('\n').filter((line) => line.startsWith('|'));

describe('diagnose quotes docs/runbook.md', () => {
  it.each(Object.entries(SYMPTOMS))('symptom %s is a row of the §1 table', (_id, row) => {
    const line = table.find((l) => l.split('|')[1]?.trim() === row.symptom);
    expect(line, row.symptom).toBeDefined();
    expect(line!.split('|')[2]!.trim().startsWith(row.layer)).toBe(true);
  });

  it.each(Object.entries(STEPS))('step %s is in the runbook', (_id, step) => {
    expect(squeeze(runbook)).toContain(squeeze(step.quote));
    expect(step.where).toMatch(/^§[1-8]/);
  });

  it('every row of the §1 table that a pasted value can explain has a symptom', () => {
    const rows = table.slice(2).map((l) => l.split('|')[1]!.trim());
    const covered = new Set(Object.values(SYMPTOMS).map((s) => s.symptom as string));
    // What these rows depend on is the request's headers or origin, never a credential's state.
    const requestShape = [
      '400 with JSON-RPC error -32020',
      '403 Forbidden: Host not allowed / Origin not allowed',
    ];
    expect(rows.filter((r) => !covered.has(r))).toEqual(requestShape);
  });
});
