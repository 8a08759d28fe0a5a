// A session and a sessionless client as people see them (sessions page,
// tRPC): who, which credential kind, which businesses, which client, and
// whether it is active.
import { CREDENTIAL_KIND_LABELS, type CredentialKindLabel } from '../credential-kinds.ts';
import type { Principal } from '../principal.ts';
import { activityState, type ActivityState } from './activity-state.ts';
import type { ClientActivity } from './client-activity.ts';
import type { SessionRecord } from './session-record.ts';

export interface SessionView {
  id: string;
  principal: {
    kind: Principal['kind'];
    label: string;
    /** API keys: the prefix, when `label` is the key's name (key-names.ts). */
    keyPrefix?: string;
    role: Principal['role'];
    credentialId: string;
    scopes: string[];
  };
  authKind: CredentialKindLabel;
  activeBusinessId: string;
  authorizedBusinessIds: string[];
  client: { name: string; version: string };
  protocolVersion: string;
  createdAt: string;
  lastSeenAt: string;
  /** Active: a request within ACTIVE_WINDOW_MS; idle: resumable until its idle TTL. */
  activity: ActivityState;
  instanceId: string;
}

/** A sessionless (2026-07-28) client, per credential. */
export interface ClientView {
  credential: string;
  principal: Pick<SessionView['principal'], 'kind' | 'label' | 'role' | 'keyPrefix'>;
  authKind: SessionView['authKind'];
  activeBusinessId: string;
  authorizedBusinessIds: string[];
  client: { name: string; version: string };
  protocolVersion: string;
  lastSeenAt: string;
  /** Active: a request within ACTIVE_WINDOW_MS or a listen stream open. */
  activity: ActivityState;
  instanceId: string;
  listenStreams: number;
}

export function clientView(c: ClientActivity): ClientView {
  return {
    credential: c.credential,
    principal: { kind: c.principal.kind, label: c.principal.label, role: c.principal.role },
    authKind: CREDENTIAL_KIND_LABELS[c.principal.kind],
    activeBusinessId: c.principal.activeBusinessId,
    authorizedBusinessIds: c.principal.authorizedBusinessIds,
    client: c.client,
    protocolVersion: c.protocolVersion,
    lastSeenAt: new Date(c.lastSeenAt).toISOString(),
    activity: activityState(c.lastSeenAt, c.listenStreams),
    instanceId: c.instanceId,
    listenStreams: c.listenStreams,
  };
}

export function sessionView(r: SessionRecord): SessionView {
  return {
    id: r.id,
    principal: {
      kind: r.principal.kind,
      label: r.principal.label,
      role: r.principal.role,
      credentialId: r.principal.credentialId,
      scopes: r.principal.scopes,
    },
    authKind: CREDENTIAL_KIND_LABELS[r.principal.kind],
    activeBusinessId: r.principal.activeBusinessId,
    authorizedBusinessIds: r.principal.authorizedBusinessIds,
    client: {
      name: String(r.initialize.clientInfo?.name ?? 'unknown'),
      version: String(r.initialize.clientInfo?.version ?? ''),
    },
    protocolVersion: r.initialize.protocolVersion,
    createdAt: new Date(r.createdAt).toISOString(),
    lastSeenAt: new Date(r.lastSeenAt).toISOString(),
    activity: activityState(r.lastSeenAt),
    instanceId: r.instanceId,
  };
}
