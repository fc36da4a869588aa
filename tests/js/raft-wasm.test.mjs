// The built package (www/pkg, from `wasm-pack build --target web`) through its real JS glue:
// what embedders and the page call. Run after the site build: `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

const pkg = new URL("../../www/pkg/", import.meta.url);
const { default: init, Simulation } = await import(new URL("raft_wasm.js", pkg));
await init({ module_or_path: await readFile(new URL("raft_wasm_bg.wasm", pkg)) });

/** Run `fn`, expect it to throw an Error (never a wasm trap) of `Class` naming `method`. */
function throwsNamed(fn, Class, method, needle) {
  let thrown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown !== undefined, `${method}: expected a throw`);
  assert.ok(thrown instanceof Error, `${method}: threw a non-Error ${String(thrown)}`);
  assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `${method}: wasm trap: ${thrown.message}`);
  if (Class) assert.ok(thrown instanceof Class, `${method}: ${thrown.name}: ${thrown.message}`);
  assert.ok(thrown.message.startsWith(`${method}: `), thrown.message);
  if (needle) assert.ok(thrown.message.includes(needle), `${thrown.message} lacks ${needle}`);
  return thrown;
}

function withLeader(seed) {
  const sim = new Simulation({ seed });
  for (let i = 0; i < 100 && sim.leader() === null; i++) sim.advance(100);
  assert.notEqual(sim.leader(), null, "no leader within 10 s");
  return sim;
}

test("new Simulation() with no argument gives 5 nodes and plain objects", () => {
  const sim = new Simulation();
  const state = sim.state();
  assert.equal(Object.getPrototypeOf(state), Object.prototype);
  assert.equal(state.nodes.length, 5);
  assert.equal(typeof sim.config().seed, "number");
  const events = sim.advance(1000);
  assert.ok(Array.isArray(events) && events.length > 0);
  for (const e of events) assert.equal(typeof e.kind, "string");
  assert.equal(sim.now(), 1000);
  sim.free();
});

test("a leader is elected and a put commits on every node", () => {
  const sim = withLeader(3);
  sim.clientPut("x", "<img src=x onerror=alert(1)>");
  const done = sim.advance(2000).filter((e) => e.kind === "clientCompleted");
  assert.equal(done.length, 1);
  for (const node of sim.state().nodes) assert.equal(node.kv.x, "<img src=x onerror=alert(1)>");
});

test("errors come as TypeError or RangeError naming the argument", () => {
  const sim = new Simulation({ seed: 1 });
  throwsNamed(() => sim.crash("1"), TypeError, "crash", "node");
  throwsNamed(() => sim.crash(NaN), RangeError, "crash", "NaN");
  throwsNamed(() => sim.crash(), TypeError, "crash", "undefined");
  throwsNamed(() => sim.crash(8), RangeError, "crash", "node");
  throwsNamed(() => sim.advance(-1), RangeError, "advance", "ms");
  throwsNamed(() => new Simulation({ nodes: 10 }), RangeError, "new Simulation", "config.nodes");
  throwsNamed(() => new Simulation({ nodes: "3" }), TypeError, "new Simulation", "config.nodes");
  throwsNamed(() => Simulation.fromLink("v1.garbage"), Error, "fromLink", "link");
  throwsNamed(() => sim.setLink(1, 2), TypeError, "setLink", "options");
});

test("a throwing getter, a revoked proxy and re-entry into the instance do not poison it", () => {
  const sim = withLeader(4);
  const before = sim.stateHash();
  throwsNamed(() => sim.setLink(1, 2, { get up() { throw new Error("boom"); } }), TypeError, "setLink", "options.up");
  throwsNamed(() => sim.setLink(1, 2, { get up() { sim.state(); return true; } }), TypeError, "setLink", "options.up");
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  throwsNamed(() => sim.setLink(1, 2, proxy), TypeError, "setLink", "options");
  throwsNamed(() => sim.partition(proxy), TypeError, "partition", "groups");
  throwsNamed(() => new Simulation(proxy), TypeError, "new Simulation", "config");
  const cyclic = { type: "heal" };
  cyclic.self = cyclic;
  throwsNamed(() => sim.apply(cyclic), TypeError, "apply", "action");
  throwsNamed(() => sim.apply({ type: "heal", toJSON() { return sim.state(); } }), Error, "apply");
  assert.equal(sim.stateHash(), before);
  sim.advance(100);
  sim.crash(sim.leader());
  assert.ok(sim.check().ok);
});

