// @ts-check
// The logs: one row per node, one column per index. A cell's colour AND printed number give the
// entry's term. The commit index is a bar, the applied entry a dot, the snapshot a hatched block,
// and the leader's nextIndex (▼) / matchIndex (▲) for each follower sit on that follower's row.
// Cells that disagree with the leader are outlined as conflicts; when the follower deletes them
// (entriesTruncated) they linger as struck-through ghosts, then the leader's entries take over.
// The grid is a fixed pool of slots (row × visible column) whose attributes are updated in place.

import { h, s, attr, text, clear } from '../dom.js';
import { t } from '../i18n.js';
import { termColor } from '../palette.js';
import { currentLeader } from './cluster-view.js';
import { normaliseReason, categoryOf } from '../describe.js';
import { lessonFocus, cellInFocus } from './lesson-focus.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

const LABEL_W = 58;
const CW = 28;
const CH = 24;
const GAP = 14;
const HEAD = 18;
const PAD_R = 10;

/**
 * Term of `index` in a node's log, or 0 when absent.
 * @param {any} n
 * @param {number} index
 */
export function termAt(n, index) {
  const log = n.log ?? [];
  if (!log.length) return 0;
  const i = index - log[0].index;
  const e = i >= 0 && i < log.length ? log[i] : null;
  return e && e.index === index ? e.term : 0;
}

/** @param {any} n */
export function lastIndex(n) {
  const log = n.log ?? [];
  return log.length ? log[log.length - 1].index : (n.snapshotIndex ?? 0);
}

/**
 * Why nextIndex moved, in two or three words for the repair note under the grid: the event's own
 * reason, never guessed from the size of the jump.
 * @param {import('../i18n.js').Lang} lang
 * @param {any} ev a nextIndexMoved event
 */
export function nextWhy(lang, ev) {
  const { code, params } = normaliseReason(ev.reason);
  if (code === 'hint') return ` (${t(lang, 'log.byHint')})`;
  if (code === 'oneStep') return ' (−1)';
  if (code === 'backToMatch') return ` (${t(lang, 'log.backToMatch', { matched: params.matched })})`;
  if (code === 'snapshotAnswered') return ` (${t(lang, 'log.afterSnapshot')})`;
  return '';
}

/**
 * @param {HTMLElement} root
 * @param {Store} store
 */
