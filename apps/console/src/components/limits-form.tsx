'use client';
// The four per-credential limits as a form: calls per minute and the daily
// caps on proposals. Empty means "not set here" (a key falls back to the
// business default, a default to the server's limit or to no cap).
import { useState, type FormEvent } from 'react';
import { TextField } from '@/components/field';

export type LimitField =
  'callsPerMinute' | 'saleIntentsPerDay' | 'refundIntentsPerDay' | 'refundCentsPerDay';
export type LimitValues = Record<LimitField, number | null>;

export const LIMIT_LABELS: Record<LimitField, string> = {
  callsPerMinute: 'Calls per minute',
  saleIntentsPerDay: 'Sale intents per day',
  refundIntentsPerDay: 'Refund intents per day',
  refundCentsPerDay: 'Refund amount per day (cents)',
};
const FIELDS = Object.keys(LIMIT_LABELS) as LimitField[];

const asText = (v: number | null) => (v === null ? '' : String(v));

export function LimitsForm({
  idPrefix,
  initial,
  fallback,
  canEdit,
  saving,
  submitLabel,
  onSave,
}: {
  idPrefix: string;
  initial: LimitValues;
  /** What applies when a field is empty, shown as its hint. */
  fallback: (field: LimitField) => string;
  canEdit: boolean;
  saving: boolean;
  submitLabel: string;
  onSave: (values: LimitValues) => void;
}) {
  const [text, setText] = useState(
    () =>
      Object.fromEntries(FIELDS.map((f) => [f, asText(initial[f])])) as Record<LimitField, string>,
  );
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const values = {} as LimitValues;
    for (const field of FIELDS) {
      const raw = text[field].trim();
      if (raw === '') values[field] = null;
      else if (/^\d+$/.test(raw)) values[field] = Number(raw);
      else return setError(`${LIMIT_LABELS[field]}: a whole number, or empty`);
    }
    setError(null);
    onSave(values);
  };
  return (
    <form onSubmit={onSubmit} className="panel" style={{ maxWidth: 560 }}>
      {FIELDS.map((field) => (
        <TextField
          key={field}
          id={`${idPrefix}-${field}`}
          label={LIMIT_LABELS[field]}
          inputMode="numeric"
          value={text[field]}
          disabled={!canEdit}
          onChange={(e) => setText({ ...text, [field]: e.target.value })}
          hint={`Empty: ${fallback(field)}`}
        />
      ))}
      {error && <p className="field-error">{error}</p>}
      {canEdit && (
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : submitLabel}
        </button>
      )}
    </form>
  );
}