test("two thousand bad calls through the JS glue all throw, and the instance still works", () => {
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  // Each of these is wrong for every argument it is passed to below.
  const junk = [undefined, null, NaN, -1, Infinity, 1e12, "1", "", {}, [], [[]], new Boolean(true), 10n, Symbol("x"), () => 1];
  const pick = () => junk[rand(junk.length)];
  // For text arguments a non-empty string is valid, so it becomes the (invalid) empty key.
  const notText = () => {
    const v = pick();
    return typeof v === "string" ? "" : v;
  };
  // For an optional argument `undefined` is valid.
  const defined = () => pick() ?? -1;
  // For `expected` any string and null are valid.
  const notTextOrNull = () => {
    const v = pick();
    return typeof v === "string" || v == null ? 5 : v;
  };
  // A voter or learner list: any junk, a list holding junk, or one the simulation refuses (an id
  // listed twice, 0, above 9, a fraction, ten ids).
  const refused = [[1, 1], [0], [10], [2.5], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]];
  const notIds = () => [pick, () => [1, pick()], () => refused[rand(refused.length)]][rand(3)]();
  // For `learners` an absent or empty list is valid (with good voters the call would succeed).
  const notLearners = () => {
    const v = notIds();
    return v === undefined || (Array.isArray(v) && v.length === 0) ? [0] : v;
  };
  const sim = withLeader(5);
  const hash = sim.stateHash();
  const trace = sim.exportTrace();
  const calls = [
    ["advance", () => sim.advance(pick())],
    ["seek", () => sim.seek(pick())],
    ["crash", () => sim.crash(pick())],
    ["restart", () => sim.restart(pick())],
    ["pause", () => sim.pause(pick())],
    ["resume", () => sim.resume(pick())],
    ["timeout", () => sim.timeout(pick())],
    ["partition", () => sim.partition([[1], [pick()]])],
    ["setLink", () => sim.setLink(1, pick(), { up: false })],
    ["setAllLinks", () => sim.setAllLinks({ loss: pick() ?? -1 })],
    ["setAllLinks", () => sim.setAllLinks({ up: true, latency: 10 })],
    ["clientPut", () => sim.clientPut(notText(), "v")],
    ["clientGet", () => sim.clientGet(notText())],
    ["clientAppend", () => sim.clientAppend("k", "v", defined())],
    ["clientCas", () => sim.clientCas("k", notTextOrNull(), "v")],
    ["transferLeader", () => sim.transferLeader(pick())],
    ["addServer", () => sim.addServer(pick())],
    ["addLearner", () => sim.addLearner(pick())],
    ["removeServer", () => sim.removeServer(pick())],
    ["changeMembership", () => sim.changeMembership(notIds())],
    ["changeMembership", () => sim.changeMembership([1, 2, 3], notLearners())],
    ["compact", () => sim.compact(pick())],
    ["setBug", () => sim.setBug(pick(), true)],
    ["setPreVote", () => sim.setPreVote(pick())],
    ["setCheckQuorum", () => sim.setCheckQuorum(pick())],
    ["setFastBacktrack", () => sim.setFastBacktrack(pick())],
    ["setReadMode", () => sim.setReadMode(pick())],
    ["clockSkew", () => sim.clockSkew(pick(), 10)],
    ["apply", () => sim.apply(pick())],
    ["fromLink", () => Simulation.fromLink(pick())],
    // `{}` is a valid scenario (all defaults), so plain objects become broken JSON text.
    ["fromScenario", () => {
      const v = pick();
      return Simulation.fromScenario(v && typeof v === "object" && !Array.isArray(v) ? "{" : v);
    }],
    ["new Simulation", () => new Simulation({ nodes: pick() ?? 0 })],
  ];
  for (let i = 0; i < 2000; i++) {
    const [method, call] = calls[rand(calls.length)];
    throwsNamed(call, null, method);
  }
  assert.equal(sim.stateHash(), hash, "a failed call changed the state");
  assert.equal(sim.exportTrace(), trace, "a failed call was recorded");
  sim.advance(1000);
  sim.clientPut("still", "works");
  sim.advance(1000);
  assert.ok(sim.check().ok);
  assert.ok(sim.state().nodes.some((n) => n.kv.still === "works"));
});

