// Issue 12: error messages once printed hostile numbers in full (1e300 as 301 digits). Every
// number in an error is shortened by one rule: raft-sim's `shorten_numbers` for the simulation
// and the wasm API, and web/i18n.js `shortNumbers` (the same rule) for what the page makes or
// shows. The table below is the Rust unit test's table (crates/raft-sim/src/error.rs), so the
// two agree; then the real JS API is called with hostile numbers. Run after the site build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { shortNumbers } from "../../web/i18n.js";

const pkg = new URL("../../www/pkg/", import.meta.url);
const { default: init, Simulation } = await import(new URL("raft_wasm.js", pkg));
await init({ module_or_path: await readFile(new URL("raft_wasm_bg.wasm", pkg)) });

test("shortNumbers writes long numbers as raft-sim's shorten_numbers does", () => {
  const cases = [
    [`1${"0".repeat(300)} is in the past: the previous action is at 5`, "1e300 is in the past: the previous action is at 5"],
    [`got "${"123456789".repeat(45)}"`, 'got "1.23e404"'],
    ["at -18000000000000000.5 ms", "at -1.8e16 ms"],
    ["0.000000000000000000123 ms", "1.23e-19 ms"],
    ["rate 99999999999999999999", "rate 1e20"],
    ["x 1.2345678901234567e300 y", "x 1.23e300 y"],
  ];
  for (const [input, want] of cases) assert.equal(shortNumbers(input), want);
  const plain = "actions[12].atMs: 5000 is before 0.25 (v2 link, S3, x1234567890123456789)";
  assert.equal(shortNumbers(plain), plain);
});

/** The message `fn` throws; it must be short and carry `needle`. */
function shortError(what, fn, needle) {
  let thrown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof Error, `${what}: expected an Error, got ${String(thrown)}`);
  const m = thrown.message;
  assert.ok(!/\d{17}/.test(m), `${what}: a long number in ${m.slice(0, 200)}`);
  assert.equal(shortNumbers(m), m, what);
  if (needle) assert.ok(m.includes(needle), `${what}: ${m} lacks ${needle}`);
  return m;
}

/** A v1 share link of `scenario` (v1 links still open; they carry no checksum). */
const v1 = (scenario) => `v1.${Buffer.from(JSON.stringify({ version: 1, ...scenario })).toString("base64url")}`;

test("the JS API's errors print hostile numbers short", () => {
  const crash = { type: "crash", node: 1 };
  shortError("endMs before the last action", () => Simulation.fromScenario({ config: {}, actions: [{ atMs: 5, action: crash }], endMs: 1e-300 }), "1e-300 is before the last action at 5");
  shortError("an action in the past", () => Simulation.fromScenario({ config: {}, actions: [{ atMs: 5, action: crash }, { atMs: 1e-300, action: crash }] }), "1e-300 is in the past");
  shortError("a link whose end is before its last action", () => Simulation.fromLink(v1({ config: {}, actions: [{ atMs: 5, action: crash }], endMs: 1e-300 })), "1e-300");
  shortError("a huge latency", () => new Simulation({ latencyMsMax: 1e300 }), "1e300");
  shortError("a huge seed", () => new Simulation({ seed: -1e300 }));
  const sim = new Simulation({ seed: 1 });
  shortError("advance", () => sim.advance(1e300), "1e300");
  shortError("seek", () => sim.seek(-1e300), "-1e300");
  shortError("crash", () => sim.crash(1e300), "1e300");
  shortError("clockSkew", () => sim.clockSkew(1, -1e300), "-1e300");
  shortError("apply", () => sim.apply({ type: "restart", node: 123456789012345678901234567890 }), "1.23e29");
  // Refused calls left the simulation usable.
  sim.advance(10);
  assert.equal(sim.now(), 10);
});
