// Approval in the client: a proposal tool (create_sale_intent,
// create_refund_intent) called by a client that declares URL-mode elicitation
// creates its intent, sends the person to that intent's page in the console,
// and answers the merchant's decision: approved (and recorded), rejected, or
// still pending after a bounded wait.
// - 2026-07-28: the tool returns input_required with an elicitUrl request and
//   a signed requestState naming the intent (HMAC, one key for the whole
//   fleet, bound to the credential, tied to this tool and these arguments);
//   each retry, on any instance, waits a few seconds for the decision.
// - 2025 sessions: elicitation/create in URL mode, then the wait, then
//   notifications/elicitation/complete when the merchant has decided.
// Only the decision stored by the console counts. What the client answers
// (accept, form content, inputResponses) is never read as approval: a client
// or a model can send any of it by itself.
import { createHash, hkdfSync } from 'node:crypto';
import {
  CLIENT_CAPABILITIES_META_KEY,
  createRequestStateCodec,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type InputRequiredResult,
  type McpServer,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Principal } from '../principal.ts';
import type { IntentView } from '../pos/intents.ts';
import type { IntentDecisionWaiter } from '../pos/intent-decision-waiter.ts';
import type { ToolDefinition } from '../tools/tool-definition.ts';
import { hiddenReason } from '../tools/tool-registry.ts';
import { declaresUrlElicitation } from './needs-client.ts';
import { isAppError } from '../errors.ts';
import { toolError, toolResult } from './tool-runner.ts';

/** What a 2026 requestState carries (signed, readable by the client: nothing secret). */
export interface ApprovalState {
  /** The tool the state was minted for. */
  tool: string;
  intentId: string;
  businessId: string;
  /** Digest of the call's arguments: a retry must be the same call. */
  args: string;
  /** Which retry this is (1 for the first). */
  round: number;
}

export interface ApprovalOptions {
  codec: RequestStateCodec<ApprovalState>;
  decisions: IntentDecisionWaiter;
  /** The console page of one intent: the link the person opens. */
  intentUrl(businessId: string, intentId: string): string;
  /** 2026: how long one retry waits for the decision before asking the client to retry again. */
  roundWaitMs: number;
  /** 2026: after this many retries the call answers the intent as it stands (pending). */
  maxRounds: number;
  /** 2025 sessions: how long the call waits for the decision after sending the link. */
  sessionWaitMs: number;
}

/** Label separating this key from every other use of the secret it is derived from. */
const KEY_LABEL = 'flowpos/mcp/approval-request-state/v1';

/** The fleet-wide requestState key, derived (HKDF-SHA256) from a secret every instance shares. */
export function approvalStateKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), KEY_LABEL, 32));
}

/**
 * The codec whose `verify` the SDK runs before the handler: a bad MAC, an
 * expired state or one minted for another credential is refused (-32602).
 */
export function createApprovalStateCodec(
  key: Uint8Array,
  ttlSeconds: number,
): RequestStateCodec<ApprovalState> {
  return createRequestStateCodec<ApprovalState>({
    key,
    ttlSeconds,
    bind: (ctx) => {
      // The credential the 2026 request path authenticated; never an empty binding.
      const credential = ctx.http?.authInfo?.clientId;
      if (!credential) throw new Error('unbound');
      return `${ctx.mcpReq.method}\0${credential}`;
    },
  });
}

/** A stable digest of the arguments (keys sorted at every level). */
export function argumentsDigest(args: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(args)))
    .digest('base64url');
}

export interface ApprovalCall {
  tool: ToolDefinition;
  args: Record<string, unknown>;
  ctx: ServerContext;
  server: McpServer;
  principal: () => Principal;
  /** Runs the tool as any call does (visibility, audit, errors): it creates the intent. */
  run: () => Promise<CallToolResult>;
  approvals: ApprovalOptions;
  onUnexpectedError?: ((error: unknown, tool: string) => void) | undefined;
  /**
   * A 2026 request (no session). Decided by the transport, not by what the
   * request carries: a session's request naming envelope keys or a
   * requestState stays a session's.
   */
  modern: boolean;
}

/**
 * Like any tool call, a failure while asking or waiting reaches the model as
 * a safe message: the domain's own, or a generic one (the error is logged).
 */
export async function runWithApproval(
  call: ApprovalCall,
): Promise<CallToolResult | InputRequiredResult> {
  try {
    return await approvalFlow(call);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    if (isAppError(error)) return toolError(error.message);
    call.onUnexpectedError?.(error, call.tool.name);
    return toolError(`${call.tool.name} failed unexpectedly; the error was logged. Try again.`);
  }
}

