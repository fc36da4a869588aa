// @ts-check
// The cluster: nodes on a ring, links between every pair, messages moving along the links at
// their simulated latency. Keyed joins (a Map per kind of thing) keep per-frame DOM writes small:
// elements are created once and only their changed attributes are written.

import { h, s, attr, attrKept, text, textKept, fittedBox } from '../dom.js';
import { createMovingParts } from './cluster-canvas.js';
import { t, serverList } from '../i18n.js';
import { ROLE_STYLE, msgStyle, shapePath, OKABE, termColor } from '../palette.js';
import { lessonFocus } from './lesson-focus.js';
import { describe, replyOutcome, replyHint, roleName, msgName } from '../describe.js';
import { pendingKeyAction } from './pending-panel.js';
import { drawnGroups, ringRuns, bandPath, annulusPath, majorityOf } from './groups.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

const CENTER = 300;
/**
 * A message's element while the picture stands still (see render): focusable and labelled, with
 * a shape that takes clicks and paints nothing (the canvas draws the message). `at` is the
 * position last written.
 * @typedef {{ g: SVGElement, body: SVGElement, title: SVGElement, at: string }} MsgEl
 */
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
  // Three layers, one over the other: the links (and groups, and clients' lines), then a canvas
  // with what moves in every picture (messages, lost-message crosses, election timers;
  // cluster-canvas.js), then the servers and clients, which change only with their state.
  // Chromium paints a drawing whole when anything in it changes, and its texts cost the most: the
  // servers' dozens of words repainted with every moving message were a sixth of the page's work
  // with six playgrounds playing, and the messages' own elements most of the rest (docs/DESIGN.md,
  // "Performance of the page").
  const viewBox = `${VIEW_BOX.x} ${VIEW_BOX.y} ${VIEW_BOX.w} ${VIEW_BOX.h}`;
  const svg = /** @type {SVGSVGElement} */ (s('svg', { viewBox, class: 'cluster-svg', role: 'none' }));
  const svgTop = /** @type {SVGSVGElement} */ (s('svg', { viewBox, class: 'cluster-top', role: 'none' }));
  // Groups of servers (majorities, or the halves of a joint configuration), under everything.
  const gGroups = s('g', { class: 'groups', 'aria-hidden': 'true' });
  const gEdges = s('g', { class: 'edges' });
  // Each server's election timer: its track here, where the server is (it changes only when the
  // timer comes and goes), the arc on the canvas; a click on the ring opens the server's menu, as
  // when the ring was part of the server.
  const gTimers = s('g', { class: 'timers', 'aria-hidden': 'true' });
  // The messages' elements while the picture stands still (render), with no paint of their own.
  const gMsgs = s('g', { class: 'msgs' });
  const gNodes = s('g', { class: 'nodes' });
  // Clients and their links to the servers (client traffic crosses the network too).
  const gClientLinks = s('g', { class: 'client-links', 'aria-hidden': 'true' });
  const gClients = s('g', { class: 'clients' });
  const centerNote = s('text', { x: CENTER, y: CENTER, class: 'center-note', 'text-anchor': 'middle' });
  // An empty rectangle over the whole drawing, painted first: the bounds of what Chromium paints
  // with it stay the same as clients' lines and tags come and go; a change of those bounds would
  // make it sort the page into layers again (docs/DESIGN.md, "Performance of the page").
  const bx = Math.min(VIEW_BOX.x, VIEW_BOX_COMPACT.x);
  const by = Math.min(VIEW_BOX.y, VIEW_BOX_COMPACT.y);
  const bw = Math.max(VIEW_BOX.x + VIEW_BOX.w, VIEW_BOX_COMPACT.x + VIEW_BOX_COMPACT.w) - bx;
  const bh = Math.max(VIEW_BOX.y + VIEW_BOX.h, VIEW_BOX_COMPACT.y + VIEW_BOX_COMPACT.h) - by;
  const bounds = s('rect', { x: bx, y: by, width: bw, height: bh, class: 'paint-bounds', fill: 'none', 'aria-hidden': 'true' });
  // And a clear letter in a corner outside both view boxes, so that what is painted there always
  // holds text: tags coming and going would otherwise switch that on and off, which too makes
  // Chromium sort the page into layers again.
  const boundsText = s('text', { x: bx + 4, y: by + 10, class: 'paint-bounds', fill: 'transparent', 'font-size': 8, 'aria-hidden': 'true' });
  boundsText.textContent = '.';
  svg.append(bounds, boundsText, gGroups, gEdges, gClientLinks, gMsgs, gTimers);
  const moving = createMovingParts(svg);
  // The servers' drawing holds the same two: its texts come and go too (the centre's note).
  svgTop.append(bounds.cloneNode(), boundsText.cloneNode(true), gNodes, gClients, centerNote);
  // Its words in a box of their own height, so that a new line of the story lays out that box
  // alone, not the page (dom.js fittedBox).
  const captionText = fittedBox('caption-text', 'height');
  const caption = h('p', { class: 'caption', 'aria-live': 'polite' }, [captionText.box]);
  const wrap = h('div', { class: 'cluster-wrap', role: 'group' }, [svg, moving.canvas, svgTop]);
  // What each drawn group is, in words (the page moves it under the cluster, with the caption).
  const groupsNote = h('ul', { class: 'cluster-groups', hidden: '' });
  root.append(wrap, caption, groupsNote);

  /** @type {Map<string, { g: SVGElement, line: SVGElement, hit: SVGElement, mark: SVGElement }>} */
  const edges = new Map();
  /** @type {Map<number, Record<string, any>>} */
  const nodes = new Map();
  /** The messages' elements by id, while the picture stands still. */
  /** @type {Map<number, MsgEl>} */
  const msgs = new Map();
  /** The message with the keyboard's focus, drawn with a focus ring (null: none). */
  /** @type {number | null} */
  let focusedMsg = null;
  let lastTheme = '';
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
    const vb = c ? VIEW_BOX_COMPACT : VIEW_BOX;
    // The canvas's pixels follow the drawing's size (and the stylesheet's narrow sizes with it).
    moving.resize(vb);
    if (c !== compact) {
      compact = c;
      for (const el of [svg, svgTop]) el.setAttribute('viewBox', `${vb.x} ${vb.y} ${vb.w} ${vb.h}`);
      root.style.aspectRatio = `${vb.w} / ${vb.h}`;
      layoutKey = '';
      render(store.get());
    }
  }).observe(wrap);
  // A click on a message drawn on the canvas inspects it, as a click on its element did: what is
  // under it (a link, the drawing) does not get the click. A server and a timer's ring are over
  // the messages, and a message's own element (a still picture) takes its click itself.
  wrap.addEventListener(
    'click',
    (e) => {
      const target = /** @type {Element} */ (e.target);
      if (target.closest?.('.node, .msg, .timer-ring')) return;
      const id = moving.hitMessage(e.clientX, e.clientY);
      if (id === null) return;
      e.stopPropagation();
      e.preventDefault();
      send.ui({ intent: 'inspect', target: { kind: 'message', id } });
    },
    true,
  );
  let pointerOnMsg = false;
  wrap.addEventListener('pointermove', (e) => {
    const on = moving.hitMessage(e.clientX, e.clientY) !== null;
    if (on !== pointerOnMsg) {
      pointerOnMsg = on;
      wrap.style.cursor = on ? 'pointer' : '';
    }
  });

  function edgeKey(a, b) {
    return a < b ? `${a}-${b}` : `${b}-${a}`;
  }

  /** @param {number[]} ids */
  function rebuild(ids) {
    gEdges.replaceChildren();
    gNodes.replaceChildren();
    gTimers.replaceChildren();
    dropMsgs();
    edges.clear();
    nodes.clear();
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
      const ring = s('g', { class: 'timer-ring', 'data-timer': id }, [timerTrack]);
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
      nodes.set(id, { g, body, termRing, votes, glyph, name, term, crown, status, role, vote, ring, timerTrack, trackShown: true, alpha: 1, votesKey: '', key: '', voteKey: '', roleLabel: '', aria: '', ariaKey: '', labelKey: '', p, lx, anchor });
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
    if (st.ui.theme !== lastTheme) {
      lastTheme = st.ui.theme;
      moving.restyle();
    }
    manual = st.config?.delivery === 'manual';
    // The picture stands still: paused, or manual delivery, where messages wait to be picked.
    // Only then are the messages elements as well as pixels (focusable, labelled, found by
    // selectors): while the run plays they live a frame or two each, and making their elements
    // was most of the cluster's work (docs/DESIGN.md, "Session 12").
    const still = !st.playing || manual;
    /** @type {import('./cluster-canvas.js').Scene} */
    const scene = { msgs: [], crosses: [], timers: [] };
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
      // The arc is drawn on the canvas, dimmed as its track is; the share left is written on the
      // ring's element too while the picture stands still.
      scene.timers.push({ x: v.p.x, y: v.p.y, r: radius + 7, frac: showTimer ? frac : null, alpha: v.alpha });
      // The track is hidden by a clear stroke: an opacity below 1 is a paint property node of its
      // own, and a ring not painted at all changes the bounds of what is painted with it (either
      // makes Chromium sort the page into layers again; docs/DESIGN.md, "Performance of the page").
      if (showTimer !== v.trackShown) {
        v.trackShown = showTimer;
        attr(v.timerTrack, 'stroke-opacity', showTimer ? null : '0');
      }
      attrKept(v.ring, 'data-frac', still && showTimer ? frac.toFixed(3) : null);
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
    // Manual delivery: messages waiting at the same receiver from the same sender queue up
    // along the link, the oldest nearest the receiver, so each one can be seen and clicked.
    /** @type {Map<string, number>} */
    const queued = new Map();
    const inspected = st.ui.inspect?.kind === 'message' ? st.ui.inspect.id : null;
    const inFlight = (sim.inFlight ?? []).filter((/** @type {any} */ m) => layout.has(m.from) && layout.has(m.to));
    const seen = new Set();
    for (const m of inFlight) {
      const a = /** @type {{ x: number, y: number }} */ (layout.get(m.from));
      const b = /** @type {{ x: number, y: number }} */ (layout.get(m.to));
      const outcome = replyOutcome(m);
      const dup = dupIds.has(m.id);
      const span = Math.max(1e-6, m.deliverAtMs - m.sentAtMs);
      let p = reduced ? 0.5 : Math.min(1, Math.max(0, (now - m.sentAtMs) / span));
      if (m.waiting) {
        const lane = `${m.from}>${m.to}`;
        const k = queued.get(lane) ?? 0;
        queued.set(lane, k + 1);
        // Short of the rim, so neither the node nor its timer ring covers it.
        p = Math.max(0.2, 0.8 - k * 0.13);
      }
      const pos = along(a, b, p);
      const d = drawnMsg(m, outcome, dup, lang, tenth(pos.x), tenth(pos.y));
      const named = !!focus?.messages.has(m.id);
      d.lessonFocus = !!focus && named;
      d.dim = !!focus && !named;
      d.hover = st.ui.hoverMsg === m.id;
      d.selected = m.id === inspected;
      d.focused = m.id === focusedMsg;
      scene.msgs.push(d);
      if (still) {
        seen.add(m.id);
        mirrorMsg(m, d, outcome, named, lang);
      }
    }
    for (const [id, el] of msgs) {
      if (seen.has(id)) continue;
      el.g.remove();
      msgs.delete(id);
    }

    // Lost messages: a cross where the message was when the network dropped it, fading.
    for (const e of st.effects) {
      if (e.kind !== 'drop') continue;
      const m = e.data;
      const a = layout.get(m.from);
      const b = layout.get(m.to);
      if (!a || !b) continue;
      const span = Math.max(1e-6, (m.deliverAtMs ?? e.atMs) - (m.atMs ?? e.atMs));
      const p = m.deliverAtMs ? Math.min(1, Math.max(0.15, (e.atMs - m.atMs) / span)) : 0.3;
      const pos = along(a, b, reduced ? 0.5 : p);
      const age = (now - e.atMs) / Math.max(1e-6, e.untilMs - e.atMs);
      scene.crosses.push({ x: tenth(pos.x), y: tenth(pos.y), alpha: Math.max(0.15, 1 - age) });
    }
    moving.draw(scene);

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
    // The timer's track is dimmed with its server (styles.js, lesson-styles.js); the canvas dims
    // its arc alike, read back once the ring's marks are set.
    attr(v.ring, 'data-member', member ? '1' : '0');
    attr(v.ring, 'data-focus', focus?.nodes.has(n.id) ? '1' : null);
    const alpha = Number.parseFloat(getComputedStyle(v.ring).opacity);
    v.alpha = Number.isFinite(alpha) ? alpha : 1;
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

  /** Forget every message element (new language, paper view, new layout). */
  function dropMsgs() {
    gMsgs.replaceChildren();
    msgs.clear();
  }

  /**
   * The type a message is shown as: the paper view draws a heartbeat as what the paper sends, an
   * AppendEntries with no entries.
   * @param {Record<string, any>} m
   */
  function shownType(m) {
    return paper && m.type === 'heartbeat' ? 'append' : paper && m.type === 'heartbeatResp' ? 'appendResp' : m.type;
  }

  /**
   * How message `m` is drawn at `x`, `y`: its type's shape and colour (an answer's outcome
   * colours it), its mark, and a failed append's hint.
   * @param {Record<string, any>} m
   * @param {boolean | null} outcome
   * @param {boolean} dup
   * @param {import('../i18n.js').Lang} lang
   * @param {number} x
   * @param {number} y
   * @returns {import('./cluster-canvas.js').DrawnMsg}
   */
  function drawnMsg(m, outcome, dup, lang, x, y) {
    const paperType = shownType(m);
    const st = msgStyle(paperType);
    const color = outcome === null ? st.color : outcome ? OKABE.green : OKABE.vermillion;
    let mark = outcome === null ? st.mark : outcome ? '✓' : '✗';
    if (paperType !== m.type && outcome === null) mark = paperType === 'append' ? '0' : '';
    if (m.type === 'append' && outcome === null) {
      const n = /append (\d+)\.\.(\d+)/.exec(String(m.summary ?? ''));
      mark = n ? String(Number(n[2]) - Number(n[1]) + 1) : '';
    }
    const hint = m.type === 'appendResp' && outcome === false ? replyHint(m) : '';
    return {
      id: m.id,
      x,
      y,
      shape: st.shape,
      size: st.size * MSG_SCALE,
      hollow: st.hollow,
      color,
      mark,
      markColor: st.hollow ? color : '#111',
      hint: hint ? t(lang, 'msg.hint', { hint }) : '',
      dup,
      waiting: !!m.waiting,
      selected: false,
      hover: false,
      focused: false,
      lessonFocus: false,
      dim: false,
    };
  }

  /**
   * Message `m`'s element in a still picture, made or brought up to date: its words and what it
   * is (for the keyboard, a screen reader and the page's selectors), and a clear shape where the
   * canvas drew it, which takes its clicks.
   * @param {Record<string, any>} m
   * @param {import('./cluster-canvas.js').DrawnMsg} d
   * @param {boolean | null} outcome
   * @param {boolean} named the lesson's step names it
   * @param {import('../i18n.js').Lang} lang
   */
  function mirrorMsg(m, d, outcome, named, lang) {
    let el = msgs.get(m.id);
    if (!el) {
      el = newMsg(m.id);
      msgs.set(m.id, el);
    }
    const paperType = shownType(m);
    const label = `${msgName(lang, paperType)} S${m.from}→S${m.to}${m.summary ? `: ${m.summary}` : ''}${m.waiting ? ` (${t(lang, 'cluster.waitingAria')})` : ''}`;
    attrKept(el.g, 'class', `msg msg-${m.type}`);
    attrKept(el.g, 'data-type', m.type);
    attrKept(el.g, 'data-waiting', m.waiting ? '1' : null);
    attrKept(el.g, 'data-outcome', outcome === null ? '' : outcome ? 'ok' : 'fail');
    attrKept(el.g, 'aria-label', label);
    textKept(el.title, label);
    attrKept(el.g, 'data-focus', named ? '1' : null);
    // The message the pointer is on in the space-time view.
    attrKept(el.g, 'data-hover', d.hover ? '1' : null);
    attrKept(el.g, 'data-selected', d.selected ? '1' : null);
    const reach = d.waiting ? d.size + 7 : d.size;
    const at = `${d.shape} ${reach} ${d.x} ${d.y}`;
    if (at !== el.at) {
      el.at = at;
      attrKept(el.body, 'd', shapePath(d.shape, reach, d.x, d.y));
    }
  }

  /**
   * @param {number} id
   * @returns {MsgEl}
   */
  function newMsg(id) {
    const body = s('path', { class: 'msg-body' });
    const title = s('title');
    const g = s('g', { role: 'button', tabindex: '0', 'data-id': id }, [body, title]);
    /** @type {MsgEl} */
    const el = { g, body, title, at: '' };
    const inspect = () => send.ui({ intent: 'inspect', target: { kind: 'message', id } });
    g.addEventListener('click', inspect);
    g.addEventListener('focus', () => {
      // The canvas draws the focus ring, for the keyboard's focus only (as :focus-visible).
      focusedMsg = g.matches(':focus-visible') ? id : null;
      inspect();
    });
    g.addEventListener('blur', () => {
      if (focusedMsg !== id) return;
      focusedMsg = null;
      // Drawn again without its ring once whatever took the focus away is done: a render that
      // removes this element blurs it, and must not be re-entered.
      queueMicrotask(() => render(store.get()));
    });
    // Manual delivery: the pending list's keys work on a message focused in the picture too.
    g.addEventListener('keydown', (e) => {
      const action = manual ? pendingKeyAction(e, id) : null;
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

  return { render, svg };
}
