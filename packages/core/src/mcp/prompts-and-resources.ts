// Prompts a merchant would run and the active business as resources, for
// clients that show them (slash commands, resource pickers). Same rules as
// the tools: they need pos:read, and they only ever read the caller's active
// business (the principal as of each request). A session whose rights change
// sees them come and go from its lists as tools do; each handler checks the
// current principal again, so a list not re-synced yet still serves nothing.
import {
  ProtocolError,
  ProtocolErrorCode,
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
import { policyExcludes } from '../tools/tool-policy.ts';
import { promptArguments } from './prompt-arguments.ts';

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

/**
 * Whether prompts and resources are offered to this principal. The catalog and
 * product resources serve what list_products and get_product do, so a tool
 * policy that leaves either out leaves them out too (read_only keeps both).
 */
export const offersPromptsAndResources = (
  principal: Pick<Principal, 'scopes' | 'toolPolicy'>,
): boolean =>
  principal.scopes.includes('pos:read') &&
  policyExcludes(principal.toolPolicy, { name: 'list_products', readOnly: true }) === null &&
  policyExcludes(principal.toolPolicy, { name: 'get_product', readOnly: true }) === null;

export interface PromptsAndResources {
  /** Adds or removes them to match the principal (the SDK sends the list_changed notifications). */
  sync(principal: Principal): void;
  offered(): boolean;
}

/**
 * Registers prompts and resources, then keeps them only when the principal
 * may read the business. They are registered once before the server connects
 * even when not offered: the SDK installs the prompts and resources handlers
 * (and capabilities) only then, and a session may gain pos:read later.
 */
export function registerPromptsAndResources(
  server: McpServer,
  principal: () => Principal,
  reads: Reads,
): PromptsAndResources {
  let handles: { remove(): void }[] = [];
  const sync = (p: Principal) => {
    const wanted = offersPromptsAndResources(p);
    if (wanted && handles.length === 0) handles = registerAll(server, principal, reads);
    if (!wanted && handles.length > 0) {
      for (const handle of handles) handle.remove();
      handles = [];
    }
  };
  handles = registerAll(server, principal, reads);
  sync(principal());
  return { sync, offered: () => handles.length > 0 };
}

/** The principal of this request, if it may still read the business. */
function reader(principal: () => Principal): Principal | null {
  const p = principal();
  return offersPromptsAndResources(p) ? p : null;
}

/** A prompt the principal may not use is answered as an unknown one. */
function promptFor<A>(
  name: string,
  principal: () => Principal,
  build: (args: A, p: Principal) => GetPrompt | Promise<GetPrompt>,
) {
  return async (args: A) => {
    const p = reader(principal);
    if (!p) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Prompt ${name} not found`);
    return build(args, p);
  };
}

type GetPrompt = ReturnType<typeof userMessage>;

function registerAll(
  server: McpServer,
  principal: () => Principal,
  reads: Reads,
): { remove(): void }[] {
  /** The active business of a principal that may read it; else the resource does not exist. */
  const businessOf = (uri: URL) => {
    const p = reader(principal);
    if (!p) throw new ResourceNotFoundError(uri.href);
    return p.activeBusinessId;
  };
  const named = promptArguments(() => reader(principal), reads.db);
  const endOfDay = server.registerPrompt(
    'end_of_day_report',
    {
      title: 'End-of-day sales report',
      description:
        'The close of one day of a business (sales, refunds, best sellers, low stock, pending intents), from the end_of_day_report tool.',
      argsSchema: REPORT_ARGS.extend({
        business: named.business
          .optional()
          .describe('The business to report on, by name; the active one when omitted'),
      }),
    },
    promptFor(
      'end_of_day_report',
      principal,
      async (
        { date, business }: { date?: string | undefined; business?: string | undefined },
        p,
      ) => {
        const day = date ?? 'today (in the business time zone)';
        const target = business ? await named.resolveBusiness(p, business) : null;
        const switchFirst =
          target && target.id !== p.activeBusinessId
            ? `First call set_active_business with businessId ${target.id} (${target.name}). `
            : '';
        const of = target ? ` of ${target.name}` : '';
        return userMessage(
          `${switchFirst}Write the end-of-day report${of} for ${day}. Call end_of_day_report${date ? ` with date ${date}` : ''} ` +
            "(clients that show views render the day's close from it), then list_orders for the same day if you need details. " +
            'Report the order count, net revenue, average order, refunds, the top products, low stock and pending intents, ' +
            'amounts in the business currency from cents, and point out anything unusual.',
        );
      },
    ),
  );

  const productSales = server.registerPrompt(
    'product_sales',
    {
      title: 'How is a product selling?',
      description: 'Recent sales and stock of one product of the active business.',
      argsSchema: z.object({ product: named.product }),
    },
    promptFor('product_sales', principal, async ({ product }: { product: string }, p) => {
      const found = await named.resolveProduct(p, product);
      return userMessage(
        `How is ${found.name} (SKU ${found.sku}) selling? Call get_product with sku ${JSON.stringify(found.sku)} for its price and stock, ` +
          `then list_orders for the last 30 days and add up the quantities of its lines (productId ${found.id}). ` +
          'Say how many sold and for how much, in the business currency from cents, and how many days its stock lasts at that pace.',
      );
    }),
  );

  const restock = server.registerPrompt(
    'restock_suggestions',
    {
      title: 'What should I restock?',
      description:
        'Products of the active business that are low on stock, with what sold recently.',
      argsSchema: RESTOCK_ARGS,
    },
    promptFor(
      'restock_suggestions',
      principal,
      ({ threshold }: { threshold?: string | undefined }) =>
        userMessage(
          `Which products should I restock? Call list_products and take those with stock at or below ${threshold ?? '5'}. ` +
            'Call get_sales_summary for the last 7 days to see which of them sell. Suggest quantities, most urgent first.',
        ),
    ),
  );

  const profile = server.registerResource(
    'business_profile',
    PROFILE_URI,
    {
      title: 'Business profile',
      description: 'The active business: name, currency, time zone',
      mimeType: 'application/json',
    },
    async (uri) => {
      const business = await reads.db.business.findUnique({
        where: { id: businessOf(uri) },
        select: { id: true, name: true, currency: true, timeZone: true },
      });
      if (!business) throw new ResourceNotFoundError(uri.href);
      return json(uri.href, business);
    },
  );

  const catalog = server.registerResource(
    'catalog',
    CATALOG_URI,
    {
      title: 'Catalog',
      description: 'Active products of the active business (up to 200), by name',
      mimeType: 'application/json',
    },
    async (uri) =>
      json(uri.href, {
        products: await listProducts(reads.db, businessOf(uri), { limit: 200 }),
      }),
  );

  const product = server.registerResource(
    'product',
    new ResourceTemplate(PRODUCT_URI_TEMPLATE, { list: undefined }),
    {
      title: 'Product',
      description: 'One product of the active business, by id',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const businessId = businessOf(uri);
      const productId = String(variables.productId ?? '');
      if (!z.uuid().safeParse(productId).success) throw new ResourceNotFoundError(uri.href);
      try {
        return json(uri.href, await getProduct(reads.sql, businessId, { productId }));
      } catch (error) {
        if (isAppError(error) && error.status === 404) throw new ResourceNotFoundError(uri.href);
        throw error;
      }
    },
  );
  return [endOfDay, productSales, restock, profile, catalog, product];
}
