// @ts-check
// The space-time view (issue 15): its arrows are the run's msgSent / msgDelivered / msgDropped
// events over the window it shows, at the places those times and nodes map to; hovering an arrow
// highlights the message here and in the cluster view; clicking (or Enter) seeks to it and opens
// it in the inspector; the SVG export is a standalone SVG with the same arrows; 9 nodes stay
// legible at 1280 and 375 px, in English and Chinese (screenshots in tests/e2e/artifacts/); and
// the work per frame with the view open is printed as a figure.
import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { ARTIFACTS, failOnPageErrors, ready } from './helpers.mjs';

failOnPageErrors();

const CONFIG = { nodes: 5, seed: 21, lossPct: 10, dupPct: 5, clientWriteEveryMs: 40 };

/**
 * Open the page, start `config` and run `ms` paused, then open the space-time tab.
 * @param {import('@playwright/test').Page} page
 * @param {Record<string, any>} config
 * @param {number} ms
 * @param {string} [query]
 */
async function open(page, config, ms, query = '') {
  await page.goto(`/${query}`);
  await ready(page);
  await page.evaluate(
    ([c, t]) => {
      const r = /** @type {any} */ (window).__raft;
      r.driver.pause();
      r.driver.restart({ ...r.store.get().config, ...c });
      r.driver.runFor(t);
    },
    /** @type {[Record<string, any>, number]} */ ([config, ms]),
  );
  await page.locator('[data-tab="spacetime"]').click();
  await expect(page.locator('.st-msg').first()).toBeAttached();
}

/**
 * The arrows as drawn (screen-independent: SVG user units of the view), and the geometry that
 * maps a time and a node to a point.
 * @param {import('@playwright/test').Page} page
 */
