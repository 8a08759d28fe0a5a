// A credential's tool policy: which of the tools its role and scopes allow an
// API key or an OAuth grant may actually use. `all` (the default, and what
// every key and grant had before policies existed), `read_only` (only tools
// annotated readOnlyHint) or an explicit list of tool names. The policy rides
// on the principal, so the visibility rule (tool-registry.ts hiddenReason)
// applies it in memory on every tools/list and tools/call. No server code
// here: the console validates its forms with these schemas.
import { z } from 'zod';

export const TOOL_POLICY_KINDS = ['all', 'read_only', 'tools'] as const;
export type ToolPolicyKind = (typeof TOOL_POLICY_KINDS)[number];

export type ToolPolicy =
  { kind: 'all' } | { kind: 'read_only' } | { kind: 'tools'; tools: string[] };

/** An explicit list names at most this many tools (there are far fewer). */
export const MAX_POLICY_TOOLS = 64;
const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export const TOOL_POLICY_LABELS: Record<ToolPolicyKind, string> = {
  all: 'All tools its role and scopes allow',
  read_only: 'Read-only tools',
  tools: 'Only the tools chosen',
};

export const toolPolicySchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('all') }),
    z.object({ kind: z.literal('read_only') }),
    z.object({
      kind: z.literal('tools'),
      tools: z
        .array(z.string().regex(TOOL_NAME, 'Tool names are lowercase letters, digits and _.'))
        .min(1, 'Choose at least one tool.')
        .max(MAX_POLICY_TOOLS, `At most ${MAX_POLICY_TOOLS} tools.`)
        // The same tool twice is the same policy: stored once, in the order chosen.
        .transform((tools) => [...new Set(tools)]),
    }),
  ],
  { message: 'policy.kind must be all, read_only or tools' },
);

export const ALL_TOOLS: ToolPolicy = { kind: 'all' };

/** Whether a policy lets a tool through (`readOnly` is the tool's readOnlyHint); the reason if not. */
export function policyExcludes(
  policy: ToolPolicy | undefined,
  tool: { name: string; readOnly: boolean },
): string | null {
  if (!policy) return null;
  switch (policy.kind) {
    case 'all':
      return null;
    case 'read_only':
      return tool.readOnly ? null : 'outside the tool policy (read-only)';
    case 'tools':
      return policy.tools.includes(tool.name) ? null : 'outside the tool policy (not in its list)';
  }
}

/** The policy stored in a row's two columns (unknown kinds read as the safest: read_only). */
export function toolPolicyOf(row: { toolPolicy: string; toolPolicyTools: string[] }): ToolPolicy {
  switch (row.toolPolicy) {
    case 'all':
      return ALL_TOOLS;
    case 'tools':
      return { kind: 'tools', tools: [...row.toolPolicyTools] };
    default:
      return { kind: 'read_only' };
  }
}

/** The two columns a policy is stored in. */
export function toolPolicyColumns(policy: ToolPolicy) {
  return {
    toolPolicy: policy.kind,
    toolPolicyTools: policy.kind === 'tools' ? [...policy.tools] : [],
  };
}

/** What the principal carries: nothing for `all`, so principals stored before policies read the same. */
export function principalPolicy(policy: ToolPolicy): { toolPolicy?: ToolPolicy } {
  return policy.kind === 'all' ? {} : { toolPolicy: policy };
}

export function samePolicy(a: ToolPolicy | undefined, b: ToolPolicy | undefined): boolean {
  const x = a ?? ALL_TOOLS;
  const y = b ?? ALL_TOOLS;
  if (x.kind !== y.kind) return false;
  if (x.kind !== 'tools' || y.kind !== 'tools') return true;
  return x.tools.length === y.tools.length && x.tools.every((t) => y.tools.includes(t));
}

/** The policy in a few words (audit details, lists). */
export function describePolicy(policy: ToolPolicy): string {
  return policy.kind === 'tools' ? `tools: ${policy.tools.join(', ')}` : policy.kind;
}
