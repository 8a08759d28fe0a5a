// The runner tells usage of every call with the kind of its outcome: a tool's
// refusal (FORBIDDEN, over a limit), the caller's arguments (BAD_REQUEST,
// NOT_FOUND), or a failure (anything else, cancellation included).
import { describe, expect, it } from 'vitest';
import type { AuditLog } from '../../src/audit.ts';
import { AppError, type AppErrorCode } from '../../src/errors.ts';
import { createToolRunner } from '../../src/mcp/tool-runner.ts';
import type { Principal } from '../../src/principal.ts';
import type { ToolContext } from '../../src/tools/tool-definition.ts';
import { POS_TOOLS } from '../../src/tools/pos-tools.ts';
import type { ToolCallObservation } from '../../src/usage/usage-counter.ts';

const principal: Principal = {
  kind: 'api_key',
  credentialId: 'key:k1',
  role: 'merchant',
  scopes: ['pos:read', 'pos:intents', 'sessions:read'],
  authorizedBusinessIds: ['b1'],
  activeBusinessId: 'b1',
  apiKeyId: 'k1',
  label: 'fp_mcp_x',
};
const audit: AuditLog = {
  record: () => undefined,
  committed: async () => {},
  flush: async () => {},
  close: async () => {},
};
const whoami = POS_TOOLS.find((t) => t.name === 'whoami')!;

async function outcomeOf(handler: () => Promise<unknown>, signal = new AbortController().signal) {
  const seen: ToolCallObservation[] = [];
  const run = createToolRunner(
    {
      sessionId: null,
      principal: () => principal,
      context: {} as Omit<ToolContext, 'principal' | 'sessionId' | 'signal'>,
    },
    { audit, usage: (call) => seen.push(call) },
  );
  await run({ ...whoami, handler } as typeof whoami, {}, signal);
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatchObject({ businessId: 'b1', credential: 'key:k1', tool: 'whoami' });
  expect(seen[0]!.durationMs).toBeGreaterThanOrEqual(0);
  return seen[0]!.outcome;
}

const throwing = (code: AppErrorCode) => async () => {
  throw new AppError(code, 'no');
};

describe('tool runner usage', () => {
  it('counts each outcome by kind', async () => {
    expect(await outcomeOf(async () => ({ ok: true }))).toBe('ok');
    expect(await outcomeOf(throwing('FORBIDDEN'))).toBe('refused');
    expect(await outcomeOf(throwing('TOO_MANY_REQUESTS'))).toBe('refused');
    expect(await outcomeOf(throwing('BAD_REQUEST'))).toBe('bad_arguments');
    expect(await outcomeOf(throwing('NOT_FOUND'))).toBe('bad_arguments');
    expect(await outcomeOf(throwing('CONFLICT'))).toBe('failed');
    expect(
      await outcomeOf(async () => {
        throw new Error('boom');
      }),
    ).toBe('failed');
    const aborted = new AbortController();
    aborted.abort();
    expect(await outcomeOf(() => new Promise(() => undefined), aborted.signal)).toBe('failed');
  });
});
