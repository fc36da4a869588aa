// @ts-check
// The driver is the only module that touches the wasm Simulation. Once per animation frame it
// reads the wall clock, advances the simulation by speed × elapsed, and hands the new events and
// ClusterState to the store. Views never call wasm; they send intents here.

import { assertAction } from './intents.js';
import { shortNumbers } from './i18n.js';

/** @typedef {import('./store.js').Store} Store */
/** @typedef {Record<string, any>} SimConfig */
/** @typedef {import('./intents.js').Action} Action */
/** @typedef {{ config: Record<string, any>, actions: { atMs: number, action: Action }[], endMs?: number, title?: string, version?: number }} ScenarioInput */
/**
 * What an act did to the recorded future (after a seek back): the actions it replaced and how
 * to bring them back.
 * @typedef {{ replaced: number, scenario: ScenarioInput, atMs: number, title: string, guide: string | null }} Undo
 */

export const SPEED_MIN = 0.001;
export const SPEED_MAX = 100;
/** The longest wall-clock gap one frame may cover (a background tab must not jump minutes). */
const FRAME_GAP_MS_MAX = 100;
const PERF_WINDOW = 600;
/** Wall-clock ms per frame the simulation may use before the effective speed is capped. */
const WASM_BUDGET_MS = 8;
/** Simulated ms per frame above which the picture refreshes at 30 Hz (see frame()). */
const FAST_SIM_MS_PER_FRAME = 5;
/**
 * Two frames at 60 Hz are 1000/30 ms apart only up to rounding: their timestamps' difference
 * falls either side of 1000/30 by a few ulps, and a strict comparison drew the picture every
 * third frame instead of every second as often as not (20 Hz, and unevenly). The refresh is due
 * this much early; less than half a frame even at 120 Hz.
 */
const REFRESH_SLACK_MS = 4;
/** Quiet time (nothing in flight) runs this much faster, up to QUIET_SPEED_MAX, in chunks. */
const QUIET_FACTOR = 10;
const QUIET_SPEED_MAX = 0.25;
const QUIET_CHUNK_MS = 0.5;
/** Simulated ms per advance() while telling a run's story from time 0 (bounded answers). */
const REPLAY_CHUNK_MS = 2000;
/**
 * A share link is replayed in slices (see `replayLink`): at most this much wall time of wasm
 * work per animation frame, so input is answered within a frame or two however long the link.
 */
const REPLAY_FRAME_MS = 8;
/** Opening a link replays synchronously for up to this long; a longer one shows progress. */
const REPLAY_SYNC_MS = 150;
/**
 * Trace events told into the feed at the end of a replayed link (its story); the time before
 * that is replayed without a trace (a busy link makes a million events per simulated second).
 */
const REPLAY_STORY_EVENTS = 20_000;
/** While replaying, the progress bar is redrawn this often, and the cluster this often (wall ms). */
const REPLAY_BAR_EVERY_MS = 200;
const REPLAY_DRAW_EVERY_MS = 1000;

/**
 * One animation-frame loop for every playground on the page (as d3-timer runs one for all its
 * timers): a page of six embeds asks the browser for one callback per frame, not six, and every
 * driver reads the same frame time.
 * @type {Set<(wall: number) => void>}
 */
const frameCallbacks = new Set();
let frameRequest = 0;

/** @param {number} wall */
function runFrame(wall) {
  frameRequest = 0;
  const due = [...frameCallbacks];
  frameCallbacks.clear();
  for (const fn of due) {
    try {
      fn(wall);
    } catch (e) {
      // One playground's failure must not stop the others' frames; report it as uncaught.
      queueMicrotask(() => {
        throw e;
      });
    }
  }
}

/** @param {(wall: number) => void} fn called once, in the next animation frame */
function onNextFrame(fn) {
  frameCallbacks.add(fn);
  if (!frameRequest) frameRequest = requestAnimationFrame(runFrame);
}

/** @param {(wall: number) => void} fn */
function cancelNextFrame(fn) {
  frameCallbacks.delete(fn);
}

