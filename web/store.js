// @ts-check
// The store: the only place views read from. It holds the latest ClusterState from the driver,
// the event feed, short-lived visual effects (lost messages, overwritten entries) and UI state.
// One-way flow: driver -> store.ingest/replace -> notify -> views render -> intents -> driver.
// Notifications are batched into one per microtask so a frame renders once.

import { categoryOf } from './describe.js';

/** @typedef {import('./i18n.js').Lang} Lang */
/** @typedef {Record<string, any>} TraceEvent */

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
 * @typedef {Object} UiState
 * @property {Lang} lang
 * @property {'light' | 'dark'} theme
 * @property {string} tab
 * @property {number | null} menuNode node whose action menu is open
 * @property {number | null} highlightSeq feed entry highlighted (after "show violation")
 * @property {Record<string, boolean>} feedFilter
 * @property {boolean} logFollow
 * @property {number} logStart first log index shown when not following
 * @property {boolean} reducedMotion
 * @property {'full' | 'minimal' | 'none'} controls
 */

/**
 * @typedef {Object} StoreState
 * @property {'loading' | 'ready' | 'error'} phase
 * @property {string | null} error
 * @property {{ key: string, params?: Record<string, any> } | null} notice
 * @property {Record<string, any> | null} sim the last ClusterState
 * @property {number} simVersion bumps whenever `sim` is replaced
 * @property {number} nowMs
 * @property {number} runEndMs the furthest time this run has reached (the slider's end)
 * @property {boolean} playing
 * @property {number} speed simulated ms per wall ms
 * @property {boolean} skipQuiet run faster while no message is in flight
 * @property {boolean} quiet whether the last frame was skipping quiet time
 * @property {(TraceEvent & { seq: number })[]} feed
 * @property {number} feedVersion
 * @property {number} feedDropped entries removed from the front to cap memory
 * @property {Effect[]} effects
 * @property {ClientOp[]} clientOps
 * @property {number} clientVersion
 * @property {Record<string, any>} config the SimConfig the run was created with
 * @property {string} title scenario title (plain text; rendered with textContent)
 * @property {string | null} guide id of the guided scenario being shown, if any
 * @property {number} runId bumps with every brand-new run (reset, new config, link, scenario)
 * @property {Record<string, number> | null} limits what the simulation accepts (`Simulation.limits()`), once loaded
 * @property {UiState} ui
 * @property {number} uiVersion
 */

export const FEED_MAX = 4000;
const CLIENT_OPS_MAX = 200;
const SENT_MAX = 4096;

/**
 * @param {Partial<UiState>} [ui]
 */
