// @ts-check
// Lesson mode: every lesson in web/lessons is walked to its end in English and in Chinese with
// Continue (and the keyboard), then back with Back and the dots; each pause shows that step's
// caption at that step's moment, and the cluster there bears out the step's claims about it. The
// inspectors show exactly what sim.state() holds.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { failOnPageErrors, ready } from './helpers.mjs';

failOnPageErrors();

const DIR = new URL('../../web/lessons/', import.meta.url);
/** @type {{ lessons: string[] }} */
const INDEX = JSON.parse(readFileSync(new URL('index.json', DIR), 'utf8'));
/** @param {string} id */
const lessonFile = (id) => JSON.parse(readFileSync(new URL(`${id}.json`, DIR), 'utf8'));

/**
 * Where the page is: the lesson state and the clock.
 * @param {import('@playwright/test').Page} page
 */
async function where(page) {
  return page.evaluate(() => {
    const st = /** @type {any} */ (window).__raft.store.get();
    return { step: st.lesson?.step ?? null, target: st.lesson?.target ?? null, now: st.nowMs, plan: st.lesson?.plan ?? [], playing: st.playing };
  });
}

/** The `expect` fields of a node that read straight off sim.state(). */
const NODE_CLAIMS = ['role', 'term', 'commitIndex'];

/**
 * The step's claims about who leads and each node's role, term and commit index (the part of its
 * `expect` that reads straight off sim.state(), as the native check reads them) hold in the page
 * at the pause. The moment itself comes from the page's plan, so this is what tells a pause where
 * `raft-sim lessons --check` looked from a pause anywhere else. Returns how many it checked.
 * @param {import('@playwright/test').Page} page
 * @param {any} lesson the lesson file
 * @param {number} i
 */
async function expectStepClaims(page, lesson, i) {
  const state = await page.evaluate(() => /** @type {any} */ (window).__raft.driver.sim.state());
  let checked = 0;
  for (const e of lesson.steps[i].expect ?? []) {
    if ('leaders' in e) {
      const leaders = state.nodes.filter((/** @type {any} */ n) => n.role === 'leader').map((/** @type {any} */ n) => n.id);
      expect(leaders.sort((/** @type {number} */ a, /** @type {number} */ b) => a - b), `${lesson.id} step ${i}: leaders`).toEqual(e.leaders);
      checked++;
    }
    if ('node' in e) {
      const n = state.nodes.find((/** @type {any} */ x) => x.id === e.node);
      for (const f of NODE_CLAIMS.filter((f) => f in e)) {
        expect(n?.[f], `${lesson.id} step ${i}: S${e.node} ${f}`).toEqual(e[f]);
        checked++;
      }
    }
  }
  return checked;
}

/**
 * The page is paused at step i (its moment, its caption, its claims about the cluster).
 * @param {import('@playwright/test').Page} page
 * @param {any} lesson the lesson file
 * @param {number} i
 * @param {'en' | 'zh'} lang
 */
async function expectAtStep(page, lesson, i, lang) {
  await page.waitForFunction((k) => {
    const st = /** @type {any} */ (window).__raft.store.get();
    return st.lesson && st.lesson.step === k && st.lesson.target === null && !st.playing;
  }, i);
  const w = await where(page);
  expect(w.now, `${lesson.id} step ${i} moment`).toBeCloseTo(w.plan[i].atMs, 6);
  await expect(page.locator('[data-testid="lesson-caption"]')).toHaveText(lesson.steps[i].caption[lang]);
  await expect(page.locator('[data-testid="lesson-where"]')).toHaveText(lang === 'zh' ? `第 ${i + 1} 步，共 ${lesson.steps.length} 步` : `Step ${i + 1} of ${lesson.steps.length}`);
  await expect(page.locator('.lesson-dot[aria-current="step"]')).toHaveCount(1);
  return expectStepClaims(page, lesson, i);
}

