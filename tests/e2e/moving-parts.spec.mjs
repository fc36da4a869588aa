// @ts-check
// The cluster's moving parts (messages in flight, election timers) are drawn on a canvas
// (web/views/cluster-canvas.js). What their SVG elements gave must still be there: each message
// is drawn where it is, a click on a moving one opens it, and a still picture has an element for
// each message (focusable, labelled, found by the page's selectors). These tests read the
// canvas's pixels against the run's state.
import { test, expect } from '@playwright/test';
import { failOnPageErrors, ready, fromZeroPaused } from './helpers.mjs';
import { installPacedFrames } from './paced.mjs';

failOnPageErrors();

/**
 * The canvas's pixel under a point of the page, as [r, g, b, a].
 * @param {import('@playwright/test').Page} page
 * @param {{ x: number, y: number }} at
 */
function pixel(page, at) {
  return page.evaluate(({ x, y }) => {
    const root = /** @type {ShadowRoot} */ (document.querySelector('raft-playground')?.shadowRoot);
    const canvas = /** @type {HTMLCanvasElement} */ (root.querySelector('.cluster-moving'));
    const r = canvas.getBoundingClientRect();
    const px = Math.floor(((x - r.left) * canvas.width) / r.width);
    const py = Math.floor(((y - r.top) * canvas.height) / r.height);
    return [.../** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d')).getImageData(px, py, 1, 1).data];
  }, at);
}

/**
 * The most opaque of the canvas's pixels in a short column down from a point (a ring's stroke is
 * a few pixels wide, and where its element's box begins depends on how the stroke is counted).
 * @param {import('@playwright/test').Page} page
 * @param {{ x: number, y: number }} at
 * @param {number} [dx] the column's direction
 * @param {number} [dy]
 */
async function strongest(page, at, dx = 0, dy = 1) {
  let best = [0, 0, 0, 0];
  for (let i = 0; i <= 5; i++) {
    const p = await pixel(page, { x: at.x + dx * i, y: at.y + dy * i });
    if (p[3] > best[3]) best = p;
  }
  return best;
}

/**
 * Pause and run on until some message is in flight; the ids in flight.
 * @param {import('@playwright/test').Page} page
 */
async function untilInFlight(page) {
  return page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.pause();
    for (let i = 0; i < 2000 && !r.store.get().sim.inFlight.length; i++) r.driver.runFor(1);
    return r.store.get().sim.inFlight.map((/** @type {any} */ m) => m.id);
  });
}

/**
 * Open the page with its frames paced (paced.mjs), at 1200 ms from the start and on until some
 * message is in flight, paused; the ids in flight.
 * @param {import('@playwright/test').Page} page
 */
async function pacedWithMessages(page) {
  await page.addInitScript(installPacedFrames);
  await page.goto('/?seed=7');
  await ready(page);
  await fromZeroPaused(page);
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.runFor(1200));
  return untilInFlight(page);
}

/**
 * Play so slowly (0.001x) that a message moves less than a unit in the frames to come, and draw
 * `frames` of them.
 * @param {import('@playwright/test').Page} page
 * @param {number} frames
 */
async function playSlowly(page, frames) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__paced.on = true;
    w.__raft.driver.setSpeed(0.001);
    w.__raft.driver.play();
  });
  for (let i = 0; i < frames; i++) await page.evaluate(() => /** @type {any} */ (window).__tick());
}

/**
 * The centre of a message's element on the page.
 * @param {import('@playwright/test').Page} page
 * @param {number} id
 */
async function centreOf(page, id) {
  const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator(`.cluster-svg .msg[data-id="${id}"] .msg-body`).boundingBox());
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

