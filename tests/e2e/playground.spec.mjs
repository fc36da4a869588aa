// @ts-check
// The playground page against the real wasm simulation: elections, crashes, client writes, a
// leader cut off in a minority, time controls, keyboard use. The simulation is driven fast with
// explicit driver calls (runFor) instead of waiting in real time; what is asserted is read from
// the DOM (data-* attributes, text) or from the state the page exposes as window.__raft.
import { test, expect } from '@playwright/test';
import { failOnPageErrors, fromZeroPaused, ready, run, waitLeader } from './helpers.mjs';

const seen = failOnPageErrors();

/** @param {import('@playwright/test').Page} page */
async function simState(page) {
  return page.evaluate(() => /** @type {any} */ (window).__raft.store.get().sim);
}

test('the page loads without console errors and a leader appears', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  // Let it play for real, fast: the leader must show up in the cluster view by itself.
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.setSpeed(2));
  await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15_000 });
  await expect(page.locator('.node[data-role="leader"] .node-role')).toContainText('Leader');
  await expect(page.locator('.node')).toHaveCount(5);
  await expect(page.locator('[data-testid="checker"]')).toHaveAttribute('data-ok', '1');
});

test('crashing the leader from its menu gives a new leader with a higher term', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  const first = await waitLeader(page);
  expect(first).not.toBeNull();
  const old = /** @type {{id: number, term: number}} */ (first);
  await page.locator(`.node[data-node="${old.id}"] .node-body`).click();
  const menu = page.locator('.node-menu');
  await expect(menu).toBeVisible();
  await menu.locator('[data-item="crash"]').click();
  await expect(page.locator(`.node[data-node="${old.id}"]`)).toHaveAttribute('data-status', 'crashed');
  await run(page, 1500);
  const next = await waitLeader(page);
  expect(next).not.toBeNull();
  expect(next?.id).not.toBe(old.id);
  expect(next?.term).toBeGreaterThan(old.term);
  await expect(page.locator(`.node[data-node="${next?.id}"]`)).toHaveAttribute('data-role', 'leader');
  await expect(page.locator(`.node[data-node="${next?.id}"]`)).toHaveAttribute('data-term', String(next?.term));
  // The feed says it in words.
  await expect(page.locator('.feed-item[data-kind="nodeCrashed"]').first()).toContainText(`S${old.id} crashed`);
});

test('a client put is committed and applied on every live node', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  expect(await waitLeader(page)).not.toBeNull();
  await page.locator('[data-tab="client"]').click();
  await page.locator('[data-testid="client-key"]').fill('greeting');
  await page.locator('[data-testid="client-value"]').fill('hello raft');
  await page.locator('[data-testid="client-send"]').click();
  await run(page, 600);
  const sim = await simState(page);
  const live = sim.nodes.filter((/** @type {any} */ n) => n.status === 'up');
  expect(live.length).toBe(5);
  for (const n of live) {
    expect(n.kv.greeting).toBe('hello raft');
    await expect(page.locator(`.kv-row[data-node="${n.id}"] .kv-pairs`)).toContainText('greeting = hello raft');
  }
  // The entry is committed everywhere: every node's commit index covers the put's entry.
  const leader = sim.nodes.find((/** @type {any} */ n) => n.role === 'leader');
  const entry = leader.log.find((/** @type {any} */ e) => /put greeting=hello raft/.test(e.summary));
  expect(entry).toBeTruthy();
  for (const n of live) expect(n.commitIndex).toBeGreaterThanOrEqual(entry.index);
  await expect(page.locator('.client-ops .op.done').first()).toContainText('ok');
  await expect(page.locator('.client-ops .op.done').first()).toContainText(/served by S\d/);
});

