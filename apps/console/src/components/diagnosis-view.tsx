// One diagnosis: the summary, each finding with the runbook's row and steps,
// the facts read from live state, and the tools hidden with the rule for each.
import type { RouterOutputs } from '@/lib/trpc';

type Diagnosis = RouterOutputs['diagnose']['run']['diagnoses'][number];

const SEVERITY_LABEL = { problem: 'Problem', warning: 'Check', ok: 'Note' } as const;

export function DiagnosisView({ diagnosis: d }: { diagnosis: Diagnosis }) {
  const hidden = d.tools.filter((t) => t.hiddenBy !== null);
  const worst = d.findings.find((f) => f.severity === 'problem')
    ? 'problem'
    : d.found
      ? 'ok'
      : 'warning';
  return (
    <section className="panel diagnosis" aria-label={`Diagnosis of ${d.label}`}>
      <p
        className={`alert ${worst === 'problem' ? 'alert-error' : worst === 'ok' ? 'alert-success' : 'alert-warning'}`}
        role="status"
      >
        {d.summary}
      </p>
      {d.findings.length > 0 && (
        <ol className="diagnosis-findings">
          {d.findings.map((f) => (
            <li key={f.code} className={`finding finding-${f.severity}`} data-code={f.code}>
              <p>
                <span
                  className={`badge badge-${f.severity === 'problem' ? 'failure' : f.severity === 'warning' ? 'pending' : 'success'}`}
                >
                  {SEVERITY_LABEL[f.severity]}
                </span>{' '}
                {f.why}
              </p>
              {f.symptom && (
                <p className="finding-symptom">
                  Runbook §1 symptom: <q>{f.symptom.symptom}</q> — {f.symptom.layer}
                </p>
              )}
              {f.steps.length > 0 && (
                <ul className="finding-steps" aria-label="Runbook steps">
                  {f.steps.map((s) => (
                    <li key={`${s.where}${s.quote}`}>
                      <strong>Runbook {s.where}:</strong> <q>{s.quote}</q>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      {d.facts.length > 0 && (
        <dl className="facts intent-facts diagnosis-facts">
          {d.facts.map((f) => (
            <div key={f.label} className="fact">
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {d.tools.length > 0 && (
        <details className="diagnosis-tools">
          <summary>
            Tools: {d.tools.length - hidden.length} visible, {hidden.length} hidden
          </summary>
          <ul>
            {d.tools.map((t) => (
              <li key={t.name}>
                <code>{t.name}</code> {t.hiddenBy ? `— hidden: ${t.hiddenBy}` : '— visible'}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
