// @ts-check
// <raft-playground>: the whole playground as one custom element, usable with a single
//   <script type="module" src=".../lib/raft-playground.js"></script>
// Attributes: nodes, seed, link, controls (full | minimal | none), autoplay, speed, lang (en | zh),
// height (any CSS length), theme (light | dark), share-hash (read the run from location.hash),
// wasm-url (where raft_wasm_bg.wasm is, when a page hosts it apart from the library).
// It wires the one-way flow: driver -> store -> views, and routes the views' intents.

import { h, text, attr } from './dom.js';
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
import { createStatePanel } from './views/state-panel.js';
import { createFaultsPanel } from './views/faults-panel.js';
import { createSettingsPanel } from './views/settings-panel.js';
import { createSharePanel } from './views/share-panel.js';
import { createLegend } from './views/legend.js';
import { createGuide } from './views/guide.js';
import { findScenario } from './scenarios.js';

const TABS = ['events', 'client', 'faults', 'settings', 'share'];
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
    /** @type {(() => void) | null} */
    this._onHash = null;
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
    const speed = num(this.getAttribute('speed'));
    if (speed !== undefined && speed > 0) driver.setSpeed(speed);
    else store.set({ speed: DEFAULT_SPEED });

    // ---- DOM skeleton -------------------------------------------------------------------------
    const style = h('style', { text: CSS });
    const app = h('div', { class: 'app', part: 'app' });
    const h1 = h('h1');
    const tagline = h('span', { class: 'tagline' });
    const scenarioTitle = h('span', { class: 'scenario-title', 'data-testid': 'scenario-title' });
    const langBtn = h('button', { type: 'button', 'data-testid': 'lang', onclick: () => this.setLang(store.get().ui.lang === 'zh' ? 'en' : 'zh') });
    const themeBtn = h('button', { type: 'button', 'data-testid': 'theme', onclick: () => store.setUi({ theme: store.get().ui.theme === 'dark' ? 'light' : 'dark' }) });
    const picker = h('span', { class: 'picker' });
    const top = h('div', { class: 'top' }, [h1, tagline, scenarioTitle, h('span', { class: 'spacer' }), picker, langBtn, themeBtn]);
    const noticeText = h('p');
    const noticeBtn = h('button', { type: 'button', onclick: () => store.set({ notice: null }) });
    const notice = h('div', { class: 'notice', role: 'alert', hidden: true, 'data-testid': 'notice' }, [noticeText, noticeBtn]);
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
        onclick: () => store.setUi({ tab: id }),
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
    app.append(h('header', { class: 'chrome' }, [top, notice, toolbar]), body);
    root.replaceChildren(style, app);

    // ---- Views ----------------------------------------------------------------------------------
    const dispatch = (/** @type {Record<string, any>} */ intent) => this.dispatch(intent);
    const views = [
      createControls(toolbar, store, dispatch),
      createClusterView(clusterBox, store, dispatch),
      createNodeMenu(clusterBox, store, dispatch),
      createLegend(clusterPanel),
      createLogView(logPanel, store),
      createEventFeed(panels.events, store, dispatch),
      createStatePanel(panels.client, store, dispatch),
      createFaultsPanel(panels.faults, store, dispatch),
      createSettingsPanel(panels.settings, store, dispatch),
      createSharePanel(panels.share, store, { link: () => driver.link(), pageUrl: () => this.pageUrl() }),
    ];
    // The caption lives under the cluster; move it below the SVG box, the guide box after it.
    const caption = clusterBox.querySelector('.caption');
    if (caption) clusterBox.after(caption);
    const guideBox = h('div');
    (caption ?? clusterBox).after(guideBox);
    views.push(createGuide(picker, guideBox, store, dispatch));

    let lastLang = '';
    const renderChrome = (/** @type {import('./store.js').StoreState} */ st) => {
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
        for (const id of TABS) text(tabBtns[id], t(l, `tab.${id}`));
      }
      themeBtn.replaceChildren(h('span', { 'aria-hidden': 'true', text: st.ui.theme === 'dark' ? '☀' : '☾' }));
      attr(themeBtn, 'aria-label', t(l, st.ui.theme === 'dark' ? 'theme.toLight' : 'theme.toDark'));
      text(scenarioTitle, st.title);
      const allowed = st.ui.controls === 'full' ? TABS : MINIMAL_TABS;
      const tab = allowed.includes(st.ui.tab) ? st.ui.tab : allowed[0];
      for (const id of TABS) {
        tabBtns[id].hidden = !allowed.includes(id);
        attr(tabBtns[id], 'aria-selected', id === tab ? 'true' : 'false');
        attr(tabBtns[id], 'tabindex', id === tab ? '0' : '-1');
        panels[id].hidden = id !== tab;
      }
      if (st.notice) {
        notice.hidden = false;
        text(noticeText, t(l, st.notice.key, st.notice.params));
      } else notice.hidden = true;
      if (st.phase === 'error') {
        notice.hidden = false;
        text(noticeText, t(l, 'app.loadFailed', { detail: st.error ?? '' }));
      }
    };
    const viewNames = ['controls', 'cluster', 'menu', 'legend', 'log', 'feed', 'state', 'faults', 'settings', 'share', 'guide'];
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
        if (e.key === 'Escape' && store.get().ui.menuNode !== null) store.setUi({ menuNode: null });
        return;
      }
      if (e.key === ' ' || e.key === 'k') {
        e.preventDefault();
        driver.toggle();
      } else if (e.key === '.' || e.key === 'n') {
        e.preventDefault();
        driver.step();
      } else if (e.key === 'Escape') {
        store.setUi({ menuNode: null });
      }
    });
    // Clicking outside the node menu closes it.
    app.addEventListener('pointerdown', (e) => {
      if (store.get().ui.menuNode === null) return;
      const path = e.composedPath();
      if (!path.some((n) => n instanceof Element && (n.classList.contains('node-menu') || n.classList.contains('node')))) store.setUi({ menuNode: null });
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

    this.applyHeight();
    // Expose the first playground on the page for tests and the console.
    const w = /** @type {any} */ (window);
    if (!w.__raft) {
      w.__raft = { store, driver, element: this };
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
    const guided = !link ? findScenario(this.getAttribute('scenario') ?? new URLSearchParams(location.search).get('scenario') ?? '') : null;
    await driver.start({ config, link, title, autoplay: autoplay && !guided });
    if (guided) {
      this.dispatch({ type: 'scenario', id: guided.id });
      if (!autoplay) driver.pause();
    }
    /** Milliseconds from navigation start until the first run was drawn (reported by tests). */
    this.readyAtMs = performance.now();
    this.dispatchEvent(new CustomEvent('raft-ready', { bubbles: true, composed: true }));
  }

  disconnectedCallback() {
    this._unsub?.();
    if (this._onHash) window.removeEventListener('hashchange', this._onHash);
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
   * Route an intent from a view: simulation intents to the driver, UI intents to the store.
   * @param {Record<string, any>} intent
   */
  dispatch(intent) {
    const store = this.store;
    const driver = this.driver;
    if (!store || !driver) return;
    const st = store.get();
    switch (intent.type) {
      case 'toggle':
        return driver.toggle();
      case 'play':
        return driver.play();
      case 'pause':
        return driver.pause();
      case 'step':
        return driver.step();
      case 'speed':
        return driver.setSpeed(intent.x);
      case 'skipQuiet':
        return driver.setSkipQuiet(intent.on);
      case 'seek':
        if (intent.seq !== undefined) store.setUi({ highlightSeq: intent.seq });
        driver.pause();
        return driver.seek(intent.t);
      case 'reset':
        return driver.reset();
      case 'newSeed':
        return driver.newSeed();
      case 'restart':
        return driver.restart(intent.config);
      case 'scenario': {
        const g = findScenario(intent.id);
        if (g && driver.openScenario(g.scenario, g.title[st.ui.lang])) {
          store.set({ guide: g.id });
          driver.play();
        }
        return;
      }
      case 'openMenu':
        return store.setUi({ menuNode: st.ui.menuNode === intent.node ? null : intent.node });
      case 'toggleEdge':
        driver.act({ type: 'setLink', from: intent.a, to: intent.b, up: intent.up });
        driver.act({ type: 'setLink', from: intent.b, to: intent.a, up: intent.up });
        return;
      case 'isolate': {
        const ids = (st.sim?.nodes ?? []).map((/** @type {any} */ n) => n.id);
        driver.act({ type: 'partition', groups: [[intent.node], ids.filter((/** @type {number} */ x) => x !== intent.node)] });
        return;
      }
      case 'allLinks': {
        const { type: _t, ...opts } = intent;
        const setting = {};
        if (opts.latencyMsMin !== undefined) Object.assign(setting, { latencyMsMin: opts.latencyMsMin, latencyMsMax: opts.latencyMsMax });
        if (opts.lossPct !== undefined) Object.assign(setting, { lossPct: opts.lossPct });
        if (opts.dupPct !== undefined) Object.assign(setting, { dupPct: opts.dupPct });
        // One recorded action for the whole cluster, so a share link grows by one action per
        // slider move rather than by one per link (72 at 9 nodes).
        if (!driver.act({ type: 'setAllLinks', ...setting })) return;
        store.set({ config: { ...store.get().config, ...setting } });
        return;
      }
      case 'setToggle':
        if (driver.act(intent)) store.set({ config: { ...store.get().config, [intent.name]: intent.on } });
        return;
      case 'setReadMode':
        if (driver.act(intent)) store.set({ config: { ...store.get().config, readMode: intent.mode } });
        return;
      case 'setBug':
        if (driver.act(intent)) {
          const bugs = new Set(store.get().config.bugs ?? []);
          if (intent.on) bugs.add(intent.name);
          else bugs.delete(intent.name);
          store.set({ config: { ...store.get().config, bugs: [...bugs] } });
        }
        return;
      case 'showViolation': {
        const v = [...st.feed].find((e) => e.kind === 'violation');
        store.setUi({ tab: 'events', feedFilter: { ...st.ui.feedFilter, fault: true } });
        if (v) {
          store.setUi({ highlightSeq: v.seq });
          driver.pause();
          driver.seek(v.atMs);
        }
        return;
      }
      default:
        driver.act(intent);
    }
  }
}

if (!customElements.get('raft-playground')) customElements.define('raft-playground', RaftPlayground);