async function drawn(page) {
  return page.evaluate(() => {
    const root = /** @type {ShadowRoot} */ (document.querySelector('raft-playground')?.shadowRoot);
    const st = /** @type {any} */ (window).__raft.store.get();
    const content = /** @type {SVGGElement} */ (root.querySelector('.st-content'));
    const shift = Number(/translate\(([-\d.]+)/.exec(content.getAttribute('transform') ?? '')?.[1]);
    const clip = /** @type {SVGRectElement} */ (root.querySelector('#st-clip rect'));
    const nowX = Number(root.querySelector('.st-now')?.getAttribute('x1'));
    /** @type {Record<string, number>} */
    const laneY = {};
    for (const el of root.querySelectorAll('.st-lane-name')) laneY[String(el.textContent)] = Number(el.getAttribute('y')) - 4;
    const arrows = [...root.querySelectorAll('.st-msg')].map((g) => {
      const d = g.querySelector('.st-line')?.getAttribute('d') ?? '';
      const n = (d.match(/-?[\d.]+/g) ?? []).map(Number);
      return { id: Number(g.getAttribute('data-id')), from: Number(g.getAttribute('data-from')), to: Number(g.getAttribute('data-to')), end: g.getAttribute('data-end'), x0: n[0] + shift, y0: n[1], x1: n[2] + shift, y1: n[3] };
    });
    return { arrows, nowX, k: Number(clip.getAttribute('width')) / st.ui.stWindowMs, now: st.nowMs, win: st.ui.stWindowMs, laneY };
  });
}

/**
 * The run's own trace up to `ms`, from a second Simulation of the same config (the test may call
 * wasm; the page's views never do).
 * @param {import('@playwright/test').Page} page
 * @param {number} ms
 */
async function trace(page, ms) {
  return page.evaluate(async (t) => {
    const mod = await import('/pkg/raft_wasm.js');
    const sim = new mod.Simulation(/** @type {any} */ (window).__raft.driver.sim.config());
    const events = [...sim.advance(0)];
    while (sim.now() < t) events.push(...sim.advance(Math.min(500, t - sim.now())));
    sim.free();
    return events.filter((e) => e.kind === 'msgSent' || e.kind === 'msgDelivered' || e.kind === 'msgDropped' || e.kind === 'msgDuplicated');
  }, ms);
}

test('the arrows are the run’s msgSent and msgDelivered events over the window, at their times and nodes', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  // 3250 ms: the window holds 28 delivered arrows, 2 lost and 3 in flight (at 3000 ms, since
  // elections start at their first deadline, only 20 were delivered).
  await open(page, CONFIG, 3250);
  const g = await drawn(page);
  const events = await trace(page, g.now);
  const t0 = g.now - g.win * 0.9;
  /** @type {Map<number, { from: number, to: number, sent: number, end: number | null, kind: string }>} */
  const msgs = new Map();
  for (const e of events) {
    if (e.kind === 'msgSent') msgs.set(e.id, { from: e.from, to: e.to, sent: e.atMs, end: null, kind: 'flight' });
    else if (e.kind === 'msgDuplicated') {
      const o = /** @type {any} */ (msgs.get(e.id));
      msgs.set(e.copyId, { ...o, sent: e.atMs, end: null, kind: 'flight' });
    } else {
      const m = /** @type {any} */ (msgs.get(e.id));
      m.end = e.atMs;
      m.kind = e.kind === 'msgDelivered' ? 'delivered' : 'dropped';
    }
  }
  const want = [...msgs].filter(([, m]) => m.sent <= g.now && (m.end === null || m.end >= t0)).map(([id]) => id).sort((a, b) => a - b);
  const got = g.arrows.map((a) => a.id).sort((a, b) => a - b);
  expect(want.length).toBeGreaterThan(25);
  expect(got).toEqual(want);
  const delivered = g.arrows.filter((a) => a.end === 'delivered');
  expect(delivered.length).toBeGreaterThan(20);
  expect(g.arrows.filter((a) => a.end === 'dropped').length).toBeGreaterThan(0);
  const xOf = (/** @type {number} */ t) => g.nowX + (t - g.now) * g.k;
  for (const a of g.arrows) {
    const m = /** @type {any} */ (msgs.get(a.id));
    expect([a.from, a.to, a.end]).toEqual([m.from, m.to, m.kind]);
    // Each arrow starts at its send on the sender's lane...
    expect(Math.abs(a.x0 - xOf(m.sent))).toBeLessThan(0.05);
    expect(a.y0).toBe(g.laneY[`S${m.from}`]);
    // ... and a delivered one ends at its delivery on the receiver's lane.
    if (a.end === 'delivered') {
      expect(Math.abs(a.x1 - xOf(m.end))).toBeLessThan(0.05);
      expect(a.y1).toBe(g.laneY[`S${m.to}`]);
    }
  }
  await expect(page.locator('.st-msg[data-end="flight"]').first()).toBeAttached();
  // Zooming out shows more of the run: a longer window, more arrows.
  await page.locator('[data-testid="st-zoom-out"]').click();
  await expect(page.locator('[data-testid="st-span"]')).toHaveText('500 ms');
  expect((await drawn(page)).arrows.length).toBeGreaterThan(got.length);
});

test('hovering an arrow highlights the message here and in the cluster view; leaving clears it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  // 1560 ms: each message in flight has flown more than half its way, so the middle of its arrow
  // is left of "now", not under the future's mask (at 1500 ms the first one had not).
  await open(page, CONFIG, 1560);
  const flying = page.locator('.st-msg[data-end="flight"]').first();
  const id = Number(await flying.getAttribute('data-id'));
  await flying.dispatchEvent('pointerover');
  await expect(flying).toHaveAttribute('data-hover', '1');
  await expect(page.locator(`.cluster-svg .msg[data-id="${id}"]`)).toHaveAttribute('data-hover', '1');
  await expect(page.locator('.st-svg')).toHaveAttribute('data-hovering', '1');
  // Only that one.
  await expect(page.locator('.st-msg[data-hover="1"]')).toHaveCount(1);
  await flying.dispatchEvent('pointerout');
  await expect(page.locator(`.cluster-svg .msg[data-id="${id}"]`)).not.toHaveAttribute('data-hover', '1');
  await expect(page.locator('.st-msg[data-hover="1"]')).toHaveCount(0);

  // With the real pointer: whatever arrow is on top where the pointer rests is the one lit.
  const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await flying.boundingBox());
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(at.x, at.y);
  const under = await page.evaluate(({ x, y }) => {
    const root = /** @type {ShadowRoot} */ (document.querySelector('raft-playground')?.shadowRoot);
    return root.elementFromPoint(x, y)?.closest('.st-msg')?.getAttribute('data-id') ?? null;
  }, at);
  expect(under).not.toBeNull();
  await expect(page.locator('.st-msg[data-hover="1"]')).toHaveAttribute('data-id', String(under));
  await page.mouse.move(2, 2);
  await expect(page.locator('.st-msg[data-hover="1"]')).toHaveCount(0);
});

