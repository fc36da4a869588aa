// @ts-check
// The event feed: what happened, in words, newest first. Each entry is a button; activating it
// seeks the simulation to that moment. New entries are prepended (keyed by seq) rather than
// re-rendering the list, and the list is capped so long runs stay cheap.

import { h, text, clear } from '../dom.js';
import { t, fmtMs } from '../i18n.js';
import { describe, categoryOf } from '../describe.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

const SHOWN_MAX = 120;
/** While playing, at most this many new lines per update (the rest scroll by unseen anyway). */
const FRESH_MAX_PLAYING = 30;
const CATS = ['election', 'replication', 'client', 'fault', 'message'];
const ICON = { election: '◆', replication: '▤', client: '⇄', fault: '⚡', message: '✉' };

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {(intent: Record<string, any>) => void} dispatch
 */
export function createEventFeed(root, store, dispatch) {
  const title = h('h2', { class: 'panel-title' });
  const hint = h('p', { class: 'hint' });
  const filterLabel = h('span', { class: 'filter-label' });
  /** @type {Record<string, HTMLInputElement>} */
  const boxes = {};
  /** @type {Record<string, HTMLElement>} */
  const boxText = {};
  const filters = h('div', { class: 'feed-filters', role: 'group' }, [filterLabel]);
  for (const c of CATS) {
    const box = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-cat': c }));
    box.addEventListener('change', () => {
      store.setUi({ feedFilter: { ...store.get().ui.feedFilter, [c]: box.checked } });
    });
    boxes[c] = box;
    boxText[c] = h('span');
    filters.append(h('label', { class: 'chk' }, [box, boxText[c]]));
  }
  const list = h('ol', { class: 'feed', reversed: true });
  const more = h('p', { class: 'hint feed-more' });
  root.append(title, filters, hint, list, more);

  let renderedKey = '';
  let lastSeq = -1;
  let lastVersion = -1;
  let lastRenderWall = 0;

  /**
   * @param {Record<string, any>} ev
   * @param {import('../i18n.js').Lang} lang
   * @param {number | null} highlight
   */
  function item(ev, lang, highlight) {
    const cat = categoryOf(ev);
    const btn = h(
      'button',
      {
        type: 'button',
        class: `feed-item cat-${cat}${ev.kind === 'violation' ? ' violation' : ''}`,
        'data-kind': ev.kind,
        'data-seq': ev.seq,
        'data-at': ev.atMs,
        onclick: () => dispatch({ type: 'seek', t: ev.atMs, seq: ev.seq }),
      },
      [
        h('span', { class: 'feed-icon', 'aria-hidden': 'true', text: /** @type {Record<string,string>} */ (ICON)[cat] ?? '•' }),
        h('span', { class: 'feed-time', text: t(lang, 'feed.at', { t: fmtMs(ev.atMs) }) }),
        h('span', { class: 'feed-text', text: describe(lang, ev) }),
      ],
    );
    if (highlight === ev.seq) btn.classList.add('highlight');
    return h('li', {}, [btn]);
  }

  /**
   * @param {StoreState} st
   */
  function render(st) {
    const lang = st.ui.lang;
    const f = st.ui.feedFilter;
    const key = `${lang}|${CATS.map((c) => (f[c] ? 1 : 0)).join('')}|${st.ui.highlightSeq}`;
    const feed = st.feed;
    if (key !== renderedKey) {
      text(title, t(lang, 'feed.title'));
      text(hint, t(lang, 'feed.seekHint'));
      text(filterLabel, `${t(lang, 'feed.filter')}:`);
      for (const c of CATS) {
        boxes[c].checked = !!f[c];
        text(boxText[c], t(lang, `feed.cat.${c}`));
      }
    }
    if (key === renderedKey && st.feedVersion === lastVersion) return;
    // While playing, at most 4 list updates per second: nobody reads faster, and it saves work.
    const wall = performance.now();
    if (key === renderedKey && st.playing && wall - lastRenderWall < 250) return;
    lastRenderWall = wall;
    const rewound = feed.length === 0 || feed[feed.length - 1].seq < lastSeq;
    if (key !== renderedKey || rewound) {
      renderedKey = key;
      clear(list);
      lastSeq = -1;
    }
    lastVersion = st.feedVersion;
    /** @type {HTMLElement[]} */
    const fresh = [];
    const freshMax = st.playing ? FRESH_MAX_PLAYING : SHOWN_MAX;
    for (let i = feed.length - 1; i >= 0 && fresh.length < freshMax; i--) {
      const ev = feed[i];
      if (ev.seq <= lastSeq) break;
      if (!f[categoryOf(ev)]) continue;
      fresh.push(item(ev, lang, st.ui.highlightSeq));
    }
    if (feed.length) lastSeq = Math.max(lastSeq, feed[feed.length - 1].seq);
    if (fresh.length) {
      list.querySelector('.feed-empty')?.remove();
      list.prepend(...fresh);
    }
    while (list.childElementCount > SHOWN_MAX) list.lastElementChild?.remove();
    if (!list.childElementCount) list.append(h('li', { class: 'feed-empty', text: t(lang, 'feed.empty') }));
    const hidden = st.feedDropped + Math.max(0, feed.length - SHOWN_MAX);
    text(more, hidden > 0 ? t(lang, 'feed.more', { n: hidden }) : '');
    if (st.ui.highlightSeq !== null) {
      const el = /** @type {HTMLElement | null} */ (list.querySelector(`[data-seq="${st.ui.highlightSeq}"]`));
      el?.scrollIntoView({ block: 'nearest' });
    }
  }

  return { render };
}
