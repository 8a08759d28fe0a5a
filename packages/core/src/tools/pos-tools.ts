// The POS tools offered over MCP. Each runs against ctx.principal.activeBusinessId
// only: no argument names a business except set_active_business, which accepts
// only an authorized one.
import { z } from 'zod';
import { listBusinesses } from '../pos/businesses.ts';
import { getProduct, listProducts } from '../pos/catalog.ts';
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
import { isoDate } from '../pos/date-range.ts';
import { DEFAULT_LOW_STOCK, endOfDayReport } from '../pos/end-of-day.ts';
import { withCardFields } from '../pos/intent-cards.ts';
import { businessSettings } from '../pos/businesses.ts';
import { listOrders, MAX_SUMMARY_DAYS, salesSummary } from '../pos/orders.ts';
import { badRequest, notFound } from '../errors.ts';
import { switchActiveBusiness } from '../principal.ts';
import { defineTool, type ToolContext, type ToolDefinition } from './tool-definition.ts';
import { hiddenReason } from './tool-registry.ts';
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
            ctx.principal.subject,
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
    caps.reserve(principal.subject, principal.activeBusinessId, proposal);

/** Intents of the active business with what the approvals view shows of each (intent-cards.ts). */
async function intentCards(ctx: ToolContext, intents: readonly IntentView[]) {
  const businessId = ctx.principal.activeBusinessId;
  const { currency } = await businessSettings(ctx.db, businessId);
  return withCardFields(ctx.db, { businessId, currency, consoleUrl: ctx.consoleUrl }, intents);
}

/** A list tool's optional page size: 1 to `max`, as `what` says (with its default). */
const limitArg = (max: number, what: string) =>
  z.number().int().min(1).max(max).optional().describe(what);

// Said the same way in every tool that takes dates (the rule is date-range.ts).
const DATES_RULE =
  "Dates are strict ISO 8601 read in the business's time zone (whoami shows it): a date alone (2026-11-29) means that whole local day and `to` is included, so one day's orders are from=to=2026-11-29; a date-time without offset (2026-11-29T09:00) is local time, one with an offset (2026-11-29T17:00:00Z) is exact. Other formats (11/29/2026) and `to` before `from` are refused.";

export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description:
    'Returns the caller: credential kind (api_key or token), role, scopes, the businesses it may act for (with their time zone and currency) and the active business every other tool works on. Call this first when unsure which business you are acting for.',
  group: 'general',
  scope: null,
  readOnly: true,
  icon: 'account',
  outputSchema: TOOL_OUTPUTS.whoami,
  inputSchema: {},
  async handler(_args, ctx) {
    const p = ctx.principal;
    const businesses = await ctx.db.business.findMany({
      where: { id: { in: p.authorizedBusinessIds } },
      select: { id: true, name: true, timeZone: true, currency: true },
      orderBy: { name: 'asc' },
    });
    return {
      kind: p.kind,
      label: p.label,
      role: p.role,
      scopes: p.scopes,
      activeBusiness: businesses.find((b) => b.id === p.activeBusinessId) ?? {
        id: p.activeBusinessId,
        name: null,
        timeZone: null,
        currency: null,
      },
      authorizedBusinesses: businesses,
      sessionId: ctx.sessionId,
    };
  },
});

export const setActiveBusiness = defineTool({
  name: 'set_active_business',
  title: 'Switch active business',
  description:
    'Switches the business that every other tool in this session works on. businessId must be one of authorizedBusinesses from whoami. The change is immediate and lasts for the session.',
  group: 'business',
  scope: null,
  readOnly: false,
  idempotent: true,
  icon: 'account',
  outputSchema: TOOL_OUTPUTS.setActiveBusiness,
  inspectableArguments: ['businessId'],
  inputSchema: { businessId: z.uuid().describe('The id of an authorized business (see whoami)') },
  async handler({ businessId }, ctx) {
    const next = await ctx.updatePrincipal((p) => switchActiveBusiness(p, businessId));
    const business = await ctx.db.business.findUnique({
      where: { id: businessId },
      select: { id: true, name: true },
    });
    return { activeBusiness: business, role: next.role };
  },
});

