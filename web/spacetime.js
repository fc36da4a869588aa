// @ts-check
// The space-time diagram's data (issue 15): every message of the run with its send and its end
// (delivered, lost or still in flight), and what happened on each node's lane (role, term,
// status, cut links, commits), folded from the trace as it arrives. Lamport's diagram, with
// the lanes of the run's servers (and clients, once they are network endpoints).
//
// Pure: no DOM, no wasm (tests/js/spacetime.test.mjs). The store folds every batch of trace
// events into one Timeline (`record`), cuts it back on a seek (`cutAfter`: the simulation is
// deterministic, so what happened up to t is the same whichever way t was reached), and the
// view asks it only for a window of time (`messagesIn`, `segmentsIn`, `marksIn`), so a long
// run costs the view no more than a short one.

/** @typedef {Record<string, any>} TraceEvent */
/** @typedef {number | string} Lane a node id, or a client (`"c1"`) */

/**
 * One message: an arrow from (sentAtMs, from) to (endAtMs, to).
 * @typedef {Object} StMessage
 * @property {number} id the simulation's message id (msgSent.id; a duplicate has its copyId)
 * @property {string} type msgSent.type (`append`, `voteResp`, ...)
 * @property {Lane} from
 * @property {Lane} to
 * @property {number} term
 * @property {string} summary
 * @property {number} sentAtMs
 * @property {number} dueAtMs when the network meant to deliver it (msgSent.deliverAtMs)
 * @property {number | null} endAtMs when it was delivered or dropped; null while in flight
 * @property {'flight' | 'delivered' | 'dropped'} end
 * @property {string | null} dropReason msgDropped.reason
 * @property {number | null} copyOf the original's id, for a copy the network made (msgDuplicated)
 * @property {boolean} copied whether the network made a copy of this one
 */

/**
 * What a lane looks like from `atMs` until the next segment of the same lane.
 * @typedef {Object} StSegment
 * @property {number} atMs
 * @property {Lane} lane
 * @property {string} role
 * @property {number} term
 * @property {'up' | 'crashed' | 'paused'} status
 * @property {string} cut the peers this lane cannot reach or hear from, e.g. "3,4" ('' when none)
 */

/**
 * A moment on a lane: a role or term change, a commit, a crash or restart, a pause, a cut.
 * @typedef {Object} StMark
 * @property {number} atMs
 * @property {Lane} lane
 * @property {'role' | 'term' | 'commit' | 'crash' | 'restart' | 'pause' | 'resume' | 'cut' | 'heal' | 'request' | 'answer' | 'clientLost'} kind
 * @property {Record<string, any>} data the event's fields that the mark shows (a client's: the event itself)
 */

/**
 * @typedef {Object} Timeline
 * @property {StMessage[]} msgs every message kept, by send time
 * @property {Map<number, StMessage>} open messages in flight by id
 * @property {Map<number, StMessage>} byId recent messages by id (for a copy's original)
 * @property {StSegment[]} segs lane segments, by time
 * @property {StMark[]} marks lane marks, by time
 * @property {Map<string, StSegment>} laneNow each lane's latest segment (by String(lane))
 * @property {Set<string>} down directed links cut now, "from>to"
 * @property {number} spanMsMax the longest flight of a message kept (bounds a window's search)
 * @property {Map<string, any>} ops recent client operations by "client/opId" (an answer names its op)
 * @property {number} fromMs where the kept record starts (older messages were let go)
 * @property {number} version bumps whenever anything changed
 */

/**
 * A lane's name as the page writes it: S2 for a server, C1 for a client.
 * @param {Lane} lane
 */
export function laneName(lane) {
  return typeof lane === 'number' ? `S${lane}` : String(lane).toUpperCase();
}

/** Messages kept; past it the oldest half goes (a very long run keeps its recent part). */
export const ST_MSGS_MAX = 200_000;
/** Marks and segments kept, likewise. */
export const ST_MARKS_MAX = 100_000;
/** Ids remembered after delivery, for the copies the network makes of them. */
const BY_ID_MAX = 4096;
/** Message types sent at the sender's own term (PreVote asks about term+1 without taking it). */
const NO_TERM = new Set(['preVote', 'preVoteResp']);

