// What each POS tool returns, as the outputSchema clients see in tools/list
// (and validate structuredContent against). Loose objects: the fields named
// here are always present; a tool may add more without breaking clients.
import { z } from 'zod';
import { CREDENTIAL_KINDS } from '../credential-kinds.ts';

export type OutputSchema = z.ZodType<Record<string, unknown>>;

const business = z.looseObject({ id: z.string(), name: z.string().nullable() });

export const productOutput = z.looseObject({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  priceCents: z.number().int(),
  stock: z.number(),
});

const intent = z.looseObject({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  createdAt: z.string(),
});

const salesChart = z.looseObject({
  unit: z.enum(['hour', 'day']),
  points: z.array(
    z.looseObject({ key: z.string(), netCents: z.number().int(), orderCount: z.number().int() }),
  ),
});

export const TOOL_OUTPUTS = {
  whoami: z.looseObject({
    kind: z.enum(CREDENTIAL_KINDS),
    role: z.string(),
    scopes: z.array(z.string()),
    activeBusiness: business,
    authorizedBusinesses: z.array(business),
    sessionId: z.string().nullable().describe('The 2025 session id; null without a session'),
  }),
  setActiveBusiness: z.looseObject({ activeBusiness: business.nullable(), role: z.string() }),
  listProducts: z.looseObject({ products: z.array(productOutput) }),
  getProduct: productOutput,
  listOrders: z.looseObject({
    orders: z.array(
      z.looseObject({
        id: z.string(),
        status: z.string(),
        totalCents: z.number().int(),
        placedAt: z.string(),
        lines: z.array(z.looseObject({ productId: z.string(), quantity: z.number() })),
      }),
    ),
  }),
  salesSummary: z.looseObject({
    orderCount: z.number().int(),
    revenueCents: z.number().int(),
    topProducts: z.array(
      z.looseObject({ productId: z.string(), name: z.string().nullable(), quantity: z.number() }),
    ),
    chart: salesChart,
  }),
  endOfDayReport: z.looseObject({
    business: z.looseObject({ id: z.string(), currency: z.string(), timeZone: z.string() }),
    date: z.string(),
    sales: z.looseObject({ orderCount: z.number().int(), revenueCents: z.number().int() }),
    paymentMix: z.null().describe('Null until sales record a payment method'),
    lowStock: z.looseObject({ threshold: z.number().int(), products: z.array(z.looseObject({})) }),
    pendingIntents: z
      .looseObject({ count: z.number().int(), intents: z.array(intent) })
      .nullable()
      .describe('Null when the caller cannot see intents'),
  }),
  intent,
  listIntents: z.looseObject({ intents: z.array(intent) }),
  listBusinesses: z.looseObject({ businesses: z.array(business) }),
  listSessions: z.looseObject({
    sessions: z.array(z.looseObject({ id: z.string() })),
    nextCursor: z.string().nullable(),
  }),
  endSession: z.looseObject({ ended: z.string() }),
} satisfies Record<string, OutputSchema>;
