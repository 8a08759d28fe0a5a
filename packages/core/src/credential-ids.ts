// Credential ids: the stable name of the credential behind a principal, a
// session or an audit event: `key:<apiKeyId>`, `user:<userId>` (a V2 token)
// or `grant:<oauthGrantId>`. Built and read here only.
export const CREDENTIAL_ID_KINDS = ['key', 'user', 'grant'] as const;
export type CredentialIdKind = (typeof CREDENTIAL_ID_KINDS)[number];

export interface CredentialRef {
  kind: CredentialIdKind;
  id: string;
}

export function credentialId(kind: CredentialIdKind, id: string): string {
  return `${kind}:${id}`;
}

export const keyCredentialId = (apiKeyId: string): string => credentialId('key', apiKeyId);
export const userCredentialId = (userId: string): string => credentialId('user', userId);
export const grantCredentialId = (grantId: string): string => credentialId('grant', grantId);

function isKind(value: string): value is CredentialIdKind {
  return (CREDENTIAL_ID_KINDS as readonly string[]).includes(value);
}

/** The kind and id of a credential id; null for anything else (no kind, unknown kind, no id). */
export function parseCredentialId(value: string): CredentialRef | null {
  const colon = value.indexOf(':');
  if (colon < 0) return null;
  const kind = value.slice(0, colon);
  const id = value.slice(colon + 1);
  return isKind(kind) && id ? { kind, id } : null;
}

/**
 * An audit event's actor: a credential id, or a bare user id (the console's
 * own actions record the user id alone).
 */
export function parseActorRef(ref: string): CredentialRef | null {
  return ref.includes(':') ? parseCredentialId(ref) : ref ? { kind: 'user', id: ref } : null;
}
