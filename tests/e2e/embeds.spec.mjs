// @ts-check
// Issue 16: a documentation page embeds several playgrounds (www/embeds.html has six). One that
// is off-screen or in a hidden tab stops its animation loop and costs nothing; it comes back at
// the same simulated moment, still playing. The page's work per frame with all six playing at
// 1× is PRINTED (a figure, not a timed assertion: timings flake on a shared machine); the test
// fails only when the measurement measured nothing, or when a playground out of view still runs.
import { test, expect } from '@playwright/test';
import { ARTIFACTS, failOnPageErrors } from './helpers.mjs';
import { installPacedFrames } from './paced.mjs';

failOnPageErrors();

const EMBEDS = 6;

/** @param {import('@playwright/test').Page} page */
async function allReady(page) {
  await expect(page.locator('raft-playground')).toHaveCount(EMBEDS);
  await page.waitForFunction(
    (n) => {
      const els = /** @type {any[]} */ ([...document.querySelectorAll('raft-playground')]);
      return els.length === n && els.every((el) => el.store?.get().phase === 'ready' && el.readyAtMs > 0);
    },
    EMBEDS,
  );
}

/**
 * Each playground's simulated time and whether it is playing.
 * @param {import('@playwright/test').Page} page
 * @returns {Promise<{ nowMs: number, playing: boolean, frames: number }[]>}
 */
function clocks(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('raft-playground')].map((el) => {
      const e = /** @type {any} */ (el);
      return { nowMs: e.store.get().nowMs, playing: e.store.get().playing, frames: e.driver.perf().frames };
    }),
  );
}

/**
 * Frames at a fixed pace, whatever the machine's load (paced.mjs).
 * @param {import('@playwright/test').Page} page
 */
async function pacedFrames(page) {
  await page.addInitScript(installPacedFrames);
}

/**
 * Play every playground at `speed` and measure the page's main-thread work per frame over 120
 * paced frames (see pacedFrames): Chromium's own counters (CDP Performance.getMetrics: the main
 * thread's CPU time, which covers script, wasm, style, layout and paint) divided by the frames.
 * @param {import('@playwright/test').Page} page
 * @param {number} speed
 */
async function workPerFrame(page, speed) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const frames = 120;
  await page.evaluate(async (x) => {
    const w = /** @type {any} */ (window);
    w.__paced.wall = performance.now();
    w.__paced.on = true;
    for (const el of document.querySelectorAll('raft-playground')) {
      el.setAttribute('speed', String(x));
      /** @type {any} */ (el).driver.play();
    }
    // Settle: the first frames build the pictures.
    for (let i = 0; i < 30; i++) await w.__tick();
    for (const el of document.querySelectorAll('raft-playground')) /** @type {any} */ (el).driver.perfReset();
  }, speed);
  /** @param {any} r */
  const metrics = (r) => Object.fromEntries(r.metrics.map((/** @type {any} */ m) => [m.name, m.value]));
  const m0 = metrics(await cdp.send('Performance.getMetrics'));
  const wall0 = Date.now();
  await page.evaluate(async (n) => {
    for (let i = 0; i < n; i++) await /** @type {any} */ (window).__tick();
  }, frames);
  const m1 = metrics(await cdp.send('Performance.getMetrics'));
  const wallMs = Date.now() - wall0;
  const drivers = await page.evaluate(() => {
    /** @type {any} */ (window).__unpace();
    // The drivers' own counters: JS + wasm inside their frame callbacks.
    return [...document.querySelectorAll('raft-playground')].map((el) => /** @type {any} */ (el).driver.perf());
  });
  await cdp.detach();
  /** @param {string} k */
  const per = (k) => ((m1[k] - m0[k]) * 1000) / frames;
  const running = drivers.filter((/** @type {any} */ d) => d.window > 0);
  return {
    frames,
    fps: (frames * 1000) / wallMs,
    // CPU time of the main thread: what the page costs, even when a loaded machine stretches
    // the wall-clock time of its tasks.
    cpuMs: per('ThreadTime'),
    taskMs: per('TaskDuration'),
    styleMs: per('RecalcStyleDuration'),
    layoutMs: per('LayoutDuration'),
    driverMs: running.reduce((/** @type {number} */ a, /** @type {any} */ d) => a + d.workMsAvg * (d.window / frames), 0),
    running: running.length,
    // How often the picture was drawn (the costly frames): at 1x every second frame (30 Hz).
    draws: running.reduce((/** @type {number} */ a, /** @type {any} */ d) => a + d.draws, 0) / Math.max(1, running.length),
  };
}

