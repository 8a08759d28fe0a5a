// Diagnose over real HTTP: tRPC `diagnose.run` as the console calls it, and
// what the symptom-row files start from.
import { expect } from 'vitest';
import type { Diagnosis, DiagnoseResult } from '@flowpos/core';
import type { TestUser } from '../support/fixtures.ts';
import { trpc } from '../support/oauth-browser.ts';
import { useSymptomSetup } from '../support/symptom-setup.ts';

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
 * What the symptom-row files start from (the symptom setup: a business with
 * a merchant, an operator who asks diagnose, Redis), and `ask`.
 */
export function useRowsSetup(name: string) {
  const { h, valid } = useSymptomSetup(name);
  const rows = {
    get redis() {
      return valid().redis;
    },
    get businessId() {
      return valid().businessId;
    },
    get merchant() {
      return valid().merchant;
    },
    get operator() {
      return valid().operator;
    },
    get merchantToken() {
      return valid().merchantToken;
    },
    /** Asks diagnose about `value`, as the operator unless `who` is given. */
    ask: async (value: string, tool?: string, who?: TestUser) =>
      diagnoseOver(h.server.baseUrl, await (who ?? valid().operator).idToken(), value, tool),
  };
  return { h, rows };
}
