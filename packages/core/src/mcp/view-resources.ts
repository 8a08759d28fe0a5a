// The views (MCP Apps) as ui:// resources. A view is offered while the
// principal sees a tool that renders with it, and each read checks the
// current tool set again: a session whose rights shrank reads nothing.
import { ResourceNotFoundError, type McpServer } from '@modelcontextprotocol/server';
import {
  VIEW_CONTENT_META,
  VIEW_MIME_TYPE,
  VIEW_NAMES,
  viewUri,
  type ViewHtml,
  type ViewName,
} from '../tools/views.ts';

const TITLES: Record<ViewName, string> = {
  'sales-summary': 'Sales summary view',
  'end-of-day': 'End-of-day report view',
  approvals: 'Approvals card',
};

export interface ViewResources {
  /** Keeps exactly the views of `tools` (the tools now registered) listed. */
  sync(tools: readonly { view?: ViewName | undefined }[]): void;
}

/**
 * Registers every view once (the SDK installs the resources handlers on the
 * first registration), then lists only those `visibleViews` allows.
 */
export function registerViewResources(
  server: McpServer,
  html: ViewHtml,
  visibleViews: () => ReadonlySet<ViewName>,
): ViewResources {
  const handles = new Map<ViewName, { remove(): void }>();
  const register = (name: ViewName) => {
    const uri = viewUri(name);
    const handle = server.registerResource(
      `view_${name.replaceAll('-', '_')}`,
      uri,
      { title: TITLES[name], mimeType: VIEW_MIME_TYPE },
      (url) => {
        if (!visibleViews().has(name)) throw new ResourceNotFoundError(url.href);
        return {
          contents: [{ uri, mimeType: VIEW_MIME_TYPE, text: html[name], _meta: VIEW_CONTENT_META }],
        };
      },
    );
    handles.set(name, handle);
  };
  const sync = (tools: readonly { view?: ViewName | undefined }[]) => {
    const wanted = new Set(tools.flatMap((t) => (t.view ? [t.view] : [])));
    for (const [name, handle] of handles) {
      if (!wanted.has(name)) {
        handle.remove();
        handles.delete(name);
      }
    }
    for (const name of VIEW_NAMES) if (wanted.has(name) && !handles.has(name)) register(name);
  };
  for (const name of VIEW_NAMES) register(name);
  return { sync };
}
