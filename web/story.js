// @ts-check
// The story of a run: the feed, the client operations and the short-lived effects, all derived
// from the trace by one fold, `tell`. Playing hands the trace over in frame-sized batches,
// stepping one event at a time, a jump in one big batch; because `tell` only ever looks at the
// events (never at the ClusterState of the moment the batch arrived), the story at a moment is the
// same however that moment was reached. Pure: no DOM, no wasm (tests/js/story.test.mjs).

import { categoryOf } from './describe.js';

/** @typedef {Record<string, any>} TraceEvent */
/** @typedef {TraceEvent & { seq: number, cat: string }} FeedEntry a line, numbered, with its category */

/**
 * @typedef {Object} Effect
 * @property {'drop' | 'dup' | 'truncate' | 'reject' | 'nextIndex'} kind
 * @property {number} atMs simulated time it happened
 * @property {number} untilMs simulated time it stops being drawn
 * @property {Record<string, any>} data
 */

/**
 * @typedef {Object} ClientOp
 * @property {number} client
 * @property {number} opId
 * @property {any} op
 * @property {number} atMs
 * @property {any} [result]
 * @property {number} [servedBy]
 * @property {number} [doneAtMs]
 */

/**
 * @typedef {Object} Story
 * @property {FeedEntry[]} feed every event worth a line, oldest first (views filter by category)
 * @property {ClientOp[]} ops the latest client operations, with their results once known
 * @property {Effect[]} effects lost / duplicated messages, overwritten entries, ... still drawn
 * @property {Set<number>} leaders nodes whose last role change made them leader
 * @property {Map<number, TraceEvent>} sent recent msgSent by message id (where a lost one went)
 * @property {Set<string>} bugs the injected bugs on at this point of the trace (setBug actions folded in)
 * @property {number} seq the last feed entry's number (entries are numbered from 1)
 * @property {FeedEntry | null} headline the latest line worth the caption under the cluster
 * @property {number} effectMs how long a transient effect stays drawn (simulated ms)
 */

export const CLIENT_OPS_MAX = 200;
/** Messages remembered for naming a lost or duplicated one (it is lost within a flight time). */
const SENT_MAX = 1024;
/** Lines too routine for the caption (it says what just happened that matters). */
const CAPTION_SKIPS = new Set(['applied', 'entriesAppended']);

/**
 * An empty story for a run whose links start with `latencyMsMax` and whose config starts with
 * these injected bugs.
 * @param {number} [latencyMsMax]
 * @param {string[]} [bugs]
 * @returns {Story}
 */
export function newStory(latencyMsMax = 15, bugs = []) {
  return {
    bugs: new Set(bugs),
    feed: [],
    ops: [],
    effects: [],
    leaders: new Set(),
    sent: new Map(),
    seq: 0,
    headline: null,
    // About two message flights.
    effectMs: Math.max(2 * latencyMsMax, 20),
  };
}

/**
 * A copy to fold on from, without the feed lines told so far.
 * @param {Story} s
 * @returns {Story}
 */
export function forkStory(s) {
  return { ...s, feed: [], ops: s.ops.slice(), effects: s.effects.slice(), leaders: new Set(s.leaders), sent: new Map(s.sent), bugs: new Set(s.bugs) };
}

/**
 * Whether the trace event matters to the story at all: delivered messages leave no line and
 * change nothing the story keeps, so the store need not keep them.
 * @param {TraceEvent} ev
 */
export function worthKeeping(ev) {
  return ev.kind !== 'msgDelivered';
}

/**
 * Fold trace events into the story (mutated in place).
 * @param {Story} story
 * @param {TraceEvent[]} events in trace order
 * @returns {boolean} whether the client operations changed
 */
export function tell(story, events) {
  let opsChanged = false;
  for (const ev of events) opsChanged = one(story, ev) || opsChanged;
  if (story.ops.length > CLIENT_OPS_MAX) story.ops.splice(0, story.ops.length - CLIENT_OPS_MAX);
  return opsChanged;
}

/**
 * Effects still drawn at `nowMs`.
 * @param {Effect[]} effects
 * @param {number} nowMs
 */
export function liveEffects(effects, nowMs) {
  return effects.filter((e) => e.untilMs >= nowMs && e.atMs <= nowMs);
}