test('a still picture has an element for every message in flight, and the canvas draws each one where its element is', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  await fromZeroPaused(page);
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.runFor(1200));
  const ids = await untilInFlight(page);
  expect(ids.length).toBeGreaterThan(0);
  await expect(page.locator('.cluster-svg .msg')).toHaveCount(ids.length);
  for (const id of ids) {
    const el = page.locator(`.cluster-svg .msg[data-id="${id}"]`);
    await expect(el).toHaveAttribute('tabindex', '0');
    await expect(el).toHaveAttribute('aria-label', /S\d→S\d/);
    const at = await centreOf(page, id);
    await expect.poll(async () => (await pixel(page, at))[3], `message ${id} drawn at its element's centre`).toBeGreaterThan(200);
  }
  // And nothing where nothing is: the drawing's top left corner.
  const corner = /** @type {{ x: number, y: number }} */ (await page.locator('.cluster-moving').boundingBox());
  expect((await pixel(page, { x: corner.x + 2, y: corner.y + 2 }))[3]).toBe(0);
});

test('switching the theme while paused redraws the messages at once, in the new colours', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  await fromZeroPaused(page);
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.runFor(1200));
  // A heartbeat: a hollow circle, filled with the page's background and marked with nothing.
  const id = await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    for (let i = 0; i < 2000; i++) {
      const hb = r.store.get().sim.inFlight.find((/** @type {any} */ m) => m.type === 'heartbeat');
      if (hb) return hb.id;
      r.driver.runFor(1);
    }
    return null;
  });
  expect(id).not.toBeNull();
  const at = await centreOf(page, /** @type {number} */ (id));
  const bg = () =>
    page.evaluate(() => {
      const root = /** @type {ShadowRoot} */ (document.querySelector('raft-playground')?.shadowRoot);
      const v = getComputedStyle(/** @type {Element} */ (root.querySelector('.app'))).getPropertyValue('--bg').trim();
      return [1, 3, 5].map((i) => Number.parseInt(v.slice(i, i + 2), 16));
    });
  /** How far the pixel at the heartbeat's centre is from the background's colour. */
  const offBg = async () => {
    const [want, got] = [await bg(), await pixel(page, at)];
    return got[3] < 200 ? 999 : want.reduce((a, v, i) => a + Math.abs(v - got[i]), 0);
  };
  await expect.poll(offBg, 'light').toBeLessThan(30);
  await page.locator('[data-testid="theme"]').click();
  await expect(page.locator('.app')).toHaveAttribute('data-theme', 'dark');
  expect((await bg())[0], 'a dark background').toBeLessThan(80);
  await expect.poll(offBg, 'dark').toBeLessThan(30);
});

test('while the run plays, messages are pixels only, and a click on a moving one opens it in the inspector', async ({ page }) => {
  const ids = await pacedWithMessages(page);
  // The last drawn: no other message lies over it.
  const id = ids[ids.length - 1];
  const at = await centreOf(page, id);
  await playSlowly(page, 2);
  expect(await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().playing)).toBe(true);
  await expect(page.locator('.cluster-svg .msg')).toHaveCount(0);
  await expect.poll(async () => (await pixel(page, at))[3], 'the moving message is drawn').toBeGreaterThan(200);
  const run = () =>
    page.evaluate(() => {
      const r = /** @type {any} */ (window).__raft;
      return { actions: r.driver.sim.scenario().actions.length, nowMs: r.store.get().nowMs };
    });
  const before = await run();
  // The click lands on the canvas's message, not on the link or the timer ring under it.
  await page.mouse.click(at.x, at.y);
  await page.evaluate(() => /** @type {any} */ (window).__unpace());
  const insp = page.locator('[data-testid="inspector"]');
  await expect(insp).toHaveAttribute('data-kind', 'message');
  await expect(insp).toHaveAttribute('data-id', String(id));
  await expect(page.locator('.node-menu')).toBeHidden();
  // Only looked at: nothing was recorded (a cut link would be), and the run went on from where it was.
  const after = await run();
  expect(after.actions).toBe(before.actions);
  expect(after.nowMs).toBeGreaterThanOrEqual(before.nowMs);
  // Paused again, the messages are elements again.
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.pause());
  const count = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().sim.inFlight.length);
  await expect(page.locator('.cluster-svg .msg')).toHaveCount(count);
});

