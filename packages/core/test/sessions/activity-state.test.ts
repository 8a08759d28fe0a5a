// Active or idle on the sessions page: the window is a named constant.
import { describe, expect, it } from 'vitest';
import { ACTIVE_WINDOW_MS, activityState } from '../../src/sessions/activity-state.ts';

describe('activityState', () => {
  const now = 1_000_000_000;
  it('is active within ACTIVE_WINDOW_MS of the last request, idle after', () => {
    expect(activityState(now - ACTIVE_WINDOW_MS, 0, now)).toBe('active');
    expect(activityState(now - ACTIVE_WINDOW_MS - 1, 0, now)).toBe('idle');
  });

  it('is active while a stream is open, however old the last request', () => {
    expect(activityState(now - 10 * ACTIVE_WINDOW_MS, 1, now)).toBe('active');
  });
});