for (const lang of /** @type {const} */ (['en', 'zh'])) {
  test(`every lesson walks to its end and back in ${lang}`, async ({ page }) => {
    test.setTimeout(60_000 + INDEX.lessons.length * 30_000);
    let claims = 0;
    for (const id of INDEX.lessons) {
      const lesson = lessonFile(id);
      await page.goto(`/?lesson=${id}&lang=${lang}`);
      await ready(page);
      await expect(page.locator('[data-testid="lesson"]')).toHaveAttribute('data-state', 'intro');
      await expect(page.locator('[data-testid="lesson-title"]')).toHaveText(lesson.title[lang]);
      // Fast enough that each step's lead-in plays in a few frames.
      await page.evaluate(() => /** @type {any} */ (window).__raft.driver.setSpeed(20));
      for (let i = 0; i < lesson.steps.length; i++) {
        // Continue by button on even steps, by → on odd ones.
        if (i % 2 === 0) await page.locator('[data-testid="lesson-next"]').click();
        else await page.locator('.cluster-svg').press('ArrowRight');
        claims += await expectAtStep(page, lesson, i, lang);
      }
      await expect(page.locator('[data-testid="lesson-next"]')).toBeDisabled();
      await expect(page.locator('[data-testid="lesson"]')).toHaveAttribute('data-state', 'end');
      const n = lesson.steps.length;
      if (n >= 2) {
        await page.locator('[data-testid="lesson-back"]').click();
        await expectAtStep(page, lesson, n - 2, lang);
      }
      if (n >= 3) {
        await page.locator('.cluster-svg').press('ArrowLeft');
        await expectAtStep(page, lesson, n - 3, lang);
      }
      // A dot jumps straight to its step, backward or forward.
      await page.locator('.lesson-dot').nth(n - 1).click();
      await expectAtStep(page, lesson, n - 1, lang);
      await page.locator('.lesson-dot').first().click();
      await expectAtStep(page, lesson, 0, lang);
    }
    // Most steps make such claims (337 on the forward walks when written); none would prove nothing.
    expect(claims).toBeGreaterThan(150);
  });
}

test('Continue while playing to a step arrives there at once; Back from the first step returns to the introduction', async ({ page }) => {
  const lesson = lessonFile('leader-crash');
  await page.goto('/?lesson=leader-crash');
  await ready(page);
  await page.waitForFunction(() => /** @type {any} */ (window).__raft.store.get().lesson?.plan.length > 0);
  await page.evaluate(() => /** @type {any} */ (window).__raft.driver.setSpeed(0.001));
  await page.locator('[data-testid="lesson-next"]').click();
  await expect(page.locator('[data-testid="lesson"]')).toHaveAttribute('data-state', 'playing');
  await page.keyboard.press('Space');
  await expectAtStep(page, lesson, 0, 'en');
  await page.locator('[data-testid="lesson-back"]').click();
  await expect(page.locator('[data-testid="lesson"]')).toHaveAttribute('data-state', 'intro');
  expect((await where(page)).now).toBe(0);
});

test('?lesson=ID&step=N opens paused at that step, and the step link says so', async ({ page }) => {
  const lesson = lessonFile('leader-crash');
  await page.goto('/?lang=zh&lesson=leader-crash&step=4');
  await ready(page);
  await expectAtStep(page, lesson, 3, 'zh');
  const href = await page.locator('[data-testid="lesson-link"]').getAttribute('href');
  const u = new URL(/** @type {string} */ (href));
  expect([u.searchParams.get('lesson'), u.searchParams.get('step'), u.searchParams.get('lang')]).toEqual(['leader-crash', '4', 'zh']);
  // The highlighted nodes stand out; the others are dimmed.
  await expect(page.locator('.app')).toHaveAttribute('data-focus', '1');
  for (const id of lesson.steps[3].highlight.nodes) await expect(page.locator(`.node[data-node="${id}"]`)).toHaveAttribute('data-focus', '1');
  const dimmed = [1, 2, 3, 4, 5].find((id) => !lesson.steps[3].highlight.nodes.includes(id));
  await expect(page.locator(`.node[data-node="${dimmed}"]`)).not.toHaveAttribute('data-focus', '1');
  // An unknown lesson leaves a usable playground and says why.
  await page.goto('/?lesson=no-such-lesson');
  await ready(page);
  await expect(page.locator('[data-testid="notice"]')).toContainText('no-such-lesson');
  await expect(page.locator('[data-testid="lesson"]')).toBeHidden();
});

test('a lesson file without its plan, or with one that does not fit, says so and leaves a usable playground', async ({ page }) => {
  // What serving web/ as it is (without the site build, which adds the plan) or a stale copy gives.
  const source = readFileSync(new URL('leader-crash.json', DIR), 'utf8');
  const lesson = JSON.parse(source);
  const short = { ...lesson, plan: [{ atMs: 10, messageIds: [], slowFromMs: 0 }] };
  for (const [body, says] of [[source, 'has no plan'], [JSON.stringify(short), `does not fit its ${lesson.steps.length} steps`]]) {
    await page.route('**/lessons/leader-crash.json', (route) => route.fulfill({ contentType: 'application/json', body }));
    await page.goto('/?lesson=leader-crash&step=2');
    await ready(page);
    const notice = page.locator('[data-testid="notice"]');
    await expect(notice).toContainText('leader-crash');
    await expect(notice).toContainText(says);
    await expect(page.locator('[data-testid="lesson"]')).toBeHidden();
    // The run is there to play with.
    const before = await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs);
    await page.evaluate(() => /** @type {any} */ (window).__raft.driver.runFor(500));
    expect(await page.evaluate(() => /** @type {any} */ (window).__raft.store.get().nowMs)).toBeGreaterThan(before);
    await page.unroute('**/lessons/leader-crash.json');
  }
});

