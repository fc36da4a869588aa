// @ts-check
// The time bar: play / pause, step, speed (1/1000× to 100×, logarithmic), the time slider that
// scrubs over the whole run, reset, new seed, and the checker light.

import { h, attr, text, fittedBox } from '../dom.js';
import { t, fmtMs } from '../i18n.js';
import { SPEED_MIN, SPEED_MAX } from '../driver.js';

/** While playing, the clock and the time slider are redrawn at most this often (wall ms). */
const TIME_EVERY_MS = 100;

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

/**
 * Speed shown to people: "1/50×" reads better than "0.02×" for slow motion.
 * @param {number} x
 */
export function speedLabel(x) {
  if (x >= 1) return `${x >= 10 ? x.toFixed(0) : x.toFixed(x % 1 ? 1 : 0)}`;
  const inv = Math.round(1 / x);
  return `1/${inv}`;
}

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createControls(root, store, send) {
  const play = h('button', { type: 'button', class: 'primary play', 'data-testid': 'play', onclick: () => send.ui({ intent: 'togglePlay' }) });
  const step = h('button', { type: 'button', 'data-testid': 'step', onclick: () => send.ui({ intent: 'step' }) });
  const speedLabelEl = h('span', { class: 'ctl-label' });
  const speed = /** @type {HTMLInputElement} */ (
    h('input', { type: 'range', min: Math.log10(SPEED_MIN), max: Math.log10(SPEED_MAX), step: 0.05, 'data-testid': 'speed' })
  );
  const speedOut = h('output', { class: 'ctl-value' });
  speed.addEventListener('input', () => send.ui({ intent: 'speed', x: Math.pow(10, Number(speed.value)) }));
  const skip = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-testid': 'skip-quiet' }));
  skip.addEventListener('change', () => send.ui({ intent: 'skipQuiet', on: skip.checked }));
  const skipText = h('span', { class: 'ctl-label' });
  const timeLabel = h('span', { class: 'ctl-label' });
  const time = /** @type {HTMLInputElement} */ (h('input', { type: 'range', min: 0, max: 1, step: 'any', value: 0, class: 'time-slider', 'data-testid': 'time' }));
  // Its thumb is placed by layout: in a box of its own, as the clock, inside a span that takes
  // the slider's place in the row (a flex item is never a relayout boundary; styles.js .time-box).
  const timeFit = fittedBox('time-fit', 'height');
  timeFit.inner.append(time);
  const timeBox = h('span', { class: 'time-box' }, [timeFit.box]);
  // The clock's digits change ten times a second: they sit in a box of their own size, so that
  // a new time lays out that box alone, not the toolbar's row and the page (dom.js fittedBox).
  const clock = fittedBox('time-text', 'both');
  const timeOut = h('output', { class: 'ctl-value time-out', 'data-testid': 'now' }, [clock.box]);
  let scrubbing = false;
  let pendingSeek = /** @type {number | null} */ (null);
  time.addEventListener('pointerdown', () => {
    scrubbing = true;
  });
  time.addEventListener('input', () => {
    // Coalesce drags to one seek per frame: a backward seek replays from a checkpoint.
    if (pendingSeek === null) {
      requestAnimationFrame(() => {
        const v = pendingSeek;
        pendingSeek = null;
        if (v !== null) send.ui({ intent: 'seek', t: v });
      });
    }
    pendingSeek = Number(time.value);
  });
  time.addEventListener('change', () => {
    scrubbing = false;
  });
  const reset = h('button', { type: 'button', 'data-testid': 'reset', onclick: () => send.ui({ intent: 'reset' }) });
  const seedBtn = h('button', { type: 'button', 'data-testid': 'new-seed', onclick: () => send.ui({ intent: 'newSeed' }) });
  const checker = h('button', { type: 'button', class: 'checker', 'data-testid': 'checker', onclick: () => send.ui({ intent: 'showViolation' }) });
  const checkerDot = h('span', { class: 'dot', 'aria-hidden': 'true' });
  const checkerText = h('span', { class: 'checker-text' });
  checker.append(checkerDot, checkerText);

  root.append(
    h('div', { class: 'ctl-group' }, [play, step]),
    h('label', { class: 'ctl-group speed' }, [speedLabelEl, speed, speedOut]),
    h('label', { class: 'ctl-group skip', title: '' }, [skip, skipText]),
    h('label', { class: 'ctl-group time' }, [timeLabel, timeBox, timeOut]),
    h('div', { class: 'ctl-group' }, [reset, seedBtn]),
    checker,
  );

  let lastLang = '';
  /** What the buttons and the speed last showed (the time is redrawn on its own, every frame). */
  let lastKey = '';
  let lastNow = -1;
  let lastEnd = -1;
  let lastTimeWall = 0;

  /**
   * @param {StoreState} st
   */
  function render(st) {
    const lang = st.ui.lang;
    renderTime(st);
    const c = st.sim?.checker;
    const key = `${lang}|${st.playing}|${st.quiet}|${st.speed}|${st.skipQuiet}|${st.guide}|${st.config.seed}|${c ? `${c.ok}:${c.violations?.length}` : ''}`;
    if (key === lastKey) return;
    lastKey = key;
    if (lang !== lastLang) {
      lastLang = lang;
      text(step, `⇥ ${t(lang, 'time.step')}`);
      attr(step, 'title', t(lang, 'time.stepLabel'));
      text(speedLabelEl, t(lang, 'time.speed'));
      text(timeLabel, t(lang, 'time.slider'));
      text(skipText, t(lang, 'time.skipQuiet'));
      attr(skip.parentElement ?? skip, 'title', t(lang, 'time.skipQuietHelp'));
      text(reset, `↺ ${t(lang, 'time.reset')}`);
      text(seedBtn, `⚄ ${t(lang, 'time.newSeed')}`);
    }
    text(play, st.playing ? `❚❚ ${t(lang, 'time.pause')}` : `▶ ${t(lang, 'time.play')}`);
    attr(play, 'title', t(lang, st.playing ? 'time.pauseLabel' : 'time.playLabel'));
    attr(reset, 'title', t(lang, st.guide ? 'time.resetGuided' : 'time.resetLabel'));
    attr(play, 'aria-pressed', st.playing ? 'true' : 'false');
    if (document.activeElement !== speed && !speed.matches(':active')) speed.value = String(Math.log10(st.speed));
    text(speedOut, t(lang, 'time.speedValue', { x: speedLabel(st.speed) }) + (st.playing && st.quiet ? ' ⇉' : ''));
    skip.checked = st.skipQuiet;
    attr(speed, 'aria-valuetext', t(lang, 'time.speedValue', { x: speedLabel(st.speed) }));
    attr(seedBtn, 'title', t(lang, 'time.newSeedLabel', { seed: String(st.config.seed ?? '') }));
    const bad = c && c.ok === false;
    attr(checker, 'data-ok', bad ? '0' : '1');
    text(checkerText, bad ? t(lang, 'checker.bad', { n: c.violations?.length ?? 1 }) : t(lang, 'checker.ok'));
    attr(checker, 'aria-disabled', bad ? 'false' : 'true');
    attr(checker, 'title', t(lang, bad ? 'checker.badHelp' : 'checker.okHelp'));
  }

  /**
   * The slider and the clock: the one part that changes every frame while playing.
   * @param {StoreState} st
   */
  function renderTime(st) {
    const end = Math.max(st.runEndMs, st.nowMs, 1);
    if (st.nowMs === lastNow && end === lastEnd && st.ui.lang === lastLang) return;
    // While playing, the clock and the slider follow at TIME_EVERY_MS: nobody reads digits that
    // change 60 times a second, and each change lays out the toolbar. Paused, every change shows.
    const wall = performance.now();
    if (st.playing && st.ui.lang === lastLang && wall - lastTimeWall < TIME_EVERY_MS) return;
    lastTimeWall = wall;
    lastNow = st.nowMs;
    lastEnd = end;
    attr(time, 'max', end);
    if (!scrubbing) time.value = String(st.nowMs);
    const now = t(st.ui.lang, 'time.now', { t: fmtMs(st.nowMs) });
    attr(time, 'aria-valuetext', now);
    text(clock.inner, now);
  }

  return { render };
}
