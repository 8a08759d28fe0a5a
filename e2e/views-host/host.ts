// A minimal MCP Apps host, as a chat client embeds a view: the view's HTML in
// a sandboxed iframe (srcdoc, scripts only, the CSP its resource declares),
// ext-apps' AppBridge over postMessage, then the tool's input and result.
// The test fetched the HTML and the result from the real backend; links the
// view asks to open are recorded, not followed.
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';

import type { Csp, HostPage } from './host-api.ts';

/** The policy a host derives from the resource's `_meta.ui.csp`: nothing beyond the listed domains. */
function policy(csp: Csp | undefined): string {
  const list = (domains: string[] | undefined) => (domains?.length ? domains.join(' ') : '');
  const resources = list(csp?.resourceDomains);
  return [
    "default-src 'none'",
    `script-src 'unsafe-inline' ${resources}`,
    `style-src 'unsafe-inline' ${resources}`,
    `img-src data: ${resources}`,
    `font-src data: ${resources}`,
    `connect-src ${list(csp?.connectDomains) || "'none'"}`,
  ].join('; ');
}

// The test drives the page through these two (host-api.ts).
const page = window as Window & typeof globalThis & HostPage;
page.openedLinks = [];
page.renderView = async ({ html, csp, theme, toolInput, toolResult }) => {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.title = 'MCP App view';
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(csp)}">`;
  iframe.srcdoc = html.replace(/<head>/i, `<head>${meta}`);
  document.body.replaceChildren(iframe);
  const window_ = iframe.contentWindow;
  if (!window_) throw new Error('the iframe has no window');
  const bridge = new AppBridge(
    null,
    { name: 'flowpos-views-test-host', version: '1.0.0' },
    { openLinks: {}, serverTools: {}, logging: {} },
    { hostContext: { theme, displayMode: 'inline', platform: 'web' } },
  );
  bridge.onopenlink = async ({ url }) => {
    page.openedLinks.push(url);
    return {};
  };
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  await bridge.connect(new PostMessageTransport(window_, window_));
  await initialized;
  await bridge.sendToolInput({ arguments: toolInput });
  await bridge.sendToolResult(toolResult as Parameters<AppBridge['sendToolResult']>[0]);
};
