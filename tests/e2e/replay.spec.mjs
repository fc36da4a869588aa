// @ts-check
// Issue 12: a share link of the costliest cluster the config allows (9 nodes, 1 ms heartbeats,
// 0 ms latency, 16 clients writing every 1 ms; about 200 characters) once froze the page or
// killed the module. The page now replays a long link within animation frames: it answers
// input meanwhile, shows progress, and Cancel leaves a usable run. Prints what it measured.
import { test, expect } from '@playwright/test';
import { failOnPageErrors, ARTIFACTS } from './helpers.mjs';

failOnPageErrors();

/** Clicks measured while the link replays (and again once idle): enough for a steady p90. */
const CLICKS = 30;

const HOSTILE = { nodes: 9, heartbeatMs: 1, latencyMsMin: 0, latencyMsMax: 0, clients: 16, clientWriteEveryMs: 1 };

/** @param {number} endMs */
function hostileLink(endMs) {
  return 'v1.' + Buffer.from(JSON.stringify({ version: 1, config: HOSTILE, actions: [], endMs })).toString('base64url');
}

/** @param {number[]} xs */
function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

/** @param {import('@playwright/test').Page} page */
function replayState(page) {
  return page.evaluate(() => {
    const st = /** @type {any} */ (window).__raft?.store.get();
    return st ? { replay: st.replay, nowMs: st.nowMs, phase: st.phase, notice: st.notice?.key ?? null } : null;
  });
}

/**
 * Click the language button `n` times and time each answer. Two figures per click: how long
 * the page took to answer, as the page itself measures it (the Event Timing API: from the input
 * event to the next frame painted after its handler ran, the measure behind INP), and the round
 * trip seen from the test (click sent, until the title changed), which adds the test's own
 * messaging to the browser.
 * @param {import('@playwright/test').Page} page
 * @param {number} n
 * @param {() => Promise<void>} [between]
 */
async function timeClicks(page, n, between) {
  const box = await page.getByTestId('lang').boundingBox();
  if (!box) throw new Error('no language button');
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__clicks = [];
    w.__clickObserver?.disconnect();
    // Event Timing reports only events that took 16 ms or more; a click without an entry
    // was answered faster than that.
    w.__clickObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'click') w.__clicks.push(e.duration);
    });
    w.__clickObserver.observe({ type: 'event', durationThreshold: 16 });
  });
  const roundTrips = [];
  for (let i = 0; i < n; i++) {
    const before = await page.locator('raft-playground h1').textContent();
    const t0 = Date.now();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction((prev) => document.querySelector('raft-playground')?.shadowRoot?.querySelector('h1')?.textContent !== prev, before, { polling: 5 });
    roundTrips.push(Date.now() - t0);
    if (between) await between();
    await page.waitForTimeout(100);
  }
  // Entries arrive after the frame that ends them is painted.
  await page.waitForTimeout(300);
  const slow = await page.evaluate(() => /** @type {number[]} */ (/** @type {any} */ (window).__clicks));
  expect(slow.length, 'one Event Timing entry per click at most').toBeLessThanOrEqual(n);
  const answers = [...slow, ...Array(n - slow.length).fill(16)];
  return { answers, roundTrips };
}

/** @param {number} ms as the page writes a time (i18n.js fmtMs) */
const fmtMs = (ms) => (ms >= 10000 ? ms.toFixed(0) : ms.toFixed(1));

