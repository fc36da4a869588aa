// @ts-check
// Colours and shapes. The palette is Okabe–Ito (safe for the common colour-vision deficiencies),
// and every colour is paired with a shape, glyph or label so nothing is told by colour alone.

export const OKABE = {
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#8a8f98',
};

/** Role -> colour variable + glyph (the glyph is drawn inside the node). */
export const ROLE_STYLE = {
  leader: { fill: 'var(--role-leader)', ink: '#ffffff', glyph: '★', dash: '', icon: 'star', hollow: false },
  candidate: { fill: 'var(--role-candidate)', ink: '#1a1a1a', glyph: '◆', dash: '5 3', icon: 'diamond', hollow: false },
  preCandidate: { fill: 'var(--role-precandidate)', ink: '#1a1a1a', glyph: '◇', dash: '2 3', icon: 'diamond', hollow: true },
  follower: { fill: 'var(--role-follower)', ink: 'var(--ink)', glyph: '●', dash: '', icon: 'circle', hollow: false },
};

/**
 * Message types: a shape, a colour and a short mark. Shapes: diamond = vote traffic, rect = log
 * traffic, circle = heartbeats, square = snapshot, triangle = TimeoutNow, hexagon = ReadIndex.
 * Replies are drawn smaller than requests.
 */
export const MSG_STYLE = {
  preVote: { shape: 'diamond', color: OKABE.orange, hollow: true, size: 9, mark: 'P' },
  preVoteResp: { shape: 'diamond', color: OKABE.orange, hollow: true, size: 6, mark: '' },
  vote: { shape: 'diamond', color: OKABE.orange, hollow: false, size: 9, mark: 'V' },
  voteResp: { shape: 'diamond', color: OKABE.orange, hollow: false, size: 6, mark: '' },
  append: { shape: 'rect', color: OKABE.sky, hollow: false, size: 9, mark: '' },
  appendResp: { shape: 'rect', color: OKABE.sky, hollow: false, size: 6, mark: '' },
  heartbeat: { shape: 'circle', color: OKABE.blue, hollow: true, size: 6, mark: '' },
  heartbeatResp: { shape: 'circle', color: OKABE.blue, hollow: false, size: 4, mark: '' },
  snapshot: { shape: 'square', color: OKABE.purple, hollow: false, size: 11, mark: 'S' },
  snapshotResp: { shape: 'square', color: OKABE.purple, hollow: false, size: 6, mark: '' },
  timeoutNow: { shape: 'triangle', color: OKABE.yellow, hollow: false, size: 11, mark: '!' },
  readIndex: { shape: 'hexagon', color: OKABE.grey, hollow: false, size: 8, mark: 'R' },
  readIndexResp: { shape: 'hexagon', color: OKABE.grey, hollow: true, size: 6, mark: '' },
};

/** @param {string} type */
export function msgStyle(type) {
  return /** @type {Record<string, typeof MSG_STYLE.vote>} */ (MSG_STYLE)[type] ?? MSG_STYLE.readIndex;
}

/**
 * SVG path for a shape centred on 0,0, or on `dx`,`dy`. The cluster draws its moving and offset
 * shapes (messages, a node's role glyph) where they are by their paths rather than by a transform,
 * which would be a paint property node of its own for Chromium to sort into layers every frame
 * (docs/DESIGN.md, "Performance of the page").
 * @param {string} shape
 * @param {number} r half size
 * @param {number} [dx] where the centre is
 * @param {number} [dy]
 */
export function shapePath(shape, r, dx = 0, dy = 0) {
  // Without an offset the numbers are written as ever; with one, rounded to 0.01.
  /** @param {number} x */
  const X = (x) => (dx ? Number((x + dx).toFixed(2)) : x);
  /** @param {number} y */
  const Y = (y) => (dy ? Number((y + dy).toFixed(2)) : y);
  switch (shape) {
    case 'diamond':
      return `M${X(0)} ${Y(-r)}L${X(r)} ${Y(0)}L${X(0)} ${Y(r)}L${X(-r)} ${Y(0)}Z`;
    case 'rect':
      return `M${X(-r * 1.3)} ${Y(-r * 0.8)}H${X(r * 1.3)}V${Y(r * 0.8)}H${X(-r * 1.3)}Z`;
    case 'square':
      return `M${X(-r)} ${Y(-r)}H${X(r)}V${Y(r)}H${X(-r)}Z`;
    case 'triangle':
      return `M${X(0)} ${Y(-r)}L${X(r * 0.95)} ${Y(r * 0.75)}H${X(-r * 0.95)}Z`;
    case 'hexagon': {
      const a = r * 0.87;
      return `M${X(-r)} ${Y(0)}L${X(-r / 2)} ${Y(-a)}H${X(r / 2)}L${X(r)} ${Y(0)}L${X(r / 2)} ${Y(a)}H${X(-r / 2)}Z`;
    }
    case 'star': {
      let d = '';
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 ? r * 0.45 : r;
        d += `${i ? 'L' : 'M'}${(rr * Math.cos(a) + dx).toFixed(2)} ${(rr * Math.sin(a) + dy).toFixed(2)}`;
      }
      return `${d}Z`;
    }
    default:
      return `M${X(-r)} ${Y(0)}A${r} ${r} 0 1 0 ${X(r)} ${Y(0)}A${r} ${r} 0 1 0 ${X(-r)} ${Y(0)}Z`;
  }
}

/**
 * SVG path for a circle of radius `r` centred on 0,0 (or on `cx`,`cy`) that starts at the top and
 * runs clockwise: a timer ring's dash then shrinks from the top as a rotated circle's would,
 * without the rotation (a transform is a paint property node of its own; docs/DESIGN.md,
 * "Performance of the page").
 * @param {number} r
 * @param {number} [cx]
 * @param {number} [cy]
 */
export function ringPath(r, cx = 0, cy = 0) {
  return `M${cx} ${cy - r}A${r} ${r} 0 1 1 ${cx} ${cy + r}A${r} ${r} 0 1 1 ${cx} ${cy - r}`;
}

/** Term colours for log cells; the term number is always printed in the cell as well. */
const TERM_TINTS = ['#cfe8f7', '#fde2b0', '#c8eadb', '#f3d3e4', '#fbf3a6', '#d9d4f5', '#f6cdb6', '#d4e6b5'];
const TERM_TINTS_DARK = ['#1f4f6e', '#6b4a10', '#155443', '#6a3552', '#5e5712', '#3f3872', '#6e3a1e', '#43531f'];

/**
 * @param {number} term
 * @param {boolean} dark
 */
export function termColor(term, dark) {
  const list = dark ? TERM_TINTS_DARK : TERM_TINTS;
  return list[(Math.max(1, term) - 1) % list.length];
}
