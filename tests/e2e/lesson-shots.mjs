// @ts-check
// Screenshots of every step of some lessons, at 1280 and 375 px, in English and Chinese, for a
// person to look at (not a test: nothing here can pass or fail). Needs a served site:
//   cargo xtask serve --no-build --port 8207 &
//   E2E_PORT=8207 node tests/e2e/lesson-shots.mjs election leader-crash
// Writes tests/e2e/artifacts/lessons/<id>-<lang>-<width>-<step>.png (git-ignored).
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const PORT = Number(process.env.E2E_PORT ?? 8123);
const OUT = 'tests/e2e/artifacts/lessons';
mkdirSync(OUT, { recursive: true });
const ids = process.argv.slice(2);
if (!ids.length) {
  console.error('usage: node tests/e2e/lesson-shots.mjs LESSON_ID...');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const id of ids) {
  for (const lang of ['en', 'zh']) {
    for (const width of [1280, 375]) {
      const page = await browser.newPage({ viewport: { width, height: width > 500 ? 900 : 800 } });
      page.on('console', (m) => m.type() === 'error' && console.error(`${id} ${lang} ${width}: ${m.text()}`));
      await page.goto(`http://127.0.0.1:${PORT}/?lesson=${id}&lang=${lang}`);
      await page.waitForFunction(() => /** @type {any} */ (window).__raft?.store.get().lesson?.plan?.length > 0);
      const n = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().lesson.plan.length);
      await page.screenshot({ path: `${OUT}/${id}-${lang}-${width}-0.png`, fullPage: true });
      for (let i = 0; i < n; i++) {
        await page.locator('.lesson-dot').nth(i).click();
        await page.waitForFunction((k) => /** @type {any} */ (window).__raft.store.get().lesson?.step === k, i);
        await page.waitForTimeout(150);
        await page.screenshot({ path: `${OUT}/${id}-${lang}-${width}-${i + 1}.png`, fullPage: true });
      }
      await page.close();
    }
  }
}
await browser.close();
console.log(`screenshots in ${OUT}`);
