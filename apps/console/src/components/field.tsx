// Form fields with their label, their error (announced with the field) or
// hint, and a form-level error: the same markup on every form.
import { useId, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';

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

/** A form's onSubmit that stays on the page (no browser submit) and does `act`. */
export const onSubmitted =
  (act: () => void) =>
  (event: FormEvent): void => {
    event.preventDefault();
    act();
  };

/** An error about the whole form (e.g. the server refused it), shown above its fields. */
export function FormError({ error }: { error?: string | null | undefined }) {
  if (!error) return null;
  return (
    <p className="alert alert-error" role="alert">
      {error}
    </p>
  );
}

export interface Choice<Value extends string> {
  value: Value;
  label: string;
  title?: string;
}

/** A labelled select of choices; `className` replaces the "field" wrapper (e.g. in the top bar). */
export function SelectField<Value extends string>({
  id,
  label,
  value,
  choices,
  onChange,
  className = 'field',
  describedBy,
  children,
}: {
  id: string;
  label: string;
  value: Value;
  choices: readonly Choice<NoInfer<Value>>[];
  onChange(value: NoInfer<Value>): void;
  className?: string;
  describedBy?: string;
  /** Shown under the select (a hint). */
  children?: ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as Value)}
        aria-describedby={describedBy}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value} title={c.title}>
            {c.label}
          </option>
        ))}
      </select>
      {children}
    </div>
  );
}

/** A checkbox with its label and, below it, what it means (`name`/`value`: as a form sends it). */
export function CheckboxField({
  label,
  hint,
  checked,
  onChange,
  name,
  value,
  disabled,
}: {
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange(checked: boolean): void;
  name?: string;
  value?: string;
  disabled?: boolean | undefined;
}) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        name={name}
        value={value}
        disabled={disabled}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span className="checkbox-text">
        {label}
        {hint && <span className="muted small">{hint}</span>}
      </span>
    </label>
  );
}

/** `set` with `item` in it (`on`) or out of it: what a ticked or unticked checkbox makes. */
export function withItem<T>(set: ReadonlySet<T>, item: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
}

/** A group of fields under a legend, with the group's error announced with it. */
export function FieldGroup({
  legend,
  error,
  children,
}: {
  legend: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}) {
  const errorId = useId();
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {children}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
