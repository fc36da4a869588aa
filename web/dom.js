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
