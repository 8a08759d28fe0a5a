'use client';
// A credential's tool policy as a form field: all tools its rights allow,
// read-only tools, or only the tools ticked (the catalog comes from the
// server: toolPolicies.catalog). Used when a key is created and on a key's or
// connected app's page.
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ToolPolicy, ToolPolicyKind } from '@flowpos/core/schemas';
import { CheckboxField, FieldGroup, withItem } from '@/components/field';
import { POLICY_LABELS } from '@/lib/tool-policy-text';
import { useTRPC } from '@/lib/trpc';

const KINDS: ToolPolicyKind[] = ['all', 'read_only', 'tools'];

/** The field's state: the kind chosen and the tools ticked (kept while another kind is chosen). */
export function useToolPolicy(initial: ToolPolicy = { kind: 'all' }) {
  const [kind, setKind] = useState<ToolPolicyKind>(initial.kind);
  const [tools, setTools] = useState<Set<string>>(
    () => new Set(initial.kind === 'tools' ? initial.tools : []),
  );
  const policy: ToolPolicy = kind === 'tools' ? { kind, tools: [...tools] } : { kind };
  return { kind, setKind, tools, setTools, policy };
}

export type ToolPolicyState = ReturnType<typeof useToolPolicy>;

export function ToolPolicyFields({
  state,
  error,
  legend = 'Tools this credential may use',
}: {
  state: ToolPolicyState;
  error?: string | undefined;
  legend?: string;
}) {
  const trpc = useTRPC();
  const catalog = useQuery(trpc.toolPolicies.catalog.queryOptions());
  const name = useId();
  return (
    <FieldGroup legend={legend} error={error}>
      <div className="radio-options">
        {KINDS.map((kind) => (
          <label key={kind}>
            <input
              type="radio"
              name={name}
              value={kind}
              checked={state.kind === kind}
              onChange={() => state.setKind(kind)}
            />
            {POLICY_LABELS[kind]}
          </label>
        ))}
      </div>
      <p className="field-hint">
        {state.kind === 'read_only'
          ? 'Only tools that change nothing (marked read-only): no sale or refund intents, no cancelling.'
          : state.kind === 'tools'
            ? 'Only the tools ticked below, and of those only what its role and scopes allow.'
            : 'Every tool its role and scopes allow, including tools added later.'}
      </p>
      {state.kind === 'tools' && (
        <div className="checkbox-list" role="group" aria-label="Tools">
          {catalog.isPending && <p className="muted">Loading tools…</p>}
          {catalog.isError && <p className="field-error">Cannot load the tools.</p>}
          {catalog.data?.map((tool) => (
            <CheckboxField
              key={tool.name}
              name="tools"
              value={tool.name}
              label={<code>{tool.name}</code>}
              hint={`${tool.title}${tool.readOnly ? ' · read-only' : ''}`}
              checked={state.tools.has(tool.name)}
              onChange={(on) => state.setTools(withItem(state.tools, tool.name, on))}
            />
          ))}
        </div>
      )}
    </FieldGroup>
  );
}
