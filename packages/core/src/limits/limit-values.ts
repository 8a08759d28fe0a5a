// The four per-credential limits a merchant sets: calls per minute and three
// daily caps on money-moving tools. A business holds the defaults of its keys
// and connected apps; a key or a grant may override each one. Null means "not
// set here": the override falls back to the business default, the default to
// the server's configured per-credential limit (calls) or to no cap (caps).
import { z } from 'zod';

export const LIMIT_FIELDS = [
  'callsPerMinute',
  'saleIntentsPerDay',
  'refundIntentsPerDay',
  'refundCentsPerDay',
] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];
export type LimitValues = Record<LimitField, number | null>;

export const NO_LIMITS: LimitValues = {
  callsPerMinute: null,
  saleIntentsPerDay: null,
  refundIntentsPerDay: null,
  refundCentsPerDay: null,
};

/** The Prisma select of the four columns (same names on business, api_key, oauth_grant). */
export const LIMIT_SELECT = {
  callsPerMinute: true,
  saleIntentsPerDay: true,
  refundIntentsPerDay: true,
  refundCentsPerDay: true,
} as const;

/** A cap of 0 refuses every proposal of its kind; calls per minute start at 1. */
const cap = z.number().int().min(0).max(1_000_000_000).nullable();
export const limitValuesInput = z.object({
  callsPerMinute: z.number().int().min(1).max(1_000_000).nullable(),
  saleIntentsPerDay: cap,
  refundIntentsPerDay: cap,
  refundCentsPerDay: cap,
});

export function pickLimits(row: LimitValues): LimitValues {
  return {
    callsPerMinute: row.callsPerMinute,
    saleIntentsPerDay: row.saleIntentsPerDay,
    refundIntentsPerDay: row.refundIntentsPerDay,
    refundCentsPerDay: row.refundCentsPerDay,
  };
}

/** Each limit: the credential's own when set, else the business default. */
export function effectiveLimits(override: LimitValues, defaults: LimitValues): LimitValues {
  return {
    callsPerMinute: override.callsPerMinute ?? defaults.callsPerMinute,
    saleIntentsPerDay: override.saleIntentsPerDay ?? defaults.saleIntentsPerDay,
    refundIntentsPerDay: override.refundIntentsPerDay ?? defaults.refundIntentsPerDay,
    refundCentsPerDay: override.refundCentsPerDay ?? defaults.refundCentsPerDay,
  };
}
