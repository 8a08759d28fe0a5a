// Diagnose: "why does this credential / session / tool fail?", answered from
// live state with the runbook's symptom and recovery step. The pasted value
// is read here and dropped: a secret is only ever hashed (as the verifiers
// do), and no answer, log line or audit event carries it.
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import type { AuditLog } from '../audit.ts';
import { diagnoseKeyPrefix, diagnoseKeySecret } from './diagnose-key.ts';
import { diagnoseFirebaseToken, diagnoseMcpToken } from './diagnose-token.ts';
import { diagnoseOAuthClient, diagnoseOAuthToken } from './diagnose-oauth.ts';
import { diagnoseSession } from './diagnose-session.ts';
import { viewerOf, type DiagnoseDeps, type Viewer } from './diagnose-context.ts';
import { notFoundDiagnosis, type Diagnosis, type ValueKind } from './diagnosis.ts';
import { normalizePasted, recognise, safeLabel } from './recognise.ts';

export const diagnoseInput = z.object({
  /** The pasted value: never stored, logged or echoed. */
  value: z.string().min(1, 'Paste a value to diagnose').max(8192),
  /** Optionally, the tool that is missing or refused. */
  tool: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9_.-]*$/, 'tool: a tool name')
    .optional(),
});
export type DiagnoseInput = z.infer<typeof diagnoseInput>;

export interface DiagnoseResult {
  /** One diagnosis per thing found (a key prefix may match a few keys). */
  diagnoses: Diagnosis[];
}

async function diagnoseAs(
  deps: DiagnoseDeps,
  viewer: Viewer,
  kind: ValueKind,
  value: string,
  tool: string | undefined,
): Promise<Diagnosis[] | null> {
  const label = safeLabel(kind, value);
  switch (kind) {
    case 'api_key_secret':
      return [await diagnoseKeySecret(deps, viewer, value, label, tool)];
    case 'api_key_prefix':
      return diagnoseKeyPrefix(deps, viewer, value, label, tool);
    case 'mcp_token':
      return [await diagnoseMcpToken(deps, viewer, value, label, tool)];
    case 'firebase_id_token':
      return [await diagnoseFirebaseToken(deps, viewer, value, label)];
    case 'session_id':
      return [await diagnoseSession(deps, viewer, value, tool)];
    case 'oauth_access_token': {
      const found = await diagnoseOAuthToken(deps, viewer, value, label, tool);
      return found ? [found] : null;
    }
    case 'oauth_client_id': {
      const found = await diagnoseOAuthClient(deps, viewer, value, label);
      return found ? [found] : null;
    }
  }
}

/** The diagnosis for a pasted value, as `actor` may see it ('shell': the operator's command line). */
export async function diagnose(
  deps: DiagnoseDeps & { audit?: AuditLog | undefined },
  actor: Actor | 'shell',
  input: DiagnoseInput,
): Promise<DiagnoseResult> {
  const value = normalizePasted(input.value);
  const viewer = viewerOf(actor);
  const kinds = recognise(value);
  let diagnoses: Diagnosis[] | null = null;
  for (const kind of kinds) {
    diagnoses = await diagnoseAs(deps, viewer, kind, value, input.tool || undefined);
    if (diagnoses) break;
  }
  diagnoses ??= [notFoundDiagnosis(kinds[0] ?? null, safeLabel(kinds[0] ?? null, value))];
  if (actor !== 'shell') {
    // Who looked, at what kind of thing, and whether it was found: never the value.
    deps.audit?.record({
      action: 'diagnose.run',
      outcome: 'success',
      actorKind: 'user',
      actorId: actor.userId,
      details: {
        kind: diagnoses[0]?.kind ?? null,
        found: diagnoses.some((d) => d.found),
        codes: diagnoses.flatMap((d) => d.findings.map((f) => f.code)),
      },
    });
  }
  return { diagnoses };
}