/** @param {string} what @param {Awaited<ReturnType<typeof workPerFrame>>} w */
function report(what, w) {
  console.log(
    `6 embeds at 1x, ${what}: main-thread work per frame ${w.cpuMs.toFixed(2)} ms of CPU ` +
      `(tasks ${w.taskMs.toFixed(2)} ms of wall time, of which style ${w.styleMs.toFixed(2)}, layout ${w.layoutMs.toFixed(2)}); ` +
      `the drivers' frame callbacks ${w.driverMs.toFixed(2)} ms; ${w.running} drew frames, each the picture in ${w.draws.toFixed(0)} of them; ${w.frames} frames paced at 60 fps (${w.fps.toFixed(0)} per wall second)`,
  );
}

test('six embeds playing at 1x: work per frame with all six in view, and as a reader scrolls', async ({ page }) => {
  test.setTimeout(240_000);
  // Tall enough that all six are in view at once: the worst case.
  await pacedFrames(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/embeds.html');
  await allReady(page);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.min(height + 20, 8000) });
  const inView = await page.evaluate(() => [...document.querySelectorAll('raft-playground')].filter((el) => el.getBoundingClientRect().bottom <= innerHeight).length);
  expect(inView, 'all six fit in the tall viewport').toBe(EMBEDS);
  const all = await workPerFrame(page, 1);
  report('all 6 in view', all);
  // The counters exist and measured real work, with every playground drawing.
  expect(all.frames).toBeGreaterThan(30);
  expect(all.cpuMs).toBeGreaterThan(0);
  expect(all.running).toBe(EMBEDS);
  // At 1x the picture is drawn in every second frame (30 Hz), whatever the rounding of the
  // frames' timestamps (driver.js REFRESH_SLACK_MS); more often only if a frame's work was capped.
  expect(all.draws, 'the picture drawn at 30 Hz').toBeGreaterThanOrEqual(all.frames / 2);

  // The parts that change as they play sit in boxes of a size written by script (dom.js
  // fittedBox): after playing, each box is exactly as big as what it holds, as without the box.
  const misfits = await page.evaluate(() =>
    [...document.querySelectorAll('raft-playground')].flatMap((el) =>
      [...(el.shadowRoot?.querySelectorAll('.fit-box') ?? [])].flatMap((box) => {
        const inner = /** @type {HTMLElement} */ (box.firstElementChild);
        if (!inner.getClientRects().length) return [];
        const a = box.getBoundingClientRect();
        const b = inner.getBoundingClientRect();
        const fits = Math.abs(a.height - b.height) < 0.02 && (box.getAttribute('data-fit') !== 'both' || Math.abs(a.width - b.width) < 0.02);
        return fits ? [] : [`${box.className}: box ${a.width}x${a.height}, content ${b.width}x${b.height}`];
      }),
    ),
  );
  expect(misfits).toEqual([]);
  const boxes = await page.evaluate(() => [...document.querySelectorAll('raft-playground')].reduce((n, el) => n + (el.shadowRoot?.querySelectorAll('.fit-box').length ?? 0), 0));
  expect(boxes, 'every playground has its fitted boxes').toBeGreaterThanOrEqual(EMBEDS * 2);

  // A reader's window: the first one or two in view, the rest below.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => scrollTo(0, 0));
  await page.waitForTimeout(300);
  const reader = await workPerFrame(page, 1);
  report('a 1280x800 window at the top of the page', reader);
  expect(reader.frames).toBeGreaterThan(30);
  expect(reader.running).toBeLessThan(EMBEDS);
});

