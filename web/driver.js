// @ts-check
// The driver is the only module that touches the wasm Simulation. Once per animation frame it
// reads the wall clock, advances the simulation by speed × elapsed, and hands the new events and
// ClusterState to the store. Views never call wasm; they send intents here.

/** @typedef {import('./store.js').Store} Store */
/** @typedef {Record<string, any>} SimConfig */
/** @typedef {Record<string, any>} Action */

/** Defaults from docs/DESIGN.md; the simulation's own defaults win when it reports them. */
export const DEFAULT_CONFIG = Object.freeze({
  nodes: 5,
  heartbeatMs: 50,
  electionTimeoutMsMin: 150,
  electionTimeoutMsMax: 300,
  latencyMsMin: 5,
  latencyMsMax: 15,
  lossPct: 0,
  dupPct: 0,
  preVote: true,
  checkQuorum: true,
  fastBacktrack: true,
  readMode: 'readIndex',
  clients: 1,
  clientWriteEveryMs: 0,
  snapshotThreshold: 0,
  bugs: [],
});

export const BUG_NAMES = ['vote-ignores-log', 'commit-old-term', 'forget-vote-on-restart', 'skip-prev-log-check', 'ack-before-persist', 'stale-read'];

export const SPEED_MIN = 0.001;
export const SPEED_MAX = 100;
/** The longest wall-clock gap one frame may cover (a background tab must not jump minutes). */
const FRAME_GAP_MS_MAX = 100;
const PERF_WINDOW = 600;
/** Wall-clock ms per frame the simulation may use before the effective speed is capped. */
const WASM_BUDGET_MS = 8;
/** Simulated ms per frame above which the picture refreshes at 30 Hz (see frame()). */
const FAST_SIM_MS_PER_FRAME = 5;
/** Quiet time (nothing in flight) runs this much faster, up to QUIET_SPEED_MAX, in chunks. */
const QUIET_FACTOR = 10;
const QUIET_SPEED_MAX = 0.25;
const QUIET_CHUNK_MS = 0.5;

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

/**
 * An optional trailing argument: none at all when it is undefined.
 * @param {unknown} v
 */
function optional(v) {
  return v === undefined ? [] : [v];
}

/**
 * Call one Action on the simulation: `apply(action)` when the binding has it, otherwise the
 * named method from the JS API (issue 6).
 * @param {any} sim
 * @param {Action} a
 */
export function applyAction(sim, a) {
  if (typeof sim.apply === 'function') return sim.apply(a);
  switch (a.type) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
    case 'timeout':
    case 'compact':
    case 'addServer':
    case 'addLearner':
    case 'removeServer':
      return sim[a.type](a.node);
    case 'transferLeader':
      return sim.transferLeader(a.to);
    case 'partition':
      return sim.partition(a.groups);
    case 'changeMembership':
      return sim.changeMembership(a.voters, ...optional(a.learners));
    case 'heal':
      return sim.heal();
    case 'setLink': {
      const { from, to, type: _t, ...opts } = a;
      return sim.setLink(from, to, opts);
    }
    case 'setAllLinks': {
      const { type: _t, ...opts } = a;
      return sim.setAllLinks(opts);
    }
    case 'clockSkew':
      return sim.clockSkew(a.node, a.ratePpm);
    // `client` is optional: passed only when the action names one.
    case 'clientPut':
      return sim.clientPut(a.key, a.value, ...optional(a.client));
    case 'clientGet':
      return sim.clientGet(a.key, ...optional(a.client));
    case 'clientAppend':
      return sim.clientAppend(a.key, a.value, ...optional(a.client));
    case 'clientCas':
      return sim.clientCas(a.key, a.expected, a.value, ...optional(a.client));
    case 'setBug':
      return sim.setBug(a.name, a.on);
    case 'setToggle':
      return sim.setToggle(a.name, a.on);
    case 'setReadMode':
      return sim.setReadMode(a.mode);
    default:
      throw new Error(`unknown action type: ${a.type}`);
  }
}