test('the node inspector shows what sim.state() holds, for a leader and a follower', async ({ page }) => {
  await page.goto('/?lesson=leader-crash&step=4');
  await ready(page);
  await page.waitForFunction(() => /** @type {any} */ (window).__raft.store.get().lesson?.step === 3);
  for (const id of [2, 3]) {
    await page.locator(`.node[data-node="${id}"]`).focus();
    const box = page.locator('[data-testid="inspector"]');
    await expect(box).toHaveAttribute('data-id', String(id));
    const n = await page.evaluate((k) => /** @type {any} */ (window).__raft.driver.sim.state().nodes.find((/** @type {any} */ x) => x.id === k), id);
    const field = (/** @type {string} */ f) => box.locator(`[data-field="${f}"] .insp-value`).first();
    await expect(field('currentTerm')).toHaveText(String(n.term));
    await expect(field('votedFor')).toHaveText(n.votedFor ? `S${n.votedFor}` : '—');
    await expect(field('commitIndex')).toHaveText(String(n.commitIndex));
    await expect(field('lastApplied')).toHaveText(String(n.lastApplied));
    const cells = box.locator('[data-testid="inspector-log"] .insp-cell');
    await expect(cells).toHaveCount(n.log.length);
    for (let i = 0; i < n.log.length; i++) {
      await expect(cells.nth(i)).toHaveAttribute('data-index', String(n.log[i].index));
      await expect(cells.nth(i)).toHaveAttribute('data-term', String(n.log[i].term));
    }
    if (n.role === 'leader') {
      const peers = n.progress.filter((/** @type {any} */ p) => p.peer !== n.id);
      await expect(box.locator('[data-testid="inspector-progress"] tr[data-peer]')).toHaveCount(peers.length);
      for (const p of peers) {
        const row = box.locator(`[data-testid="inspector-progress"] tr[data-peer="${p.peer}"]`);
        await expect(row.locator('[data-field="nextIndex"]')).toHaveText(String(p.nextIndex));
        await expect(row.locator('[data-field="matchIndex"]')).toHaveText(String(p.matchIndex));
        await expect(row.locator('[data-field="state"]')).toHaveAttribute('data-state', p.state);
      }
    } else {
      await expect(box.locator('[data-testid="inspector-progress"]')).toHaveCount(0);
    }
    // S3 is crashed here: the state shows its disk, which the inspector says is all on disk.
    await expect(box.locator('[data-testid="inspector-disk-note"]')).toHaveAttribute('data-same', n.disk.term === n.term && n.disk.lastIndex === n.lastIndex && (n.disk.votedFor ?? null) === (n.votedFor ?? null) ? '1' : '0');
  }
});

test('the node inspector shows the session table that makes a retried write apply once', async ({ page }) => {
  // exactly-once step 2: S1 has applied client 2's write number 1.
  await page.goto('/?lesson=exactly-once&step=2');
  await ready(page);
  await page.waitForFunction(() => /** @type {any} */ (window).__raft.store.get().lesson?.step === 1);
  await page.locator('.node[data-node="1"]').focus();
  const box = page.locator('[data-testid="inspector"]');
  await expect(box).toHaveAttribute('data-id', '1');
  const n = await page.evaluate(() => /** @type {any} */ (window).__raft.driver.sim.state().nodes.find((/** @type {any} */ x) => x.id === 1));
  const sessions = Object.entries(n.sessions);
  expect(sessions.length).toBeGreaterThan(0);
  await expect(box.locator('[data-testid="inspector-sessions"] tr[data-client]')).toHaveCount(sessions.length);
  for (const [client, s] of sessions) {
    const row = box.locator(`[data-testid="inspector-sessions"] tr[data-client="${client}"]`);
    await expect(row.locator('[data-field="lastSeq"]')).toHaveText(String(/** @type {any} */ (s).lastSeq));
  }
  await expect(box.locator('[data-testid="inspector-sessions"] tr[data-client="2"] [data-field="lastResult"]')).toHaveText('ok');
  // A server that has applied no client write says so instead of drawing an empty table.
  await page.goto('/?seed=7');
  await ready(page);
  await page.locator('.node[data-node="2"]').focus();
  await expect(page.locator('[data-testid="inspector-sessions-empty"]')).toBeVisible();
});

