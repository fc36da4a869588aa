// @ts-check
// What the current lesson step highlights, as sets the views can look things up in (one place,
// so the cluster, the log and the clients agree on what stands out and what dims).

/** @typedef {import('../store.js').StoreState} StoreState */

/**
 * @typedef {Object} Focus
 * @property {Set<number>} nodes
 * @property {Set<number>} messages message ids
 * @property {Set<string>} links unordered pairs as "a-b" with a < b
 * @property {{ node: number, from: number, to: number }[]} log cells
 * @property {Set<number>} clients
 * @property {{ name: 'old' | 'new', nodes: number[], of: number[] }[]} majorities groups to draw (groups.js)
 */

/** @type {WeakMap<object, Map<number, Focus>>} */
const memo = new WeakMap();

/**
 * The focus of the step the lesson is paused at (or playing to), or null when nothing is
 * highlighted (no lesson, the introduction, or a step that highlights nothing).
 * @param {StoreState} st
 * @returns {Focus | null}
 */
export function lessonFocus(st) {
  const l = st.lesson;
  if (!l) return null;
  const i = l.target ?? l.step;
  if (i < 0 || !l.steps[i]) return null;
  let byStep = memo.get(l.steps);
  if (!byStep) {
    byStep = new Map();
    memo.set(l.steps, byStep);
  }
  let f = byStep.get(i);
  if (!f) {
    const hl = l.steps[i].highlight ?? {};
    f = {
      nodes: new Set(hl.nodes ?? []),
      messages: new Set(l.plan[i]?.messageIds ?? []),
      links: new Set((hl.links ?? []).map((/** @type {number[]} */ [a, b]) => (a < b ? `${a}-${b}` : `${b}-${a}`))),
      log: (hl.log ?? []).map((/** @type {any} */ c) => ({ node: c.node, from: c.index, to: c.to ?? c.index })),
      clients: new Set(hl.clients ?? []),
      majorities: hl.majorities ?? [],
    };
    byStep.set(i, f);
  }
  const empty = !f.nodes.size && !f.messages.size && !f.links.size && !f.log.length && !f.clients.size && !f.majorities.length;
  return empty ? null : f;
}

/**
 * Whether a log cell is highlighted.
 * @param {Focus | null} f
 * @param {number} node
 * @param {number} index
 */
export function cellInFocus(f, node, index) {
  return !!f && f.log.some((c) => c.node === node && index >= c.from && index <= c.to);
}
