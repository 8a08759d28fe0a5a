// The approvals card of list_intents and create_sale_intent /
// create_refund_intent: each intent with its amount, order and proposer, and
// a button that opens it in the console. Deciding stays in the console.
import { list } from './shared/format.ts';
import { intentRow } from './shared/intent-rows.ts';
import { el, startView } from './shared/view-app.ts';

startView('approvals', (data, app) => {
  // list_intents answers { intents }, a proposal answers the one intent it created.
  const intents = Array.isArray(data.intents) ? list(data.intents) : [data];
  const pending = intents.filter((i) => i.status === 'pending').length;
  return el(
    'article',
    { class: 'card' },
    el(
      'header',
      {},
      el('h1', {}, 'Approvals'),
      el(
        'p',
        { class: 'muted' },
        `${pending} waiting for a merchant · decided in the FlowPOS console`,
      ),
    ),
    intents.length === 0
      ? el('p', { class: 'muted' }, 'No intents.')
      : el(
          'ul',
          { class: 'intents' },
          intents.map((i) => intentRow(i, app)),
        ),
  );
});
