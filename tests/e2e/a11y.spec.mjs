// @ts-check
// An axe-core audit (WCAG 2.1 A and AA, plus label-content-name-mismatch, which axe ships as
// experimental) of every page the site serves, in both languages and both themes, inside the
// playground's shadow DOM too. No serious or critical violation may remain.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { failOnPageErrors, ready, waitLeader } from './helpers.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

failOnPageErrors();

/**
 * Run axe on the page; return the violations that matter and whether the name rule ran.
 * @param {import('@playwright/test').Page} page
 */
async function audit(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = /** @type {any} */ (window).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    const ran = [...r.passes, ...r.violations, ...r.incomplete].map((/** @type {any} */ x) => x.id);
    return {
      ran,
      violations: r.violations.map((/** @type {any} */ v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.slice(0, 5).map((/** @type {any} */ n) => `${JSON.stringify(n.target)} ${n.failureSummary}`),
      })),
    };
  });
}

/**
 * @param {{ ran: string[], violations: { id: string, impact: string, nodes: string[] }[] }} result
 */
function expectClean(result) {
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, JSON.stringify(bad, null, 1)).toEqual([]);
}

for (const [name, query] of [
  ['English', ''],
  ['Chinese', '?lang=zh'],
  ['dark', '?theme=dark'],
]) {
  test(`index.html (${name}) has no serious or critical axe violation, node names included`, async ({ page }) => {
    await page.goto(`/index.html${query}`);
    await ready(page);
    expect(await waitLeader(page)).not.toBeNull();
    const result = await audit(page);
    // The rule the English page used to break must have run, on the nodes of the shadow DOM.
    expect(result.ran).toContain('label-content-name-mismatch');
    expectClean(result);
  });
}

for (const [name, query] of [
  ['English', ''],
  ['Chinese, dark', '?lang=zh&theme=dark'],
]) {
  test(`the space-time tab (${name}) has no serious or critical axe violation`, async ({ page }) => {
    await page.goto(`/index.html${query}`);
    await ready(page);
    expect(await waitLeader(page)).not.toBeNull();
    await page.locator('[data-tab="spacetime"]').click();
    await expect(page.locator('.st-msg').first()).toBeAttached();
    expectClean(await audit(page));
  });
}

test('embed.html has no serious or critical axe violation', async ({ page }) => {
  await page.goto('/embed.html?autoplay=0');
  await ready(page);
  expect(await waitLeader(page)).not.toBeNull();
  expectClean(await audit(page));
});

test('docs.html has no serious or critical axe violation', async ({ page }) => {
  await page.goto('/docs.html');
  await ready(page);
  expectClean(await audit(page));
});
