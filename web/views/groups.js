// @ts-check
// Groups of servers drawn on the ring: the majorities a lesson step names (docs/LESSONS.md,
// `highlight.majorities`), or, in free play, the two configurations of a joint configuration
// (§4.3 of the dissertation: while joint, every decision needs a majority of each). A group is
// drawn as a translucent band along the ring around its members, one band per run of
// neighbouring members, so a server that is not in the group is never inside its outline.

/**
 * @typedef {Object} Group
 * @property {'old' | 'new'} name C_old or C_new
 * @property {number[]} nodes the servers drawn
 * @property {number[]} of the configuration's voters
 * @property {boolean} majority whether `nodes` are more than half of `of`
 * @property {'majority' | 'config'} kind a lesson's majority, or a whole configuration (free play)
 */

/**
 * The groups to draw: a lesson step's majorities, else both halves of a joint configuration.
 * @param {{ majorities: any[] } | null} focus the lesson step's focus (lesson-focus.js)
 * @param {any | null} source the node whose configuration stands for the cluster's
 * @returns {Group[]}
 */
export function drawnGroups(focus, source) {
  if (focus && focus.majorities.length) {
    return focus.majorities.map((g) => ({
      name: g.name === 'new' ? 'new' : 'old',
      nodes: [...g.nodes],
      of: [...g.of],
      majority: 2 * g.nodes.length > g.of.length,
      kind: 'majority',
    }));
  }
  const outgoing = source?.jointVoters ?? [];
  if (!outgoing.length) return [];
  const incoming = source.voters ?? [];
  return [
    { name: 'old', nodes: [...outgoing], of: [...outgoing], majority: true, kind: 'config' },
    { name: 'new', nodes: [...incoming], of: [...incoming], majority: true, kind: 'config' },
  ];
}

/** The smallest number of servers that is more than half of `n`. */
export function majorityOf(/** @type {number} */ n) {
  return Math.floor(n / 2) + 1;
}

/**
 * The members of a group as runs of neighbours on the ring.
 * @param {number[]} ring every drawn server, in ring order (clockwise)
 * @param {Set<number>} members
 * @returns {{ runs: number[][], whole: boolean }} `whole`: the group is the entire ring
 */
export function ringRuns(ring, members) {
  const inside = ring.map((id) => members.has(id));
  if (inside.every(Boolean)) return { runs: [ring.slice()], whole: true };
  // Start just after a server outside the group, so no run is split at the array's end.
  const start = inside.indexOf(false);
  /** @type {number[][]} */
  const runs = [];
  let cur = /** @type {number[]} */ ([]);
  for (let k = 1; k <= ring.length; k++) {
    const i = (start + k) % ring.length;
    if (inside[i]) cur.push(ring[i]);
    else if (cur.length) {
      runs.push(cur);
      cur = [];
    }
  }
  if (cur.length) runs.push(cur);
  return { runs, whole: false };
}

/**
 * The outline of a band along a circle of radius `ring` around `center`, from angle a0 to a1
 * (clockwise on screen, a1 >= a0), `w` wide on each side, with round ends; one angle gives a
 * circle around that point.
 * @param {number} center
 * @param {number} ring
 * @param {number} w
 * @param {number} a0
 * @param {number} a1
 */
export function bandPath(center, ring, w, a0, a1) {
  const f = (/** @type {number} */ v) => v.toFixed(1);
  const at = (/** @type {number} */ r, /** @type {number} */ a) => `${f(center + r * Math.cos(a))} ${f(center + r * Math.sin(a))}`;
  if (a1 - a0 < 1e-9) {
    const cx = center + ring * Math.cos(a0);
    const cy = center + ring * Math.sin(a0);
    return `M${f(cx - w)} ${f(cy)}A${f(w)} ${f(w)} 0 1 0 ${f(cx + w)} ${f(cy)}A${f(w)} ${f(w)} 0 1 0 ${f(cx - w)} ${f(cy)}Z`;
  }
  const ro = ring + w;
  const ri = Math.max(1, ring - w);
  const large = a1 - a0 > Math.PI ? 1 : 0;
  return `M${at(ro, a0)}A${f(ro)} ${f(ro)} 0 ${large} 1 ${at(ro, a1)}A${f(w)} ${f(w)} 0 0 1 ${at(ri, a1)}A${f(ri)} ${f(ri)} 0 ${large} 0 ${at(ri, a0)}A${f(w)} ${f(w)} 0 0 1 ${at(ro, a0)}Z`;
}

/**
 * A whole ring: the annulus between `ring - w` and `ring + w` (drawn with fill-rule evenodd).
 * @param {number} center
 * @param {number} ring
 * @param {number} w
 */
export function annulusPath(center, ring, w) {
  const circle = (/** @type {number} */ r) => `M${(center - r).toFixed(1)} ${center}A${r.toFixed(1)} ${r.toFixed(1)} 0 1 0 ${(center + r).toFixed(1)} ${center}A${r.toFixed(1)} ${r.toFixed(1)} 0 1 0 ${(center - r).toFixed(1)} ${center}Z`;
  return circle(ring + w) + circle(Math.max(1, ring - w));
}
