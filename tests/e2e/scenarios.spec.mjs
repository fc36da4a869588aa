// @ts-check
// The guided scenarios: picked from the header, each opens at time 0, plays its recorded actions
// as time passes, and shows the thing its text promises (checked here in the event feed).
import { test, expect } from '@playwright/test';
import { failOnPageErrors } from './helpers.mjs';

failOnPageErrors();

/** What each scenario must show: an event kind (and text) in the feed, and the checker verdict. */
const EXPECT = [
  { id: 'prevote', kind: 'roleChanged', text: 'S2 became Follower in term 1', ok: true },
  { id: 'no-prevote', kind: 'roleChanged', text: 'S3 became Follower', ok: true },
  { id: 'repair', kind: 'nextIndexMoved', text: 'follower’s hint', ok: true },
  { id: 'snapshot', kind: 'snapshotInstalled', text: 'S5 installed the leader’s snapshot', ok: true },
  { id: 'transfer', kind: 'transferStarted', text: 'handing leadership to S5', ok: true },
  { id: 'joint', kind: 'confChanged', text: 'joint consensus', ok: true },
  { id: 'read-index', kind: 'clientCompleted', text: 'Client 2: get k → "new" (served by S2)', ok: true },
  { id: 'bug-stale-read', kind: 'violation', text: 'Safety violation', ok: false },
  { id: 'bug-vote', kind: 'violation', text: 'leader completeness', ok: false },
  { id: 'lease-clock-skew', kind: 'violation', text: 'linearizability', ok: false },
];

test('every guided scenario shows what its text promises', async ({ page }) => {
  await page.goto('/');
  await page.waitForFunction(() => /** @type {any} */ (window).__raft?.store.get().phase === 'ready');
  for (const e of EXPECT) {
    await page.locator('[data-testid="scenario-picker"]').selectOption(e.id);
    await expect(page.locator('[data-testid="guide"]')).toBeVisible();
    const st = await page.evaluate(() => {
      const r = /** @type {any} */ (window).__raft;
      r.driver.pause();
      return { now: r.store.get().nowMs, end: r.store.get().runEndMs };
    });
    // It opened at time 0 and plays from there (a few frames may have run already).
    expect(st.now, e.id).toBeLessThan(st.end / 3);
    expect(st.end, e.id).toBeGreaterThan(1000);
    await page.evaluate((end) => /** @type {any} */ (window).__raft.driver.runFor(end), st.end);
    await expect(page.locator(`.feed-item[data-kind="${e.kind}"]`).filter({ hasText: e.text }).first(), e.id).toBeVisible();
    await expect(page.locator('[data-testid="checker"]'), e.id).toHaveAttribute('data-ok', e.ok ? '1' : '0');
  }
});

test('?scenario= opens a guided scenario in Chinese', async ({ page }) => {
  await page.goto('/?lang=zh&scenario=transfer');
  await page.waitForFunction(() => /** @type {any} */ (window).__raft?.store.get().guide === 'transfer');
  await expect(page.locator('[data-testid="guide"] .guide-title')).toHaveText('领导权转移');
  await expect(page.locator('[data-testid="scenario-title"]')).toHaveText('领导权转移');
});