test('clicking an arrow seeks to its flight and opens its fields; the keyboard does the same', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page, CONFIG, 3000);
  const pick = await page.evaluate(() => {
    const st = /** @type {any} */ (window).__raft.store.get();
    const root = /** @type {ShadowRoot} */ (document.querySelector('raft-playground')?.shadowRoot);
    // A heartbeat: a leader sends them whatever the client load (with loss, writes are few).
    const ids = [...root.querySelectorAll('.st-msg[data-end="delivered"][data-type="heartbeat"]')].map((g) => Number(g.getAttribute('data-id')));
    const m = st.timeline.msgs.find((/** @type {any} */ x) => x.id === ids[Math.floor(ids.length / 2)]);
    return { id: m.id, sent: m.sentAtMs, end: m.endAtMs, term: m.term, from: m.from, to: m.to };
  });
  await page.locator(`.st-msg[data-id="${pick.id}"]`).dispatchEvent('click');
  await expect.poll(() => page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs)).toBeCloseTo((pick.sent + pick.end) / 2, 2);
  const insp = page.locator('[data-testid="inspector"]');
  await expect(insp).toHaveAttribute('data-kind', 'message');
  await expect(insp).toHaveAttribute('data-id', String(pick.id));
  await expect(page.locator('[data-testid="inspector-title"]')).toContainText(`S${pick.from} → S${pick.to}`);
  await expect(page.locator('[data-testid="inspector-fields"] [data-field="term"] dd')).toHaveText(String(pick.term));
  await expect(page.locator('[data-testid="inspector-fields"] [data-field="leaderCommit"]')).toBeVisible();
  await expect(page.locator('.st-msg[data-selected="1"]')).toHaveAttribute('data-id', String(pick.id));
  // At that moment the message is in flight: its arrow is open-ended, and it is on its link.
  await expect(page.locator(`.st-msg[data-id="${pick.id}"]`)).toHaveAttribute('data-end', 'flight');
  await expect(page.locator(`.cluster-svg .msg[data-id="${pick.id}"]`)).toBeAttached();

  // The keyboard: one tab stop; ← moves to the arrow sent before, Enter goes to it.
  const focused = page.locator(`.st-msg[data-id="${pick.id}"]`);
  await focused.focus();
  await page.keyboard.press('ArrowLeft');
  const prev = await page.evaluate(() => {
    const el = /** @type {ShadowRoot} */ (document.querySelector('raft-playground')?.shadowRoot).activeElement;
    return Number(el?.getAttribute('data-id'));
  });
  expect(prev).not.toBe(pick.id);
  await expect(page.locator('.st-msg[tabindex="0"]')).toHaveCount(1);
  await expect(page.locator(`.st-msg[data-id="${prev}"]`)).toHaveAttribute('tabindex', '0');
  await page.keyboard.press('Enter');
  await expect(insp).toHaveAttribute('data-id', String(prev));

  // A message the network lost as it left is never in flight: the inspector says what the trace says.
  const lost = await page.locator('.st-msg[data-end="dropped"]').first().getAttribute('data-id');
  await page.locator(`.st-msg[data-id="${lost}"]`).dispatchEvent('click');
  await expect(insp).toHaveAttribute('data-id', String(lost));
  await expect(page.locator('[data-testid="inspector-past"]')).toBeVisible();
  await expect(page.locator('[data-testid="inspector-fields"] [data-field="fate"] dd')).toContainText('lost');
});

