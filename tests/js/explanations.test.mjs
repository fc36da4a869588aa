// Every state the page shows is explained where it shows it: the reasons raft-core and raft-sim
// put on rejections, refusals, snapshots and pre-votes become sentences in both languages.
// `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { describe, categoryOf } from "../../web/describe.js";
import { nextWhy } from "../../web/views/log-view.js";

const LANGS = ["en", "zh"];

/** No placeholder left unfilled, no raw key, no "undefined". */
function assertWords(text, what) {
  assert.doesNotMatch(text, /\{\w+\}|undefined|^ev\.|reason\.|\bNaN\b/, `${what}: ${text}`);
}

test("a pre-vote says it is not a vote and is not written to disk", () => {
  const ev = { kind: "voteGranted", node: 1, to: 2, term: 3, preVote: true };
  assert.match(describe("en", ev), /not a vote.*writes nothing to disk.*other pre-candidates/);
  assert.match(describe("zh", ev), /预投票不是投票.*不写磁盘/);
  // A real vote keeps its short sentence.
  assert.doesNotMatch(describe("en", { ...ev, preVote: false }), /not a vote/);
});

test("a leader refusing a vote says it leads, not that it heard from itself", () => {
  const ev = { kind: "voteDenied", node: 1, to: 3, term: 4, preVote: true, reason: { type: "isLeader", term: 3 } };
  for (const lang of LANGS) assertWords(describe(lang, ev), lang);
  assert.match(describe("en", ev), /itself the leader of term 3/);
  assert.doesNotMatch(describe("en", ev), /heard from/);
  assert.match(describe("zh", ev), /它自己就是任期 3 的领导者/);
});

test("an append rejected on a short log says an earlier append is late, overtaken or lost", () => {
  const ev = {
    kind: "appendRejected", node: 3, leader: 1, prevIndex: 10, prevTerm: 1,
    reason: { type: "logTooShort", lastIndex: 9 }, hint: 9, hintTerm: 1,
  };
  for (const lang of LANGS) assertWords(describe(lang, ev), lang);
  assert.match(describe("en", ev), /its log ends at index 9.*overtook it on the network/);
  assert.match(describe("zh", ev), /日志只到索引 9.*抢先到达/);
  const diverged = { ...ev, prevIndex: 2, reason: { type: "termMismatch", term: 2 } };
  assert.match(describe("en", diverged), /entry at index 2 has term 2, not 1/);
  assert.match(describe("zh", diverged), /索引 2 处的日志项任期是 2，不是 1/);
});

test("nextIndex falling back to the match after a pipelined rejection names the match, not a hint", () => {
  const ev = { kind: "nextIndexMoved", node: 1, peer: 5, from: 22, to: 5, reason: { type: "backToMatch", rejected: 8, matched: 4 } };
  for (const lang of LANGS) assertWords(describe(lang, ev), lang);
  assert.match(describe("en", ev), /after index 8 was rejected.*matchIndex 4/);
  assert.equal(nextWhy("en", ev), " (back to match 4)");
  assert.equal(nextWhy("zh", ev), " (退回 match 4)");
  assert.equal(nextWhy("en", { ...ev, reason: { type: "hint", rejectHint: 4, hintTerm: 1 } }), " (by hint)");
  assert.equal(nextWhy("en", { ...ev, reason: { type: "acked" } }), "");
});

test("a snapshot is explained when the leader sends it, and its answer moves nextIndex past it", () => {
  const sent = { kind: "snapshotSent", node: 1, to: 5, index: 16, needed: 9, firstIndex: 17 };
  assert.equal(categoryOf(sent), "replication");
  for (const lang of LANGS) assertWords(describe(lang, sent), lang);
  assert.match(describe("en", sent), /sends S5 its snapshot up to index 16: S5 needs the entries from index 9, but the leader’s log now starts at 17/);
  const moved = { kind: "nextIndexMoved", node: 1, peer: 5, from: 9, to: 17, reason: { type: "snapshotAnswered", index: 16 } };
  assert.match(describe("en", moved), /answered the snapshot up to index 16/);
  assert.doesNotMatch(describe("en", moved), /compacted/);
  assert.match(describe("zh", moved), /回复了截至索引 16 的快照/);
});

test("the leader's refusal of an answer beyond its log explains the wedge after a broken election", () => {
  const ev = { kind: "msgRefused", node: 1, from: 2, type: "appendResp", reason: { type: "indexBeyondLog", index: 4, lastIndex: 2 } };
  assert.equal(categoryOf(ev), "fault");
  for (const lang of LANGS) assertWords(describe(lang, ev), lang);
  assert.match(describe("en", ev), /S2 reports index 4, beyond S1’s last entry 2.*re-sends the same append after every heartbeat and cannot commit.*Leader Completeness/);
  assert.match(describe("zh", ev), /索引 4 超出了 S1 的最后一个日志项 2.*无法提交.*领导者完整性/);
  const other = { ...ev, reason: { type: "malformed", detail: "entries are not contiguous" } };
  assert.match(describe("en", other), /impossible input: entries are not contiguous/);
  assertWords(describe("zh", { ...ev, reason: { type: "unknownSender" } }), "zh");
});
