// Scopes as chips (in tables) and as a group of checkboxes, each with its
// description (to create a key, edit its scopes, preview tools, consent).
import type { ReactNode } from 'react';
import { CheckboxField, FieldGroup, withItem } from '@/components/field';

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
  return (
    <FieldGroup legend={legend} error={error}>
      <div className="checkbox-list">
        {scopes.map((scope) => (
          <CheckboxField
            key={scope}
            name="scopes"
            value={scope}
            label={<code>{scope}</code>}
            hint={describe(scope)}
            disabled={disabled?.(scope)}
            checked={checked.has(scope)}
            onChange={(on) => onChange(withItem(checked, scope, on))}
          />
        ))}
      </div>
    </FieldGroup>
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
