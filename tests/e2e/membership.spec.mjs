// @ts-check
// Joint consensus from the page (Raft §6): the "Change the voters" control in the Faults tab picks
// C_new with one toggle per server and applies it; the cluster runs C_old,new, then C_new alone.
// The simulation is driven with explicit driver calls (runFor) while paused; what is asserted is
// read from the DOM and from the ClusterState the page exposes as window.__raft.
import { test, expect } from '@playwright/test';
import { ARTIFACTS, failOnPageErrors, ready, run, waitLeader } from './helpers.mjs';

failOnPageErrors();

/** The configuration every node holds: { id, status, voters, joint } with sorted id lists. */
/** @param {import('@playwright/test').Page} page */
async function configs(page) {
  return page.evaluate(() =>
    /** @type {any} */ (window).__raft.store.get().sim.nodes.map((/** @type {any} */ n) => ({
      id: n.id,
      status: n.status,
      role: n.role,
      voters: [...n.voters].sort((/** @type {number} */ a, /** @type {number} */ b) => a - b),
      joint: n.jointVoters ? [...n.jointVoters].sort((/** @type {number} */ a, /** @type {number} */ b) => a - b) : null,
    })),
  );
}

/**
 * The toggle of server `id` in the joint-consensus control.
 * @param {import('@playwright/test').Page} page
 * @param {number} id
 */
function toggle(page, id) {
  return page.locator(`[data-testid="joint-voters"] .member-toggle[data-node="${id}"]`);
}