async function approvalFlow(call: ApprovalCall): Promise<CallToolResult | InputRequiredResult> {
  if (call.modern) {
    const state = call.ctx.mcpReq.requestState<ApprovalState>();
    if (state !== undefined) return resume(call, state);
    // The SDK types the envelope as {}: its keys are read as the wire carries them.
    const envelope = call.ctx.mcpReq.envelope as Record<string, unknown> | undefined;
    const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY];
    // Checked before anything is created: without URL mode, today's pending intent.
    if (!declaresUrlElicitation(capabilities)) return call.run();
    // Read as the proposal starts (it reads the principal then too): a session's
    // active business may change while the intent is being written.
    const businessId = call.principal().activeBusinessId;
    const created = await call.run();
    const intent = createdIntent(created);
    if (!intent) return created;
    return ask(call, intent, businessId, 1);
  }
  if (!declaresUrlElicitation(call.server.server.getClientCapabilities())) return call.run();
  const businessId = call.principal().activeBusinessId;
  const created = await call.run();
  const intent = createdIntent(created);
  if (!intent) return created;
  return askInSession(call, intent, businessId);
}

function createdIntent(result: CallToolResult): IntentView | undefined {
  if (result.isError) return undefined;
  const intent = result.structuredContent as IntentView | undefined;
  return intent?.status === 'pending' ? intent : undefined;
}

const message = (intent: IntentView) =>
  `A merchant must approve this ${intent.kind} in the FlowPOS console: open the link, sign in, and approve or reject it. This call then answers the decision.`;

async function ask(
  call: ApprovalCall,
  intent: IntentView,
  /** The business the intent was created in. */
  businessId: string,
  round: number,
): Promise<InputRequiredResult> {
  const state: ApprovalState = {
    tool: call.tool.name,
    intentId: intent.id,
    businessId,
    args: argumentsDigest(call.args),
    round,
  };
  return inputRequired({
    inputRequests: {
      approval: inputRequired.elicitUrl({
        message: message(intent),
        url: call.approvals.intentUrl(businessId, intent.id),
      }),
    },
    requestState: await call.approvals.codec.mint(state, call.ctx),
  });
}

/** A 2026 retry: the state is authentic (verified by the SDK) and this credential's; is it this call's? */
async function resume(
  call: ApprovalCall,
  state: ApprovalState,
): Promise<CallToolResult | InputRequiredResult> {
  const principal = call.principal();
  // Rights as of this retry: a credential that lost the tool since the first round learns nothing.
  if (hiddenReason(call.tool, principal) !== null) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${call.tool.name} not found`);
  }
  if (
    state.tool !== call.tool.name ||
    state.args !== argumentsDigest(call.args) ||
    !principal.authorizedBusinessIds.includes(state.businessId)
  ) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      'requestState does not belong to this call: call the tool again without it',
    );
  }
  // The client's answer can only shorten the wait (the person declined to
  // open the link): it never approves, only the stored decision counts.
  const answer = call.ctx.mcpReq.inputResponses?.approval as { action?: unknown } | undefined;
  const declined = answer?.action === 'decline' || answer?.action === 'cancel';
  const intent = await call.approvals.decisions.wait(
    state.businessId,
    state.intentId,
    declined ? 0 : call.approvals.roundWaitMs,
    call.ctx.mcpReq.signal,
  );
  if (intent.status !== 'pending' || declined || state.round >= call.approvals.maxRounds) {
    return toolResult(intent);
  }
  // Still pending: the client retries with this state alone (no new prompt to the person).
  return inputRequired({
    requestState: await call.approvals.codec.mint({ ...state, round: state.round + 1 }, call.ctx),
  });
}

/** A 2025 session: URL elicitation, then the bounded wait, then the completion notice. */
async function askInSession(
  call: ApprovalCall,
  intent: IntentView,
  businessId: string,
): Promise<CallToolResult> {
  const { approvals, ctx } = call;
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.mcpReq.signal, stop.signal]);
  const decided = approvals.decisions.wait(businessId, intent.id, approvals.sessionWaitMs, signal);
  // The answer only says whether the person opened the link; a decline or a
  // cancel ends the wait early (the intent stays pending for the console).
  ctx.mcpReq
    .elicitInput(
      {
        mode: 'url',
        url: approvals.intentUrl(businessId, intent.id),
        elicitationId: intent.id,
        message: message(intent),
      },
      { signal, timeout: approvals.sessionWaitMs },
    )
    .then(
      (answer) => {
        if (answer.action !== 'accept') stop.abort();
      },
      () => stop.abort(),
    );
  const outcome = await decided.finally(() => stop.abort());
  if (outcome.status !== 'pending') {
    try {
      // Not tied to the tools/call request: the session's answers are plain
      // JSON, so the notice goes on the session's GET stream, wherever it is open.
      await call.server.server.createElicitationCompletionNotifier(intent.id)();
    } catch {
      // The client is gone or no longer listens: the answer below still says it all.
    }
  }
  return toolResult(outcome);
}