test('the election timers are drawn on the canvas: a full arc for every follower at the start, the half left from the top halfway, none for a leader', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  await fromZeroPaused(page);
  const ids = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().sim.nodes.map((/** @type {any} */ n) => n.id));
  const timer = await page.evaluate(() => {
    const root = /** @type {ShadowRoot} */ (document.querySelector('raft-playground')?.shadowRoot);
    return getComputedStyle(/** @type {Element} */ (root.querySelector('.app'))).getPropertyValue('--timer').trim();
  });
  const rgb = [1, 3, 5].map((i) => Number.parseInt(timer.slice(i, i + 2), 16));
  /** The top of a server's ring, where the arc starts. @param {number} id */
  const top = async (id) => {
    const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator(`.timer-ring[data-timer="${id}"] .timer-track`).boundingBox());
    return { x: box.x + box.width / 2, y: box.y - 1 };
  };
  for (const id of ids) {
    await expect(page.locator(`.timer-ring[data-timer="${id}"]`)).toHaveAttribute('data-frac', '1.000');
    const at = await top(id);
    // Its colour's distance from the timer's (alpha 0 counts as far).
    await expect
      .poll(async () => {
        const [r, g, b, a] = await strongest(page, at);
        return a < 200 ? 999 : Math.abs(r - rgb[0]) + Math.abs(g - rgb[1]) + Math.abs(b - rgb[2]);
      }, `S${id}'s ring in the timer's colour`)
      .toBeLessThan(40);
  }
  // Halfway to the latest first deadline, before any election: the arc runs clockwise from the
  // top for the half left, so it covers the ring's right and not its left.
  const half = await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    const nodes = r.store.get().sim.nodes;
    const last = nodes.reduce((/** @type {any} */ a, /** @type {any} */ b) => (b.electionDeadlineMs > a.electionDeadlineMs ? b : a));
    const first = Math.min(...nodes.map((/** @type {any} */ n) => n.electionDeadlineMs));
    r.driver.runFor(Math.min(last.electionDeadlineMs / 2, first - 1));
    return { id: last.id, inFlight: r.store.get().sim.inFlight.length };
  });
  expect(half.inFlight).toBe(0);
  const frac = Number(await page.locator(`.timer-ring[data-timer="${half.id}"]`).getAttribute('data-frac'));
  expect(frac).toBeGreaterThanOrEqual(0.5);
  expect(frac).toBeLessThan(0.75);
  const ring = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator(`.timer-ring[data-timer="${half.id}"] .timer-track`).boundingBox());
  const middle = ring.y + ring.height / 2;
  await expect.poll(async () => (await strongest(page, { x: ring.x + ring.width + 1, y: middle }, -1, 0))[3], 'the arc on the right').toBeGreaterThan(200);
  await expect.poll(async () => (await strongest(page, { x: ring.x - 1, y: middle }, 1, 0))[3], 'no arc on the left').toBe(0);

  // A moment with a leader and nothing in flight: the leader's ring is gone.
  const leader = await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    for (let i = 0; i < 5000; i++) {
      r.driver.runFor(1);
      const sim = r.store.get().sim;
      const l = sim.nodes.find((/** @type {any} */ n) => n.role === 'leader');
      if (l && !sim.inFlight.length) return l.id;
    }
    return null;
  });
  expect(leader).not.toBeNull();
  await expect(page.locator(`.timer-ring[data-timer="${leader}"]`)).not.toHaveAttribute('data-frac', /./);
  const at = await top(/** @type {number} */ (leader));
  await expect.poll(async () => (await strongest(page, at))[3], 'no ring for the leader').toBe(0);
});