test('joint consensus from the Faults tab: 3 voters become 5 through C_old,new, a second change meanwhile is refused', async ({ page }) => {
  await page.goto('/?nodes=3&seed=7');
  await ready(page);
  const leader = (await waitLeader(page))?.id;
  expect(leader).toBeDefined();
  await page.locator('[data-tab="faults"]').click();
  const joint = page.locator('[data-testid="joint"]');
  const now = page.locator('[data-testid="joint-now"]');
  const apply = page.locator('[data-testid="joint-apply"]');
  await expect(joint).toBeVisible();
  await expect(joint.locator('legend')).toHaveText('Change the voters (joint consensus)');

  // The pick starts as the running voters; one new id is offered, dashed; nothing to apply yet.
  await expect(now).toHaveAttribute('data-voters', '1,2,3');
  await expect(now).toHaveAttribute('data-joint', '0');
  await expect(page.locator('[data-testid="joint-voters"] .member-toggle')).toHaveCount(4);
  for (const id of [1, 2, 3]) await expect(toggle(page, id)).toHaveAttribute('aria-pressed', 'true');
  await expect(toggle(page, 4)).toHaveAttribute('aria-pressed', 'false');
  await expect(toggle(page, 4)).toHaveAttribute('data-new', '1');
  await expect(apply).toBeDisabled();
  await expect(apply).toHaveAttribute('data-blocked', 'same');
  await expect(page.locator('[data-testid="joint-why"]')).toContainText('These are the current voters');

  // Pick S4 with the mouse; that offers S5, picked with the keyboard.
  await toggle(page, 4).click();
  await expect(toggle(page, 4)).toHaveAttribute('aria-pressed', 'true');
  await expect(toggle(page, 5)).toHaveAttribute('aria-pressed', 'false');
  await toggle(page, 5).focus();
  await page.keyboard.press('Space');
  await expect(toggle(page, 5)).toHaveAttribute('aria-pressed', 'true');
  await expect(toggle(page, 5)).toBeFocused();
  await expect(page.locator('[data-testid="joint-voters"] .member-toggle')).toHaveCount(6);
  await expect(apply).toBeEnabled();
  await expect(page.locator('[data-testid="joint-why"]')).toHaveText('Will move to voters S1, S2, S3, S4, S5.');
  await apply.click();

  // The leader now runs C_old,new: the old voters {1,2,3} and the new ones {1..5}.
  await expect(now).toHaveAttribute('data-joint', '1');
  await expect(now).toHaveAttribute('data-outgoing', '1,2,3');
  await expect(now).toHaveAttribute('data-voters', '1,2,3,4,5');
  await expect(now).toHaveText('Now joint, C_old,new: old S1, S2, S3, new S1, S2, S3, S4, S5');
  const during = await configs(page);
  const lead = during.find((n) => n.id === leader);
  expect(lead?.joint).toEqual([1, 2, 3]);
  expect(lead?.voters).toEqual([1, 2, 3, 4, 5]);
  expect(during.map((n) => n.id)).toEqual([1, 2, 3, 4, 5]);
  await expect(page.locator('.node[data-node="5"]')).toHaveAttribute('data-member', '1');

  // Another change while C_old,new is not committed is refused; the notice says so, the control
  // repeats it, and the pick the user made is kept.
  await toggle(page, 5).click();
  await expect(apply).toBeEnabled();
  await apply.click();
  await expect(page.locator('[data-testid="notice"]')).toBeVisible();
  await expect(page.locator('[data-testid="notice"]')).toContainText(/Could not do that: .*configuration change refused: .*not committed/);
  await expect(page.locator('[data-testid="joint-error"]')).toContainText(/^Refused: .*configuration change refused/);
  await expect(toggle(page, 4)).toHaveAttribute('aria-pressed', 'true');
  await expect(toggle(page, 5)).toHaveAttribute('aria-pressed', 'false');
  expect((await configs(page)).find((n) => n.id === leader)?.joint).toEqual([1, 2, 3]);
  // Picking S5 again brings the pick back to the running C_new: nothing to apply.
  await toggle(page, 5).click();
  await expect(apply).toHaveAttribute('data-blocked', 'same');
  // Dismissing the notice clears the inline copy too.
  await page.locator('[data-testid="notice-dismiss"]').click();
  await expect(page.locator('[data-testid="joint-error"]')).toHaveText('');

  // Once C_old,new commits the leader moves on to C_new alone, and every server follows.
  await run(page, 1500);
  await expect(now).toHaveAttribute('data-joint', '0');
  await expect(now).toHaveAttribute('data-voters', '1,2,3,4,5');
  await expect(now).toHaveText('Now: voters S1, S2, S3, S4, S5');
  const after = await configs(page);
  expect(after.length).toBe(5);
  for (const n of after) {
    expect(n.status, `S${n.id}`).toBe('up');
    expect(n.voters, `S${n.id}`).toEqual([1, 2, 3, 4, 5]);
    expect(n.joint, `S${n.id}`).toBeNull();
  }
  for (const id of [1, 2, 3, 4, 5]) await expect(page.locator(`.node[data-node="${id}"]`)).toHaveAttribute('data-member', '1');
  await expect(page.locator('[data-testid="checker"]')).toHaveAttribute('data-ok', '1');

  // The feed tells both steps, joint first, on the leader.
  await page.locator('[data-tab="events"]').click();
  const leaderConf = page.locator('.feed-item[data-kind="confChanged"]').filter({ hasText: `S${leader} uses a new configuration` });
  const jointLine = leaderConf.filter({ hasText: 'voters S1, S2, S3, S4, S5 (joint consensus; old voters S1, S2, S3)' });
  const finalLine = leaderConf.filter({ hasText: /voters S1, S2, S3, S4, S5$/ });
  await expect(jointLine).toHaveCount(1);
  await expect(finalLine).toHaveCount(1);
  const jointAt = Number(await jointLine.getAttribute('data-at'));
  const finalAt = Number(await finalLine.getAttribute('data-at'));
  expect(finalAt).toBeGreaterThan(jointAt);
});

