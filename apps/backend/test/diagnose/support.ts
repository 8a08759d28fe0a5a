// Diagnose over real HTTP: tRPC `diagnose.run` as the console calls it, and
// what the symptom-row files start from.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Diagnosis, DiagnoseResult } from '@flowpos/core';
import { createBusiness, createUser, type TestUser } from '../support/fixtures.ts';
import type { Harness } from '../support/harness.ts';
import { trpc } from '../support/oauth-browser.ts';

export async function diagnoseOver(
  baseUrl: string,
  idToken: string,
  value: string,
  tool?: string,
): Promise<Diagnosis[]> {
  const res = await trpc<DiagnoseResult>(
    baseUrl,
    idToken,
    'diagnose.run',
    { value, ...(tool ? { tool } : {}) },
    'mutation',
  );
  expect(res.status, res.message).toBe(200);
  return res.data.diagnoses;
}

/** The one diagnosis expected, with the finding of `code`. */
export function findingOf(diagnoses: Diagnosis[], code: string) {
  const codes = diagnoses.flatMap((d) => d.findings.map((f) => f.code));
  const found = diagnoses.flatMap((d) => d.findings).find((f) => f.code === code);
  expect(found, `finding ${code} among ${codes.join(', ')}`).toBeTruthy();
  return found!;
}

export function factOf(d: Diagnosis, label: string): string | undefined {
  return d.facts.find((f) => f.label === label)?.value;
}

/**
 * What the symptom-row files start from: a business with a merchant, an
 * operator who asks diagnose, and a Redis client to look at sessions.
 */
export function useRowsSetup(h: Harness, label: string) {
  let made:
    | {
        redis: Redis;
        businessId: string;
        merchant: TestUser;
        operator: TestUser;
        merchantToken: string;
      }
    | undefined;
  beforeAll(async () => {
    const redis = new Redis(h.server.services.config.redisUrl as string);
    const businessId = (await createBusiness(h.db)).business.id;
    const merchant = await createUser(h.db, {
      memberships: [{ businessId, role: 'merchant' }],
      label,
    });
    const operator = await createUser(h.db, { operator: true, label: `${label}-op` });
    made = { redis, businessId, merchant, operator, merchantToken: await merchant.idToken() };
  });
  afterAll(() => made?.redis.disconnect());
  const current = () => {
    if (!made) throw new Error('the rows setup is used before beforeAll made it');
    return made;
  };
  return {
    get redis() {
      return current().redis;
    },
    get businessId() {
      return current().businessId;
    },
    get merchant() {
      return current().merchant;
    },
    get operator() {
      return current().operator;
    },
    get merchantToken() {
      return current().merchantToken;
    },
    /** Asks diagnose about `value`, as the operator unless `who` is given. */
    ask: async (value: string, tool?: string, who?: TestUser) =>
      diagnoseOver(h.server.baseUrl, await (who ?? current().operator).idToken(), value, tool),
  };
}
