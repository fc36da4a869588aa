// @ts-check
// The space-time diagram (issue 15), as Lamport drew them: one lane per server, time running to
// the right, each message an arrow from its send to its arrival, coloured by kind as in the
// cluster view (palette.js). A lost message ends in a cross, a copy the network made says ×2, a
// message in flight is open-ended at the "now" line. The lanes show the role (line style), the
// term (the band's tint, as the log's cells), crashes, pauses, cut links and commits.
//
// It draws only a window of time around the current moment (spacetime.js answers for a window),
// in a group whose x is the simulated time: as time passes one transform moves, and only arrows
// entering or leaving the window touch the DOM. Hover highlights the message here and in the
// cluster view; click or Enter goes to it (a seek) and opens it in the inspector; ← and → move
// between arrows (one tab stop). Export writes a standalone SVG.

import { h, s, attr, text } from '../dom.js';
import { t, fmtMs, joinList } from '../i18n.js';
import { msgStyle, termColor, ROLE_STYLE } from '../palette.js';
import { msgName, roleName, describeReason, describe } from '../describe.js';
import { messagesIn, segmentsIn, marksIn, laneName } from '../spacetime.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */
/** @typedef {import('../spacetime.js').StMessage} StMessage */
/** @typedef {import('../spacetime.js').Lane} Lane */

/** The spans the zoom buttons step through (simulated ms across the plot). */
export const ST_WINDOWS_MS = [20, 50, 100, 200, 500, 1000, 2000, 5000];
const AXIS_H = 22;
const LANE_H = 34;
const GUTTER = 46;
const PAD_RIGHT = 6;
/** Where "now" sits across the plot: most of the window is the past, a little the next moments. */
const NOW_AT = 0.9;
/** Content x is re-based once it drifts this far from 0 (keeps coordinates small and exact). */
const REBASE_PX = 200_000;
/** Arrows drawn at most; past it the oldest in the window are left out (zoom in to see them). */
const ARROWS_MAX = 1500;

/**
 * A tick step that gives about `count` ticks over `spanMs`.
 * @param {number} spanMs
 * @param {number} count
 */
