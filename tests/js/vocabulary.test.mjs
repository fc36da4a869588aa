// The simulator defines its actions once (crates/raft-sim/src/action/). The built package lists
// them (`Simulation.actionTypes()`), and each one must reach the page in full: a method of its
// name, a member of the TypeScript `Action` union, and words in English and Chinese for the
// feed. A new action that misses any of them fails here. Run after the site build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describeOp } from "../../web/describe.js";
import { DICTS } from "../../web/i18n.js";

const pkg = new URL("../../www/pkg/", import.meta.url);
const { default: init, Simulation } = await import(new URL("raft_wasm.js", pkg));
await init({ module_or_path: await readFile(new URL("raft_wasm_bg.wasm", pkg)) });
const types = Simulation.actionTypes();

test("the package lists every action type once", () => {
  assert.ok(Array.isArray(types) && types.length >= 20, `only ${types.length} action types`);
  assert.equal(new Set(types).size, types.length, "a type is listed twice");
});

test("every action type has a method of its name", () => {
  for (const type of types) {
    assert.equal(typeof Simulation.prototype[type], "function", `Simulation has no ${type}()`);
  }
});

test("the TypeScript Action union declares exactly the action types", async () => {
  const dts = await readFile(new URL("raft_wasm.d.ts", pkg), "utf8");
  const union = dts.match(/export type Action =([\s\S]*?);\s*\n\s*\n/);
  assert.ok(union, "raft_wasm.d.ts has no Action union");
  const declared = [...union[1].matchAll(/type: "(\w+)"/g)].map((m) => m[1]);
  assert.deepEqual([...declared].sort(), [...types].sort());
  assert.match(dts, /actionTypes\(\): ActionType\[\]/);
});

test("every action type has a name in words in English and Chinese, used by the feed", () => {
  for (const type of types) {
    for (const lang of ["en", "zh"]) {
      const name = DICTS[lang][`act.${type}`];
      assert.equal(typeof name, "string", `${lang} has no act.${type}`);
      assert.ok(name.length > 0, `${lang} act.${type} is empty`);
      if (/[A-Z]/.test(type)) assert.notEqual(name, type, `${lang} names ${type} by its API name`);
      assert.ok(describeOp({ type }, lang).startsWith(name), `${lang}: the feed does not say "${name}" for ${type}`);
    }
  }
});
