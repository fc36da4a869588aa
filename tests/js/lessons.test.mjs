// The page's lesson pieces that need no browser: node positions that stay put, what a step
// highlights, step links, and the lesson files the page reads (every caption in both languages
// is also checked natively; here: every string the lesson views use exists in both languages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { stableLayout, ringLayout } from '../../web/views/cluster-view.js';
import { lessonFocus, cellInFocus } from '../../web/views/lesson-focus.js';
import { lessonUrl } from '../../web/views/lesson-panel.js';
import { messageFields } from '../../web/views/inspector.js';
import { en } from '../../web/i18n-en.js';
import { zh } from '../../web/i18n-zh.js';
import { INDEX, LESSONS } from '../../web/lessons/index.js';
import { planOf } from '../../web/lessons.js';

test('the first layout is the ring; a server added later moves nobody and lands in a gap', () => {
  const angles = new Map();
  const five = stableLayout(angles, [1, 2, 3, 4, 5]);
  assert.deepEqual(five, ringLayout([1, 2, 3, 4, 5]));
  const six = stableLayout(angles, [1, 2, 3, 4, 5, 6]);
  for (const id of [1, 2, 3, 4, 5]) assert.deepEqual(six.get(id), five.get(id), `S${id} moved`);
  const p6 = six.get(6);
  for (const id of [1, 2, 3, 4, 5]) assert.ok(Math.hypot(p6.x - five.get(id).x, p6.y - five.get(id).y) > 100, `S6 sits on S${id}`);
  // Removing S3 moves nobody either, and S3 comes back to its old place.
  const without = stableLayout(angles, [1, 2, 4, 5, 6]);
  for (const id of [1, 2, 4, 5, 6]) assert.deepEqual(without.get(id), six.get(id));
  assert.deepEqual(stableLayout(angles, [1, 2, 3, 4, 5, 6]).get(3), five.get(3));
});

test('a lesson step focuses what it highlights, and nothing outside a lesson or at its introduction', () => {
  const lesson = {
    steps: [{ highlight: { nodes: [3], links: [[2, 1]], log: [{ node: 5, index: 2, to: 4 }], clients: [1] } }, { highlight: {} }],
    plan: [{ atMs: 10, messageIds: [7, 9], slowFromMs: 0 }, { atMs: 20, messageIds: [], slowFromMs: 10 }],
    step: 0,
    target: null,
  };
  const f = lessonFocus(/** @type {any} */ ({ lesson }));
  assert.ok(f);
  assert.deepEqual([...f.nodes], [3]);
  assert.deepEqual([...f.messages], [7, 9]);
  assert.deepEqual([...f.links], ['1-2']);
  assert.ok(cellInFocus(f, 5, 2) && cellInFocus(f, 5, 4));
  assert.ok(!cellInFocus(f, 5, 5) && !cellInFocus(f, 4, 3));
  assert.equal(lessonFocus(/** @type {any} */ ({ lesson: { ...lesson, step: 1 } })), null, 'a step that highlights nothing dims nothing');
  assert.equal(lessonFocus(/** @type {any} */ ({ lesson: { ...lesson, step: -1 } })), null);
  assert.equal(lessonFocus(/** @type {any} */ ({ lesson: null })), null);
  // While playing to step 0 its messages already stand out.
  assert.deepEqual([...(lessonFocus(/** @type {any} */ ({ lesson: { ...lesson, step: -1, target: 0 } }))?.messages ?? [])], [7, 9]);
});

test('a step link names the lesson, the step counted from 1, and Chinese', () => {
  const u = new URL(lessonUrl('https://example.org/raft/index.html?seed=4#link=v1.x', 'leader-crash', 3, 'zh'));
  assert.equal(u.pathname, '/raft/index.html');
  assert.equal(u.hash, '');
  assert.deepEqual([...u.searchParams], [['lesson', 'leader-crash'], ['step', '4'], ['lang', 'zh']]);
  assert.deepEqual([...new URL(lessonUrl('https://example.org/', 'election', -1, 'en')).searchParams], [['lesson', 'election']]);
});

test('message fields come out in Figure 2 names, heartbeats as empty AppendEntries in the paper view', () => {
  const hb = { type: 'heartbeat', term: 2, fields: { leaderId: 1, leaderCommit: 3 } };
  assert.deepEqual(messageFields(hb, false), [['term', 2], ['leaderId', 'S1'], ['leaderCommit', 3]]);
  assert.deepEqual(messageFields(hb, true), [['term', 2], ['leaderId', 'S1'], ['entries', '[]'], ['leaderCommit', 3]]);
  const app = { type: 'append', term: 2, fields: { leaderId: 1, prevLogIndex: 3, prevLogTerm: 1, entries: [{ index: 4, term: 2 }], leaderCommit: 3 } };
  assert.deepEqual(messageFields(app, false), [['term', 2], ['leaderId', 'S1'], ['prevLogIndex', 3], ['prevLogTerm', 1], ['entries', '4@2'], ['leaderCommit', 3]]);
  assert.deepEqual(messageFields({ type: 'voteResp', term: 4, fields: { voteGranted: false } }, false), [['term', 4], ['voteGranted', 'false']]);
});

test('every string the lesson views and the inspector use exists in English and Chinese', () => {
  const used = new Set();
  for (const f of ['lesson-panel.js', 'inspector.js', 'guide.js']) {
    const src = readFileSync(new URL(`../../web/views/${f}`, import.meta.url), 'utf8');
    for (const m of src.matchAll(/t\(lang, '([a-zA-Z.]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 20, `found ${used.size} keys`);
  for (const k of used) {
    assert.ok(en[k], `en lacks ${k}`);
    assert.ok(zh[k], `zh lacks ${k}`);
  }
});

test('the lesson folder the page reads holds only lessons its index lists', () => {
  const dir = new URL('../../web/lessons/', import.meta.url);
  const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8'));
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.slice(0, -5)).sort();
  assert.deepEqual(files, [...index.lessons].sort());
  for (const id of index.lessons) assert.equal(JSON.parse(readFileSync(new URL(`${id}.json`, dir), 'utf8')).id, id);
});

test('the lesson module holds the index and every lesson it lists, in its order', () => {
  assert.deepEqual(LESSONS.map((l) => l.id), INDEX.lessons);
  assert.ok(INDEX.topics.length >= 24);
});

test('the page takes a lesson\'s plan only when it fits the steps: a step each, numbers where numbers go', () => {
  const steps = [{ caption: {} }, { caption: {} }];
  const plan = [{ atMs: 10, messageIds: [3], slowFromMs: 0 }, { atMs: 20.5, messageIds: [], slowFromMs: 10 }];
  assert.equal(planOf({ id: 'x', steps, plan }), plan);
  assert.throws(() => planOf({ id: 'x', steps }), /lessons\/x\.json has no plan/);
  assert.throws(() => planOf({ id: 'x', steps, plan: plan.slice(1) }), /does not fit its 2 steps/);
  for (const bad of [{ atMs: '10' }, { slowFromMs: null }, { messageIds: [1.5] }, { messageIds: undefined }]) {
    assert.throws(() => planOf({ id: 'x', steps, plan: [plan[0], { ...plan[1], ...bad }] }), /does not fit/, JSON.stringify(bad));
  }
});
