// The throttling budgets of test and E2E backends.
/**
 * Throttling stays on in tests (its cost is real), with budgets no test of
 * another feature reaches: every test process calls from 127.0.0.1. The
 * rate-limit tests set small ones.
 */
export const TEST_RATE_LIMITS = {
  RATE_LIMIT_AUTH_FAILURES: '1000000',
  RATE_LIMIT_TOKEN: '1000000',
  RATE_LIMIT_USER: '1000000',
  RATE_LIMIT_MCP: '1000000',
  RATE_LIMIT_DIAGNOSE: '1000000',
  RATE_LIMIT_OAUTH_AUTHORIZE: '1000000',
  RATE_LIMIT_OAUTH_TOKEN: '1000000',
  RATE_LIMIT_OAUTH_METADATA_FETCHES: '1000000',
  OAUTH_INTERACTIONS_PER_ADDRESS: '1000000',
};
