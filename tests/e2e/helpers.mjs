// @ts-check
// What every e2e spec shares: console errors fail the test, and the page is driven through the
// state it exposes as window.__raft (ready, run paused, wait for a leader). Not a spec itself
// (playwright.config.mjs only picks up *.spec.mjs).
import { test, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = 'tests/e2e/artifacts';
mkdirSync(ARTIFACTS, { recursive: true });

/**
 * Console errors, page errors and dialogs of each test in the calling spec fail that test. The
 * returned holder's `errors` is the current test's list, for specs that add to it (a second
 * page) or forgive an expected error.
 */
export function failOnPageErrors() {
  const seen = { errors: /** @type {string[]} */ ([]) };
  test.beforeEach(async ({ page }) => {
    seen.errors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') seen.errors.push(m.text());
    });
    page.on('pageerror', (e) => seen.errors.push(String(e)));
    page.on('dialog', (d) => {
      seen.errors.push(`unexpected dialog: ${d.message()}`);
      d.dismiss();
    });
  });
  test.afterEach(async () => {
    expect(seen.errors, 'console errors').toEqual([]);
  });
  return seen;
}

/** @param {import('@playwright/test').Page} page */
export async function ready(page) {
  // A long share link is replayed in slices after the page is ready; wait for it to finish.
  await page.waitForFunction(() => { const st = /** @type {any} */ (window).__raft?.store.get(); return st?.phase === 'ready' && !st.replay; });
}

/**
 * Pause and start the run over from time 0 (same seed and settings), so that what a test does next
 * happens at fixed simulated times. The page plays from load until a test first pauses it, and how
 * far it got depends on the machine's load; a test whose outcome depends on the schedule (who is
 * leader when, which node times out first) starts here instead.
 * @param {import('@playwright/test').Page} page
 */
export async function fromZeroPaused(page) {
  const now = await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.pause();
    r.driver.reset();
    r.driver.pause();
    return r.store.get().nowMs;
  });
  if (now !== 0) throw new Error(`reset left the run at ${now} ms, not 0`);
}

/**
 * Pause and run `ms` of simulated time at once.
 * @param {import('@playwright/test').Page} page
 * @param {number} ms
 */
export async function run(page, ms) {
  await page.evaluate((x) => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.pause();
    r.driver.runFor(x);
  }, ms);
}

/**
 * Pause, run until some up node is leader (at most `limitMs` simulated), return { id, term } of
 * the one in the highest term, or null.
 * @param {import('@playwright/test').Page} page
 */
export async function waitLeader(page, limitMs = 5000) {
  return page.evaluate((limit) => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.pause();
    for (let t = 0; t <= limit; t += 50) {
      const nodes = r.store.get().sim.nodes;
      const leaders = nodes.filter((/** @type {any} */ n) => n.role === 'leader' && n.status === 'up').sort((/** @type {any} */ a, /** @type {any} */ b) => b.term - a.term);
      if (leaders.length) return { id: /** @type {number} */ (leaders[0].id), term: /** @type {number} */ (leaders[0].term) };
      r.driver.runFor(50);
    }
    return null;
  }, limitMs);
}
