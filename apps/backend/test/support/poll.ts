// The one way tests wait on something another process or instance does:
// poll a check until it holds, with a deadline that names what was awaited.
import { connect } from 'node:net';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Calls `check` every `intervalMs` until it returns a value other than
 * undefined/false/null, and returns that value; throws after `timeoutMs`, or
 * at once when `failIf` names a reason to stop waiting (a process that exited).
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: {
    timeoutMs?: number;
    intervalMs?: number;
    /** What is awaited, for the error (a function: read when the error is thrown). */
    what?: string | (() => string);
    failIf?: () => string | undefined;
  } = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 20, failIf } = options;
  const what = () =>
    typeof options.what === 'function' ? options.what() : (options.what ?? 'condition');
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const failed = failIf?.();
    if (failed) throw new Error(`stopped waiting for ${what()}: ${failed}`);
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what()}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export const listening = (port: number) =>
  new Promise<boolean>((r) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      r(true);
    });
    socket.once('error', () => r(false));
  });
