// Amounts and times as the business reads them: integer cents in its
// currency, instants in its time zone.
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
export const str = (value: unknown, fallback = ''): string =>
  typeof value === 'string' ? value : fallback;
export const list = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter(isRecord) : [];

/** Cents as money of `currency` (USD when unknown). */
export function money(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
  } catch {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(
      cents / 100,
    );
  }
}

/** An ISO instant as a short local date-time of `timeZone`. */
export function dateTime(iso: string, timeZone: string | undefined): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }
}

/** A local day (YYYY-MM-DD) as a short date, read as the calendar day it names. */
export function day(isoDate: string, style: 'short' | 'long' = 'short'): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(undefined, {
    timeZone: 'UTC',
    ...(style === 'long'
      ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }
      : { day: 'numeric', month: 'short' }),
  }).format(date);
}

export const shortId = (id: string) => id.slice(0, 8);
