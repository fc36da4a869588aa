// web/driver.js's applyAction, the one door from the page's intents to the simulation: with a
// binding that has no `apply`, every Action type of the package's TypeScript declarations must
// still reach its named method. Run after the site build: `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { applyAction } from "../../web/driver.js";

const pkg = new URL("../../www/pkg/", import.meta.url);
const { default: init, Simulation } = await import(new URL("raft_wasm.js", pkg));
await init({ module_or_path: await readFile(new URL("raft_wasm_bg.wasm", pkg)) });

/** The `type` of every member of the Action union in raft_wasm.d.ts. */
async function actionTypes() {
  const dts = await readFile(new URL("raft_wasm.d.ts", pkg), "utf8");
  const union = dts.match(/export type Action =([\s\S]*?);\s*\n\s*\n/);
  assert.ok(union, "raft_wasm.d.ts has no Action union");
  return [...union[1].matchAll(/type: "(\w+)"/g)].map((m) => m[1]);
}

/** A stand-in simulation without `apply` that records which method was called with what. */
function recorder() {
  const calls = [];
  const sim = new Proxy(
    {},
    {
      get(_t, name) {
        if (name === "apply" || typeof name !== "string") return undefined;
        return (...args) => {
          calls.push([name, args]);
        };
      },
    },
  );
  return { sim, calls };
}

/** The real simulation with `apply` hidden, so applyAction takes its fallback. */
function withoutApply(real) {
  return new Proxy(real, {
    get(t, name) {
      if (name === "apply") return undefined;
      const v = t[name];
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
}

test("every Action type in raft_wasm.d.ts has a fallback in applyAction", async () => {
  const types = await actionTypes();
  assert.ok(types.includes("changeMembership"), `changeMembership missing from ${types}`);
  assert.ok(types.length >= 20, `only ${types.length} action types found`);
  for (const type of types) {
    const { sim, calls } = recorder();
    applyAction(sim, { type, node: 1, voters: [1], key: "k", value: "v", name: "preVote", on: true, mode: "lease" });
    assert.equal(calls.length, 1, `${type}: ${calls.length} calls`);
  }
});

test("applyAction passes changeMembership's voters, and learners only when given", () => {
  const a = recorder();
  applyAction(a.sim, { type: "changeMembership", voters: [1, 2, 3, 4, 5] });
  assert.deepEqual(a.calls, [["changeMembership", [[1, 2, 3, 4, 5]]]]);
  const b = recorder();
  applyAction(b.sim, { type: "changeMembership", voters: [1, 2], learners: [3] });
  assert.deepEqual(b.calls, [["changeMembership", [[1, 2], [3]]]]);
  const c = recorder();
  applyAction(c.sim, { type: "clientPut", key: "k", value: "v", client: 2 });
  applyAction(c.sim, { type: "clientGet", key: "k" });
  assert.deepEqual(c.calls, [
    ["clientPut", ["k", "v", 2]],
    ["clientGet", ["k"]],
  ]);
});

test("without apply(), a changeMembership action moves 3 voters to 5 through C_old,new", () => {
  const real = new Simulation({ nodes: 3, seed: 7 });
  for (let i = 0; i < 50 && real.leader() === null; i++) real.advance(100);
  const leader = real.leader();
  assert.notEqual(leader, null);
  const sim = withoutApply(real);
  applyAction(sim, { type: "changeMembership", voters: [1, 2, 3, 4, 5] });
  const during = real.state().nodes.find((n) => n.id === leader);
  assert.deepEqual([...during.jointVoters].sort(), [1, 2, 3]);
  assert.deepEqual([...during.voters].sort(), [1, 2, 3, 4, 5]);
  // A second change while the first is pending is refused by the simulation, named, and harmless.
  const hash = real.stateHash();
  assert.throws(() => applyAction(sim, { type: "changeMembership", voters: [1, 2, 3] }), (e) => e instanceof RangeError && e.message.startsWith("changeMembership: "));
  assert.equal(real.stateHash(), hash);
  real.advance(2000);
  for (const n of real.state().nodes) {
    assert.deepEqual([...n.voters].sort(), [1, 2, 3, 4, 5], `S${n.id}`);
    assert.equal(n.jointVoters, undefined, `S${n.id}`);
  }
  assert.ok(real.check().ok);
  assert.ok(real.scenario().actions.some((a) => a.action.type === "changeMembership"));
});
