// Audit times in one stated zone (the business's, or UTC across businesses),
// not the browser's, so what the page shows matches the date filters and the
// export's day boundaries.
const formats = new Map<string, Intl.DateTimeFormat>();

export function formatInZone(value: Date | string, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZone,
    });
    formats.set(timeZone, format);
  }
  return format.format(new Date(value));
}
