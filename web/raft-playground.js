// @ts-check
// <raft-playground>: the whole playground as one custom element, usable with a single
//   <script type="module" src=".../lib/raft-playground.js"></script>
// Attributes: nodes, seed, link, controls (full | minimal | none), autoplay, speed, lang (en | zh),
// height (any CSS length), theme (light | dark), share-hash (read the run from location.hash),
// wasm-url (where raft_wasm_bg.wasm is, when a page hosts it apart from the library).
// It wires the one-way flow: driver -> store -> views, and routes the views' intents.

import { h, text, attr, hide } from './dom.js';
import { t, pickLang } from './i18n.js';
import { CSS } from './styles.js';
import { createStore } from './store.js';
import { createDriver } from './driver.js';
import { parseFragment, siteBase } from './share.js';
import { createClusterView } from './views/cluster-view.js';
import { createNodeMenu } from './views/node-menu.js';
import { createLogView } from './views/log-view.js';
import { createControls } from './views/controls.js';
import { createEventFeed } from './views/event-feed.js';
import { createSpacetimeView, ST_WINDOWS_MS } from './views/spacetime-view.js';
import { createStatePanel } from './views/state-panel.js';
import { createFaultsPanel } from './views/faults-panel.js';
import { createSettingsPanel } from './views/settings-panel.js';
import { createSharePanel } from './views/share-panel.js';
import { createLegend } from './views/legend.js';
import { createGuide } from './views/guide.js';
import { findScenario, FOLDED_INTO_LESSONS } from './scenarios.js';
import { createLessons } from './lessons.js';
import { createLessonPanel } from './views/lesson-panel.js';
import { createInspector } from './views/inspector.js';
import { createPendingPanel } from './views/pending-panel.js';
import { LESSON_CSS } from './views/lesson-styles.js';
import { createReplayProgress } from './views/replay-progress.js';
import { SETTING_ACTIONS } from './intents.js';
import { describeOp } from './describe.js';
import { fmtMs } from './i18n.js';

/** @typedef {import('./intents.js').Intent} Intent */
/** @typedef {import('./intents.js').Action} Action */
/** @typedef {import('./intents.js').Send} Send */

const TABS = ['events', 'spacetime', 'client', 'faults', 'settings', 'share'];
const MINIMAL_TABS = ['events', 'client', 'faults'];
const DEFAULT_SPEED = 0.02;

/** @param {string | null} v */
function num(v) {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}