test('a leader cut off in a minority cannot commit; after the heal it steps down and its entries are overwritten', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  const first = await waitLeader(page);
  const old = /** @type {{id: number, term: number}} */ (first);
  // Without CheckQuorum the old leader keeps believing it leads until it hears a higher term.
  await page.locator('[data-tab="settings"]').click();
  await page.locator('[data-testid="toggle-checkQuorum"]').uncheck();
  await page.locator('[data-tab="faults"]').click();
  await page.locator('[data-preset="minority"]').click();
  // Entries the old leader appends from now on cannot reach a majority.
  const cutAt = await page.evaluate((id) => {
    const n = /** @type {any} */ (window).__raft.store.get().sim.nodes.find((/** @type {any} */ x) => x.id === id);
    return n.log.length ? n.log[n.log.length - 1].index : 0;
  }, old.id);
  await page.locator('[data-tab="client"]').click();
  await page.locator('[data-testid="client-key"]').fill('lost');
  await page.locator('[data-testid="client-value"]').fill('write');
  await page.locator('[data-testid="client-send"]').click();
  await run(page, 40);
  await page.locator('[data-testid="client-send"]').click();
  await run(page, 2000);
  let sim = await simState(page);
  const stale = sim.nodes.find((/** @type {any} */ n) => n.id === old.id);
  expect(stale.role).toBe('leader');
  const lastIdx = stale.log[stale.log.length - 1].index;
  expect(lastIdx).toBeGreaterThan(stale.commitIndex);
  const uncommitted = stale.log.filter((/** @type {any} */ e) => e.index > cutAt);
  expect(uncommitted.length).toBeGreaterThan(0);
  expect(stale.commitIndex).toBeLessThanOrEqual(cutAt);
  expect(uncommitted.every((/** @type {any} */ e) => e.term === old.term)).toBe(true);
  // The majority side elected a leader of a higher term meanwhile.
  const majority = sim.nodes.filter((/** @type {any} */ n) => n.role === 'leader' && n.id !== old.id);
  expect(majority.length).toBe(1);
  expect(majority[0].term).toBeGreaterThan(old.term);
  // The log view marks the stale leader's extra entries as conflicting with the real leader.
  await expect(page.locator(`.log-row[data-node="${old.id}"] .cell.conflict`).first()).toBeVisible();

  await page.locator('[data-tab="faults"]').click();
  await page.locator('[data-testid="heal"]').click();
  await run(page, 1500);
  sim = await simState(page);
  const after = sim.nodes.find((/** @type {any} */ n) => n.id === old.id);
  expect(after.role).not.toBe('leader');
  const leader = sim.nodes.find((/** @type {any} */ n) => n.role === 'leader');
  for (const e of uncommitted) {
    const now = after.log.find((/** @type {any} */ x) => x.index === e.index);
    const lead = leader.log.find((/** @type {any} */ x) => x.index === e.index);
    // Whatever sits at that index now is the leader's entry, not the old one.
    if (now) expect(now.term).toBe(lead.term);
    if (now) expect(now.term).not.toBe(e.term);
  }
  await expect(page.locator(`.node[data-node="${old.id}"]`)).not.toHaveAttribute('data-role', 'leader');
  await page.locator('[data-tab="events"]').click();
  await expect(page.locator('.feed-item[data-kind="entriesTruncated"]').filter({ hasText: `S${old.id} deleted conflicting entr` })).not.toHaveCount(0);
});

test('time controls: step, scrub back by clicking an event, and the slider', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  await waitLeader(page);
  const t0 = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs);
  await page.locator('[data-testid="step"]').click();
  const t1 = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs);
  expect(t1).toBeGreaterThanOrEqual(t0);
  await run(page, 500);
  // Click the first "became Leader" event: time goes back to it and the node is leader there.
  const item = page.locator('.feed-item[data-kind="roleChanged"]').filter({ hasText: 'became Leader' }).last();
  const at = Number(await item.getAttribute('data-at'));
  await item.click();
  const now = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs);
  expect(Math.abs(now - at)).toBeLessThan(0.01);
  await expect(page.locator('[data-testid="now"]')).toContainText(at.toFixed(1));
  // The run's end is still reachable: scrub forward with the slider.
  const end = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().runEndMs);
  expect(end).toBeGreaterThan(now);
  await page.locator('[data-testid="time"]').fill(String(end));
  await expect.poll(() => page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs)).toBeCloseTo(end, 0);
});

test('keyboard: open a node menu, move in it, close it; reduced motion is honoured', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/?seed=7');
  await ready(page);
  await waitLeader(page);
  await expect(page.locator('.app')).toHaveAttribute('data-reduced-motion', '1');
  const node = page.locator('.node[data-node="2"]');
  await node.focus();
  await page.keyboard.press('Enter');
  const menu = page.locator('.node-menu');
  await expect(menu).toBeVisible();
  await expect(menu.locator('button').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.locator('button').nth(1)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(node).toBeFocused();
  await expect(node).toHaveAttribute('aria-label', /^S2 T\d+ .*\(term \d+\)/);
  // Links are buttons too: cut one with the keyboard.
  const edge = page.locator('.edge[data-edge="1-2"]');
  await edge.focus();
  // Its focus shows as a thick line in the focus colour, not as a bounding-box rectangle.
  await expect(edge.locator('.edge-line')).toHaveCSS('stroke-width', '5px');
  await expect(edge.locator('.edge-line')).toHaveCSS('outline-style', 'none');
  await page.keyboard.press('Enter');
  await expect(edge).toHaveAttribute('data-state', 'down');
  await page.keyboard.press('Enter');
  await expect(edge).toHaveAttribute('data-state', 'up');
});