export const listProductsTool = defineTool({
  name: 'list_products',
  title: 'List products',
  description:
    'Lists active products of the active business (id, sku, name, category, price in cents, stock), by name. Filter with search (matches name or sku) and category.',
  group: 'general',
  scope: 'pos:read',
  readOnly: true,
  icon: 'product',
  outputSchema: TOOL_OUTPUTS.listProducts,
  inspectableArguments: ['category', 'limit'],
  inputSchema: {
    search: z.string().max(100).optional().describe('Text to find in the product name or sku'),
    category: z.string().max(100).optional().describe('Exact category, case-insensitive'),
    limit: limitArg(200, 'At most this many products (default 50)'),
  },
  async handler(args, ctx) {
    return { products: await listProducts(ctx.db, ctx.principal.activeBusinessId, args) };
  },
});

export const getProductTool = defineTool({
  name: 'get_product',
  title: 'Get a product',
  description: 'Returns one product of the active business by productId or sku (give exactly one).',
  group: 'general',
  scope: 'pos:read',
  readOnly: true,
  icon: 'product',
  outputSchema: TOOL_OUTPUTS.getProduct,
  inspectableArguments: ['productId', 'sku'],
  inputSchema: {
    productId: z.uuid().optional().describe('Product id'),
    sku: z.string().min(1).max(64).optional().describe('Product sku'),
  },
  async handler(args, ctx) {
    if (!args.productId === !args.sku) throw badRequest('Give exactly one of productId or sku');
    return getProduct(ctx.sql, ctx.principal.activeBusinessId, args);
  },
});

export const listOrdersTool = defineTool({
  name: 'list_orders',
  title: 'List orders',
  description: `Lists orders of the active business, newest first, with their lines, total, refunded and net amounts in cents, and placedAt (UTC) and placedAtLocal (business time). Optional from/to on placedAt and status (completed, partially_refunded or refunded). ${DATES_RULE}`,
  group: 'general',
  scope: 'pos:read',
  readOnly: true,
  icon: 'order',
  outputSchema: TOOL_OUTPUTS.listOrders,
  inspectableArguments: ['from', 'to', 'status'],
  inputSchema: {
    from: isoDate.optional().describe('First day (or instant) included, ISO 8601'),
    to: isoDate.optional().describe('Last day (or instant) included, ISO 8601'),
    status: z.enum(['completed', 'partially_refunded', 'refunded']).optional(),
    limit: limitArg(100, 'At most this many orders (default 20)'),
  },
  async handler(args, ctx) {
    return listOrders(ctx.db, ctx.principal.activeBusinessId, args);
  },
});

export const getSalesSummaryTool = defineTool({
  name: 'get_sales_summary',
  title: 'Sales summary',
  description: `Sales of the active business for orders placed from \`from\` to \`to\`, both included, at most ${MAX_SUMMARY_DAYS} days: orderCount (orders not fully refunded), grossCents (order totals), refundedCents (refunded amounts, partial refunds included), revenueCents (gross minus refunded), averageOrderCents, refundedOrderCount, the top 5 products by quantity, and chart (net cents and orders per local hour for one day, per day for a range). Refunds count against the day their order was placed. ${DATES_RULE}`,
  group: 'general',
  scope: 'pos:read',
  readOnly: true,
  icon: 'sales',
  outputSchema: TOOL_OUTPUTS.salesSummary,
  view: 'sales-summary',
  inspectableArguments: ['from', 'to'],
  inputSchema: {
    from: isoDate.describe('First day (or instant) included, ISO 8601'),
    to: isoDate.describe('Last day (or instant) included, ISO 8601'),
  },
  async handler(args, ctx) {
    return salesSummary(ctx.db, ctx.principal.activeBusinessId, args);
  },
});

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

