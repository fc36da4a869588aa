// @ts-check
// Nothing drawn on top of text a learner needs to read: the docs' Copy buttons and the log
// view's orange nextIndex notes, at a desktop and a phone width. Screenshots of both for review.
import { test, expect } from '@playwright/test';
import { ARTIFACTS, failOnPageErrors, ready } from './helpers.mjs';

failOnPageErrors();

/** @typedef {{ left: number, top: number, right: number, bottom: number }} Box */

for (const width of [1280, 375]) {
  test(`docs.html at ${width} px: the Copy buttons cover none of the snippet's text`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/docs.html');
    await expect(page.locator('#snippet-element')).toContainText('<raft-playground');
    const hits = await page.evaluate(() => {
      /** @type {string[]} */
      const out = [];
      for (const button of document.querySelectorAll('.snippet button')) {
        const b = button.getBoundingClientRect();
        const code = /** @type {HTMLElement} */ (button.parentElement?.querySelector('code'));
        const range = document.createRange();
        range.selectNodeContents(code);
        for (const r of range.getClientRects()) {
          if (r.width === 0) continue;
          const overlap = r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
          if (overlap) out.push(`${code.id}: text at ${Math.round(r.left)},${Math.round(r.top)} under the button`);
        }
      }
      return out;
    });
    expect(hits).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/docs-${width}.png` });
  });
}

/**
 * Open the repair story with 9 nodes and stop at S1's first repair (a follower in this run) after its restart.
 * @param {import('@playwright/test').Page} page
 */
async function toRepair(page) {
  await page.goto('/index.html?nodes=9');
  await ready(page);
  return page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.openScenario({
      version: 1,
      config: { nodes: 9, seed: 1, clientWriteEveryMs: 40 },
      actions: [
        { atMs: 600, action: { type: 'crash', node: 1 } },
        { atMs: 2000, action: { type: 'restart', node: 1 } },
      ],
      endMs: 2800,
    });
    r.driver.pause();
    /** @type {number[]} */
    const routine = [];
    for (let t = 0; t < 3000; t += 2) {
      r.driver.runFor(2);
      const st = r.store.get();
      for (const e of st.effects) if (e.kind === 'nextIndex' && e.data.reason?.type === 'acked') routine.push(e.atMs);
      if (st.effects.some((/** @type {any} */ e) => e.kind === 'nextIndex' && e.data.peer === 1 && e.atMs > 2000 && e.data.reason?.type !== 'acked')) {
        return { nowMs: st.nowMs, routine: routine.length };
      }
    }
    return null;
  });
}

for (const width of [1280, 375]) {
  test(`log view with 9 nodes at ${width} px: repair notes cover no row, routine acks get none`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    const at = await toRepair(page);
    expect(at, 'S1 is repaired after its restart').not.toBeNull();
    expect(at?.routine, 'acks moved nextIndex meanwhile').toBeGreaterThan(0);
    const panel = page.locator('.log-panel');
    // Exactly one note, for S1, naming the real reason of the jump: back to one past the index
    // the follower matched.
    const note = /^S1: .*nextIndex (\d+)→(\d+) \(back to match (\d+)\)$/;
    await expect(panel.locator('.log-notes li')).toHaveText([note]);
    const [, from, to, match] = (/** @type {RegExpMatchArray} */ ((await panel.locator('.log-notes li').innerText()).match(note))).map(Number);
    expect(to, 'nextIndex goes to one past the match').toBe(match + 1);
    expect(from).toBeGreaterThan(to);
    await expect(panel.locator('.log-row.noted')).toHaveCount(1);
    await expect(panel.locator('.log-row.noted')).toHaveAttribute('data-node', '1');
    // Nothing the grid draws lies under any note.
    const overlaps = await panel.evaluate((root) => {
      const boxes = [...root.querySelectorAll('.log-notes li')].map((li) => li.getBoundingClientRect());
      /** @type {string[]} */
      const out = [];
      for (const el of root.querySelectorAll('.log-svg rect, .log-svg path, .log-svg text, .log-svg circle')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        for (const b of boxes) {
          if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom) out.push(el.getAttribute('class') ?? el.tagName);
        }
      }
      return out;
    });
    expect(overlaps).toEqual([]);
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: `${ARTIFACTS}/log-9-nodes-${width}.png` });
  });
}