/** @returns {Timeline} */
export function newTimeline() {
  return { msgs: [], open: new Map(), byId: new Map(), segs: [], marks: [], laneNow: new Map(), down: new Set(), spanMsMax: 0, ops: new Map(), fromMs: 0, version: 0 };
}

/**
 * @param {Timeline} tl
 * @param {Lane} lane
 * @returns {StSegment}
 */
function laneState(tl, lane) {
  return tl.laneNow.get(String(lane)) ?? { atMs: 0, lane, role: typeof lane === 'string' ? 'client' : 'follower', term: 0, status: 'up', cut: '' };
}

/**
 * Start a new segment on a lane from `atMs` with `patch` (or amend the last one, when it began at
 * the same instant: several changes at one moment make one segment).
 * @param {Timeline} tl
 * @param {Lane} lane
 * @param {number} atMs
 * @param {Partial<StSegment>} patch
 */
function change(tl, lane, atMs, patch) {
  const cur = laneState(tl, lane);
  const next = { ...cur, ...patch, atMs, lane };
  if (next.role === cur.role && next.term === cur.term && next.status === cur.status && next.cut === cur.cut && tl.laneNow.has(String(lane))) return;
  // The lane's segment that began at this very instant, if any, is amended instead.
  let i = tl.segs.length - 1;
  while (i >= 0 && tl.segs[i].atMs === atMs && tl.segs[i] !== cur) i--;
  if (i >= 0 && tl.segs[i] === cur && cur.atMs === atMs) tl.segs[i] = next;
  else tl.segs.push(next);
  tl.laneNow.set(String(lane), next);
}

/**
 * The peers `lane` cannot reach or hear from, as a sorted list in a string.
 * @param {Timeline} tl
 * @param {Lane} lane
 */
function cutOf(tl, lane) {
  const me = String(lane);
  /** @type {string[]} */
  const peers = [];
  for (const k of tl.down) {
    const [a, b] = k.split('>');
    if (a === me && !peers.includes(b)) peers.push(b);
    else if (b === me && !peers.includes(a)) peers.push(a);
  }
  return peers.sort((x, y) => (Number(x) || 1e9) - (Number(y) || 1e9) || (x < y ? -1 : 1)).join(',');
}

/**
 * @param {Timeline} tl
 * @param {StMark} mark
 */
function mark(tl, mark) {
  tl.marks.push(mark);
}

/**
 * Fold trace events (in trace order) into the timeline.
 * @param {Timeline} tl
 * @param {TraceEvent[]} events
 * @returns {boolean} whether anything changed
 */
export function record(tl, events) {
  let changed = false;
  for (const ev of events) changed = one(tl, ev) || changed;
  if (changed) {
    tl.version++;
    trim(tl);
  }
  return changed;
}

/**
 * @param {Timeline} tl
 * @param {TraceEvent} ev
 * @returns {boolean}
 */
