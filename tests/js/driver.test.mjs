// web/driver.js's act, the one door from the page to the simulation's actions: it hands the
// Action to `Simulation.apply` as it is (no per-action copy in JS), and a refusal becomes a
// notice that leaves the run as it was. Run after the site build: `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createStore } from "../../web/store.js";
import { createDriver } from "../../web/driver.js";

const pkg = new URL("../../www/pkg/", import.meta.url);
const mod = await import(new URL("raft_wasm.js", pkg));
await mod.default({ module_or_path: await readFile(new URL("raft_wasm_bg.wasm", pkg)) });

test("a changeMembership action moves 3 voters to 5 through C_old,new; a second one is refused as a notice", async () => {
  const store = createStore();
  const driver = createDriver(store, { module: mod });
  await driver.start({ config: { nodes: 3, seed: 7 } });
  for (let i = 0; i < 50 && driver.sim.leader() === null; i++) driver.runFor(100);
  const leader = driver.sim.leader();
  assert.notEqual(leader, null);
  assert.ok(driver.act({ type: "changeMembership", voters: [1, 2, 3, 4, 5] }));
  const during = store.get().sim.nodes.find((n) => n.id === leader);
  assert.deepEqual([...during.jointVoters].sort(), [1, 2, 3]);
  assert.deepEqual([...during.voters].sort(), [1, 2, 3, 4, 5]);
  // A second change while the first is pending is refused by the simulation, named, and harmless.
  const hash = driver.sim.stateHash();
  assert.equal(driver.act({ type: "changeMembership", voters: [1, 2, 3] }), false);
  assert.equal(store.get().notice?.key, "error.action");
  assert.match(String(store.get().notice?.params?.detail), /changeMembership|apply/);
  assert.equal(driver.sim.stateHash(), hash);
  driver.runFor(2000);
  for (const n of store.get().sim.nodes) {
    assert.deepEqual([...n.voters].sort(), [1, 2, 3, 4, 5], `S${n.id}`);
    assert.equal(n.jointVoters, undefined, `S${n.id}`);
  }
  assert.ok(driver.check().ok);
  assert.deepEqual(driver.sim.scenario().actions.map((a) => a.action.type), ["changeMembership"]);
});

test("a node's restart action restarts that node and keeps the run (same seed, time goes on)", async () => {
  const store = createStore();
  const driver = createDriver(store, { module: mod });
  await driver.start({ config: { nodes: 5, seed: 3 } });
  driver.runFor(800);
  const seed = store.get().config.seed;
  assert.ok(driver.act({ type: "crash", node: 2 }));
  driver.runFor(100);
  assert.ok(driver.act({ type: "restart", node: 2 }));
  const st = store.get();
  assert.equal(st.config.seed, seed);
  assert.equal(st.nowMs, 900);
  assert.equal(st.sim.nodes.find((n) => n.id === 2).status, "up");
  assert.deepEqual(driver.sim.scenario().actions.map((a) => a.action), [
    { type: "crash", node: 2 },
    { type: "restart", node: 2 },
  ]);
});

/**
 * Frames by hand: `requestAnimationFrame` as a browser gives it, at 60 Hz, each callback with
 * the frame's time.
 */
function manualFrames() {
  /** @type {((t: number) => void)[]} */
  let due = [];
  let wall = 1000;
  globalThis.requestAnimationFrame = (cb) => due.push(cb);
  return {
    tick() {
      wall += 1000 / 60;
      const run = due;
      due = [];
      for (const cb of run) cb(wall);
    },
  };
}

test("at 1x the picture is drawn every second frame, and the frame between two pictures leaves its time to the next: the run keeps the frames' clock", async () => {
  const frames = manualFrames();
  const store = createStore();
  const driver = createDriver(store, { module: mod });
  await driver.start({ config: { nodes: 5, seed: 3 } });
  driver.setSpeed(1);
  driver.play();
  const calls = [];
  const advance = driver.sim.advance.bind(driver.sim);
  driver.sim.advance = (ms) => {
    calls.push(ms);
    return advance(ms);
  };
  for (let i = 0; i < 4; i++) frames.tick();
  const t0 = driver.sim.now();
  const calls0 = calls.length;
  for (let i = 0; i < 60; i++) frames.tick();
  // Sixty frames at 60 Hz are one second of the run at 1x (to the simulation's microsecond),
  // advanced in thirty calls of two frames' time each.
  assert.ok(Math.abs(driver.sim.now() - t0 - 1000) < 0.05, `ran ${driver.sim.now() - t0} ms`);
  assert.equal(calls.length - calls0, 30);
  assert.equal(driver.perf().draws > 0, true);
  // Slowly (a frame covers less simulated time than a message flies), every frame is drawn
  // and advances the run (in one call: quiet time is not skipped here).
  driver.setSkipQuiet(false);
  driver.setSpeed(0.1);
  frames.tick();
  frames.tick();
  const t1 = driver.sim.now();
  const calls1 = calls.length;
  for (let i = 0; i < 30; i++) frames.tick();
  assert.equal(calls.length - calls1, 30);
  assert.ok(Math.abs(driver.sim.now() - t1 - 50) < 0.05, `ran ${driver.sim.now() - t1} ms`);
  driver.pause();
  delete globalThis.requestAnimationFrame;
});
