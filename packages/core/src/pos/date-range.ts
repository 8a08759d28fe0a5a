// What `from` and `to` mean in every tool: strict ISO 8601, read in the
// business's time zone. A date alone is a whole local day (`to` included), a
// date-time without offset is local wall time, one with an offset is exact.
// Time zone arithmetic (DST included) is Temporal's, not ours.
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { badRequest } from '../errors.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

export const DATE_HELP =
  'an ISO 8601 date (2026-11-29) or date-time (2026-11-29T09:00, 2026-11-29T17:00:00Z)';

function isIsoDateOrDateTime(value: string): boolean {
  try {
    if (DATE.test(value)) Temporal.PlainDate.from(value, { overflow: 'reject' });
    else if (!DATE_TIME.test(value)) return false;
    else if (OFFSET.test(value)) Temporal.Instant.from(value);
    else Temporal.PlainDateTime.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/** A tool's date argument: refused with one clear line unless strict ISO 8601. */
export const isoDate = z
  .string()
  .refine(isIsoDateOrDateTime, { error: (issue) => `${String(issue.input)} is not ${DATE_HELP}` });

export function isValidTimeZone(timeZone: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Half-open instant range: placedAt >= gte and placedAt < lt. */
export interface InstantRange {
  gte?: Date;
  lt?: Date;
}

function startOfDay(date: string, timeZone: string): Temporal.Instant {
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).toInstant();
}

function instant(value: string, timeZone: string): Temporal.Instant {
  if (OFFSET.test(value)) return Temporal.Instant.from(value);
  return Temporal.PlainDateTime.from(value).toZonedDateTime(timeZone).toInstant();
}

const toDate = (i: Temporal.Instant) => new Date(i.epochMilliseconds);

/**
 * Resolves validated `from`/`to` strings in `timeZone`. `to` is inclusive: a
 * date covers its whole day, a date-time its millisecond.
 */
export function resolveRange(
  input: { from?: string | undefined; to?: string | undefined },
  timeZone: string,
  maxDays?: number,
): InstantRange {
  for (const value of [input.from, input.to]) {
    if (value !== undefined && !isIsoDateOrDateTime(value))
      throw badRequest(`${value} is not ${DATE_HELP}`);
  }
  const from =
    input.from === undefined
      ? undefined
      : DATE.test(input.from)
        ? startOfDay(input.from, timeZone)
        : instant(input.from, timeZone);
  const to =
    input.to === undefined
      ? undefined
      : DATE.test(input.to)
        ? startOfDay(Temporal.PlainDate.from(input.to).add({ days: 1 }).toString(), timeZone)
        : instant(input.to, timeZone).add({ milliseconds: 1 });
  if (from && to && Temporal.Instant.compare(from, to) >= 0)
    throw badRequest('`to` is before `from`: give a range with from <= to');
  if (from && to && maxDays !== undefined && to.since(from).total('hours') > maxDays * 24 + 1)
    throw badRequest(`The date range is at most ${maxDays} days`);
  return { ...(from ? { gte: toDate(from) } : {}), ...(to ? { lt: toDate(to) } : {}) };
}

/** An instant as wall time in the business's zone, e.g. 2026-11-29T09:00:00-08:00. */
export function localIso(date: Date, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(date.getTime())
    .toZonedDateTimeISO(timeZone)
    .toString({ timeZoneName: 'never', smallestUnit: 'second' });
}
