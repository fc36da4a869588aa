// @ts-check
// The event feed: what happened, in words, newest first. Each entry is a button; activating it
// seeks the simulation to that moment. New entries are prepended (keyed by seq) rather than
// re-rendering the list, and the list is capped so long runs stay cheap.

import { h, text, clear, fittedBox } from '../dom.js';
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
 * @param {import('../intents.js').Send} send
 */
export function createEventFeed(root, store, send) {
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
      send.ui({ intent: 'feedFilter', cat: c, on: box.checked });
    });
    boxes[c] = box;
    boxText[c] = h('span');
    filters.append(h('label', { class: 'chk' }, [box, boxText[c]]));
  }
  const list = h('ol', { class: 'feed', reversed: true });
  // A new line lays out the list alone once the list is as tall as it gets (dom.js fittedBox);
  // until then each line makes it taller, which lays out the page around it.
  const listBox = fittedBox('feed-box', 'height');
  listBox.inner.append(list);
  const more = h('p', { class: 'hint feed-more' });
  root.append(title, filters, hint, listBox.box, more);

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
    const cat = ev.cat ?? categoryOf(ev);
    const btn = h(
      'button',
      {
        type: 'button',
        class: `feed-item cat-${cat}${ev.kind === 'violation' ? ' violation' : ''}`,
        'data-kind': ev.kind,
        'data-seq': ev.seq,
        'data-at': ev.atMs,
        title: t(lang, 'feed.itemHelp'),
        onclick: () => send.ui({ intent: 'seek', t: ev.atMs, seq: ev.seq }),
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

  /** Lines of the feed that pass the filter (the list shows the newest SHOWN_MAX of them). */
  let matching = 0;

  /**
   * @param {StoreState} st
   */
  function render(st) {
    const lang = st.ui.lang;
    const f = st.ui.feedFilter;
    // The filter applies to the whole story (it is all kept), so changing it rebuilds the list.
    const key = `${lang}|${CATS.map((c) => (f[c] ? 1 : 0)).join('')}|${st.ui.highlightSeq}|${st.runId}|${st.feedEpoch}`;
    const feed = st.feed;
    const rebuild = key !== renderedKey;
    if (rebuild) {
      text(title, t(lang, 'feed.title'));
      text(hint, t(lang, 'feed.seekHint'));
      text(filterLabel, `${t(lang, 'feed.filter')}:`);
      for (const c of CATS) {
        boxes[c].checked = !!f[c];
        text(boxText[c], t(lang, `feed.cat.${c}`));
      }
    }
    if (!rebuild && st.feedVersion === lastVersion) return;
    // While playing (or replaying a link), at most 4 list updates per second: nobody reads
    // faster, and it saves work.
    const busy = st.playing || st.replay !== null;
    const wall = performance.now();
    if (!rebuild && busy && wall - lastRenderWall < 250) return;
    lastRenderWall = wall;
    if (rebuild) {
      renderedKey = key;
      clear(list);
      lastSeq = -1;
      matching = 0;
      for (const ev of feed) if (f[ev.cat ?? categoryOf(ev)]) matching++;
    }
    lastVersion = st.feedVersion;
    /** @type {HTMLElement[]} */
    const fresh = [];
    const freshMax = busy && !rebuild ? FRESH_MAX_PLAYING : SHOWN_MAX;
    for (let i = feed.length - 1; i >= 0; i--) {
      const ev = feed[i];
      if (ev.seq <= lastSeq) break;
      if (!f[ev.cat ?? categoryOf(ev)]) continue;
      if (!rebuild) matching++;
      if (fresh.length < freshMax) fresh.push(item(ev, lang, st.ui.highlightSeq));
      else if (rebuild) break;
    }
    if (feed.length) lastSeq = Math.max(lastSeq, feed[feed.length - 1].seq);
    if (fresh.length) {
      list.querySelector('.feed-empty')?.remove();
      list.prepend(...fresh);
    }
    while (list.childElementCount > SHOWN_MAX) list.lastElementChild?.remove();
    if (!list.childElementCount) list.append(h('li', { class: 'feed-empty', text: t(lang, 'feed.empty') }));
    const hidden = st.feedDropped + Math.max(0, matching - list.querySelectorAll('.feed-item').length);
    text(more, hidden > 0 ? t(lang, 'feed.more', { n: hidden }) : '');
    if (st.ui.highlightSeq !== null) {
      const el = /** @type {HTMLElement | null} */ (list.querySelector(`[data-seq="${st.ui.highlightSeq}"]`));
      el?.scrollIntoView({ block: 'nearest' });
    }
  }

  return { render };
}
