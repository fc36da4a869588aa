// @ts-check
// Progress of a long share link being replayed within animation frames (the driver does the
// work; see driver.js `replayLink`): a bar, how far it got, and Cancel, which leaves the run at
// the time reached.

import { h, text, attr, hide } from '../dom.js';
import { t, fmtMs } from '../i18n.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */
/** @typedef {import('../intents.js').Send} Send */

/**
 * @param {HTMLElement} root where the bar goes (it is hidden while nothing replays)
 * @param {Send} send
 */
export function createReplayProgress(root, send) {
  const label = h('span', { class: 'replay-label', 'data-testid': 'replay-label' });
  const bar = /** @type {HTMLProgressElement} */ (h('progress', { max: 1, value: 0, 'data-testid': 'replay-bar' }));
  const cancel = h('button', { type: 'button', 'data-testid': 'replay-cancel', onclick: () => send.ui({ intent: 'cancelReplay' }) });
  const box = h('div', { class: 'replay-progress', role: 'status', hidden: true, 'data-testid': 'replay-progress' }, [label, bar, cancel]);
  root.append(box);
  return {
    /** @param {StoreState} st */
    render(st) {
      const r = st.replay;
      hide(box, !r);
      if (!r) return;
      const l = st.ui.lang;
      // The time reached is the run's own clock (the one the time slider shows).
      const share = r.endMs > 0 ? Math.min(1, st.nowMs / r.endMs) : 1;
      bar.value = share;
      attr(bar, 'aria-valuetext', `${Math.floor(share * 100)}%`);
      text(label, t(l, 'replay.progress', { done: fmtMs(st.nowMs), end: fmtMs(r.endMs), pct: Math.floor(share * 100) }));
      text(cancel, t(l, 'replay.cancel'));
      attr(cancel, 'title', t(l, 'replay.cancelHelp'));
    },
  };
}
