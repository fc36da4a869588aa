// The space-time view's record of a run (web/spacetime.js, folded by web/store.js from what
// web/driver.js hands it) against the real wasm package: every message of the trace is one
// record whose end is its msgDelivered or msgDropped; the record is the same however a moment was
// reached (played, jumped, sought back); a window query returns exactly the messages that cross
// the window; the lanes' roles and terms end where the simulation's nodes are.
// Run after the site build: `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createStore } from "../../web/store.js";
import { createDriver } from "../../web/driver.js";
import { messagesIn, segmentsIn, marksIn, messageById, newTimeline, record, cutAfter } from "../../web/spacetime.js";
import { ST_WINDOWS_MS } from "../../web/views/spacetime-view.js";

const pkg = new URL("../../www/pkg/", import.meta.url);
const mod = await import(new URL("raft_wasm.js", pkg));
await mod.default({ module_or_path: await readFile(new URL("raft_wasm_bg.wasm", pkg)) });

const CONFIG = { nodes: 5, seed: 11, lossPct: 10, dupPct: 5, clientWriteEveryMs: 40 };

/** A store and driver on the real package, started on `config` (paused). */
async function page(config = CONFIG) {
  const store = createStore();
  const driver = createDriver(store, { module: mod });
  await driver.start({ config });
  return { store, driver };
}

/** The same run's raw trace up to `ms`, straight from a Simulation. */
function rawTrace(config, ms) {
  const sim = new mod.Simulation(config);
  const events = [...sim.advance(0)];
  while (sim.now() < ms) events.push(...sim.advance(Math.min(500, ms - sim.now())));
  sim.free();
  return events;
}

/** A record as plain data, for comparing two timelines. */
const plain = (tl) => tl.msgs.map((m) => `${m.id} ${m.type} ${m.from}>${m.to} ${m.sentAtMs} ${m.end} ${m.endAtMs} ${m.copyOf} ${m.copied}`);

test("every message of the trace is one arrow, ending at its msgDelivered or msgDropped", async () => {
  const T = 3000;
  const { store, driver } = await page();
  driver.seek(T);
  const tl = store.get().timeline;
  const events = rawTrace(CONFIG, T);
  const sent = events.filter((e) => e.kind === "msgSent");
  const copies = events.filter((e) => e.kind === "msgDuplicated");
  assert.ok(sent.length > 500 && copies.length > 5, `a busy run: ${sent.length} sent, ${copies.length} copies`);
  assert.equal(tl.msgs.length, sent.length + copies.length);
  for (const e of sent) {
    const m = messageById(tl, e.id);
    assert.ok(m, `message ${e.id} kept`);
    assert.deepEqual([m.type, m.from, m.to, m.sentAtMs], [e.type, e.from, e.to, e.atMs]);
  }
  let delivered = 0;
  let dropped = 0;
  for (const e of events) {
    if (e.kind !== "msgDelivered" && e.kind !== "msgDropped") continue;
    const m = messageById(tl, e.id);
    assert.equal(m.endAtMs, e.atMs, `end of ${e.id}`);
    assert.equal(m.end, e.kind === "msgDelivered" ? "delivered" : "dropped");
    if (e.kind === "msgDelivered") delivered++;
    else dropped++;
  }
  assert.ok(dropped > 20, `10% loss drops some: ${dropped}`);
  const open = tl.msgs.filter((m) => m.end === "flight").map((m) => m.id).sort((a, b) => a - b);
  assert.equal(open.length + delivered + dropped, tl.msgs.length);
  assert.deepEqual(open, store.get().sim.inFlight.map((m) => m.id).sort((a, b) => a - b), "the open arrows are the messages in flight");
  for (const c of copies) assert.equal(messageById(tl, c.copyId).copyOf, c.id);
});

test("the record reads the same whether the moment was played, jumped to, or sought back to", async () => {
  const jumped = await page();
  jumped.driver.seek(2400);
  const played = await page();
  while (played.driver.sim.now() < 2400) played.driver.runFor(Math.min(16.7, 2400 - played.driver.sim.now()));
  assert.deepEqual(plain(played.store.get().timeline), plain(jumped.store.get().timeline));

  const back = await page();
  back.driver.seek(2400);
  back.driver.seek(1300);
  const at1300 = await page();
  at1300.driver.seek(1300);
  assert.deepEqual(plain(back.store.get().timeline), plain(at1300.store.get().timeline), "a seek back reopens what was in flight then");
  assert.deepEqual(segmentsIn(back.store.get().timeline, 0, 1300), segmentsIn(at1300.store.get().timeline, 0, 1300));
  assert.deepEqual(marksIn(back.store.get().timeline, 0, 1300), marksIn(at1300.store.get().timeline, 0, 1300));
  back.driver.seek(2400);
  assert.deepEqual(plain(back.store.get().timeline), plain(jumped.store.get().timeline), "and forward again to the same record");
});

test("a window holds exactly the messages that cross it", async () => {
  const { store, driver } = await page();
  driver.seek(2000);
  const tl = store.get().timeline;
  for (const [t0, t1] of [[0, 400], [700, 900], [1490, 1500], [1900, 2000]]) {
    const got = messagesIn(tl, t0, t1).map((m) => m.id).sort((a, b) => a - b);
    const want = tl.msgs.filter((m) => m.sentAtMs <= t1 && (m.endAtMs === null || m.endAtMs >= t0)).map((m) => m.id).sort((a, b) => a - b);
    assert.deepEqual(got, want, `window ${t0}-${t1}`);
    assert.ok(want.length > 0, `window ${t0}-${t1} is not empty`);
  }
});

