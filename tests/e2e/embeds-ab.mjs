// @ts-check
// Issue 16's page figure for two builds side by side, in one run: www/embeds.html served by each
// (e.g. a worktree of the baseline on one port, this checkout on another), the six playgrounds
// playing at 1x from time 0 under paced frames (paced.mjs), in INSTANCES Chromium instances per
// build; then windows of FRAMES paced frames, one instance after another (the order reversed
// every other round), each window's main-thread CPU time (CDP Performance.getMetrics ThreadTime)
// divided by its frames. Taking turns every half second puts the machine's changing load on
// both builds alike; runs minutes apart differ by more than most changes measured.
// Prints figures; asserts nothing.
//
//   node tests/e2e/embeds-ab.mjs URL_A URL_B [rounds=16] [instances=2] [frames=30]
import { chromium } from 'playwright-core';
import { installPacedFrames } from './paced.mjs';

const [urlA, urlB, roundsArg = '16', instancesArg = '2', framesArg = '30'] = process.argv.slice(2);
if (!urlA || !urlB) throw new Error('usage: node tests/e2e/embeds-ab.mjs URL_A URL_B [rounds] [instances] [frames]');
const [rounds, instances, frames] = [roundsArg, instancesArg, framesArg].map((x) => {
  const n = Number(x);
  if (!Number.isInteger(n) || n < 1) throw new Error(`rounds, instances and frames must be whole numbers >= 1, got ${x}`);
  return n;
});

/** @param {string} url */
async function open(url) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.log(`${url}: page error ${e}`));
  await page.addInitScript(installPacedFrames);
  await page.goto(new URL('embeds.html', url.endsWith('/') ? url : `${url}/`).href);
  await page.waitForFunction(() => {
    const els = /** @type {any[]} */ ([...document.querySelectorAll('raft-playground')]);
    return els.length === 6 && els.every((el) => el.store?.get().phase === 'ready' && el.readyAtMs > 0);
  });
  // All six in view: the worst case, as the spec measures it.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.min(height + 20, 8000) });
  await page.evaluate(async () => {
    const w = /** @type {any} */ (window);
    w.__paced.wall = performance.now();
    w.__paced.on = true;
    for (const el of /** @type {any[]} */ ([...document.querySelectorAll('raft-playground')])) {
      el.driver.pause();
      el.driver.seek(0);
      el.setAttribute('speed', '1');
      el.driver.play();
    }
    for (let i = 0; i < 30; i++) await w.__tick();
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return { url, browser, page, cdp };
}

/** @param {Awaited<ReturnType<typeof open>>} it */
async function window30(it) {
  /** @param {any} r */
  const thread = (r) => r.metrics.find((/** @type {any} */ m) => m.name === 'ThreadTime').value;
  await it.page.evaluate(() => {
    for (const el of document.querySelectorAll('raft-playground')) /** @type {any} */ (el).driver.perfReset();
  });
  const t0 = thread(await it.cdp.send('Performance.getMetrics'));
  await it.page.evaluate(async (n) => {
    for (let i = 0; i < n; i++) await /** @type {any} */ (window).__tick();
  }, frames);
  const t1 = thread(await it.cdp.send('Performance.getMetrics'));
  // Each playground draws its picture in every second frame at 1x (driver.js); a build that drew
  // less often would look cheaper for it.
  const draws = await it.page.evaluate(() =>
    [...document.querySelectorAll('raft-playground')].map((el) => /** @type {any} */ (el).driver.perf().draws),
  );
  if (draws.some((d) => d < frames / 2)) console.log(`${it.url}: a playground drew ${Math.min(...draws)} pictures in ${frames} frames`);
  return ((t1 - t0) * 1000) / frames;
}

const sides = [];
for (let i = 0; i < instances; i++) sides.push(await open(urlA), await open(urlB));
/** @type {Map<string, number[]>} */
const perUrl = new Map([[urlA, []], [urlB, []]]);
/** @type {number[]} */
const ratios = [];
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...sides].reverse() : sides;
  /** @type {Map<string, number[]>} */
  const thisRound = new Map([[urlA, []], [urlB, []]]);
  for (const side of order) {
    const ms = await window30(side);
    perUrl.get(side.url)?.push(ms);
    thisRound.get(side.url)?.push(ms);
  }
  const mean = (/** @type {number[]} */ xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  ratios.push(mean(/** @type {number[]} */ (thisRound.get(urlB))) / mean(/** @type {number[]} */ (thisRound.get(urlA))));
}
const mean = (/** @type {number[]} */ xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [url, xs] of perUrl) {
  console.log(`${url}: main-thread CPU per frame, mean ${mean(xs).toFixed(2)} ms, median ${median(xs).toFixed(2)} ms (${xs.length} windows of ${frames} frames)`);
}
console.log(`B / A: ${median(ratios).toFixed(3)} (median of ${rounds} rounds' ratios), ${(mean(/** @type {number[]} */ (perUrl.get(urlB))) / mean(/** @type {number[]} */ (perUrl.get(urlA)))).toFixed(3)} (ratio of the means)`);
for (const side of sides) await side.browser.close();
