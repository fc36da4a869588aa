// The page's story of a run (web/story.js folded by web/store.js, fed by web/driver.js) against
// the real wasm package: the feed is one function of the trace, so it reads the same however a
// moment was reached; the config shown is the simulation's; a link opens with its story; an
// action after a seek back can be undone. Run after the site build: `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createStore } from "../../web/store.js";
import { createDriver } from "../../web/driver.js";
import { describe } from "../../web/describe.js";

const pkg = new URL("../../www/pkg/", import.meta.url);
const mod = await import(new URL("raft_wasm.js", pkg));
await mod.default({ module_or_path: await readFile(new URL("raft_wasm_bg.wasm", pkg)) });

/** A store and driver on the real package, started on `config` (paused). */
async function page(config = { nodes: 5, seed: 4 }) {
  const store = createStore();
  const driver = createDriver(store, { module: mod });
  await driver.start({ config });
  return { store, driver };
}

/** The feed as the words a reader sees, with the line numbers. */
function lines(store) {
  return store.get().feed.map((e) => `${e.seq} ${e.atMs} ${describe("en", e)}`);
}

test("the feed reads the same whether the run was played in frames, stepped, or jumped", async () => {
  const T = 3000;
  const jumped = await page();
  jumped.driver.seek(T);

  const played = await page();
  // Frame-sized batches, as the animation loop hands them over.
  while (played.driver.sim.now() < T) played.driver.runFor(Math.min(16 * 0.37, T - played.driver.sim.now()));

  const stepped = await page();
  for (let i = 0; i < 400; i++) stepped.driver.step();
  assert.ok(stepped.driver.sim.now() < T, "400 steps stay before the jump target");
  stepped.driver.seek(T);

  const want = lines(jumped.store);
  assert.ok(want.length > 50, `only ${want.length} lines`);
  assert.deepEqual(lines(played.store), want);
  assert.deepEqual(lines(stepped.store), want);
  // The leader's "committed up to N" lines are there after a jump too (they used to be judged
  // by the state before the batch, when nobody led yet).
  const byLeader = jumped.store.get().feed.filter((e) => e.kind === "commitAdvanced" && e.byLeader);
  assert.ok(byLeader.length > 0, "no commit line by the leader after a jump");
  assert.equal(jumped.store.get().headline?.seq, played.store.get().headline?.seq);
});

test("a seek back tells the story exactly as far as playing to that moment does", async () => {
  const a = await page();
  a.driver.seek(600);
  a.driver.act({ type: "clientPut", key: "x", value: "1" });
  a.driver.seek(900);
  a.driver.act({ type: "clientPut", key: "y", value: "2" });
  a.driver.seek(2500);
  const upTo1500 = a.store.get().feed.filter((e) => e.atMs <= 1500).map((e) => `${e.seq} ${e.atMs} ${describe("en", e)}`);
  a.driver.seek(800);
  const b = await page();
  b.driver.seek(600);
  b.driver.act({ type: "clientPut", key: "x", value: "1" });
  b.driver.seek(800);
  assert.deepEqual(lines(a.store), lines(b.store));
  assert.deepEqual(a.store.get().clientOps, b.store.get().clientOps);
  // And from there it goes on exactly as it went the first time.
  a.driver.seek(1500);
  assert.deepEqual(lines(a.store), upTo1500);
});

test("a share link opens with its story: the same feed and caption as the run it was taken from", async () => {
  const a = await page();
  a.driver.seek(1500);
  assert.ok(a.driver.act({ type: "clientPut", key: "x", value: "1" }));
  a.driver.seek(2600);
  const link = a.driver.link();
  const b = await page({ nodes: 3, seed: 99 });
  assert.ok(b.driver.openLink(link));
  assert.equal(b.store.get().nowMs, a.store.get().nowMs);
  assert.deepEqual(lines(b.store), lines(a.store));
  assert.ok(b.store.get().headline, "no caption line");
  assert.equal(describe("en", b.store.get().headline), describe("en", a.store.get().headline));
});