test('a malformed share link shows a message, then a working default playground', async ({ page }) => {
  await page.goto('/#link=v1.this-is-not-a-scenario');
  await ready(page);
  await expect(page.locator('[data-testid="notice"]')).toBeVisible();
  await expect(page.locator('[data-testid="notice"]')).toContainText('could not be opened');
  expect(await waitLeader(page)).not.toBeNull();
  await expect(page.locator('.node')).toHaveCount(5);
});

test('with ?lang=zh the labels are in Chinese, and the switch goes back to English', async ({ page }) => {
  await page.goto('/?lang=zh');
  await ready(page);
  await waitLeader(page);
  await expect(page.locator('.top h1')).toHaveText('Raft 演练场');
  await expect(page.locator('[data-tab="events"]')).toHaveText('事件');
  await expect(page.locator('[data-testid="play"]')).toContainText('播放');
  await expect(page.locator('.node[data-role="leader"] .node-role')).toContainText('领导者');
  await expect(page.locator('.node[data-role="follower"] .node-role').first()).toContainText('跟随者');
  await expect(page.locator('.log-panel .panel-title')).toHaveText('日志');
  await expect(page.locator('.feed-item').first()).toContainText(/任期|提交|日志项/);
  // The user's own actions are named in Chinese too, not by their API names.
  await page.locator('.edge').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.feed-item', { hasText: '你的操作' }).first()).toContainText('设置连线');
  await expect(page.locator('.feed-item', { hasText: '你的操作' }).first()).toContainText('断开');
  await expect(page.locator('.feed-item', { hasText: '你的操作' }).first()).not.toContainText('setLink');
  await page.locator('[data-testid="lang"]').click();
  await expect(page.locator('[data-tab="events"]')).toHaveText('Events');
  expect(new URL(page.url()).searchParams.get('lang')).toBeNull();
});

test('Break Raft: with votes ignoring the log, the checker light turns red and links to the violation', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  // Which node is cut off, and who wins once it is back, depend on the schedule: fixed here.
  await fromZeroPaused(page);
  const lead = /** @type {{id: number, term: number}} */ (await waitLeader(page));
  await page.locator('[data-tab="settings"]').click();
  await page.locator('[data-testid="toggle-preVote"]').uncheck();
  await page.locator('[data-testid="toggle-checkQuorum"]').uncheck();
  const bug = page.locator('input[data-bug="vote-ignores-log"]');
  await bug.check();
  await expect(bug.locator('xpath=..')).toContainText('up-to-date log check');
  // Cut a follower off, commit entries without it, then let it campaign with a higher term.
  const x = lead.id === 1 ? 2 : 1;
  await page.locator(`.node[data-node="${x}"] .node-body`).click();
  await page.locator('.node-menu [data-item="isolate"]').click();
  await page.evaluate(() => {
    const d = /** @type {any} */ (window).__raft.driver;
    for (let i = 0; i < 3; i++) {
      d.act({ type: 'clientPut', key: `k${i}`, value: `v${i}` });
      d.runFor(100);
    }
    d.runFor(300);
  });
  await expect(page.locator('[data-testid="checker"]')).toHaveAttribute('data-ok', '1');
  await page.locator('[data-tab="faults"]').click();
  await page.locator('[data-testid="heal"]').click();
  await page.locator(`.node[data-node="${x}"] .node-body`).click();
  await page.locator('.node-menu [data-item="timeout"]').click();
  await run(page, 1500);
  const checker = page.locator('[data-testid="checker"]');
  await expect(checker).toHaveAttribute('data-ok', '0');
  await checker.click();
  const hit = page.locator('.feed-item.violation.highlight');
  await expect(hit).toBeVisible();
  await expect(hit).toContainText('Safety violation: leader completeness');
  const at = Number(await hit.getAttribute('data-at'));
  const now = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs);
  expect(Math.abs(now - at)).toBeLessThan(0.01);
});

test('membership: remove a node from its menu, then add a new one', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  const lead = /** @type {{id: number, term: number}} */ (await waitLeader(page));
  const victim = lead.id === 5 ? 4 : 5;
  await page.locator(`.node[data-node="${victim}"] .node-body`).click();
  await page.locator('.node-menu [data-item="remove"]').click();
  await run(page, 800);
  await expect(page.locator(`.node[data-node="${victim}"]`)).toHaveAttribute('data-member', '0');
  await page.locator('[data-tab="faults"]').click();
  // "Add a node" first brings back the removed one.
  await page.locator('[data-testid="add-node"]').click();
  await run(page, 800);
  await expect(page.locator(`.node[data-node="${victim}"]`)).toHaveAttribute('data-member', '1');
  await page.locator('[data-testid="add-node"]').click();
  await run(page, 800);
  await expect(page.locator('.node')).toHaveCount(6);
  await expect(page.locator('.node[data-node="6"]')).toHaveAttribute('data-member', '1');
  const sim = await simState(page);
  const leader = sim.nodes.find((/** @type {any} */ n) => n.role === 'leader');
  expect(leader.voters).toContain(6);
  await expect(page.locator('.log-row')).toHaveCount(6);
});

