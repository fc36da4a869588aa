// @ts-check
// The legend: what each colour, shape and mark in the cluster view means.

import { h, s, text, clear } from '../dom.js';
import { t } from '../i18n.js';
import { ROLE_STYLE, msgStyle, shapePath, OKABE } from '../palette.js';

/** @typedef {import('../store.js').StoreState} StoreState */

const MSG_TYPES = ['preVote', 'vote', 'voteResp', 'heartbeat', 'append', 'appendResp', 'snapshot', 'timeoutNow', 'readIndex'];

/**
 * @param {string} type
 * @param {boolean | null} outcome
 * @param {string | null} [mark] the mark drawn inside, when not the type's own
 */
function msgIcon(type, outcome, mark = null) {
  const st = msgStyle(type);
  const color = outcome === null ? st.color : outcome ? OKABE.green : OKABE.vermillion;
  const size = Math.max(st.size, 7);
  return s('svg', { viewBox: '-14 -14 28 28', width: 22, height: 22, 'aria-hidden': 'true' }, [
    s('path', { d: shapePath(st.shape, size), fill: st.hollow ? 'none' : color, stroke: st.hollow ? color : 'var(--msg-stroke)', 'stroke-width': st.hollow ? 2.5 : 1.2 }),
    s('text', { y: 4, 'text-anchor': 'middle', class: 'msg-mark', fill: st.hollow ? color : '#111', text: mark ?? (outcome === null ? st.mark : outcome ? '✓' : '✗') }),
  ]);
}

/**
 * @param {string} role
 */
function roleIcon(role) {
  const st = ROLE_STYLE[/** @type {keyof typeof ROLE_STYLE} */ (role)];
  return s('svg', { viewBox: '-12 -12 24 24', width: 22, height: 22, 'aria-hidden': 'true' }, [
    s('circle', { r: 10, fill: st.fill, stroke: 'var(--node-stroke)', 'stroke-width': 2, 'stroke-dasharray': st.dash || null }),
    s('text', { y: 4, 'text-anchor': 'middle', fill: st.ink, class: 'legend-glyph', text: st.glyph }),
  ]);
}

/**
 * @param {HTMLElement} root
 */
export function createLegend(root) {
  // Open by default where there is room; a phone shows just the summary line.
  const details = h('details', { class: 'legend', open: window.innerWidth > 820 });
  const summary = h('summary');
  const body = h('div', { class: 'legend-body' });
  details.append(summary, body);
  root.append(details);
  let lastKey = '';

  /** @param {StoreState} st */
  function render(st) {
    const lang = st.ui.lang;
    // The paper view draws heartbeats as AppendEntries with no entries: the legend says so.
    const paper = st.lesson?.view === 'paper';
    const key = `${lang}|${paper}`;
    if (key === lastKey) return;
    lastKey = key;
    text(summary, t(lang, 'legend.title'));
    clear(body);
    const roles = h('ul', { class: 'legend-list' });
    for (const r of ['leader', 'candidate', 'preCandidate', 'follower']) {
      roles.append(h('li', {}, [roleIcon(r), `${ROLE_STYLE[/** @type {keyof typeof ROLE_STYLE} */ (r)].glyph} ${t(lang, `role.${r}`)}`]));
    }
    roles.append(
      h('li', {}, [
        s('svg', { viewBox: '-12 -12 24 24', width: 22, height: 22, 'aria-hidden': 'true' }, [
          s('circle', { r: 10, fill: 'var(--crashed)' }),
          s('text', { y: 4, 'text-anchor': 'middle', class: 'legend-glyph', text: '✕' }),
        ]),
        t(lang, 'status.crashed'),
      ]),
      h('li', {}, [
        s('svg', { viewBox: '-12 -12 24 24', width: 22, height: 22, 'aria-hidden': 'true' }, [
          s('circle', { r: 7, fill: 'none', stroke: 'var(--line)', 'stroke-width': 3 }),
          s('circle', { r: 7, fill: 'none', class: 'timer', 'stroke-dasharray': '26 44', transform: 'rotate(-90)' }),
        ]),
        t(lang, 'legend.timer'),
      ]),
    );
    const msgs = h('ul', { class: 'legend-list' });
    for (const type of MSG_TYPES) {
      const outcome = type === 'voteResp' || type === 'appendResp' ? true : null;
      if (type === 'heartbeat' && paper) msgs.append(h('li', { 'data-type': 'paperHeartbeat' }, [msgIcon('append', null, '0'), t(lang, 'legend.paperHeartbeat')]));
      else msgs.append(h('li', { 'data-type': type }, [msgIcon(type, outcome), t(lang, `msg.${type}`)]));
    }
    msgs.append(
      h('li', {}, [msgIcon('appendResp', false), t(lang, 'legend.fail')]),
      h('li', {}, [
        s('svg', { viewBox: '-12 -12 24 24', width: 22, height: 22, 'aria-hidden': 'true' }, [s('path', { d: 'M-7 -7L7 7M7 -7L-7 7', class: 'drop-x' })]),
        t(lang, 'legend.drop'),
      ]),
      h('li', {}, [h('span', { class: 'legend-mark', text: '×2' }), t(lang, 'legend.dup')]),
      h('li', {}, [h('span', { class: 'legend-mark cut', text: '✂' }), t(lang, 'legend.cut')]),
    );
    // Clients and their requests; groups of servers (majorities, configurations).
    const more = h('ul', { class: 'legend-list' }, [
      h('li', {}, [
        s('svg', { viewBox: '-16 -10 32 20', width: 30, height: 20, 'aria-hidden': 'true' }, [
          s('rect', { x: -14, y: -8, width: 28, height: 16, rx: 4, fill: 'var(--bg)', stroke: 'var(--ink-soft)', 'stroke-width': 1.5 }),
          s('text', { y: 4, 'text-anchor': 'middle', 'font-size': 10, 'font-weight': 600, fill: 'var(--ink)', text: 'C1' }),
        ]),
        t(lang, 'legend.client'),
      ]),
      h('li', {}, [h('span', { class: 'legend-mark', text: '↪ ↻' }), t(lang, 'legend.clientRetry')]),
      h('li', {}, [h('span', { class: 'group-swatch group-swatch-old', 'aria-hidden': 'true' }), h('span', { class: 'group-swatch group-swatch-new', 'aria-hidden': 'true' }), t(lang, 'legend.groups')]),
    ]);
    body.append(
      h('h2', { class: 'sub-title', text: t(lang, 'legend.roles') }),
      roles,
      h('h2', { class: 'sub-title', text: t(lang, 'legend.messages') }),
      msgs,
      h('h2', { class: 'sub-title', text: t(lang, 'legend.more') }),
      more,
      h('p', { class: 'hint', text: t(lang, 'legend.keys') }),
    );
  }

  return { render };
}
