// @ts-check
// The action menu of one node, opened by click, tap, Enter or Space on the node. It is a plain
// list of buttons in a popover (no right-click anywhere), with arrow-key navigation and Escape.

import { h, clear, hide } from '../dom.js';
import { t } from '../i18n.js';
import { clusterConfig, currentLeader } from './cluster-view.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

/**
 * @param {HTMLElement} root the positioned container that holds the cluster SVG
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createNodeMenu(root, store, send) {
  const menu = h('div', { class: 'node-menu', role: 'menu', hidden: true });
  root.append(menu);
  let openFor = /** @type {number | null} */ (null);
  let builtKey = '';

  function close(refocus = true) {
    const id = openFor;
    send.ui({ intent: 'closeMenu' });
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
      hide(menu, true);
      openFor = null;
      builtKey = '';
      return;
    }
    const n = sim.nodes.find((/** @type {any} */ x) => x.id === id);
    if (!n) {
      hide(menu, true);
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
    const items = menuItems(n, sim.nodes, member, leader?.id ?? null);
    menu.append(h('p', { class: 'menu-title', id: `menu-title-${id}`, text: t(lang, 'menu.title', { id }) }));
    attrLabel(menu, `menu-title-${id}`);
    for (const it of items) {
      const b = h('button', {
        type: 'button',
        role: 'menuitem',
        'data-item': it.item,
        disabled: !it.enabled,
        title: t(lang, `${it.label}Help`, { id }),
        text: t(lang, it.label),
        onclick: () => {
          send.act(it.action);
          close();
        },
      });
      menu.append(b);
    }
    menu.append(h('button', { type: 'button', role: 'menuitem', class: 'menu-close', title: t(lang, 'menu.closeHelp'), text: t(lang, 'menu.close'), onclick: () => close() }));
    hide(menu, false);
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

/**
 * @typedef {Object} MenuItem
 * @property {string} item what the item does, stable for tests (`data-item`)
 * @property {string} label i18n key of its label (`${label}Help` is its tooltip)
 * @property {import('../intents.js').Action | import('../intents.js').Action[]} action what it sends, always about this node
 * @property {boolean} enabled
 */

/**
 * The items of node `n`'s menu in its current state. Every item acts on `n` itself.
 * @param {Record<string, any>} n the node's state
 * @param {Record<string, any>[]} nodes every node
 * @param {boolean} member whether `n` is in the configuration (voter or learner)
 * @param {number | null} leaderId
 * @returns {MenuItem[]}
 */
export function menuItems(n, nodes, member, leaderId) {
  const id = /** @type {number} */ (n.id);
  const crashed = n.status === 'crashed';
  const paused = n.status === 'paused';
  const others = nodes.map((x) => /** @type {number} */ (x.id)).filter((x) => x !== id);
  return [
    crashed
      ? { item: 'restart', label: 'menu.restart', action: { type: 'restart', node: id }, enabled: true }
      : { item: 'crash', label: 'menu.crash', action: { type: 'crash', node: id }, enabled: true },
    paused
      ? { item: 'resume', label: 'menu.resume', action: { type: 'resume', node: id }, enabled: true }
      : { item: 'pause', label: 'menu.pause', action: { type: 'pause', node: id }, enabled: !crashed },
    { item: 'timeout', label: 'menu.timeout', action: { type: 'timeout', node: id }, enabled: n.status === 'up' },
    { item: 'transfer', label: 'menu.transfer', action: { type: 'transferLeader', to: id }, enabled: leaderId !== null && leaderId !== id && member && n.status === 'up' },
    { item: 'isolate', label: 'menu.isolate', action: { type: 'partition', groups: [[id], others] }, enabled: others.length > 0 },
    { item: 'compact', label: 'menu.compact', action: { type: 'compact', node: id }, enabled: n.status === 'up' },
    member
      ? { item: 'remove', label: 'menu.remove', action: { type: 'removeServer', node: id }, enabled: leaderId !== null }
      : { item: 'add', label: 'menu.add', action: { type: 'addServer', node: id }, enabled: leaderId !== null },
  ];
}
