// The pieces of a sales figure both the summary and the day's close show:
// totals net of refunds, the chart by hour or by day, the best sellers.
import { day, list, money, num, str } from './format.ts';
import { el } from './view-app.ts';

type Data = Record<string, unknown>;

const stat = (label: string, value: string, note?: string) =>
  el(
    'div',
    { class: 'stat' },
    el('span', { class: 'label' }, label),
    el('strong', {}, value),
    note ? el('span', { class: 'note' }, note) : null,
  );

/** Net revenue first, then orders, average, gross and refunds. */
export function totals(sales: Data, currency: string): HTMLElement {
  const refunded = num(sales.refundedCents);
  return el(
    'section',
    { class: 'stats', 'aria-label': 'Totals' },
    stat('Net sales', money(num(sales.revenueCents), currency), 'after refunds'),
    stat('Orders', String(num(sales.orderCount))),
    stat('Average order', money(num(sales.averageOrderCents), currency)),
    stat('Gross', money(num(sales.grossCents), currency)),
    stat(
      'Refunds',
      money(refunded, currency),
      `${num(sales.refundedOrderCount)} order${num(sales.refundedOrderCount) === 1 ? '' : 's'}`,
    ),
  );
}

/** Net sales per hour or day as SVG bars (no library, no network). */
export function chart(sales: Data, currency: string): HTMLElement {
  const data = sales.chart as Data | undefined;
  const points = list(data?.points);
  const byHour = data?.unit === 'hour';
  const title = byHour ? 'Net sales by hour' : 'Net sales by day';
  const section = el('section', { class: 'chart', 'aria-label': title }, el('h2', {}, title));
  if (points.length === 0) return section;
  const max = Math.max(1, ...points.map((p) => num(p.netCents)));
  const width = 360;
  const height = 120;
  const gap = points.length > 40 ? 0 : 1;
  const bar = width / points.length;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height + 16}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  points.forEach((p, i) => {
    const value = num(p.netCents);
    const h = Math.max(value > 0 ? 2 : 0, (value / max) * height);
    const rect = document.createElementNS(ns, 'rect');
    rect.setAttribute('x', String(i * bar + gap / 2));
    rect.setAttribute('y', String(height - h));
    rect.setAttribute('width', String(Math.max(1, bar - gap)));
    rect.setAttribute('height', String(h));
    rect.setAttribute('class', 'bar');
    const tip = document.createElementNS(ns, 'title');
    const key = str(p.key);
    tip.textContent = `${byHour ? `${key}:00` : day(key)}: ${money(value, currency)}, ${num(p.orderCount)} orders`;
    rect.append(tip);
    svg.append(rect);
  });
  // A few labels along the axis: every 6 hours, or the first, middle and last day.
  const labelled = byHour
    ? points.map((_, i) => i).filter((i) => i % 6 === 0)
    : [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
  for (const i of labelled) {
    const key = str(points[i]?.key);
    const text = document.createElementNS(ns, 'text');
    text.setAttribute('x', String(i * bar + bar / 2));
    text.setAttribute('y', String(height + 13));
    text.setAttribute(
      'text-anchor',
      i === points.length - 1 && !byHour ? 'end' : i === 0 ? 'start' : 'middle',
    );
    text.setAttribute('class', 'axis');
    text.textContent = byHour ? `${key}h` : day(key);
    svg.append(text);
  }
  section.append(svg);
  return section;
}

export function topProducts(sales: Data): HTMLElement {
  const products = list(sales.topProducts);
  return el(
    'section',
    { 'aria-label': 'Top products' },
    el('h2', {}, 'Top products'),
    products.length === 0
      ? el('p', { class: 'muted' }, 'No products sold.')
      : el(
          'ol',
          { class: 'rows' },
          products.map((p) =>
            el(
              'li',
              {},
              el('span', {}, str(p.name, 'Unnamed product')),
              el('strong', {}, `× ${num(p.quantity)}`),
            ),
          ),
        ),
  );
}
