// @ts-check
// Embedding from another origin, as a documentation site does: the snippets are copied from
// docs.html on the site's origin (PORT) into pages served by a second origin (HOST_PORT). The
// element's module scripts and the glue's fetch of the wasm are CORS requests, so they work only
// because `cargo xtask serve` sends `access-control-allow-origin`; the iframe needs no CORS, and
// sizes itself through the one-line message listener.
import { test, expect } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { failOnPageErrors } from './helpers.mjs';
import { HOST, HOST_DIR, SITE } from './origins.mjs';

const DIR = `${HOST_DIR}/cross-origin`;

failOnPageErrors();

/**
 * Copy a snippet from docs.html (as a reader would, with the Copy button's text) into a page of
 * the second origin, and return that page's URL.
 * @param {import('@playwright/test').Page} page
 * @param {string} id the snippet's element id on docs.html
 * @param {string} name file name on the second origin
 */
async function hostPageWith(page, id, name) {
  await page.goto(`${SITE}/docs.html`);
  const snippet = await page.locator(`#${id}`).textContent();
  expect(snippet).toContain(SITE);
  mkdirSync(DIR, { recursive: true });
  writeFileSync(`${DIR}/${name}`, `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>A page on another origin</title><link rel="icon" href="data:,"></head>\n<body>\n<h1>Docs</h1>\n${snippet}\n</body>\n</html>\n`);
  return `${HOST}/cross-origin/${name}`;
}

test('the element copied from docs.html draws and plays in a page on another origin', async ({ page }) => {
  const url = await hostPageWith(page, 'snippet-element', 'element.html');
  /** @type {{ url: string, status: number, cors: string | undefined }[]} */
  const library = [];
  page.on('response', (r) => {
    if (r.url().startsWith(SITE)) library.push({ url: r.url(), status: r.status(), cors: r.headers()['access-control-allow-origin'] });
  });
  await page.goto(url);
  await page.waitForFunction(() => /** @type {any} */ (window).__raft?.store.get().phase === 'ready');
  expect(new URL(page.url()).origin).toBe(HOST);
  await expect(page.locator('raft-playground .node')).toHaveCount(3);
  // The element, its imports and the wasm all came from the site's origin, allowed by CORS.
  expect(library.map((r) => new URL(r.url).pathname)).toEqual(expect.arrayContaining(['/lib/raft-playground.js', '/lib/driver.js', '/pkg/raft_wasm.js', '/pkg/raft_wasm_bg.wasm']));
  for (const r of library) expect(r, r.url).toMatchObject({ status: 200, cors: '*' });
  // Plays.
  const nowMs = () => page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs);
  const before = await nowMs();
  await page.locator('raft-playground [data-testid="play"]').click();
  await expect.poll(nowMs).toBeGreaterThan(before + 20);
});

test('an iframe of embed.html on another origin takes its content height through the one-line snippet', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const url = await hostPageWith(page, 'snippet-iframe', 'iframe.html');
  await page.goto(url);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('raft-playground .node').first()).toBeVisible();
  const iframe = page.locator('iframe');
  /** The embedded page's content height, read inside the frame. */
  const contentHeight = () => frame.locator('html').evaluate((html) => Math.ceil(html.getBoundingClientRect().height));
  /** The iframe's height on the parent page. */
  const iframeHeight = () => iframe.evaluate((f) => Math.round(f.getBoundingClientRect().height));
  await expect.poll(async () => (await iframeHeight()) - (await contentHeight())).toBe(0);
  const wide = await iframeHeight();
  // The snippet's own height attribute is not what sets it: content decides.
  expect(wide).not.toBe(Number(await iframe.getAttribute('height')));
  // On a phone the playground stacks its panels and grows; the iframe follows.
  await page.setViewportSize({ width: 375, height: 800 });
  await expect.poll(iframeHeight).toBeGreaterThan(wide + 100);
  await expect.poll(async () => (await iframeHeight()) - (await contentHeight())).toBe(0);
});