test("toLink / fromLink reproduce the state at the same time", () => {
  const sim = withLeader(6);
  sim.clientPut("a", "1");
  sim.advance(500);
  sim.partition([[1, 2], [3, 4, 5]]);
  sim.advance(777.25);
  const copy = Simulation.fromLink(sim.toLink());
  assert.equal(copy.now(), sim.now());
  assert.equal(copy.stateHash(), sim.stateHash());
  const again = Simulation.fromScenario(sim.exportTrace());
  assert.equal(again.stateHash(), sim.stateHash());
});

test("the TypeScript declarations ship with the package", async () => {
  const dts = await readFile(new URL("raft_wasm.d.ts", pkg), "utf8");
  for (const needle of [
    "export class Simulation",
    "export type TraceEvent",
    "export interface ClusterState",
    "advance(ms: number): TraceEvent[]",
    "static fromLink(link: string, options?: OpenOptions): Simulation",
    "constructor(config?: SimConfigInput)",
  ]) {
    assert.ok(dts.includes(needle), `raft_wasm.d.ts lacks ${needle}`);
  }
});

test("Simulation.limits() and Simulation.bugs() give exactly the keys their declarations name", async () => {
  // limits() and bugs() build their objects key by key in the bindings; a misspelt key would
  // reach users as undefined while the declaration promises a number.
  const dts = await readFile(new URL("raft_wasm.d.ts", pkg), "utf8");
  const declared = (block) => [...block.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1]).sort();
  const limitsBlock = dts.match(/export interface Limits \{([\s\S]*?)\n\}/);
  assert.ok(limitsBlock, "raft_wasm.d.ts declares interface Limits");
  const limits = Simulation.limits();
  assert.deepEqual(Object.keys(limits).sort(), declared(limitsBlock[1]));
  for (const [key, value] of Object.entries(limits)) {
    assert.ok(Number.isSafeInteger(value) && value > 0, `limits().${key} = ${value}`);
  }
  const bugsType = dts.match(/static bugs\(\): \{([^}]*)\}\[\]/);
  assert.ok(bugsType, "raft_wasm.d.ts declares bugs()'s item type");
  const bugs = Simulation.bugs();
  assert.deepEqual(bugs.map((b) => b.name), Simulation.bugNames());
  for (const bug of bugs) assert.deepEqual(Object.keys(bug).sort(), declared(bugsType[1].replaceAll(";", "\n")));
});

/** Run the nth ```js block of docs/API.md under Node against the built package; its output. */
async function runApiExample(n) {
  const { execFile } = await import("node:child_process");
  const { mkdtemp, writeFile } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const doc = await readFile(new URL("../../docs/API.md", import.meta.url), "utf8");
  const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length > n, `docs/API.md has ${blocks.length} js examples`);
  const file = join(await mkdtemp(join(tmpdir(), "raft-api-")), "example.mjs");
  await writeFile(file, blocks[n].replaceAll("./pkg/", pkg.href));
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [file], (err, out, errText) => (err ? reject(new Error(errText)) : resolve(out))),
  );
}

test("the runnable example in docs/API.md runs and prints what it promises", async () => {
  const stdout = await runApiExample(0);
  assert.match(stdout, /^leader: S\d/m);
  assert.match(stdout, /became leader in term \d+/);
  assert.match(stdout, /RangeError: crash: node: .*12/);
  assert.match(stdout, /^true true$/m);
});

