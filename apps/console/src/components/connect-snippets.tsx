'use client';
// How to connect an MCP client to this deployment: the MCP URL and a ready
// snippet for Claude (Code, Desktop), ChatGPT, Cursor and VS Code. With a new
// key's secret the snippets send it as a Bearer header; without one they rely
// on OAuth (the client opens the console to sign in and allow it).
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTRPC } from '@/lib/trpc';

type Client = 'claude-code' | 'claude-desktop' | 'chatgpt' | 'cursor' | 'vscode';

const CLIENTS: { id: Client; label: string }[] = [
  { id: 'claude-code', label: 'Claude Code' },
  { id: 'claude-desktop', label: 'Claude Desktop' },
  { id: 'chatgpt', label: 'ChatGPT' },
  { id: 'cursor', label: 'Cursor' },
  { id: 'vscode', label: 'VS Code' },
];

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * What to do and what to paste, per client. The key itself goes only into a
 * command (Claude Code keeps it in the user's own config); files that may be
 * shared or committed (.vscode/mcp.json, .cursor/mcp.json) read it from a
 * password prompt or the environment instead.
 */
export function snippetFor(
  client: Client,
  mcpUrl: string,
  apiKey?: string,
): { steps: string; code: string } {
  switch (client) {
    case 'claude-code':
      return {
        steps: 'Run in a terminal:',
        code: apiKey
          ? `claude mcp add --transport http flowpos ${mcpUrl} --header "Authorization: Bearer ${apiKey}"`
          : `claude mcp add --transport http flowpos ${mcpUrl}`,
      };
    case 'claude-desktop':
      // Claude Desktop takes remote servers from Connectors (OAuth), not from its config file.
      return {
        steps: `Settings → Connectors → Add custom connector: a name and this URL, then Connect, sign in and allow it${apiKey ? ' (Connectors use OAuth, not API keys)' : ''}:`,
        code: mcpUrl,
      };
    case 'chatgpt':
      return {
        steps: `Settings → Apps → Advanced settings → Developer mode; then Create app with this URL and Authentication OAuth, and sign in${apiKey ? ' (ChatGPT does not use API keys)' : ''}:`,
        code: mcpUrl,
      };
    case 'cursor':
      return {
        steps: apiKey
          ? 'Add to ~/.cursor/mcp.json, and set FLOWPOS_MCP_KEY to the key in the environment Cursor starts from:'
          : 'Add to ~/.cursor/mcp.json (or .cursor/mcp.json in a project); Cursor signs in with OAuth:',
        code: json({
          mcpServers: {
            flowpos: {
              url: mcpUrl,
              ...(apiKey ? { headers: { Authorization: 'Bearer ${env:FLOWPOS_MCP_KEY}' } } : {}),
            },
          },
        }),
      };
    case 'vscode':
      return {
        steps: apiKey
          ? 'Add to .vscode/mcp.json; VS Code asks for the key once and keeps it in its secret storage:'
          : 'Add to .vscode/mcp.json (or run “MCP: Add Server…”); VS Code signs in with OAuth:',
        code: json({
          ...(apiKey
            ? {
                inputs: [
                  {
                    type: 'promptString',
                    id: 'flowpos-key',
                    description: 'FlowPOS API key',
                    password: true,
                  },
                ],
              }
            : {}),
          servers: {
            flowpos: {
              type: 'http',
              url: mcpUrl,
              ...(apiKey ? { headers: { Authorization: 'Bearer ${input:flowpos-key}' } } : {}),
            },
          },
        }),
      };
  }
}

/**
 * `collapsed`: the snippets open on demand (in the new key's dialog the secret
 * comes first); the MCP URL is always in view.
 */
export function ConnectSnippets({ apiKey, collapsed }: { apiKey?: string; collapsed?: boolean }) {
  const trpc = useTRPC();
  const info = useQuery(trpc.connect.info.queryOptions(undefined, { staleTime: Infinity }));
  const [client, setClient] = useState<Client>('claude-code');
  const [copied, setCopied] = useState(false);
  const id = useId();
  const mcpUrl = info.data?.mcpUrl;
  if (!mcpUrl) return null;
  const { steps, code } = snippetFor(client, mcpUrl, apiKey);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="connect-snippets" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Connect an MCP client</h3>
      <p>
        MCP URL: <code data-testid="mcp-url">{mcpUrl}</code>
      </p>
      <details open={!collapsed}>
        <summary>How to connect Claude, ChatGPT, Cursor or VS Code</summary>
        <div role="tablist" aria-label="MCP client" className="segmented">
          {CLIENTS.map((c) => (
            <button
              key={c.id}
              type="button"
              role="tab"
              id={`${id}-${c.id}`}
              aria-selected={client === c.id}
              aria-controls={`${id}-panel`}
              className={client === c.id ? 'active' : undefined}
              onClick={() => {
                setClient(c.id);
                setCopied(false);
              }}
            >
              {c.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${client}`}>
          <p className="small">{steps}</p>
          <pre className="snippet mono small" data-testid="connect-snippet">
            {code}
          </pre>
          <button type="button" className="button" onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy snippet'}
          </button>
        </div>
      </details>
    </section>
  );
}
