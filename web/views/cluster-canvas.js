// @ts-check
// The cluster's moving parts (messages in flight, lost-message crosses, the arcs of the election
// timers) drawn on a canvas between the links and the servers. As SVG elements they were most of
// the page's work with several playgrounds playing: each picture wrote dozens of attributes and
// made Chromium restyle and repaint the whole drawing they sat in (docs/DESIGN.md, "Session 12").
// On the canvas a picture costs a clear and a copy of each message's own small picture (`sprite`),
// drawn once. What the elements gave besides the picture is kept elsewhere: cluster-view.js keeps
// focusable, labelled message elements (with no paint) while the picture stands still, and a
// click is matched to a message by `hitMessage`.
//
// The looks come from the stylesheet, as for the legend, which draws the same classes: hidden
// probe elements of each class are read once per theme and size (`restyle`, `resize`).

import { shapePath } from '../palette.js';
import { s } from '../dom.js';

/**
 * A message as drawn: where, which shape, and how it is marked.
 * @typedef {{
 *   id: number, x: number, y: number, shape: string, size: number, hollow: boolean, color: string,
 *   mark: string, markColor: string, hint: string, dup: boolean, waiting: boolean,
 *   selected: boolean, hover: boolean, focused: boolean, lessonFocus: boolean, dim: boolean,
 * }} DrawnMsg
 */
/** A server's election timer: `frac` of the ring left (null: no timer, nothing drawn). */
/** @typedef {{ x: number, y: number, r: number, frac: number | null, alpha: number }} DrawnTimer */
/** @typedef {{ x: number, y: number, alpha: number }} DrawnCross */
/** @typedef {{ msgs: DrawnMsg[], crosses: DrawnCross[], timers: DrawnTimer[] }} Scene */

/** A message not named by a lesson's step, while the step names some (as the servers dim). */
const MSG_DIM_ALPHA = 0.18;
/** Message pictures kept (sprite), at most: types, outcomes and marks of a run repeat. */
const SPRITES_MAX = 96;

/** The stylesheet classes the canvas draws with, read from probe elements. */
const PROBES = /** @type {const} */ (['msg-mark', 'msg-hint', 'msg-dup', 'msg-waiting', 'timer', 'drop-x']);

/**
 * @typedef {{ fill: string, fillOpacity: number, stroke: string, width: number, dash: number[], font: string }} Look
 */

/**
 * @param {SVGSVGElement} probeHost an SVG in the same stylesheet's scope, where the probes live
 */
