// What every view shares: it connects to the host (ext-apps' App over
// postMessage), follows the host's theme, and renders the tool result's
// structuredContent, and nothing else: no network calls, no other input.
import { App, applyDocumentTheme, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import './style.css';

export type Render = (data: Record<string, unknown>, app: App) => Node;

function applyTheme(context: McpUiHostContext | undefined) {
  if (context?.theme) applyDocumentTheme(context.theme);
}

/** Starts the view: `render` turns each tool result's structuredContent into the page. */
export function startView(name: string, render: Render): App {
  const root = document.getElementById('view');
  if (!root) throw new Error('the view has no #view element');
  const app = new App({ name: `flowpos-${name}`, version: '1.0.0' });
  // Handlers first: the host may send the result as soon as the view is connected.
  app.ontoolresult = (result) => {
    const data = result.structuredContent as Record<string, unknown> | undefined;
    if (result.isError || !data) {
      root.replaceChildren(el('p', { class: 'muted' }, 'No data to show.'));
      return;
    }
    root.replaceChildren(render(data, app));
  };
  app.onhostcontextchanged = applyTheme;
  void app.connect().then(() => applyTheme(app.getHostContext()));
  return app;
}

type Child = Node | string | number | null | undefined | false;

/** A DOM element with attributes and children (text is always text, never HTML). */
export function el(
  tag: string,
  attributes: Record<string, string> = {},
  ...children: (Child | Child[])[]
): HTMLElement {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'object' ? child : String(child));
  }
  return node;
}
