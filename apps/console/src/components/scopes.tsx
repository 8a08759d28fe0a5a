// Scopes as chips (in tables) and as a group of checkboxes, each with its
// description (to create a key, edit its scopes, preview tools, consent).
import { useId, type ReactNode } from 'react';

export function ScopeCheckboxes<Scope extends string>({
  legend,
  scopes,
  describe,
  disabled,
  checked,
  onChange,
  error,
}: {
  legend: string;
  scopes: readonly Scope[];
  describe(scope: Scope): ReactNode;
  disabled?(scope: Scope): boolean;
  checked: ReadonlySet<Scope>;
  onChange(next: Set<Scope>): void;
  error?: string | undefined;
}) {
  const errorId = useId();
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      <div className="checkbox-list">
        {scopes.map((scope) => (
          <label key={scope} className="checkbox">
            <input
              type="checkbox"
              name="scopes"
              value={scope}
              disabled={disabled?.(scope)}
              checked={checked.has(scope)}
              onChange={(e) => {
                const next = new Set(checked);
                if (e.target.checked) next.add(scope);
                else next.delete(scope);
                onChange(next);
              }}
            />
            <span className="checkbox-text">
              <code>{scope}</code>
              <span className="muted small">{describe(scope)}</span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Scopes as small chips. */
export function ScopeChips({ scopes }: { scopes: readonly string[] }) {
  return (
    <span className="scope-list">
      {scopes.map((s) => (
        <span key={s} className="scope">
          {s}
        </span>
      ))}
    </span>
  );
}
