// @ts-check
// Issue 16's page figure side by side for www/embeds.html (six playgrounds at 1x), for builds served on several
// ports: `node tests/e2e/embeds-ab.mjs ROUNDS label=URL label=URL ...` (a label may repeat: two
// instances of one build). Each instance is a Chromium of its own with the page's frames paced
// (paced.mjs, as in embeds.spec.mjs), every playground seeked to 0 and playing at 1x; then windows
// of 30 paced frames in turn (the order reversed every other round), each window's main-thread
// CPU (CDP Performance.getMetrics ThreadTime) divided by its frames. Alternating puts the
// machine's changing load on every build alike (docs/DESIGN.md, "Performance of the page").
// Prints each instance's mean, and each label's ratio to the first label's: of the means, the
// median of the rounds' ratios, and their geometric mean with a 95% interval.
import { chromium } from 'playwright-core';
import { installPacedFrames } from './paced.mjs';
import { readFileSync } from 'node:fs';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WINDOW = 30;

/** @param {string} base */
async function open(base) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  const page = await browser.newPage();
  await page.addInitScript(installPacedFrames);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/embeds.html`);
  await page.waitForFunction(() => {
    const els = /** @type {any[]} */ ([...document.querySelectorAll('raft-playground')]);
    return els.length === 6 && els.every((el) => el.store?.get().phase === 'ready' && el.readyAtMs > 0);
  });
  // All six in view, as in the spec's figure.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.min(height + 20, 8000) });
  await page.waitForTimeout(300);
  await page.evaluate(async () => {
    const w = /** @type {any} */ (window);
    const els = /** @type {any[]} */ ([...document.querySelectorAll('raft-playground')]);
    for (const el of els) el.driver.pause();
    for (const el of els) el.driver.seek(0);
    w.__paced.wall = performance.now();
    w.__paced.on = true;
    for (const el of els) {
      el.setAttribute('speed', '1');
      el.driver.play();
    }
    for (let i = 0; i < 30; i++) await w.__tick();
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return { browser, page, cdp };
}

/** @param {any} cdp */
async function threadTime(cdp) {
  const r = await cdp.send('Performance.getMetrics');
  return r.metrics.find((/** @type {any} */ m) => m.name === 'ThreadTime').value;
}

const rounds = Number(process.argv[2]);
const specs = process.argv.slice(3).map((s) => {
  const at = s.indexOf('=');
  return { label: s.slice(0, at), url: s.slice(at + 1) };
});
if (!(rounds > 1) || specs.length < 2) {
  console.error('usage: node tests/e2e/embeds-ab.mjs ROUNDS label=URL label=URL [label=URL ...]');
  process.exit(2);
}
const runs = [];
for (const s of specs) runs.push({ ...s, ...(await open(s.url)), cpu: /** @type {number[]} */ ([]) });
const loads = [];
for (let r = 0; r < rounds; r++) {
  for (const x of r % 2 ? [...runs].reverse() : runs) {
    const t0 = await threadTime(x.cdp);
    await x.page.evaluate(async (n) => {
      for (let i = 0; i < n; i++) await /** @type {any} */ (window).__tick();
    }, WINDOW);
    x.cpu.push(((await threadTime(x.cdp)) - t0) * 1000 / WINDOW);
  }
  if (r % 6 === 0) loads.push(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}
const mean = (/** @type {number[]} */ a) => a.reduce((s, v) => s + v, 0) / a.length;
const median = (/** @type {number[]} */ a) => {
  const b = [...a].sort((x, y) => x - y);
  return b.length % 2 ? b[(b.length - 1) / 2] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
};
for (const x of runs) console.log(`${x.label} ${x.url}: ${mean(x.cpu).toFixed(2)} ms of CPU per frame (median of windows ${median(x.cpu).toFixed(2)})`);
const labels = [...new Set(runs.map((x) => x.label))];
const perRound = (/** @type {string} */ l) => Array.from({ length: rounds }, (_, r) => mean(runs.filter((x) => x.label === l).map((x) => x.cpu[r])));
const base = perRound(labels[0]);
for (const l of labels.slice(1)) {
  const v = perRound(l);
  const logs = v.map((x, i) => Math.log(x / base[i]));
  const m = mean(logs);
  const ci = (1.96 * Math.sqrt(logs.reduce((a, x) => a + (x - m) ** 2, 0) / (logs.length - 1))) / Math.sqrt(logs.length);
  console.log(`${l} / ${labels[0]}: x${(mean(v) / mean(base)).toFixed(3)} (${mean(base).toFixed(2)} -> ${mean(v).toFixed(2)} ms), median of rounds x${median(v.map((x, i) => x / base[i])).toFixed(3)}, geometric mean x${Math.exp(m).toFixed(3)} (95% CI x${Math.exp(m - ci).toFixed(3)}-x${Math.exp(m + ci).toFixed(3)})`);
}
console.log(`load: ${loads.join(' ')}; ${rounds} rounds of ${WINDOW} frames`);
for (const x of runs) await x.browser.close();
