// web/describe.js puts the user's own actions into the feed and the caption. A teacher reads
// them aloud, so they must be words in the page's language, not API names and field=value pairs.
// Every Action type of the package's TypeScript declarations is checked. `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describeOp } from "../../web/describe.js";
import { t } from "../../web/i18n.js";

const dts = await readFile(new URL("../../www/pkg/raft_wasm.d.ts", import.meta.url), "utf8");
const union = dts.match(/export type Action =([\s\S]*?);\s*\n\s*\n/);
const types = [...union[1].matchAll(/type: "(\w+)"/g)].map((m) => m[1]);

test("every user action has a name in words in English and Chinese", () => {
  assert.ok(types.length >= 20, `only ${types.length} action types found`);
  for (const type of types) {
    if (type.startsWith("client")) continue; // client ops keep put / get / append, like the KV panel
    for (const lang of ["en", "zh"]) {
      const name = t(lang, `act.${type}`);
      assert.notEqual(name, `act.${type}`, `${lang} has no name for ${type}`);
      if (/[A-Z]/.test(type)) assert.notEqual(name, type, `${lang} names ${type} by its API name`);
    }
  }
});

test("a link change reads as latency, loss and duplicates, not field=value", () => {
  const op = { type: "setLink", from: 1, to: 2, up: true, latencyMsMin: 5, latencyMsMax: 40, lossPct: 10, dupPct: 0 };
  assert.equal(describeOp(op, "en"), "set link S1→S2 up latency 5–40 ms loss 10% duplicates 0%");
  const zh = describeOp(op, "zh");
  assert.match(zh, /^设置连线 S1→S2 连通 延迟 5–40 毫秒 丢包 10% 重复 0%$/);
  assert.doesNotMatch(describeOp({ type: "setLink", from: 3, to: 1, latencyMs: 30 }, "en"), /=/);
});

test("a clock skew reads as a percentage of real time", () => {
  assert.equal(describeOp({ type: "clockSkew", node: 2, ratePpm: -500000 }, "en"), "clock skew S2 clock -50%");
  assert.equal(describeOp({ type: "clockSkew", node: 2, ratePpm: 50000 }, "zh"), "时钟偏移 S2 时钟 +5%");
});

test("a list of servers reads as each language writes one: commas in English, 、 in Chinese", async () => {
  const { describe } = await import("../../web/describe.js");
  const ev = { kind: "confChanged", atMs: 10, node: 1, voters: [1, 2, 3], learners: [], joint: false };
  assert.match(describe("en", ev), /voters S1, S2, S3/);
  const zh = describe("zh", ev);
  assert.match(zh, /投票成员 S1、S2、S3/);
  assert.doesNotMatch(zh, /, /);
});

test("a crash, a restart, a pause and a resume each read as what happened", async () => {
  const { describe } = await import("../../web/describe.js");
  const say = (/** @type {string} */ kind, /** @type {string} */ lang) => describe(lang, { kind, atMs: 220, node: 3 });
  assert.match(say("nodeCrashed", "en"), /^S3 crashed/);
  assert.match(say("nodeCrashed", "zh"), /^S3 宕机/);
  assert.match(say("nodeRestarted", "en"), /^S3 restarted/);
  assert.match(say("nodePaused", "en"), /S3/);
  const four = ["nodeCrashed", "nodeRestarted", "nodePaused", "nodeResumed"].map((k) => say(k, "en"));
  assert.equal(new Set(four).size, 4, four.join(" | "));
});