test("the config shown is read back from the simulation after actions and seeks", async () => {
  const { store, driver } = await page();
  driver.seek(500);
  assert.ok(driver.act({ type: "setToggle", name: "checkQuorum", on: false }));
  assert.equal(store.get().config.checkQuorum, false);
  // Lease reads turn CheckQuorum on inside the simulator; the page must show it.
  assert.ok(driver.act({ type: "setReadMode", mode: "lease" }));
  assert.equal(store.get().config.readMode, "lease");
  assert.equal(store.get().config.checkQuorum, true);
  driver.seek(900);
  assert.ok(driver.act({ type: "setBug", name: "stale-read", on: true }));
  assert.deepEqual(store.get().config.bugs, ["stale-read"]);
  // Seeking back past the setBug takes the bug away again.
  driver.seek(700);
  assert.deepEqual(store.get().config.bugs, []);
  assert.equal(store.get().config.readMode, "lease");
  driver.seek(400);
  assert.equal(store.get().config.readMode, "readIndex");
});

test("acting after a seek back replaces the later actions, and undo brings them back", async () => {
  const { store, driver } = await page();
  driver.seek(800);
  driver.act({ type: "clientPut", key: "a", value: "1" });
  driver.seek(1600);
  driver.act({ type: "crash", node: 2 });
  driver.seek(2400);
  const before = lines(store);
  driver.seek(1000);
  // Acting with nothing recorded later replaces nothing.
  assert.equal(driver.lastUndo(), null);
  assert.ok(driver.act({ type: "pause", node: 3 }));
  const undo = driver.lastUndo();
  assert.ok(undo, "the act replaced the crash but offered no undo");
  assert.equal(undo.replaced, 1);
  assert.equal(store.get().runEndMs, store.get().nowMs, "the slider's end is cut back");
  assert.ok(driver.undo());
  assert.equal(store.get().nowMs, 1000);
  assert.deepEqual(driver.timeline().actions.map((a) => a.action.type), ["clientPut", "crash"]);
  driver.seek(2400);
  assert.deepEqual(lines(store), before);
});

test("an intent sent down the action path is refused with an error, not applied", async () => {
  const { driver } = await page();
  assert.throws(() => driver.act({ intent: "reset" }), /not a simulation action/);
  assert.throws(() => driver.act({ type: "restart", node: 1, intent: "x" }), /not a simulation action/);
});

test("a restart says the vote was kept, unless the forget-vote bug was on at that moment, from the start or turned on later", async () => {
  const restartLines = (store, lang = "en") => store.get().feed.filter((e) => e.kind === "nodeRestarted").map((e) => describe(lang, e));
  const a = await page();
  a.driver.seek(800);
  a.driver.act({ type: "crash", node: 2 });
  a.driver.seek(900);
  a.driver.act({ type: "restart", node: 2 });
  a.driver.seek(1000);
  a.driver.act({ type: "setBug", name: "forget-vote-on-restart", on: true });
  a.driver.act({ type: "crash", node: 3 });
  a.driver.seek(1100);
  a.driver.act({ type: "restart", node: 3 });
  a.driver.seek(1200);
  const [kept, forgot] = restartLines(a.store);
  assert.match(kept, /S2 restarted from its persisted term, vote and log/);
  assert.match(forgot, /S3 restarted .* without its vote/);
  assert.match(restartLines(a.store, "zh")[1], /忘了自己投过的票/);
  // A seek back before the setBug and forward again tells the same.
  a.driver.seek(950);
  a.driver.seek(1200);
  assert.deepEqual(restartLines(a.store), [kept, forgot]);
  // With the bug in the starting config.
  const b = await page({ nodes: 5, seed: 4, bugs: ["forget-vote-on-restart"] });
  b.driver.seek(800);
  b.driver.act({ type: "crash", node: 2 });
  b.driver.seek(900);
  b.driver.act({ type: "restart", node: 2 });
  b.driver.seek(1000);
  assert.match(restartLines(b.store)[0], /without its vote/);
});
