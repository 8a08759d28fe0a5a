// The runbook (docs/runbook.md) as data: the symptoms of its triage table and
// the steps a diagnosis points to, quoted word for word so an operator can
// find them there (a test checks every quote against the file).
export interface RunbookSymptom {
  /** The table row's symptom, as §1 writes it. */
  symptom: string;
  /** Its "likely layer" column (shortened only where the row is long). */
  layer: string;
}

export interface RunbookStep {
  /** Where it is: section and item, e.g. "§3 A) 3". */
  where: string;
  /** The runbook's own words. */
  quote: string;
}

export const SYMPTOMS = {
  authRequired: {
    symptom:
      '401 Authentication required: provide a valid MCP API key or access token on POST /mcp',
    layer: 'McpAuthGuard (both API key and JWT rejected)',
  },
  tokenExchange: {
    symptom: '401 on POST /mcp/token',
    layer: 'Firebase ID token validation in McpTokenService.exchangeFirebaseToken',
  },
  tokenRefresh: {
    symptom: '401 on POST /mcp/token/refresh',
    layer: 'Invalid MCP JWT or refresh outside 7-day grace window',
  },
  sessionHeader: {
    symptom: '400 mcp-session-id header required',
    layer: 'Request is not initialize and missing session header',
  },
  unknownSession: {
    symptom: '404 Unknown session ID',
    layer:
      'Session ended (DELETE /mcp, operator end_session, key revoked or expired, idle timeout) or opened with another credential',
  },
  toolMissing: {
    symptom: 'Tool missing from tools/list',
    layer: 'Scope or role filtering in ToolRegistry.listFor',
  },
  activeBusiness: {
    symptom: 'set_active_business has no effect',
    layer:
      'Session principal update not persisted or new session started; for a 2026-07-28 (sessionless) client, see §8',
  },
  modernGetDelete: {
    symptom: '405 on GET or DELETE /mcp',
    layer:
      'The request names protocol revision 2026-07-28, which has no GET stream and no session to delete (§8)',
  },
} as const satisfies Record<string, RunbookSymptom>;
export type SymptomId = keyof typeof SYMPTOMS;

const step = (where: string, quote: string): RunbookStep => ({ where, quote });

export const STEPS = {
  keyHeaderFormat: step('§3 A) 1', 'Authorization: Bearer fp_mcp_<hex>'),
  keyIsActive: step('§3 A) 3', 'isActive = true'),
  keyExpiry: step('§3 A) 3', 'expiresAt is null or in the future'),
  keyScopes: step('§3 A) 3', 'key scopes include required tool scopes'),
  exchangeAgain: step('§3 B) 1', 'Exchange Firebase token again:'),
  firebaseInvalid: step('§3 B) 2', '401: Firebase token invalid/expired'),
  noMembership: step('§3 B) 2', '403: user has no active memberships (business_user.is_active)'),
  refresh: step('§3 B) 3', 'If MCP token is expired, refresh:'),
  refreshSigned: step('§3 B) 4', 'JWT must be validly signed'),
  refreshWindow: step('§3 B) 4', 'token can be expired, but not more than 7 days'),
  refreshMemberships: step('§3 B) 4', 'memberships are re-resolved from DB at refresh time'),
  oauthTtl: step(
    '§3 C) 3',
    'Access tokens live OAUTH_ACCESS_TOKEN_TTL_SECONDS (default 15 min); the connector refreshes by itself.',
  ),
  oauthListed: step('§3 C) 4', 'Console → Connected apps: the grant must be listed'),
  oauthScope: step(
    '§3 C) 5',
    '403 with `error="insufficient_scope"`: the person did not allow that scope; the connector asks again.',
  ),
  sessionHeader: step(
    '§2',
    'Missing mcp-session-id is valid only for the initial initialize request',
  ),
  sessionEnded: step(
    '§4 4',
    "Check whether the session was ended: audit events `mcp.session_closed`, `api_key.revoked`, `oauth.revoked`, or the console's Sessions page",
  ),
  sessionIdle: step(
    '§4 5',
    'Check idle time: sessions expire after SESSION_IDLE_TIMEOUT_SECONDS (default 24 h) without a request',
  ),
  sessionKeyExpiry: step(
    '§4 6',
    "Check the key's expiry: a session opened with an API key ends when the key expires, on every instance (the key then also answers 401)",
  ),
  sessionCredential: step(
    '§4 3',
    'Confirm the same credential is used: a session opened with one key or user is "unknown" to every other',
  ),
  visibilityRules: step(
    '§5',
    "A hidden tool called anyway fails exactly like an unknown tool. The console's Tools preview shows what any principal sees and why each hidden tool is hidden.",
  ),
  setActiveBusiness: step(
    '§5',
    'set_active_business only appears if authorizedBusinessIds.length > 1',
  ),
  sessionlessBusiness: step(
    '§8',
    'Every later 2026 request of that credential, on any instance, works on that business while it stays authorized; otherwise the default (the first authorized business by name) applies',
  ),
  sessionlessNoStream: step(
    '§8',
    'GET or DELETE /mcp with `MCP-Protocol-Version: 2026-07-28`: 405 (that revision has no stream to open and nothing to delete)',
  ),
  regenerate: step('§6 1', 'Regenerate token/key (credential reset only)'),
  reinitialize: step('§6 2', 'Re-initialize MCP session (new mcp-session-id)'),
  rotateRevoke: step('§6 5', 'Rotate/revoke old API keys if compromise is suspected'),
} as const satisfies Record<string, RunbookStep>;
export type StepId = keyof typeof STEPS;
