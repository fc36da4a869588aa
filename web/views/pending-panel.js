// @ts-check
// Manual delivery (issue 15): in `delivery: "manual"` the learner plays the network. This panel,
// under the cluster, lists the messages in flight (the store's `sim.inFlight`, as
// `pendingMessages` orders them) and acts on one with the recorded actions `deliver`, `drop` and
// `duplicate`, so a share link replays every choice.
//
// Keyboard: the list is a listbox with one tab stop (roving tabindex). ↑ ↓ Home End move;
// Enter (or Space) delivers the focused message, Delete (or Backspace) drops it, D duplicates it.
// Focusing a message also opens it in the inspector (its Figure 2 fields) and highlights it in
// the cluster view, as clicking it there does. After a choice the focus stays at the same place
// in the list, so pressing Enter again delivers the next message.

import { h, text, attr, hide } from '../dom.js';
import { t } from '../i18n.js';
import { msgName } from '../describe.js';
import { pendingMessages } from '../store.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

/** Rows drawn at most: heartbeats pile up while the learner thinks; the rest are counted. */
export const PENDING_ROWS_MAX = 40;

/**
 * The recorded action a key asks for on a focused pending message, or null.
 * @param {KeyboardEvent} e
 * @param {number} id
 * @returns {import('../intents.js').Action | null}
 */
