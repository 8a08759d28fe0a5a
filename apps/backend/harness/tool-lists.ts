// The tool lists of a merchant's credential as the tests expect them, for the
// backend tests and the e2e specs alike. Typed out here, never read from the
// tool registry: a tool added, dropped or renamed must fail a test.

/** The read-only tools of a merchant's credential with pos:read and pos:intents, sorted. */
export const READ_ONLY_TOOLS = [
  'end_of_day_report',
  'get_product',
  'get_sales_summary',
  'list_intents',
  'list_orders',
  'list_products',
  'whoami',
];

/** What pos:intents adds besides list_intents: the tools that propose or cancel. */
export const INTENT_WRITE_TOOLS = ['cancel_intent', 'create_refund_intent', 'create_sale_intent'];