test('the message inspector shows a message in flight with its Figure 2 fields', async ({ page }) => {
  // Election step 3: S3's RequestVotes are in flight and highlighted.
  await page.goto('/?lesson=election&step=3');
  await ready(page);
  await page.waitForFunction(() => /** @type {any} */ (window).__raft.store.get().lesson?.step === 2);
  const m = await page.evaluate(() => /** @type {any} */ (window).__raft.driver.sim.state().inFlight.find((/** @type {any} */ x) => x.type === 'vote'));
  expect(m).toBeTruthy();
  await expect(page.locator(`.msg[data-id="${m.id}"]`)).toHaveAttribute('data-focus', '1');
  await page.locator(`.msg[data-id="${m.id}"]`).focus();
  const box = page.locator('[data-testid="inspector"]');
  await expect(box).toHaveAttribute('data-kind', 'message');
  await expect(page.locator('[data-testid="inspector-title"]')).toHaveText(`RequestVote S${m.from} → S${m.to}`);
  const field = (/** @type {string} */ f) => box.locator(`[data-field="${f}"] .insp-value`);
  await expect(field('term')).toHaveText(String(m.term));
  await expect(field('candidateId')).toHaveText(`S${m.fields.candidateId}`);
  await expect(field('lastLogIndex')).toHaveText(String(m.fields.lastLogIndex));
  await expect(field('lastLogTerm')).toHaveText(String(m.fields.lastLogTerm));
  // Vote dots on the candidate: one per voter, none answered yet but its own.
  const votes = await page.evaluate(() => /** @type {any} */ (window).__raft.driver.sim.state().nodes.find((/** @type {any} */ x) => x.id === 3).votes);
  await expect(page.locator('.node[data-node="3"] .vote-dot')).toHaveCount(5);
  await expect(page.locator('.node[data-node="3"] .vote-dot[data-granted="1"]')).toHaveCount(votes.filter((/** @type {any} */ v) => v.granted).length);
  // Drop: the network loses it; it leaves the wire and the run records the action.
  await page.locator('[data-testid="inspector-drop"]').click();
  // Off the wire, the inspector says what the trace says of it: lost, dropped by hand.
  await expect(page.locator('[data-testid="inspector-past"]')).toBeVisible();
  await expect(field('fate')).toContainText('dropped by hand');
  const after = await page.evaluate((id) => {
    const r = /** @type {any} */ (window).__raft;
    return { inFlight: r.driver.sim.state().inFlight.some((/** @type {any} */ x) => x.id === id), last: r.driver.sim.scenario().actions.at(-1).action };
  }, m.id);
  expect(after).toEqual({ inFlight: false, last: { type: 'drop', id: m.id } });
});

test('node positions stay put when a server is added', async ({ page }) => {
  await page.goto('/?seed=3');
  await ready(page);
  const spots = () => page.evaluate(() => Object.fromEntries([.../** @type {any} */ (document.querySelector('raft-playground')).shadowRoot.querySelectorAll('.node')].map((g) => [g.dataset.node, g.getAttribute('transform')])));
  await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.pause();
    r.driver.runFor(1500);
  });
  const before = await spots();
  await page.evaluate(() => {
    const r = /** @type {any} */ (window).__raft;
    r.driver.act({ type: 'addServer', node: 6 });
    r.driver.runFor(500);
  });
  const after = await spots();
  expect(Object.keys(after)).toContain('6');
  for (const id of Object.keys(before)) expect(after[id], `S${id}`).toBe(before[id]);
});

test('the paper view draws heartbeats as AppendEntries with no entries', async ({ page }) => {
  await page.goto('/?lesson=election-paper&step=5');
  await ready(page);
  await page.waitForFunction(() => /** @type {any} */ (window).__raft.store.get().lesson?.step === 4);
  const hb = page.locator('.msg[data-type="heartbeat"][data-focus="1"]').first();
  await expect(hb).toHaveAttribute('aria-label', /^AppendEntries S3→S\d/);
  await hb.focus();
  const box = page.locator('[data-testid="inspector"]');
  await expect(page.locator('[data-testid="inspector-title"]')).toHaveText(/^AppendEntries S3 → S\d$/);
  await expect(box.locator('[data-field="entries"] .insp-value')).toHaveText('[]');
  // Outside the paper view the same message is a heartbeat.
  await page.goto('/?lesson=election&step=6');
  await ready(page);
  await page.waitForFunction(() => /** @type {any} */ (window).__raft.store.get().lesson?.step === 5);
  await expect(page.locator('.msg[data-type="heartbeat"]').first()).toHaveAttribute('aria-label', /^Heartbeat S3→S\d/);
});

test('a guided scenario that became a lesson opens as that lesson from an old link', async ({ page }) => {
  await page.goto('/?scenario=minority');
  await ready(page);
  await page.waitForFunction(() => /** @type {any} */ (window).__raft.store.get().lesson?.id === 'minority-leader');
  await expect(page.locator('[data-testid="lesson-title"]')).toHaveText('A leader cut off in a minority');
  await expect(page.locator('[data-testid="scenario-picker"] option[value="minority"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="scenario-picker"] option[value="lesson:minority-leader"]')).toHaveCount(1);
});
