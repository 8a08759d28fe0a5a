// A diagnosis as plain text, for `npm run diagnose` (the console renders the
// same fields): summary, findings with the runbook's row and steps, facts,
// and the hidden tools with the rule hiding each.
import { VALUE_KIND_LABELS, type Diagnosis } from './diagnosis.ts';

const MARK = { problem: '✗', warning: '!', ok: '·' } as const;

export function formatDiagnosis(d: Diagnosis): string {
  const lines = [
    `${d.kind ? VALUE_KIND_LABELS[d.kind] : 'Unrecognised value'}: ${d.label}`,
    d.summary,
  ];
  for (const f of d.findings) {
    lines.push('', `${MARK[f.severity]} ${f.why}`);
    if (f.symptom) lines.push(`  Runbook §1: "${f.symptom.symptom}" (${f.symptom.layer})`);
    for (const s of f.steps) lines.push(`  Runbook ${s.where}: ${s.quote}`);
  }
  if (d.facts.length) {
    lines.push('');
    const width = Math.max(...d.facts.map((f) => f.label.length));
    for (const f of d.facts) lines.push(`  ${f.label.padEnd(width)}  ${f.value}`);
  }
  const hidden = d.tools.filter((t) => t.hiddenBy !== null);
  if (d.tools.length) {
    lines.push('', `Tools: ${d.tools.length - hidden.length} visible, ${hidden.length} hidden`);
    for (const t of hidden) lines.push(`  ${t.name}: ${t.hiddenBy}`);
  }
  return lines.join('\n');
}
