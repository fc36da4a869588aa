// @ts-check
// The action menu of one node, opened by click, tap, Enter or Space on the node. It is a plain
// list of buttons in a popover (no right-click anywhere), with arrow-key navigation and Escape.

import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { clusterConfig, currentLeader, ringLayout, VIEW_BOX } from './cluster-view.js';

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
    // Place the popover next to the node, in percent of the square cluster box.
    const ids = sim.nodes.map((/** @type {any} */ x) => x.id);
    const p = ringLayout(ids).get(id);
    if (p) {
      const vb = /** @type {SVGSVGElement | null} */ (root.querySelector('svg.cluster-svg'))?.viewBox.baseVal ?? { ...VIEW_BOX, width: VIEW_BOX.w, height: VIEW_BOX.h };
      const left = ((p.x - vb.x) / vb.width) * 100;
      const top = ((p.y - vb.y) / vb.height) * 100;
      menu.style.left = `${Math.min(68, Math.max(2, left - (p.ux < -0.3 ? 30 : p.ux > 0.3 ? 0 : 15)))}%`;
      menu.style.top = `${Math.min(50, Math.max(2, top + (p.uy > 0.3 ? -45 : 6)))}%`;
    }
    menu.hidden = false;
    if (first) {
      const firstEnabled = /** @type {HTMLElement | null} */ (menu.querySelector('button:not([disabled])'));
      firstEnabled?.focus();
    }
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