test('a message held past its due time (a paused server) waits on the receiver’s lane until it arrives', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page, { nodes: 5, seed: 4 }, 1200);
  const held = await page.evaluate(async () => {
    const r = /** @type {any} */ (window).__raft;
    const follower = r.store.get().sim.nodes.find((/** @type {any} */ n) => n.role === 'follower').id;
    r.driver.act({ type: 'pause', node: follower });
    r.driver.runFor(120);
    // The held messages, from the run's own trace told again by a second simulation.
    const mod = await import('/pkg/raft_wasm.js');
    const sim = mod.Simulation.fromScenario(r.driver.sim.scenario());
    const now = sim.now();
    sim.seek(0);
    const events = [...sim.advance(0), ...sim.advance(now)];
    sim.free();
    const ended = new Set(events.filter((e) => e.kind === 'msgDelivered' || e.kind === 'msgDropped').map((e) => e.id));
    const ids = events.filter((e) => e.kind === 'msgSent' && e.to === follower && e.deliverAtMs < now && !ended.has(e.id)).map((e) => e.id);
    return { follower, ids };
  });
  expect(held.ids.length).toBeGreaterThan(0);
  const waiting = await page.locator('.st-msg[data-waiting="1"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))).sort((a, b) => a - b));
  expect(waiting).toEqual([...held.ids].sort((a, b) => a - b));
  await expect(page.locator(`.st-mark[data-kind="pause"][data-lane="${held.follower}"]`)).toHaveCount(1);
  // Resumed, the inbox is delivered: every held arrow now ends on the lane, none waits.
  await page.evaluate((node) => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.act({ type: 'resume', node });
    r.driver.runFor(5);
  }, held.follower);
  await expect(page.locator('.st-msg[data-waiting="1"]')).toHaveCount(0);
  for (const id of held.ids) await expect(page.locator(`.st-msg[data-id="${id}"]`)).toHaveAttribute('data-end', 'delivered');
});

test('a client’s lane marks each request where it leaves and each answer where it arrives, as the trace tells them', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page, { nodes: 5, seed: 4, clients: 2, clientWriteEveryMs: 30, lossPct: 10 }, 3000);
  await page.locator('[data-testid="st-zoom-out"]').click();
  await expect(page.locator('[data-testid="st-span"]')).toHaveText('500 ms');
  await expect(page.locator('.st-lane-name')).toHaveText(['S1', 'S2', 'S3', 'S4', 'S5', 'C1', 'C2']);
  const g = await drawn(page);
  const events = await page.evaluate(async (t) => {
    const mod = await import('/pkg/raft_wasm.js');
    const sim = new mod.Simulation(/** @type {any} */ (window).__raft.driver.sim.config());
    const all = [...sim.advance(0)];
    while (sim.now() < t) all.push(...sim.advance(Math.min(500, t - sim.now())));
    sim.free();
    return all.filter((e) => e.kind === 'clientSent' || e.kind === 'clientCompleted' || e.kind === 'clientMsgDropped');
  }, g.now);
  const t0 = g.now - g.win * 0.9;
  const inWindow = events.filter((e) => e.atMs >= t0 && e.atMs <= g.now);
  const drawnMarks = await page.locator('.st-mark.st-request, .st-mark.st-answer, .st-mark.st-clientLost').evaluateAll((els) =>
    els.map((e) => `${e.getAttribute('data-kind')} ${e.getAttribute('data-lane')} ${e.getAttribute('data-server') ?? ''}`).sort(),
  );
  const want = inWindow
    .map((e) =>
      e.kind === 'clientSent' ? `request c${e.client} ${e.to}` : e.kind === 'clientCompleted' ? `answer c${e.client} ${e.servedBy}` : `clientLost ${e.reply ? e.node : `c${e.client}`} `,
    )
    .sort();
  expect(want.filter((w) => w.startsWith('request')).length).toBeGreaterThan(3);
  expect(want.filter((w) => w.startsWith('answer')).length).toBeGreaterThan(2);
  expect(drawnMarks).toEqual(want);
  // Each says what happened in the feed's words when the pointer reaches it.
  const answer = page.locator('.st-mark.st-answer').first();
  await answer.dispatchEvent('pointerover');
  await expect(answer.locator('title')).toContainText(/Client \d/);
});