export function pendingKeyAction(e, id) {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  if (e.key === 'Enter' || e.key === ' ') return { type: 'deliver', id };
  if (e.key === 'Delete' || e.key === 'Backspace') return { type: 'drop', id };
  if (e.key === 'd' || e.key === 'D') return { type: 'duplicate', id };
  return null;
}

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createPendingPanel(root, store, send) {
  const title = h('h2', { class: 'pending-title', id: 'pending-title' });
  const keys = h('p', { class: 'hint pending-keys', 'data-testid': 'pending-keys' });
  const list = h('ul', { class: 'pending-list', role: 'listbox', 'aria-labelledby': 'pending-title', 'data-testid': 'pending-list' });
  const more = h('p', { class: 'hint', 'data-testid': 'pending-more' });
  const empty = h('p', { class: 'hint', 'data-testid': 'pending-empty' });
  const deliverBtn = h('button', { type: 'button', class: 'primary', 'data-testid': 'pending-deliver', onclick: () => choose('deliver') });
  const dropBtn = h('button', { type: 'button', 'data-testid': 'pending-drop', onclick: () => choose('drop') });
  const dupBtn = h('button', { type: 'button', 'data-testid': 'pending-duplicate', onclick: () => choose('duplicate') });
  const autoBtn = h('button', { type: 'button', 'data-testid': 'pending-auto', onclick: () => send.act({ type: 'setDelivery', mode: 'auto' }) });
  const buttons = h('div', { class: 'pending-buttons' }, [deliverBtn, dropBtn, dupBtn, autoBtn]);
  const box = h('section', { class: 'pending-panel', hidden: true, 'data-testid': 'pending-panel' }, [title, keys, list, more, empty, buttons]);
  root.append(box);

  /** @type {Map<number, { li: HTMLElement, label: HTMLElement, state: HTMLElement, key: string }>} */
  const rows = new Map();
  /** The message the buttons act on: the one inspected (focused or clicked), if it is listed. */
  let selected = /** @type {number | null} */ (null);
  /** Where the focus was in the list, to keep it there when its message leaves. */
  let focusIndex = -1;
  let lastLang = '';

  /** @param {'deliver' | 'drop' | 'duplicate'} type */
  function choose(type) {
    const id = selected ?? firstId();
    if (id !== null) send.act({ type, id });
  }

  function firstId() {
    const first = list.firstElementChild;
    return first ? Number(first.getAttribute('data-id')) : null;
  }

  /** @param {number} id */
  function inspect(id) {
    send.ui({ intent: 'inspect', target: { kind: 'message', id } });
  }

  /** @param {number} id */
  function makeRow(id) {
    const label = h('span', { class: 'pending-label' });
    const state = h('span', { class: 'pending-state' });
    const li = h('li', { role: 'option', tabindex: '-1', 'data-id': id, 'aria-selected': 'false' }, [label, state]);
    li.addEventListener('click', () => {
      li.focus();
    });
    li.addEventListener('focus', () => {
      focusIndex = [...list.children].indexOf(li);
      if (store.get().ui.inspect?.id !== id || store.get().ui.inspect?.kind !== 'message') inspect(id);
    });
    li.addEventListener('keydown', (e) => {
      const items = /** @type {HTMLElement[]} */ ([...list.children]);
      const i = items.indexOf(li);
      const go = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : null;
      if (go !== null) {
        e.preventDefault();
        items[Math.max(0, Math.min(items.length - 1, go))]?.focus();
        return;
      }
      const action = pendingKeyAction(e, id);
      if (action) {
        e.preventDefault();
        // Keep the playground's own shortcuts (Space plays) out of it.
        e.stopPropagation();
        send.act(action);
      }
    });
    return { li, label, state, key: '' };
  }

  /** @param {StoreState} st */
  function render(st) {
    const manual = st.config?.delivery === 'manual';
    hide(box, !manual || !st.sim);
    if (box.hidden) return;
    const lang = st.ui.lang;
    if (lang !== lastLang) {
      lastLang = lang;
      text(keys, t(lang, 'pending.keys'));
      text(deliverBtn, t(lang, 'pending.deliver'));
      text(dropBtn, t(lang, 'pending.drop'));
      text(dupBtn, t(lang, 'pending.duplicate'));
      text(autoBtn, t(lang, 'pending.auto'));
      attr(autoBtn, 'title', t(lang, 'pending.autoHelp'));
      text(empty, t(lang, 'pending.empty'));
      for (const r of rows.values()) r.key = '';
    }
    const all = pendingMessages(st);
    const waiting = all.filter((m) => m.waiting).length;
    text(title, t(lang, 'pending.title', { waiting, total: all.length }));
    const shown = all.slice(0, PENDING_ROWS_MAX);
    const hadFocus = list.contains(/** @type {Node} */ (root.getRootNode() instanceof ShadowRoot ? /** @type {ShadowRoot} */ (root.getRootNode()).activeElement : document.activeElement));
    const keep = new Set(shown.map((m) => m.id));
    for (const [id, r] of rows) {
      if (!keep.has(id)) {
        r.li.remove();
        rows.delete(id);
      }
    }
    // In id order (the order they were sent), which never changes for a listed message, so a
    // focused row is never moved; new rows come at the end.
    let at = /** @type {Element | null} */ (list.firstElementChild);
    for (const m of shown) {
      let r = rows.get(m.id);
      if (!r) {
        r = makeRow(m.id);
        rows.set(m.id, r);
      }
      if (r.li !== at) list.insertBefore(r.li, at);
      else at = at.nextElementSibling;
      const due = Math.max(0, m.deliverAtMs - st.nowMs);
      const key = `${m.waiting}|${m.waiting ? '' : Math.ceil(due)}|${lang}`;
      if (key !== r.key) {
        r.key = key;
        const name = msgName(lang, m.type);
        text(r.label, t(lang, 'pending.row', { id: m.id, name, from: m.from, to: m.to, term: m.term }));
        text(r.state, m.waiting ? t(lang, 'pending.waiting') : t(lang, 'pending.travelling', { ms: Math.ceil(due) }));
        attr(r.li, 'data-waiting', m.waiting ? '1' : '0');
        attr(r.li, 'data-type', m.type);
        attr(r.li, 'aria-label', `${r.label.textContent} · ${r.state.textContent}`);
      }
    }
    const inspected = st.ui.inspect?.kind === 'message' ? st.ui.inspect.id : null;
    selected = inspected !== null && rows.has(inspected) ? inspected : null;
    // One tab stop: the selected row, else the first.
    const stop = selected ?? (shown[0]?.id ?? null);
    for (const [id, r] of rows) {
      attr(r.li, 'tabindex', id === stop ? '0' : '-1');
      attr(r.li, 'aria-selected', id === selected ? 'true' : 'false');
    }
    // The focused message left the list (delivered, dropped): focus the one now in its place.
    if (hadFocus && focusIndex >= 0) {
      const active = root.getRootNode() instanceof ShadowRoot ? /** @type {ShadowRoot} */ (root.getRootNode()).activeElement : document.activeElement;
      if (!list.contains(active)) {
        const items = /** @type {HTMLElement[]} */ ([...list.children]);
        items[Math.min(focusIndex, items.length - 1)]?.focus();
      }
    }
    text(more, all.length > shown.length ? t(lang, 'pending.more', { n: all.length - shown.length }) : '');
    hide(more, all.length <= shown.length);
    hide(empty, all.length > 0);
    for (const b of [deliverBtn, dropBtn, dupBtn]) /** @type {HTMLButtonElement} */ (b).disabled = all.length === 0;
    attr(deliverBtn, 'title', selected === null ? t(lang, 'pending.firstHelp') : t(lang, 'pending.selectedHelp', { id: selected }));
  }

  return { render };
}
