// @ts-check
// Issue 11: "the election starts when the timer ring empties". A follower's ring shrinks towards
// its election deadline; the page must not draw it empty while the node goes on waiting. Raft
// §5.2: a follower that hears nothing for an election timeout starts an election, and the first
// timeout after a server starts counts too (raft-core once began the clock at the first tick, so
// the first candidate appeared at twice the deadline the page drew: 304 ms instead of 152).
import { test, expect } from '@playwright/test';
import { failOnPageErrors, ready } from './helpers.mjs';

failOnPageErrors();

/**
 * Seek to `t` (paused) and read each node's role, election deadline and drawn timer fraction.
 * @param {import('@playwright/test').Page} page
 * @param {number} t
 */
async function at(page, t) {
  return page.evaluate((ms) => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.pause();
    r.driver.seek(ms);
    const st = r.store.get();
    return {
      now: /** @type {number} */ (st.nowMs),
      nodes: st.sim.nodes.map((/** @type {any} */ n) => ({
        id: /** @type {number} */ (n.id),
        role: /** @type {string} */ (n.role),
        deadline: /** @type {number | null} */ (n.electionDeadlineMs ?? null),
        timeout: /** @type {number} */ (n.electionTimeoutMs),
      })),
    };
  }, t);
}

/**
 * The timer fraction the cluster view draws for node `id` (1 = a full ring, 0 = empty), once the
 * view has caught up with the store.
 * @param {import('@playwright/test').Page} page
 * @param {number} id
 */
function drawnFrac(page, id) {
  // The canvas draws the ring; in a still picture the ring's element says the share it drew (no
  // timer, as for a leader or a node down: no share, and no ring drawn).
  return page.locator(`.timer-ring[data-timer="${id}"]`).evaluate((g) => {
    const frac = g.getAttribute('data-frac');
    return frac === null ? NaN : Number.parseFloat(frac);
  });
}

test('the election starts when the timer ring empties: the first follower campaigns at its first deadline, not one timeout later', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  const start = await at(page, 0);
  expect(start.now).toBe(0);
  const followers = start.nodes.filter((n) => n.role === 'follower' && n.deadline !== null);
  expect(followers.length, 'every node starts as a follower with a deadline').toBe(start.nodes.length);
  const first = followers.reduce((a, b) => (/** @type {number} */ (b.deadline) < /** @type {number} */ (a.deadline) ? b : a));
  const deadline = /** @type {number} */ (first.deadline);
  // The deadline is one election timeout after the start (150–300 ms by default).
  expect(deadline).toBe(first.timeout);
  expect(deadline).toBeGreaterThan(0);
  await expect.poll(() => drawnFrac(page, first.id), 'a full ring at the start').toBeGreaterThanOrEqual(0.99);

  // A millisecond before: still a follower, and its ring is all but empty.
  const before = await at(page, deadline - 1);
  expect(before.nodes.map((n) => n.role), 'nobody campaigns before the first deadline').toEqual(before.nodes.map(() => 'follower'));
  await expect.poll(() => drawnFrac(page, first.id)).toBeLessThanOrEqual(0.01);

  // At the deadline the timer fires and the election starts (a pre-vote first, PreVote being on).
  const fired = await at(page, deadline);
  expect(fired.now).toBe(deadline);
  expect(['preCandidate', 'candidate'], `S${first.id} at ${deadline} ms`).toContain(fired.nodes.find((n) => n.id === first.id)?.role);
});
