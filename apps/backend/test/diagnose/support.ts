// Diagnose over real HTTP: tRPC `diagnose.run` as the console calls it.
import { expect } from 'vitest';
import type { Diagnosis, DiagnoseResult } from '@flowpos/core';
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
