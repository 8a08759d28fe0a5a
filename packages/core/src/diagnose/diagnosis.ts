// What a diagnosis answers: what the pasted value was taken for, what was
// found in live state, and for each problem the runbook's symptom, why it
// applies, and the runbook's recovery steps. Never the pasted value itself.
import { STEPS, SYMPTOMS, type StepId, type SymptomId, type RunbookStep } from './runbook.ts';

export const VALUE_KINDS = [
  'api_key_secret',
  'api_key_prefix',
  'mcp_token',
  'firebase_id_token',
  'oauth_access_token',
  'session_id',
  'oauth_client_id',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export const VALUE_KIND_LABELS: Record<ValueKind, string> = {
  api_key_secret: 'API key secret',
  api_key_prefix: 'API key prefix',
  mcp_token: 'MCP access token (V2)',
  firebase_id_token: 'Firebase ID token',
  oauth_access_token: 'OAuth access token',
  session_id: 'MCP session id',
  oauth_client_id: 'OAuth client id',
};

export type Severity = 'problem' | 'warning' | 'ok';

export interface Finding {
  /** A stable code tests and scripts can match (e.g. `key.revoked`). */
  code: string;
  severity: Severity;
  /** The runbook's symptom this explains (§1), if one applies. */
  symptom: { symptom: string; layer: string } | null;
  /** Why, from live state, in words an operator can act on. */
  why: string;
  /** The runbook's recovery steps for it, quoted. */
  steps: RunbookStep[];
}

export interface Fact {
  label: string;
  value: string;
}

export interface ToolFinding {
  name: string;
  /** The rule that hides it (ToolRegistry's hiddenReason); null when visible. */
  hiddenBy: string | null;
}

export interface Diagnosis {
  /** What the value was recognised as (null: nothing we know) and a safe label for it. */
  kind: ValueKind | null;
  label: string;
  /** Whether anything the viewer may see was found. */
  found: boolean;
  summary: string;
  findings: Finding[];
  facts: Fact[];
  /** The tools of the credential or session found: visible ones and the rule hiding each other. */
  tools: ToolFinding[];
}

export function finding(
  code: string,
  severity: Severity,
  symptom: SymptomId | null,
  why: string,
  steps: StepId[],
): Finding {
  return {
    code,
    severity,
    symptom: symptom ? SYMPTOMS[symptom] : null,
    why,
    steps: steps.map((s) => STEPS[s]),
  };
}

export const fact = (label: string, value: string | number | Date | null | undefined): Fact => ({
  label,
  value:
    value === null || value === undefined
      ? '—'
      : value instanceof Date
        ? value.toISOString()
        : String(value),
});

/** The answer for anything not found or not the viewer's to see: the same either way (no oracle). */
export function notFoundDiagnosis(kind: ValueKind | null, label: string): Diagnosis {
  return {
    kind,
    label,
    found: false,
    summary:
      kind === null
        ? 'Not recognised: paste an API key (fp_mcp_…) or its prefix, an MCP access token, an OAuth access token, a session id or an OAuth client id'
        : `Not found: no ${VALUE_KIND_LABELS[kind]} like this that you may see`,
    findings: [],
    facts: [],
    tools: [],
  };
}

/** One line for the whole: the first problem, else the first warning, else all clear. */
export function summarize(findings: readonly Finding[], subject: string): string {
  const first =
    findings.find((f) => f.severity === 'problem') ??
    findings.find((f) => f.severity === 'warning');
  return first ? `${subject}: ${first.why}` : `${subject}: no problem found`;
}

/** What was found: its summary names `subject` and the first problem or warning. */
export function foundDiagnosis(
  kind: ValueKind,
  label: string,
  subject: string,
  { findings, facts, tools = [] }: { findings: Finding[]; facts: Fact[]; tools?: ToolFinding[] },
): Diagnosis {
  return {
    kind,
    label,
    found: true,
    summary: summarize(findings, subject),
    findings,
    facts,
    tools,
  };
}

/** A value refused before anything is looked up (bad format, bad signature): one problem, no facts. */
export function refusedDiagnosis(
  kind: ValueKind,
  label: string,
  summary: string,
  problem: Finding,
): Diagnosis {
  return { kind, label, found: false, summary, findings: [problem], facts: [], tools: [] };
}
