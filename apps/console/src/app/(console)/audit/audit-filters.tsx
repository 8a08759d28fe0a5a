'use client';
// The audit page's filters (kept in the URL by the page) and its download:
// the same filters, as CSV or JSON Lines, streamed by the backend to disk.
import { useState } from 'react';
import { FormError, onSubmitted, SelectField, TextField } from '@/components/field';
import { currentIdToken } from '@/lib/firebase';

export const FILTER_KEYS = ['action', 'actor', 'outcome', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Record<FilterKey, string>;

const OUTCOMES = [
  { value: '', label: 'Any outcome' },
  { value: 'success', label: 'Success' },
  { value: 'failure', label: 'Failure' },
  { value: 'denied', label: 'Denied' },
] as const;

export function AuditFilterForm({
  applied,
  onApply,
}: {
  applied: Filters;
  onApply(next: Filters): void;
}) {
  // A draft until "Apply", so typing does not query on every key.
  const [draft, setDraft] = useState<Filters>(applied);
  const field = (key: FilterKey) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }),
  });
  const empty: Filters = { action: '', actor: '', outcome: '', from: '', to: '' };
  return (
    <form
      className="filters audit-filters"
      onSubmit={onSubmitted(() => onApply(draft))}
      aria-label="Audit filters"
    >
      <TextField
        id="audit-action"
        label="Action"
        placeholder="key. or tool.called"
        {...field('action')}
      />
      <TextField id="audit-actor" label="Actor" placeholder="e-mail or id" {...field('actor')} />
      <SelectField
        id="audit-outcome"
        label="Outcome"
        value={draft.outcome as (typeof OUTCOMES)[number]['value']}
        choices={OUTCOMES}
        onChange={(outcome) => setDraft({ ...draft, outcome })}
      />
      <TextField id="audit-from" label="From" type="date" {...field('from')} />
      <TextField id="audit-to" label="To" type="date" {...field('to')} />
      <div className="filter-actions">
        <button type="submit" className="button primary">
          Apply filters
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDraft(empty);
            onApply(empty);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

/** Downloads through a one-minute ticket: a link cannot carry the ID token, and a Blob would hold every row. */
export function ExportButtons({ query }: { query: Record<string, string> }) {
  const [busy, setBusy] = useState<'csv' | 'jsonl' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (format: 'csv' | 'jsonl') => {
    setBusy(format);
    setError(null);
    try {
      const token = await currentIdToken();
      const res = await fetch('/audit/export/ticket', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ ...query, format }),
      });
      const body = (await res.json().catch(() => ({}))) as { url?: string; error?: string };
      if (!res.ok || !body.url) throw new Error(body.error ?? `The export failed (${res.status})`);
      const link = document.createElement('a');
      link.href = body.url;
      link.download = '';
      document.body.append(link);
      link.click();
      link.remove();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The export failed');
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="export-actions">
      <span className="muted small">Download these events:</span>
      <button
        type="button"
        className="button"
        disabled={busy !== null}
        onClick={() => void download('csv')}
      >
        {busy === 'csv' ? 'Preparing…' : 'CSV'}
      </button>
      <button
        type="button"
        className="button"
        disabled={busy !== null}
        onClick={() => void download('jsonl')}
      >
        {busy === 'jsonl' ? 'Preparing…' : 'JSON Lines'}
      </button>
      <FormError error={error} />
    </div>
  );
}
