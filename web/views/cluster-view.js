// @ts-check
// The cluster: nodes on a ring, links between every pair, messages moving along the links at
// their simulated latency. Keyed joins (a Map per kind of thing) keep per-frame DOM writes small:
// elements are created once and only their changed attributes are written.

import { h, s, attr, attrKept, text, textKept, fittedBox } from '../dom.js';
import { t, serverList } from '../i18n.js';
import { ROLE_STYLE, msgStyle, shapePath, ringPath, OKABE, termColor } from '../palette.js';
import { lessonFocus } from './lesson-focus.js';
import { describe, replyOutcome, replyHint, roleName, msgName } from '../describe.js';
import { pendingKeyAction } from './pending-panel.js';
import { drawnGroups, ringRuns, bandPath, annulusPath, majorityOf } from './groups.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

const CENTER = 300;
/**
 * The elements of one message in the picture, reused from message to message (see takeMsg). A
 * message is its group, its shape and its title; the rest is made when first needed (msgPart).
 * The group has no transform: each part is drawn where the message is (placeMsg), from the shape
 * and size fillMsg chose; `at` is the position last written.
 * @typedef {{ g: SVGElement, body: SVGElement, title: SVGElement, wait: SVGElement | null, dupRing: SVGElement | null, dupText: SVGElement | null, mark: SVGElement | null, hint: SVGElement | null, key: string, type: string, id: number, shape: string, size: number, dup: boolean, waiting: boolean, at: string }} MsgEl
 */
/** @typedef {'wait' | 'dupRing' | 'dupText' | 'mark' | 'hint'} MsgPart */
/** Parked message elements kept for reuse, at most (a burst of messages leaves many). */
const SPARE_MSGS_MAX = 64;
/** Label lengths kept for fitLabels, at most (the words of a run repeat: roles, votes, commits). */
const TEXT_LENGTHS_MAX = 256;
/** Messages are drawn this much larger than their palette size. */
const MSG_SCALE = 1.45;
const RING = 205;
/** The drawing box: wider than the ring so the role labels beside the nodes fit. */
export const VIEW_BOX = { x: -128, y: -12, w: 856, h: 624 };
/** On narrow screens the labels sit under the nodes, so the box needs no side margins. */
export const VIEW_BOX_COMPACT = { x: -22, y: -26, w: 644, h: 662 };

/**
 * Node positions on the ring, first node at the top, clockwise.
 * @param {number[]} ids
 * @returns {Map<number, { x: number, y: number, ux: number, uy: number }>}
 */
export function ringLayout(ids) {
  const out = new Map();
  const n = ids.length;
  ids.forEach((id, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    const ux = Math.cos(a);
    const uy = Math.sin(a);
    out.set(id, { x: CENTER + (n === 1 ? 0 : RING * ux), y: CENTER + (n === 1 ? 0 : RING * uy), ux: n === 1 ? 0 : ux, uy: n === 1 ? 1 : uy });
  });
  return out;
}

/**
 * Positions that stay put as servers come and go: the ids of the first picture are spread on the
 * ring as `ringLayout` does; a server added later takes the middle of the widest gap between
 * those already placed, and a removed one keeps its place (it may come back). So adding S6 to
 * five servers moves none of them.
 * @param {Map<number, number>} angles id -> angle, kept between calls for one run
 * @param {number[]} ids
 * @returns {Map<number, { x: number, y: number, ux: number, uy: number }>}
 */
export function stableLayout(angles, ids) {
  if (!angles.size) {
    const n = ids.length;
    ids.forEach((id, i) => angles.set(id, -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n)));
  }
  for (const id of ids) {
    if (angles.has(id)) continue;
    const taken = [...angles.values()].map((a) => ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)).sort((a, b) => a - b);
    /** @type {{ from: number, size: number } | null} */
    let best = null;
    for (let i = 0; i < taken.length; i++) {
      const from = taken[i];
      const to = i + 1 < taken.length ? taken[i + 1] : taken[0] + 2 * Math.PI;
      if (!best || to - from > best.size + 1e-9) best = { from, size: to - from };
    }
    angles.set(id, best ? best.from + best.size / 2 : -Math.PI / 2);
  }
  const out = new Map();
  const single = ids.length === 1 && angles.size === 1;
  for (const id of ids) {
    const a = /** @type {number} */ (angles.get(id));
    const ux = Math.cos(a);
    const uy = Math.sin(a);
    out.set(id, { x: CENTER + (single ? 0 : RING * ux), y: CENTER + (single ? 0 : RING * uy), ux: single ? 0 : ux, uy: single ? 1 : uy });
  }
  return out;
}

/**
 * A coordinate to a tenth of a unit (far below a pixel): unchanged positions write nothing.
 * @param {number} v
 */
function tenth(v) {
  return Math.round(v * 10) / 10;
}

/** @param {number} n */
function nodeRadius(n) {
  return n <= 5 ? 50 : n <= 7 ? 44 : 37;
}

/**
 * The membership the cluster currently agrees on: the highest-term leader's view, else any node's.
 * @param {any[]} nodes
 * @returns {{ voters: Set<number>, learners: Set<number> } | null}
 */
export function clusterConfig(nodes) {
  const best = configSource(nodes);
  if (!best) return null;
  const voters = new Set([...(best.voters ?? []), ...(best.jointVoters ?? [])]);
  return { voters, learners: new Set(best.learners ?? []) };
}

/**
 * The node whose configuration stands for the cluster's: the up leader, else the highest term.
 * @param {any[]} nodes
 * @returns {any | null}
 */
export function configSource(nodes) {
  let best = null;
  for (const n of nodes) {
    if (!Array.isArray(n.voters)) continue;
    const score = (n.role === 'leader' && n.status === 'up' ? 1e9 : 0) + (n.term ?? 0);
    if (!best || score > best.score) best = { score, n };
  }
  return best ? best.n : null;
}

/**
 * The leader to show: the up leader with the highest term.
 * @param {any[]} nodes
 */
export function currentLeader(nodes) {
  let best = null;
  for (const n of nodes) if (n.role === 'leader' && n.status === 'up' && (!best || n.term > best.term)) best = n;
  return best;
}

/** Client boxes sit in the middle of the ring, at most this many to a row. */
const CLIENTS_PER_ROW = 4;
const CLIENT_W = 46;
const CLIENT_H = 26;

/**
 * Client positions: small boxes in rows around the ring's centre.
 * @param {number[]} ids
 * @returns {Map<number, { x: number, y: number }>}
 */
export function clientLayout(ids) {
  const out = new Map();
  const rows = Math.ceil(ids.length / CLIENTS_PER_ROW);
  ids.forEach((id, i) => {
    const row = Math.floor(i / CLIENTS_PER_ROW);
    const inRow = Math.min(CLIENTS_PER_ROW, ids.length - row * CLIENTS_PER_ROW);
    const col = i % CLIENTS_PER_ROW;
    out.set(id, { x: CENTER + (col - (inRow - 1) / 2) * (CLIENT_W + 14), y: CENTER + (row - (rows - 1) / 2) * (CLIENT_H + 12) });
  });
  return out;
}

/**
 * Per client, which servers it cannot reach (either direction of the client's link is down).
 * `clientLinks` lists both directions of every client <-> server link; a client is `"c1"`.
 * @param {any[]} clientLinks
 * @returns {Map<number, Set<number>>}
 */