function one(tl, ev) {
  const at = ev.atMs;
  switch (ev.kind) {
    case 'msgSent': {
      /** @type {StMessage} */
      const m = { id: ev.id, type: ev.type, from: ev.from, to: ev.to, term: ev.term, summary: ev.summary ?? '', sentAtMs: at, dueAtMs: ev.deliverAtMs ?? at, endAtMs: null, end: 'flight', dropReason: null, copyOf: null, copied: false };
      tl.msgs.push(m);
      tl.open.set(m.id, m);
      remember(tl, m);
      // A node's term is the term it sends with: a follower that learns a higher term from a
      // message answers it at once (§5.1), so its first message in the new term marks the change.
      if (!NO_TERM.has(m.type) && typeof m.from === 'number') termSeen(tl, m.from, m.term, at);
      return true;
    }
    case 'msgDelivered':
    case 'msgDropped': {
      const m = tl.open.get(ev.id) ?? tl.byId.get(ev.id);
      if (!m) return false;
      tl.open.delete(ev.id);
      m.endAtMs = at;
      m.end = ev.kind === 'msgDelivered' ? 'delivered' : 'dropped';
      if (ev.kind === 'msgDropped') m.dropReason = ev.reason ?? null;
      tl.spanMsMax = Math.max(tl.spanMsMax, at - m.sentAtMs);
      return true;
    }
    case 'msgDuplicated': {
      const orig = tl.open.get(ev.id) ?? tl.byId.get(ev.id);
      if (!orig) return false;
      orig.copied = true;
      /** @type {StMessage} */
      const m = { ...orig, id: ev.copyId, sentAtMs: at, dueAtMs: ev.deliverAtMs ?? at, endAtMs: null, end: 'flight', dropReason: null, copyOf: orig.id, copied: false };
      tl.msgs.push(m);
      tl.open.set(m.id, m);
      remember(tl, m);
      return true;
    }
    case 'roleChanged': {
      const before = laneState(tl, ev.node);
      change(tl, ev.node, at, { role: ev.to, term: Math.max(before.term, ev.term ?? 0) });
      mark(tl, { atMs: at, lane: ev.node, kind: 'role', data: { from: ev.from, to: ev.to, term: ev.term } });
      if ((ev.term ?? 0) > before.term) mark(tl, { atMs: at, lane: ev.node, kind: 'term', data: { term: ev.term } });
      return true;
    }
    case 'voteGranted':
      if (ev.preVote) return false;
      return termSeen(tl, ev.node, ev.term, at);
    case 'commitAdvanced':
      mark(tl, { atMs: at, lane: ev.node, kind: 'commit', data: { from: ev.from, to: ev.to, leader: laneState(tl, ev.node).role === 'leader' } });
      return true;
    case 'nodeCrashed':
      change(tl, ev.node, at, { status: 'crashed', role: 'follower' });
      mark(tl, { atMs: at, lane: ev.node, kind: 'crash', data: {} });
      return true;
    case 'nodeRestarted':
      change(tl, ev.node, at, { status: 'up', role: 'follower' });
      mark(tl, { atMs: at, lane: ev.node, kind: 'restart', data: {} });
      return true;
    case 'nodePaused':
      change(tl, ev.node, at, { status: 'paused' });
      mark(tl, { atMs: at, lane: ev.node, kind: 'pause', data: {} });
      return true;
    case 'nodeResumed':
      change(tl, ev.node, at, { status: 'up' });
      mark(tl, { atMs: at, lane: ev.node, kind: 'resume', data: {} });
      return true;
    case 'linkChanged': {
      const k = `${ev.from}>${ev.to}`;
      if (ev.up) tl.down.delete(k);
      else tl.down.add(k);
      for (const lane of [ev.from, ev.to]) {
        const before = laneState(tl, lane).cut;
        const now = cutOf(tl, lane);
        if (now === before) continue;
        change(tl, lane, at, { cut: now });
        // A partition changes many links at one instant: one mark per lane says where it ended.
        let i = tl.marks.length - 1;
        while (i >= 0 && tl.marks[i].atMs === at && !(tl.marks[i].lane === lane && (tl.marks[i].kind === 'cut' || tl.marks[i].kind === 'heal'))) i--;
        const m = { atMs: at, lane, kind: /** @type {'cut' | 'heal'} */ (now ? 'cut' : 'heal'), data: { peers: now } };
        if (i >= 0 && tl.marks[i].atMs === at) tl.marks[i] = m;
        else mark(tl, m);
      }
      return true;
    }
    // Client traffic crosses the network too, but the trace tells only one end of each trip:
    // when a request leaves its client (clientSent) and when an answer reaches it
    // (clientCompleted), or where one was lost. They are marks on the client's lane.
    case 'clientInvoked':
      if (tl.ops.size >= BY_ID_MAX) tl.ops.delete(/** @type {string} */ (tl.ops.keys().next().value));
      tl.ops.set(`${ev.client}/${ev.opId}`, ev.op);
      clientLane(tl, ev.client, at);
      return true;
    case 'clientSent':
      clientLane(tl, ev.client, at);
      mark(tl, { atMs: at, lane: `c${ev.client}`, kind: 'request', data: ev });
      return true;
    case 'clientCompleted':
      clientLane(tl, ev.client, at);
      mark(tl, { atMs: at, lane: `c${ev.client}`, kind: 'answer', data: { ...ev, op: tl.ops.get(`${ev.client}/${ev.opId}`) } });
      return true;
    case 'clientMsgDropped':
      clientLane(tl, ev.client, at);
      // A lost request is marked where it left (the client), a lost answer where it left (the server).
      mark(tl, { atMs: at, lane: ev.reply ? ev.node : `c${ev.client}`, kind: 'clientLost', data: ev });
      return true;
    default:
      return false;
  }
}