test('in manual delivery a pending message is an arrow waiting at its receiver: clicking it offers Deliver, and it arrives', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page, { nodes: 3, seed: 2 }, 300);
  const id = await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.act({ type: 'setDelivery', mode: 'manual' });
    r.driver.runFor(200);
    const w = r.store.get().sim.inFlight.find((/** @type {any} */ m) => m.waiting);
    return w ? w.id : null;
  });
  expect(id).not.toBeNull();
  const arrow = page.locator(`.st-msg[data-id="${id}"]`);
  await expect(arrow).toHaveAttribute('data-waiting', '1');
  await expect(arrow).toHaveAttribute('data-end', 'flight');
  const now = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs);
  await arrow.dispatchEvent('click');
  // In flight now: no seek, the inspector opens on it with the manual actions.
  await expect(page.locator('[data-testid="inspector"]')).toHaveAttribute('data-id', String(id));
  expect(await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs)).toBe(now);
  await page.locator('[data-testid="inspector-deliver"]').click();
  await expect(arrow).toHaveAttribute('data-end', 'delivered');
  await expect(arrow).not.toHaveAttribute('data-waiting', '1');
});

test('Export SVG downloads a standalone SVG with the arrows drawn', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page, { ...CONFIG, nodes: 9 }, 1500);
  const count = await page.locator('.st-msg').count();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="st-export"]').click()]);
  expect(download.suggestedFilename()).toMatch(/^raft-spacetime-\d+ms\.svg$/);
  const file = await readFile(/** @type {string} */ (await download.path()), 'utf8');
  expect(file.startsWith('<?xml')).toBe(true);
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = doc.documentElement;
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: svg.nodeName,
      ns: svg.namespaceURI,
      arrows: doc.querySelectorAll('g[data-id] path').length,
      groups: doc.querySelectorAll('g[data-id]').length,
      vars: /var\(--/.test(text),
      lanes: [...doc.querySelectorAll('text')].filter((t) => /^S\d$/.test(t.textContent ?? '')).length,
      strokes: [...doc.querySelectorAll('g[data-id] path')].map((p) => p.getAttribute('style')?.match(/stroke:([^;]+)/)?.[1]).filter((s) => s && s !== 'none').length,
    };
  }, file);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('svg');
  expect(parsed.ns).toBe('http://www.w3.org/2000/svg');
  expect(parsed.groups).toBe(count);
  expect(parsed.arrows).toBeGreaterThanOrEqual(count);
  expect(parsed.strokes).toBeGreaterThanOrEqual(count);
  expect(parsed.lanes).toBe(9);
  // The page's CSS variables do not travel with the file: every colour is written out.
  expect(parsed.vars).toBe(false);
});

