// Dates and small labels, formatted the same way on every page.
// Types only: the shell must not load the schemas (and zod) on every page.
import type { Role } from '@flowpos/core/schemas';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});
const timeOnly = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

type DateLike = Date | string | number | null | undefined;

function toDate(value: DateLike): Date | null {
  if (value === null || value === undefined) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDateTime(value: DateLike, fallback = '—'): string {
  const d = toDate(value);
  return d ? dateTime.format(d) : fallback;
}

export function formatDate(value: DateLike, fallback = '—'): string {
  const d = toDate(value);
  return d ? dateOnly.format(d) : fallback;
}

export function formatTime(value: DateLike, fallback = '—'): string {
  const d = toDate(value);
  return d ? timeOnly.format(d) : fallback;
}

export function formatRelative(value: DateLike, now = Date.now(), fallback = '—'): string {
  const d = toDate(value);
  if (!d) return fallback;
  const seconds = Math.round((now - d.getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return formatDate(d);
}

/** One label per role core knows (the type makes a missing role a compile error), in order of power. */
export const ROLE_LABELS: Record<Role, string> = {
  merchant: 'Merchant',
  tenant_developer: 'Tenant developer',
  platform_operator: 'Platform operator',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}

/** The roles as choices of a select, in their order of power. */
export const ROLE_CHOICES = (Object.keys(ROLE_LABELS) as Role[]).map((value) => ({
  value,
  label: ROLE_LABELS[value],
}));

export function formatCents(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}