test('a playground out of view stops, and comes back at the same simulated moment, still playing', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/embeds.html');
  await allReady(page);
  const last = page.locator('raft-playground').last();
  await last.scrollIntoViewIfNeeded();
  const i = EMBEDS - 1;
  await expect.poll(async () => (await clocks(page))[i].nowMs).toBeGreaterThan(0);
  // Scroll it away: its loop stops, its clock stands still, and it still counts as playing.
  await page.evaluate(() => scrollTo(0, 0));
  await page.waitForTimeout(200);
  const away = (await clocks(page))[i];
  await page.waitForTimeout(1000);
  const still = (await clocks(page))[i];
  expect(still.nowMs, 'no simulated time passes out of view').toBe(away.nowMs);
  expect(still.frames, 'no animation frames out of view').toBe(away.frames);
  expect(still.playing).toBe(true);
  // The first playground, in view, went on meanwhile.
  expect((await clocks(page))[0].nowMs).toBeGreaterThan(0);
  // Back in view: it goes on from where it was.
  await last.scrollIntoViewIfNeeded();
  await expect.poll(async () => (await clocks(page))[i].nowMs).toBeGreaterThan(still.nowMs);
  expect((await clocks(page))[i].playing).toBe(true);
});

test('a playground in a hidden tab stops, and goes on from the same moment when the tab is shown', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/embeds.html');
  await allReady(page);
  await expect.poll(async () => (await clocks(page))[0].nowMs).toBeGreaterThan(0);
  /** Tell the page its tab is hidden or shown, as the browser does. */
  const setHidden = (/** @type {boolean} */ hidden) =>
    page.evaluate((h) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  await setHidden(true);
  await page.waitForTimeout(100);
  const away = (await clocks(page))[0];
  await page.waitForTimeout(1000);
  const still = (await clocks(page))[0];
  expect(still.nowMs).toBe(away.nowMs);
  expect(still.frames).toBe(away.frames);
  expect(still.playing).toBe(true);
  // Shown again, at 1x (where a jump for the second away would be plain to see): the first
  // frame back measures no gap, so it runs no simulated time; after it the run follows the
  // frames' clock (every callback of a frame gets the same timestamp).
  const resumed = await page.evaluate(async () => {
    const el = /** @type {any} */ (document.querySelector('raft-playground'));
    el.driver.setSpeed(1);
    const start = el.store.get().nowMs;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
    /** @type {{ wall: number, nowMs: number }[]} */
    const frames = [];
    await new Promise((done) => {
      const tick = (/** @type {number} */ wall) => {
        frames.push({ wall, nowMs: el.driver.sim.now() });
        if (frames.length < 4) requestAnimationFrame(tick);
        else done(null);
      };
      requestAnimationFrame(tick);
    });
    return { start, frames, playing: el.store.get().playing };
  });
  expect(resumed.playing).toBe(true);
  expect(resumed.frames[0].nowMs, 'no simulated time for the time away').toBe(resumed.start);
  for (let k = 1; k < resumed.frames.length; k++) {
    const wall = resumed.frames[k].wall - resumed.frames[0].wall;
    // Never ahead of the frames' clock since the first frame back (less when a loaded machine
    // caps the work of a frame). At 1x the picture is drawn every second frame, and a frame
    // between two pictures leaves its time to the next one (driver.js frame()).
    expect(resumed.frames[k].nowMs - resumed.frames[0].nowMs).toBeLessThanOrEqual(Math.min(wall, 100 * k) + 1e-6);
  }
  expect(resumed.frames[3].nowMs).toBeGreaterThan(resumed.start);
});

for (const [w, h] of [
  [1280, 800],
  [375, 812],
]) {
  for (const lang of ['en', 'zh']) {
    test(`screenshot of the embed demo page at ${w}x${h} (${lang})`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await page.goto(`/embeds.html${lang === 'zh' ? '?lang=zh' : ''}`);
      await allReady(page);
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${ARTIFACTS}/embeds-${w}x${h}-${lang}.png` });
      await page.screenshot({ path: `${ARTIFACTS}/embeds-${w}x${h}-${lang}-full.png`, fullPage: true });
      // One with controls, scrolled into view (so it has played a little).
      await page.locator('raft-playground').nth(1).scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${ARTIFACTS}/embeds-${w}x${h}-${lang}-second.png` });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
}
