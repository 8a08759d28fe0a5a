// Prompts a merchant would run and the active business as resources, for
// clients that show them (slash commands, resource pickers). Same rules as
// the tools: they need pos:read, and they only ever read the caller's active
// business (the principal as of each request).
import {
  ResourceNotFoundError,
  ResourceTemplate,
  type McpServer,
  type ReadResourceResult,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { isAppError } from '../errors.ts';
import { getProduct, listProducts } from '../pos/catalog.ts';
import type { Principal } from '../principal.ts';
import type { ToolContext } from '../tools/tool-definition.ts';

export const PROFILE_URI = 'flowpos://business/profile';
export const CATALOG_URI = 'flowpos://business/catalog';
export const PRODUCT_URI_TEMPLATE = 'flowpos://business/products/{productId}';

const REPORT_ARGS = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
    .optional()
    .describe('The day to report on (YYYY-MM-DD); today when omitted'),
});
const RESTOCK_ARGS = z.object({
  threshold: z
    .string()
    .regex(/^\d{1,6}$/, 'a whole number')
    .optional()
    .describe('Restock products with at most this many in stock (default 5)'),
});

type Reads = Pick<ToolContext, 'db' | 'sql'>;

const json = (uri: string, value: unknown): ReadResourceResult => ({
  contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value) }],
});

const userMessage = (text: string) => ({
  messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }],
});

/** Registers prompts and resources when the principal may read the business (pos:read). */
export function registerPromptsAndResources(
  server: McpServer,
  principal: () => Principal,
  reads: Reads,
): void {
  if (!principal().scopes.includes('pos:read')) return;

  server.registerPrompt(
    'end_of_day_report',
    {
      title: 'End-of-day sales report',
      description:
        'A sales report for one day of the active business (orders, revenue, refunds, best sellers).',
      argsSchema: REPORT_ARGS,
    },
    ({ date }) => {
      const day = date ?? 'today (in the business time zone)';
      return userMessage(
        `Write the end-of-day sales report for ${day}. Call get_sales_summary with from and to both set to that day, ` +
          'then list_orders for the same day. Report the order count, revenue, average order, refunds and the top products, ' +
          'amounts in the business currency from cents, and point out anything unusual.',
      );
    },
  );

  server.registerPrompt(
    'restock_suggestions',
    {
      title: 'What should I restock?',
      description:
        'Products of the active business that are low on stock, with what sold recently.',
      argsSchema: RESTOCK_ARGS,
    },
    ({ threshold }) =>
      userMessage(
        `Which products should I restock? Call list_products and take those with stock at or below ${threshold ?? '5'}. ` +
          'Call get_sales_summary for the last 7 days to see which of them sell. Suggest quantities, most urgent first.',
      ),
  );

  server.registerResource(
    'business_profile',
    PROFILE_URI,
    {
      title: 'Business profile',
      description: 'The active business: name, currency, time zone',
      mimeType: 'application/json',
    },
    async (uri) => {
      const business = await reads.db.business.findUnique({
        where: { id: principal().activeBusinessId },
        select: { id: true, name: true, currency: true, timeZone: true },
      });
      if (!business) throw new ResourceNotFoundError(uri.href);
      return json(uri.href, business);
    },
  );

  server.registerResource(
    'catalog',
    CATALOG_URI,
    {
      title: 'Catalog',
      description: 'Active products of the active business (up to 200), by name',
      mimeType: 'application/json',
    },
    async (uri) =>
      json(uri.href, {
        products: await listProducts(reads.db, principal().activeBusinessId, { limit: 200 }),
      }),
  );

  server.registerResource(
    'product',
    new ResourceTemplate(PRODUCT_URI_TEMPLATE, { list: undefined }),
    {
      title: 'Product',
      description: 'One product of the active business, by id',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const productId = String(variables.productId ?? '');
      if (!z.uuid().safeParse(productId).success) throw new ResourceNotFoundError(uri.href);
      try {
        return json(
          uri.href,
          await getProduct(reads.sql, principal().activeBusinessId, { productId }),
        );
      } catch (error) {
        if (isAppError(error) && error.status === 404) throw new ResourceNotFoundError(uri.href);
        throw error;
      }
    },
  );
}
