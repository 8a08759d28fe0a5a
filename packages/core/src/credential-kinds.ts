// The kinds of credential a caller presents over MCP, and the one label each
// goes by wherever people see it (sessions page, filters, views). No server
// code here: the console imports it as it is.

/** V1 API key, V2 MCP token, OAuth access token (connectors). */
export const CREDENTIAL_KINDS = ['api_key', 'token', 'oauth'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const CREDENTIAL_KIND_LABELS = {
  api_key: 'V1 key',
  token: 'V2 token',
  oauth: 'OAuth',
} as const satisfies Record<CredentialKind, string>;
export type CredentialKindLabel = (typeof CREDENTIAL_KIND_LABELS)[CredentialKind];