/**
 * A client's lane exists from its first traffic on.
 * @param {Timeline} tl
 * @param {number} client
 * @param {number} at
 */
function clientLane(tl, client, at) {
  if (!tl.laneNow.has(`c${client}`)) change(tl, `c${client}`, at, { role: 'client' });
}

/**
 * @param {Timeline} tl
 * @param {StMessage} m
 */
function remember(tl, m) {
  if (tl.byId.size >= BY_ID_MAX) tl.byId.delete(/** @type {number} */ (tl.byId.keys().next().value));
  tl.byId.set(m.id, m);
}

/**
 * A node was seen acting in `term`: a higher term than its lane shows starts a new segment.
 * @param {Timeline} tl
 * @param {number} node
 * @param {number} term
 * @param {number} at
 */
function termSeen(tl, node, term, at) {
  const cur = laneState(tl, node);
  const known = tl.laneNow.has(String(node));
  const higher = term > cur.term;
  if (known && !higher) return false;
  change(tl, node, at, { term: Math.max(cur.term, term) });
  if (higher) mark(tl, { atMs: at, lane: node, kind: 'term', data: { term } });
  return true;
}

/**
 * Let the oldest half go past the limits (amortised: one splice per half).
 * @param {Timeline} tl
 */
function trim(tl) {
  if (tl.msgs.length > ST_MSGS_MAX) {
    const cut = tl.msgs.length - ST_MSGS_MAX / 2;
    tl.fromMs = Math.max(tl.fromMs, tl.msgs[cut].sentAtMs);
    tl.msgs.splice(0, cut);
  }
  if (tl.marks.length > ST_MARKS_MAX) tl.marks.splice(0, tl.marks.length - ST_MARKS_MAX / 2);
  if (tl.segs.length > ST_MARKS_MAX) {
    // Keep each lane's segment at the cut, so the lanes still know their state there.
    const cut = tl.segs.length - ST_MARKS_MAX / 2;
    const at = tl.segs[cut].atMs;
    /** @type {Map<string, StSegment>} */
    const before = new Map();
    for (let i = 0; i < cut; i++) before.set(String(tl.segs[i].lane), tl.segs[i]);
    tl.segs = [...[...before.values()].map((s) => ({ ...s, atMs: Math.min(s.atMs, at) })), ...tl.segs.slice(cut)];
  }
}

/**
 * The first index of `list` whose `key` is greater than `t` (lists sorted by that key).
 * @template T
 * @param {T[]} list
 * @param {number} t
 * @param {(x: T) => number} key
 */
function after(list, t, key) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(list[mid]) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** @param {StMessage} m */
const sentAt = (m) => m.sentAtMs;
/** @param {{ atMs: number }} x */
const atOf = (x) => x.atMs;

/**
 * Time went back to `t` (a seek): forget what happened after it, and reopen the messages that
 * were still in flight at `t`. `t < 0` forgets everything.
 * @param {Timeline} tl
 * @param {number} t
 */
