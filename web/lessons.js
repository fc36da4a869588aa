// @ts-check
// Lesson mode (docs/LESSONS.md): opens a lesson at time 0, plays to each step's moment and pauses
// there. The lessons are the data files in ./lessons/, loaded as modules (lessons/index.js, on
// first use, so a page that never opens a lesson never loads them). Each step's moment and the
// messages it highlights are the lesson's `plan`, which the site build writes into the copy of
// the file it ships (xtask/src/plans.rs) from the native lesson check itself, so the page pauses
// exactly where `raft-sim lessons --check` checked.
//
// Playing to a step skips the quiet time before it: the run jumps to a short lead-in before the
// moment (or to when the first highlighted message was sent; the plan says where), then plays
// that stretch at the chosen speed, slower while a highlighted message is in flight.

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./driver.js').Driver} Driver */

/**
 * @typedef {Object} LessonStep
 * @property {{ en: string, zh: string }} caption
 * @property {Record<string, any>} highlight
 */

/**
 * @typedef {Object} PlanStep
 * @property {number} atMs the step's moment
 * @property {number[]} messageIds the messages it highlights
 * @property {number} slowFromMs where the lead-in before the moment starts
 */

/**
 * @typedef {Object} LessonState what the store holds while a lesson is open
 * @property {string} id
 * @property {{ en: string, zh: string }} title
 * @property {{ en: string, zh: string }} summary
 * @property {{ id: string, en: string, zh: string }[]} topics with their names from the index
 * @property {'default' | 'paper'} view
 * @property {LessonStep[]} steps
 * @property {PlanStep[]} plan
 * @property {number} step the step the run is paused at (-1: the introduction, at time 0)
 * @property {number | null} target the step being played to, if any
 */

/**
 * @typedef {Object} LessonIndex
 * @property {{ id: string, en: string, zh: string }[]} topics
 * @property {string[]} lessons
 */

/** A highlighted message in flight plays at this fraction of the chosen speed. */
export const SLOW_FACTOR = 0.4;

/** @returns {Promise<{ INDEX: LessonIndex, LESSONS: Record<string, any>[] }>} */
function loadModule() {
  return import('./lessons/index.js');
}

/**
 * The plan the site build wrote into a lesson file, checked for the shape the page relies on. A
 * file without one was not shipped by the build (web/ served as it is, or a stale copy).
 * @param {Record<string, any>} lesson
 * @returns {PlanStep[]}
 */
export function planOf(lesson) {
  const plan = lesson.plan;
  if (!Array.isArray(plan)) {
    throw new Error(`lessons/${lesson.id}.json has no plan; the site build adds it (cargo xtask serve)`);
  }
  const n = Array.isArray(lesson.steps) ? lesson.steps.length : 0;
  const fits = (/** @type {any} */ p) =>
    Number.isFinite(p?.atMs) && Number.isFinite(p?.slowFromMs) && Array.isArray(p?.messageIds) && p.messageIds.every(Number.isInteger);
  if (plan.length !== n || !plan.every(fits)) {
    throw new Error(`lessons/${lesson.id}.json has a plan that does not fit its ${n} steps; rebuild the site (cargo xtask serve)`);
  }
  return plan;
}

/**
 * @param {Store} store
 * @param {Driver} driver
 */
