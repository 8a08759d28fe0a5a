// Form fields with their label, their error (announced with the field) or
// hint, and a form-level error: the same markup on every form.
import type { InputHTMLAttributes, ReactNode } from 'react';

export function TextField({
  id,
  label,
  error,
  hint,
  ...input
}: {
  id: string;
  label: string;
  error?: string | null | undefined;
  hint?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : hint ? hintId : undefined}
        {...input}
      />
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : (
        hint && (
          <span id={hintId} className="field-hint">
            {hint}
          </span>
        )
      )}
    </div>
  );
}

/** An error about the whole form (e.g. the server refused it), shown above its fields. */
export function FormError({ error }: { error?: string | null | undefined }) {
  if (!error) return null;
  return (
    <p className="alert alert-error" role="alert">
      {error}
    </p>
  );
}
