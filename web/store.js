// @ts-check
// The store: the only place views read from. It holds the latest ClusterState from the driver,
// the event feed, short-lived visual effects (lost messages, overwritten entries) and UI state.
// One-way flow: driver -> store.ingest/replace -> notify -> views render -> intents -> driver.
// Notifications are batched into one per microtask so a frame renders once.

import { categoryOf } from './describe.js';
import { newStory, forkStory, tell, liveEffects, worthKeeping, cutAfter } from './story.js';
import { newTimeline, record, cutAfter as cutTimeline } from './spacetime.js';

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
 * @property {{ kind: 'node' | 'message', id: number } | null} inspect what the inspector shows
 * @property {number | null} hoverMsg the message the pointer is on (space-time view), drawn highlighted everywhere
 * @property {number} stWindowMs how much time the space-time view spans
 */

/**
 * A message for the user, with at most one button that sends a UI intent (e.g. Undo).
 * @typedef {Object} Notice
 * @property {string} key i18n key
 * @property {Record<string, any>} [params]
 * @property {any[]} [ops] actions the notice names: described in the page's language when shown (param `change`), so a switch of language reaches them
 * @property {{ key: string, intent: import('./intents.js').Intent }} [button]
 * @property {'error' | 'info'} [tone] an error (the default) or news about what the page did
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
 * @property {import('./spacetime.js').Timeline} timeline every message and lane change of the run (spacetime.js); mutated in place
 * @property {number} timelineVersion bumps when the timeline changed
 * @property {Record<string, any>} config the SimConfig in effect now, as the simulation reports it
 * @property {string} title scenario title (plain text; rendered with textContent)
 * @property {string | null} guide id of the guided scenario being shown, if any
 * @property {import('./lessons.js').LessonState | null} lesson the open lesson (lessons.js)
 * @property {{ id: string, en: string, zh: string }[]} lessonList the lessons the picker offers
 * @property {number} runId bumps with every brand-new run (reset, new config, link, scenario)
 * @property {Record<string, number> | null} limits what the simulation accepts (`Simulation.limits()`), once loaded
 * @property {string[] | null} bugNames the injectable bugs (`Simulation.bugNames()`), once loaded
 * @property {{ endMs: number } | null} replay a share link being replayed in slices up to `endMs` (the time reached is `nowMs`), or null
 * @property {UiState} ui
 * @property {number} uiVersion
 */

/** Trace events kept for rebuilding the story after a seek back; past it the oldest go. */
export const TRACE_MAX = 200_000;
/** Trace events between two marks of the story (the most a seek back tells again). */
const MARK_EVERY = 4000;

/**
 * How many feed lines (sorted by seq) have a seq of at most `seq`.
 * @param {FeedEntry[]} feed
 * @param {number} seq
 */
