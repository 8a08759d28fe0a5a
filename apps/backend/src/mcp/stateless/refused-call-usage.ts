// A 2026 tools/call whose arguments do not fit never reaches the tool runner
// (the SDK refuses it), so usage counts it here, as tool-call-check.ts does
// for 2025 sessions. Only calls that leave the fast path get here, and only
// a visible tool's arguments are checked.
import {
  argumentsRefused,
  badArgumentsCall,
  hiddenReason,
  type Principal,
  type ToolCallObserver,
  type ToolRegistry,
} from '@flowpos/core';

export function countRefusedArguments(
  usage: ToolCallObserver | undefined,
  registry: ToolRegistry,
  principal: Principal,
  toolName: string | undefined,
  body: unknown,
): void {
  if (!usage || toolName === undefined) return;
  const tool = registry.get(toolName);
  if (!tool || hiddenReason(tool, principal) !== null) return;
  const args = (body as { params?: { arguments?: unknown } } | null)?.params?.arguments;
  if (!argumentsRefused(tool, args)) return;
  usage(badArgumentsCall(principal, tool.name));
}