/**
 * Load the wasm package (the default export is `init`). The import path is a literal and the
 * glue finds the .wasm with `new URL('raft_wasm_bg.wasm', import.meta.url)`, so bundlers (Vite,
 * webpack, Rollup) follow both without configuration; a page that hosts the .wasm elsewhere
 * passes its URL.
 * @param {string} [wasmUrl] where raft_wasm_bg.wasm is; defaults to ../pkg/ next to this library
 */
export async function loadWasm(wasmUrl) {
  const mod = await import('../pkg/raft_wasm.js');
  await mod.default(wasmUrl ? { module_or_path: wasmUrl } : undefined);
  return mod;
}

/** A random seed for "New seed" (UI only; the simulation itself never uses Math.random). */
export function randomSeed() {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return a[0] % 1_000_000_000;
}

/** @type {MessageChannel | null} */
let afterPaintChannel = null;
/** @type {(() => void)[]} */
const afterPaintQueue = [];

/**
 * Run `fn` in a task of its own, as soon as the event loop gets to it: from an animation-frame
 * callback, that is after the frame is painted (and after any input already waiting).
 * @param {() => void} fn
 */
function afterPaint(fn) {
  if (!afterPaintChannel) {
    afterPaintChannel = new MessageChannel();
    afterPaintChannel.port1.onmessage = () => afterPaintQueue.shift()?.();
  }
  afterPaintQueue.push(fn);
  afterPaintChannel.port2.postMessage(null);
}

/** Whether the user's input waits for the main thread (false where the browser cannot say). */
function inputPending() {
  const s = /** @type {any} */ (globalThis).navigator?.scheduling;
  return typeof s?.isInputPending === 'function' ? s.isInputPending() : false;
}

/** @param {unknown} e */
function message(e) {
  // The simulation's errors come with short numbers already; anything else gets them here.
  return shortNumbers(e instanceof Error ? e.message : String(e));
}

/**
 * @param {Store} store
 * @param {{ wasmUrl?: string, module?: any, perfKey?: string }} [opts]
 */
