// web/i18n-en.js and web/i18n-zh.js say the same things: the same keys, and each message the
// same placeholders (a value missing from one language would show as "{n}" or be lost). Counts
// and ranges of one read as words: "appended entry 1", not "entries 1–1". `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { en } from "../../web/i18n-en.js";
import { zh } from "../../web/i18n-zh.js";
import { t } from "../../web/i18n.js";
import { describe } from "../../web/describe.js";

/** @param {string} s */
const placeholders = (s) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

test("English and Chinese have the same keys", () => {
  assert.deepEqual(Object.keys(zh).filter((k) => !(k in en)), [], "keys only in Chinese");
  assert.deepEqual(Object.keys(en).filter((k) => !(k in zh)), [], "keys only in English");
});

test("each message has the same placeholders in both languages", () => {
  const differ = Object.keys(en)
    .filter((k) => k in zh && placeholders(en[k]).join() !== placeholders(zh[k]).join())
    .map((k) => `${k}: en {${placeholders(en[k])}} zh {${placeholders(zh[k])}}`);
  assert.deepEqual(differ, []);
});

test("a singular form exists only beside its plural, and keeps the other placeholders", () => {
  for (const k of Object.keys(en).filter((k) => k.endsWith(".one"))) {
    const base = k.slice(0, -".one".length);
    assert.ok(base in en, `${k} has no ${base}`);
    const rest = placeholders(en[base]).filter((p) => p !== "n" && p !== "active" && p !== "to");
    for (const p of rest) assert.ok(placeholders(en[k]).includes(p), `${k} lost {${p}}`);
  }
});

test("counts and ranges of one read as words in both languages", () => {
  const appended = { kind: "entriesAppended", node: 2, from: 1, to: 1, atMs: 5 };
  assert.equal(describe("en", appended), "S2 appended entry 1");
  assert.equal(describe("zh", appended), "S2 追加了日志项 1");
  assert.equal(describe("en", { ...appended, to: 3 }), "S2 appended entries 1–3");
  assert.equal(t("en", "checker.bad", { n: 1 }), "1 safety violation: show");
  assert.equal(t("en", "checker.bad", { n: 2 }), "2 safety violations: show");
  assert.equal(t("zh", "checker.bad", { n: 1 }), "1 处安全性被破坏：查看");
  const lost = { kind: "roleChanged", node: 1, to: "follower", term: 3, reason: { lostQuorum: { active: 1 } }, atMs: 9 };
  assert.match(describe("en", lost), /only 1 node answered/);
  assert.match(describe("en", { ...lost, reason: { lostQuorum: { active: 2 } } }), /only 2 nodes answered/);
});

test("every property the checkers report is named in words, and explained in Chinese", async () => {
  const { readFile, readdir } = await import("node:fs/promises");
  const dir = new URL("../../crates/raft-sim/src/", import.meta.url);
  const props = new Set();
  for (const f of await readdir(dir)) {
    if (!f.endsWith(".rs")) continue;
    const src = await readFile(new URL(f, dir), "utf8");
    for (const m of src.matchAll(/\.report\(\s*at_ms,\s*"(\w+)"/g)) props.add(m[1]);
  }
  assert.ok(props.size >= 10, `only ${[...props]} found`);
  for (const p of props) {
    const ev = { kind: "violation", property: p, nodes: [1, 2], index: 4, detail: "an English sentence from the checker", atMs: 1 };
    const zhText = describe("zh", ev);
    assert.ok(!zhText.includes(p), `zh names ${p} by its code identifier: ${zhText}`);
    assert.ok(!/English sentence/.test(zhText), `zh shows the English detail: ${zhText}`);
    if (/[A-Z]/.test(p)) assert.ok(!describe("en", ev).includes(p), `en names ${p} by its code identifier`);
    assert.notEqual(t("zh", `prop.${p}.what`), `prop.${p}.what`);
  }
});

test("every bug the simulation can inject has its explanation in both languages", async () => {
  const { readFile } = await import("node:fs/promises");
  const pkg = new URL("../../www/pkg/", import.meta.url);
  const mod = await import(new URL("raft_wasm.js", pkg));
  await mod.default({ module_or_path: await readFile(new URL("raft_wasm_bg.wasm", pkg)) });
  const names = mod.Simulation.bugNames();
  assert.ok(names.length >= 5, `only ${names}`);
  for (const name of names) for (const lang of ["en", "zh"]) assert.notEqual(t(lang, `bug.${name}`), `bug.${name}`, `${lang} bug.${name}`);
});