for (const endMs of [200_000, 86_400_000]) {
  test(`the hostile link to ${endMs} ms replays in slices: input answered, progress shown, Cancel works`, async ({ page }) => {
    test.setTimeout(150_000);
    const link = hostileLink(endMs);
    expect(link.length).toBeLessThan(250);
    // Warm up (the browser's first page compiles the module and the scripts).
    await page.goto('/?seed=3');
    await page.waitForFunction(() => /** @type {any} */ (window).__raft?.store.get().phase === 'ready');
    await timeClicks(page, 4);
    const opened = Date.now();
    await page.goto(`/#link=${link}`);
    await page.waitForFunction(() => {
      const st = /** @type {any} */ (window).__raft?.store.get();
      return st?.replay && st.nowMs > 0;
    });
    const firstProgressMs = Date.now() - opened;
    const bar = page.getByTestId('replay-progress');
    await expect(bar).toBeVisible();
    await expect(page.getByTestId('replay-label')).toContainText(`${fmtMs(endMs)} ms`);

    // Input while it replays: switch the language back and forth and time each answer.
    /** @type {number[]} */
    const progress = [];
    /** @type {[string, string][]} */
    const shown = [];
    const busy = await timeClicks(page, CLICKS, async () => {
      const st = await replayState(page);
      expect(st?.replay, 'still replaying').not.toBeNull();
      progress.push(st?.nowMs);
      // The bar and the clock beside the time slider say the same time (the run's nowMs).
      shown.push(await page.evaluate(() => {
        const root = /** @type {ShadowRoot} */ (document.querySelector('raft-playground')?.shadowRoot);
        return [root.querySelector('[data-testid="replay-label"]')?.textContent ?? '', root.querySelector('[data-testid="now"]')?.textContent ?? ''];
      }));
    });
    await page.screenshot({ path: `${ARTIFACTS}/replay-${endMs}.png` });
    // Progress moves on.
    expect(progress[progress.length - 1]).toBeGreaterThan(progress[0]);
    for (const [label, clock] of shown) {
      const number = /** @type {string} */ (clock.match(/[\d.]+/)?.[0]);
      expect(label, `the bar says ${label}, the clock ${clock}`).toContain(`${number} `);
    }

    // Cancel: the bar goes, a notice says where the run stays, and the run is usable there.
    const c0 = Date.now();
    await page.getByTestId('replay-cancel').click();
    await expect(bar).toBeHidden();
    const cancelMs = Date.now() - c0;
    const after = await replayState(page);
    expect(after?.notice).toBe('replay.cancelled');
    expect(after?.nowMs).toBeGreaterThan(0);
    const moved = await page.evaluate(() => {
      const r = /** @type {any} */ (window).__raft;
      const t = r.driver.sim.now();
      r.driver.runFor(2);
      return [t, r.driver.sim.now(), r.store.get().nowMs];
    });
    expect(moved[1]).toBeCloseTo(moved[0] + 2, 5);
    expect(moved[2]).toBeCloseTo(moved[1], 5);

    // The same clicks on the same page once nothing replays: what this machine needs anyway.
    const idle = await timeClicks(page, CLICKS);
    const p90 = pct(busy.answers, 0.9);
    const idleP90 = pct(idle.answers, 0.9);
    // Issue 12: the page answers input within 200 ms while it replays, at p90 of 30 clicks as
    // the page measures it. That bound assumes a machine that answers the same click within
    // 100 ms when nothing replays (CI's; a developer's idle one); a machine starved by other
    // work answers slowly either way, and there the replay may at most double the idle p90.
    const bound = Math.max(200, 2 * idleP90);
    console.log(
      `hostile link to ${endMs} ms: while it replays, input answered (Event Timing, input to next paint) in ` +
        `median ${pct(busy.answers, 0.5)} ms, p90 ${p90} ms, max ${Math.max(...busy.answers)} ms over ${CLICKS} clicks ` +
        `(round trip from the test: median ${pct(busy.roundTrips, 0.5)} ms, p90 ${pct(busy.roundTrips, 0.9)} ms); ` +
        `idle page: p90 ${idleP90} ms (round trip p90 ${pct(idle.roundTrips, 0.9)} ms), so the bound is ${bound} ms; ` +
        `first progress after ${firstProgressMs} ms; replayed ${progress[0].toFixed(1)} -> ${progress[progress.length - 1].toFixed(1)} ms ` +
        `of simulated time meanwhile; Cancel answered in ${cancelMs} ms, run left at ${after?.nowMs.toFixed(1)} ms`,
    );
    // (Before the replay was sliced the page gave no answer for over a minute.)
    expect(p90, `input answers (ms): ${busy.answers.join(', ')}; idle: ${idle.answers.join(', ')}`).toBeLessThanOrEqual(bound);
  });
}