function tickStep(spanMs, count) {
  const raw = spanMs / Math.max(1, count);
  for (const st of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000]) if (st >= raw) return st;
  return 10000;
}

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createSpacetimeView(root, store, send) {
  const title = h('h2', { class: 'panel-title' });
  const zoomOut = h('button', { type: 'button', class: 'icon-btn', 'data-testid': 'st-zoom-out', onclick: () => zoom(+1) }, [h('span', { 'aria-hidden': 'true', text: '−' })]);
  const zoomIn = h('button', { type: 'button', class: 'icon-btn', 'data-testid': 'st-zoom-in', onclick: () => zoom(-1) }, [h('span', { 'aria-hidden': 'true', text: '+' })]);
  const span = h('span', { class: 'st-span', 'data-testid': 'st-span', 'aria-live': 'polite' });
  const exportBtn = h('button', { type: 'button', 'data-testid': 'st-export', onclick: () => exportSvg() });
  const help = h('p', { class: 'hint st-help' });
  const head = h('div', { class: 'st-head' }, [title, h('span', { class: 'spacer' }), zoomOut, span, zoomIn, exportBtn]);

  const svg = /** @type {SVGSVGElement} */ (s('svg', { class: 'st-svg', 'data-testid': 'st-svg', role: 'group' }));
  const clip = s('clipPath', { id: 'st-clip' }, [s('rect', {})]);
  const clipRect = /** @type {SVGElement} */ (clip.firstChild);
  const bg = s('rect', { class: 'st-bg', x: 0, y: 0 });
  const gGutter = s('g', { class: 'st-gutter' });
  const plot = s('g', { 'clip-path': 'url(#st-clip)' });
  const content = s('g', { class: 'st-content' });
  const gTicks = s('g', { class: 'st-ticks', 'aria-hidden': 'true' });
  const gSegs = s('g', { class: 'st-segs', 'aria-hidden': 'true' });
  const gMarks = s('g', { class: 'st-marks' });
  const gMsgs = s('g', { class: 'st-msgs', role: 'group' });
  content.append(gTicks, gSegs, gMarks, gMsgs);
  const nowLine = s('line', { class: 'st-now', y1: AXIS_H - 4 });
  const nowLabel = s('text', { class: 'st-now-label', y: 12, 'text-anchor': 'middle' });
  // The future: a mask right of "now" (the run has not got there). Arrows in flight and the
  // lanes' last segments are drawn on to where they are headed and disappear under it, so time
  // passing moves one transform instead of every open arrow.
  const future = s('rect', { class: 'st-future', y: 0 });
  plot.append(content, future);
  svg.append(s('defs', {}, [clip]), bg, gGutter, plot, nowLine, nowLabel);
  const wrap = h('div', { class: 'st-wrap' }, [svg]);
  // What the arrow under the pointer (or the keyboard) is, in words.
  const caption = h('p', { class: 'st-caption', 'data-testid': 'st-caption' });
  root.append(head, wrap, caption, help);

  let width = 600;
  new ResizeObserver(() => {
    const w = Math.round(wrap.clientWidth);
    if (w > 0 && w !== width) {
      width = w;
      geomKey = '';
      render(store.get());
    }
  }).observe(wrap);

  // ---- Geometry: content x = (t - baseMs) * k; the content group is moved so now sits at nowX.
  let baseMs = 0;
  let k = 1;
  let geomKey = '';
  /** @type {Lane[]} */
  let lanes = [];
  /** @type {Map<string, number>} */
  let laneY = new Map();
  let lastLang = '';
  let lastRun = -1;
  let renderKey = '';
  /** A typical flight time (the config's mean latency), for what has no traced end. */
  let nominalMs = 10;

  /** @type {Map<number, { g: SVGElement, hit: SVGElement, line: SVGElement, extra: SVGElement | null, tail: SVGElement | null, tailTo: number, d: string, key: string, m: StMessage }>} */
  const arrows = new Map();
  /** @type {Map<string, { g: SVGElement, band: SVGElement, line: SVGElement, cut: SVGElement, key: string, to: number, open?: boolean }>} */
  const segs = new Map();
  /** @type {Map<string, SVGElement>} */
  const marks = new Map();
  /** What each drawn mark stands for (its tooltip is written when the pointer first reaches it). */
  /** @type {WeakMap<Element, import('../spacetime.js').StMark>} */
  const markOf = new WeakMap();
  /** @type {Map<number, SVGElement>} */
  const ticks = new Map();
  /** Ticks whose label is hidden under the label of now. */
  const nearNow = new Set();
  /** The arrow that holds the tab stop (roving tabindex). */
  let activeId = /** @type {number | null} */ (null);
  /** Arrows in the window, by send time (for ← and →). */
  /** @type {StMessage[]} */
  let order = [];

  /** @param {number} tMs */
  const cx = (tMs) => (tMs - baseMs) * k;
  /** @param {Lane} lane */
  const ly = (lane) => laneY.get(String(lane)) ?? -100;

  /** @param {number} dir +1: longer span, -1: shorter */
  function zoom(dir) {
    const cur = store.get().ui.stWindowMs;
    const i = ST_WINDOWS_MS.indexOf(cur);
    const next = ST_WINDOWS_MS[Math.max(0, Math.min(ST_WINDOWS_MS.length - 1, (i < 0 ? 3 : i) + dir))];
    send.ui({ intent: 'stWindow', ms: next });
  }

  function clearContent() {
    for (const g of [gTicks, gSegs, gMarks, gMsgs]) g.replaceChildren();
    arrows.clear();
    segs.clear();
    marks.clear();
    ticks.clear();
    nearNow.clear();
    activeId = null;
    activeEl = null;
    lastHover = null;
    lastSelected = null;
  }

  /**
   * @param {StoreState} st
   */
  function render(st) {
    if (root.hidden || root.closest('[hidden]') || !st.sim) return;
    const lang = st.ui.lang;
    const now = st.nowMs;
    const win = st.ui.stWindowMs;
    // A lane per server, then one per client (clients are endpoints of the network).
    const ids = [...st.sim.nodes.map((/** @type {any} */ n) => n.id), ...(st.sim.clients ?? []).map((/** @type {any} */ c) => `c${c.id}`)];
    const plotW = Math.max(60, width - GUTTER - PAD_RIGHT);
    const nowX = GUTTER + plotW * NOW_AT;
    const key = `${st.runId}|${win}|${plotW}|${ids.join(',')}|${lang}`;
    const rk = `${key}|${now}|${st.timelineVersion}|${st.ui.hoverMsg}|${st.ui.inspect?.id}|${st.ui.theme}|${st.config.latencyMsMax}`;
    if (rk === renderKey) return;
    renderKey = rk;
    if (key !== geomKey || Math.abs(cx(now)) > REBASE_PX || st.runId !== lastRun) {
      geomKey = key;
      lastRun = st.runId;
      k = plotW / win;
      baseMs = now;
      lanes = ids;
      laneY = new Map(lanes.map((l, i) => [String(l), AXIS_H + i * LANE_H + LANE_H / 2]));
      const height = AXIS_H + lanes.length * LANE_H + 6;
      attr(svg, 'viewBox', `0 0 ${width} ${height}`);
      attr(svg, 'width', width);
      attr(svg, 'height', height);
      attr(bg, 'width', width);
      attr(bg, 'height', height);
      attr(clipRect, 'x', GUTTER);
      attr(clipRect, 'y', 0);
      attr(clipRect, 'width', plotW);
      attr(clipRect, 'height', height);
      attr(future, 'x', nowX);
      attr(future, 'width', width - nowX);
      attr(future, 'height', height);
      attr(nowLine, 'x1', nowX);
      attr(nowLine, 'x2', nowX);
      attr(nowLine, 'y2', height);
      clearContent();
      drawGutter(lang);
    }
    if (lang !== lastLang) {
      lastLang = lang;
      text(title, t(lang, 'st.title'));
      text(help, t(lang, 'st.help'));
      text(exportBtn, t(lang, 'st.export'));
      attr(exportBtn, 'title', t(lang, 'st.exportHelp'));
      attr(zoomIn, 'title', t(lang, 'st.zoomIn'));
      attr(zoomIn, 'aria-label', t(lang, 'st.zoomIn'));
      attr(zoomOut, 'title', t(lang, 'st.zoomOut'));
      attr(zoomOut, 'aria-label', t(lang, 'st.zoomOut'));
      attr(svg, 'aria-label', t(lang, 'st.label'));
      attr(gMsgs, 'aria-label', t(lang, 'st.arrows'));
    }
    text(span, t(lang, 'st.span', { ms: win }));
    attr(zoomIn, 'disabled', win <= ST_WINDOWS_MS[0] ? '' : null);
    attr(zoomOut, 'disabled', win >= ST_WINDOWS_MS[ST_WINDOWS_MS.length - 1] ? '' : null);
    attr(content, 'transform', `translate(${(nowX - cx(now)).toFixed(2)} 0)`);
    text(nowLabel, `${fmtMs(now)} ms`);
    attr(nowLabel, 'x', nowX);

    const t0 = now - win * NOW_AT;
    const t1 = now + win * (1 - NOW_AT);
    const tl = st.timeline;
    drawTicks(t0, t1, plotW, win, now);
    drawSegments(segmentsIn(tl, t0, now), now, st.ui.theme === 'dark', lang);
    nominalMs = Math.max(1, ((st.config.latencyMsMin ?? 5) + (st.config.latencyMsMax ?? 15)) / 2);
    drawMarks(marksIn(tl, t0, now), lang);
    drawArrows(messagesIn(tl, t0, now), now, st, lang);
    const hovered = st.ui.hoverMsg === null ? null : arrows.get(st.ui.hoverMsg);
    text(caption, hovered ? arrowLabel(hovered.m, lang) : '\u00a0');
    updateGutter(st, lang);
  }

  /** @type {Map<string, { name: SVGElement, glyph: SVGElement }>} */
  const gutterEls = new Map();

  /** @param {import('../i18n.js').Lang} lang */
  function drawGutter(lang) {
    gGutter.replaceChildren();
    gutterEls.clear();
    for (const lane of lanes) {
      const y = ly(lane);
      const name = s('text', { class: 'st-lane-name', x: 6, y: y + 4, text: laneName(lane) });
      const glyph = s('text', { class: 'st-lane-glyph', x: GUTTER - 8, y: y + 4, 'text-anchor': 'end' });
      gGutter.append(s('line', { class: 'st-lane-rule', x1: 0, x2: width, y1: y + LANE_H / 2, y2: y + LANE_H / 2 }), name, glyph);
      gutterEls.set(String(lane), { name, glyph });
    }
    void lang;
  }

  /**
   * @param {StoreState} st
   * @param {import('../i18n.js').Lang} lang
   */
  function updateGutter(st, lang) {
    for (const n of st.sim?.nodes ?? []) {
      const el = gutterEls.get(String(n.id));
      if (!el) continue;
      const style = ROLE_STYLE[/** @type {keyof typeof ROLE_STYLE} */ (n.role)] ?? ROLE_STYLE.follower;
      text(el.glyph, n.status === 'crashed' ? '✕' : style.glyph);
      attr(el.glyph, 'data-role', n.status === 'crashed' ? 'crashed' : n.role);
      attr(el.name, 'aria-label', `S${n.id}: ${n.status === 'crashed' ? t(lang, 'status.crashed') : roleName(lang, n.role)}`);
    }
  }

  /**
   * @param {number} t0
   * @param {number} t1
   * @param {number} plotW
   * @param {number} win
   * @param {number} now
   */
  function drawTicks(t0, t1, plotW, win, now) {
    const step = tickStep(win, Math.max(2, Math.floor(plotW / 90)));
    const seen = new Set();
    for (let tk = Math.ceil(t0 / step) * step; tk <= t1; tk += step) {
      if (tk < 0) continue;
      seen.add(tk);
      if (ticks.has(tk)) continue;
      const x = cx(tk);
      const g = s('g', { class: 'st-tick', transform: `translate(${x.toFixed(2)} 0)` }, [
        s('line', { y1: AXIS_H - 5, y2: AXIS_H + lanes.length * LANE_H }),
        s('text', { y: 11, 'text-anchor': 'middle', text: `${tk}` }),
      ]);
      gTicks.append(g);
      ticks.set(tk, g);
    }
    for (const [tk, g] of ticks) {
      if (!seen.has(tk)) {
        g.remove();
        ticks.delete(tk);
        nearNow.delete(tk);
      } else {
        // The label of "now" takes the place of a tick label it would cover.
        const near = Math.abs(tk - now) * k < 34;
        if (near !== nearNow.has(tk)) {
          if (near) nearNow.add(tk);
          else nearNow.delete(tk);
          attr(g, 'data-near-now', near ? '1' : null);
        }
      }
    }
  }

  /**
   * @param {import('../spacetime.js').StSegment[]} list
   * @param {number} now
   * @param {boolean} dark
   * @param {import('../i18n.js').Lang} lang
   */
  function drawSegments(list, now, dark, lang) {
    const win = store.get().ui.stWindowMs;
    /** @type {Map<string, number>} */
    const endOf = new Map();
    const seen = new Set();
    // Walk backwards so each segment knows where the next one on its lane starts.
    for (let i = list.length - 1; i >= 0; i--) {
      const sg = list[i];
      const lane = String(sg.lane);
      if (!laneY.has(lane)) continue;
      // A lane's last segment runs on under the mask over the future (see `future`), so it is
      // lengthened only now and then, not every frame.
      const next = endOf.get(lane);
      endOf.set(lane, sg.atMs);
      const id = `${lane}|${sg.atMs}`;
      seen.add(id);
      const key = `${sg.role}|${sg.term}|${sg.status}|${sg.cut}|${dark}|${lang}`;
      let el = segs.get(id);
      if (!el || el.key !== key) {
        el?.g.remove();
        const y = ly(sg.lane);
        const crashed = sg.status === 'crashed';
        const band = s('rect', { class: 'st-band', y: y - 7, height: 14, fill: crashed || sg.term < 1 ? 'none' : termColor(sg.term, dark) });
        const line = s('line', { class: 'st-role', y1: y, y2: y, 'data-role': crashed ? 'crashed' : sg.role, 'data-status': sg.status });
        const cut = s('line', { class: 'st-cutline', y1: y + 9, y2: y + 9, 'data-on': sg.cut ? '1' : '0' });
        const g = s('g', { class: 'st-seg', 'data-lane': lane }, [band, line, cut]);
        if (sg.cut) g.append(s('title', { text: t(lang, 'st.markCut', { node: laneName(sg.lane), peers: joinList(lang, sg.cut.split(',').map((p) => laneName(Number(p) || p))) }) }));
        gSegs.append(g);
        el = { g, band, line, cut, key, to: -1 };
        segs.set(id, el);
      }
      const to = next !== undefined ? next : el.to >= now + win * 0.2 && el.to !== -1 && el.open ? el.to : now + win;
      el.open = next === undefined;
      if (to === el.to) continue;
      el.to = to;
      const x0 = cx(sg.atMs).toFixed(2);
      const x1 = cx(Math.max(sg.atMs, to)).toFixed(2);
      el.band.setAttribute('x', x0);
      el.band.setAttribute('width', (Number(x1) - Number(x0)).toFixed(2));
      for (const ln of [el.line, el.cut]) {
        ln.setAttribute('x1', x0);
        ln.setAttribute('x2', x1);
      }
    }
    for (const [id, el] of segs) {
      if (!seen.has(id)) {
        el.g.remove();
        segs.delete(id);
      }
    }
  }

  /**
   * @param {import('../spacetime.js').StMark[]} list
   * @param {import('../i18n.js').Lang} lang
   */
  function drawMarks(list, lang) {
    const seen = new Set();
    /** @type {Map<string, number>} */
    const lastLabel = new Map();
    for (let i = 0; i < list.length; i++) {
      const mk = list[i];
      const lane = String(mk.lane);
      if (!laneY.has(lane)) continue;
      const id = `${mk.kind}|${lane}|${mk.atMs}|${i && list[i - 1].atMs === mk.atMs ? i : 0}`;
      seen.add(id);
      if (marks.has(id)) continue;
      const x = cx(mk.atMs);
      const y = ly(mk.lane);
      /** @type {SVGElement} */
      let g;
      if (mk.kind === 'commit') {
        // Only the leader's commits carry their index (followers learn it from the leader), and
        // only where there is room for it.
        const room = mk.data.leader && x - (lastLabel.get(lane) ?? -1e9) > 26;
        if (room) lastLabel.set(lane, x);
        g = s('g', { class: 'st-mark st-commit', transform: `translate(${x.toFixed(2)} ${y})` }, [s('path', { d: 'M0 -9V9' }), room ? s('text', { x: 2, y: 16, text: String(mk.data.to) }) : null]);
      } else if (mk.kind === 'role') {
        const style = ROLE_STYLE[/** @type {keyof typeof ROLE_STYLE} */ (mk.data.to)] ?? ROLE_STYLE.follower;
        g = s('g', { class: 'st-mark st-rolemark', 'data-role': mk.data.to, transform: `translate(${x.toFixed(2)} ${y - 10})` }, [s('text', { 'text-anchor': 'middle', text: style.glyph })]);
      } else if (mk.kind === 'request' || mk.kind === 'answer') {
        // One end of a client's trip: a stub towards the other lane (the trace does not say when
        // the request arrived or when the answer left).
        const other = mk.kind === 'request' ? mk.data.to : mk.data.servedBy;
        const dy = (ly(other) - y) * 0.35;
        const dx = Math.max(6, nominalMs * 0.35 * k);
        const d = mk.kind === 'request' ? `M0 0L${dx.toFixed(1)} ${dy.toFixed(1)}` : `M${(-dx).toFixed(1)} ${dy.toFixed(1)}L0 0${chevron(-dx, dy, 0, 0)}`;
        g = s('g', { class: `st-mark st-client st-${mk.kind}`, transform: `translate(${x.toFixed(2)} ${y})`, 'data-server': other }, [s('path', { d })]);
      } else if (mk.kind === 'clientLost') {
        g = s('g', { class: 'st-mark st-clientLost', transform: `translate(${x.toFixed(2)} ${y + 5})` }, [s('text', { 'text-anchor': 'middle', text: '✗' })]);
      } else if (mk.kind === 'term') {
        g = s('g', { class: 'st-mark st-termmark', transform: `translate(${(x + 2).toFixed(2)} ${y + 4})` }, [s('text', { text: t(lang, 'node.termShort', { term: mk.data.term }) })]);
      } else {
        const glyph = { crash: '✕', restart: '↻', pause: '❚❚', resume: '▶', cut: '✂', heal: '⇌' }[mk.kind] ?? '•';
        // Cuts sit on the red dashed line under the lane, so a crash at the same moment stays clear.
        const dy = mk.kind === 'cut' || mk.kind === 'heal' ? 13 : 5;
        g = s('g', { class: `st-mark st-${mk.kind}`, transform: `translate(${x.toFixed(2)} ${y + dy})` }, [s('text', { 'text-anchor': 'middle', text: glyph })]);
      }
      markOf.set(g, mk);
      attr(g, 'data-kind', mk.kind);
      attr(g, 'data-lane', lane);
      gMarks.append(g);
      marks.set(id, g);
    }
    for (const [id, g] of marks) {
      if (!seen.has(id)) {
        g.remove();
        marks.delete(id);
      }
    }
  }

  /**
   * Where an arrow ends: its arrival, the point where it was lost, or (in flight) where it is due.
   * @param {StMessage} m
   * @param {number} nominalMs a flight time for a message lost as it left (it has no due time)
   */
  function endPoint(m, nominalMs) {
    const x0 = cx(m.sentAtMs);
    const y0 = ly(m.from);
    const y1 = ly(m.to);
    if (m.end === 'delivered' && m.endAtMs !== null) return { x: cx(m.endAtMs), y: y1, f: 1 };
    const due = m.dueAtMs > m.sentAtMs ? m.dueAtMs : m.sentAtMs + nominalMs;
    // In flight: drawn to where it is due, the part not yet flown hidden under the future's mask.
    const at = m.end === 'dropped' && m.endAtMs !== null ? (m.endAtMs > m.sentAtMs ? m.endAtMs : m.sentAtMs + nominalMs / 2) : due;
    const f = Math.max(0, Math.min(1, (at - m.sentAtMs) / Math.max(1e-6, due - m.sentAtMs)));
    return { x: x0 + (cx(due) - x0) * f, y: y0 + (y1 - y0) * f, f };
  }

  /**
   * An open chevron at (x1, y1) pointing along the line from (x0, y0): an arrival.
   * @param {number} x0
   * @param {number} y0
   * @param {number} x1
   * @param {number} y1
   */
  function chevron(x0, y0, x1, y1) {
    const ang = Math.atan2(y1 - y0, x1 - x0);
    const a1 = ang + Math.PI - 0.45;
    const a2 = ang + Math.PI + 0.45;
    return `M${(x1 + 7 * Math.cos(a1)).toFixed(2)} ${(y1 + 7 * Math.sin(a1)).toFixed(2)}L${x1.toFixed(2)} ${y1.toFixed(2)}L${(x1 + 7 * Math.cos(a2)).toFixed(2)} ${(y1 + 7 * Math.sin(a2)).toFixed(2)}`;
  }

  /**
   * The arrow's path: from its send to where it ends, with an open chevron at an arrival.
   * @param {StMessage} m
   * @param {number} nominal
   */
  function arrowPath(m, nominal) {
    const p = endPoint(m, nominal);
    const x0 = cx(m.sentAtMs);
    const y0 = ly(m.from);
    let d = `M${x0.toFixed(2)} ${y0}L${p.x.toFixed(2)} ${p.y.toFixed(2)}`;
    if (m.end === 'delivered') d += chevron(x0, y0, p.x, p.y);
    // The cross sits where it was lost, the tip where it is now, "×2" beside a copy's start.
    const atStart = m.copyOf !== null && m.end !== 'dropped';
    return { d, ex: atStart ? x0 : p.x, ey: atStart ? y0 : p.y };
  }

  let lastHover = /** @type {number | null} */ (null);
  let lastSelected = /** @type {number | null} */ (null);

  /**
   * Keyed join: an arrow is built once; after that only an arrow in flight (it grows every frame)
   * or one whose end changed is written to.
   * @param {StMessage[]} list
   * @param {number} now
   * @param {StoreState} st
   * @param {import('../i18n.js').Lang} lang
   */
  function drawArrows(list, now, st, lang) {
    const shown = list.length > ARROWS_MAX ? list.slice(list.length - ARROWS_MAX) : list;
    const nominal = Math.max(1, ((st.config.latencyMsMin ?? 5) + (st.config.latencyMsMax ?? 15)) / 2);
    const seen = new Set();
    /** @type {StMessage[]} */
    const drawnNow = [];
    for (const m of shown) {
      if (!laneY.has(String(m.from)) || !laneY.has(String(m.to))) continue;
      seen.add(m.id);
      drawnNow.push(m);
      let el = arrows.get(m.id);
      if (!el) {
        el = makeArrow(m);
        arrows.set(m.id, el);
        gMsgs.append(el.g);
      }
      el.m = m;
      const key = `${m.end}|${m.endAtMs}|${lang}`;
      if (m.end === 'flight' && now > m.dueAtMs) waitTail(el, m, now, st.ui.stWindowMs);
      else if (el.tail) {
        el.tail.remove();
        el.tail = null;
        el.g.removeAttribute('data-waiting');
      }
      if (el.key === key) continue;
      const { d, ex, ey } = arrowPath(m, nominal);
      if (d !== el.d) {
        el.d = d;
        el.line.setAttribute('d', d);
        el.hit.setAttribute('d', d);
      }
      if (el.key !== key) {
        el.key = key;
        el.g.setAttribute('data-end', m.end);
        el.g.setAttribute('aria-label', arrowLabel(m, lang));
        // A cross where it was lost, "×2" beside a copy: only those arrows carry a third part.
        el.extra?.remove();
        el.extra = null;
        if (m.end === 'dropped' || m.copyOf !== null) {
          const style = msgStyle(m.type);
          el.extra = s('g', { class: 'st-extra', stroke: style.color, fill: style.color, transform: `translate(${ex.toFixed(2)} ${ey.toFixed(2)})` }, [
            m.end === 'dropped' ? s('path', { class: 'st-x', d: 'M-4 -4L4 4M4 -4L-4 4' }) : null,
            m.copyOf !== null ? s('text', { class: 'st-dup', x: 3, y: -4, text: '×2' }) : null,
          ]);
          el.g.append(el.extra);
        }
      }
    }
    for (const [id, el] of arrows) {
      if (!seen.has(id)) {
        el.g.remove();
        arrows.delete(id);
      }
    }
    const hover = st.ui.hoverMsg;
    if (hover !== lastHover) {
      if (lastHover !== null) arrows.get(lastHover)?.g.removeAttribute('data-hover');
      lastHover = hover;
    }
    if (hover !== null) arrows.get(hover)?.g.setAttribute('data-hover', '1');
    // The message the inspector shows (clicked here, in the cluster view or in a lesson).
    const sel = st.ui.inspect?.kind === 'message' ? st.ui.inspect.id : null;
    if (sel !== lastSelected) {
      if (lastSelected !== null) arrows.get(lastSelected)?.g.removeAttribute('data-selected');
      lastSelected = sel;
    }
    if (sel !== null) arrows.get(sel)?.g.setAttribute('data-selected', '1');
    attr(svg, 'data-hovering', hover !== null && arrows.has(hover) ? '1' : null);
    order = drawnNow;
    // One tab stop: the active arrow, or the newest one.
    if (activeId === null || !arrows.has(activeId)) setActive(order.length ? order[order.length - 1].id : null);
  }

  /** @type {SVGElement | null} */
  let activeEl = null;
  /** @param {number | null} id */
  function setActive(id) {
    activeId = id;
    const el = id === null ? null : arrows.get(id)?.g ?? null;
    if (activeEl && activeEl !== el) activeEl.setAttribute('tabindex', '-1');
    activeEl = el;
    if (el) el.setAttribute('tabindex', '0');
  }

  /** The words of arrow labels in the current language, looked up once per language. */
  let words = { lang: '', names: /** @type {Map<string, string>} */ (new Map()), sent: '', delivered: '', lost: '', flight: '', copy: '' };

  /**
   * What an arrow says to a screen reader and in the caption under the diagram.
   * @param {StMessage} m
   * @param {import('../i18n.js').Lang} lang
   */
  function arrowLabel(m, lang) {
    if (words.lang !== lang) words = { lang, names: new Map(), sent: t(lang, 'st.sent'), delivered: t(lang, 'st.delivered'), lost: t(lang, 'st.lost'), flight: t(lang, 'st.inFlight'), copy: t(lang, 'st.copy') };
    let name = words.names.get(m.type);
    if (name === undefined) words.names.set(m.type, (name = msgName(lang, m.type)));
    const at = fmtMs(m.endAtMs ?? 0);
    const fate =
      m.end === 'delivered'
        ? words.delivered.replace('{at}', at)
        : m.end === 'dropped'
          ? words.lost.replace('{at}', at).replace('{reason}', m.dropReason ? describeReason(lang, m.dropReason) : '')
          : words.flight;
    const copy = m.copyOf !== null ? ` ${words.copy}` : '';
    return `${name} ${laneName(m.from)}→${laneName(m.to)}${m.summary ? ` (${m.summary})` : ''}: ${words.sent.replace('{at}', fmtMs(m.sentAtMs))}, ${fate}.${copy}`;
  }

  /** One arrow of each message type, built once and cloned (cheaper than building each anew). */
  /** @type {Map<string, SVGElement>} */
  const protos = new Map();

  /** @param {StMessage} m */
  function makeArrow(m) {
    let proto = protos.get(m.type);
    if (!proto) {
      const style = msgStyle(m.type);
      proto = s('g', { class: 'st-msg', role: 'button', tabindex: '-1', 'data-type': m.type }, [
        s('path', { class: 'st-hit', 'data-hit': '1' }),
        s('path', { class: 'st-line', stroke: style.color, 'stroke-dasharray': style.hollow ? '4 3' : null, 'stroke-width': style.size >= 8 ? 1.8 : 1.2 }),
      ]);
      protos.set(m.type, proto);
    }
    const g = /** @type {SVGElement} */ (proto.cloneNode(true));
    g.setAttribute('data-id', String(m.id));
    g.setAttribute('data-from', String(m.from));
    g.setAttribute('data-to', String(m.to));
    if (m.copyOf !== null) g.setAttribute('data-copy', '1');
    const hit = /** @type {SVGElement} */ (g.firstChild);
    const line = /** @type {SVGElement} */ (hit.nextSibling);
    return { g, hit, line, extra: /** @type {SVGElement | null} */ (null), tail: /** @type {SVGElement | null} */ (null), tailTo: 0, d: '', key: '', m };
  }

  /**
   * A message past its due time and still in flight waits at its receiver: a paused server's
   * inbox, or a message the learner has not delivered yet in manual mode. A dotted line along
   * the receiver's lane from when it was due runs on under the future's mask (lengthened now and
   * then, not every frame).
   * @param {{ g: SVGElement, tail: SVGElement | null, tailTo: number }} el
   * @param {StMessage} m
   * @param {number} now
   * @param {number} win
   */
  function waitTail(el, m, now, win) {
    if (el.tail && el.tailTo >= now + win * 0.2) return;
    el.tailTo = now + win;
    if (!el.tail) {
      el.tail = s('path', { class: 'st-wait', stroke: msgStyle(m.type).color });
      el.g.setAttribute('data-waiting', '1');
      el.g.append(el.tail);
    }
    // Just above the lane's own line, which a paused server draws dotted too.
    const y = ly(m.to) - 4;
    el.tail.setAttribute('d', `M${cx(m.dueAtMs).toFixed(2)} ${y}H${cx(el.tailTo).toFixed(2)}`);
  }

  /**
   * @param {import('../spacetime.js').StMark} mk
   * @param {import('../i18n.js').Lang} lang
   */
  function markTitle(mk, lang) {
    const node = laneName(mk.lane);
    switch (mk.kind) {
      case 'commit':
        return t(lang, 'st.markCommit', { node, index: mk.data.to });
      case 'role':
        return t(lang, 'st.markRole', { node, role: roleName(lang, mk.data.to), term: mk.data.term });
      case 'term':
        return t(lang, 'st.markTerm', { node, term: mk.data.term });
      case 'request':
      case 'answer':
      case 'clientLost':
        // The feed's own words for these events.
        return describe(lang, mk.data);
      default: {
        const names = String(mk.data.peers ?? '').split(',').filter(Boolean).map((p) => laneName(Number(p) || p));
        const peers = names.length ? joinList(lang, names) : '';
        const key = { crash: 'st.markCrash', restart: 'st.markRestart', pause: 'st.markPause', resume: 'st.markResume', cut: 'st.markCut', heal: 'st.markHeal' }[mk.kind] ?? 'st.markCrash';
        return t(lang, key, { node, peers });
      }
    }
  }
  gMarks.addEventListener('pointerover', (e) => {
    const g = /** @type {Element} */ (e.target).closest?.('.st-mark');
    const mk = g ? markOf.get(g) : undefined;
    if (g && mk && !g.querySelector('title')) g.append(s('title', { text: markTitle(mk, store.get().ui.lang) }));
  });

  // One set of listeners for all the arrows (they come and go every frame while playing).
  /** @param {Event} e */
  const arrowOf = (e) => {
    const g = /** @type {Element} */ (e.target).closest?.('.st-msg');
    return g ? Number(g.getAttribute('data-id')) : null;
  };
  gMsgs.addEventListener('pointerover', (e) => {
    const id = arrowOf(e);
    if (id !== null && store.get().ui.hoverMsg !== id) send.ui({ intent: 'hoverMessage', id });
  });
  gMsgs.addEventListener('pointerout', (e) => {
    const id = arrowOf(e);
    const into = /** @type {PointerEvent} */ (e).relatedTarget;
    if (id !== null && !(into instanceof Element && into.closest('.st-msg') === arrows.get(id)?.g) && store.get().ui.hoverMsg === id) send.ui({ intent: 'hoverMessage', id: null });
  });
  gMsgs.addEventListener('focusin', (e) => {
    const id = arrowOf(e);
    if (id === null) return;
    setActive(id);
    send.ui({ intent: 'hoverMessage', id });
  });
  gMsgs.addEventListener('focusout', (e) => {
    const id = arrowOf(e);
    if (id !== null && store.get().ui.hoverMsg === id) send.ui({ intent: 'hoverMessage', id: null });
  });
  gMsgs.addEventListener('click', (e) => {
    const id = arrowOf(e);
    if (id !== null) open(id);
  });
  gMsgs.addEventListener('keydown', (e) => {
    const id = arrowOf(e);
    if (id !== null) keyOn(/** @type {KeyboardEvent} */ (e), id);
  });

  /**
   * Go to a message: to the middle of its flight (it is then drawn on its link in the cluster
   * view, and the inspector can read its fields), and open it in the inspector.
   * @param {number} id
   */
  function open(id) {
    const el = arrows.get(id);
    if (!el) return;
    const m = el.m;
    setActive(id);
    if (m.endAtMs !== null) send.ui({ intent: 'seek', t: m.endAtMs > m.sentAtMs ? (m.sentAtMs + m.endAtMs) / 2 : m.sentAtMs });
    send.ui({ intent: 'inspect', target: { kind: 'message', id } });
    // The seek redrew the diagram; the arrow is the same element, keep the keyboard on it.
    arrows.get(id)?.g.focus();
  }

  /**
   * @param {KeyboardEvent} e
   * @param {number} id
   */
  function keyOn(e, id) {
    const i = order.findIndex((m) => m.id === id);
    /** @type {number | null} */
    let go = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') go = Math.min(order.length - 1, i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') go = Math.max(0, i - 1);
    else if (e.key === 'Home') go = 0;
    else if (e.key === 'End') go = order.length - 1;
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open(id);
      return;
    } else if (e.key === '+' || e.key === '=') zoom(-1);
    else if (e.key === '-') zoom(+1);
    if (go !== null && go >= 0 && order[go]) {
      e.preventDefault();
      setActive(order[go].id);
      activeEl?.focus();
    }
  }

  /**
   * The diagram as a standalone SVG file: the drawing with every computed colour, width and font
   * written into it (the page's CSS variables do not travel), without the invisible hit areas.
   */
  function exportSvg() {
    const st = store.get();
    const file = standaloneSvg();
    const blob = new Blob([file], { type: 'image/svg+xml' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `raft-spacetime-${Math.round(st.nowMs)}ms.svg` });
    root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** @returns {string} */
  function standaloneSvg() {
    const copy = /** @type {SVGSVGElement} */ (svg.cloneNode(true));
    const from = [svg, ...svg.querySelectorAll('*')];
    const to = [copy, ...copy.querySelectorAll('*')];
    const props = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-size', 'font-family', 'font-weight', 'visibility', 'display'];
    for (let i = 0; i < from.length; i++) {
      const cs = getComputedStyle(from[i]);
      const el = to[i];
      el.setAttribute('style', props.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'));
      for (const a of ['tabindex', 'role', 'data-hover', 'class']) el.removeAttribute(a);
    }
    for (const el of copy.querySelectorAll('[data-hit]')) el.remove();
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    copy.removeAttribute('data-testid');
    copy.removeAttribute('data-hovering');
    const st = store.get();
    copy.insertBefore(s('title', { text: `${t(st.ui.lang, 'st.title')} · ${fmtMs(st.nowMs)} ms` }), copy.firstChild);
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
  }

  return { render, svg, standaloneSvg };
}

