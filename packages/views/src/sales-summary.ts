// The get_sales_summary view: totals net of refunds, the chart (by hour for
// one day, by day for a range) and the best sellers, in the business's
// currency and time zone.
import { day, str } from './shared/format.ts';
import { chart, topProducts, totals } from './shared/sales-parts.ts';
import { el, startView } from './shared/view-app.ts';

startView('sales-summary', (data) => {
  const currency = str(data.currency, 'USD');
  const from = str(data.from);
  const to = str(data.to);
  const period = from === to ? day(from.slice(0, 10), 'long') : `${from} → ${to}`;
  return el(
    'article',
    { class: 'card' },
    el(
      'header',
      {},
      el('h1', {}, 'Sales summary'),
      el('p', { class: 'muted' }, `${period} · ${str(data.timeZone, 'UTC')} · ${currency}`),
    ),
    totals(data, currency),
    chart(data, currency),
    topProducts(data),
  );
});