export const endOfDayReportTool = defineTool({
  name: 'end_of_day_report',
  title: 'End-of-day report',
  description: `The close of one day of the active business (today in its time zone by default): sales (orders, gross, refunds, net, average, top products, net by hour, in the business currency), paymentMix (null: sales record no payment method), products at or below lowStockThreshold (default ${DEFAULT_LOW_STOCK}) in stock, and the intents still pending (null when the caller cannot see intents). Refunds count against the day their order was placed.`,
  group: 'general',
  scope: 'pos:read',
  readOnly: true,
  icon: 'sales',
  outputSchema: TOOL_OUTPUTS.endOfDayReport,
  view: 'end-of-day',
  inputSchema: {
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
      .optional()
      .describe('The local day to report on (YYYY-MM-DD); today when omitted'),
    lowStockThreshold: z.number().int().min(0).max(100_000).optional(),
  },
  async handler(args, ctx) {
    return endOfDayReport(ctx.db, ctx.principal.activeBusinessId, args, {
      // The same rule that shows intent tools decides whether the report lists intents.
      seesIntents: hiddenReason(listIntentsTool, ctx.principal) === null,
      consoleUrl: ctx.consoleUrl,
    });
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

export const listBusinessesTool = defineTool({
  name: 'list_businesses',
  title: 'List businesses (operator)',
  description:
    'Platform operators: every business on the platform with member, key and live session counts.',
  group: 'operator',
  scope: 'operator',
  readOnly: true,
  icon: 'operator',
  outputSchema: TOOL_OUTPUTS.listBusinesses,
  inputSchema: {},
  async handler(_args, ctx) {
    return { businesses: await listBusinesses(ctx.db, await ctx.sessions.countByBusiness()) };
  },
});

export const listSessionsTool = defineTool({
  name: 'list_sessions',
  title: 'List MCP sessions (operator)',
  description:
    'Platform operators: live MCP sessions across businesses (principal, role, business, client, last activity, instance).',
  group: 'operator',
  scope: 'operator',
  readOnly: true,
  icon: 'operator',
  outputSchema: TOOL_OUTPUTS.listSessions,
  inputSchema: {
    businessId: z.uuid().optional(),
    role: z.enum(['merchant', 'tenant_developer', 'platform_operator']).optional(),
    limit: limitArg(200, 'At most this many, most recent first (default 50)'),
    cursor: z
      .string()
      .max(500)
      .optional()
      .describe('The nextCursor of the previous page, to read on'),
  },
  async handler(args, ctx) {
    const page = await ctx.sessions.list({ ...args, limit: args.limit ?? 50 });
    return { sessions: page.items, nextCursor: page.nextCursor };
  },
});

export const endSessionTool = defineTool({
  name: 'end_session',
  title: 'End an MCP session (operator)',
  description:
    'Platform operators: ends a live MCP session; its next request gets "Unknown session ID".',
  group: 'operator',
  scope: 'operator',
  readOnly: false,
  destructive: true,
  idempotent: true,
  icon: 'operator',
  outputSchema: TOOL_OUTPUTS.endSession,
  inputSchema: { sessionId: z.string().min(1).max(100) },
  async handler(args, ctx) {
    if (args.sessionId === ctx.sessionId)
      throw badRequest('Use DELETE /mcp to end your own session');
    if (!(await ctx.sessions.end(args.sessionId, 'ended_by_operator')))
      throw notFound('Session not found');
    return { ended: args.sessionId };
  },
});

export const POS_TOOLS: readonly ToolDefinition[] = [
  whoami,
  setActiveBusiness,
  listProductsTool,
  getProductTool,
  listOrdersTool,
  getSalesSummaryTool,
  endOfDayReportTool,
  createSaleIntentTool,
  createRefundIntentTool,
  listIntentsTool,
  cancelIntentTool,
  listBusinessesTool,
  listSessionsTool,
  endSessionTool,
];
