// The one rule for "may this tools/call need to talk to the client while it
// runs?" (an approval asked through URL elicitation). A fast path that answers
// tools/call without the SDK server must leave such a call to the SDK.
import type { ToolDefinition } from '../tools/tool-definition.ts';

/** Whether `capabilities` (a client's declared capabilities) include URL-mode elicitation. */
export function declaresUrlElicitation(capabilities: unknown): boolean {
  if (typeof capabilities !== 'object' || capabilities === null) return false;
  const elicitation = (capabilities as { elicitation?: unknown }).elicitation;
  if (typeof elicitation !== 'object' || elicitation === null) return false;
  const url = (elicitation as { url?: unknown }).url;
  // A bare `elicitation: {}` means form mode only.
  return typeof url === 'object' && url !== null;
}

/** Whether calling `tool` from a client with these capabilities may need the client mid-call. */
export function callMayNeedClient(tool: ToolDefinition, capabilities: unknown): boolean {
  return tool.asksApproval === true && declaresUrlElicitation(capabilities);
}
