// A large audit export streams (issue 20 item 6): 220,000 rows leave the server
// while the process holds only a bounded amount of memory, and a reader that
// stops reading stops the server (backpressure) instead of letting it buffer
// the rest. Memory, not time, is measured: live heap + buffers after a GC.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { beforeAll, expect, it } from 'vitest';
import { createBusiness, createUser, type TestUser } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROWS = 220_000;
const MB = 1024 * 1024;
const h = useHarness('auditstream');
let businessId: string;
let merchant: TestUser;

function liveBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

beforeAll(async () => {
  businessId = (await createBusiness(h.db)).business.id;
  merchant = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
  // Rows of about 300 bytes each once exported: ~70 MB of CSV in all.
  await h.db.$executeRawUnsafe(
    `INSERT INTO audit_event (id, business_id, action, outcome, actor_kind, actor_id, details, created_at)
     SELECT gen_random_uuid(), $1::uuid, 'tool.called', 'success', 'api_key', 'key:' || gen_random_uuid(),
            jsonb_build_object('tool', 'list_products', 'n', g, 'pad', repeat('x', 120)),
            timestamp '2026-01-01' + (g % 1000) * interval '1 second'
     FROM generate_series(1, ${ROWS}) AS g`,
    businessId,
  );
}, 120_000);

it('streams 220k rows as CSV with bounded memory, and pauses with a reader that pauses', async () => {
  const res = await fetch(`${h.server.baseUrl}/audit/export?businessId=${businessId}&format=csv`, {
    headers: { authorization: `Bearer ${await merchant.idToken()}` },
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const baseline = liveBytes();
  let peak = 0;
  let lines = 0;
  let bytes = 0;
  let reads = 0;
  let pausedAt: number | undefined;
  let tail = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    const text = tail + decoder.decode(value, { stream: true });
    const parts = text.split('\r\n');
    tail = parts.pop() ?? '';
    lines += parts.length;
    if (++reads % 200 === 0) peak = Math.max(peak, liveBytes() - baseline);
    if (pausedAt === undefined && bytes > 5 * MB) {
      // Stop reading for a while: with backpressure the server waits too, so
      // neither side fills memory with the rest of the export meanwhile.
      pausedAt = bytes;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      peak = Math.max(peak, liveBytes() - baseline);
    }
  }
  peak = Math.max(peak, liveBytes() - baseline);
  console.log(`audit export: ${bytes} bytes, peak live growth ${(peak / MB).toFixed(1)} MB`);
  expect(lines).toBe(ROWS + 1);
  expect(bytes).toBeGreaterThan(60 * MB);
  // Loading the rows at once would hold well over 200 MB (Prisma objects + text).
  expect(peak).toBeLessThan(32 * MB);
  expect(pausedAt).toBeDefined();
}, 600_000);