export class RaftPlayground extends HTMLElement {
  static get observedAttributes() {
    return ['lang', 'theme', 'height', 'controls', 'speed', 'link', 'nodes', 'seed'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    /** @type {ReturnType<typeof createStore> | null} */
    this.store = null;
    /** @type {ReturnType<typeof createDriver> | null} */
    this.driver = null;
    /** @type {(() => void) | null} */
    this._unsub = null;
    /** @type {MediaQueryList | null} */
    this._motion = null;
    this.readyAtMs = 0;
    /** @type {import('./lessons.js').Lessons | null} */
    this.lessons = null;
    /** @type {(() => void) | null} */
    this._onHash = null;
    /** @type {(() => void) | null} */
    this._onVisibility = null;
    /** @type {IntersectionObserver | null} */
    this._seen = null;
    /** The last setting changed during a guided scenario, for "from the start instead". */
    /** @type {{ base: import('./driver.js').ScenarioInput, list: Action[] } | null} */
    this._change = null;
  }

  connectedCallback() {
    if (this.store) return;
    const root = /** @type {ShadowRoot} */ (this.shadowRoot);
    const params = new URLSearchParams(location.search);
    const lang = pickLang(this.getAttribute('lang') ?? params.get('lang') ?? navigator.language);
    const themeAttr = this.getAttribute('theme');
    const theme = themeAttr === 'dark' || themeAttr === 'light' ? themeAttr : matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    const controls = /** @type {'full' | 'minimal' | 'none'} */ (['full', 'minimal', 'none'].includes(this.getAttribute('controls') ?? '') ? this.getAttribute('controls') : 'full');
    this._motion = matchMedia('(prefers-reduced-motion: reduce)');
    const store = createStore({ lang, theme, controls, reducedMotion: this._motion.matches });
    this.store = store;
    const driver = createDriver(store, { wasmUrl: this.getAttribute('wasm-url') ?? undefined });
    this.driver = driver;
    this.lessons = createLessons(store, driver);
    const speed = num(this.getAttribute('speed'));
    if (speed !== undefined && speed > 0) driver.setSpeed(speed);
    else store.set({ speed: DEFAULT_SPEED });

    // ---- DOM skeleton -------------------------------------------------------------------------
    const style = h('style', { text: CSS + LESSON_CSS });
    // Focusable (not in the tab order) so that a click anywhere on the playground puts the
    // keyboard shortcuts in reach: Space then plays, not the page's scroll.
    const app = h('div', { class: 'app', part: 'app', tabindex: '-1' });
    const h1 = h('h1');
    const tagline = h('span', { class: 'tagline' });
    const scenarioTitle = h('span', { class: 'scenario-title', 'data-testid': 'scenario-title' });
    const langBtn = h('button', { type: 'button', 'data-testid': 'lang', onclick: () => this.setLang(store.get().ui.lang === 'zh' ? 'en' : 'zh') });
    const themeBtn = h('button', { type: 'button', 'data-testid': 'theme', onclick: () => store.setUi({ theme: store.get().ui.theme === 'dark' ? 'light' : 'dark' }) });
    const picker = h('span', { class: 'picker' });
    const top = h('div', { class: 'top' }, [h1, tagline, scenarioTitle, h('span', { class: 'spacer' }), picker, langBtn, themeBtn]);
    const noticeText = h('p');
    // The notice's own button (Undo, "from the start instead"), when it has one.
    const noticeAct = h('button', { type: 'button', class: 'primary', 'data-testid': 'notice-action', hidden: true, onclick: () => {
      const b = store.get().notice?.button;
      if (b) this.ui(b.intent);
    } });
    const noticeBtn = h('button', { type: 'button', 'data-testid': 'notice-dismiss', onclick: () => this.ui({ intent: 'dismissNotice' }) });
    const notice = h('div', { class: 'notice', role: 'alert', hidden: true, 'data-testid': 'notice' }, [noticeText, noticeAct, noticeBtn]);
    const toolbar = h('div', { class: 'toolbar', role: 'toolbar' });
    const clusterBox = h('div', { class: 'cluster-box' });
    const clusterPanel = h('section', { class: 'cluster-panel' }, [clusterBox]);
    const logPanel = h('section', { class: 'log-panel', 'data-testid': 'log-view' });
    const tabList = h('div', { class: 'tabs', role: 'tablist' });
    /** @type {Record<string, HTMLElement>} */
    const panels = {};
    /** @type {Record<string, HTMLElement>} */
    const tabBtns = {};
    for (const id of TABS) {
      const btn = h('button', {
        type: 'button',
        role: 'tab',
        id: `tab-${id}`,
        'aria-controls': `panel-${id}`,
        'data-tab': id,
        onclick: () => this.ui({ intent: 'tab', id }),
      });
      btn.addEventListener('keydown', (e) => {
        const visible = TABS.filter((x) => !tabBtns[x].hidden);
        const i = visible.indexOf(id);
        const go = e.key === 'ArrowRight' ? visible[(i + 1) % visible.length] : e.key === 'ArrowLeft' ? visible[(i - 1 + visible.length) % visible.length] : null;
        if (go) {
          e.preventDefault();
          store.setUi({ tab: go });
          tabBtns[go].focus();
        }
      });
      tabBtns[id] = btn;
      tabList.append(btn);
      panels[id] = h('div', { class: 'tabpanel', role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, 'data-testid': `panel-${id}` });
    }
    const side = h('section', { class: 'side' }, [logPanel, tabList, ...Object.values(panels)]);
    const body = h('main', { class: 'body' }, [clusterPanel, side]);
    // The notice is outside the header so it can stay in view (sticky) while the page scrolls:
    // on a phone the Settings tab is far below it. The replay progress goes with it.
    const replayBox = h('div');
    app.append(h('header', { class: 'chrome' }, [top]), notice, replayBox, h('div', { class: 'chrome' }, [toolbar]), body);
    root.replaceChildren(style, app);

    // ---- Views ----------------------------------------------------------------------------------
    /** @type {Send} */
    const send = { act: (a) => this.act(a), ui: (i) => this.ui(i) };
    const views = [
      createControls(toolbar, store, send),
      createClusterView(clusterBox, store, send),
      createNodeMenu(clusterBox, store, send),
      createLegend(clusterPanel),
      createLogView(logPanel, store),
      createEventFeed(panels.events, store, send),
      createSpacetimeView(panels.spacetime, store, send),
      createStatePanel(panels.client, store, send),
      createFaultsPanel(panels.faults, store, send),
      createSettingsPanel(panels.settings, store, send),
      createSharePanel(panels.share, store, { link: () => driver.link(), pageUrl: () => this.pageUrl() }),
    ];
    // The caption lives under the cluster; move it below the SVG box, the guide box after it.
    const caption = clusterBox.querySelector('.caption');
    if (caption) clusterBox.after(caption);
    // The words for the groups drawn on the ring go under the drawing too, after the caption.
    const groupsNote = clusterBox.querySelector('.cluster-groups');
    if (groupsNote) (caption ?? clusterBox).after(groupsNote);
    const guideBox = h('div');
    (groupsNote ?? caption ?? clusterBox).after(guideBox);
    views.push(createGuide(picker, guideBox, store, send));
    const lessonBox = h('div');
    guideBox.after(lessonBox);
    views.push(createLessonPanel(lessonBox, app, store, send, { pageUrl: () => this.pageUrl() }));
    views.push(createInspector(lessonBox, store, send));
    // Manual delivery: the messages waiting for the learner, under the picture (after a
    // lesson's step box, whose caption says what to look at).
    const pendingBox = h('div');
    lessonBox.after(pendingBox);
    views.push(createPendingPanel(pendingBox, store, send));
    views.push(createReplayProgress(replayBox, send));

    let lastLang = '';
    /** What the chrome last drew from: it is redrawn only when one of these changed (not per frame). */
    /** @type {unknown[]} */
    let chromeFrom = [];
    const renderChrome = (/** @type {import('./store.js').StoreState} */ st) => {
      const from = [st.ui, st.phase, st.guide, st.title, st.notice, st.error];
      if (from.every((x, i) => x === chromeFrom[i])) return;
      chromeFrom = from;
      const l = st.ui.lang;
      attr(app, 'data-theme', st.ui.theme);
      attr(app, 'data-controls', st.ui.controls);
      attr(app, 'data-reduced-motion', st.ui.reducedMotion ? '1' : '0');
      attr(app, 'lang', l === 'zh' ? 'zh-CN' : 'en');
      attr(app, 'data-phase', st.phase);
      attr(app, 'data-guide', st.guide ? '1' : '0');
      if (l !== lastLang) {
        lastLang = l;
        text(h1, t(l, 'app.title'));
        text(tagline, t(l, 'app.tagline'));
        text(langBtn, t(l, 'lang.switch'));
        attr(langBtn, 'title', t(l, 'lang.switchLabel'));
        attr(langBtn, 'lang', l === 'zh' ? 'en' : 'zh-CN');
        text(noticeBtn, t(l, 'notice.dismiss'));
        attr(noticeBtn, 'title', t(l, 'notice.dismissHelp'));
        for (const id of TABS) text(tabBtns[id], t(l, `tab.${id}`));
      }
      themeBtn.replaceChildren(h('span', { 'aria-hidden': 'true', text: st.ui.theme === 'dark' ? '☀' : '☾' }));
      attr(themeBtn, 'aria-label', t(l, st.ui.theme === 'dark' ? 'theme.toLight' : 'theme.toDark'));
      attr(themeBtn, 'title', t(l, st.ui.theme === 'dark' ? 'theme.toLight' : 'theme.toDark'));
      // A lesson's or a guided scenario's title follows the page's language (the run's title is
      // the one it was opened with).
      const guide = st.guide ? findScenario(st.guide) : null;
      text(scenarioTitle, st.lesson?.title?.[l] ?? guide?.title?.[l] ?? st.title);
      const allowed = st.ui.controls === 'full' ? TABS : MINIMAL_TABS;
      const tab = allowed.includes(st.ui.tab) ? st.ui.tab : allowed[0];
      for (const id of TABS) {
        hide(tabBtns[id], !allowed.includes(id));
        attr(tabBtns[id], 'aria-selected', id === tab ? 'true' : 'false');
        attr(tabBtns[id], 'tabindex', id === tab ? '0' : '-1');
        hide(panels[id], id !== tab);
      }
      if (st.notice) {
        hide(notice, false);
        const ops = st.notice.ops ? { change: st.notice.ops.map((a) => describeOp(a, l)).join(l === 'zh' ? '，' : ', ') } : {};
        text(noticeText, t(l, st.notice.key, { ...st.notice.params, ...ops }));
        hide(noticeAct, !st.notice.button);
        attr(notice, 'data-tone', st.notice.tone ?? 'error');
        if (st.notice.button) {
          text(noticeAct, t(l, st.notice.button.key));
          attr(noticeAct, 'title', t(l, `${st.notice.button.key}Help`));
        }
      } else hide(notice, true);
      if (st.phase === 'error') {
        hide(notice, false);
        attr(notice, 'data-tone', 'error');
        hide(noticeAct, true);
        text(noticeText, t(l, 'app.loadFailed', { detail: st.error ?? '' }));
      }
    };
    const viewNames = ['controls', 'cluster', 'menu', 'legend', 'log', 'feed', 'spacetime', 'state', 'faults', 'settings', 'share', 'guide', 'lesson', 'inspector', 'replay'];
    /** Render time per view (ms, summed), for finding what a frame spends. */
    const viewMs = new Float64Array(viewNames.length);
    this.viewTimes = () => Object.fromEntries(viewNames.map((n, i) => [n, Number(viewMs[i].toFixed(1))]));
    this._unsub = store.subscribe((st) => {
      renderChrome(st);
      for (let i = 0; i < views.length; i++) {
        const t0 = performance.now();
        views[i].render(st);
        viewMs[i] += performance.now() - t0;
      }
    });
    renderChrome(store.get());
    for (const v of views) v.render(store.get());

    // ---- Keyboard shortcuts (only when focus is not in a form field) ---------------------------
    app.addEventListener('keydown', (e) => {
      const target = /** @type {HTMLElement} */ (e.composedPath()[0]);
      const tag = target?.tagName ?? '';
      if (/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(tag) || target?.getAttribute?.('role') === 'button') {
        if (e.key === 'Escape' && store.get().ui.menuNode !== null) this.ui({ intent: 'closeMenu' });
        return;
      }
      if (e.key === ' ' || e.key === 'k') {
        e.preventDefault();
        this.ui({ intent: 'togglePlay' });
      } else if (e.key === '.' || e.key === 'n') {
        e.preventDefault();
        this.ui({ intent: 'step' });
      } else if (e.key === 'Escape') {
        this.ui({ intent: 'closeMenu' });
      }
    });
    // Clicking outside the node menu closes it.
    app.addEventListener('pointerdown', (e) => {
      if (store.get().ui.menuNode === null) return;
      const path = e.composedPath();
      if (!path.some((n) => n instanceof Element && (n.classList.contains('node-menu') || n.classList.contains('node')))) this.ui({ intent: 'closeMenu' });
    });
    this._motion.addEventListener('change', (e) => store.setUi({ reducedMotion: e.matches }));
    if (this.hasAttribute('share-hash')) {
      // A link pasted into the address bar of an open page replaces the run.
      this._onHash = () => {
        const shared = parseFragment(location.hash);
        if (shared.error) store.set({ notice: { key: 'share.bad', params: { detail: shared.error } } });
        else if (shared.link) driver.openLink(shared.link, shared.title);
      };
      window.addEventListener('hashchange', this._onHash);
    }

    // Out of view or in a hidden tab, the animation loop stops; seen again, the run goes on
    // from the same simulated moment (driver.setVisible). A page of many embeds pays only for
    // the ones a reader can see.
    let inView = true;
    const visibility = () => driver.setVisible(inView && document.visibilityState !== 'hidden');
    this._onVisibility = visibility;
    document.addEventListener('visibilitychange', visibility);
    if (typeof IntersectionObserver === 'function') {
      this._seen = new IntersectionObserver((entries) => {
        inView = entries[entries.length - 1].isIntersecting;
        visibility();
      });
      this._seen.observe(this);
    }
    visibility();

    this.applyHeight();
    // Expose the first playground on the page for tests and the console.
    const w = /** @type {any} */ (window);
    if (!w.__raft) {
      w.__raft = { store, driver, element: this, lessons: this.lessons };
      Object.defineProperty(w, '__raftPerf', { configurable: true, get: () => driver.perf() });
    }
    this.start();
  }

  async start() {
    const store = /** @type {NonNullable<typeof this.store>} */ (this.store);
    const driver = /** @type {NonNullable<typeof this.driver>} */ (this.driver);
    /** @type {Record<string, any>} */
    const config = {};
    const nodes = num(this.getAttribute('nodes'));
    const seed = num(this.getAttribute('seed'));
    if (nodes !== undefined) config.nodes = nodes;
    if (seed !== undefined) config.seed = seed;
    let link = this.getAttribute('link');
    let title = this.getAttribute('scenario-title') ?? '';
    if (this.hasAttribute('share-hash')) {
      const shared = parseFragment(location.hash);
      if (shared.error) store.set({ notice: { key: 'share.bad', params: { detail: shared.error } } });
      if (shared.link) link = shared.link;
      if (shared.title) title = shared.title;
    }
    const autoplay = this.hasAttribute('autoplay') && this.getAttribute('autoplay') !== 'false';
    const query = new URLSearchParams(location.search);
    const scenarioId = this.getAttribute('scenario') ?? query.get('scenario') ?? '';
    const guided = !link ? findScenario(scenarioId) : null;
    const lesson = !link && !guided ? (this.getAttribute('lesson') ?? query.get('lesson') ?? FOLDED_INTO_LESSONS[scenarioId] ?? null) : null;
    await driver.start({ config, link, title, autoplay: autoplay && !guided && !lesson });
    if (guided) {
      this.ui({ intent: 'openScenario', id: guided.id });
      if (!autoplay) driver.pause();
    }
    // ?lesson=ID opens a lesson at its introduction; &step=N (1-based) at that step.
    if (lesson && this.lessons) {
      const step = Number(query.get('step') ?? this.getAttribute('lesson-step') ?? 0);
      await this.lessons.open(lesson, Number.isInteger(step) && step > 0 ? step - 1 : -1);
    }
    this.lessons?.list().then(
      (list) => store.set({ lessonList: list }),
      () => {
        /* no lessons next to this library (an embed without them): the picker lists scenarios only */
      },
    );
    /** Milliseconds from navigation start until the first run was drawn (reported by tests). */
    this.readyAtMs = performance.now();
    this.dispatchEvent(new CustomEvent('raft-ready', { bubbles: true, composed: true }));
  }

  disconnectedCallback() {
    this._unsub?.();
    if (this._onHash) window.removeEventListener('hashchange', this._onHash);
    if (this._onVisibility) document.removeEventListener('visibilitychange', this._onVisibility);
    this._seen?.disconnect();
    this.driver?.destroy();
    this.store = null;
    this.driver = null;
    const w = /** @type {any} */ (window);
    if (w.__raft?.element === this) delete w.__raft;
  }

  /**
   * @param {string} name
   * @param {string | null} _old
   * @param {string | null} value
   */
  attributeChangedCallback(name, _old, value) {
    if (!this.store) return;
    if (name === 'lang') this.store.setUi({ lang: pickLang(value) });
    else if (name === 'theme' && (value === 'dark' || value === 'light')) this.store.setUi({ theme: value });
    else if (name === 'height') this.applyHeight();
    else if (name === 'controls' && (value === 'full' || value === 'minimal' || value === 'none')) this.store.setUi({ controls: value });
    else if (name === 'speed') {
      const x = num(value);
      if (x !== undefined && x > 0) this.driver?.setSpeed(x);
    } else if (this.store.get().phase === 'ready') {
      // Changing the run's attributes after start: open the new link, or restart with the new shape.
      if (name === 'link' && value) this.driver?.openLink(value);
      else if (name === 'nodes' || name === 'seed') {
        const x = num(value);
        if (x !== undefined && Number.isFinite(x)) this.driver?.restart({ ...this.store.get().config, [name]: x });
      }
    }
  }

  applyHeight() {
    const hgt = this.getAttribute('height');
    if (hgt && /^\d+(\.\d+)?(px|vh|em|rem|%)?$/.test(hgt.trim())) {
      this.style.height = /^\d+(\.\d+)?$/.test(hgt.trim()) ? `${hgt.trim()}px` : hgt.trim();
      this.style.overflow = 'auto';
    }
  }

  /** @param {'en' | 'zh'} lang */
  setLang(lang) {
    this.store?.setUi({ lang });
    this.dispatchEvent(new CustomEvent('raft-lang', { detail: { lang }, bubbles: true, composed: true }));
  }

  /** The page a share link should open: this page when it owns the fragment, else the site's index. */
  pageUrl() {
    if (this.hasAttribute('share-hash')) return location.href.split('#')[0];
    const lang = this.store?.get().ui.lang;
    return `${siteBase()}index.html${lang === 'zh' ? '?lang=zh' : ''}`;
  }

  /**
   * The simulation path: one user gesture's action(s). During a guided scenario a setting
   * change keeps the scenario's scripted steps (the scenario is replayed with the change from
   * now); anything else after a seek back replaces the recorded future, says so, and offers Undo.
   * @param {Action | Action[]} actions
   * @returns {boolean} whether the simulation took it
   */
  act(actions) {
    const store = this.store;
    const driver = this.driver;
    if (!store || !driver) return false;
    const list = Array.isArray(actions) ? actions : [actions];
    const st = store.get();
    if (st.guide && st.nowMs < st.runEndMs && list.every((a) => SETTING_ACTIONS.has(a.type))) return this.keepScript(list, 'now');
    const ok = driver.act(list);
    const undo = driver.lastUndo();
    if (ok && undo) {
      store.set({ notice: { key: 'undo.replaced', params: { n: undo.replaced, t: fmtMs(undo.atMs) }, button: { key: 'undo.button', intent: { intent: 'undo' } }, tone: 'info' } });
    }
    return ok;
  }

  /**
   * Replay the guided scenario with `list` inserted at now (or at time 0), keeping its steps.
   * @param {Action[]} list
   * @param {'now' | 'start'} from
   */
  keepScript(list, from) {
    const store = /** @type {NonNullable<typeof this.store>} */ (this.store);
    const driver = /** @type {NonNullable<typeof this.driver>} */ (this.driver);
    const st = store.get();
    const base = from === 'start' && this._change ? this._change.base : driver.timeline();
    if (!base) return false;
    const at = from === 'start' ? 0 : st.nowMs;
    const actions = [...base.actions.filter((a) => a.atMs <= at), ...list.map((action) => ({ atMs: at, action })), ...base.actions.filter((a) => a.atMs > at)];
    const scenario = { ...base, actions, endMs: Math.max(base.endMs ?? 0, st.runEndMs) };
    const playing = st.playing;
    if (!driver.openScenario(scenario, st.title, { atMs: at, guide: st.guide })) return false;
    if (from === 'now') {
      this._change = { base, list };
      store.set({ notice: { key: 'guide.keptNow', params: { t: fmtMs(at) }, ops: list, button: { key: 'guide.fromStart', intent: { intent: 'replayFromStart' } }, tone: 'info' } });
      if (playing) driver.play();
    } else {
      this._change = null;
      store.set({ notice: { key: 'guide.keptStart', ops: list, tone: 'info' } });
      driver.play();
    }
    return true;
  }

  /**
   * The UI path: everything that is not a simulation action. An intent without a handler
   * throws (a programming error the tests catch).
   * @param {Intent} intent
   */
  ui(intent) {
    const store = this.store;
    const driver = this.driver;
    if (!store || !driver) return;
    const st = store.get();
    const lessons = this.lessons;
    /** @type {{ [K in Intent['intent']]: (i: Extract<Intent, { intent: K }>) => void }} */
    const handlers = {
      togglePlay: () => driver.toggle(),
      play: () => driver.play(),
      pause: () => driver.pause(),
      step: () => driver.step(),
      speed: (i) => driver.setSpeed(i.x),
      skipQuiet: (i) => driver.setSkipQuiet(i.on),
      seek: (i) => {
        if (i.seq !== undefined) store.setUi({ highlightSeq: i.seq });
        driver.pause();
        driver.seek(i.t);
      },
      reset: () => {
        // A guided scenario starts over with its scripted steps; a free run from its first
        // config and seed, without the actions (the button's tooltip says which).
        const g = st.guide ? findScenario(st.guide) : null;
        if (g) driver.openScenario(g.scenario, g.title[st.ui.lang], { guide: g.id });
        else driver.reset();
      },
      newSeed: () => driver.newSeed(),
      applySettings: (i) => {
        const g = st.guide ? findScenario(st.guide) : null;
        if (!g) {
          driver.restart(i.config);
          return;
        }
        // A guided scenario is replayed from the start with the new settings and its steps.
        const base = driver.timeline();
        if (base && driver.openScenario({ ...base, config: i.config }, st.title, { guide: g.id })) {
          store.set({ notice: { key: 'guide.keptSettings', tone: 'info' } });
          driver.play();
        }
      },
      openScenario: (i) => {
        const g = findScenario(i.id);
        if (!g) throw new Error(`unknown scenario: ${i.id}`);
        this._change = null;
        this.lessons?.close();
        if (driver.openScenario(g.scenario, g.title[st.ui.lang], { guide: g.id })) driver.play();
      },
      closeGuide: () => store.set({ guide: null }),
      replayFromStart: () => {
        if (this._change) this.keepScript(this._change.list, 'start');
      },
      undo: () => {
        if (driver.undo()) store.set({ notice: null });
      },
      openMenu: (i) => store.setUi({ menuNode: st.ui.menuNode === i.node ? null : i.node }),
      closeMenu: () => {
        if (st.ui.menuNode !== null) store.setUi({ menuNode: null });
      },
      feedFilter: (i) => store.setUi({ feedFilter: { ...st.ui.feedFilter, [i.cat]: i.on } }),
      tab: (i) => store.setUi({ tab: i.id }),
      showViolation: () => {
        const v = st.feed.find((e) => e.kind === 'violation');
        store.setUi({ tab: 'events', feedFilter: { ...st.ui.feedFilter, fault: true } });
        if (v) {
          store.setUi({ highlightSeq: v.seq });
          driver.pause();
          driver.seek(v.atMs);
        }
      },
      dismissNotice: () => store.set({ notice: null }),
      openLesson: (i) => void lessons?.open(i.id, i.step ?? -1),
      lessonNext: () => lessons?.next(),
      lessonBack: () => lessons?.back(),
      lessonGo: (i) => lessons?.goTo(i.step),
      closeLesson: () => lessons?.close(),
      inspect: (i) => store.setUi({ inspect: i.target }),
      cancelReplay: () => driver.cancelReplay(),
      hoverMessage: (i) => {
        if (st.ui.hoverMsg !== i.id) store.setUi({ hoverMsg: i.id });
      },
      stWindow: (i) => {
        if (!ST_WINDOWS_MS.includes(i.ms)) throw new Error(`space-time window must be one of ${ST_WINDOWS_MS.join(', ')} ms, got ${i.ms}`);
        store.setUi({ stWindowMs: i.ms });
      },
    };
    const fn = /** @type {((i: Intent) => void) | undefined} */ (Object.hasOwn(handlers, intent.intent) ? handlers[intent.intent] : undefined);
    if (!fn) throw new Error(`unknown UI intent: ${JSON.stringify(intent)}`);
    fn(intent);
  }
}

if (!customElements.get('raft-playground')) customElements.define('raft-playground', RaftPlayground);
