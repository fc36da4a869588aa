// @ts-check
// The client panel (put / get / append with results and the node that served them) and the
// state machine of every node (its KV contents). Keys and values are user text: they are only
// ever placed with textContent.

import { h, text, clear, attr } from '../dom.js';
import { t } from '../i18n.js';
import { describeOp, describeResult } from '../describe.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

const OPS_SHOWN = 10;
const VALUE_CHARS_MAX = 48;

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createStatePanel(root, store, send) {
  const clientTitle = h('h2', { class: 'panel-title' });
  const opLabel = h('span');
  const keyLabel = h('span');
  const valueLabel = h('span');
  const op = /** @type {HTMLSelectElement} */ (h('select', { name: 'op', 'data-testid': 'client-op' }));
  const key = /** @type {HTMLInputElement} */ (h('input', { name: 'key', value: 'x', maxlength: 64, autocomplete: 'off', 'data-testid': 'client-key', size: 6 }));
  const value = /** @type {HTMLInputElement} */ (h('input', { name: 'value', value: '1', maxlength: 256, autocomplete: 'off', 'data-testid': 'client-value', size: 10 }));
  const sendBtn = h('button', { type: 'submit', class: 'primary', 'data-testid': 'client-send' });
  const form = h('form', { class: 'client-form' }, [
    h('label', {}, [opLabel, op]),
    h('label', {}, [keyLabel, key]),
    h('label', { class: 'value-field' }, [valueLabel, value]),
    sendBtn,
  ]);
  op.addEventListener('change', () => {
    value.disabled = op.value === 'get';
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const k = key.value;
    if (!k) {
      key.focus();
      return;
    }
    if (op.value === 'put') send.act({ type: 'clientPut', key: k, value: value.value });
    else if (op.value === 'append') send.act({ type: 'clientAppend', key: k, value: value.value });
    else send.act({ type: 'clientGet', key: k });
  });
  const opsTitle = h('h3', { class: 'sub-title' });
  const ops = h('ol', { class: 'client-ops', 'aria-live': 'polite' });
  const kvTitle = h('h2', { class: 'panel-title' });
  const kv = h('div', { class: 'kv-grid' });
  root.append(clientTitle, form, opsTitle, ops, kvTitle, kv);

  let lastLang = '';
  let lastOpsVersion = -1;
  let lastKvKey = '';
  let lastWall = 0;

  /**
   * @param {StoreState} st
   */
  function render(st) {
    const lang = st.ui.lang;
    const langChanged = lang !== lastLang;
    if (langChanged) {
      lastLang = lang;
      text(clientTitle, t(lang, 'client.title'));
      text(opLabel, t(lang, 'client.op'));
      text(keyLabel, t(lang, 'client.key'));
      text(valueLabel, t(lang, 'client.value'));
      text(sendBtn, t(lang, 'client.send'));
      attr(sendBtn, 'title', t(lang, 'client.sendHelp'));
      text(opsTitle, t(lang, 'client.results'));
      text(kvTitle, t(lang, 'kv.title'));
      const cur = op.value || 'put';
      clear(op);
      for (const o of ['put', 'get', 'append']) op.append(h('option', { value: o, text: t(lang, `client.${o}`) }));
      op.value = cur;
    }
    const wall = performance.now();
    if (!langChanged && (st.playing || st.replay !== null) && wall - lastWall < 250) return;
    lastWall = wall;

    if (langChanged || st.clientVersion !== lastOpsVersion) {
      lastOpsVersion = st.clientVersion;
      clear(ops);
      const list = st.clientOps.slice(-OPS_SHOWN).reverse();
      if (!list.length) ops.append(h('li', { class: 'hint', text: t(lang, 'client.none') }));
      for (const o of list) {
        const done = o.doneAtMs !== undefined;
        ops.append(
          h('li', { class: done ? 'op done' : 'op pending', 'data-op-id': o.opId }, [
            h('span', { class: 'op-what', text: `#${o.opId} ${short(describeOp(o.op))}` }),
            h('span', { class: 'op-arrow', 'aria-hidden': 'true', text: ' → ' }),
            h('span', { class: 'op-result', text: done ? short(describeResult(o.result)) : t(lang, 'client.pending') }),
            done && o.servedBy ? h('span', { class: 'op-served', text: ` · ${t(lang, 'client.servedBy', { node: o.servedBy })}` }) : null,
          ]),
        );
      }
    }

    const sim = st.sim;
    if (!sim) return;
    const kvKey = `${lang}|${sim.nodes.map((/** @type {any} */ n) => `${n.id}:${n.lastApplied}:${n.status}:${Object.keys(n.kv ?? {}).length}`).join(',')}`;
    if (kvKey === lastKvKey) return;
    lastKvKey = kvKey;
    clear(kv);
    for (const n of sim.nodes) {
      const entries = Object.entries(n.kv ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const cells = entries.length
        ? entries.map(([k, v]) => h('span', { class: 'kv-pair', title: `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}` }, [h('b', { text: short(k) }), ` = ${short(typeof v === 'string' ? v : JSON.stringify(v))}`]))
        : [h('span', { class: 'hint', text: t(lang, 'kv.empty') })];
      kv.append(
        h('div', { class: `kv-row${n.status === 'crashed' ? ' crashed' : ''}`, 'data-node': n.id }, [
          h('span', { class: 'kv-node', text: `S${n.id}` }),
          h('span', { class: 'kv-applied', text: t(lang, 'kv.applied', { index: n.lastApplied ?? 0 }) }),
          h('span', { class: 'kv-pairs' }, cells),
        ]),
      );
    }
  }

  return { render };
}

/** @param {string} s */
function short(s) {
  return s.length > VALUE_CHARS_MAX ? `${s.slice(0, VALUE_CHARS_MAX - 1)}…` : s;
}
