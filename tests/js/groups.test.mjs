// web/views/groups.js: which groups of servers the cluster view draws, and how a group becomes
// bands along the ring that never take in a server outside it. `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { drawnGroups, ringRuns, bandPath, annulusPath, majorityOf } from "../../web/views/groups.js";

test("a lesson step's majorities are drawn, with whether each is a majority worked out", () => {
  const focus = {
    majorities: [
      { name: "old", nodes: [1, 2], of: [1, 2, 3] },
      { name: "new", nodes: [1, 2], of: [1, 2, 3, 4, 5] },
    ],
  };
  const joint = { voters: [1, 2, 3, 4, 5], jointVoters: [1, 2, 3] };
  const groups = drawnGroups(focus, joint);
  assert.deepEqual(
    groups.map((g) => [g.name, g.kind, g.majority]),
    [
      ["old", "majority", true],
      ["new", "majority", false],
    ],
  );
});

test("in free play a joint configuration shows both of its halves, a plain one nothing", () => {
  const joint = { voters: [1, 2, 3, 4, 5], jointVoters: [1, 2, 3] };
  assert.deepEqual(
    drawnGroups(null, joint).map((g) => [g.name, g.kind, g.nodes]),
    [
      ["old", "config", [1, 2, 3]],
      ["new", "config", [1, 2, 3, 4, 5]],
    ],
  );
  assert.deepEqual(drawnGroups(null, { voters: [1, 2, 3], jointVoters: [] }), []);
  assert.deepEqual(drawnGroups({ majorities: [] }, null), []);
});

test("a majority is more than half", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 9].map(majorityOf), [1, 2, 2, 3, 3, 5]);
});

test("members split into runs of neighbours on the ring, across the ring's start too", () => {
  // The membership lesson's ring: S1 top, then clockwise S2, S4, S3, S5.
  const ring = [1, 2, 4, 3, 5];
  assert.deepEqual(ringRuns(ring, new Set([1, 2])), { runs: [[1, 2]], whole: false });
  assert.deepEqual(ringRuns(ring, new Set([3, 4, 5])), { runs: [[4, 3, 5]], whole: false });
  // Joint consensus: the new majority S1, S2, S4, S5 wraps past the top; S3 is left out.
  assert.deepEqual(ringRuns(ring, new Set([1, 2, 4, 5])), { runs: [[5, 1, 2, 4]], whole: false });
  assert.deepEqual(ringRuns(ring, new Set([1, 4])), { runs: [[4], [1]], whole: false });
  assert.deepEqual(ringRuns(ring, new Set(ring)).whole, true);
});

/** Points of an SVG path's commands (the ends of each M and A). */
function ends(d) {
  return [...d.matchAll(/([MA])([^MAZ]+)/g)].map(([, c, args]) => {
    const n = args.trim().split(/[ ,]+/).map(Number);
    return c === "M" ? n : n.slice(5);
  });
}

test("a band runs along the ring from its first member to its last, w wide each side", () => {
  const c = 300;
  const r = 205;
  const w = 60;
  const d = bandPath(c, r, w, -Math.PI / 2, 0);
  const pts = ends(d);
  const near = (p, x, y) => Math.hypot(p[0] - x, p[1] - y) < 0.2;
  assert.ok(near(pts[0], c, c - r - w), `outer start ${pts[0]}`);
  assert.ok(near(pts[1], c + r + w, c), `outer end ${pts[1]}`);
  assert.ok(near(pts[2], c + r - w, c), `inner end ${pts[2]}`);
  assert.ok(near(pts[3], c, c - r + w), `inner start ${pts[3]}`);
  // A quarter turn is the small arc; more than half a turn takes the large one.
  assert.match(d, /A265\.0 265\.0 0 0 1/);
  assert.match(bandPath(c, r, w, 0, 4), /A265\.0 265\.0 0 1 1/);
  // One member: a circle around it.
  assert.match(bandPath(c, r, w, 0, 0), /^M445\.0 300\.0A60\.0 60\.0 0 1 0 565\.0 300\.0/);
  // The whole ring: two circles (drawn even-odd, an annulus).
  assert.equal((annulusPath(c, r, w).match(/M/g) ?? []).length, 2);
});