export function createMovingParts(probeHost) {
  const canvas = document.createElement('canvas');
  canvas.className = 'cluster-moving';
  canvas.setAttribute('aria-hidden', 'true');
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const probes = s('g', { class: 'probes', 'aria-hidden': 'true', visibility: 'hidden' });
  /** @type {Record<string, SVGElement>} */
  const probe = {};
  for (const cls of PROBES) {
    const el = s(cls === 'msg-mark' || cls === 'msg-hint' ? 'text' : 'path', { class: cls });
    probe[cls] = el;
    probes.append(el);
  }
  probeHost.append(probes);

  /** @type {Record<string, Look> | null} */
  let looks = null;
  /** Colour variables by name, resolved with the looks. */
  /** @type {Map<string, string>} */
  const vars = new Map();
  /** @type {Map<string, Path2D>} */
  const paths = new Map();
  /** Each message picture's canvas, and where the message's centre is in it (sprite). */
  /** @type {Map<string, { image: HTMLCanvasElement, cx: number, cy: number }>} */
  const sprites = new Map();
  let box = { x: 0, y: 0, w: 1, h: 1 };
  let cssW = 0;
  let cssH = 0;
  let dpr = 0;
  /** Matches while the pixel ratio is the one the canvas was made for (resize). */
  /** @type {MediaQueryList | null} */
  let ratioQuery = null;
  /** The drawing's units to the canvas's CSS pixels: scale, and offset from the canvas's corner. */
  let k = 1;
  let ox = 0;
  let oy = 0;
  /** The messages last drawn, in drawing order (hitMessage reads them back to front). */
  /** @type {DrawnMsg[]} */
  let drawn = [];
  /** Whether the canvas holds anything (a blank picture need not be cleared again). */
  let inked = false;
  /** @type {Scene | null} */
  let last = null;

  /**
   * Fit the canvas to the drawing it lies in (its parent, the size of the SVGs) and to the
   * drawing's box (the SVGs' viewBox): called when either changes size, and when the screen's
   * pixel ratio changes (a zoom, another screen), which changes no size the page can observe.
   * @param {{ x: number, y: number, w: number, h: number }} viewBox
   */
  function resize(viewBox) {
    box = viewBox;
    const parent = canvas.parentElement;
    if (!parent) return;
    const r = parent.getBoundingClientRect();
    cssW = r.width;
    cssH = r.height;
    if (window.devicePixelRatio !== dpr) {
      dpr = window.devicePixelRatio || 1;
      ratioQuery?.removeEventListener('change', onRatio);
      ratioQuery = matchMedia(`(resolution: ${dpr}dppx)`);
      ratioQuery.addEventListener('change', onRatio);
    }
    // One canvas pixel on one screen pixel: the canvas's corner on the first whole device pixel
    // of the page inside the drawing (at 125% the drawing may begin halfway through one) and its
    // size in whole device pixels within the drawing; a canvas scaled by a fraction of a pixel
    // is resampled, and blurs.
    const x = (r.left + scrollX) * dpr;
    const y = (r.top + scrollY) * dpr;
    const left = (Math.ceil(x - 1e-6) - x) / dpr;
    const top = (Math.ceil(y - 1e-6) - y) / dpr;
    canvas.width = Math.max(1, Math.floor((cssW - left) * dpr + 1e-6));
    canvas.height = Math.max(1, Math.floor((cssH - top) * dpr + 1e-6));
    const style = canvas.style;
    style.left = `${left}px`;
    style.top = `${top}px`;
    style.width = `${canvas.width / dpr}px`;
    style.height = `${canvas.height / dpr}px`;
    // The drawing's units to the canvas's pixels, as the SVGs map them (xMidYMid meet).
    k = Math.min(cssW / box.w, cssH / box.h) || 1;
    ox = (cssW - box.w * k) / 2 - box.x * k - left;
    oy = (cssH - box.h * k) / 2 - box.y * k - top;
    looks = null;
    forgetSprites();
    inked = true;
    if (last) draw(last);
  }

  function onRatio() {
    resize(box);
  }

  /** Read the looks again (a new theme, or the stylesheet's narrow sizes). */
  function restyle() {
    looks = null;
    forgetSprites();
  }

  /** Drop the message pictures (a new scale, theme or size of words). */
  function forgetSprites() {
    sprites.clear();
  }

  /** @param {string} v a colour, or `var(--name)` */
  function color(v) {
    if (!v.startsWith('var(')) return v;
    let c = vars.get(v);
    if (c === undefined) {
      c = getComputedStyle(probeHost).getPropertyValue(v.slice(4, -1).trim()).trim() || '#000';
      vars.set(v, c);
    }
    return c;
  }

  function readLooks() {
    vars.clear();
    /** @type {Record<string, Look>} */
    const out = {};
    for (const cls of PROBES) {
      const cs = getComputedStyle(probe[cls]);
      const dash = cs.strokeDasharray === 'none' ? [] : cs.strokeDasharray.split(/[ ,]+/).map(parseFloat).filter((x) => Number.isFinite(x));
      out[cls] = {
        fill: cs.fill.startsWith('url') ? 'none' : cs.fill,
        fillOpacity: Number(cs.fillOpacity) || 0,
        stroke: cs.stroke,
        width: parseFloat(cs.strokeWidth) || 0,
        dash,
        font: `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`,
      };
    }
    return out;
  }

  /**
   * A shape centred on 0,0 (palette.js draws the same shapes for the legend and the SVGs).
   * @param {string} shape
   * @param {number} r
   */
  function path(shape, r) {
    const key = `${shape}|${r}`;
    let p = paths.get(key);
    if (!p) {
      p = new Path2D(shapePath(shape, r));
      paths.set(key, p);
    }
    return p;
  }

  /**
   * @param {CanvasRenderingContext2D} c
   * @param {Look} look
   */
  function strokeWith(c, look) {
    c.strokeStyle = look.stroke;
    c.lineWidth = look.width;
    c.setLineDash(look.dash);
  }

  /**
   * A message's picture, drawn once into a small canvas of its own and copied to where the
   * message is in every picture: a copy of pixels costs far less than filling and stroking its
   * shapes and laying out its words again (most messages look like many others: heartbeats).
   * Kept for the canvas's scale, theme and words; a message's dimming is applied by the copy.
   * @param {DrawnMsg} m
   */
  function sprite(m) {
    const key = `${m.shape}|${m.size}|${m.hollow}|${m.color}|${m.mark}|${m.markColor}|${m.hint}|${m.dup}|${m.waiting}|${m.selected}|${m.hover}|${m.focused}|${m.lessonFocus}`;
    let sp = sprites.get(key);
    if (sp) return sp;
    const L = /** @type {Record<string, Look>} */ (looks);
    const scale = dpr * k;
    // Its extent in the drawing's units around the message's centre: the rings and strokes, a
    // hover's glow, and the words beside it.
    const reach = m.size * (m.shape === 'rect' ? 1.3 : 1) + 12;
    let left = -reach;
    let right = reach;
    const top = -Math.max(reach, m.size + 20);
    if (m.hint || m.dup) {
      ctx.font = L['msg-hint'].font;
      if (m.hint) right = Math.max(right, m.size + 8 + ctx.measureText(m.hint).width);
      if (m.dup) left = Math.min(left, -m.size - 26);
    }
    const cx = Math.ceil(-left * scale);
    const cy = Math.ceil(-top * scale);
    // A canvas element, not an OffscreenCanvas (Firefox before 105 has none; the page runs on
    // Firefox 89): copying either measured the same.
    const image = bitmap(cx + Math.ceil(right * scale), cy + Math.ceil(reach * scale));
    const c = /** @type {CanvasRenderingContext2D} */ (image.getContext('2d'));
    if (m.hover) {
      // The one the pointer is on in the space-time view glows, all of it, as a drop shadow
      // of the whole picture.
      const plain = bitmap(image.width, image.height);
      const p = /** @type {CanvasRenderingContext2D} */ (plain.getContext('2d'));
      p.setTransform(scale, 0, 0, scale, cx, cy);
      drawMsg(p, m, L);
      c.shadowColor = color('var(--focus)');
      c.shadowBlur = 4 * dpr;
      c.drawImage(plain, 0, 0);
    } else {
      c.setTransform(scale, 0, 0, scale, cx, cy);
      drawMsg(c, m, L);
    }
    if (sprites.size >= SPRITES_MAX) forgetSprites();
    sp = { image, cx, cy };
    sprites.set(key, sp);
    return sp;
  }

  /**
   * A message's shapes and words around 0,0 (its sprite).
   * @param {CanvasRenderingContext2D} c
   * @param {DrawnMsg} m
   * @param {Record<string, Look>} L
   */
  function drawMsg(c, m, L) {
    const focusColor = color('var(--focus)');
    c.lineJoin = 'miter';
    c.lineCap = 'butt';
    // A message waiting for the learner (manual delivery) sits in a ring of its own.
    if (m.waiting) {
      const w = L['msg-waiting'];
      const ring = path(m.shape, m.size + 7);
      c.globalAlpha = w.fillOpacity;
      c.fillStyle = w.fill;
      c.fill(ring);
      c.globalAlpha = 1;
      if (m.selected) {
        c.strokeStyle = focusColor;
        c.lineWidth = 3.5;
        c.setLineDash([]);
      } else strokeWith(c, w);
      c.stroke(ring);
    }
    // A duplicated one wears a dashed ring.
    if (m.dup) {
      strokeWith(c, L['msg-dup']);
      c.stroke(path(m.shape, m.size + 5));
    }
    const body = path(m.shape, m.size);
    // The stroke: a lesson's own mark, else the picked one, else the one the pointer is on in
    // the space-time view, else the keyboard's focus, else its type's.
    let stroke = m.hollow ? m.color : color('var(--msg-stroke)');
    let width = m.hollow ? 2.5 : 1.2;
    if (m.lessonFocus) {
      stroke = color('var(--ink)');
      width = 3;
    } else if (m.selected) {
      stroke = focusColor;
      width = 3.5;
    } else if (m.hover || m.focused) {
      stroke = focusColor;
      width = m.hover ? 4 : 3.5;
    }
    // "×2" under the shape, its hint over it.
    if (m.dup) hintText(c, '×2', -m.size - 22, -m.size);
    c.fillStyle = m.hollow ? color('var(--bg)') : m.color;
    c.fill(body);
    c.strokeStyle = stroke;
    c.lineWidth = width;
    c.setLineDash([]);
    c.stroke(body);
    if (m.mark) {
      c.font = L['msg-mark'].font;
      c.textAlign = 'center';
      c.fillStyle = m.markColor;
      c.fillText(m.mark, 0, 4.5);
    }
    if (m.hint) hintText(c, m.hint, m.size + 4, -m.size);
  }

  /**
   * Draw a picture: everything the canvas held is replaced.
   * @param {Scene} scene
   */
  function draw(scene) {
    last = scene;
    // A new pixel ratio is also caught here, in case the screen's change was not reported
    // (resize's media query).
    if (window.devicePixelRatio !== dpr && cssW > 0) {
      resize(box);
      return;
    }
    if (!cssW) return;
    const empty = !scene.msgs.length && !scene.crosses.length && !scene.timers.some((t) => t.frac !== null && t.frac > 0);
    if (empty && !inked) {
      drawn = [];
      return;
    }
    looks ??= readLooks();
    const L = looks;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    inked = !empty;
    drawn = scene.msgs;
    if (empty) return;
    const scale = dpr * k;
    // Each message's picture, copied to whole pixels (a copy between pixels would blur it).
    for (const m of scene.msgs) {
      const sp = sprite(m);
      ctx.globalAlpha = m.dim ? MSG_DIM_ALPHA : 1;
      ctx.drawImage(sp.image, Math.round(dpr * ox + scale * m.x) - sp.cx, Math.round(dpr * oy + scale * m.y) - sp.cy);
    }
    ctx.globalAlpha = 1;
    ctx.setTransform(scale, 0, 0, scale, dpr * ox, dpr * oy);
    // Lost messages: a cross fading where the message was.
    if (scene.crosses.length) {
      strokeWith(ctx, L['drop-x']);
      ctx.lineCap = 'round';
      for (const c of scene.crosses) {
        ctx.globalAlpha = c.alpha;
        ctx.beginPath();
        ctx.moveTo(c.x - 7, c.y - 7);
        ctx.lineTo(c.x + 7, c.y + 7);
        ctx.moveTo(c.x + 7, c.y - 7);
        ctx.lineTo(c.x - 7, c.y + 7);
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    }
    // Election timers: an arc from the top, clockwise, for the time left (its track, which
    // changes only when the timer comes and goes, is drawn under the messages, in the SVG).
    strokeWith(ctx, L.timer);
    ctx.lineCap = 'round';
    for (const t of scene.timers) {
      if (t.frac === null || t.frac <= 0) continue;
      ctx.globalAlpha = t.alpha;
      ctx.beginPath();
      ctx.arc(t.x, t.y, t.r, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * t.frac);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  /**
   * A message's words beside it, outlined in the background colour (as `.msg-hint` is).
   * @param {CanvasRenderingContext2D} c
   * @param {string} words
   * @param {number} x
   * @param {number} y
   */
  function hintText(c, words, x, y) {
    const h = /** @type {Record<string, Look>} */ (looks)['msg-hint'];
    c.font = h.font;
    c.textAlign = 'left';
    c.lineJoin = 'miter';
    c.strokeStyle = h.stroke;
    c.lineWidth = h.width;
    c.setLineDash([]);
    c.strokeText(words, x, y);
    c.fillStyle = h.fill;
    c.fillText(words, x, y);
  }

  /**
   * The message drawn at a point of the page (the topmost), if any.
   * @param {number} clientX
   * @param {number} clientY
   * @returns {number | null}
   */
  function hitMessage(clientX, clientY) {
    if (!drawn.length) return null;
    const r = canvas.getBoundingClientRect();
    const x = (clientX - r.left - ox) / k;
    const y = (clientY - r.top - oy) / k;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    for (let i = drawn.length - 1; i >= 0; i--) {
      const m = drawn[i];
      // Its shape, as its element's (a waiting one's ring is part of it).
      if (ctx.isPointInPath(path(m.shape, m.waiting ? m.size + 7 : m.size), x - m.x, y - m.y)) return m.id;
    }
    return null;
  }

  return { canvas, resize, restyle, draw, hitMessage };
}

/**
 * A canvas of `w` by `h` pixels, off the page.
 * @param {number} w
 * @param {number} h
 */
function bitmap(w, h) {
  const c = document.createElement('canvas');
  c.width = Math.max(1, w);
  c.height = Math.max(1, h);
  return c;
}
