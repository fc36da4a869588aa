// @ts-check
// Tiny DOM helpers. Every piece of text goes through textContent or setAttribute, never innerHTML,
// so a KV value or a scenario title from a link can never become markup.

export const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Create an HTML element.
 * @param {string} tag
 * @param {Record<string, any>} [attrs] attributes; `text` sets textContent, `on*` functions become listeners
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, children = []) {
  return fill(document.createElement(tag), attrs, children);
}

/**
 * Create an SVG element.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {SVGElement}
 */
export function s(tag, attrs = {}, children = []) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/**
 * @template {Element} E
 * @param {E} el
 * @param {Record<string, any>} attrs
 * @param {(Node | string | null | undefined | false)[]} children
 * @returns {E}
 */
function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/**
 * Set an attribute only when it changes (keeps per-frame DOM writes cheap).
 * @param {Element} el
 * @param {string} name
 * @param {string | number | null} value null removes it
 */
export function attr(el, name, value) {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
    return;
  }
  const v = String(value);
  if (el.getAttribute(name) !== v) el.setAttribute(name, v);
}

/**
 * What `attrKept` and `textKept` last wrote to an element, by attribute name ('' for its text).
 * @type {WeakMap<Node, Map<string, string | null>>}
 */
const written = new WeakMap();

/** @param {Node} el @returns {Map<string, string | null>} what was last written to `el` */
function writtenTo(el) {
  let kept = written.get(el);
  if (!kept) written.set(el, (kept = new Map()));
  return kept;
}

/**
 * Like `attr`, but compared with the value last written through this function rather than read
 * back from the element: in a frame the cluster writes a few hundred attributes that mostly
 * stay the same, and reading each back cost a third of its drawing. Only for attributes that
 * nothing else writes (the value kept here would then be wrong).
 * @param {Element} el
 * @param {string} name
 * @param {string | number | null} value null removes it
 */
export function attrKept(el, name, value) {
  const kept = writtenTo(el);
  const v = value === null ? null : String(value);
  if (kept.get(name) === v) return;
  kept.set(name, v);
  if (v === null) el.removeAttribute(name);
  else el.setAttribute(name, v);
}

/**
 * `text` for an element whose text only this function writes (see `attrKept`).
 * @param {Node} el
 * @param {string} value
 */
export function textKept(el, value) {
  const kept = writtenTo(el);
  if (kept.get('') === value) return;
  kept.set('', value);
  // Emptied, the one text node stays (with no characters): removing it and adding another when
  // the next text comes takes the element out of layout and puts it back, each time.
  const only = el.firstChild;
  if (!value && only && only === el.lastChild && only.nodeType === 3) /** @type {Text} */ (only).data = '';
  else text(el, value);
}

/**
 * Set textContent only when it changes.
 * @param {Node} el
 * @param {string | number} text
 */
export function text(el, text) {
  const t = String(text);
  if (el.textContent === t) return;
  // Change the one text node in place: replacing it (textContent =) removes a node from layout
  // and adds another, which costs more on the texts that change every frame (the clock).
  const only = el.firstChild;
  if (only && only === el.lastChild && only.nodeType === 3 && t) /** @type {Text} */ (only).data = t;
  else el.textContent = t;
}

/** @type {ResizeObserver | null} */
let fitter = null;

/**
 * A part that changes while the page plays (the clock, the time slider, the caption, the feed)
 * without laying out the whole document each time. Chromium lays out from the nearest relayout
 * boundary up, and a box is one only when its size cannot depend on what is inside it (`contain:
 * size layout`) and it is not a flex or grid item: a new clock text in the toolbar's flex row
 * laid out all six playgrounds and repainted the page (docs/DESIGN.md, "Performance of the
 * page").
 *
 * So the part goes in `inner`, inside `box`, a contained block whose size is written in pixels:
 * the size `inner` takes without the containment, read by a ResizeObserver (after layout, before
 * paint, so the frame that shows a text of another size is laid out again before it is painted).
 * The page looks as before; only a part of another size (more digits, another line) lays out
 * the page around it. `axes` 'both' fits the box's width to its content as well (the box then
 * sits where a line of text would); 'height' keeps the width of the box's container.
 * @param {string} cls the box's class
 * @param {'both' | 'height'} axes
 * @returns {{ box: HTMLElement, inner: HTMLElement }}
 */
export function fittedBox(cls, axes) {
  const inner = h('span', { class: 'fit-inner' });
  const box = h('span', { class: `fit-box ${cls}`, 'data-fit': axes }, [inner]);
  fitter ??= new ResizeObserver((entries) => {
    for (const e of entries) {
      const el = /** @type {HTMLElement} */ (e.target);
      const outer = /** @type {HTMLElement} */ (el.parentElement);
      const size = e.borderBoxSize[0];
      const height = `${size.blockSize}px`;
      if (outer.style.height !== height) outer.style.height = height;
      if (outer.dataset.fit === 'both') {
        const width = `${size.inlineSize}px`;
        if (outer.style.width !== width) outer.style.width = width;
      }
    }
  });
  fitter.observe(inner);
  return { box, inner };
}

/**
 * Remove all children.
 * @param {Element} el
 */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/**
 * Hide or show an element, writing only when that changes: assigning `hidden` sets the
 * attribute again even to the same value, which invalidates style on every frame.
 * @param {HTMLElement} el
 * @param {boolean} hidden
 */
export function hide(el, hidden) {
  if (el.hidden !== hidden) el.hidden = hidden;
}
