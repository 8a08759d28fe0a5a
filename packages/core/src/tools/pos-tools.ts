// The POS tools offered over MCP. Each runs against ctx.principal.activeBusinessId
// only: no argument names a business except set_active_business, which accepts
// only an authorized one.
// The intent and operator tools live in intent-tools.ts and operator-tools.ts;
// POS_TOOLS lists them all, in the order clients see.
import { z } from 'zod';
import { getProduct, listProducts } from '../pos/catalog.ts';
import { isoDate } from '../pos/date-range.ts';
import { DEFAULT_LOW_STOCK, endOfDayReport } from '../pos/end-of-day.ts';
import { listOrders, MAX_SUMMARY_DAYS, salesSummary } from '../pos/orders.ts';
import { badRequest } from '../errors.ts';
import { switchActiveBusiness } from '../principal.ts';
import {
  cancelIntentTool,
  createRefundIntentTool,
  createSaleIntentTool,
  listIntentsTool,
} from './intent-tools.ts';
import { endSessionTool, listBusinessesTool, listSessionsTool } from './operator-tools.ts';
import { DATES_RULE, limitArg } from './tool-args.ts';
import { defineTool, type ToolDefinition } from './tool-definition.ts';
import { hiddenReason } from './tool-registry.ts';
import { TOOL_OUTPUTS } from './tool-outputs.ts';

export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description:
    'Returns the caller: credential kind (api_key, token or oauth), role, scopes, the businesses it may act for (with their time zone and currency) and the active business every other tool works on. Call this first when unsure which business you are acting for.',
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
