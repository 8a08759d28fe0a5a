// Children that stop as one process group (npm -> sh -> next ...), never left
// behind: signal, stop with a grace period, kill on exit, run to completion.
// Plain Node ESM on purpose: it runs before dependencies are installed.
import { spawn } from 'node:child_process';
import { root, sleep } from './basics.mjs';

export const isRunning = (child) => child.exitCode === null && child.signalCode === null;

/** Signals a detached child's whole group (npm -> sh -> next ...), else the child alone. */
export function signalGroup(child, signal) {
  if (!child?.pid || !isRunning(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Stops `children`: `signal` first (SIGINT: the backend closes PGlite, the
 * emulator exports its users), SIGKILL for those still running after `graceMs`.
 */
export async function stopGroups(children, { signal = 'SIGINT', graceMs = 10_000, onKill } = {}) {
  const running = children.filter((c) => c && isRunning(c));
  for (const child of running) signalGroup(child, signal);
  const deadline = Date.now() + graceMs;
  while (running.some(isRunning) && Date.now() < deadline) await sleep(100);
  for (const child of running.filter(isRunning)) {
    onKill?.(child);
    signalGroup(child, 'SIGKILL');
  }
}

/** Last resort (a crash in the script): its children never outlive it. */
export function killOnExit(children) {
  process.on('exit', () => {
    for (const child of children()) signalGroup(child, 'SIGKILL');
  });
}

/** Runs a command to completion with inherited output; resolves with its exit code. */
export function run(cmd, args, { onSpawn, ...options } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...options });
    onSpawn?.(child);
    child.on('error', () => resolvePromise(127));
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}