export function createStore(ui = {}) {
  /** @type {StoreState} */
  let state = {
    phase: 'loading',
    error: null,
    notice: null,
    sim: null,
    simVersion: 0,
    nowMs: 0,
    runEndMs: 0,
    playing: false,
    speed: 0.02,
    skipQuiet: true,
    quiet: false,
    feed: [],
    feedVersion: 0,
    feedDropped: 0,
    effects: [],
    clientOps: [],
    clientVersion: 0,
    config: {},
    title: '',
    guide: null,
    runId: 0,
    limits: null,
    ui: {
      lang: 'en',
      theme: 'light',
      tab: 'events',
      menuNode: null,
      highlightSeq: null,
      feedFilter: { election: true, replication: true, client: true, fault: true, message: false },
      logFollow: true,
      logStart: 1,
      reducedMotion: false,
      controls: 'full',
      ...ui,
    },
    uiVersion: 0,
  };
  /** @type {Set<(s: StoreState) => void>} */
  const listeners = new Set();
  let scheduled = false;
  let seq = 0;
  /** Recently sent messages by id, to know where a lost or duplicated message was going. */
  /** @type {Map<number, TraceEvent>} */
  const sent = new Map();

  function notify() {
    scheduled = false;
    for (const fn of listeners) fn(state);
  }
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(() => {
        if (scheduled) notify();
      });
    }
  }

  /** How long (simulated ms) a transient effect stays drawn: about two message flights. */
  function effectMs() {
    const c = state.config;
    return Math.max(2 * (c.latencyMsMax ?? 15), 20);
  }

  /**
   * @param {TraceEvent} ev
   * @param {Effect[]} effects
   * @param {TraceEvent[]} feed
   * @param {ClientOp[]} ops
   * @returns {boolean} whether client ops changed
   */
  function one(ev, effects, feed, ops) {
    const k = ev.kind;
    let opsChanged = false;
    if (k === 'msgSent') {
      if (sent.size >= SENT_MAX) sent.delete(/** @type {number} */ (sent.keys().next().value));
      sent.set(ev.id, ev);
      if (state.ui.feedFilter.message) feed.push({ ...ev, seq: ++seq });
      return false;
    }
    if (k === 'msgDelivered') {
      sent.delete(ev.id);
      return false;
    }
    const span = effectMs();
    if (k === 'msgDropped') {
      const m = sent.get(ev.id);
      sent.delete(ev.id);
      const full = { ...(m ?? {}), ...ev, kind: 'msgDropped' };
      effects.push({ kind: 'drop', atMs: ev.atMs, untilMs: ev.atMs + span, data: full });
      if (state.ui.feedFilter.message) feed.push({ ...full, seq: ++seq });
      return false;
    }
    if (k === 'msgDuplicated') {
      const m = sent.get(ev.id);
      if (m) sent.set(ev.copyId, { ...m, id: ev.copyId });
      const full = { ...(m ?? {}), ...ev, kind: 'msgDuplicated' };
      effects.push({ kind: 'dup', atMs: ev.atMs, untilMs: ev.atMs + span * 2, data: full });
      if (state.ui.feedFilter.message) feed.push({ ...full, seq: ++seq });
      return false;
    }
    if (k === 'commitAdvanced') {
      // Followers learn the commit index from the leader: one line for the leader's decision is
      // the story; the followers' lines are details.
      const lead = state.sim?.nodes?.find((/** @type {any} */ n) => n.role === 'leader' && n.id === ev.node);
      ev = { ...ev, byLeader: !!lead };
    }
    if (k === 'entriesTruncated') {
      effects.push({ kind: 'truncate', atMs: ev.atMs, untilMs: ev.atMs + span * 4, data: ev });
    } else if (k === 'appendRejected') {
      effects.push({ kind: 'reject', atMs: ev.atMs, untilMs: ev.atMs + span * 3, data: ev });
    } else if (k === 'nextIndexMoved') {
      effects.push({ kind: 'nextIndex', atMs: ev.atMs, untilMs: ev.atMs + span * 3, data: ev });
    } else if (k === 'clientInvoked') {
      ops.push({ client: ev.client, opId: ev.opId, op: ev.op, atMs: ev.atMs });
      opsChanged = true;
    } else if (k === 'clientCompleted') {
      for (let i = ops.length - 1; i >= 0; i--) {
        const o = ops[i];
        if (o.opId === ev.opId && o.client === ev.client) {
          ops[i] = { ...o, result: ev.result, servedBy: ev.servedBy, doneAtMs: ev.atMs };
          opsChanged = true;
          feed.push({ ...ev, op: o.op, seq: ++seq });
          return true;
        }
      }
    }
    // Detail events (applied, ...) are only kept while the feed shows them: they would crowd out
    // the elections and repairs under the memory cap.
    if (state.ui.feedFilter.message || categoryOf(ev) !== 'message') feed.push({ ...ev, seq: ++seq });
    return opsChanged;
  }

  /** @param {Effect[]} effects @param {number} now */
  function prune(effects, now) {
    return effects.filter((e) => e.untilMs >= now && e.atMs <= now);
  }

  /**
   * @param {TraceEvent[]} feed
   */
  function capFeed(feed) {
    if (feed.length <= FEED_MAX) return 0;
    const extra = feed.length - FEED_MAX;
    feed.splice(0, extra);
    return extra;
  }

  return {
    /** @returns {StoreState} */
    get() {
      return state;
    },

    /**
     * Merge a patch into the top level (and `ui` when given) and notify.
     * @param {Partial<StoreState> & { uiPatch?: Partial<UiState> }} patch
     */
    set(patch) {
      const { uiPatch, ...rest } = patch;
      state = { ...state, ...rest };
      if (uiPatch) {
        state.ui = { ...state.ui, ...uiPatch };
        state.uiVersion++;
      }
      schedule();
    },

    /** @param {Partial<UiState>} uiPatch */
    setUi(uiPatch) {
      this.set({ uiPatch });
    },

    /**
     * New events and (optionally) a fresh ClusterState from the simulation.
     * @param {TraceEvent[]} events
     * @param {Record<string, any> | null} sim
     * @param {number} nowMs
     */
    ingest(events, sim, nowMs) {
      let effects = state.effects;
      let feed = state.feed;
      let ops = state.clientOps;
      let feedChanged = false;
      let opsChanged = false;
      if (events.length) {
        effects = effects.slice();
        feed = feed.slice();
        ops = ops.slice();
        const before = feed.length;
        for (const ev of events) opsChanged = one(ev, effects, feed, ops) || opsChanged;
        feedChanged = feed.length !== before;
        if (ops.length > CLIENT_OPS_MAX) ops.splice(0, ops.length - CLIENT_OPS_MAX);
      }
      const dropped = capFeed(feed);
      if (effects.length) effects = prune(effects, nowMs);
      state = {
        ...state,
        sim: sim ?? state.sim,
        simVersion: sim ? state.simVersion + 1 : state.simVersion,
        nowMs,
        runEndMs: Math.max(state.runEndMs, nowMs),
        feed,
        feedVersion: feedChanged ? state.feedVersion + 1 : state.feedVersion,
        feedDropped: state.feedDropped + dropped,
        effects,
        clientOps: ops,
        clientVersion: opsChanged ? state.clientVersion + 1 : state.clientVersion,
      };
      schedule();
    },

    /**
     * Time moved backward (seek): forget what happened after `t`.
     * @param {number} t
     * @param {Record<string, any>} sim
     */
    rewind(t, sim) {
      sent.clear();
      const feed = state.feed.filter((e) => e.atMs <= t);
      const ops = state.clientOps.filter((o) => o.atMs <= t).map((o) => (o.doneAtMs !== undefined && o.doneAtMs > t ? { client: o.client, opId: o.opId, op: o.op, atMs: o.atMs } : o));
      state = {
        ...state,
        sim,
        simVersion: state.simVersion + 1,
        nowMs: t,
        feed,
        feedVersion: state.feedVersion + 1,
        effects: [],
        clientOps: ops,
        clientVersion: state.clientVersion + 1,
      };
      schedule();
    },

    /**
     * A brand-new run (reset, new seed, new config, opened link).
     * @param {{ sim: Record<string, any>, config: Record<string, any>, title?: string, guide?: string | null, nowMs: number }} run
     */
    newRun(run) {
      sent.clear();
      state = {
        ...state,
        phase: 'ready',
        error: null,
        sim: run.sim,
        simVersion: state.simVersion + 1,
        nowMs: run.nowMs,
        runEndMs: run.nowMs,
        feed: [],
        feedVersion: state.feedVersion + 1,
        feedDropped: 0,
        effects: [],
        clientOps: [],
        clientVersion: state.clientVersion + 1,
        config: run.config,
        title: run.title ?? '',
        guide: run.guide ?? null,
        runId: state.runId + 1,
        ui: { ...state.ui, menuNode: null, highlightSeq: null, logFollow: true },
        uiVersion: state.uiVersion + 1,
      };
      schedule();
    },

    /** Notify now if anything changed (the driver calls this inside its frame to time rendering). */
    flush() {
      if (scheduled) notify();
    },

    /** Cut the slider's end back to now (an action after a rewind starts a new future). */
    truncateFuture() {
      state = { ...state, runEndMs: state.nowMs };
      schedule();
    },

    /**
     * @param {(s: StoreState) => void} fn
     * @returns {() => void} unsubscribe
     */
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },

    /** Category of a feed entry (re-exported for views). */
    categoryOf,
  };
}

/** @typedef {ReturnType<typeof createStore>} Store */
