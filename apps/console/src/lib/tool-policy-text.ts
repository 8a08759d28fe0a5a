// A tool policy in words, for lists and summaries (no zod here: list pages load it).
import type { ToolPolicy, ToolPolicyKind } from '@flowpos/core/schemas';

export const POLICY_LABELS: Record<ToolPolicyKind, string> = {
  // Not "role" or "scopes": the key form's own fields are labelled so.
  all: 'All allowed tools',
  read_only: 'Read-only tools',
  tools: 'Only the tools chosen',
};

export function policySummary(policy: ToolPolicy): string {
  if (policy.kind === 'all') return 'All';
  if (policy.kind === 'read_only') return 'Read-only';
  return `${policy.tools.length} chosen (${policy.tools.join(', ')})`;
}
