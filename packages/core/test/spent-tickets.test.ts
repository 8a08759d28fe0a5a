// One-time tickets in memory (the embedded default's store; the Redis one is
// tested over HTTP in apps/backend/test/http/audit-export.test.ts).
import { expect, it } from 'vitest';
import { createMemorySpentTickets } from '../src/spent-tickets.ts';

it('a ticket is spent once while remembered, and forgotten after', async () => {
  let now = 1_000;
  const spent = createMemorySpentTickets(() => now);
  expect(await spent.spend('a', 60_000)).toBe(true);
  expect(await spent.spend('a', 60_000)).toBe(false);
  expect(await spent.spend('b', 60_000)).toBe(true);
  now += 60_001;
  expect(await spent.spend('a', 60_000)).toBe(true);
});

it('old marks go as new tickets are spent, and live ones stay', async () => {
  let now = 0;
  const spent = createMemorySpentTickets(() => now);
  for (let i = 0; i < 1_200; i++) await spent.spend(`old${i}`, 10);
  expect(await spent.spend('live', 60_000)).toBe(true);
  now = 1_000;
  for (let i = 0; i < 10; i++) await spent.spend(`new${i}`, 60_000);
  expect(await spent.spend('live', 60_000)).toBe(false);
  expect(await spent.spend('old5', 60_000)).toBe(true);
});
