// @ts-check
// Share links, embedding and escaping: a copied link replays the same state in a new page, the
// custom element works in a plain HTML page, and user text from a link is only ever text.
import { test, expect } from '@playwright/test';
import { failOnPageErrors, ready, run } from './helpers.mjs';

const seen = failOnPageErrors();

const PAYLOAD = '<img src=x onerror=alert(1)>';

/** @param {import('@playwright/test').Page} page */
async function snapshot(page) {
  return page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    return { now: r.store.get().nowMs, hash: r.driver.sim.stateHash(), state: JSON.stringify(r.store.get().sim) };
  });
}

test('a share link opened in a new page shows the same state', async ({ page, context }) => {
  await page.goto('/');
  await ready(page);
  await run(page, 800);
  // Act through the UI: crash a follower, cut a link, write a value.
  await page.locator('.node[data-role="follower"] .node-body').first().click();
  await page.locator('.node-menu [data-item="crash"]').click();
  await page.locator('.edge').first().click();
  await page.locator('[data-tab="client"]').click();
  await page.locator('[data-testid="client-key"]').fill('k');
  await page.locator('[data-testid="client-value"]').fill('shared');
  await page.locator('[data-testid="client-send"]').click();
  await run(page, 700);
  await page.locator('[data-tab="share"]').click();
  await page.locator('[data-testid="share-title"]').fill('Crash, cut, write');
  const url = await page.locator('[data-testid="share-url"]').inputValue();
  expect(url).toContain('#link=v2.');
  const before = await snapshot(page);

  const other = await context.newPage();
  other.on('pageerror', (e) => seen.errors.push(String(e)));
  other.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  await other.goto(url);
  await ready(other);
  const after = await snapshot(other);
  expect(after.now).toBe(before.now);
  expect(after.hash).toBe(before.hash);
  expect(after.state).toBe(before.state);
  // It opens paused, at the shared moment, with the title.
  expect(await other.evaluate(() => /** @type {any} */ (window).__raft.store.get().playing)).toBe(false);
  await expect(other.locator('[data-testid="scenario-title"]')).toHaveText('Crash, cut, write');
  await expect(other.locator('.node[data-status="crashed"]')).toHaveCount(1);
  await expect(other.locator('.edge[data-state="down"]')).toHaveCount(1);
  await other.close();
});

test('<raft-playground> renders in a plain HTML page with one module script', async ({ page }) => {
  await page.route('**/plain-test.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>plain</title>
<p>Some documentation text above.</p>
<script type="module" src="/lib/raft-playground.js"></script>
<raft-playground nodes="3" seed="11" controls="minimal" autoplay speed="2" height="520px"></raft-playground>`,
    }),
  );
  await page.goto('/plain-test.html');
  await expect(page.locator('raft-playground .node')).toHaveCount(3);
  await expect(page.locator('raft-playground .node[data-role="leader"]')).toHaveCount(1, { timeout: 15_000 });
  // Minimal chrome: no settings or share tab, but time controls and the log view.
  await expect(page.locator('raft-playground [data-tab="settings"]')).toBeHidden();
  await expect(page.locator('raft-playground [data-testid="play"]')).toBeVisible();
  await expect(page.locator('raft-playground .log-row')).toHaveCount(3);
  const box = await page.locator('raft-playground').boundingBox();
  expect(Math.round(box?.height ?? 0)).toBe(520);
  expect(await page.evaluate(() => /** @type {any} */ (document.querySelector('raft-playground')).driver.sim.config().seed)).toBe(11);
  // Attributes changed later take effect: a new cluster size restarts the run.
  await page.evaluate(() => document.querySelector('raft-playground')?.setAttribute('nodes', '4'));
  await expect(page.locator('raft-playground .node')).toHaveCount(4);
});

test('embed.html takes its options from URL parameters', async ({ page }) => {
  await page.goto('/embed.html?nodes=7&seed=3&lang=zh&autoplay=0');
  await ready(page);
  await expect(page.locator('.node')).toHaveCount(7);
  await expect(page.locator('[data-tab="events"]')).toHaveText('事件');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page).toHaveTitle(/演练场/);
  expect(await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().playing)).toBe(false);
});

test('the docs page shows both ways to embed, with snippets to copy', async ({ page }) => {
  await page.goto('/docs.html');
  await expect(page.locator('#snippet-iframe')).toContainText('<iframe src="http://127.0.0.1');
  await expect(page.locator('#snippet-element')).toContainText('<raft-playground');
  await expect(page.locator('#demo-element .node')).toHaveCount(3);
  await expect(page.frameLocator('#demo-iframe').locator('.node')).toHaveCount(5);
});

test('the docs page in Chinese has its title and table headers in Chinese', async ({ page }) => {
  await page.goto('/docs.html?lang=zh');
  await expect(page).toHaveTitle('嵌入 Raft 演练场');
  await expect(page.locator('thead th:visible')).toHaveText(['属性 / 参数', '含义']);
  await expect(page.locator('#demo-iframe')).toHaveAttribute('title', /演练场/);
});

test('a link whose KV value and title hold markup renders them as text', async ({ page, context }) => {
  await page.goto('/');
  await ready(page);
  await run(page, 800);
  // The value goes in through the real client path; the title through the scenario in the link.
  const url = await page.evaluate((payload) => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.act({ type: 'clientPut', key: payload, value: payload });
    r.driver.runFor(600);
    const Sim = r.driver.sim.constructor;
    const withTitle = Sim.fromScenario({ ...r.driver.sim.scenario(), title: payload });
    const link = withTitle.toLink();
    withTitle.free();
    return `${location.origin}/#link=${encodeURIComponent(link)}`;
  }, PAYLOAD);

  const other = await context.newPage();
  other.on('dialog', (d) => {
    seen.errors.push(`dialog fired: ${d.message()}`);
    d.dismiss();
  });
  other.on('pageerror', (e) => seen.errors.push(String(e)));
  await other.goto(url);
  await ready(other);
  await expect(other.locator('[data-testid="scenario-title"]')).toHaveText(PAYLOAD);
  await other.locator('[data-tab="client"]').click();
  await expect(other.locator('.kv-row').first()).toContainText(`${PAYLOAD} = ${PAYLOAD}`);
  await other.locator('[data-tab="events"]').click();
  await expect(other.locator('.log-row').first()).toBeVisible();
  // No element was made from the payload anywhere (light DOM or the component's shadow root).
  expect(await other.locator('img').count()).toBe(0);
  expect(
    await other.evaluate(() => {
      const el = document.querySelector('raft-playground');
      return el?.shadowRoot?.querySelectorAll('img').length ?? -1;
    }),
  ).toBe(0);
  await other.waitForTimeout(200);
  await other.close();
});

test('pasting a share link into the address bar of an open page replaces the run', async ({ page }) => {
  await page.goto('/?seed=5');
  await ready(page);
  const link = await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    const Sim = r.driver.sim.constructor;
    const other = new Sim({ nodes: 3, seed: 99 });
    other.advance(777);
    const l = other.toLink();
    other.free();
    return l;
  });
  await page.evaluate((l) => {
    location.hash = `link=${encodeURIComponent(l)}`;
  }, link);
  await expect(page.locator('.node')).toHaveCount(3);
  const st = await page.evaluate(() => ({ now: /** @type {any} */ (window).__raft.store.get().nowMs, seed: /** @type {any} */ (window).__raft.driver.sim.config().seed }));
  expect(st.now).toBe(777);
  expect(st.seed).toBe(99);
});
