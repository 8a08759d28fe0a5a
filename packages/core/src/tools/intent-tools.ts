// The intent tools: proposing a sale or refund for a merchant to approve,
// listing and cancelling intents, all in the caller's active business.
import { z } from 'zod';
import {
  cancelIntent,
  createRefundIntent,
  createSaleIntent,
  listIntents,
  type IntentView,
} from '../pos/intents.ts';
import { idempotencyKeyArg } from '../pos/intent-idempotency.ts';
import type { ReserveProposal } from '../pos/counted-proposal.ts';
import type { IntentCaps } from '../limits/intent-caps.ts';
import { withCardFields } from '../pos/intent-cards.ts';
import { businessSettings } from '../pos/businesses.ts';
import { defineTool, type ToolContext, type ToolDefinition } from './tool-definition.ts';
import { TOOL_OUTPUTS } from './tool-outputs.ts';

type Keyed<Shape extends z.ZodRawShape> = z.infer<z.ZodObject<Shape>> & {
  idempotencyKey?: string | undefined;
};

/**
 * A tool that proposes an intent in the active business, recorded as the
 * caller's (the credential id), for a merchant to approve or reject.
 */
function proposalTool<Shape extends z.ZodRawShape>(
  tool: Pick<ToolDefinition<Shape>, 'name' | 'title' | 'description' | 'inputSchema'>,
  propose: (
    db: ToolContext['db'],
    businessId: string,
    proposedBy: string,
    args: Keyed<Shape>,
    reserve: ReserveProposal | undefined,
  ) => Promise<IntentView>,
): ToolDefinition {
  return defineTool({
    ...tool,
    // Retries with the same key return the same intent (intent-idempotency.ts).
    inputSchema: { ...tool.inputSchema, idempotencyKey: idempotencyKeyArg },
    group: 'intent',
    scope: 'pos:intents',
    readOnly: false,
    icon: 'intent',
    asksApproval: true,
    outputSchema: TOOL_OUTPUTS.intent,
    view: 'approvals',
    // The generic shape plus the key is beyond zod's inference; the schema above is exactly that.
    handler: async (args, ctx) =>
      (
        await intentCards(ctx, [
          await propose(
            ctx.db,
            ctx.principal.activeBusinessId,
            ctx.principal.credentialId,
            args as Keyed<Shape>,
            ctx.caps && reserveFor(ctx.caps, ctx.principal),
          ),
        ])
      )[0],
  });
}

/** Counts a proposal against the caller's caps in its active business. */
const reserveFor =
  (caps: IntentCaps, principal: ToolContext['principal']): ReserveProposal =>
  (proposal) =>
    caps.reserve(principal.credentialId, principal.activeBusinessId, proposal);

/** Intents of the active business with what the approvals view shows of each (intent-cards.ts). */
async function intentCards(ctx: ToolContext, intents: readonly IntentView[]) {
  const businessId = ctx.principal.activeBusinessId;
  const { currency } = await businessSettings(ctx.db, businessId);
  return withCardFields(ctx.db, { businessId, currency, consoleUrl: ctx.consoleUrl }, intents);
}

export const createSaleIntentTool = proposalTool(
  {
    name: 'create_sale_intent',
    title: 'Propose a sale',
    description:
      "Proposes a sale in the active business: an intent with status pending that a merchant approves (which creates the order) or rejects in the FlowPOS console. Prices come from the catalog. The answer states each product's stock on hand; a quantity above it is refused unless the business allows backorders, and approval re-checks the stock. Nothing is charged or stocked out until approval.",
    inputSchema: {
      lines: z
        .array(z.object({ productId: z.uuid(), quantity: z.number().int().min(1).max(1000) }))
        .min(1)
        .max(50)
        .describe('Products and quantities; each product once'),
      note: z.string().max(500).optional().describe('Shown to the merchant who decides'),
    },
  },
  createSaleIntent,
);

export const createRefundIntentTool = proposalTool(
  {
    name: 'create_refund_intent',
    title: 'Propose a refund',
    description:
      'Proposes refunding an order of the active business, fully or in part: a pending intent a merchant approves or rejects in the console. amountCents (integer cents) defaults to what remains refundable and may not exceed it; an order is partially_refunded until its refunds reach its total, then refunded.',
    inputSchema: {
      orderId: z.uuid(),
      reason: z.string().min(1).max(500).describe('Why, for the merchant'),
      amountCents: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe('Integer cents to refund, e.g. 100 for $1.00 (default: all that remains)'),
    },
  },
  createRefundIntent,
);

export const listIntentsTool = defineTool({
  name: 'list_intents',
  title: 'List intents',
  description:
    'Lists sale and refund intents of the active business, newest first; filter by status.',
  group: 'intent',
  scope: 'pos:intents',
  readOnly: true,
  icon: 'intent',
  outputSchema: TOOL_OUTPUTS.listIntents,
  view: 'approvals',
  inspectableArguments: ['status', 'limit'],
  inputSchema: {
    status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(),
    limit: z.number().int().min(1).max(200).optional(),
  },
  async handler(args, ctx) {
    const intents = await listIntents(ctx.db, ctx.principal.activeBusinessId, args);
    return { intents: await intentCards(ctx, intents) };
  },
});

export const cancelIntentTool = defineTool({
  name: 'cancel_intent',
  title: 'Cancel an intent',
  description:
    'Cancels a pending intent of the active business. Decided intents cannot be cancelled.',
  group: 'intent',
  scope: 'pos:intents',
  readOnly: false,
  destructive: true,
  idempotent: true,
  icon: 'intent',
  outputSchema: TOOL_OUTPUTS.intent,
  inputSchema: { intentId: z.uuid() },
  async handler(args, ctx) {
    return cancelIntent(ctx.db, ctx.principal.activeBusinessId, args.intentId);
  },
});
