// @ts-check
// The npm package as a documentation writer uses it: `cargo xtask pack` made the tarball (the
// suite runs it before this spec); here it is installed into a throwaway Vite project
// (tests/e2e/vite-app, with Vite from the root package.json), built with no Vite configuration,
// served from the second origin, and used in Chromium; then served by Vite's dev server with the
// one line of configuration the recipes give for it; its files used unbundled, laid out as the
// mdBook recipe says; and the React recipe's wrapper in a React page (React from the root
// package.json). Everything runs offline.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { failOnPageErrors, ready } from './helpers.mjs';
import { HOST, HOST_DIR } from './origins.mjs';

const STAGE = 'target/npm/raft-playground';
const APP = resolve('target/npm/vite-app');
const OUT = resolve(HOST_DIR, 'vite');
/** Where the built page lives on the second origin (a subpath, as on many documentation sites). */
const PAGE = `${HOST}/vite/`;

failOnPageErrors();

/**
 * A recipe's code from docs.html, word for word (docs.html escapes it as HTML text).
 * @param {string} name its data-recipe
 */
function recipe(name) {
  const html = readFileSync('www/docs.html', 'utf8').match(new RegExp(`<code[^>]*data-recipe="${name}"[^>]*>([^<]*)</code>`))?.[1];
  if (html === undefined) throw new Error(`docs.html has no recipe ${name}`);
  return html.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** The packed tarball (made by `cargo xtask pack`). */
function tarball() {
  const manifest = `${STAGE}/package.json`;
  if (!existsSync(manifest)) throw new Error(`${manifest} is missing: run \`cargo xtask pack\` first`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  const path = resolve(`target/npm/raft-playground-${version}.tgz`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`cargo xtask pack\` first`);
  return path;
}

/**
 * Copy a fixture project to `app`, install the tarball into it offline (it has no dependencies,
 * so nothing may come from the registry) and build it with Vite into `out`.
 * @param {string} fixture
 * @param {string} app
 * @param {string} out
 * @param {string} base
 * @param {Record<string, string>} [files] more files to write into the project first
 */
function installAndBuild(fixture, app, out, base, files = {}) {
  rmSync(app, { recursive: true, force: true });
  cpSync(fixture, app, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(`${app}/${name}`, text);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball()], { cwd: app, stdio: 'pipe' });
  const vite = resolve('node_modules/vite/bin/vite.js');
  const log = execFileSync(process.execPath, [vite, 'build', '--base', base, '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], { cwd: app, stdio: 'pipe', encoding: 'utf8' });
  // Vite warns when a `new URL(..., import.meta.url)` does not resolve at build time; the
  // package's must all resolve.
  if (/didn't resolve at build time/.test(log)) throw new Error(`vite build warned:\n${log}`);
}

test.beforeAll(() => {
  // npm install and vite build take a few seconds each; a cold disk cache can take longer.
  test.setTimeout(120_000);
  installAndBuild('tests/e2e/vite-app', APP, OUT, '/vite/');
});

test('the Vite build holds the wasm as an asset of its own', () => {
  const assets = readdirSync(`${OUT}/assets`);
  expect(assets.filter((f) => f.endsWith('.wasm'))).toHaveLength(1);
  expect(assets.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0);
});

test('the package\'s lesson files carry the plans the site build adds (xtask/src/plans.rs)', () => {
  const { lessons } = JSON.parse(readFileSync(`${STAGE}/lib/lessons/index.json`, 'utf8'));
  for (const id of lessons) {
    const lesson = JSON.parse(readFileSync(`${STAGE}/lib/lessons/${id}.json`, 'utf8'));
    expect(lesson.plan?.length, `${id}: a plan step per step`).toBe(lesson.steps.length);
  }
});

test('the package\'s TypeScript types resolve through its exports and type-check a user\'s code', () => {
  const tsc = resolve('node_modules/typescript/bin/tsc');
  const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022', '--moduleResolution', 'bundler', '--lib', 'es2022,esnext.disposable,dom', 'consumer.ts'];
  // esnext.disposable: wasm-bindgen's Simulation declares [Symbol.dispose]. Throws with tsc's
  // report when a type is missing or wrong.
  execFileSync(process.execPath, [tsc, ...args], { cwd: APP, stdio: 'pipe', encoding: 'utf8' });
});

test('the element from the npm package, bundled by Vite, draws, plays and opens a share link', async ({ page }) => {
  /** @type {string[]} */
  const wasmFetched = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasmFetched.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(PAGE);
  await ready(page);
  // Draws: one circle per server, and the JS API from 'raft-playground/api' answers too.
  await expect(page.locator('raft-playground .node')).toHaveCount(3);
  await expect(page.locator('#api')).toHaveText(/^leader after 2000 ms: S[1-3]$/);
  expect(wasmFetched).toEqual([expect.stringMatching(/^200 \/vite\/assets\/raft_wasm_bg-[\w-]+\.wasm$/)]);

  // Plays: the Play button moves simulated time on.
  const nowMs = () => page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs);
  const before = await nowMs();
  await page.locator('raft-playground [data-testid="play"]').click();
  await expect.poll(nowMs).toBeGreaterThan(before + 20);

  // Takes a share link: a run with S2 crashed, opened from #link= in a fresh load, comes back
  // paused at the moment it was shared.
  const shared = await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.pause();
    r.driver.act({ type: 'crash', node: 2 });
    r.driver.runFor(300);
    return { link: r.driver.link(), nowMs: r.store.get().nowMs };
  });
  await page.goto('about:blank');
  await page.goto(`${PAGE}#link=${encodeURIComponent(shared.link)}`);
  await ready(page);
  const opened = await page.evaluate(() => {
    const st = /** @type {any} */ (window).__raft.store.get();
    return { nowMs: st.nowMs, playing: st.playing, s2: st.sim.nodes.find((/** @type {any} */ n) => n.id === 2).status };
  });
  expect(opened).toEqual({ nowMs: shared.nowMs, playing: false, s2: 'crashed' });
});

test('the Vite dev server, with the recipe\'s one line in its config, serves a working element', async ({ page }) => {
  // The vite.config.js of docs.html's recipe, word for word: it keeps the package out of
  // pre-bundling, which would move the module away from its wasm (without it the page fetches
  // index.html as the wasm).
  const config = recipe('vite-dev');
  expect(config).toContain('optimizeDeps');
  writeFileSync(`${APP}/vite.config.js`, config);
  const { createServer } = await import('vite');
  const server = await createServer({ root: APP, configFile: `${APP}/vite.config.js`, logLevel: 'silent', server: { host: '127.0.0.1', port: 0 } });
  try {
    await server.listen();
    const address = /** @type {import('node:net').AddressInfo} */ (server.httpServer?.address());
    await page.goto(`http://127.0.0.1:${address.port}/`);
    await ready(page);
    await expect(page.locator('raft-playground .node')).toHaveCount(3);
    await expect(page.locator('#api')).toHaveText(/^leader after 2000 ms: S[1-3]$/);
  } finally {
    await server.close();
  }
});

test('the package\'s lib/ and pkg/, unbundled, work where the mdBook recipe puts them', async ({ page }) => {
  // mdBook copies every non-Markdown file of src/ into the book: src/raft-playground/{lib,pkg}
  // end up beside the chapter's page, whose raw HTML is docs.html's recipe, word for word.
  const chapter = recipe('mdbook');
  expect(chapter).toContain('<raft-playground');
  const book = resolve(HOST_DIR, 'book');
  rmSync(book, { recursive: true, force: true });
  // From the installed tarball, as a reader of the recipe gets them.
  for (const dir of ['lib', 'pkg']) cpSync(`${APP}/node_modules/raft-playground/${dir}`, `${book}/raft-playground/${dir}`, { recursive: true });
  writeFileSync(`${book}/chapter.html`, `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>A chapter</title><link rel="icon" href="data:,"></head>\n<body>\n<h1>Elections</h1>\n${chapter}\n</body>\n</html>\n`);
  await page.goto(`${HOST}/book/chapter.html`);
  await ready(page);
  await expect(page.locator('raft-playground .node')).toHaveCount(3);
});

test('the React recipe\'s wrapper passes its props to the element, also when one changes', async ({ page }) => {
  test.setTimeout(120_000);
  // The wrapper component is docs.html's recipe, word for word; main.jsx renders it.
  const files = { 'RaftPlayground.jsx': recipe('react') };
  installAndBuild('tests/e2e/react-app', resolve('target/npm/react-app'), resolve(HOST_DIR, 'react'), '/react/', files);
  await page.goto(`${HOST}/react/`);
  await ready(page);
  await expect(page.locator('raft-playground .node')).toHaveCount(3);
  await expect(page.locator('raft-playground [data-tab="events"]')).toHaveText('事件');
  await expect(page.locator('raft-playground [data-tab="settings"]')).toBeHidden();
  await page.locator('#five').click();
  await expect(page.locator('raft-playground .node')).toHaveCount(5);
});
