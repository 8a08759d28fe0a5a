// Active or idle, as the sessions page separates them: active when a request
// came within ACTIVE_WINDOW_MS or (sessionless clients) a listen stream is
// open; idle otherwise, yet resumable until the session's idle TTL ends it.
// A 2025 session's open GET stream counts from the request that opened it:
// the store does not track streams, only their sessions' last requests.

/** "The last few minutes" of the sessions page. */
export const ACTIVE_WINDOW_MS = 5 * 60_000;

export type ActivityState = 'active' | 'idle';

export function activityState(
  lastSeenAt: number,
  openStreams = 0,
  now = Date.now(),
): ActivityState {
  return openStreams > 0 || now - lastSeenAt <= ACTIVE_WINDOW_MS ? 'active' : 'idle';
}
