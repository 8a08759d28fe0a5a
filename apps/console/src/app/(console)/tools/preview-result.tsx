// What the tools preview computed: the principal, then the visible tools
// (with their input schema) and the hidden ones (with the reason).
import type { ReactNode } from 'react';
import { ScopeChips } from '@/components/scopes';
import { Empty } from '@/components/states';
import { roleLabel } from '@/lib/format';
import { policySummary } from '@/lib/tool-policy-text';
import type { RouterOutputs } from '@/lib/trpc';

type Preview = RouterOutputs['tools']['preview'];
type Tool = Preview['tools'][number];

export function PreviewResult({ preview }: { preview: Preview }) {
  const { principal, tools } = preview;
  return (
    <>
      <div className="panel">
        <h2>Principal</h2>
        <dl className="facts principal-summary" style={{ marginTop: 10 }}>
          <dt>Role</dt>
          <dd>{roleLabel(principal.role)}</dd>
          <dt>Scopes</dt>
          <dd>
            {principal.scopes.length === 0 ? (
              <span className="muted">none</span>
            ) : (
              <ScopeChips scopes={principal.scopes} />
            )}
          </dd>
          <dt>Businesses</dt>
          <dd>{principal.authorizedBusinessCount}</dd>
          <dt>Tool policy</dt>
          <dd>{policySummary(principal.toolPolicy)}</dd>
        </dl>
      </div>
      <ToolList
        kind="visible"
        tools={tools.filter((t) => t.visible)}
        empty={<Empty title="No tools">This principal would get an empty tools/list.</Empty>}
      />
      <ToolList
        kind="hidden"
        tools={tools.filter((t) => !t.visible)}
        empty={<Empty title="Nothing hidden">This principal sees every tool.</Empty>}
      />
    </>
  );
}

function ToolList({
  kind,
  tools,
  empty,
}: {
  kind: 'visible' | 'hidden';
  tools: Tool[];
  empty: ReactNode;
}) {
  const titleId = `${kind}-tools-title`;
  return (
    <section className="section">
      <h2 id={titleId}>
        {kind === 'visible' ? 'Visible' : 'Hidden'} tools ({tools.length})
      </h2>
      {tools.length === 0 ? (
        empty
      ) : (
        <ul className="tool-list" aria-labelledby={titleId} data-testid={`${kind}-tools`}>
          {tools.map((tool) => (
            <li key={tool.name} className={kind === 'visible' ? 'tool' : 'tool tool-hidden'}>
              <div className="tool-head">
                <span className="tool-name">{tool.name}</span>
                {kind === 'visible' ? (
                  <span className="muted small">{tool.title}</span>
                ) : (
                  <span className="reason">{tool.reason}</span>
                )}
              </div>
              <p className="tool-description">{tool.description}</p>
              {kind === 'visible' && (
                <details>
                  <summary>Input schema</summary>
                  <pre>{JSON.stringify(tool.inputSchema, null, 2)}</pre>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
