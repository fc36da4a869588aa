// @ts-check
// Manual delivery (issue 15): the learner plays the network. Switched on in Settings, the messages
// that have crossed the network wait in a list under the cluster; Deliver, Drop and Duplicate act
// on one (by mouse, or by keys: Enter, Delete, D); every choice is a recorded action, so a share
// link replays the run exactly.
import { test, expect } from '@playwright/test';
import { failOnPageErrors, ready } from './helpers.mjs';

failOnPageErrors();

/**
 * A 3-server cluster without PreVote (so vote requests are real votes), paused at time 0.
 * @param {import('@playwright/test').Page} page
 */
async function smallCluster(page) {
  await page.goto('/?seed=7');
  await ready(page);
  await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.pause();
    r.driver.restart({ nodes: 3, seed: 11, preVote: false });
    r.driver.pause();
  });
}

/**
 * S1 campaigns now, and 40 ms pass: its two vote requests have arrived and wait.
 * @param {import('@playwright/test').Page} page
 */
async function campaign(page) {
  await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.act({ type: 'timeout', node: 1 });
    r.driver.runFor(40);
  });
}

/** @param {import('@playwright/test').Page} page */
function simState(page) {
  return page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    const st = r.driver.sim.state();
    return {
      nowMs: st.nowMs,
      nodes: st.nodes.map((/** @type {any} */ n) => ({ id: n.id, role: n.role, term: n.term, votedFor: n.votedFor ?? null })),
      inFlight: st.inFlight.map((/** @type {any} */ m) => ({ id: m.id, type: m.type, from: m.from, to: m.to, waiting: m.waiting })),
      actions: r.driver.sim.scenario().actions.map((/** @type {any} */ a) => a.action),
    };
  });
}

/** The focused element inside the playground's shadow root, as `role|data-id`. */
/** @param {import('@playwright/test').Page} page */
function focused(page) {
  return page.evaluate(() => {
    const el = /** @type {any} */ (document.querySelector('raft-playground'))?.shadowRoot?.activeElement;
    return el ? `${el.getAttribute('role')}|${el.getAttribute('data-id')}` : '';
  });
}

test('in Settings, manual delivery lists the waiting messages; Deliver, Drop and Duplicate change the run', async ({ page }) => {
  await smallCluster(page);
  const panel = page.getByTestId('pending-panel');
  await expect(panel).toBeHidden();
  await page.locator('[data-tab="settings"]').click();
  await page.getByTestId('delivery-manual').check();
  await expect(panel).toBeVisible();
  expect((await simState(page)).actions).toEqual([{ type: 'setDelivery', mode: 'manual' }]);
  await campaign(page);

  const rows = panel.locator('li[role="option"][data-waiting="1"][data-type="vote"]');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('pending-keys')).toContainText('Enter');
  const before = await simState(page);
  const votes = before.inFlight.filter((m) => m.type === 'vote');
  expect(votes.every((m) => m.waiting)).toBe(true);
  // Nothing arrives by itself: 100 more ms (still before any other timer fires) and the requests still wait, unanswered.
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.runFor(100));
  expect((await simState(page)).nodes.map((n) => n.votedFor)).toEqual([1, null, null]);

  // Deliver the request to S2 with the mouse: pick its row, press Deliver.
  const toS2 = /** @type {{ id: number, to: number }} */ (votes.find((m) => m.to === 2));
  await panel.locator(`li[data-id="${toS2.id}"]`).click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-id', String(toS2.id));
  await page.getByTestId('pending-deliver').click();
  let now = await simState(page);
  expect(now.nodes.find((n) => n.id === 2)?.votedFor).toBe(1);
  expect(now.inFlight.some((m) => m.id === toS2.id)).toBe(false);
  const answer = /** @type {{ id: number }} */ (now.inFlight.find((m) => m.type === 'voteResp' && m.from === 2));
  expect(answer).toBeTruthy();
  await expect(panel.locator(`li[data-id="${toS2.id}"]`)).toHaveCount(0);

  // Duplicate the answer: a copy with the next id appears; deliver both, S1 leads.
  await panel.locator(`li[data-id="${answer.id}"]`).click();
  await page.getByTestId('pending-duplicate').click();
  now = await simState(page);
  const copies = now.inFlight.filter((m) => m.type === 'voteResp' && m.from === 2);
  expect(copies.length).toBe(2);
  expect(now.actions.at(-1)).toEqual({ type: 'duplicate', id: answer.id });
  for (const m of copies) {
    await panel.locator(`li[data-id="${m.id}"]`).click();
    await page.getByTestId('pending-deliver').click();
  }
  now = await simState(page);
  expect(now.nodes.find((n) => n.id === 1)?.role).toBe('leader');

  // Drop the request to S3 from the inspector: S3 never votes.
  const toS3 = /** @type {{ id: number }} */ (votes.find((m) => m.to === 3));
  await panel.locator(`li[data-id="${toS3.id}"]`).click();
  await page.getByTestId('inspector-drop').click();
  now = await simState(page);
  expect(now.inFlight.some((m) => m.id === toS3.id)).toBe(false);
  expect(now.nodes.find((n) => n.id === 3)?.votedFor).toBe(null);
  expect(now.actions.at(-1)).toEqual({ type: 'drop', id: toS3.id });

  // Back to automatic: the list goes away and the waiting heartbeats arrive.
  await page.getByTestId('pending-auto').click();
  await expect(panel).toBeHidden();
  await expect(page.getByTestId('delivery-auto')).toBeChecked();
  now = await simState(page);
  expect(now.inFlight.some((m) => m.waiting)).toBe(false);
});

