// The end_of_day_report view: the day's close (sales net of refunds by hour,
// refunds, payment mix when recorded, low stock, intents still pending).
import { day, isRecord, list, num, str } from './shared/format.ts';
import { intentRow } from './shared/intent-rows.ts';
import { chart, topProducts, totals } from './shared/sales-parts.ts';
import { el, startView } from './shared/view-app.ts';

startView('end-of-day', (data, app) => {
  const business = isRecord(data.business) ? data.business : {};
  const sales = isRecord(data.sales) ? data.sales : {};
  const currency = str(business.currency, 'USD');
  const timeZone = str(business.timeZone, 'UTC');
  const lowStock = isRecord(data.lowStock) ? data.lowStock : {};
  const products = list(lowStock.products);
  const pending = isRecord(data.pendingIntents) ? data.pendingIntents : null;
  return el(
    'article',
    { class: 'card' },
    el(
      'header',
      {},
      el('h1', {}, `Close of ${day(str(data.date), 'long')}`),
      el('p', { class: 'muted' }, `${str(business.name)} · ${timeZone} · ${currency}`),
    ),
    totals(sales, currency),
    chart(sales, currency),
    topProducts(sales),
    el(
      'section',
      { 'aria-label': 'Payment mix' },
      el('h2', {}, 'Payment mix'),
      data.paymentMix
        ? el('p', {}, JSON.stringify(data.paymentMix))
        : el('p', { class: 'muted' }, 'Not recorded: sales carry no payment method.'),
    ),
    el(
      'section',
      { 'aria-label': 'Low stock' },
      el('h2', {}, `Low stock (≤ ${num(lowStock.threshold)})`),
      products.length === 0
        ? el('p', { class: 'muted' }, 'Nothing running low.')
        : el(
            'ul',
            { class: 'rows' },
            products.map((p) =>
              el(
                'li',
                {},
                el('span', {}, `${str(p.name)} `, el('span', { class: 'muted small' }, str(p.sku))),
                el('strong', {}, String(num(p.stock))),
              ),
            ),
          ),
    ),
    pending
      ? el(
          'section',
          { 'aria-label': 'Pending intents' },
          el('h2', {}, `Pending intents (${num(pending.count)})`),
          list(pending.intents).length === 0
            ? el('p', { class: 'muted' }, 'Nothing waiting.')
            : el(
                'ul',
                { class: 'intents' },
                list(pending.intents).map((i) => intentRow(i, app, timeZone)),
              ),
        )
      : null,
  );
});
