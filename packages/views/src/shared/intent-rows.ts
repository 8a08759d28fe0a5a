// Intents as the approvals card and the day's close list them: amount, what
// it is (items, or the order it refunds), who proposed it, and a button that
// asks the host to open the intent's page in the console, where it is decided.
import type { App } from '@modelcontextprotocol/ext-apps';
import { dateTime, isRecord, money, num, shortId, str } from './format.ts';
import { el } from './view-app.ts';

function what(intent: Record<string, unknown>): string {
  const payload = isRecord(intent.payload) ? intent.payload : {};
  if (intent.kind === 'refund') {
    return `Refund of order ${shortId(str(intent.orderId ?? payload.orderId))}${payload.reason ? `: ${str(payload.reason)}` : ''}`;
  }
  const lines = Array.isArray(payload.lines) ? payload.lines.filter(isRecord) : [];
  return `Sale: ${lines.map((l) => `${num(l.quantity)} × ${str(l.name, str(l.sku))}`).join(', ')}`;
}

export function intentRow(
  intent: Record<string, unknown>,
  app: App,
  timeZone?: string,
): HTMLElement {
  const id = str(intent.id);
  const url = str(intent.consoleUrl);
  const proposer = isRecord(intent.proposedBy)
    ? str(intent.proposedBy.label)
    : str(intent.createdBy);
  const status = str(intent.status);
  const button = el(
    'button',
    { type: 'button', 'aria-label': `Open intent ${id} in the console` },
    'Open in console',
  );
  button.addEventListener('click', () => void app.openLink({ url }));
  return el(
    'li',
    { class: 'intent' },
    el(
      'div',
      { class: 'intent-head' },
      el(
        'strong',
        { class: 'amount' },
        money(num(intent.amountCents), str(intent.currency, 'USD')),
      ),
      el('span', { class: `badge ${status}` }, status),
    ),
    el('p', {}, what(intent)),
    el(
      'p',
      { class: 'muted small' },
      `Proposed by ${proposer} · ${dateTime(str(intent.createdAt), timeZone)} · ${shortId(id)}`,
    ),
    url ? button : null,
  );
}