/** @param {unknown} e */
function message(e) {
  return e instanceof Error ? e.message : String(e);
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
  let rafId = 0;
  let lastWall = 0;
  let destroyed = false;
  /** Estimated wall ms per simulated ms, learnt while playing. */
  let costPerSimMs = 0;
  let lastStateWall = 0;
  /** Frame work samples (ms): wasm part and render part. */
  const perf = {
    frames: 0,
    wasm: new Float64Array(PERF_WINDOW),
    render: new Float64Array(PERF_WINDOW),
    events: 0,
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
    };
  }

  /** Pull the ClusterState and give it to the store together with the events. */
  function publish(events) {
    const s = sim.state();
    store.ingest(events, s, s.nowMs ?? sim.now());
  }

  function effectiveConfig(requested) {
    let reported = null;
    try {
      if (typeof sim.config === 'function') reported = sim.config();
      else if (typeof sim.scenario === 'function') reported = sim.scenario()?.config;
    } catch {
      reported = null;
    }
    return { ...DEFAULT_CONFIG, ...(requested ?? {}), ...(reported ?? {}) };
  }

  function scenarioTitle() {
    try {
      if (typeof sim.scenario === 'function') return sim.scenario()?.title ?? '';
    } catch {
      /* no scenario accessor */
    }
    return '';
  }

  /**
   * Replace the simulation and start a new run in the store.
   * @param {any} next
   * @param {SimConfig | null} requested
   * @param {string} [title]
   */
  function install(next, requested, title) {
    if (sim && sim !== next && typeof sim.free === 'function') sim.free();
    sim = next;
    const s = sim.state();
    store.newRun({ sim: s, config: effectiveConfig(requested), title: title || scenarioTitle(), nowMs: s.nowMs ?? sim.now() });
    // The first advance(0) drains whatever the constructor traced (e.g. the initial config).
    publish(sim.advance(0));
  }

  function frame(wall) {
    rafId = 0;
    if (destroyed || !sim) return;
    const st = store.get();
    if (!st.playing) {
      lastWall = 0;
      return;
    }
    const gap = lastWall ? Math.min(Math.max(wall - lastWall, 0), FRAME_GAP_MS_MAX) : 0;
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
      const speed = quiet ? Math.min(QUIET_SPEED_MAX, st.speed * QUIET_FACTOR) : st.speed;
      const wanted = gap * speed;
      const simMs = Math.min(wanted, Math.max(1, WASM_BUDGET_MS / Math.max(costPerSimMs, 1e-6)));
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
      if (quiet !== st.quiet) store.set({ quiet });
      perf.events += events.length;
      // state() is the costly call (every node's log crosses from wasm). When a frame covers
      // more simulated time than a message takes to fly, nothing moves smoothly anyway, so the
      // picture is refreshed at 30 Hz instead of 60.
      const fast = simMs > FAST_SIM_MS_PER_FRAME;
      if (events.length && (!fast || wall - lastStateWall >= 1000 / 30)) {
        lastStateWall = wall;
        publish(events);
      } else store.ingest(events, null, sim.now());
    }
    const t1 = performance.now();
    if (gap > 0 && st.speed * gap > 1 && !store.get().quiet) {
      // Moving average of wall ms spent per simulated ms (advance + state + ingest).
      const per = (t1 - t0) / Math.max(1e-6, Math.min(gap * st.speed, Math.max(1, WASM_BUDGET_MS / Math.max(costPerSimMs, 1e-6))));
      costPerSimMs = costPerSimMs * 0.8 + per * 0.2;
    }
    store.flush();
    const t2 = performance.now();
    const i = perf.frames % PERF_WINDOW;
    perf.wasm[i] = t1 - t0;
    perf.render[i] = t2 - t1;
    perf.frames++;
    loop();
  }

  function loop() {
    if (!rafId && !destroyed) rafId = requestAnimationFrame(frame);
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
      store.set({ limits: { ...mod.Simulation.limits() } });
      let opened = false;
      if (init.link) {
        try {
          install(mod.Simulation.fromLink(init.link), null, init.title);
          opened = true;
        } catch (e) {
          store.set({ notice: { key: 'share.bad', params: { detail: message(e) } } });
        }
      }
      if (!opened) {
        try {
          install(new mod.Simulation({ ...(init.config ?? {}) }), init.config ?? {}, init.title);
        } catch (e) {
          // A bad attribute (say nodes="12") must still leave a usable playground.
          store.set({ notice: { key: 'error.action', params: { detail: message(e) } } });
          install(new mod.Simulation({}), {}, init.title);
        }
      }
      // A shared link opens paused, exactly at the moment it was shared.
      if (init.autoplay && !opened) this.play();
      else store.flush();
    },

    play() {
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
    /** @param {boolean} on */
    setSkipQuiet(on) {
      store.set({ skipQuiet: !!on });
    },
    /** @param {number} x simulated ms per wall ms */
    setSpeed(x) {
      if (!Number.isFinite(x)) return;
      store.set({ speed: Math.min(SPEED_MAX, Math.max(SPEED_MIN, x)) });
    },

    /** Process exactly the next event (pauses first). */
    step() {
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
      if (!sim) return;
      guarded(() => {
        const events = sim.advance(ms);
        perf.events += events.length;
        publish(events);
        store.flush();
      });
    },

    /**
     * Move to simulated time `t`, backward or forward.
     * @param {number} t
     */
    seek(t) {
      if (!sim || !Number.isFinite(t)) return;
      const target = Math.max(0, t);
      guarded(() => {
        const now = sim.now();
        if (target >= now) {
          publish(sim.advance(target - now));
        } else {
          sim.seek(target);
          // Whatever the replay traced is already in the feed (up to `target`): drop it.
          sim.advance(0);
          store.rewind(sim.now(), sim.state());
        }
        store.flush();
      });
    },

    /**
     * Apply one user Action at the current time.
     * @param {Action} action
     * @returns {boolean} whether the simulation accepted it
     */
    act(action) {
      if (!sim) return false;
      const st = store.get();
      const ok = guarded(() => {
        applyAction(sim, action);
        return true;
      });
      if (!ok) return false;
      if (st.nowMs < st.runEndMs) store.truncateFuture();
      guarded(() => publish(sim.advance(0)));
      store.flush();
      return true;
    },

    /**
     * Start over with a new config (settings "Apply"); an invalid config keeps the current run.
     * @param {SimConfig} config
     * @returns {boolean}
     */
    restart(config) {
      if (!mod) return false;
      const ok = guarded(() => {
        const next = new mod.Simulation(config);
        install(next, config);
        return true;
      });
      store.flush();
      return !!ok;
    },

    /** Same config, same seed, from time 0 without the actions. */
    reset() {
      const cfg = { ...store.get().config };
      this.restart(cfg);
    },

    newSeed() {
      const cfg = { ...store.get().config, seed: randomSeed() };
      this.restart(cfg);
    },

    /**
     * Open a share link in place.
     * @param {string} link
     * @param {string} [title]
     * @returns {boolean}
     */
    openLink(link, title) {
      if (!mod) return false;
      try {
        install(mod.Simulation.fromLink(link), null, title);
        this.pause();
        store.flush();
        return true;
      } catch (e) {
        store.set({ notice: { key: 'share.bad', params: { detail: message(e) } } });
        return false;
      }
    },

    /**
     * Open a guided scenario at time 0: its recorded actions happen as time passes, and the time
     * slider already spans the whole scenario.
     * @param {Record<string, any>} scenario
     * @param {string} title
     * @returns {boolean}
     */
    openScenario(scenario, title) {
      if (!mod) return false;
      const ok = guarded(() => {
        const next = mod.Simulation.fromScenario(scenario);
        const end = next.now();
        next.seek(0);
        next.advance(0);
        install(next, null, title);
        store.set({ runEndMs: Math.max(end, scenario.endMs ?? 0) });
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
    },

    destroy() {
      destroyed = true;
      if (rafId) cancelAnimationFrame(rafId);
      rafId = 0;
      if (sim && typeof sim.free === 'function') sim.free();
      sim = null;
    },
  };
  return driver;
}

/** @typedef {ReturnType<typeof createDriver>} Driver */
