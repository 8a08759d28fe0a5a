// Arguments and wording several tools share, so that each is said once.
import { z } from 'zod';

/** A list tool's optional page size: 1 to `max`, as `what` says (with its default). */
export const limitArg = (max: number, what: string) =>
  z.number().int().min(1).max(max).optional().describe(what);

// Said the same way in every tool that takes dates (the rule is date-range.ts).
export const DATES_RULE =
  "Dates are strict ISO 8601 read in the business's time zone (whoami shows it): a date alone (2026-11-29) means that whole local day and `to` is included, so one day's orders are from=to=2026-11-29; a date-time without offset (2026-11-29T09:00) is local time, one with an offset (2026-11-29T17:00:00Z) is exact. Other formats (11/29/2026) and `to` before `from` are refused.";
