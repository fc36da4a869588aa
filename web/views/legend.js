// @ts-check
// The legend: what each colour, shape and mark in the cluster view means.

import { h, s, text, clear } from '../dom.js';
import { t } from '../i18n.js';
import { ROLE_STYLE, msgStyle, shapePath, ringPath, OKABE } from '../palette.js';

/** @typedef {import('../store.js').StoreState} StoreState */

const MSG_TYPES = ['preVote', 'vote', 'voteResp', 'heartbeat', 'append', 'appendResp', 'snapshot', 'timeoutNow', 'readIndex'];

/**
 * A small picture of `width` x `height` pixels drawn in `vw` x `vh` units centred on 0,0 (as with
 * viewBox "-vw/2 -vh/2 vw vh"), but without a viewBox: the icon's own units are pixels, and each
 * part is drawn where the viewBox would have put it (`at.x`, `at.y`), at its scale (`at.k`); a
 * shape by palette.js's own size and centre arguments. What the stylesheet sizes by class (a
 * stroke's width, a font's size) is scaled in the part's style.
 * A viewBox is a transform, and an inline SVG clips what it draws (overflow hidden): two paint
 * property nodes for each of the legend's twenty icons, in every playground, which Chromium
 * sorts through with the rest of the page whenever it draws a frame (docs/DESIGN.md,
 * "Performance of the page"). Drawn this way they have none, and look the same.
 * @param {number} vw
 * @param {number} vh
 * @param {number} width
 * @param {number} height
 * @param {(at: IconUnits) => SVGElement[]} parts
 */
function icon(vw, vh, width, height, parts) {
  return s('svg', { width, height, class: 'legend-icon', 'aria-hidden': 'true' }, parts(iconUnits(vw, vh, width, height)));
}

/** @typedef {{ k: number, x: (u: number) => number, y: (u: number) => number }} IconUnits */

/**
 * Where a viewBox of `vw` x `vh` units centred on 0,0 puts a unit in a `width` x `height` picture,
 * as its default preserveAspectRatio (xMidYMid meet) scales and centres it.
 * @param {number} vw
 * @param {number} vh
 * @param {number} width
 * @param {number} height
 * @returns {IconUnits}
 */
export function iconUnits(vw, vh, width, height) {
  const k = Math.min(width / vw, height / vh);
  return { k, x: (u) => width / 2 + u * k, y: (u) => height / 2 + u * k };
}

/**
 * @param {string} type
 * @param {boolean | null} outcome
 * @param {string | null} [mark] the mark drawn inside, when not the type's own
 */
function msgIcon(type, outcome, mark = null) {
  const st = msgStyle(type);
  const color = outcome === null ? st.color : outcome ? OKABE.green : OKABE.vermillion;
  const size = Math.max(st.size, 7);
  return icon(28, 28, 22, 22, (at) => [
    s('path', { d: shapePath(st.shape, size * at.k, at.x(0), at.y(0)), fill: st.hollow ? 'none' : color, stroke: st.hollow ? color : 'var(--msg-stroke)', 'stroke-width': (st.hollow ? 2.5 : 1.2) * at.k }),
    s('text', { x: at.x(0), y: at.y(4), 'text-anchor': 'middle', class: 'msg-mark', style: `font-size: ${12 * at.k}px`, fill: st.hollow ? color : '#111', text: mark ?? (outcome === null ? st.mark : outcome ? '✓' : '✗') }),
  ]);
}

/**
 * @param {string} role
 */
function roleIcon(role) {
  const st = ROLE_STYLE[/** @type {keyof typeof ROLE_STYLE} */ (role)];
  return icon(24, 24, 22, 22, (at) => [
    s('circle', { cx: at.x(0), cy: at.y(0), r: 10 * at.k, fill: st.fill, stroke: 'var(--node-stroke)', 'stroke-width': 2 * at.k, 'stroke-dasharray': st.dash ? scaleDash(st.dash, at.k) : null }),
    s('text', { x: at.x(0), y: at.y(4), 'text-anchor': 'middle', fill: st.ink, class: 'legend-glyph', style: `font-size: ${11 * at.k}px`, text: st.glyph }),
  ]);
}

/**
 * @param {string} dash a stroke-dasharray in the icon's units
 * @param {number} k
 */
function scaleDash(dash, k) {
  return dash
    .split(/[\s,]+/)
    .map((v) => Number(v) * k)
    .join(' ');
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
        icon(24, 24, 22, 22, (at) => [
          s('circle', { cx: at.x(0), cy: at.y(0), r: 10 * at.k, fill: 'var(--crashed)' }),
          s('text', { x: at.x(0), y: at.y(4), 'text-anchor': 'middle', class: 'legend-glyph', style: `font-size: ${11 * at.k}px`, text: '✕' }),
        ]),
        t(lang, 'status.crashed'),
      ]),
      h('li', {}, [
        // The ring starts at the top and runs clockwise by its path, as a circle turned by -90°.
        icon(24, 24, 22, 22, (at) => [
          s('circle', { cx: at.x(0), cy: at.y(0), r: 7 * at.k, fill: 'none', stroke: 'var(--line)', 'stroke-width': 3 * at.k }),
          s('path', { d: ringPath(7 * at.k, at.x(0), at.y(0)), fill: 'none', class: 'timer', style: `stroke-width: ${4 * at.k}`, 'stroke-dasharray': scaleDash('26 44', at.k) }),
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
        icon(24, 24, 22, 22, (at) => [s('path', { d: `M${at.x(-7)} ${at.y(-7)}L${at.x(7)} ${at.y(7)}M${at.x(7)} ${at.y(-7)}L${at.x(-7)} ${at.y(7)}`, class: 'drop-x', style: `stroke-width: ${3.5 * at.k}` })]),
        t(lang, 'legend.drop'),
      ]),
      h('li', {}, [h('span', { class: 'legend-mark', text: '×2' }), t(lang, 'legend.dup')]),
      h('li', {}, [h('span', { class: 'legend-mark cut', text: '✂' }), t(lang, 'legend.cut')]),
    );
    // Clients and their requests; groups of servers (majorities, configurations).
    const more = h('ul', { class: 'legend-list' }, [
      h('li', {}, [
        icon(32, 20, 30, 20, (at) => [
          s('rect', { x: at.x(-14), y: at.y(-8), width: 28 * at.k, height: 16 * at.k, rx: 4 * at.k, fill: 'var(--bg)', stroke: 'var(--ink-soft)', 'stroke-width': 1.5 * at.k }),
          s('text', { x: at.x(0), y: at.y(4), 'text-anchor': 'middle', 'font-size': 10 * at.k, 'font-weight': 600, fill: 'var(--ink)', text: 'C1' }),
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
