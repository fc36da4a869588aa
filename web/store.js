// @ts-check
// The store: the only place views read from. It holds the latest ClusterState from the driver,
// the event feed, short-lived visual effects (lost messages, overwritten entries) and UI state.
// One-way flow: driver -> store.ingest/replace -> notify -> views render -> intents -> driver.
// Notifications are batched into one per microtask so a frame renders once.

import { categoryOf } from './describe.js';
import { newStory, forkStory, tell, liveEffects, worthKeeping, cutAfter } from './story.js';

/** @typedef {import('./i18n.js').Lang} Lang */
/** @typedef {import('./story.js').TraceEvent} TraceEvent */
/** @typedef {import('./story.js').FeedEntry} FeedEntry */
/** @typedef {import('./story.js').Effect} Effect */
/** @typedef {import('./story.js').ClientOp} ClientOp */
/** @typedef {import('./story.js').Story} Story */

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
 * A message for the user, with at most one button that sends a UI intent (e.g. Undo).
 * @typedef {Object} Notice
 * @property {string} key i18n key
 * @property {Record<string, any>} [params]
 * @property {{ key: string, intent: import('./intents.js').Intent }} [button]
 */

/**
 * @typedef {Object} StoreState
 * @property {'loading' | 'ready' | 'error'} phase
 * @property {string | null} error
 * @property {Notice | null} notice
 * @property {Record<string, any> | null} sim the last ClusterState
 * @property {number} simVersion bumps whenever `sim` is replaced
 * @property {number} nowMs
 * @property {number} runEndMs the furthest time this run has reached (the slider's end)
 * @property {boolean} playing
 * @property {number} speed simulated ms per wall ms
 * @property {boolean} skipQuiet run faster while no message is in flight
 * @property {boolean} quiet whether the last frame was skipping quiet time
 * @property {FeedEntry[]} feed the story's lines up to now (see story.js), oldest first
 * @property {number} feedVersion bumps when lines were added
 * @property {number} feedEpoch bumps when the feed was rebuilt (seek back, new run)
 * @property {number} feedDropped lines of the start of a very long run no longer kept
 * @property {FeedEntry | null} headline the latest line the caption shows
 * @property {Effect[]} effects
 * @property {ClientOp[]} clientOps
 * @property {number} clientVersion
 * @property {Record<string, any>} config the SimConfig in effect now, as the simulation reports it
 * @property {string} title scenario title (plain text; rendered with textContent)
 * @property {string | null} guide id of the guided scenario being shown, if any
 * @property {number} runId bumps with every brand-new run (reset, new config, link, scenario)
 * @property {Record<string, number> | null} limits what the simulation accepts (`Simulation.limits()`), once loaded
 * @property {UiState} ui
 * @property {number} uiVersion
 */

/** Trace events kept for rebuilding the story after a seek back; past it the oldest go. */
export const TRACE_MAX = 200_000;

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
    feedEpoch: 0,
    feedDropped: 0,
    headline: null,
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
  /** The trace of this run since `base` (delivered messages left out), oldest first. */
  /** @type {TraceEvent[]} */
  let trace = [];
  /** The story told up to the first kept trace event, and the time of the last dropped one. */
  let base = { story: newStory(), atMs: -1 };
  /** The story told over `base` and `trace`. */
  let story = newStory();

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

  /** Drop the oldest tenth of the trace into `base` once it is over TRACE_MAX. */
  function capTrace() {
    if (trace.length <= TRACE_MAX) return;
    const cut = Math.ceil(TRACE_MAX / 10);
    const old = trace.slice(0, cut);
    trace = trace.slice(cut);
    const next = forkStory(base.story);
    tell(next, old);
    base = { story: next, atMs: old[old.length - 1].atMs };
    const before = story.feed.length;
    story.feed = story.feed.filter((e) => e.seq > next.seq);
    state = { ...state, feed: story.feed, feedDropped: state.feedDropped + before - story.feed.length };
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
      const lines = story.feed.length;
      let opsChanged = false;
      if (events.length) {
        const kept = events.filter(worthKeeping);
        for (const ev of kept) trace.push(ev);
        opsChanged = tell(story, kept);
      }
      const feedChanged = story.feed.length !== lines;
      state = {
        ...state,
        sim: sim ?? state.sim,
        simVersion: sim ? state.simVersion + 1 : state.simVersion,
        nowMs,
        runEndMs: Math.max(state.runEndMs, nowMs),
        feed: story.feed,
        feedVersion: feedChanged ? state.feedVersion + 1 : state.feedVersion,
        headline: story.headline,
        effects: story.effects.length || state.effects.length ? liveEffects(story.effects, nowMs) : state.effects,
        clientOps: opsChanged ? story.ops.slice() : state.clientOps,
        clientVersion: opsChanged ? state.clientVersion + 1 : state.clientVersion,
      };
      capTrace();
      schedule();
    },

    /**
     * Whether the story can be rebuilt at `t` from what is kept (else replay from time 0).
     * @param {number} t
     */
    keeps(t) {
      return t > base.atMs;
    },

    /**
     * Time moved backward (seek): the story is told again from the kept trace up to `t`, so it
     * reads exactly as if the run had been played to `t`.
     * @param {number} t
     * @param {Record<string, any>} sim
     */
    rewind(t, sim) {
      trace = trace.slice(0, cutAfter(trace, t));
      story = forkStory(base.story);
      tell(story, trace);
      state = {
        ...state,
        sim,
        simVersion: state.simVersion + 1,
        nowMs: t,
        feed: story.feed,
        feedVersion: state.feedVersion + 1,
        feedEpoch: state.feedEpoch + 1,
        headline: story.headline,
        effects: liveEffects(story.effects, t),
        clientOps: story.ops.slice(),
        clientVersion: state.clientVersion + 1,
      };
      schedule();
    },

    /**
     * A brand-new run (reset, new seed, new config, opened link): an empty story at time 0; the
     * driver then hands over the trace from time 0 (so a link opens with its story).
     * @param {{ sim: Record<string, any>, config: Record<string, any>, title?: string, guide?: string | null, nowMs: number }} run
     */
    newRun(run) {
      base = { story: newStory(run.config.latencyMsMax), atMs: -1 };
      story = forkStory(base.story);
      trace = [];
      state = {
        ...state,
        phase: 'ready',
        error: null,
        sim: run.sim,
        simVersion: state.simVersion + 1,
        nowMs: run.nowMs,
        runEndMs: run.nowMs,
        feed: story.feed,
        feedVersion: state.feedVersion + 1,
        feedEpoch: state.feedEpoch + 1,
        feedDropped: 0,
        headline: null,
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