export function createDriver(store, opts = {}) {
  /** @type {any} */
  let mod = opts.module ?? null;
  /** @type {any} */
  let sim = null;
  /** Whether `frame` is due in the next animation frame. */
  let frameDue = false;
  let lastWall = 0;
  let destroyed = false;
  /**
   * Out of view (scrolled away, in a hidden tab): the animation loop stops while the run stays
   * "playing", and it goes on from the same simulated moment when seen again (see `setVisible`).
   */
  let hidden = false;
  /** Estimated wall ms per simulated ms, learnt while playing. */
  let costPerSimMs = 0;
  let lastStateWall = 0;
  /** The last frame played at 30 Hz: the frames between its pictures wait (see frame()). */
  let betweenPictures = false;
  /**
   * Playing into a lesson step: stop exactly at `targetMs`; while one of `ids` is in flight,
   * play at `slow` × speed (lessons.js).
   * @type {{ targetMs: number, ids: Set<number>, slow: number, arrive: () => void } | null}
   */
  let approach = null;
  /** Frame work samples (ms): wasm part and render part. */
  const perf = {
    frames: 0,
    wasm: new Float64Array(PERF_WINDOW),
    render: new Float64Array(PERF_WINDOW),
    events: 0,
    /** Frames that drew the picture (at 30 Hz, every second one while playing at 1x). */
    draws: 0,
  };

  function stats() {
    const n = Math.min(perf.frames, PERF_WINDOW);
    const tot = [];
    let w = 0;
    let r = 0;
    for (let i = 0; i < n; i++) {
      w += perf.wasm[i];
      r += perf.render[i];
      tot.push(perf.wasm[i] + perf.render[i]);
    }
    tot.sort((a, b) => a - b);
    return {
      frames: perf.frames,
      window: n,
      wasmMsAvg: n ? w / n : 0,
      renderMsAvg: n ? r / n : 0,
      workMsAvg: n ? (w + r) / n : 0,
      workMsP95: n ? tot[Math.min(n - 1, Math.floor(n * 0.95))] : 0,
      workMsMax: n ? tot[n - 1] : 0,
      eventsTotal: perf.events,
      draws: perf.draws,
    };
  }

  /** The title a link or scenario carries. */
  function scenarioTitle() {
    return sim.scenario()?.title ?? '';
  }

  /** Read the config in effect back from the simulation: the page never patches its own copy. */
  function syncConfig() {
    store.set({ config: { ...sim.config() } });
  }

  /**
   * Pull the ClusterState and give it to the store together with the events; when an action
   * ran (the user's, or one recorded in a scenario or link), read the config back too.
   * @param {any[]} events
   */
  function publish(events) {
    const s = sim.state();
    store.ingest(events, s, s.nowMs ?? sim.now());
    if (events.some((e) => e.kind === 'action')) syncConfig();
  }

  /**
   * Hand the store the trace from where the simulation is up to `targetMs`, in bounded chunks
   * (the state is read once, at the end).
   * @param {number} targetMs
   */
  function tellUpTo(targetMs) {
    let configChanged = false;
    while (sim.now() < targetMs) {
      const events = sim.advance(Math.min(REPLAY_CHUNK_MS, targetMs - sim.now()));
      perf.events += events.length;
      configChanged = configChanged || events.some((/** @type {any} */ e) => e.kind === 'action');
      store.ingest(events, null, sim.now());
    }
    publish([]);
    if (configChanged) syncConfig();
  }

  /**
   * Replace the simulation and start a new run in the store. The story is told from time 0 up
   * to `atMs` (default: the time the simulation was built at, e.g. a share link's), so a link
   * opens with its feed and caption; the slider spans up to `endMs`.
   * @param {any} next
   * @param {{ title?: string, guide?: string | null, atMs?: number, endMs?: number }} [opts]
   */
  function install(next, opts = {}) {
    if (sim && sim !== next && typeof sim.free === 'function') sim.free();
    sim = next;
    const reached = sim.now();
    const atMs = opts.atMs ?? reached;
    // A rebuilt run (link, scenario) has no trace of its past: go back to 0 and tell it again.
    if (reached > 0) sim.seek(0);
    const s = sim.state();
    store.newRun({ sim: s, config: { ...sim.config() }, title: opts.title || scenarioTitle(), guide: opts.guide ?? null, nowMs: s.nowMs ?? sim.now() });
    // The first advance(0) drains whatever the constructor traced (e.g. the initial config).
    publish(sim.advance(0));
    tellUpTo(atMs);
    store.set({ runEndMs: Math.max(store.get().nowMs, reached, opts.endMs ?? 0) });
    undo = null;
  }

  /**
   * The whole recorded timeline, including actions after now (after a seek back): the
   * simulation only reports actions up to now, so look from the end of the run and come back.
   * @returns {ScenarioInput}
   */
  function timeline() {
    const st = store.get();
    const now = sim.now();
    if (st.runEndMs <= now) return sim.scenario();
    sim.seek(st.runEndMs);
    const full = sim.scenario();
    sim.seek(now);
    return full;
  }

  /** @type {Undo | null} */
  let undo = null;

  /**
   * A link being replayed in slices: `phase` 'probe' (tell a first millisecond to learn how
   * many events a simulated ms makes), 'seek' (replay without a trace up to `tellFromMs`), then
   * 'tell' (advance with the trace into the feed, up to `endMs`).
   * @typedef {{ endMs: number, title: string, phase: 'probe' | 'seek' | 'tell', sliceMs: number, eventsPerMs: number, startMs: number, events0: number, tellFromMs: number, lastBar: number, lastDraw: number, rafId: number }} ReplayJob
   * @type {ReplayJob | null}
   */
  let replayJob = null;

  /**
   * One slice of replay work; returns whether the job is done.
   * @param {ReplayJob} job
   */
  function replayStep(job) {
    const now = sim.now();
    const w0 = performance.now();
    if (job.phase === 'seek') {
      sim.seek(Math.min(job.tellFromMs, now + job.sliceMs));
    } else {
      const events = sim.advance(Math.min(job.endMs - now, job.phase === 'probe' ? 1 : job.sliceMs));
      perf.events += events.length;
      // Folded into the story without drawing: the views are redrawn with the bar (replayWork).
      store.ingest(events, null, sim.now(), false);
    }
    const wall = performance.now() - w0;
    // Events per simulated ms so far in this replay: an average over the whole of it, since
    // one slice may be a fraction of a millisecond with no event in it.
    if (sim.now() > job.startMs) job.eventsPerMs = Math.max(1e-3, (sim.eventsTotal() - job.events0) / (sim.now() - job.startMs));
    // Aim each call at an eighth of the frame's budget, so that a call that takes longer than
    // its estimate (a busier stretch of the run) still ends the slice close to the budget.
    job.sliceMs = Math.min(60_000, Math.max(0.01, job.sliceMs * Math.min(4, (REPLAY_FRAME_MS / 8) / Math.max(wall, 0.02))));
    const tellFrom = Math.max(0, job.endMs - REPLAY_STORY_EVENTS / job.eventsPerMs);
    if (job.phase === 'probe') {
      job.phase = tellFrom > sim.now() ? 'seek' : 'tell';
      job.tellFromMs = tellFrom;
    } else if (job.phase === 'tell' && tellFrom > sim.now() + 4 * job.sliceMs) {
      // The run got busier than the first millisecond said (a cluster electing its first
      // leader is quiet): the story is only its last REPLAY_STORY_EVENTS events, so the time
      // before them is replayed without a trace after all.
      job.phase = 'seek';
      job.tellFromMs = tellFrom;
    } else if (job.phase === 'seek') {
      job.tellFromMs = Math.max(sim.now(), Math.min(job.tellFromMs, tellFrom));
      if (sim.now() >= job.tellFromMs) {
        // The story starts here: the feed tells the last stretch, not the probe's millisecond.
        const st = sim.state();
        store.newRun({ sim: st, config: { ...sim.config() }, title: job.title, nowMs: sim.now() });
        job.phase = 'tell';
      }
    }
    return sim.now() >= job.endMs;
  }

  /**
   * Work on the replay for up to `budgetMs` of wall time; finish it when done or stopped.
   * @param {number} budgetMs
   */
  function replayWork(budgetMs) {
    const job = replayJob;
    if (!job || !sim) return;
    const t0 = performance.now();
    try {
      // A click or a key waiting ends the slice early (Chromium's isInputPending), so the
      // input is handled now rather than after the rest of the budget.
      while (performance.now() - t0 < budgetMs && !inputPending()) {
        if (replayStep(job)) {
          finishReplay(null);
          return;
        }
      }
    } catch (e) {
      // A limit reached (eventsPerCallMax, logEntriesMax, ...): keep what was replayed.
      finishReplay({ key: 'replay.stopped', params: { t: fmtTime(sim.now()), detail: message(e) } });
      return;
    }
    // The bar and the picture are redrawn a few times a second, not every frame: the frame's
    // time belongs to the replay and to the user's input. The time reached is the store's
    // `nowMs`, which the bar, the clock and the slider all show (one number, not two).
    const wall = performance.now();
    if (wall - job.lastBar > REPLAY_BAR_EVERY_MS) {
      job.lastBar = wall;
      const draw = wall - job.lastDraw > REPLAY_DRAW_EVERY_MS;
      if (draw) job.lastDraw = wall;
      store.ingest([], draw ? sim.state() : null, sim.now());
      store.flush();
    }
    // The next slice runs right after the next frame is painted (a message posted from the
    // frame's callback is handled after the frame): the replay never delays a frame, so the
    // frame that shows the answer to a click is painted as soon as the click's handler ran.
    job.rafId = requestAnimationFrame(() => {
      job.rafId = 0;
      afterPaint(() => {
        if (replayJob === job) replayWork(REPLAY_FRAME_MS);
      });
    });
  }

  /**
   * End the replay (done, cancelled or stopped at a limit) and leave the run where it got to.
   * @param {import('./store.js').Notice | null} notice
   */
  function finishReplay(notice) {
    const job = replayJob;
    if (!job) return;
    replayJob = null;
    if (job.rafId) cancelAnimationFrame(job.rafId);
    publish([]);
    syncConfig();
    store.set({ replay: null, ...(notice ? { notice } : {}) });
    store.flush();
  }

  /**
   * Open a share link at time 0 and replay it to the time it was made, in slices within
   * animation frames, with progress in the store (`replay`) and Cancel (`cancelReplay`).
   * A short link is done before this returns.
   * @param {string} link
   * @param {string} [title]
   */
  function replayLink(link, title) {
    const next = mod.Simulation.fromLink(link, { replay: false });
    stopReplay();
    install(next, { title });
    const endMs = next.recordedEndMs();
    replayJob = { endMs, title: title || scenarioTitle(), phase: 'probe', sliceMs: 1, eventsPerMs: 1, startMs: next.now(), events0: next.eventsTotal(), tellFromMs: 0, lastBar: 0, lastDraw: performance.now(), rafId: 0 };
    store.set({ replay: { endMs } });
    replayWork(REPLAY_SYNC_MS);
  }

  /** Stop a replay in progress without a word (the user did something else). */
  function stopReplay() {
    if (replayJob) finishReplay(null);
  }

  /** @param {number} ms */
  function fmtTime(ms) {
    return ms >= 10000 ? ms.toFixed(0) : ms.toFixed(1);
  }

  function frame(wall) {
    frameDue = false;
    if (destroyed || !sim || hidden) return;
    const st = store.get();
    if (!st.playing) {
      lastWall = 0;
      return;
    }
    const gap = lastWall ? Math.min(Math.max(wall - lastWall, 0), FRAME_GAP_MS_MAX) : 0;
    // While the picture refreshes at 30 Hz (see `fast` below), a frame between two pictures
    // would only fold events into the story, unseen: the simulation waits for the next picture's
    // frame and covers both frames' time there, in one call. The same simulated time and events,
    // and the calls' own cost (the boundary, the events' arrays, the story) paid half as often.
    if (gap > 0 && betweenPictures && wall - lastStateWall < 1000 / 30 - REFRESH_SLACK_MS) {
      endFrame(0, 0);
      return;
    }
    lastWall = wall;
    const t0 = performance.now();
    if (gap > 0) {
      // At high speeds a big cluster cannot simulate speed × elapsed within a frame; cap the
      // simulated time per frame by what fits in the budget, so the page stays smooth (it then
      // runs as fast as it can instead of stuttering).
      // "Skip quiet time": while no message is in flight (everyone waits on a timer), time runs
      // QUIET_FACTOR times faster, in small chunks that stop right after the next message is
      // sent, so every message is still seen leaving its node at the chosen speed.
      const quiet = st.skipQuiet && st.speed < QUIET_SPEED_MAX && (st.sim?.inFlight?.length ?? 1) === 0;
      const a = approach;
      const slowNow = !!a && (st.sim?.inFlight ?? []).some((/** @type {any} */ m) => a.ids.has(m.id));
      const base = slowNow && a ? st.speed * a.slow : st.speed;
      const speed = quiet ? Math.min(QUIET_SPEED_MAX, base * QUIET_FACTOR) : base;
      const wanted = gap * speed;
      let simMs = Math.min(wanted, Math.max(1, WASM_BUDGET_MS / Math.max(costPerSimMs, 1e-6)));
      if (a) simMs = Math.max(0, Math.min(simMs, a.targetMs - sim.now()));
      /** @type {any[]} */
      let events;
      if (quiet) {
        events = [];
        for (let left = simMs; left > 1e-9; left -= QUIET_CHUNK_MS) {
          const batch = sim.advance(Math.min(QUIET_CHUNK_MS, left));
          for (const e of batch) events.push(e);
          if (batch.some((/** @type {any} */ e) => e.kind === 'msgSent')) break;
        }
      } else events = sim.advance(simMs);
      // A recorded action (a scenario's setBug, say) may have changed the config.
      if (events.some((/** @type {any} */ e) => e.kind === 'action')) syncConfig();
      if (quiet !== st.quiet) store.set({ quiet });
      perf.events += events.length;
      // state() is the costly call (every node's log crosses from wasm), and drawing is the
      // costliest part of a frame. When a frame covers more simulated time than a message takes
      // to fly, nothing moves smoothly anyway, so the picture (state and views) is refreshed at
      // 30 Hz instead of 60, and the frame in between waits (see betweenPictures above).
      const fast = simMs > FAST_SIM_MS_PER_FRAME;
      // Not while approaching a lesson's moment (it stops exactly there) or skipping quiet time
      // (it stops at the next message sent): those decide frame by frame.
      betweenPictures = fast && !a && !quiet;
      const draw = !fast || wall - lastStateWall >= 1000 / 30 - REFRESH_SLACK_MS;
      if (draw) {
        lastStateWall = wall;
        perf.draws++;
      }
      if (events.length && draw) publish(events);
      else store.ingest(events, null, sim.now(), draw);
    }
    const t1 = performance.now();
    if (gap > 0 && st.speed * gap > 1 && !store.get().quiet) {
      // Moving average of wall ms spent per simulated ms (advance + state + ingest).
      const per = (t1 - t0) / Math.max(1e-6, Math.min(gap * st.speed, Math.max(1, WASM_BUDGET_MS / Math.max(costPerSimMs, 1e-6))));
      costPerSimMs = costPerSimMs * 0.8 + per * 0.2;
    }
    if (approach && sim.now() >= approach.targetMs - 1e-9) {
      const done = approach;
      approach = null;
      store.set({ playing: false });
      publish([]);
      done.arrive();
    }
    store.flush();
    endFrame(t1 - t0, performance.now() - t1);
  }

  /**
   * A frame's work into the perf window, and the next frame asked for.
   * @param {number} wasmMs
   * @param {number} renderMs
   */
  function endFrame(wasmMs, renderMs) {
    const i = perf.frames % PERF_WINDOW;
    perf.wasm[i] = wasmMs;
    perf.render[i] = renderMs;
    perf.frames++;
    loop();
  }

  function loop() {
    if (frameDue || destroyed || hidden) return;
    frameDue = true;
    onNextFrame(frame);
  }

  /**
   * Run a mutation; a thrown Error becomes a notice and the run is left as it was.
   * @template T
   * @param {() => T} fn
   * @returns {T | undefined}
   */
  function guarded(fn) {
    try {
      return fn();
    } catch (e) {
      store.set({ notice: { key: 'error.action', params: { detail: message(e) } } });
      return undefined;
    }
  }

  /**
   * Move to simulated time `t`, backward or forward.
   * @param {number} t
   */
  function seekTo(t) {
    if (!sim || !Number.isFinite(t)) return;
    const target = Math.max(0, t);
    guarded(() => {
      const now = sim.now();
      if (target >= now) {
        publish(sim.advance(target - now));
      } else if (store.keeps(target)) {
        // The replay inside seek traces nothing; the store tells the story again from the
        // trace it kept, up to `target`.
        sim.seek(target);
        store.rewind(sim.now(), sim.state());
      } else {
        // Before the oldest kept event (a very long run): tell it again from time 0.
        sim.seek(0);
        store.rewind(-1, sim.state());
        publish(sim.advance(0));
        tellUpTo(target);
      }
      // Seeking back past a setBug or setToggle changes the config in effect.
      syncConfig();
      store.flush();
    });
  }

  const driver = {
    /** @returns {any} the wasm Simulation (tests and the console may inspect it) */
    get sim() {
      return sim;
    },

    /**
     * Load wasm and create the first run from a link or a config.
     * @param {{ config?: SimConfig, link?: string | null, title?: string, autoplay?: boolean }} init
     */
    async start(init) {
      try {
        if (!mod) mod = await loadWasm(opts.wasmUrl);
      } catch (e) {
        store.set({ phase: 'error', error: message(e) });
        return;
      }
      store.set({ limits: { ...mod.Simulation.limits() }, bugNames: [...mod.Simulation.bugNames()] });
      let opened = false;
      if (init.link) {
        try {
          replayLink(init.link, init.title);
          opened = true;
        } catch (e) {
          store.set({ notice: { key: 'share.bad', params: { detail: message(e) } } });
        }
      }
      if (!opened) {
        try {
          install(new mod.Simulation({ ...(init.config ?? {}) }), { title: init.title });
        } catch (e) {
          // A bad attribute (say nodes="12") must still leave a usable playground.
          store.set({ notice: { key: 'error.action', params: { detail: message(e) } } });
          install(new mod.Simulation({}), { title: init.title });
        }
      }
      // A shared link opens paused, exactly at the moment it was shared.
      if (init.autoplay && !opened) this.play();
      else store.flush();
    },

    play() {
      stopReplay();
      if (!sim) return;
      lastWall = 0;
      store.set({ playing: true });
      loop();
    },
    pause() {
      store.set({ playing: false });
      // A fast frame may have skipped state(); show exactly where time stopped.
      if (sim) guarded(() => publish([]));
    },
    toggle() {
      if (store.get().playing) this.pause();
      else this.play();
    },
    /**
     * Whether anyone can see the playground. Out of view the loop stops and no simulated time
     * passes: a reader who scrolls back finds the run at the moment they left it, still
     * playing, as if it had been paused meanwhile (time that nobody watched is not skipped over,
     * and it costs nothing). Play / pause state is untouched.
     * @param {boolean} visible
     */
    setVisible(visible) {
      if (hidden === !visible) return;
      hidden = !visible;
      if (hidden) {
        cancelNextFrame(frame);
        frameDue = false;
      } else if (store.get().playing) {
        // The first frame back measures no gap: no jump for the time spent away.
        lastWall = 0;
        loop();
      }
    },
    /** @returns {boolean} whether the playground is out of view (its loop stopped) */
    get hidden() {
      return hidden;
    },
    /** @param {boolean} on */
    setSkipQuiet(on) {
      store.set({ skipQuiet: !!on });
    },
    /** @param {number} x simulated ms per wall ms */
    setSpeed(x) {
      if (!Number.isFinite(x)) return;
      // The next frame decides afresh whether it draws (a slower speed draws every frame).
      betweenPictures = false;
      store.set({ speed: Math.min(SPEED_MAX, Math.max(SPEED_MIN, x)) });
    },

    /** Process exactly the next event (pauses first). */
    step() {
      stopReplay();
      if (!sim) return;
      this.pause();
      guarded(() => {
        const events = sim.step();
        publish(events);
        store.flush();
      });
    },

    /**
     * Run the simulation forward by `ms` right now, without waiting for frames (tests, "skip").
     * @param {number} ms
     */
    runFor(ms) {
      stopReplay();
      if (!sim) return;
      guarded(() => {
        const events = sim.advance(ms);
        perf.events += events.length;
        publish(events);
        store.flush();
      });
    },

    /**
     * Play from `fromMs` (skipping forward to it when it is ahead) to exactly `targetMs` and
     * pause there, slower while one of `ids` is in flight; then call `arrive` (lesson steps).
     * @param {number} targetMs
     * @param {number} fromMs
     * @param {Set<number>} ids
     * @param {number} slow
     * @param {() => void} arrive
     */
    approach(targetMs, fromMs, ids, slow, arrive) {
      if (!sim) return;
      // Set first: the seek below notifies the store's listeners, and they must see that the
      // run is playing into a step.
      approach = { targetMs, ids, slow, arrive };
      if (fromMs > sim.now()) seekTo(fromMs);
      if (sim.now() >= targetMs - 1e-9) {
        approach = null;
        this.pause();
        arrive();
        return;
      }
      this.play();
    },

    /** @returns {boolean} whether the run is playing into a lesson step */
    approaching() {
      return approach !== null;
    },

    /** Forget a pending approach (the run keeps its state). */
    stopApproach() {
      approach = null;
    },

    /**
     * Move to simulated time `t`, backward or forward.
     * @param {number} t
     */
    seek(t) {
      stopReplay();
      approach = null;
      seekTo(t);
    },

    /**
     * Apply one user gesture's action(s) at the current time. After a seek back this replaces
     * the recorded future; `lastUndo()` then says how many actions were replaced, and `undo()`
     * brings them back.
     * @param {Action | Action[]} actions
     * @returns {boolean} whether the simulation accepted every one
     */
    act(actions) {
      if (!sim) return false;
      stopReplay();
      const list = Array.isArray(actions) ? actions : [actions];
      for (const a of list) assertAction(a);
      approach = null;
      const st = store.get();
      const forking = st.nowMs < st.runEndMs;
      /** @type {Undo | null} */
      let before = null;
      if (forking) {
        const full = guarded(timeline);
        if (!full) return false;
        const replaced = full.actions.filter((a) => a.atMs > sim.now()).length;
        before = { replaced, scenario: full, atMs: sim.now(), title: st.title, guide: st.guide };
      }
      let ok = true;
      for (const a of list) {
        ok = !!guarded(() => {
          sim.apply(a);
          return true;
        });
        if (!ok) break;
      }
      if (!ok && list.length === 1) return false;
      if (forking) store.truncateFuture();
      undo = before && before.replaced > 0 ? before : null;
      guarded(() => publish(sim.advance(0)));
      syncConfig();
      store.flush();
      return ok;
    },

    /** @returns {Undo | null} what the last act replaced, if it replaced recorded actions */
    lastUndo() {
      return undo;
    },

    /**
     * Bring back the timeline the last act replaced, at the moment it was taken.
     * @returns {boolean}
     */
    undo() {
      stopReplay();
      const u = undo;
      if (!u || !mod) return false;
      return this.openScenario(u.scenario, u.title, { atMs: u.atMs, guide: u.guide });
    },

    /**
     * Start over with a new config (settings "Apply"); an invalid config keeps the current run.
     * @param {SimConfig} config
     * @returns {boolean}
     */
    restart(config) {
      stopReplay();
      if (!mod) return false;
      const ok = guarded(() => {
        install(new mod.Simulation(config));
        return true;
      });
      store.flush();
      return !!ok;
    },

    /** The run's starting config and seed (before any action), from time 0 without the actions. */
    reset() {
      if (!sim) return false;
      return this.restart({ ...sim.scenario().config });
    },

    /** The run's starting config with a new random seed, from time 0 without the actions. */
    newSeed() {
      if (!sim) return false;
      return this.restart({ ...sim.scenario().config, seed: randomSeed() });
    },

    /** @returns {ScenarioInput | null} the whole recorded run, including actions after now */
    timeline() {
      return sim ? guarded(timeline) ?? null : null;
    },

    /**
     * Open a share link in place, paused at the moment it was shared, with its story.
     * @param {string} link
     * @param {string} [title]
     * @returns {boolean}
     */
    openLink(link, title) {
      if (!mod) return false;
      try {
        this.pause();
        replayLink(link, title);
        store.flush();
        return true;
      } catch (e) {
        store.set({ notice: { key: 'share.bad', params: { detail: message(e) } } });
        return false;
      }
    },

    /**
     * Open a scenario (guided, or a rebuilt timeline): its recorded actions happen as time
     * passes, and the slider spans the whole of it. It opens at `atMs` (default 0), with the
     * story up to there.
     * @param {ScenarioInput} scenario
     * @param {string} title
     * @param {{ atMs?: number, guide?: string | null }} [opts]
     * @returns {boolean}
     */
    openScenario(scenario, title, opts = {}) {
      if (!mod) return false;
      stopReplay();
      const ok = guarded(() => {
        const next = mod.Simulation.fromScenario(scenario);
        install(next, { title, guide: opts.guide ?? null, atMs: opts.atMs ?? 0, endMs: scenario.endMs ?? 0 });
        return true;
      });
      store.flush();
      return !!ok;
    },

    /** @returns {string} the compact link for this run, at the current time */
    link() {
      return sim ? sim.toLink() : '';
    },

    check() {
      return sim ? sim.check() : null;
    },

    perf: stats,

    /** Start a new measurement window for perf(). */
    perfReset() {
      perf.frames = 0;
      perf.events = 0;
      perf.draws = 0;
    },

    /** @returns {boolean} whether a share link is being replayed (see `replayLink`) */
    get replaying() {
      return replayJob !== null;
    },

    /** Stop replaying a link; the run stays at the time the replay reached. */
    cancelReplay() {
      if (replayJob) finishReplay({ key: 'replay.cancelled', params: { t: fmtTime(sim.now()) } });
    },

    destroy() {
      stopReplay();
      destroyed = true;
      cancelNextFrame(frame);
      frameDue = false;
      if (sim && typeof sim.free === 'function') sim.free();
      sim = null;
    },
  };
  return driver;
}

/** @typedef {ReturnType<typeof createDriver>} Driver */
