// @ts-check
// What the cluster view draws for lessons about clients and membership, checked against the
// simulation: a redirected or retried request (the client's pending request and the trace's
// clientSent say why), and groups of servers (a step's majorities, or both halves of a joint
// configuration) as bands around exactly their servers, described in words in both languages.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { failOnPageErrors, ready } from './helpers.mjs';
import { t } from '../../web/i18n.js';

failOnPageErrors();

const DIR = new URL('../../web/lessons/', import.meta.url);
/** @param {string} id */
const lessonFile = (id) => JSON.parse(readFileSync(new URL(`${id}.json`, DIR), 'utf8'));

/**
 * Open a lesson paused at step i (counted from 0).
 * @param {import('@playwright/test').Page} page
 * @param {string} id
 * @param {number} i
 * @param {'en' | 'zh'} lang
 */
async function openAt(page, id, i, lang) {
  await page.goto(`/?lesson=${id}&step=${i + 1}&lang=${lang}`);
  await ready(page);
  await page.waitForFunction((k) => {
    const st = /** @type {any} */ (window).__raft.store.get();
    return st.lesson?.step === k && st.lesson.target === null && !st.playing;
  }, i);
}

for (const lang of /** @type {const} */ (['en', 'zh'])) {
  test(`a redirect and a retry are drawn as the simulation says, in ${lang}`, async ({ page }) => {
    /** @type {Set<string>} */
    const seen = new Set();
    for (const id of ['exactly-once', 'leader-crash']) {
      const lesson = lessonFile(id);
      const steps = lesson.steps.map((/** @type {any} */ s, /** @type {number} */ i) => [s, i]).filter(([s]) => s.on?.kind === 'clientSent');
      expect(steps.length, `${id} has steps at a client's send`).toBeGreaterThan(0);
      for (const [, i] of steps) {
        await openAt(page, id, i, lang);
        const { clients, sent } = await page.evaluate(() => {
          const w = /** @type {any} */ (window).__raft;
          const feed = w.store.get().feed;
          return {
            clients: w.driver.sim.state().clients,
            // The last clientSent of each client, from the trace as the page folded it.
            sent: Object.fromEntries(feed.filter((/** @type {any} */ e) => e.kind === 'clientSent').map((/** @type {any} */ e) => [e.client, e])),
          };
        });
        for (const c of clients) {
          const box = page.locator(`.client[data-client="${c.id}"]`);
          await expect(box).toHaveAttribute('data-target', String(c.leaderGuess));
          const r = c.pending?.reason;
          if (!r || r.type === 'first') {
            await expect(box).not.toHaveAttribute('data-retry', /./);
            continue;
          }
          seen.add(r.type);
          // The drawing, the client's state and the trace agree on why the request went there.
          expect(sent[c.id]?.reason, `${id} step ${i}: the trace's last send of client ${c.id}`).toEqual(r);
          expect(sent[c.id]?.to).toBe(c.pending.sentTo);
          await expect(box).toHaveAttribute('data-retry', r.type);
          await expect(box).toHaveAttribute('data-retry-from', String(r.from));
          const failed = page.locator(`[data-client-link="${c.id}>${r.from}>failed"] .client-tag`);
          const target = page.locator(`[data-client-link="${c.id}>${c.leaderGuess}>target"] .client-tag`);
          if (r.type === 'redirected') {
            await expect(failed).toHaveText(`✗ ${t(lang, 'cluster.clientNotLeader')}`);
            await expect(target).toHaveText(`↪ ${t(lang, 'cluster.clientRedirectTag')}`);
            await expect(box).toHaveAttribute('aria-label', new RegExp(t(lang, 'cluster.clientRedirected', { from: r.from }).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
          } else {
            await expect(failed).toHaveText(`… ${t(lang, 'cluster.clientNoAnswer')}`);
            await expect(target).toHaveText(`↻ ${t(lang, 'cluster.clientRetryTag')}`);
          }
          // A step that names the client makes it stand out.
          if (lesson.steps[i].highlight?.clients?.includes(c.id)) await expect(box).toHaveAttribute('data-focus', '1');
        }
      }
    }
    expect([...seen].sort(), 'both a redirect and a timeout were drawn').toEqual(['redirected', 'timedOut']);
  });
}

/**
 * The groups drawn: each band's servers, and which node centres lie inside it.
 * @param {import('@playwright/test').Page} page
 */
async function drawnGroups(page) {
  return page.evaluate(() => {
    const root = /** @type {any} */ (window).__raft.element.shadowRoot ?? document;
    const paths = [...root.querySelectorAll('.groups path.group')];
    const nodes = [...root.querySelectorAll('.node[data-node]')];
    return paths.map((/** @type {SVGPathElement} */ p) => {
      const inside = nodes
        .filter((/** @type {SVGGElement} */ n) => {
          const m = n.transform.baseVal.consolidate()?.matrix;
          return m && p.isPointInFill(new DOMPoint(m.e, m.f));
        })
        .map((n) => Number(n.getAttribute('data-node')))
        .sort((a, b) => a - b);
      return { name: p.getAttribute('data-group'), nodes: p.getAttribute('data-nodes'), short: p.classList.contains('group-short'), inside };
    });
  });
}

for (const lang of /** @type {const} */ (['en', 'zh'])) {
  test(`a step's majorities are drawn around exactly their servers and said in words, in ${lang}`, async ({ page }) => {
    let drawn = 0;
    for (const id of ['membership', 'joint-consensus']) {
      const lesson = lessonFile(id);
      for (let i = 0; i < lesson.steps.length; i++) {
        const groups = lesson.steps[i].highlight?.majorities;
        if (!groups) continue;
        await openAt(page, id, i, lang);
        const got = await drawnGroups(page);
        const want = groups.map((/** @type {any} */ g) => ({
          name: g.name,
          nodes: [...g.nodes].sort((a, b) => a - b).join(','),
          short: g.majority === false,
          inside: [...g.nodes].sort((a, b) => a - b),
        }));
        expect(got.sort((a, b) => String(a.name).localeCompare(String(b.name))), `${id} step ${i}`).toEqual(want.sort((/** @type {any} */ a, /** @type {any} */ b) => a.name.localeCompare(b.name)));
        // In words, under the drawing: C_old first.
        const notes = page.locator('.cluster-groups li');
        await expect(notes).toHaveCount(groups.length);
        const sorted = [...groups].sort((a, b) => (a.name === 'old' ? 0 : 1) - (b.name === 'old' ? 0 : 1));
        for (let k = 0; k < sorted.length; k++) {
          const g = sorted[k];
          const list = [...g.nodes].sort((a, b) => a - b).map((n) => `S${n}`).join(lang === 'zh' ? '、' : ', ');
          const key = g.majority === false ? 'cluster.groupShort' : 'cluster.groupMajority';
          await expect(notes.nth(k)).toHaveText(t(lang, key, { name: g.name === 'old' ? 'C_old' : 'C_new', list, k: g.nodes.length, total: g.of.length }));
        }
        drawn++;
      }
    }
    expect(drawn, 'steps that draw majorities').toBeGreaterThanOrEqual(4);
  });
}

test('a joint configuration shows both halves, from the leader’s configuration, and nothing once it is left', async ({ page }) => {
  const lesson = lessonFile('joint-consensus');
  // The first step at which the leader is joint and the step draws no majorities of its own.
  const joint = lesson.steps.findIndex((/** @type {any} */ s) => s.on?.kind === 'confChanged' && !s.highlight?.majorities);
  expect(joint).toBeGreaterThan(0);
  await openAt(page, 'joint-consensus', joint, 'en');
  const leader = await page.evaluate(() => /** @type {any} */ (window).__raft.driver.sim.state().nodes.find((/** @type {any} */ n) => n.role === 'leader'));
  expect(leader.jointVoters.length).toBeGreaterThan(0);
  const got = await drawnGroups(page);
  expect(got.map((g) => [g.name, g.nodes, g.inside.join(',')]).sort()).toEqual(
    [
      ['new', leader.voters.join(','), leader.voters.join(',')],
      ['old', leader.jointVoters.join(','), leader.jointVoters.join(',')],
    ].sort(),
  );
  await expect(page.locator('.cluster-groups li').first()).toHaveText(
    t('en', 'cluster.groupConfig', { name: 'C_old', list: leader.jointVoters.map((/** @type {number} */ n) => `S${n}`).join(', '), need: Math.floor(leader.jointVoters.length / 2) + 1 }),
  );
  // The last step: C_new alone, nothing joint to draw.
  await openAt(page, 'joint-consensus', lesson.steps.length - 1, 'en');
  expect(lesson.steps[lesson.steps.length - 1].highlight?.majorities).toBeUndefined();
  expect(await drawnGroups(page)).toEqual([]);
  await expect(page.locator('.cluster-groups')).toBeHidden();
});
