// @ts-check
// The action menu of one node, opened by click, tap, Enter or Space on the node. It is a plain
// list of buttons in a popover (no right-click anywhere), with arrow-key navigation and Escape.

import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { clusterConfig, currentLeader } from './cluster-view.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

/**
 * @param {HTMLElement} root the positioned container that holds the cluster SVG
 * @param {Store} store
 * @param {(intent: Record<string, any>) => void} dispatch
 */
export function createNodeMenu(root, store, dispatch) {
  const menu = h('div', { class: 'node-menu', role: 'menu', hidden: true });
  root.append(menu);
  let openFor = /** @type {number | null} */ (null);
  let builtKey = '';

  function close(refocus = true) {
    const id = openFor;
    store.setUi({ menuNode: null });
    if (refocus && id !== null) {
      const el = /** @type {HTMLElement | null} */ (root.querySelector(`[data-node="${id}"]`));
      el?.focus();
    }
  }

  menu.addEventListener('keydown', (e) => {
    const items = /** @type {HTMLElement[]} */ ([...menu.querySelectorAll('button')]);
    const i = items.indexOf(/** @type {HTMLElement} */ (document.activeElement ?? e.target));
    const at = items.indexOf(/** @type {HTMLElement} */ (e.composedPath()[0]));
    const cur = at >= 0 ? at : i;
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      items[(cur + 1) % items.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      items[(cur - 1 + items.length) % items.length]?.focus();
    } else if (e.key === 'Home') {
      e.preventDefault();
      items[0]?.focus();
    } else if (e.key === 'End') {
      e.preventDefault();
      items[items.length - 1]?.focus();
    } else if (e.key === 'Tab') {
      close(false);
    }
  });

  /**
   * @param {StoreState} st
   */
  function render(st) {
    const id = st.ui.menuNode;
    const sim = st.sim;
    if (id === null || !sim) {
      if (!menu.hidden) menu.hidden = true;
      openFor = null;
      builtKey = '';
      return;
    }
    const n = sim.nodes.find((/** @type {any} */ x) => x.id === id);
    if (!n) {
      menu.hidden = true;
      return;
    }
    const conf = clusterConfig(sim.nodes);
    const member = !conf || conf.voters.has(id) || conf.learners.has(id);
    const leader = currentLeader(sim.nodes);
    const lang = st.ui.lang;
    const key = `${id}|${n.status}|${n.role}|${member}|${leader?.id}|${lang}`;
    if (key === builtKey) return;
    const first = openFor !== id;
    builtKey = key;
    openFor = id;
    clear(menu);
    /** @type {[string, Record<string, any>, boolean][]} */
    const items = [
      [n.status === 'crashed' ? 'menu.restart' : 'menu.crash', { type: n.status === 'crashed' ? 'restart' : 'crash', node: id }, true],
      [n.status === 'paused' ? 'menu.resume' : 'menu.pause', { type: n.status === 'paused' ? 'resume' : 'pause', node: id }, n.status !== 'crashed'],
      ['menu.timeout', { type: 'timeout', node: id }, n.status === 'up'],
      ['menu.transfer', { type: 'transferLeader', to: id }, !!leader && leader.id !== id && member && n.status === 'up'],
      ['menu.isolate', { type: 'isolate', node: id }, true],
      ['menu.compact', { type: 'compact', node: id }, n.status === 'up'],
      [member ? 'menu.remove' : 'menu.add', member ? { type: 'removeServer', node: id } : { type: 'addServer', node: id }, !!leader],
    ];
    menu.append(h('p', { class: 'menu-title', id: `menu-title-${id}`, text: t(lang, 'menu.title', { id }) }));
    attrLabel(menu, `menu-title-${id}`);
    for (const [label, action, enabled] of items) {
      const b = h('button', {
        type: 'button',
        role: 'menuitem',
        'data-action': action.type,
        disabled: !enabled,
        text: t(lang, label),
        onclick: () => {
          dispatch(action);
          close();
        },
      });
      menu.append(b);
    }
    menu.append(h('button', { type: 'button', role: 'menuitem', class: 'menu-close', text: t(lang, 'menu.close'), onclick: () => close() }));
    menu.hidden = false;
    place(id);
    if (first) {
      const firstEnabled = /** @type {HTMLElement | null} */ (menu.querySelector('button:not([disabled])'));
      firstEnabled?.focus();
    }
  }

  /**
   * Put the popover beside the node (on the side with more room), kept inside the cluster box
   * horizontally so it never leaves a phone's screen.
   * @param {number} id
   */
  function place(id) {
    const node = root.querySelector(`[data-node="${id}"] .node-body`);
    if (!node) return;
    const box = root.getBoundingClientRect();
    const n = node.getBoundingClientRect();
    const w = menu.offsetWidth;
    const hgt = menu.offsetHeight;
    const cx = n.left + n.width / 2 - box.left;
    const gap = 8;
    let left = cx > box.width / 2 ? n.left - box.left - w - gap : n.right - box.left + gap;
    if (left < 4 || left + w > box.width - 4) left = cx - w / 2;
    left = Math.max(4, Math.min(left, box.width - w - 4));
    let top = n.top - box.top + n.height / 2 - hgt / 2;
    top = Math.max(4, Math.min(top, Math.max(4, box.height - hgt)));
    menu.style.left = `${Math.round(left)}px`;
    menu.style.top = `${Math.round(top)}px`;
  }

  /**
   * @param {HTMLElement} el
   * @param {string} id
   */
  function attrLabel(el, id) {
    el.setAttribute('aria-labelledby', id);
  }

  return { render, close };
}
