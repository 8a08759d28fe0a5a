// The icons clients show beside the server and its tools (MCP `icons`). Small
// SVGs sent as data: URIs, so showing them needs no request to anyone: no
// host to trust, nothing to fetch, nothing that tracks who looked. One colour
// that reads on light and dark backgrounds, so no `theme` variants. No
// scripts, styles or links in them: clients that render SVG should not have to
// sanitize ours.
import type { Icon } from '@modelcontextprotocol/server';

const svg = (body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#0d9488" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

/** The SVG sources, by icon name (the server's own is `flowpos`). */
export const ICON_SVGS = {
  // A shop front with its awning: the server.
  flowpos: svg(
    '<path d="M3 9l1.5-5h15L21 9"/><path d="M3 9a3 3 0 0 0 6 0a3 3 0 0 0 6 0a3 3 0 0 0 6 0"/><path d="M5 12v8h14v-8"/><path d="M10 20v-5h4v5"/>',
  ),
  // A person: who the caller is, which business it acts for.
  account: svg('<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>'),
  // A box: products.
  product: svg(
    '<path d="M3 7l9-4 9 4v10l-9 4-9-4z"/><path d="M3 7l9 4 9-4"/><path d="M12 11v10"/>',
  ),
  // A receipt: orders.
  order: svg('<path d="M6 3h12v18l-3-2-3 2-3-2-3 2z"/><path d="M9 8h6"/><path d="M9 12h6"/>'),
  // A bar chart: sales figures.
  sales: svg('<path d="M4 20h16"/><path d="M7 16v-5"/><path d="M12 16V7"/><path d="M17 16v-8"/>'),
  // A clipboard with a tick: intents awaiting a merchant's decision.
  intent: svg(
    '<rect x="5" y="4" width="14" height="17" rx="2"/><path d="M9 4V3h6v1"/><path d="M9 13l2 2 4-4"/>',
  ),
  // A shield: platform operators' tools.
  operator: svg('<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/>'),
} as const;

export type IconName = keyof typeof ICON_SVGS;

const asIcons = (name: IconName): Icon[] => [
  {
    src: `data:image/svg+xml;base64,${Buffer.from(ICON_SVGS[name]).toString('base64')}`,
    mimeType: 'image/svg+xml',
    sizes: ['any'],
  },
];

/** Built once: the same arrays go into every tools/list. */
export const ICONS = Object.fromEntries(
  Object.keys(ICON_SVGS).map((name) => [name, asIcons(name as IconName)]),
) as Record<IconName, Icon[]>;
