// @ts-check
// What a screenshot review of the lessons found (issues 13 and 14), each kept fixed: the title
// in the bar follows the language and gives way to the lesson box on a phone; a long node label
// at the drawing's edge stays inside it; the paper view's legend names heartbeats as it draws
// them; a notice that names the user's change follows a switch of language.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { failOnPageErrors, ready } from './helpers.mjs';
import { t } from '../../web/i18n.js';
import { describeOp } from '../../web/describe.js';
import { findScenario } from '../../web/scenarios.js';

failOnPageErrors();

const DIR = new URL('../../web/lessons/', import.meta.url);
/** @param {string} id */
const lessonFile = (id) => JSON.parse(readFileSync(new URL(`${id}.json`, DIR), 'utf8'));

test('the title in the bar is the lesson’s, in the page’s language; on a phone the lesson box carries it', async ({ page }) => {
  const lesson = lessonFile('membership');
  await page.goto('/?lesson=membership&step=2');
  await ready(page);
  const title = page.locator('[data-testid="scenario-title"]');
  await expect(title).toHaveText(lesson.title.en);
  await page.locator('[data-testid="lang"]').click();
  await expect(title).toHaveText(lesson.title.zh);
  await expect(page.locator('[data-testid="lesson-title"]')).toHaveText(lesson.title.zh);
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(title).toBeHidden();
  // The lesson box shows the whole title, not cut.
  const box = page.locator('[data-testid="lesson-title"]');
  await expect(box).toBeVisible();
  expect(await box.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
});

test('a long node label at the edge of the drawing stays inside it (nine servers, two paused)', async ({ page }) => {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/');
    await ready(page);
    await page.evaluate(() => {
      const d = /** @type {any} */ (window).__raft.driver;
      d.restart({ .../** @type {any} */ (window).__raft.store.get().config, nodes: 9, seed: 3 });
      d.seek(1500);
      d.act([{ type: 'pause', node: 8 }, { type: 'pause', node: 7 }]);
    });
    await expect(page.locator('.node[data-node="8"]')).toHaveAttribute('data-status', 'paused');
    const out = await page.evaluate(() => {
      const root = /** @type {any} */ (window).__raft.element.shadowRoot;
      const svg = root.querySelector('.cluster-svg');
      const vb = svg.viewBox.baseVal;
      /** @type {string[]} */
      const bad = [];
      for (const g of root.querySelectorAll('.node[data-node]')) {
        const m = g.transform.baseVal.consolidate().matrix;
        for (const el of g.querySelectorAll('.node-role, .node-vote')) {
          const b = el.getBBox();
          if (!el.textContent) continue;
          if (m.e + b.x < vb.x - 0.5 || m.e + b.x + b.width > vb.x + vb.width + 0.5) bad.push(`S${g.dataset.node} "${el.textContent}" spans ${(m.e + b.x).toFixed(0)}..${(m.e + b.x + b.width).toFixed(0)}, the drawing ${vb.x}..${vb.x + vb.width}`);
        }
      }
      return bad;
    });
    expect(out, `labels outside the drawing at ${width} px`).toEqual([]);
  }
});

test('the paper view’s legend shows a heartbeat as an AppendEntries with no entries', async ({ page }) => {
  await page.goto('/?lesson=election-paper&step=2');
  await ready(page);
  const legend = page.locator('.legend');
  await expect(legend.locator('li[data-type="paperHeartbeat"]')).toContainText(t('en', 'legend.paperHeartbeat'));
  await expect(legend.locator('li[data-type="heartbeat"]')).toHaveCount(0);
  await page.locator('[data-testid="lang"]').click();
  await expect(legend.locator('li[data-type="paperHeartbeat"]')).toContainText(t('zh', 'legend.paperHeartbeat'));
  // Out of the paper view, a heartbeat is a heartbeat again.
  await page.goto('/?lesson=election&step=2');
  await ready(page);
  await expect(legend.locator('li[data-type="heartbeat"]')).toHaveText(t('en', 'msg.heartbeat'));
  await expect(legend.locator('li[data-type="paperHeartbeat"]')).toHaveCount(0);
});

test('a notice naming the user’s change follows a switch of language', async ({ page }) => {
  await page.goto('/?scenario=read-index');
  await ready(page);
  await page.evaluate(() => {
    const d = /** @type {any} */ (window).__raft.driver;
    d.pause();
    d.seek(900);
  });
  await page.locator('[data-tab="settings"]').click();
  await page.locator('[data-testid="toggle-preVote"]').uncheck();
  const notice = page.locator('[data-testid="notice"] p');
  const op = { type: 'setToggle', name: 'preVote', on: false };
  await expect(notice).toHaveText(t('en', 'guide.keptNow', { change: describeOp(op, 'en'), t: '900.0' }));
  await page.locator('[data-testid="lang"]').click();
  await expect(notice).toHaveText(t('zh', 'guide.keptNow', { change: describeOp(op, 'zh'), t: '900.0' }));
  // The guided scenario's title in the bar follows too.
  await expect(page.locator('[data-testid="scenario-title"]')).toHaveText(findScenario('read-index')?.title.zh ?? '');
});