function cutSeq(feed, seq) {
  let lo = 0;
  let hi = feed.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (feed[mid].seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

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
    timeline: newTimeline(),
    timelineVersion: 0,
    config: {},
    title: '',
    guide: null,
    lesson: null,
    lessonList: [],
    runId: 0,
    limits: null,
    bugNames: null,
    replay: null,
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
      inspect: null,
      hoverMsg: null,
      stWindowMs: 200,
      ...ui,
    },
    uiVersion: 0,
  };
  /** @type {Set<(s: StoreState) => void>} */
  const listeners = new Set();
  let scheduled = false;
  /** The trace of this run (delivered messages left out), oldest first, from marks[0] on. */
  /** @type {TraceEvent[]} */
  let trace = [];
  /**
   * The story as told up to trace index `at` (without its feed lines), every MARK_EVERY events,
   * so a seek back tells at most that many events again. marks[0] is where the kept trace
   * starts; `atMs` is the time of the last event before it (-1: the run's start).
   * @type {{ at: number, atMs: number, story: Story }[]}
   */
  let marks = [{ at: 0, atMs: -1, story: newStory() }];
  /** The story told over marks[0] and `trace`. */
  let story = newStory();

  /**
   * Fold events into the story and the kept trace, leaving a mark every MARK_EVERY events.
   * @param {TraceEvent[]} events already filtered by worthKeeping
   * @returns {boolean} whether the client operations changed
   */
  function keepAndTell(events) {
    let opsChanged = false;
    let i = 0;
    while (i < events.length) {
      const last = marks[marks.length - 1].at;
      const room = Math.max(1, last + MARK_EVERY - trace.length);
      const chunk = events.slice(i, i + room);
      for (const ev of chunk) trace.push(ev);
      opsChanged = tell(story, chunk) || opsChanged;
      i += chunk.length;
      if (trace.length - last >= MARK_EVERY) marks.push({ at: trace.length, atMs: trace[trace.length - 1].atMs, story: forkStory(story) });
    }
    return opsChanged;
  }

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

  /** Past TRACE_MAX, drop the oldest part of the trace (and its feed lines) up to a mark. */
  function capTrace() {
    if (trace.length <= TRACE_MAX || marks.length < 2) return;
    const keep = marks.findIndex((m) => m.at >= trace.length - TRACE_MAX * 0.9);
    const base = marks[Math.max(1, keep)];
    const cut = base.at;
    trace = trace.slice(cut);
    marks = marks.slice(marks.indexOf(base)).map((m) => ({ ...m, at: m.at - cut }));
    const before = story.feed.length;
    story.feed = story.feed.filter((e) => e.seq > base.story.seq);
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
     * @param {boolean} [notify] false: fold them in without redrawing (the driver draws at 30 Hz
     *   at high speeds; the next notification shows everything)
     */
    ingest(events, sim, nowMs, notify = true) {
      const lines = story.feed.length;
      let opsChanged = false;
      let timelineChanged = false;
      if (events.length) {
        // The space-time view needs the deliveries the story leaves out.
        timelineChanged = record(state.timeline, events);
        opsChanged = keepAndTell(events.filter(worthKeeping));
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
        timelineVersion: timelineChanged ? state.timelineVersion + 1 : state.timelineVersion,
      };
      capTrace();
      if (notify) schedule();
    },

    /**
     * Whether the story can be rebuilt at `t` from what is kept (else replay from time 0).
     * @param {number} t
     */
    keeps(t) {
      return t > marks[0].atMs;
    },

    /**
     * Time moved backward (seek): the story is told again from the kept trace up to `t`, so it
     * reads exactly as if the run had been played to `t`.
     * @param {number} t
     * @param {Record<string, any>} sim
     */
    rewind(t, sim) {
      const cut = cutAfter(trace, t);
      while (marks.length > 1 && marks[marks.length - 1].at > cut) marks.pop();
      const mark = marks[marks.length - 1];
      // The lines up to the mark stay as they are (they are the same objects either way).
      const feed = story.feed;
      feed.length = cutSeq(feed, mark.story.seq);
      story = { ...forkStory(mark.story), feed };
      tell(story, trace.slice(mark.at, cut));
      trace.length = cut;
      cutTimeline(state.timeline, t);
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
        timelineVersion: state.timelineVersion + 1,
      };
      schedule();
    },

    /**
     * A brand-new run (reset, new seed, new config, opened link): an empty story at time 0; the
     * driver then hands over the trace from time 0 (so a link opens with its story).
     * @param {{ sim: Record<string, any>, config: Record<string, any>, title?: string, guide?: string | null, nowMs: number }} run
     */
    newRun(run) {
      marks = [{ at: 0, atMs: -1, story: newStory(run.config.latencyMsMax, run.config.bugs ?? []) }];
      story = forkStory(marks[0].story);
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
        timeline: newTimeline(),
        timelineVersion: state.timelineVersion + 1,
        config: run.config,
        title: run.title ?? '',
        guide: run.guide ?? null,
        runId: state.runId + 1,
        ui: { ...state.ui, menuNode: null, highlightSeq: null, logFollow: true, hoverMsg: null },
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

/**
 * The messages in flight, for manual delivery (issue 15) and every view that lists or draws
 * them: `sim.inFlight` of the last ClusterState, in id order (the order they were sent). Each
 * has `id, type, from, to, term, sentAtMs, deliverAtMs, summary, fields` (Figure 2's names) and
 * `waiting`: true once its latency has passed in manual delivery (`config.delivery ===
 * 'manual'`), when it waits for the user. Views act on one with the recorded actions
 * `send.act({ type: 'deliver' | 'drop' | 'duplicate', id })`.
 * @param {StoreState} state
 * @returns {Record<string, any>[]}
 */
export function pendingMessages(state) {
  return state.sim?.inFlight ?? [];
}