test('settings: a bad value is refused with a message and the run is kept; a good one restarts', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  await run(page, 500);
  await page.locator('[data-tab="settings"]').click();
  await page.locator('[data-testid="set-seed"]').fill('not a seed');
  await page.locator('[data-testid="apply-settings"]').click();
  await expect(page.locator('.form-error')).toContainText('Seed');
  expect(await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs)).toBeGreaterThan(400);
  await page.locator('[data-testid="set-seed"]').fill('123');
  await page.locator('[data-testid="set-nodes"]').selectOption('7');
  await page.locator('[data-testid="set-heartbeatMs"]').fill('40');
  await page.locator('[data-testid="apply-settings"]').click();
  await expect(page.locator('.node')).toHaveCount(7);
  const cfg = await page.evaluate(() => /** @type {any} */ (window).__raft.driver.sim.config());
  expect(cfg.seed).toBe(123);
  expect(cfg.heartbeatMs).toBe(40);
  expect(await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs)).toBeLessThan(1);
  // A config the simulation refuses (election max below min) is reported, nothing is lost.
  await page.locator('[data-testid="set-electionTimeoutMsMin"]').fill('500');
  await page.locator('[data-testid="set-electionTimeoutMsMax"]').fill('100');
  await page.locator('[data-testid="apply-settings"]').click();
  await expect(page.locator('.form-error')).toBeVisible();
  await expect(page.locator('.node')).toHaveCount(7);
});

test('faults: loss and latency sliders change every link; lost messages show up in the feed', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  await waitLeader(page);
  await page.locator('[data-tab="faults"]').click();
  await page.locator('[data-testid="slider-loss"]').fill('50');
  await page.locator('[data-testid="slider-latency"]').fill('60');
  let sim = await simState(page);
  expect(sim.links.length).toBe(20);
  for (const l of sim.links) {
    expect(l.lossPct).toBe(50);
    expect(l.latencyMsMax).toBe(60);
    expect(l.latencyMsMin).toBe(20);
  }
  // Each slider move is one recorded action for the whole cluster, so share links stay short.
  const recorded = await page.evaluate(() => JSON.parse(/** @type {any} */ (window).__raft.driver.sim.exportTrace()).actions);
  const linkActions = recorded.filter((/** @type {any} */ a) => a.action.type === 'setAllLinks' || a.action.type === 'setLink');
  expect(linkActions.map((/** @type {any} */ a) => a.action.type)).toEqual(['setAllLinks', 'setAllLinks']);
  await page.locator('[data-tab="events"]').click();
  await page.locator('input[data-cat="message"]').check();
  await run(page, 400);
  await expect(page.locator('.feed-item[data-kind="msgDropped"]').first()).toContainText('lost by the network');
  // In flight, a message now takes 20-60 ms.
  sim = await simState(page);
  for (const m of sim.inFlight) expect(m.deliverAtMs - m.sentAtMs).toBeGreaterThanOrEqual(19.99);
});

test('reset replays the same seed from time 0; new seed picks another', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  const first = await waitLeader(page);
  await run(page, 300);
  await page.locator('[data-testid="reset"]').click();
  const after = await page.evaluate(() => ({ now: /** @type {any} */ (window).__raft.store.get().nowMs, seed: /** @type {any} */ (window).__raft.driver.sim.config().seed }));
  expect(after.now).toBe(0);
  expect(after.seed).toBe(7);
  expect(await waitLeader(page)).toEqual(first);
  await page.locator('[data-testid="new-seed"]').click();
  expect(await page.evaluate(() => /** @type {any} */ (window).__raft.driver.sim.config().seed)).not.toBe(7);
});

test('if the wasm cannot be loaded the page says so instead of staying blank', async ({ page }) => {
  await page.route('**/pkg/raft_wasm_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto('/');
  await expect(page.locator('[data-testid="notice"]')).toContainText('The simulator could not be loaded');
  await expect(page.locator('.app')).toHaveAttribute('data-phase', 'error');
  // The 404 itself is logged by the browser; that is the point of this test, not a failure.
  seen.errors = seen.errors.filter((e) => !/404|Failed to load resource|WebAssembly|wasm/i.test(e));
});