test('keyboard only: Tab to the list, Enter delivers, D duplicates, Delete drops; a share link replays the choices', async ({ page, context }) => {
  await smallCluster(page);
  // The delivery switch by keyboard: focus the radio and choose with the arrow key.
  await page.locator('[data-tab="settings"]').click();
  await page.getByTestId('delivery-auto').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('delivery-manual')).toBeChecked();
  await campaign(page);
  const first = (await simState(page)).inFlight.filter((m) => m.waiting);
  expect(first.length).toBe(2);

  // Tab from the top of the page until a pending message has the focus.
  await page.locator('[data-testid="lang"]').focus();
  let at = '';
  for (let i = 0; i < 120 && !at.startsWith('option|'); i++) {
    await page.keyboard.press('Tab');
    at = await focused(page);
  }
  expect(at).toMatch(/^option\|\d+$/);
  // Home: the first message in the list (the list is in the order messages were sent).
  await page.keyboard.press('Home');
  expect(await focused(page)).toBe(`option|${first[0].id}`);

  await page.keyboard.press('Enter');
  let now = await simState(page);
  expect(now.actions.at(-1)).toEqual({ type: 'deliver', id: first[0].id });
  expect(now.nodes.find((n) => n.id === first[0].to)?.votedFor).toBe(1);
  // The focus stays in the list, on the message now in the delivered one's place.
  await expect.poll(() => focused(page)).toBe(`option|${first[1].id}`);

  await page.keyboard.press('d');
  now = await simState(page);
  expect(now.actions.at(-1)).toEqual({ type: 'duplicate', id: first[1].id });
  const copy = now.inFlight.filter((m) => m.type === 'vote' && m.to === first[1].to);
  expect(copy.length).toBe(2);

  await page.keyboard.press('Delete');
  now = await simState(page);
  expect(now.actions.at(-1)).toEqual({ type: 'drop', id: first[1].id });
  expect(now.inFlight.some((m) => m.id === first[1].id)).toBe(false);

  // ArrowDown and Enter reach the copy; its receiver votes.
  const copyId = /** @type {{ id: number }} */ (copy.find((m) => m.id !== first[1].id)).id;
  for (let i = 0; i < 10 && (await focused(page)) !== `option|${copyId}`; i++) await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toBe(`option|${copyId}`);
  await page.keyboard.press('Enter');
  now = await simState(page);
  expect(now.nodes.find((n) => n.id === first[1].to)?.votedFor).toBe(1);

  // The run as a share link, opened in another tab: the same state, choice for choice.
  const { url, hash, t } = await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.runFor(30);
    return { url: `${location.origin}/#link=${encodeURIComponent(r.driver.link())}`, hash: r.driver.sim.stateHash(), t: r.driver.sim.now() };
  });
  const other = await context.newPage();
  await other.goto(url);
  await ready(other);
  const replayed = await other.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    return { hash: r.driver.sim.stateHash(), t: r.driver.sim.now(), manual: r.store.get().config.delivery };
  });
  expect(replayed).toEqual({ hash, t, manual: 'manual' });
  await expect(other.getByTestId('pending-panel')).toBeVisible();
});

test('in manual delivery a waiting message in the picture is marked, and clicking it picks it in the list', async ({ page }) => {
  await smallCluster(page);
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.act({ type: 'setDelivery', mode: 'manual' }));
  await campaign(page);
  const msg = page.locator('.msg[data-waiting="1"]').first();
  await expect(msg).toBeVisible();
  const id = await msg.getAttribute('data-id');
  await msg.click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-id', String(id));
  await expect(page.locator(`[data-testid="pending-list"] li[data-id="${id}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('inspector-deliver')).toBeVisible();
  await page.getByTestId('inspector-deliver').click();
  const actions = await page.evaluate(() => /** @type {any} */ (window).__raft.driver.sim.scenario().actions.map((/** @type {any} */ a) => a.action));
  expect(actions.at(-1)).toEqual({ type: 'deliver', id: Number(id) });
});