/**
 * @param {Story} s
 * @param {TraceEvent} ev
 * @returns {boolean} whether client ops changed
 */
function one(s, ev) {
  const k = ev.kind;
  const span = s.effectMs;
  /** @param {TraceEvent} e */
  const line = (e) => {
    /** @type {FeedEntry} */
    const entry = { ...e, seq: ++s.seq, cat: categoryOf(e) };
    s.feed.push(entry);
    if (entry.cat !== 'message' && !CAPTION_SKIPS.has(entry.kind)) s.headline = entry;
  };
  /** @param {Effect} fx */
  const effect = (fx) => {
    // Effects older than the newest event can go: the list stays short in long folds.
    if (s.effects.length > 64) s.effects = s.effects.filter((x) => x.untilMs >= ev.atMs);
    s.effects.push(fx);
  };
  switch (k) {
    case 'msgDelivered':
      s.sent.delete(ev.id);
      return false;
    case 'msgSent':
      if (s.sent.size >= SENT_MAX) s.sent.delete(/** @type {number} */ (s.sent.keys().next().value));
      s.sent.set(ev.id, ev);
      line(ev);
      return false;
    case 'msgDropped': {
      const full = { ...(s.sent.get(ev.id) ?? {}), ...ev, kind: 'msgDropped' };
      s.sent.delete(ev.id);
      effect({ kind: 'drop', atMs: ev.atMs, untilMs: ev.atMs + span, data: full });
      line(full);
      return false;
    }
    case 'msgDuplicated': {
      const m = s.sent.get(ev.id);
      if (m) s.sent.set(ev.copyId, { ...m, id: ev.copyId });
      const full = { ...(m ?? {}), ...ev, kind: 'msgDuplicated' };
      effect({ kind: 'dup', atMs: ev.atMs, untilMs: ev.atMs + span * 2, data: full });
      line(full);
      return false;
    }
    case 'roleChanged':
      if (ev.to === 'leader') s.leaders.add(ev.node);
      else s.leaders.delete(ev.node);
      break;
    case 'nodeCrashed':
      s.leaders.delete(ev.node);
      break;
    case 'nodeRestarted':
      // With the forget-vote bug the restart does not read back the vote (§5.1, Figure 2:
      // votedFor is persistent state), and the line must not claim it did.
      line({ ...ev, forgotVote: s.bugs.has('forget-vote-on-restart') });
      return false;
    case 'action':
      if (ev.action?.type === 'setBug') {
        if (ev.action.on) s.bugs.add(ev.action.name);
        else s.bugs.delete(ev.action.name);
      }
      break;
    case 'commitAdvanced':
      // Followers learn the commit index from the leader: the leader's line is the story, the
      // followers' lines are details. Who leads is read from the trace itself (§5.2: a node is
      // leader from its roleChanged until the next), so it does not depend on batch sizes.
      line({ ...ev, byLeader: s.leaders.has(ev.node) });
      return false;
    case 'entriesTruncated':
      effect({ kind: 'truncate', atMs: ev.atMs, untilMs: ev.atMs + span * 4, data: ev });
      break;
    case 'appendRejected':
      effect({ kind: 'reject', atMs: ev.atMs, untilMs: ev.atMs + span * 3, data: ev });
      break;
    case 'nextIndexMoved':
      effect({ kind: 'nextIndex', atMs: ev.atMs, untilMs: ev.atMs + span * 3, data: ev });
      break;
    case 'clientInvoked':
      s.ops.push({ client: ev.client, opId: ev.opId, op: ev.op, atMs: ev.atMs });
      line(ev);
      return true;
    case 'clientCompleted':
      for (let i = s.ops.length - 1; i >= 0; i--) {
        const o = s.ops[i];
        if (o.opId === ev.opId && o.client === ev.client) {
          s.ops[i] = { ...o, result: ev.result, servedBy: ev.servedBy, doneAtMs: ev.atMs };
          line({ ...ev, op: o.op });
          return true;
        }
      }
      break;
    default:
      break;
  }
  line(ev);
  return false;
}

/**
 * The index of the first event after `t` in a trace sorted by time (binary search).
 * @param {TraceEvent[]} trace
 * @param {number} t
 */
export function cutAfter(trace, t) {
  let lo = 0;
  let hi = trace.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (trace[mid].atMs <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export { categoryOf };