test('a message focused in a still picture can be delivered by its key, and the panels follow at once', async ({ page }) => {
  // Removing the focused message's element blurs it; that must not re-enter the drawing (an
  // uncaught error there left the pending list and the inspector a store update behind).
  await page.goto('/?seed=7');
  await ready(page);
  await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.pause();
    r.driver.runFor(1500);
    r.driver.act({ type: 'setDelivery', mode: 'manual' });
    for (let i = 0; i < 500 && r.store.get().sim.inFlight.filter((/** @type {any} */ m) => m.waiting).length < 3; i++) r.driver.runFor(1);
  });
  const msg = page.locator('.cluster-svg .msg[data-waiting="1"]').first();
  const id = Number(await msg.getAttribute('data-id'));
  await msg.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator(`.cluster-svg .msg[data-id="${id}"]`)).toHaveCount(0);
  await expect(page.locator(`[data-testid="pending-list"] li[data-id="${id}"]`)).toHaveCount(0);
  const last = await page.evaluate(() => /** @type {any} */ (window).__raft.driver.sim.scenario().actions.at(-1).action);
  expect(last).toEqual({ type: 'deliver', id });
});

test('a message focused while paused loses its element when the run plays, without an error', async ({ page }) => {
  await page.goto('/?seed=7');
  await ready(page);
  await fromZeroPaused(page);
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.runFor(1200));
  const ids = await untilInFlight(page);
  await page.locator(`.cluster-svg .msg[data-id="${ids[0]}"]`).focus();
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.play());
  await expect(page.locator('.cluster-svg .msg')).toHaveCount(0);
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.pause());
  await expect(page.locator('.cluster-svg .msg').first()).toBeAttached();
});

test('a click beside a moving message, outside its shape, does not pick it', async ({ page }) => {
  const ids = await pacedWithMessages(page);
  const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator(`.cluster-svg .msg[data-id="${ids[0]}"] .msg-body`).boundingBox());
  await playSlowly(page, 1);
  // Two pixels past its shape's box, on its right.
  await page.mouse.click(box.x + box.width + 2, box.y + box.height / 2);
  await page.evaluate(() => /** @type {any} */ (window).__unpace());
  await expect(page.locator('[data-testid="inspector"]')).not.toHaveAttribute('data-id', String(ids[0]));
});

test.describe('at a pixel ratio of 1.25', () => {
  test.use({ deviceScaleFactor: 1.25 });
  test('the canvas lies on whole screen pixels, one canvas pixel to one screen pixel, and follows a new ratio', async ({ page }) => {
    await page.setViewportSize({ width: 900, height: 800 });
    await page.goto('/?seed=7');
    await ready(page);
    await page.evaluate(() => /** @type {any} */ (window).__raft.driver.pause());
    const fit = () =>
      page.evaluate(() => {
        const root = /** @type {ShadowRoot} */ (document.querySelector('raft-playground')?.shadowRoot);
        const canvas = /** @type {HTMLCanvasElement} */ (root.querySelector('.cluster-moving'));
        const r = canvas.getBoundingClientRect();
        const dpr = devicePixelRatio;
        const corner = [(r.left + scrollX) * dpr, (r.top + scrollY) * dpr];
        return {
          dpr,
          offGrid: Math.max(...corner.map((v) => Math.abs(v - Math.round(v)))),
          scale: [canvas.width / (r.width * dpr), canvas.height / (r.height * dpr)],
        };
      });
    const at125 = await fit();
    expect(at125.dpr).toBe(1.25);
    // Within what Chromium places a box by (1/64 of a CSS pixel); at 125% the drawing itself
    // begins half a device pixel off the grid.
    expect(at125.offGrid).toBeLessThan(0.03);
    for (const s of at125.scale) expect(s).toBeCloseTo(1, 3);
    // Another pixel ratio, no size the page can see changed (a zoom, another screen). Headless
    // Chromium reports no change of the resolution media query for an emulated ratio, so the
    // next picture (a step of the run) is what finds it here.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 900, height: 800, deviceScaleFactor: 2, mobile: false });
    await expect.poll(async () => (await fit()).dpr).toBe(2);
    await page.evaluate(() => /** @type {any} */ (window).__raft.driver.runFor(5));
    await expect.poll(async () => (await fit()).scale[0]).toBeCloseTo(1, 3);
    expect((await fit()).offGrid).toBeLessThan(0.03);
  });
});