export function cutAfter(tl, t) {
  if (t < 0) {
    Object.assign(tl, newTimeline(), { version: tl.version + 1 });
    return;
  }
  const cut = after(tl.msgs, t, sentAt);
  for (let i = cut; i < tl.msgs.length; i++) {
    tl.open.delete(tl.msgs[i].id);
    tl.byId.delete(tl.msgs[i].id);
  }
  tl.msgs.length = cut;
  for (let i = cut - 1; i >= 0; i--) {
    const m = tl.msgs[i];
    if (m.sentAtMs < t - tl.spanMsMax - 1) break;
    if (m.endAtMs !== null && m.endAtMs > t) {
      m.endAtMs = null;
      m.end = 'flight';
      m.dropReason = null;
      tl.open.set(m.id, m);
    }
    if (m.copied && !tl.msgs.slice(i + 1).some((c) => c.copyOf === m.id)) m.copied = false;
  }
  tl.marks.length = after(tl.marks, t, atOf);
  tl.segs.length = after(tl.segs, t, atOf);
  tl.laneNow.clear();
  for (const s of tl.segs) tl.laneNow.set(String(s.lane), s);
  // The cut links at t: replay the cut/heal marks (each carries the lane's peers then).
  tl.down.clear();
  /** @type {Map<string, string>} */
  const cuts = new Map();
  for (const s of tl.segs) cuts.set(String(s.lane), s.cut);
  for (const [lane, peers] of cuts) for (const p of peers ? peers.split(',') : []) tl.down.add(`${lane}>${p}`);
  tl.version++;
}

/**
 * The messages drawn in the window [t0, t1]: sent before t1 and not ended before t0.
 * @param {Timeline} tl
 * @param {number} t0
 * @param {number} t1
 * @returns {StMessage[]}
 */
export function messagesIn(tl, t0, t1) {
  const hi = after(tl.msgs, t1, sentAt);
  const lo = after(tl.msgs, t0 - tl.spanMsMax - 1e-9, sentAt);
  /** @type {StMessage[]} */
  const out = [];
  for (let i = lo; i < hi; i++) {
    const m = tl.msgs[i];
    if (m.endAtMs === null || m.endAtMs >= t0 || m.sentAtMs >= t0) out.push(m);
  }
  // A message in flight since before the searched range (a paused receiver, manual delivery).
  for (const m of tl.open.values()) if (m.sentAtMs < tl.msgs[lo]?.sentAtMs && !out.includes(m)) out.unshift(m);
  return out;
}

/**
 * A kept message by id. Ids grow in send order (the simulator numbers messages as it sends
 * them, a copy at the moment it is made), so the list is sorted by id too.
 * @param {Timeline} tl
 * @param {number} id
 * @returns {StMessage | null}
 */
export function messageById(tl, id) {
  const i = after(tl.msgs, id, (m) => m.id) - 1;
  return i >= 0 && tl.msgs[i].id === id ? tl.msgs[i] : null;
}

/**
 * The lane segments that cover [t0, t1]: for each lane the one in force at t0, then every later
 * one up to t1, by time.
 * @param {Timeline} tl
 * @param {number} t0
 * @param {number} t1
 * @returns {StSegment[]}
 */
export function segmentsIn(tl, t0, t1) {
  const lo = after(tl.segs, t0, atOf);
  const hi = after(tl.segs, t1, atOf);
  /** @type {Map<string, StSegment>} */
  const first = new Map();
  // The segment in force at t0 is the last one before it on that lane: search back until every
  // lane seen so far is known (lanes are few; a lane silent since long ago is found further back).
  for (let i = lo - 1; i >= 0; i--) {
    const k = String(tl.segs[i].lane);
    if (!first.has(k)) first.set(k, tl.segs[i]);
    if (first.size >= tl.laneNow.size) break;
  }
  return [...first.values(), ...tl.segs.slice(lo, hi)];
}

/**
 * The marks in [t0, t1], by time.
 * @param {Timeline} tl
 * @param {number} t0
 * @param {number} t1
 */
export function marksIn(tl, t0, t1) {
  return tl.marks.slice(after(tl.marks, t0 - 1e-9, atOf), after(tl.marks, t1, atOf));
}
