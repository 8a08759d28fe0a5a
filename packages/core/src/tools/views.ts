// The tools' views (MCP Apps): which tool renders with which single-file HTML
// view, and how that view is announced. The HTML itself is built by
// @flowpos/views and handed to the server by the process that serves it.
export const VIEW_NAMES = ['sales-summary', 'end-of-day', 'approvals'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** The MCP Apps resource type of a view (ext-apps' RESOURCE_MIME_TYPE). */
export const VIEW_MIME_TYPE = 'text/html;profile=mcp-app';

export const viewUri = (name: ViewName): string => `ui://flowpos/${name}.html`;

/** Each view's built HTML, read once at start. */
export type ViewHtml = Readonly<Record<ViewName, string>>;

/**
 * A view tool's `_meta`: `ui.resourceUri`, and the older flat key that hosts
 * of the first Apps drafts read. Clients without Apps ignore both.
 */
export function viewToolMeta(name: ViewName): Record<string, unknown> {
  const uri = viewUri(name);
  return { ui: { resourceUri: uri }, 'ui/resourceUri': uri };
}

/**
 * The `_meta` of a view's resources/read content: no `csp` domains at all, so
 * hosts apply deny-all (the views make no network calls), and a border.
 */
export const VIEW_CONTENT_META = {
  ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true },
} as const;