test("the lanes end with each running node's role and term; crashes and cuts are marked", async () => {
  const { store, driver } = await page({ nodes: 5, seed: 3 });
  driver.seek(1500);
  const leader = store.get().sim.nodes.find((n) => n.role === "leader");
  assert.ok(leader, "a leader by 1.5 s");
  driver.act({ type: "crash", node: leader.id });
  driver.act({ type: "partition", groups: [[1, 2], [3, 4, 5]] });
  driver.seek(4000);
  const st = store.get();
  const tl = st.timeline;
  for (const n of st.sim.nodes) {
    const lane = tl.laneNow.get(String(n.id));
    assert.ok(lane, `lane S${n.id}`);
    assert.equal(lane.status, n.status, `S${n.id} status`);
    if (n.status !== "up") continue;
    assert.equal(lane.role, n.role, `S${n.id} role`);
    assert.equal(lane.term, n.term, `S${n.id} term`);
  }
  const marks = marksIn(tl, 1500, 1500);
  assert.ok(marks.some((m) => m.kind === "crash" && m.lane === leader.id), "the crash is marked");
  const cut = marks.filter((m) => m.kind === "cut");
  assert.deepEqual(cut.map((m) => m.lane).sort(), [1, 2, 3, 4, 5]);
  assert.equal(cut.find((m) => m.lane === 1).data.peers, "3,4,5");
  assert.ok(marksIn(tl, 0, 4000).some((m) => m.kind === "term" && m.data.term >= 2), "a new term after the crash");
});

test("cutting a timeline before its start forgets everything; a cut keeps copies consistent", () => {
  const tl = newTimeline();
  record(tl, [
    { kind: "msgSent", atMs: 1, id: 1, type: "append", from: 1, to: 2, term: 1, summary: "", deliverAtMs: 6 },
    { kind: "msgDuplicated", atMs: 1, id: 1, copyId: 2, deliverAtMs: 9 },
    { kind: "msgDelivered", atMs: 6, id: 1, type: "append", from: 1, to: 2, term: 1 },
    { kind: "msgDelivered", atMs: 9, id: 2, type: "append", from: 1, to: 2, term: 1 },
  ]);
  assert.deepEqual(plain(tl), ["1 append 1>2 1 delivered 6 null true", "2 append 1>2 1 delivered 9 1 false"]);
  cutAfter(tl, 7);
  assert.deepEqual(plain(tl), ["1 append 1>2 1 delivered 6 null true", "2 append 1>2 1 flight null 1 false"]);
  assert.deepEqual([...tl.open.keys()], [2]);
  cutAfter(tl, -1);
  assert.deepEqual(plain(tl), []);
});

test("the view's default span is one of its zoom steps", () => {
  assert.ok(ST_WINDOWS_MS.includes(createStore().get().ui.stWindowMs));
});

test("changes at one instant make one segment per lane", () => {
  const tl = newTimeline();
  record(tl, [
    { kind: "roleChanged", atMs: 1, node: 1, from: "follower", to: "candidate", term: 1 },
    { kind: "roleChanged", atMs: 1, node: 2, from: "follower", to: "follower", term: 1 },
    { kind: "nodeCrashed", atMs: 5, node: 3 },
    { kind: "linkChanged", atMs: 5, from: 1, to: 3, up: false },
    { kind: "linkChanged", atMs: 5, from: 2, to: 3, up: false },
    { kind: "linkChanged", atMs: 5, from: 3, to: 1, up: false },
  ]);
  assert.deepEqual(
    tl.segs.map((s) => `${s.lane}@${s.atMs} ${s.role} ${s.status} [${s.cut}]`),
    ["1@1 candidate up []", "2@1 follower up []", "3@5 follower crashed [1,2]", "1@5 candidate up [3]", "2@5 follower up [3]"],
  );
  assert.deepEqual(
    marksIn(tl, 5, 5).map((m) => `${m.kind} ${m.lane} ${m.data.peers ?? ""}`),
    ["crash 3 ", "cut 1 3", "cut 3 1,2", "cut 2 3"],
  );
});

test("client traffic is marked on the client's lane: a request where it leaves, an answer where it arrives", () => {
  const tl = newTimeline();
  record(tl, [
    { kind: "clientInvoked", atMs: 1, client: 1, opId: 7, op: { put: { key: "x", value: "1" } } },
    { kind: "clientSent", atMs: 1, client: 1, opId: 7, attempt: 1, to: 2 },
    { kind: "clientMsgDropped", atMs: 1, client: 1, node: 2, opId: 7, attempt: 1, reply: false, reason: "lost" },
    { kind: "clientSent", atMs: 40, client: 1, opId: 7, attempt: 2, to: 3 },
    { kind: "clientCompleted", atMs: 52, client: 1, opId: 7, result: { ok: null }, servedBy: 3 },
    { kind: "clientMsgDropped", atMs: 60, client: 1, node: 3, opId: 8, attempt: 1, reply: true, reason: "linkDown" },
  ]);
  assert.deepEqual(
    marksIn(tl, 0, 100).map((m) => `${m.atMs} ${m.kind} ${m.lane}`),
    ["1 request c1", "1 clientLost c1", "40 request c1", "52 answer c1", "60 clientLost 3"],
  );
  assert.deepEqual(marksIn(tl, 52, 52)[0].data.op, { put: { key: "x", value: "1" } }, "an answer names its operation");
  assert.equal(tl.laneNow.get("c1").role, "client");
});