test('the joint-consensus button is disabled, with the reason shown, without a leader or with no voter picked', async ({ page }) => {
  await page.goto('/?nodes=3&seed=7');
  await ready(page);
  const leader = (await waitLeader(page))?.id;
  expect(leader).toBeDefined();
  await page.locator('[data-tab="faults"]').click();
  const apply = page.locator('[data-testid="joint-apply"]');
  const why = page.locator('[data-testid="joint-why"]');

  // Nobody picked: nothing to move to.
  for (const id of [1, 2, 3]) await toggle(page, id).click();
  for (const id of [1, 2, 3]) await expect(toggle(page, id)).toHaveAttribute('aria-pressed', 'false');
  await expect(apply).toBeDisabled();
  await expect(apply).toHaveAttribute('data-blocked', 'empty');
  await expect(why).toHaveText('Pick at least one voter.');

  // A real pick, then the leader crashes: the pick stays, the button waits for a leader.
  await toggle(page, 4).click();
  await expect(apply).toBeEnabled();
  await page.evaluate((id) => /** @type {any} */ (window).__raft.driver.act({ type: 'crash', node: id }), leader);
  await expect(apply).toBeDisabled();
  await expect(apply).toHaveAttribute('data-blocked', 'noLeader');
  await expect(why).toHaveText('A change needs a leader, and there is none right now.');
  await expect(toggle(page, 4)).toHaveAttribute('aria-pressed', 'true');

  // In Chinese.
  await page.locator('[data-testid="lang"]').click();
  await expect(page.locator('[data-testid="joint"] legend')).toHaveText('变更投票成员（联合共识）');
  await expect(apply).toHaveText('应用（联合共识）');
  await expect(why).toHaveText('变更需要领导者，但现在没有。');

  // A new leader among S1..S3 (two of three are up) makes it usable again.
  await run(page, 3000);
  await expect(apply).toBeEnabled();
  await expect(why).toHaveText('将变更为投票成员 S4。');
});

for (const [w, h, lang, theme] of /** @type {const} */ ([
  [1280, 800, 'en', 'light'],
  [375, 812, 'en', 'light'],
  [1280, 800, 'zh', 'dark'],
  [375, 812, 'zh', 'dark'],
])) {
  test(`joint-consensus control at ${w}x${h}, ${lang}, ${theme}: screenshot, nothing cut off`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto(`/?nodes=5&seed=7&theme=${theme}${lang === 'zh' ? '&lang=zh' : ''}`);
    await ready(page);
    expect(await waitLeader(page)).not.toBeNull();
    await page.locator('[data-tab="faults"]').click();
    // S6 picked (new, dashed, pressed), S7 offered: the widest the row gets at 5 servers.
    await toggle(page, 6).click();
    const joint = page.locator('[data-testid="joint"]');
    await joint.scrollIntoViewIfNeeded();
    await expect(page.locator('[data-testid="joint-apply"]')).toBeEnabled();
    await joint.screenshot({ path: `${ARTIFACTS}/joint-${w}x${h}-${lang}-${theme}.png` });
    await page.screenshot({ path: `${ARTIFACTS}/joint-${w}x${h}-${lang}-${theme}-page.png` });
    // Nothing sticks out of the viewport sideways, and the targets are big enough to tap.
    const box = await page.evaluate(() => {
      const root = /** @type {any} */ (document.querySelector('raft-playground')).shadowRoot;
      const set = root.querySelector('[data-testid="joint"]').getBoundingClientRect();
      const buttons = [...root.querySelectorAll('[data-testid="joint"] button')].map((b) => b.getBoundingClientRect());
      return {
        pageWidth: document.documentElement.scrollWidth,
        set: { left: set.left, right: set.right },
        right: Math.max(...buttons.map((r) => r.right)),
        left: Math.min(...buttons.map((r) => r.left)),
        minHeight: Math.min(...buttons.map((r) => r.height)),
        count: buttons.length,
      };
    });
    expect(box.count).toBe(8);
    expect(box.pageWidth).toBeLessThanOrEqual(w);
    expect(box.set.left).toBeGreaterThanOrEqual(0);
    expect(box.set.right).toBeLessThanOrEqual(w);
    expect(box.left).toBeGreaterThanOrEqual(box.set.left);
    expect(box.right).toBeLessThanOrEqual(box.set.right);
    expect(box.minHeight).toBeGreaterThanOrEqual(36);
  });
}