test("the manual delivery example in docs/API.md runs and prints what it promises", async () => {
  const stdout = await runApiExample(1);
  assert.match(stdout, /^#1 S1→S2 term 1, #2 S1→S3 term 1$/m);
  assert.match(stdout, /^S2 answers voteGranted=true$/m);
  assert.match(stdout, /^leader: S1$/m);
  assert.match(stdout, /^RangeError: deliver: id: no message 1 is in flight/m);
  assert.match(stdout, /^true true$/m);
});

test("a link replays manual delivery choices exactly, and refused choices change nothing", () => {
  const sim = new Simulation({ nodes: 5, seed: 21, preVote: false, delivery: "manual" });
  sim.advance(400);
  let choices = 0;
  for (let round = 0; round < 80; round++) {
    const m = sim.pending().find((x) => x.waiting);
    if (!m) {
      sim.advance(20);
      continue;
    }
    const copied = round % 9 === 7;
    if (round % 9 === 4) sim.drop(m.id);
    else if (copied) sim.duplicate(m.id);
    else sim.deliver(m.id);
    choices++;
    const before = [sim.stateHash(), sim.exportTrace()];
    // Delivered or dropped: its id is no longer in flight (a duplicated one still is).
    for (const bad of [...(copied ? [] : [m.id]), -1, 0.5, "1", null, 2 ** 53]) {
      assert.throws(() => sim.deliver(bad), (e) => e instanceof Error && /^deliver: /.test(e.message));
    }
    assert.throws(() => sim.setDelivery("sometimes"), RangeError);
    assert.deepEqual([sim.stateHash(), sim.exportTrace()], before);
    sim.advance(2);
  }
  assert.ok(choices > 50, `${choices} choices`);
  assert.ok(sim.leader() !== null, "the choices elected a leader");
  const copy = Simulation.fromLink(sim.toLink());
  assert.equal(copy.traceHash(), sim.traceHash());
  assert.equal(copy.stateHash(), sim.stateHash());
  assert.deepEqual(copy.pending(), sim.pending());
  copy.free();
  sim.free();
});

// Issue 12: the costliest cluster the config allows, as a share link (about 200 characters).
const HOSTILE = { nodes: 9, heartbeatMs: 1, latencyMsMin: 0, latencyMsMax: 0, clients: 16, clientWriteEveryMs: 1 };
const hostileLink = (endMs) =>
  "v1." + Buffer.from(JSON.stringify({ version: 1, config: HOSTILE, actions: [], endMs })).toString("base64url");

test("advance(3600000) on the default cluster never traps: it returns, or stops at eventsPerCallMax and goes on", () => {
  const sim = new Simulation({ seed: 3 });
  let events;
  try {
    events = sim.advance(3_600_000);
  } catch (err) {
    assert.ok(err instanceof RangeError && err.message.includes("eventsPerCallMax"), String(err));
    const reached = sim.now();
    assert.ok(reached > 600_000 && reached < 3_600_000, `reached ${reached}: ${err.message}`);
    events = sim.advance(3_600_000 - reached);
  }
  assert.equal(sim.now(), 3_600_000);
  assert.ok(events.length <= Simulation.limits().traceReturnMax, `${events.length} events`);
  sim.seek(1_800_000);
  assert.equal(sim.now(), 1_800_000);
  sim.free();
});

test("a hostile link stops at a named limit with a RangeError, and the module keeps working", () => {
  const limits = Simulation.limits();
  assert.ok(hostileLink(86_400_000).length < 250);
  const started = performance.now();
  const err = throwsNamed(() => Simulation.fromLink(hostileLink(200_000)), RangeError, "fromLink");
  assert.match(err.message, /eventsPerCallMax|logEntriesMax/);
  console.log(`fromLink(hostile, endMs 200000) refused in ${(performance.now() - started).toFixed(0)} ms: ${err.message}`);
  // Opened without replaying, it is at time 0 and moves on in bounded slices.
  const sim = Simulation.fromLink(hostileLink(86_400_000), { replay: false });
  assert.equal(sim.now(), 0);
  assert.equal(sim.recordedEndMs(), 86_400_000);
  sim.seek(50);
  assert.equal(sim.now(), 50);
  const step = throwsNamed(() => sim.advance(limits.simMsMax), RangeError, "advance", "eventsPerCallMax");
  assert.match(step.message, /stopped at [0-9.]+ ms/);
  const reached = sim.now();
  assert.ok(reached > 50 && reached < limits.simMsMax, `reached ${reached}`);
  assert.equal(sim.state().nowMs, reached);
  sim.seek(reached / 2);
  sim.crash(1);
  sim.free();
  // Not a trap: a new simulation still works.
  const fresh = new Simulation({ seed: 1 });
  fresh.advance(1000);
  assert.equal(fresh.now(), 1000);
  fresh.free();
});

test("fromLink options are checked", () => {
  const link = new Simulation({ seed: 2 }).toLink();
  throwsNamed(() => Simulation.fromLink(link, 3), TypeError, "fromLink", "options");
  throwsNamed(() => Simulation.fromLink(link, { replay: "no" }), TypeError, "fromLink", "options.replay");
  throwsNamed(() => Simulation.fromLink(link, { reply: false }), RangeError, "fromLink", "reply");
  throwsNamed(() => Simulation.fromScenario('{"endMs":1e9}'), RangeError, "fromScenario", "simMsMax");
  const err = throwsNamed(() => Simulation.fromScenario('{"endMs":1e300}'), Error, "fromScenario");
  assert.ok(err.message.length < 200, err.message);
});