for (const [w, h] of [
  [1280, 900],
  [375, 812],
]) {
  for (const lang of ['en', 'zh']) {
    test(`9 nodes stay legible at ${w} px (${lang}): lanes apart, names clear of each other`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await open(page, { nodes: 9, seed: 5, lossPct: 10, clientWriteEveryMs: 20 }, 1600, `?lang=${lang}`);
      await page.evaluate(() => {
        const d = /** @type {any} */ (window).__raft.driver;
        d.act({ type: 'crash', node: 7 });
        d.act({ type: 'partition', groups: [[1, 2, 3, 4, 5, 6, 8], [9]] });
        d.runFor(140);
      });
      const panel = page.locator('[data-testid="panel-spacetime"]');
      await panel.scrollIntoViewIfNeeded();
      // The pointer away from the diagram: no arrow highlighted in the picture.
      await page.mouse.move(1, 1);
      await page.waitForTimeout(100);
      await panel.screenshot({ path: `${ARTIFACTS}/spacetime-${w}-${lang}.png` });
      await page.screenshot({ path: `${ARTIFACTS}/spacetime-${w}-${lang}-page.png`, fullPage: true });
      const names = await page.locator('.st-lane-name').allTextContents();
      // Nine servers, then the client (clients are endpoints of the network).
      expect(names).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'C1']);
      const boxes = await page.locator('.st-lane-name').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((b) => ({ top: b.top, bottom: b.bottom, h: b.height })));
      for (let i = 1; i < boxes.length; i++) expect(boxes[i].top).toBeGreaterThanOrEqual(boxes[i - 1].bottom);
      // A lane is at least 24 px tall on screen, so its arrows and marks can be told apart.
      const lane = await page.locator('.st-svg').evaluate((el, n) => el.getBoundingClientRect().height / n, names.length);
      expect(lane).toBeGreaterThanOrEqual(24);
      await expect(page.locator('.st-mark[data-kind="crash"]')).toHaveCount(1);
      await expect(page.locator('.st-mark[data-kind="cut"][data-lane="9"]')).toHaveCount(1);
      await expect(page.locator('[data-tab="spacetime"]')).toHaveText(lang === 'zh' ? '时空图' : 'Space-time');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
}

test('work per frame with the space-time view open, 9 nodes, 10% loss, a client every 20 ms, at 1×', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await ready(page);
  await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.restart({ ...r.store.get().config, nodes: 9, lossPct: 10, clientWriteEveryMs: 20 });
    r.driver.runFor(30000);
  });
  await page.locator('[data-tab="spacetime"]').click();
  /** @type {Record<string, any>} */
  const figures = {};
  for (const view of ['spacetime', 'events']) {
    await page.locator(`[data-tab="${view}"]`).click();
    const perf = await page.evaluate(async () => {
      const r = /** @type {any} */ (window).__raft;
      r.driver.setSpeed(1);
      r.driver.play();
      await new Promise((res) => setTimeout(res, 300));
      r.driver.perfReset();
      const before = r.element.viewTimes().spacetime;
      const t0 = performance.now();
      await new Promise((res) => setTimeout(res, 2500));
      while ((/** @type {any} */ (window).__raftPerf.window ?? 0) <= 40 && performance.now() - t0 < 20000) await new Promise((res) => setTimeout(res, 100));
      const p = /** @type {any} */ (window).__raftPerf;
      r.driver.pause();
      return { ...p, fps: (p.frames * 1000) / (performance.now() - t0), stMs: (r.element.viewTimes().spacetime - before) / Math.max(1, p.frames) };
    });
    console.log(
      `work per frame, ${view} tab open, 9 nodes, 10% loss, client every 20 ms, 1x: avg ${perf.workMsAvg.toFixed(2)} ms ` +
        `(wasm ${perf.wasmMsAvg.toFixed(2)} + render ${perf.renderMsAvg.toFixed(2)}; space-time view ${perf.stMs.toFixed(2)}), ` +
        `p95 ${perf.workMsP95.toFixed(2)} ms, max ${perf.workMsMax.toFixed(2)} ms, ${perf.fps.toFixed(0)} fps`,
    );
    expect(perf.window).toBeGreaterThan(30);
    figures[view] = perf;
  }
  // A figure, not a timed assertion: the counter measures real work, and the view drew arrows.
  expect(figures.spacetime.workMsAvg).toBeGreaterThan(0);
  expect(figures.spacetime.stMs).toBeGreaterThan(0);
  expect(figures.events.stMs).toBeLessThan(figures.spacetime.stMs);
});