export function createLessons(store, driver) {
  /** @type {Promise<LessonIndex> | null} */
  let indexPromise = null;
  /** @type {Map<string, Record<string, any>>} */
  const files = new Map();
  /** @type {{ en: string, zh: string, id: string, summary: { en: string, zh: string } }[]} */
  let catalogue = [];
  /** The run a lesson was opened on (store.runId). */
  let ownRun = -1;

  function loadIndex() {
    if (!indexPromise) {
      indexPromise = loadModule().then((m) => {
        for (const lesson of m.LESSONS) files.set(lesson.id, lesson);
        return m.INDEX;
      });
      indexPromise.catch(() => {
        indexPromise = null;
      });
    }
    return indexPromise;
  }

  /** @param {string} id */
  async function loadLesson(id) {
    await loadIndex();
    const have = files.get(id);
    if (!have) throw new Error(`lessons/index.js has no lesson "${id}"`);
    return have;
  }

  /** @returns {LessonState | null} */
  function current() {
    return store.get().lesson;
  }

  /** @param {Partial<LessonState>} patch */
  function update(patch) {
    const l = current();
    if (l) store.set({ lesson: { ...l, ...patch } });
  }

  /**
   * Pause exactly at step `i`'s moment (seeking backward or forward), or at time 0 for -1.
   * @param {number} i
   */
  function jump(i) {
    const l = current();
    if (!l) return;
    const k = Math.max(-1, Math.min(i, l.plan.length - 1));
    driver.stopApproach();
    driver.pause();
    driver.seek(k < 0 ? 0 : l.plan[k].atMs);
    update({ step: k, target: null });
  }

  // When time moves by other means (the slider, a seek), the lesson follows: it is "at" the
  // last step whose moment has passed.
  store.subscribe((st) => {
    const l = /** @type {LessonState | null} */ (st.lesson ?? null);
    if (!l) return;
    // Any other new run (reset, new seed, a link, a guided scenario) ends the lesson.
    if (st.runId !== ownRun) {
      store.set({ lesson: null });
      return;
    }
    if (driver.approaching()) return;
    const at = l.step >= 0 ? l.plan[l.step].atMs : 0;
    if (l.target === null && Math.abs(st.nowMs - at) < 1e-6) return;
    let i = -1;
    while (i + 1 < l.plan.length && l.plan[i + 1].atMs <= st.nowMs + 1e-6) i++;
    if (i !== l.step || l.target !== null) update({ step: i, target: null });
  });

  const api = {
    /**
     * The lessons and their titles, in the index's order (loads them once).
     * @returns {Promise<typeof catalogue>}
     */
    async list() {
      if (catalogue.length) return catalogue;
      const index = await loadIndex();
      const all = await Promise.all(index.lessons.map((id) => loadLesson(id)));
      catalogue = all.map((lesson) => ({ id: lesson.id, en: lesson.title?.en ?? lesson.id, zh: lesson.title?.zh ?? lesson.id, summary: lesson.summary ?? { en: '', zh: '' } }));
      return catalogue;
    },

    /**
     * Open a lesson at its introduction (time 0), or paused at step `step`.
     * @param {string} id
     * @param {number} [step]
     * @returns {Promise<boolean>}
     */
    async open(id, step = -1) {
      let loaded;
      try {
        const index = await loadIndex();
        // Only what the index lists (a link's id is never turned into some other request).
        if (!index.lessons.includes(id)) throw new Error(`no such lesson; lessons are: ${index.lessons.join(', ')}`);
        const lesson = await loadLesson(id);
        loaded = { index, lesson, plan: planOf(lesson) };
      } catch (e) {
        store.set({ notice: { key: 'lesson.bad', params: { id, detail: e instanceof Error ? e.message : String(e) } } });
        return false;
      }
      const { index, lesson, plan } = loaded;
      const lang = store.get().ui.lang;
      if (!driver.openScenario(lesson.scenario, lesson.title?.[lang] ?? id)) return false;
      ownRun = store.get().runId;
      /** @type {LessonState} */
      const state = {
        id,
        title: lesson.title,
        summary: lesson.summary ?? { en: '', zh: '' },
        topics: (lesson.topics ?? []).map((/** @type {string} */ tid) => index.topics.find((x) => x.id === tid) ?? { id: tid, en: tid, zh: tid }),
        view: lesson.view === 'paper' ? 'paper' : 'default',
        steps: lesson.steps.map((/** @type {any} */ s) => ({ caption: s.caption, highlight: s.highlight ?? {} })),
        plan,
        step: -1,
        target: null,
      };
      store.set({ lesson: state, guide: null });
      driver.pause();
      if (Number.isInteger(step) && step >= 0) jump(step);
      return true;
    },

    /** Leave lesson mode; the run stays as it is, for free play. */
    close() {
      driver.stopApproach();
      store.set({ lesson: null });
    },

    /** Continue: play to the next step (or, while playing to one, arrive there at once). */
    next() {
      const l = current();
      if (!l) return;
      if (l.target !== null) return jump(l.target);
      const i = l.step + 1;
      if (i >= l.plan.length) return;
      const p = l.plan[i];
      update({ target: i });
      driver.approach(p.atMs, p.slowFromMs, new Set(p.messageIds), SLOW_FACTOR, () => update({ step: i, target: null }));
    },

    /** Back: pause at the previous step's moment. */
    back() {
      const l = current();
      if (!l) return;
      jump((l.target !== null ? l.target : l.step) - 1);
    },

    /** @param {number} i */
    goTo(i) {
      jump(i);
    },
  };
  return api;
}

/** @typedef {ReturnType<typeof createLessons>} Lessons */

