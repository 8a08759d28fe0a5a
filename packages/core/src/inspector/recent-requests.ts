// Who may open the inspector on what: operators any session or sessionless
// client; members of a business (merchants, tenant developers: those who may
// see its sessions) a session active in it, and of any log only the requests
// made for their businesses. Anything else is answered as if it did not exist.
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { actorLabels } from '../access/actor-labels.ts';
import { authorize, may, mayIn } from '../access/permissions.ts';
import { notFound } from '../errors.ts';
import type { SessionStore } from '../sessions/session-record.ts';
import {
  REQUEST_LOG_CAP,
  requestLogKey,
  type RequestLogEntry,
  type RequestLogTarget,
} from './request-log.ts';
import type { RequestLogStore } from './request-log-stores.ts';

export interface RecentRequestsDeps {
  db: Db;
  store: SessionStore;
  /** Absent when the inspector is off (INSPECTOR_ENABLED=false). */
  log: RequestLogStore | undefined;
}

export type RequestView = Omit<RequestLogEntry, 'at' | 'businessId'> & { at: string };

export interface RecentRequests {
  enabled: boolean;
  /** The key's name or the person's e-mail behind the session or client. */
  label: string;
  /** The newest first, at most `cap`. */
  items: RequestView[];
  cap: number;
}

function requestView(entry: RequestLogEntry): RequestView {
  const { at, method, tool, outcome, errorCode, durationMs, instanceId } = entry;
  return {
    at: new Date(at).toISOString(),
    method,
    ...(tool !== undefined ? { tool } : {}),
    outcome,
    ...(errorCode !== undefined ? { errorCode } : {}),
    durationMs,
    instanceId,
    arguments: entry.arguments,
  };
}

const NOT_FOUND = 'Session or client not found';

export async function recentRequestsFor(
  deps: RecentRequestsDeps,
  actor: Actor,
  target: RequestLogTarget,
): Promise<RecentRequests> {
  authorize(actor, 'seeSessions');
  const all = may(actor, 'seeAllSessions');
  let credential: string;
  if ('sessionId' in target) {
    const record = await deps.store.get(target.sessionId);
    if (!record) throw notFound(NOT_FOUND);
    if (!all && !mayIn(actor, record.principal.activeBusinessId, 'seeSessions'))
      throw notFound(NOT_FOUND);
    credential = record.principal.credentialId;
  } else {
    credential = target.credential;
  }
  if (!deps.log) return { enabled: false, label: credential, items: [], cap: REQUEST_LOG_CAP };
  const entries = await deps.log.recent(requestLogKey(target));
  const visible = all ? entries : entries.filter((e) => mayIn(actor, e.businessId, 'seeSessions'));
  // A client none of whose requests the viewer may see is not theirs to inspect.
  if (!('sessionId' in target) && !all && visible.length === 0) throw notFound(NOT_FOUND);
  const label = (await actorLabels(deps.db, [credential])).get(credential)?.label ?? credential;
  return {
    enabled: true,
    label,
    cap: REQUEST_LOG_CAP,
    items: visible.map(requestView),
  };
}