export function clientCuts(clientLinks) {
  const out = new Map();
  for (const l of clientLinks ?? []) {
    if (l.up !== false) continue;
    const client = typeof l.from === 'string' ? l.from : l.to;
    const server = typeof l.from === 'string' ? l.to : l.from;
    const id = Number(String(client).slice(1));
    if (!out.has(id)) out.set(id, new Set());
    out.get(id).add(server);
  }
  return out;
}

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createClusterView(root, store, send) {
  // Two drawings, one over the other: what changes in every picture (the messages, the election
  // timers) and the links under them, then the servers and clients over them, which change only
  // with their state. Chromium paints a drawing whole when anything in it changes, and its texts
  // cost the most: the servers' dozens of words repainted with every moving message were a sixth
  // of the page's work with six playgrounds playing (docs/DESIGN.md, "Performance of the page").
  const viewBox = `${VIEW_BOX.x} ${VIEW_BOX.y} ${VIEW_BOX.w} ${VIEW_BOX.h}`;
  const svg = /** @type {SVGSVGElement} */ (s('svg', { viewBox, class: 'cluster-svg', role: 'none' }));
  const svgTop = /** @type {SVGSVGElement} */ (s('svg', { viewBox, class: 'cluster-top', role: 'none' }));
  // Groups of servers (majorities, or the halves of a joint configuration), under everything.
  const gGroups = s('g', { class: 'groups', 'aria-hidden': 'true' });
  const gEdges = s('g', { class: 'edges' });
  // Each server's election timer, drawn where the server is (no transform: see placeMsg), over
  // the messages as when it was part of the server, and a click on it opens the server's menu.
  const gTimers = s('g', { class: 'timers', 'aria-hidden': 'true' });
  const gMsgs = s('g', { class: 'msgs' });
  const gFx = s('g', { class: 'fx', 'aria-hidden': 'true' });
  const gNodes = s('g', { class: 'nodes' });
  // Clients and their links to the servers (client traffic crosses the network too).
  const gClientLinks = s('g', { class: 'client-links', 'aria-hidden': 'true' });
  const gClients = s('g', { class: 'clients' });
  const centerNote = s('text', { x: CENTER, y: CENTER, class: 'center-note', 'text-anchor': 'middle' });
  // An empty rectangle over the whole drawing, painted first: the bounds of what Chromium paints
  // with it (links, messages, lost-message crosses) stay the same as the messages move, come and
  // go; a change of those bounds would make it sort the page into layers again (docs/DESIGN.md,
  // "Performance of the page").
  const bx = Math.min(VIEW_BOX.x, VIEW_BOX_COMPACT.x);
  const by = Math.min(VIEW_BOX.y, VIEW_BOX_COMPACT.y);
  const bw = Math.max(VIEW_BOX.x + VIEW_BOX.w, VIEW_BOX_COMPACT.x + VIEW_BOX_COMPACT.w) - bx;
  const bh = Math.max(VIEW_BOX.y + VIEW_BOX.h, VIEW_BOX_COMPACT.y + VIEW_BOX_COMPACT.h) - by;
  const bounds = s('rect', { x: bx, y: by, width: bw, height: bh, class: 'paint-bounds', fill: 'none', 'aria-hidden': 'true' });
  // And a clear letter in a corner outside both view boxes, so that what is painted with the
  // messages always holds text: the marks on messages coming and going would otherwise switch that
  // on and off, which too makes Chromium sort the page into layers again.
  const boundsText = s('text', { x: bx + 4, y: by + 10, class: 'paint-bounds', fill: 'transparent', 'font-size': 8, 'aria-hidden': 'true' });
  boundsText.textContent = '.';
  svg.append(bounds, boundsText, gGroups, gEdges, gClientLinks, gMsgs, gFx, gTimers);
  // The servers' drawing holds the same two: its texts come and go too (the centre's note).
  svgTop.append(bounds.cloneNode(), boundsText.cloneNode(true), gNodes, gClients, centerNote);
  // Its words in a box of their own height, so that a new line of the story lays out that box
  // alone, not the page (dom.js fittedBox).
  const captionText = fittedBox('caption-text', 'height');
  const caption = h('p', { class: 'caption', 'aria-live': 'polite' }, [captionText.box]);
  const wrap = h('div', { class: 'cluster-wrap', role: 'group' }, [svg, svgTop]);
  // What each drawn group is, in words (the page moves it under the cluster, with the caption).
  const groupsNote = h('ul', { class: 'cluster-groups', hidden: '' });
  root.append(wrap, caption, groupsNote);

  /** @type {Map<string, { g: SVGElement, line: SVGElement, hit: SVGElement, mark: SVGElement }>} */
  const edges = new Map();
  /** @type {Map<number, Record<string, any>>} */
  const nodes = new Map();
  /** Messages in flight by id. */
  /** @type {Map<number, MsgEl>} */
  const msgs = new Map();
  /** Message elements out of flight, hidden, by the type they last showed (see takeMsg). */
  /** @type {Map<string, MsgEl[]>} */
  const spare = new Map();
  let spareCount = 0;
  /** @type {Map<string, { g: SVGElement, path: SVGElement, key: string }>} */
  const fx = new Map();
  /** @type {Map<number, { g: SVGElement, box: SVGElement, label: SVGElement }>} */
  const clients = new Map();
  /** Lines from a client: to the server it sends to, and cut ones; keyed `client>server`. */
  /** @type {Map<string, SVGElement>} */
  const clientLines = new Map();
  let clientKey = '';
  let clientDrawKey = '';
  let groupsKey = '';
  /** @type {Map<number, { x: number, y: number }>} */
  let clientPos = new Map();
  let layoutKey = '';
  /** @type {Map<number, { x: number, y: number, ux: number, uy: number }>} */
  let layout = new Map();
  /** Each node's angle on the ring, kept for the whole run (stableLayout). */
  /** @type {Map<number, number>} */
  const angles = new Map();
  let anglesRun = -1;
  let paper = false;
  let radius = 40;
  let lastLang = '';
  let lastCaptionKey = '';
  /** The language of the caption's words ('' before the first). */
  let captionLang = '';
  let lastLinksKey = '';
  /** @type {HTMLElement | null} */
  let app = null;
  let compact = false;
  /** Manual delivery is on: keys on a focused message deliver, drop or duplicate it. */
  let manual = false;
  /**
   * The drawn length of the node labels' texts (fitLabels), by `${is the role line}|${text}`.
   * A new size of the drawing may bring other font sizes (container queries): forgotten then.
   * @type {Map<string, number>}
   */
  const textLengths = new Map();
  new ResizeObserver(() => {
    textLengths.clear();
    const c = wrap.clientWidth > 0 && wrap.clientWidth < 480;
    if (c !== compact) {
      compact = c;
      const vb = compact ? VIEW_BOX_COMPACT : VIEW_BOX;
      for (const el of [svg, svgTop]) el.setAttribute('viewBox', `${vb.x} ${vb.y} ${vb.w} ${vb.h}`);
      root.style.aspectRatio = `${vb.w} / ${vb.h}`;
      layoutKey = '';
      render(store.get());
    }
  }).observe(wrap);

  function edgeKey(a, b) {
    return a < b ? `${a}-${b}` : `${b}-${a}`;
  }

  /** @param {number[]} ids */
  function rebuild(ids) {
    gEdges.replaceChildren();
    gNodes.replaceChildren();
    gTimers.replaceChildren();
    dropMsgs();
    gFx.replaceChildren();
    edges.clear();
    nodes.clear();
    fx.clear();
    lastLinksKey = '';
    layout = stableLayout(angles, ids);
    radius = nodeRadius(ids.length);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = ids[i];
        const b = ids[j];
        const pa = /** @type {any} */ (layout.get(a));
        const pb = /** @type {any} */ (layout.get(b));
        const line = s('line', { x1: pa.x, y1: pa.y, x2: pb.x, y2: pb.y, class: 'edge-line' });
        const hit = s('line', { x1: pa.x, y1: pa.y, x2: pb.x, y2: pb.y, class: 'edge-hit' });
        const mark = s('text', { x: (pa.x + pb.x) / 2, y: (pa.y + pb.y) / 2 + 5, class: 'edge-mark', 'text-anchor': 'middle', 'aria-hidden': 'true' });
        const g = s('g', { class: 'edge', tabindex: '0', role: 'button', 'data-edge': edgeKey(a, b) }, [line, hit, mark]);
        const toggle = () => {
          const up = g.getAttribute('data-state') === 'up';
          // One gesture, both directions of the link.
          send.act([
            { type: 'setLink', from: a, to: b, up: !up },
            { type: 'setLink', from: b, to: a, up: !up },
          ]);
        };
        g.addEventListener('click', toggle);
        g.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            toggle();
          }
        });
        gEdges.append(g);
        edges.set(edgeKey(a, b), { g, line, hit, mark });
      }
    }
    for (const id of ids) {
      const p = /** @type {any} */ (layout.get(id));
      const r = radius;
      const timerTrack = s('circle', { cx: p.x, cy: p.y, r: r + 7, class: 'timer-track' });
      // Drawn from the top, clockwise, by its path (no rotation: see ringPath).
      const timer = s('path', { d: ringPath(r + 7, p.x, p.y), class: 'timer', pathLength: '100' });
      const ring = s('g', { class: 'timer-ring', 'data-timer': id }, [timerTrack, timer]);
      const open = () => send.ui({ intent: 'openMenu', node: id });
      ring.addEventListener('click', open);
      gTimers.append(ring);
      const body = s('circle', { r, class: 'node-body' });
      // Nodes coloured by term (as RaftScope does): a band inside the rim in the term's tint,
      // the same tint as that term's log cells; the number is printed as well.
      const termRing = s('circle', { r: r - 5, class: 'term-ring' });
      // Vote dots: a candidate's answers so far, one dot per voter (filled: granted).
      const votes = s('g', { class: 'vote-dots', 'aria-hidden': 'true' });
      // The role's shape (star, diamond, hollow diamond, dot) drawn inside the node, above its
      // centre (by its path: see shapePath).
      const glyph = s('path', { class: 'node-glyph' });
      const name = s('text', { y: r * 0.16, class: 'node-name', 'text-anchor': 'middle' });
      const term = s('text', { y: r * 0.62, class: 'node-term', 'text-anchor': 'middle' });
      const crown = s('text', { x: -(r + 6) * 0.78, y: -(r + 6) * 0.78 + 10, class: 'crown', 'text-anchor': 'middle' });
      const status = s('text', { y: 6, class: 'node-status', 'text-anchor': 'middle' });
      // Labels sit outside the ring so they never cover the links; on a narrow screen (where
      // the drawing is scaled down and the text is larger) they sit centred under the node.
      const lx = compact ? 0 : p.ux * (r + 24);
      const ly = compact ? (p.uy < -0.5 ? -r - 50 : r + 32) : p.uy * (r + 24) + (p.uy < -0.3 ? -20 : p.uy > 0.3 ? 10 : -4);
      const anchor = compact ? 'middle' : p.ux > 0.35 ? 'start' : p.ux < -0.35 ? 'end' : 'middle';
      const role = s('text', { x: lx, y: ly, class: 'node-role', 'text-anchor': anchor });
      const vote = s('text', { x: lx, y: ly + (compact ? 24 : 18), class: 'node-vote', 'text-anchor': anchor });
      // The group's aria-label says it all; the drawn texts are for the eyes only. The label
      // begins with those texts in drawing order (WCAG 2.5.3, label in name); a space between
      // them keeps the words apart for tools that join the visible text (axe does), and SVG
      // draws no text outside a <text>, so the spaces change nothing on screen.
      for (const el of [name, term, status, crown, role, vote]) el.setAttribute('aria-hidden', 'true');
      const g = s(
        'g',
        {
          class: 'node',
          transform: `translate(${p.x} ${p.y})`,
          tabindex: '0',
          role: 'button',
          'aria-haspopup': 'menu',
          'data-node': id,
        },
        [body, termRing, votes, glyph, name, ' ', term, ' ', status, ' ', crown, ' ', role, ' ', vote],
      );
      g.addEventListener('focus', () => send.ui({ intent: 'inspect', target: { kind: 'node', id } }));
      g.addEventListener('click', open);
      g.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      });
      gNodes.append(g);
      nodes.set(id, { g, body, termRing, votes, glyph, name, term, crown, status, role, vote, ring, timer, timerTrack, timerDash: '', trackShown: true, arcShown: true, votesKey: '', key: '', voteKey: '', roleLabel: '', aria: '', ariaKey: '', labelKey: '', p, lx, anchor });
    }
  }

  /**
   * @param {StoreState} st
   */
  function render(st) {
    const sim = st.sim;
    const lang = st.ui.lang;
    if (!sim) {
      text(centerNote, st.phase === 'error' ? '' : t(lang, 'app.loading'));
      return;
    }
    text(centerNote, '');
    if (st.runId !== anglesRun) {
      anglesRun = st.runId;
      angles.clear();
      layoutKey = '';
    }
    const nowPaper = st.lesson?.view === 'paper';
    if (nowPaper !== paper) {
      paper = nowPaper;
      dropMsgs();
    }
    const focus = lessonFocus(st);
    app ??= /** @type {HTMLElement | null} */ (root.closest('.app'));
    if (app) attr(app, 'data-focus', focus ? '1' : null);
    const ids = sim.nodes.map((/** @type {any} */ n) => n.id);
    const key = ids.join(',');
    if (key !== layoutKey) {
      layoutKey = key;
      rebuild(ids);
    }
    if (lang !== lastLang) {
      // Another language: the same picture with new words. Nodes and links are redrawn from
      // their keys (which hold the language); messages are made again with theirs.
      attr(wrap, 'aria-label', t(lang, 'cluster.label'));
      for (const v of nodes.values()) v.key = '';
      lastLinksKey = '';
      dropMsgs();
    }
    lastLang = lang;
    const dense = compact && ids.length > 5;
    attr(svgTop, 'data-dense', dense ? 'true' : null);
    const now = st.nowMs;
    const reduced = st.ui.reducedMotion;
    const conf = clusterConfig(sim.nodes);
    const leader = currentLeader(sim.nodes);

    // Links: an unordered pair is "up" when both directions are up. Redrawn only when a link,
    // the language or the lesson's focus changed.
    let linksKey = `${layoutKey}|${lang}|${focus ? [...focus.links].join() : ''}`;
    for (const l of sim.links ?? []) if (l.up === false) linksKey += `|${l.from}>${l.to}`;
    if (linksKey !== lastLinksKey) {
      lastLinksKey = linksKey;
      drawEdges(sim, lang, focus);
    }
    // Nodes. Their words and colours change only with their fields; per frame only the election
    // timer moves, so the rest is skipped while the node's key is the same.
    for (const n of sim.nodes) {
      const v = nodes.get(n.id);
      if (!v) continue;
      const member = !conf || conf.voters.has(n.id) || conf.learners.has(n.id);
      const learner = !!conf && conf.learners.has(n.id);
      const up = n.status === 'up';
      drawVotes(v, n, conf);
      const key = `${n.role}|${n.status}|${n.term}|${member}|${learner}|${leader?.id === n.id}|${focus?.nodes.has(n.id)}|${st.ui.theme}|${lang}|${dense}|${st.ui.menuNode === n.id}`;
      if (key !== v.key) {
        v.key = key;
        drawNode(v, n, st, member, learner, leader, focus, dense);
      }
      // The vote and commit line changes with every commit: drawn by itself.
      const voteKey = `${key}|${n.votedFor}|${n.commitIndex}`;
      if (voteKey !== v.voteKey) {
        v.voteKey = voteKey;
        drawVoteLine(v, n, lang, dense);
      }
      // The election timer: a ring that shrinks towards the deadline (followers and candidates).
      const showTimer = up && n.role !== 'leader' && n.electionTimeoutMs > 0 && n.electionDeadlineMs !== undefined && n.electionDeadlineMs !== null;
      const frac = showTimer ? Math.min(1, Math.max(0, (n.electionDeadlineMs - now) / n.electionTimeoutMs)) : 0;
      // The ring's three attributes are compared with what this view last wrote (kept on `v`),
      // not read back from the element: these are most of the cluster's writes in a frame.
      const dash = showTimer ? `${(frac * 100).toFixed(2)} 100` : '0 100';
      if (dash !== v.timerDash) {
        v.timerDash = dash;
        v.timer.setAttribute('stroke-dasharray', dash);
      }
      // Hidden by a clear stroke: an opacity below 1 is a paint property node of its own, and a
      // ring not painted at all changes the bounds of what is painted with the node (either makes
      // Chromium sort the page into layers again; docs/DESIGN.md, "Performance of the page").
      // A zero-length dash still draws a round cap: hide the arc when there is no timer.
      if (showTimer !== v.trackShown) {
        v.trackShown = showTimer;
        attr(v.timerTrack, 'stroke-opacity', showTimer ? null : '0');
      }
      const arcShown = showTimer && frac > 0;
      if (arcShown !== v.arcShown) {
        v.arcShown = arcShown;
        attr(v.timer, 'stroke-opacity', arcShown ? null : '0');
      }
      // Said in steps of 10%: a screen reader has no use for a label that changes every frame.
      const pct = showTimer ? Math.round(frac * 10) * 10 : -1;
      const ariaKey = `${v.aria}|${pct}`;
      if (ariaKey !== v.ariaKey) {
        v.ariaKey = ariaKey;
        attr(v.g, 'aria-label', `${v.aria}${pct >= 0 ? ` ${t(lang, 'node.timerAria', { pct })}` : ''}`);
      }
    }

    renderGroups(sim, lang, focus);
    renderClients(sim, lang, focus);

    // Messages in flight.
    const dupIds = new Set();
    for (const e of st.effects) if (e.kind === 'dup' && e.data.copyId !== undefined) dupIds.add(e.data.copyId);
    const seen = new Set();
    manual = st.config?.delivery === 'manual';
    // Manual delivery: messages waiting at the same receiver from the same sender queue up
    // along the link, the oldest nearest the receiver, so each one can be seen and clicked.
    /** @type {Map<string, number>} */
    const queued = new Map();
    const inspected = st.ui.inspect?.kind === 'message' ? st.ui.inspect.id : null;
    const inFlight = (sim.inFlight ?? []).filter((/** @type {any} */ m) => layout.has(m.from) && layout.has(m.to));
    for (const m of inFlight) seen.add(m.id);
    // The elements of messages that arrived (or were lost) since the last picture go straight to
    // the messages sent meanwhile, same type first (its shape stays), else any: parking one and
    // taking it back would change its class twice, and every part of it would be styled again
    // each time (nothing is styled by the type's class).
    // One with the keyboard's focus is parked (it loses the focus) rather than become another.
    const focused = /** @type {Document | ShadowRoot} */ (svg.getRootNode()).activeElement;
    /** @type {Map<string, MsgEl[]>} */
    const gone = new Map();
    for (const [id, el] of msgs) {
      if (seen.has(id)) continue;
      msgs.delete(id);
      if (el.g === focused) {
        parkMsg(el);
        continue;
      }
      const list = gone.get(el.type) ?? [];
      list.push(el);
      gone.set(el.type, list);
    }
    for (const m of inFlight) {
      const a = /** @type {{ x: number, y: number }} */ (layout.get(m.from));
      const b = /** @type {{ x: number, y: number }} */ (layout.get(m.to));
      const outcome = replyOutcome(m);
      const dup = dupIds.has(m.id);
      const hint = m.type === 'appendResp' && outcome === false ? replyHint(m) : '';
      const mkey = `${m.type}|${outcome}|${dup}|${hint}|${m.summary ?? ''}|${!!m.waiting}`;
      let el = msgs.get(m.id);
      if (!el) {
        el = gone.get(m.type)?.pop() ?? anyGone(gone);
        // Another message now: fillMsg writes what differs (its id, its words).
        if (el) el.key = '';
        else el = takeMsg(m.type);
        msgs.set(m.id, el);
      }
      if (el.key !== mkey) fillMsg(el, m, outcome, dup, hint, mkey, lang);
      const span = Math.max(1e-6, m.deliverAtMs - m.sentAtMs);
      let p = reduced ? 0.5 : Math.min(1, Math.max(0, (now - m.sentAtMs) / span));
      if (m.waiting) {
        const lane = `${m.from}>${m.to}`;
        const k = queued.get(lane) ?? 0;
        queued.set(lane, k + 1);
        // Short of the rim, so neither the node nor its timer ring covers it.
        p = Math.max(0.2, 0.8 - k * 0.13);
      }
      placeMsg(el, along(a, b, p));
      attrKept(el.g, 'data-focus', focus?.messages.has(m.id) ? '1' : null);
      // The message the pointer is on in the space-time view.
      attrKept(el.g, 'data-hover', st.ui.hoverMsg === m.id ? '1' : null);
      attrKept(el.g, 'data-selected', m.id === inspected ? '1' : null);
    }
    for (const list of gone.values()) for (const el of list) parkMsg(el);

    // Lost messages: a cross where the message was when the network dropped it.
    const fxSeen = new Set();
    for (const e of st.effects) {
      if (e.kind !== 'drop') continue;
      const m = e.data;
      const a = layout.get(m.from);
      const b = layout.get(m.to);
      if (!a || !b) continue;
      const k = `drop-${m.id}-${e.atMs}`;
      fxSeen.add(k);
      let el = fx.get(k);
      if (!el) {
        const span = Math.max(1e-6, (m.deliverAtMs ?? e.atMs) - (m.atMs ?? e.atMs));
        const p = m.deliverAtMs ? Math.min(1, Math.max(0.15, (e.atMs - m.atMs) / span)) : 0.3;
        const pos = along(a, b, reduced ? 0.5 : p);
        // Drawn where it is and faded by its stroke's opacity: a group opacity that changes every
        // frame (an effect node) makes Chromium sort the whole page into layers again, about
        // 1 ms a frame with six playgrounds; a stroke's opacity only repaints the cross.
        const [x0, y0, x1, y1] = [tenth(pos.x - 7), tenth(pos.y - 7), tenth(pos.x + 7), tenth(pos.y + 7)];
        const path = s('path', { d: `M${x0} ${y0}L${x1} ${y1}M${x1} ${y0}L${x0} ${y1}`, class: 'drop-x' });
        const g = s('g', { class: 'fx-drop' }, [path]);
        gFx.append(g);
        el = { g, path, key: k };
        fx.set(k, el);
      }
      const age = (now - e.atMs) / Math.max(1e-6, e.untilMs - e.atMs);
      attr(el.path, 'stroke-opacity', Math.max(0.15, 1 - age).toFixed(2));
    }
    for (const [k, el] of fx) {
      if (!fxSeen.has(k)) {
        el.g.remove();
        fx.delete(k);
      }
    }

    // The caption: the latest thing worth saying, in words (the story's headline).
    const ev = st.headline;
    const captionKey = ev ? `${st.runId}|${st.feedEpoch}|${ev.seq}` : '';
    // (Compared with what was last written, kept here: reading the element's dataset and text
    // back in every frame cost more than the rest of the caption.)
    if (ev && (captionKey !== lastCaptionKey || lang !== captionLang)) {
      lastCaptionKey = captionKey;
      captionLang = lang;
      caption.dataset.lang = lang;
      text(captionText.inner, describe(lang, ev));
    }
    if (!ev && (lastCaptionKey !== '' || lang !== captionLang)) {
      lastCaptionKey = '';
      captionLang = lang;
      caption.dataset.lang = lang;
      text(captionText.inner, t(lang, 'narrate.none'));
    }
  }

  /**
   * @param {Record<string, any>} sim
   * @param {import('../i18n.js').Lang} lang
   * @param {ReturnType<typeof lessonFocus>} focus
   */
  function drawEdges(sim, lang, focus) {
    /** @type {Map<string, boolean>} */
    const dirUp = new Map();
    for (const l of sim.links ?? []) dirUp.set(`${l.from}>${l.to}`, l.up !== false);
    let cuts = 0;
    for (const [k] of edges) {
      const [a, b] = k.split('-').map(Number);
      if (dirUp.get(`${a}>${b}`) === false || dirUp.get(`${b}>${a}`) === false) cuts++;
    }
    // Scissors on every cut link of a 3|3|3 split would bury the picture: mark only a few.
    const marks = cuts <= 8;
    for (const [k, e] of edges) {
      const [a, b] = k.split('-').map(Number);
      const ab = dirUp.get(`${a}>${b}`) ?? true;
      const ba = dirUp.get(`${b}>${a}`) ?? true;
      const state = ab && ba ? 'up' : !ab && !ba ? 'down' : 'oneway';
      attr(e.g, 'data-focus', focus?.links.has(k) ? '1' : null);
      if (e.g.getAttribute('data-state') !== state || e.g.getAttribute('data-lang') !== lang || e.g.getAttribute('data-marks') !== String(marks)) {
        attr(e.g, 'data-state', state);
        attr(e.g, 'data-lang', lang);
        attr(e.g, 'data-marks', String(marks));
        text(e.mark, !marks ? '' : state === 'down' ? '✂' : state === 'oneway' ? '→' : '');
        const stateText = t(lang, state === 'up' ? 'cluster.edgeUp' : state === 'down' ? 'cluster.edgeDown' : 'cluster.edgeOneWay');
        attr(e.g, 'aria-label', t(lang, 'cluster.edgeAria', { a, b, state: stateText, verb: t(lang, state === 'up' ? 'cluster.cut' : 'cluster.restore') }));
      }
    }
  }

  /**
   * Keep a node's two label lines inside the drawing: a long one ("● Follower · Paused" beside
   * a node at the left edge, as with nine servers) slides inwards instead of being cut off.
   * Measured only when the words change.
   * @param {Record<string, any>} v the node's elements
   */
  function fitLabels(v) {
    const key = `${v.role.textContent}|${v.vote.textContent}|${compact}`;
    if (key === v.labelKey) return;
    v.labelKey = key;
    const vb = compact ? VIEW_BOX_COMPACT : VIEW_BOX;
    const margin = 4;
    for (const el of [v.role, v.vote]) {
      // Measuring lays out the page there and then (it is mid-frame, with the frame's other
      // writes pending): a text already measured at this size is not measured again. Its digits
      // are all as wide as a 0 (tabular figures, styles.js), so "commit 41" and "commit 42" are
      // one measurement: the line changes with every commit.
      const lenKey = `${el === v.role}|${el.textContent?.replace(/[0-9]/g, '0')}`;
      let len = textLengths.get(lenKey);
      if (len === undefined) {
        try {
          len = /** @type {SVGTextElement} */ (el).getComputedTextLength();
        } catch {
          len = 0; // not laid out (a hidden page): leave it where it is
        }
        if (len > 0) {
          if (textLengths.size >= TEXT_LENGTHS_MAX) textLengths.clear();
          textLengths.set(lenKey, len);
        }
      }
      const left = v.p.x + v.lx - (v.anchor === 'end' ? len : v.anchor === 'middle' ? len / 2 : 0);
      const right = left + len;
      const shift = left < vb.x + margin ? vb.x + margin - left : right > vb.x + vb.w - margin ? vb.x + vb.w - margin - right : 0;
      attr(el, 'x', (v.lx + shift).toFixed(1));
      attr(el, 'data-shift', shift ? shift.toFixed(1) : null);
    }
  }

  /**
   * Majorities and configurations as bands along the ring (groups.js), with a tag in the
   * drawing and a line of words under it for each.
   * @param {any} sim
   * @param {import('../i18n.js').Lang} lang
   * @param {import('./lesson-focus.js').Focus | null} focus
   */
  function renderGroups(sim, lang, focus) {
    const groups = drawnGroups(focus, configSource(sim.nodes));
    const key = `${layoutKey}|${compact}|${lang}|${JSON.stringify(groups)}`;
    if (key === groupsKey) return;
    groupsKey = key;
    gGroups.replaceChildren();
    groupsNote.replaceChildren();
    attr(groupsNote, 'hidden', groups.length ? null : '');
    attr(svg, 'data-groups', groups.length ? groups.map((g) => `${g.name}:${g.nodes.join(',')}`).join(' ') : null);
    const angleOf = (/** @type {number} */ id) => {
      const p = /** @type {{ ux: number, uy: number }} */ (layout.get(id));
      let a = Math.atan2(p.uy, p.ux);
      // From the top, clockwise: the first server at -90°.
      while (a < -Math.PI / 2 - 1e-9) a += 2 * Math.PI;
      return a;
    };
    const ring = [...layout.keys()].sort((a, b) => angleOf(a) - angleOf(b));
    const single = ring.length === 1;
    // The old group hugs the servers, the new one goes around it: both stay visible.
    const pads = { old: 9, new: 21 };
    // Where a tag prefers to sit (just inside the ring): upper left for C_old, upper right for C_new.
    const prefer = { old: -Math.PI / 2 - 0.7, new: -Math.PI / 2 + 0.7 };
    const order = (/** @type {{ name: string }} */ g) => (g.name === 'new' ? 0 : 1);
    /** @type {{ x: number, y: number }[]} */
    const placed = [];
    for (const g of [...groups].sort((a, b) => order(a) - order(b))) {
      const members = new Set(g.nodes.filter((id) => layout.has(id)));
      if (!members.size) continue;
      const w = radius + pads[g.name];
      const { runs, whole } = ringRuns(ring, members);
      const cls = `group group-${g.name}${g.majority ? '' : ' group-short'}`;
      const pos = (/** @type {number} */ id) => /** @type {{ x: number, y: number }} */ (layout.get(id));
      let d = '';
      if (single) d = bandPath(CENTER, 0, w, 0, 0);
      else if (whole) d = annulusPath(CENTER, RING, w);
      else {
        for (const run of runs) {
          const a0 = angleOf(run[0]);
          let a1 = angleOf(run[run.length - 1]);
          if (a1 < a0) a1 += 2 * Math.PI;
          d += bandPath(CENTER, RING, w, a0, a1);
        }
      }
      gGroups.append(s('path', { d, class: cls, 'fill-rule': 'evenodd', 'data-group': g.name, 'data-nodes': [...members].sort((a, b) => a - b).join(',') }));
      // The tag: inside the ring, between two members of a run (or by a lone member), as near
      // its preferred place as the group allows.
      /** @type {number[]} */
      const spots = [];
      for (const run of whole ? [[...ring, ring[0]]] : runs) {
        if (run.length === 1) spots.push(angleOf(run[0]));
        for (let i = 0; i + 1 < run.length; i++) {
          const a = angleOf(run[i]);
          let b = angleOf(run[i + 1]);
          if (b <= a) b += 2 * Math.PI;
          spots.push((a + b) / 2);
        }
      }
      const dist = (/** @type {number} */ a) => Math.abs(Math.atan2(Math.sin(a - prefer[g.name]), Math.cos(a - prefer[g.name])));
      const spot = spots.sort((a, b) => dist(a) - dist(b))[0] ?? prefer[g.name];
      // Both tags in one gap: the second goes a line lower, so they never overlap.
      const tr = single ? 0 : RING - w - (compact ? 26 : 18);
      const line = compact ? 30 : 20;
      const tx = CENTER + tr * Math.cos(spot);
      let ty = (single ? CENTER - w - 12 : CENTER) + tr * Math.sin(spot) + 6;
      while (placed.some((q) => Math.abs(q.x - tx) < 90 && Math.abs(q.y - ty) < line)) ty += line;
      placed.push({ x: tx, y: ty });
      const mark = g.kind === 'majority' ? (g.majority ? ' ✓' : ' ✗') : '';
      gGroups.append(s('text', { x: tx.toFixed(1), y: ty.toFixed(1), class: `group-tag group-tag-${g.name}`, 'text-anchor': 'middle', text: `${g.name === 'old' ? 'C_old' : 'C_new'}${mark}` }));
      // In words, under the drawing.
      const list = [...g.nodes].sort((a, b) => a - b).map((id) => `S${id}`).join(lang === 'zh' ? '、' : ', ');
      const words =
        g.kind === 'config'
          ? t(lang, 'cluster.groupConfig', { name: g.name === 'old' ? 'C_old' : 'C_new', list, need: majorityOf(g.of.length) })
          : t(lang, g.majority ? 'cluster.groupMajority' : 'cluster.groupShort', { name: g.name === 'old' ? 'C_old' : 'C_new', list, k: g.nodes.length, total: g.of.length });
      groupsNote.prepend(h('li', { class: `group-note group-note-${g.name}`, 'data-group': g.name }, [h('span', { class: `group-swatch group-swatch-${g.name}${g.majority ? '' : ' group-short'}`, 'aria-hidden': 'true' }), h('span', { text: words })]));
    }
  }

  /**
   * A node's colours, glyph and words (everything but the timer), and the start of its aria-label.
   * @param {Record<string, any>} v the node's elements
   * @param {any} n
   * @param {StoreState} st
   * @param {boolean} member
   * @param {boolean} learner
   * @param {any} leader
   * @param {ReturnType<typeof lessonFocus>} focus
   * @param {boolean} dense
   */
  function drawNode(v, n, st, member, learner, leader, focus, dense) {
    const lang = st.ui.lang;
    const style = ROLE_STYLE[/** @type {keyof typeof ROLE_STYLE} */ (n.role)] ?? ROLE_STYLE.follower;
    const up = n.status === 'up';
    attr(v.g, 'data-role', n.role);
    attr(v.g, 'data-status', n.status);
    attr(v.g, 'data-term', n.term);
    attr(v.g, 'data-member', member ? '1' : '0');
    attr(v.g, 'data-leader', leader && leader.id === n.id ? '1' : '0');
    attr(v.g, 'data-focus', focus?.nodes.has(n.id) ? '1' : null);
    // The timer is dimmed with its server (styles.js, lesson-styles.js).
    attr(v.ring, 'data-member', member ? '1' : '0');
    attr(v.ring, 'data-focus', focus?.nodes.has(n.id) ? '1' : null);
    attr(v.termRing, 'stroke', n.term > 0 && n.status !== 'crashed' ? termColor(n.term, st.ui.theme === 'dark') : 'none');
    attr(v.body, 'fill', n.status === 'crashed' ? 'var(--crashed)' : style.fill);
    attr(v.body, 'stroke-dasharray', !member ? '3 4' : style.dash || null);
    const gs = Math.max(4, radius * 0.16);
    attr(v.glyph, 'd', n.status === 'crashed' ? '' : shapePath(style.icon, style.icon === 'circle' ? gs * 0.6 : style.icon === 'star' ? gs * 1.25 : gs, 0, Number((-radius * 0.5).toFixed(1))));
    attr(v.glyph, 'fill', style.hollow ? 'none' : style.ink);
    attr(v.glyph, 'stroke', style.ink);
    text(v.name, `S${n.id}`);
    attr(v.name, 'fill', n.status === 'crashed' ? 'var(--ink-soft)' : style.ink);
    text(v.term, t(lang, 'node.termShort', { term: n.term }));
    attr(v.term, 'fill', n.status === 'crashed' ? 'var(--ink-soft)' : style.ink);
    text(v.crown, n.role === 'leader' && up ? '♛' : '');
    text(v.status, n.status === 'crashed' ? '✕' : n.status === 'paused' ? '❚❚' : '');
    // A crashed node is crossed out; a paused one shows a small pause sign where its role's
    // shape sits, so its name and term stay readable.
    attr(v.status, 'y', n.status === 'paused' ? (-radius * 0.5 + 6).toFixed(1) : '6');
    const roleLabel = !member
      ? t(lang, 'status.removed')
      : n.status === 'crashed'
        ? t(lang, 'status.crashed')
        : `${style.glyph} ${learner ? t(lang, 'role.learner') : roleName(lang, n.role)}${n.status === 'paused' ? ` · ${t(lang, 'status.paused')}` : ''}`;
    // On a phone with many nodes the most common label, "● Follower", is left to the dot inside
    // the node (and to the aria-label), so the labels that differ have room.
    const plainFollower = dense && member && !learner && n.role === 'follower' && n.status !== 'crashed';
    text(v.role, plainFollower ? (n.status === 'paused' ? t(lang, 'status.paused') : '') : roleLabel);
    v.roleLabel = roleLabel;
    attr(v.g, 'aria-expanded', st.ui.menuNode === n.id ? 'true' : 'false');
  }

  /**
   * A node's second label line (its vote and commit index), its labels kept inside the drawing,
   * and its aria-label, which says both lines (after drawNode, which sets `v.roleLabel`).
   * @param {Record<string, any>} v the node's elements
   * @param {any} n
   * @param {import('../i18n.js').Lang} lang
   * @param {boolean} dense
   */
  function drawVoteLine(v, n, lang, dense) {
    const voteText = n.votedFor ? t(lang, 'node.voted', { who: `S${n.votedFor}` }) : t(lang, 'node.votedNone');
    const vote = `${voteText} · ${t(lang, 'node.commit', { index: n.commitIndex ?? 0 })}`;
    // On a phone with six or more nodes the labels under neighbouring nodes would run into each
    // other: draw only the vote there (the commit index is the line in the log view, and the
    // node's aria-label still says both).
    text(v.vote, dense ? voteText : vote);
    fitLabels(v);
    v.aria = t(lang, 'node.aria', { id: n.id, role: v.roleLabel, term: n.term, vote });
  }

  /**
   * A candidate's vote dots (as RaftScope draws them): a row inside the node where its role
   * glyph sits, one dot per voter of its configuration; filled green when that voter granted,
   * red when it refused, hollow while no answer has come. The role is still named beside the
   * node and shown by its colour and outline.
   * @param {Record<string, any>} v the node's elements
   * @param {any} n
   * @param {{ voters: Set<number> } | null} conf
   */
  function drawVotes(v, n, conf) {
    const campaigning = n.status === 'up' && (n.role === 'candidate' || n.role === 'preCandidate');
    // No campaign, no dots: nothing to compare (most nodes, most frames).
    if (!campaigning && v.votesKey === '') return;
    const voters = campaigning ? [...(conf?.voters ?? new Set(n.voters ?? []))].sort((a, b) => a - b) : [];
    /** @type {Map<number, boolean>} */
    const answers = new Map((n.votes ?? []).map((/** @type {any} */ x) => [x.node, x.granted]));
    const key = voters.map((id) => `${id}:${answers.get(id) ?? ''}`).join(',');
    if (key === v.votesKey) return;
    v.votesKey = key;
    v.votes.replaceChildren();
    attr(v.glyph, 'visibility', campaigning ? 'hidden' : null);
    const y = -radius * 0.5;
    const chord = 2 * Math.sqrt(radius * radius - y * y) - 10;
    const step = Math.min(12, chord / Math.max(1, voters.length));
    const dot = Math.min(4.5, step * 0.38);
    voters.forEach((id, i) => {
      const x = (i - (voters.length - 1) / 2) * step;
      const granted = answers.get(id);
      v.votes.append(s('circle', { class: 'vote-dot', cx: x.toFixed(1), cy: y.toFixed(1), r: dot.toFixed(1), 'data-voter': id, 'data-granted': granted === undefined ? '' : granted ? '1' : '0' }));
    });
    attr(v.g, 'data-votes', campaigning ? String([...answers.values()].filter(Boolean).length) : null);
  }

  /**
   * Clients in the middle of the ring: a line to the server each one sends to (dashed while a
   * request waits for an answer), and a red dashed line with a cut mark to every server a
   * partition or a cut link keeps it from. While a retried request waits (§6.2), a thin dotted
   * line still goes to the server that failed it, tagged "✗ not leader" (it redirected) or "… no
   * answer" (it timed out), and the line to the new server is tagged "redirect" or "retry".
   * @param {any} sim
   * @param {import('../i18n.js').Lang} lang
   * @param {import('./lesson-focus.js').Focus | null} focus
   */
  function renderClients(sim, lang, focus) {
    const list = sim.clients ?? [];
    const ids = list.map((/** @type {any} */ c) => c.id);
    const key = `${ids.join(',')}|${layoutKey}|${lang}`;
    if (key !== clientKey) {
      clientKey = key;
      clientDrawKey = '';
      gClients.replaceChildren();
      gClientLinks.replaceChildren();
      clients.clear();
      clientLines.clear();
      clientPos = clientLayout(ids);
      for (const id of ids) {
        const p = /** @type {{x:number,y:number}} */ (clientPos.get(id));
        const box = s('rect', { x: -CLIENT_W / 2, y: -CLIENT_H / 2, width: CLIENT_W, height: CLIENT_H, rx: 6, fill: 'var(--bg)', stroke: 'var(--ink-soft)', 'stroke-width': 1.5 });
        const label = s('text', { y: 5, 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 600, fill: 'var(--ink)', 'aria-hidden': 'true' });
        const g = s('g', { class: 'client', transform: `translate(${p.x} ${p.y})`, role: 'img', 'data-client': id }, [box, label]);
        gClients.append(g);
        clients.set(id, { g, box, label });
      }
    }
    // Redrawn only when something it shows changed (not every frame): the clients' targets, their
    // requests in flight and why, the cut links, the lesson's focus.
    let drawKey = `${key}|${focus ? [...focus.clients].join() : ''}`;
    for (const c of list) drawKey += `|${c.id}:${c.leaderGuess}:${c.pending ? `${c.pending.reason?.type ?? ''}>${c.pending.reason?.from ?? ''}` : '-'}`;
    for (const l of sim.clientLinks ?? []) if (l.up === false) drawKey += `|${l.from}>${l.to}`;
    if (drawKey === clientDrawKey) return;
    clientDrawKey = drawKey;
    const cuts = clientCuts(sim.clientLinks);
    const wanted = new Set();
    for (const c of list) {
      const v = clients.get(c.id);
      const p = clientPos.get(c.id);
      if (!v || !p) continue;
      const cut = [...(cuts.get(c.id) ?? [])].sort((a, b) => a - b);
      const target = c.leaderGuess;
      const waiting = !!c.pending;
      // Why the request in flight went where it did: the first try, a redirect or a timeout.
      const reason = c.pending?.reason ?? null;
      const retry = reason && reason.type !== 'first' ? reason : null;
      const inFocus = !!focus?.clients.has(c.id);
      text(v.label, `C${c.id}`);
      attr(v.g, 'data-target', target);
      attr(v.g, 'data-cut', cut.join(',') || null);
      attr(v.g, 'data-pending', waiting ? 'true' : 'false');
      attr(v.g, 'data-retry', retry ? retry.type : null);
      attr(v.g, 'data-retry-from', retry ? retry.from : null);
      attr(v.g, 'data-focus', inFocus ? '1' : null);
      attr(v.box, 'stroke', waiting ? 'var(--ink)' : 'var(--ink-soft)');
      const cutText = cut.length ? t(lang, 'cluster.clientCut', { list: serverList(lang, cut) }) : '';
      const retryText = retry ? t(lang, retry.type === 'redirected' ? 'cluster.clientRedirected' : 'cluster.clientRetried', { from: retry.from }) : '';
      attr(v.g, 'aria-label', t(lang, waiting ? 'cluster.clientWaiting' : 'cluster.clientIdle', { id: c.id, to: target }) + retryText + cutText);
      const line = (/** @type {number} */ server, /** @type {'target' | 'cut' | 'failed'} */ kind) => {
        const k = `${c.id}>${server}>${kind}`;
        const np = layout.get(server);
        if (!np) return;
        wanted.add(k);
        let el = clientLines.get(k);
        if (!el) {
          const dx = np.x - p.x;
          const dy = np.y - p.y;
          const len = Math.hypot(dx, dy) || 1;
          const end = { x: np.x - (dx / len) * (radius + 3), y: np.y - (dy / len) * (radius + 3) };
          const stroke = kind === 'cut' ? 'var(--edge-cut)' : 'var(--ink-soft)';
          const width = kind === 'cut' ? 2 : kind === 'failed' ? 1.2 : 1.5;
          const dash = kind === 'cut' ? '5 5' : kind === 'failed' ? '1 5' : null;
          // A tag halfway along (clear of the client's box and of the server's labels).
          const tx = p.x + (end.x - p.x) * 0.5;
          const ty = p.y + (end.y - p.y) * 0.5;
          el = s('g', { class: `client-link client-link-${kind}`, 'data-client-link': k }, [
            s('line', { x1: p.x, y1: p.y, x2: end.x.toFixed(1), y2: end.y.toFixed(1), stroke, 'stroke-width': width, 'stroke-dasharray': dash, 'stroke-linecap': 'round', 'stroke-opacity': kind === 'cut' ? 0.8 : 0.9 }),
            kind === 'cut'
              ? s('text', { x: (p.x + end.x) / 2, y: (p.y + end.y) / 2 + 5, 'text-anchor': 'middle', 'font-size': 14, fill: 'var(--edge-cut)', text: '✂' })
              : s('text', { class: 'client-tag', x: tx.toFixed(1), y: (ty + 5).toFixed(1), 'text-anchor': 'middle' }),
          ]);
          gClientLinks.append(el);
          clientLines.set(k, el);
        }
        attr(el, 'data-focus', inFocus ? '1' : null);
        if (kind === 'target') {
          attr(el.firstElementChild, 'stroke-dasharray', waiting ? '3 4' : null);
          text(/** @type {SVGElement} */ (el.lastElementChild), retry ? `${retry.type === 'redirected' ? '↪' : '↻'} ${t(lang, retry.type === 'redirected' ? 'cluster.clientRedirectTag' : 'cluster.clientRetryTag')}` : '');
        }
        if (kind === 'failed' && retry) {
          text(/** @type {SVGElement} */ (el.lastElementChild), `${retry.type === 'redirected' ? '✗' : '…'} ${t(lang, retry.type === 'redirected' ? 'cluster.clientNotLeader' : 'cluster.clientNoAnswer')}`);
        }
      };
      if (!cut.includes(target)) line(target, 'target');
      if (retry && waiting && retry.from !== target && !cut.includes(retry.from)) line(retry.from, 'failed');
      for (const server of cut) line(server, 'cut');
    }
    for (const [k, el] of clientLines) {
      if (!wanted.has(k)) {
        el.remove();
        clientLines.delete(k);
      }
    }
  }

  /**
   * Point at fraction p of the way from node a to node b, between the circles' rims, shifted to
   * the right of the direction of travel so that a->b and b->a traffic do not overlap.
   * @param {{x:number,y:number}} a
   * @param {{x:number,y:number}} b
   * @param {number} p
   */
  function along(a, b, p) {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const start = radius + 4;
    const travel = Math.max(0, len - 2 * start);
    const d = start + travel * p;
    const off = 9;
    return { x: a.x + ux * d - uy * off, y: a.y + uy * d + ux * off };
  }

  /**
   * A message's elements for `type`: a parked one of that type when there is one (most are the
   * same heartbeats again, so little changes), else any parked one, else new ones. At 1x most
   * messages live for a frame or two; making and removing their elements every frame cost more
   * (layout tree, style, listeners) than moving a few kept ones.
   * @param {string} type
   * @returns {MsgEl}
   */
  function takeMsg(type) {
    const same = spare.get(type);
    let el = same?.pop();
    if (!el) {
      for (const list of spare.values()) {
        el = list.pop();
        if (el) break;
      }
    }
    if (el) {
      spareCount--;
      return el;
    }
    return newMsg();
  }

  /**
   * Any element of `gone` (see render), taken out of it.
   * @param {Map<string, MsgEl[]>} gone
   * @returns {MsgEl | undefined}
   */
  function anyGone(gone) {
    for (const list of gone.values()) {
      const el = list.pop();
      if (el) return el;
    }
    return undefined;
  }

  /**
   * Out of flight: hidden (visibility, so it keeps its layout) and kept for the next message,
   * without the attributes that make it a message (`.msg`, its id and type) for selectors.
   * @param {MsgEl} el
   */
  function parkMsg(el) {
    if (spareCount >= SPARE_MSGS_MAX) {
      el.g.remove();
      return;
    }
    attrKept(el.g, 'class', 'msg-spare');
    attrKept(el.g, 'data-id', null);
    attrKept(el.g, 'data-focus', null);
    attrKept(el.g, 'data-hover', null);
    attrKept(el.g, 'data-selected', null);
    attrKept(el.g, 'tabindex', null);
    el.id = -1;
    el.key = '';
    const list = spare.get(el.type) ?? [];
    list.push(el);
    spare.set(el.type, list);
    spareCount++;
  }

  /** Forget every message element, in flight or parked (new language, paper view, new layout). */
  function dropMsgs() {
    gMsgs.replaceChildren();
    msgs.clear();
    spare.clear();
    spareCount = 0;
  }

  /** @returns {MsgEl} */
  function newMsg() {
    const body = s('path', { class: 'msg-body' });
    const title = s('title');
    const g = s('g', { role: 'button' }, [body, title]);
    /** @type {MsgEl} */
    const el = { g, body, title, wait: null, dupRing: null, dupText: null, mark: null, hint: null, key: '', type: '', id: -1, shape: '', size: 0, dup: false, waiting: false, at: '' };
    const inspect = () => {
      if (el.id >= 0) send.ui({ intent: 'inspect', target: { kind: 'message', id: el.id } });
    };
    g.addEventListener('click', inspect);
    g.addEventListener('focus', inspect);
    // Manual delivery: the pending list's keys work on a message focused in the picture too.
    g.addEventListener('keydown', (e) => {
      const action = manual && el.id >= 0 ? pendingKeyAction(e, el.id) : null;
      if (action) {
        e.preventDefault();
        e.stopPropagation();
        send.act(action);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        inspect();
      }
    });
    gMsgs.append(g);
    return el;
  }

  /**
   * A part of a message that most messages go without (a mark, a hint, the rings of a duplicate
   * or a waiting message), made the first time one needs it and kept with the element after.
   * Every element a message has is styled again when it is parked or taken (its class changes
   * what they inherit): at 1x that is several messages a frame in each playground.
   * @param {MsgEl} el
   * @param {MsgPart} name
   * @returns {SVGElement}
   */
  function msgPart(el, name) {
    const have = el[name];
    if (have) return have;
    const made =
      name === 'wait'
        ? s('path', { class: 'msg-waiting' })
        : name === 'dupRing'
          ? s('path', { class: 'msg-dup' })
          : name === 'mark'
            ? s('text', { class: 'msg-mark', 'text-anchor': 'middle' })
            : s('text', { class: 'msg-hint' });
    // Drawing order: the rings and "×2" under the shape, the mark and the hint over it.
    const before = { wait: el.dupRing ?? el.dupText ?? el.body, dupRing: el.dupText ?? el.body, dupText: el.body, mark: el.hint ?? el.title, hint: el.title }[name];
    el.g.insertBefore(made, before);
    el[name] = made;
    return made;
  }

  /**
   * Set a part's text, making the part only for a text that is not empty.
   * @param {MsgEl} el
   * @param {MsgPart} name
   * @param {string} value
   * @returns {SVGElement | null} the part, when it shows something
   */
  function partText(el, name, value) {
    if (!value && !el[name]) return null;
    const part = msgPart(el, name);
    textKept(part, value);
    return value ? part : null;
  }

  /**
   * Draw message `m` with `el` (writing only what differs from what it showed before).
   * @param {MsgEl} el
   * @param {Record<string, any>} m
   * @param {boolean | null} outcome
   * @param {boolean} dup
   * @param {string} hint
   * @param {string} key
   * @param {import('../i18n.js').Lang} lang
   */
  function fillMsg(el, m, outcome, dup, hint, key, lang) {
    el.key = key;
    el.type = m.type;
    el.id = m.id;
    // The paper view draws a heartbeat as what the paper sends: an AppendEntries with no entries.
    const paperType = paper && m.type === 'heartbeat' ? 'append' : paper && m.type === 'heartbeatResp' ? 'appendResp' : m.type;
    const st = msgStyle(paperType);
    const size = st.size * MSG_SCALE;
    const color = outcome === null ? st.color : outcome ? OKABE.green : OKABE.vermillion;
    el.shape = st.shape;
    el.size = size;
    el.dup = dup;
    el.waiting = !!m.waiting;
    // The shapes and texts are drawn where the message is by placeMsg, which this makes write.
    el.at = '';
    attrKept(el.body, 'fill', st.hollow ? 'var(--bg)' : color);
    attrKept(el.body, 'stroke', st.hollow ? color : 'var(--msg-stroke)');
    attrKept(el.body, 'stroke-width', st.hollow ? 2.5 : 1.2);
    let markText = outcome === null ? st.mark : outcome ? '✓' : '✗';
    if (paperType !== m.type && outcome === null) markText = paperType === 'append' ? '0' : '';
    if (m.type === 'append' && outcome === null) {
      const n = /append (\d+)\.\.(\d+)/.exec(String(m.summary ?? ''));
      markText = n ? String(Number(n[2]) - Number(n[1]) + 1) : '';
    }
    const mark = partText(el, 'mark', markText);
    if (mark) attrKept(mark, 'fill', st.hollow ? color : '#111');
    partText(el, 'hint', hint ? t(lang, 'msg.hint', { hint }) : '');
    // A duplicated message wears a dashed ring and "×2"; one waiting for the learner a ring of its own.
    if (dup) msgPart(el, 'dupRing');
    else if (el.dupRing) attrKept(el.dupRing, 'd', null);
    partText(el, 'dupText', dup ? '×2' : '');
    if (m.waiting) msgPart(el, 'wait');
    else if (el.wait) attrKept(el.wait, 'd', null);
    const label = `${msgName(lang, paperType)} S${m.from}→S${m.to}${m.summary ? `: ${m.summary}` : ''}${m.waiting ? ` (${t(lang, 'cluster.waitingAria')})` : ''}`;
    attrKept(el.g, 'class', `msg msg-${m.type}`);
    attrKept(el.g, 'data-type', m.type);
    attrKept(el.g, 'data-id', m.id);
    attrKept(el.g, 'data-waiting', m.waiting ? '1' : null);
    attrKept(el.g, 'data-outcome', outcome === null ? '' : outcome ? 'ok' : 'fail');
    attrKept(el.g, 'tabindex', '0');
    attrKept(el.g, 'aria-label', label);
    textKept(el.title, label);
  }

  /**
   * Draw a message's parts at `pos`; positions are kept to 0.1 of a unit, so one that did not
   * move writes nothing. By their paths and coordinates, not by a transform on the group: a
   * transform is a paint property node of its own, and one that moves or comes and goes makes
   * Chromium sort the whole page into layers again. Drawn without one, the messages are painted
   * with the links, whose bounds the rectangle `bounds` holds (docs/DESIGN.md, "Performance of
   * the page").
   * @param {MsgEl} el
   * @param {{ x: number, y: number }} pos
   */
  function placeMsg(el, pos) {
    const x = tenth(pos.x);
    const y = tenth(pos.y);
    const at = `${x} ${y}`;
    if (at === el.at) return;
    el.at = at;
    const size = el.size;
    attrKept(el.body, 'd', shapePath(el.shape, size, x, y));
    if (el.mark) {
      attrKept(el.mark, 'x', x);
      attrKept(el.mark, 'y', tenth(y + 4.5));
    }
    if (el.hint) {
      attrKept(el.hint, 'x', tenth(x + size + 4));
      attrKept(el.hint, 'y', tenth(y - size));
    }
    if (el.dupRing && el.dup) attrKept(el.dupRing, 'd', shapePath(el.shape, size + 5, x, y));
    if (el.dupText) {
      attrKept(el.dupText, 'x', tenth(x - size - 22));
      attrKept(el.dupText, 'y', tenth(y - size));
    }
    if (el.wait && el.waiting) attrKept(el.wait, 'd', shapePath(el.shape, size + 7, x, y));
  }

  return { render, svg };
}