export function createLogView(root, store) {
  const title = h('h2', { class: 'panel-title' });
  const prev = h('button', { type: 'button', class: 'icon-btn', 'data-testid': 'log-earlier', onclick: () => pan(-1) }, [h('span', { 'aria-hidden': 'true', text: '◀' })]);
  const next = h('button', { type: 'button', class: 'icon-btn', 'data-testid': 'log-later', onclick: () => pan(1) }, [h('span', { 'aria-hidden': 'true', text: '▶' })]);
  const follow = h('button', { type: 'button', class: 'chip', 'data-testid': 'log-follow', 'aria-pressed': 'true', onclick: () => store.setUi({ logFollow: true }) });
  const bar = h('div', { class: 'log-bar' }, [title, h('span', { class: 'spacer' }), prev, next, follow]);
  const svg = /** @type {SVGSVGElement} */ (s('svg', { class: 'log-svg', role: 'img' }));
  const defs = s('defs', {}, [
    s('pattern', { id: 'snap-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, [
      s('rect', { width: 6, height: 6, fill: 'var(--snap-bg)' }),
      s('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: 'var(--snap-line)', 'stroke-width': 3 }),
    ]),
  ]);
  const legend = h('p', { class: 'log-legend' });
  const scroller = h('div', { class: 'log-scroll' }, [svg]);
  // Repair notes ("S5: ✗ rejected · nextIndex 22→5 …") go under the grid, not into it: in the
  // grid there is no free room between rows (the markers fill the gaps), and a note drawn there
  // covered the neighbouring row. The row's label turns orange while its note shows.
  const notes = h('ul', { class: 'log-notes' });
  root.append(bar, scroller, notes, legend);
  let notesKey = '';

  let cols = 20;
  let rowsKey = '';
  let lastLang = '';
  /** @type {SVGElement[]} */
  let heads = [];
  /** @type {{ id: number, g: SVGElement, label: SVGElement, sub: SVGElement, snap: SVGElement, snapText: SVGElement, commit: SVGElement, applied: SVGElement, next: SVGElement, match: SVGElement, slots: { g: SVGElement, rect: SVGElement, txt: SVGElement, tip: SVGElement }[] }[]} */
  let rows = [];
  /** Terms each node had at each index on the previous render (to draw overwritten ghosts). */
  /** @type {Map<number, Map<number, number>>} */
  const prevTerms = new Map();
  /** Ghost cells: `${node}:${index}` -> { term, untilMs } */
  /** @type {Map<string, { term: number, untilMs: number, atMs: number }>} */
  const ghosts = new Map();
  /** @type {Set<string>} */
  const seenTruncations = new Set();
  let start = 1;
  let lastSig = '';

  function pan(dir) {
    const st = store.get();
    store.setUi({ logFollow: false, logStart: Math.max(1, start + dir * Math.max(1, Math.floor(cols / 2))) });
    void st;
  }

  const ro = new ResizeObserver(() => {
    const w = scroller.clientWidth || 600;
    const c = Math.max(6, Math.min(60, Math.floor((w - LABEL_W - PAD_R) / CW)));
    if (c !== cols) {
      cols = c;
      rowsKey = '';
      render(store.get());
    }
  });
  ro.observe(scroller);

  /** @param {number[]} ids */
  function build(ids) {
    clear(svg);
    svg.append(defs);
    heads = [];
    rows = [];
    const width = LABEL_W + cols * CW + PAD_R;
    const height = HEAD + ids.length * (CH + GAP) + 4;
    attr(svg, 'viewBox', `0 0 ${width} ${height}`);
    attr(svg, 'width', width);
    attr(svg, 'height', height);
    const gHead = s('g', { class: 'log-head' });
    for (let j = 0; j < cols; j++) {
      const tx = s('text', { x: LABEL_W + j * CW + CW / 2, y: 12, 'text-anchor': 'middle', class: 'log-index' });
      gHead.append(tx);
      heads.push(tx);
    }
    svg.append(gHead);
    ids.forEach((id, i) => {
      const y = HEAD + i * (CH + GAP) + GAP / 2;
      const g = s('g', { class: 'log-row', 'data-node': id, transform: `translate(0 ${y})` });
      const label = s('text', { x: 4, y: 12, class: 'log-label' });
      const sub = s('text', { x: 4, y: 23, class: 'log-sub' });
      const snap = s('rect', { y: 0, height: CH, fill: 'url(#snap-hatch)', class: 'log-snap', rx: 3 });
      const snapText = s('text', { y: 16, class: 'log-snap-text' });
      g.append(label, sub, snap, snapText);
      const slots = [];
      for (let j = 0; j < cols; j++) {
        const rect = s('rect', { x: LABEL_W + j * CW + 1, y: 0, width: CW - 2, height: CH, rx: 3, class: 'cell' });
        const txt = s('text', { x: LABEL_W + j * CW + CW / 2, y: 16, 'text-anchor': 'middle', class: 'cell-term' });
        const tip = s('title');
        const sg = s('g', { class: 'slot' }, [rect, txt, tip]);
        g.append(sg);
        slots.push({ g: sg, rect, txt, tip });
      }
      const commit = s('rect', { y: -3, width: 4, height: CH + 6, rx: 2, class: 'commit-bar' });
      const applied = s('circle', { cy: CH + 3.5, r: 2.6, class: 'applied-dot' });
      const nextM = s('path', { d: 'M-6 -7H6L0 -1Z', class: 'next-marker' });
      const matchM = s('path', { d: `M-6 ${CH + 7}H6L0 ${CH + 1}Z`, class: 'match-marker' });
      g.append(commit, applied, nextM, matchM);
      svg.append(g);
      rows.push({ id, g, label, sub, snap, snapText, commit, applied, next: nextM, match: matchM, slots });
    });
  }

  /**
   * @param {StoreState} st
   */
  function render(st) {
    const sim = st.sim;
    const lang = st.ui.lang;
    if (lang !== lastLang) {
      lastLang = lang;
      text(title, t(lang, 'log.title'));
      text(follow, t(lang, 'log.follow'));
      attr(prev, 'aria-label', t(lang, 'log.earlier'));
      attr(next, 'aria-label', t(lang, 'log.later'));
      attr(prev, 'title', t(lang, 'log.earlier'));
      attr(next, 'title', t(lang, 'log.later'));
      attr(follow, 'title', t(lang, 'log.followHelp'));
      text(legend, t(lang, 'log.legend'));
      attr(svg, 'aria-label', t(lang, 'log.label'));
    }
    if (!sim) return;
    const ids = sim.nodes.map((/** @type {any} */ n) => n.id);
    const key = `${ids.join(',')}|${cols}`;
    if (key !== rowsKey) {
      rowsKey = key;
      lastSig = '';
      build(ids);
    }
    const now = st.nowMs;
    const dark = st.ui.theme === 'dark';
    // Skip the pass when nothing the grid shows has changed (most frames at slow speeds).
    const focus = lessonFocus(st);
    let sig = `${lang}|${dark}|${st.ui.logFollow}|${st.ui.logStart}|${ghosts.size}|${focus ? JSON.stringify(focus.log) + [...focus.nodes].join() : ''}`;
    // Only the effects the grid shows (overwritten entries, rejections, nextIndex moves): a lost
    // or duplicated message, frequent on a lossy network, changes nothing here.
    for (const e of st.effects) if (e.kind === 'truncate' || e.kind === 'reject' || e.kind === 'nextIndex') sig += `|${e.kind}@${e.atMs}`;
    for (const n of sim.nodes) {
      const log = n.log ?? [];
      const last = log.length ? log[log.length - 1] : null;
      sig += `|${n.id}:${n.role}:${n.status}:${n.term}:${log.length}:${last ? `${last.index}.${last.term}` : ''}:${n.commitIndex}:${n.lastApplied}:${n.snapshotIndex}`;
      for (const p of n.progress ?? []) sig += `:${p.peer}.${p.nextIndex}.${p.matchIndex}.${p.state}`;
    }
    if (sig === lastSig) return;
    lastSig = sig;
    const leader = currentLeader(sim.nodes);

    // Record ghosts for truncations we have not seen yet, from the terms of the previous render.
    for (const e of st.effects) {
      if (e.kind !== 'truncate') continue;
      const d = e.data;
      const k = `${d.node}:${d.from}:${d.to}:${e.atMs}`;
      if (seenTruncations.has(k)) continue;
      seenTruncations.add(k);
      const old = prevTerms.get(d.node);
      for (let i = d.from; i <= d.to && i - d.from < 200; i++) {
        const term = old?.get(i) ?? d.conflictTerm ?? 0;
        ghosts.set(`${d.node}:${i}`, { term, untilMs: e.untilMs, atMs: e.atMs });
      }
    }
    for (const [k, g] of ghosts) if (g.untilMs < now || g.atMs > now) ghosts.delete(k);
    if (seenTruncations.size > 500) seenTruncations.clear();

    let end = 0;
    for (const n of sim.nodes) end = Math.max(end, lastIndex(n));
    if (st.ui.logFollow) start = Math.max(1, end - cols + 2);
    else start = Math.max(1, Math.min(st.ui.logStart, Math.max(1, end - 1)));
    attr(follow, 'aria-pressed', st.ui.logFollow ? 'true' : 'false');
    for (let j = 0; j < cols; j++) text(heads[j], start + j);
    // A lesson step that names servers or cells dims the other rows.
    attr(svg, 'data-focus-rows', focus && (focus.nodes.size || focus.log.length) ? '1' : null);

    const progress = new Map();
    if (leader) for (const p of leader.progress ?? []) progress.set(p.peer, p);
    const nextFx = new Map();
    const rejectFx = new Map();
    for (const e of st.effects) {
      // A move on every ack is routine (the ▼ shows it); only repairs get a note.
      if (e.kind === 'nextIndex' && categoryOf(e.data) !== 'message') nextFx.set(e.data.peer, e.data);
      if (e.kind === 'reject') rejectFx.set(e.data.node, e.data);
    }

    /** @type {string[]} */
    const noteLines = [];
    for (const row of rows) {
      const n = sim.nodes.find((/** @type {any} */ x) => x.id === row.id);
      if (!n) continue;
      const isLeader = leader && leader.id === n.id;
      text(row.label, `S${n.id}${n.role === 'leader' ? ' ★' : ''}${n.status === 'crashed' ? ' ✕' : ''}`);
      const p = progress.get(n.id);
      text(row.sub, isLeader ? t(lang, 'role.leader') : p?.state ? t(lang, `progress.${p.state}`) : '');
      attr(row.g, 'data-commit', n.commitIndex ?? 0);
      attr(row.g, 'data-last', lastIndex(n));
      const nf = nextFx.get(n.id);
      const rf = rejectFx.get(n.id);
      attr(row.g, 'class', `log-row${n.status === 'crashed' ? ' crashed' : ''}${nf || rf ? ' noted' : ''}`);
      attr(row.g, 'data-focus', focus && (focus.nodes.has(n.id) || focus.log.some((c) => c.node === n.id)) ? '1' : null);
      const terms = new Map();
      const snapIdx = n.snapshotIndex ?? 0;
      for (let j = 0; j < cols; j++) {
        const idx = start + j;
        const slot = row.slots[j];
        const term = termAt(n, idx);
        if (term) terms.set(idx, term);
        const ghost = ghosts.get(`${n.id}:${idx}`);
        const leaderTerm = leader && !isLeader ? termAt(leader, idx) : 0;
        const conflict = !!term && !!leader && !isLeader && (leaderTerm ? leaderTerm !== term : idx > lastIndex(leader) && idx > (n.commitIndex ?? 0));
        let cls = 'cell';
        if (term) {
          attr(slot.rect, 'fill', termColor(term, dark));
          text(slot.txt, term);
          if (conflict) cls += ' conflict';
          if (/^no-op/.test(n.log[idx - n.log[0].index]?.summary ?? '')) cls += ' noop';
          if (ghost) cls += ' overwritten';
          if (idx <= (n.commitIndex ?? 0)) cls += ' committed';
          const e = n.log[idx - n.log[0].index];
          text(slot.tip, t(lang, 'log.cellAria', { node: n.id, index: idx, term, summary: e?.summary ?? '' }));
          attr(slot.g, 'data-index', idx);
          attr(slot.g, 'data-term', term);
        } else if (ghost) {
          attr(slot.rect, 'fill', 'none');
          text(slot.txt, ghost.term || '');
          cls += ' ghost';
          text(slot.tip, t(lang, 'log.truncated'));
          attr(slot.g, 'data-index', idx);
          attr(slot.g, 'data-term', null);
        } else {
          attr(slot.rect, 'fill', 'none');
          text(slot.txt, '');
          cls += idx <= snapIdx ? ' hidden' : ' empty';
          text(slot.tip, '');
          attr(slot.g, 'data-index', null);
          attr(slot.g, 'data-term', null);
        }
        attr(slot.rect, 'class', cls);
        attr(slot.g, 'data-focus', cellInFocus(focus, n.id, idx) ? '1' : null);
        attr(slot.txt, 'class', `cell-term${ghost && !term ? ' ghost-term' : ''}`);
      }
      prevTerms.set(n.id, terms);

      // Snapshot block: every index up to snapshotIndex is only in the snapshot now.
      if (snapIdx >= start) {
        const w = Math.min(snapIdx - start + 1, cols) * CW - 2;
        attr(row.snap, 'x', LABEL_W + 1);
        attr(row.snap, 'width', w);
        attr(row.snap, 'visibility', null);
        attr(row.snapText, 'x', LABEL_W + 5);
        text(row.snapText, w > 60 ? t(lang, 'log.snapshot', { index: snapIdx }) : `≤${snapIdx}`);
      } else {
        attr(row.snap, 'visibility', 'hidden');
        attr(row.snap, 'width', 0);
        text(row.snapText, snapIdx > 0 ? '' : '');
      }

      placeAt(row.commit, n.commitIndex ?? 0, -2, true);
      placeAt(row.applied, n.lastApplied ?? 0, CW / 2, false, 'cx');

      // The leader's view of this follower.
      if (p && !isLeader) {
        placeAt(row.next, p.nextIndex, CW / 2, false, 'transform');
        placeAt(row.match, p.matchIndex, CW / 2, false, 'transform');
      } else {
        attr(row.next, 'visibility', 'hidden');
        attr(row.match, 'visibility', 'hidden');
      }
      let note = '';
      if (rf) note = `✗ ${t(lang, 'msg.rejected')}`;
      if (nf) note += `${note ? ' · ' : ''}nextIndex ${nf.from}→${nf.to}${nextWhy(lang, nf)}`;
      if (note) noteLines.push(`S${n.id}: ${note}`);
    }
    const notesNow = noteLines.join('\n');
    if (notesNow !== notesKey) {
      notesKey = notesNow;
      notes.replaceChildren(...noteLines.map((line) => h('li', { text: line })));
    }
  }

  /**
   * Position a marker at the right edge / centre of the column for `index`; hide it when the
   * index is outside the window (by visibility: an opacity of 0 would be a paint property node
   * of its own, docs/DESIGN.md "Performance of the page").
   * @param {SVGElement} el
   * @param {number} index
   * @param {number} dx
   * @param {boolean} rightEdge
   * @param {'x' | 'cx' | 'transform'} [how]
   */
  function placeAt(el, index, dx, rightEdge, how = 'x') {
    const j = index - start;
    if (index <= 0 || j < -1 || j >= cols) {
      attr(el, 'visibility', 'hidden');
      return;
    }
    attr(el, 'visibility', null);
    const x = LABEL_W + j * CW + (rightEdge ? CW : 0) + dx;
    if (how === 'transform') attr(el, 'transform', `translate(${x} 0)`);
    else attr(el, how, x);
  }

  return { render };
}
