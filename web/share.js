// @ts-check
// Share links live in the URL fragment (never sent to a server): #link=<sim link>&title=<text>.
// The sim link itself is opaque here ("v2." + base64url(JSON scenario) + checksum, made by the wasm side);
// this module only places it in and reads it back from URLs, and builds the embed snippets.

/** Longest fragment we try to open; anything longer is treated as malformed. */
export const LINK_CHARS_MAX = 200_000;
const TITLE_CHARS_MAX = 200;

/**
 * @typedef {Object} SharedRun
 * @property {string | null} link
 * @property {string} title
 * @property {string | null} error a reason when the fragment was present but unusable
 */

/**
 * Read a share link out of a location hash ("#link=...&title=..."). A bare "#v2...." also works,
 * since chat apps sometimes eat the "link=" part.
 * @param {string} hash
 * @returns {SharedRun}
 */
export function parseFragment(hash) {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!raw) return { link: null, title: '', error: null };
  if (raw.length > LINK_CHARS_MAX) return { link: null, title: '', error: `link longer than ${LINK_CHARS_MAX} characters` };
  if (/^v\d+\./.test(raw)) return { link: raw, title: '', error: null };
  let params;
  try {
    params = new URLSearchParams(raw);
  } catch {
    return { link: null, title: '', error: 'unreadable fragment' };
  }
  const link = params.get('link');
  const title = (params.get('title') ?? '').slice(0, TITLE_CHARS_MAX);
  if (link === null) return { link: null, title, error: params.size ? 'no "link=" in the fragment' : null };
  if (!link.trim()) return { link: null, title, error: 'empty link' };
  return { link: link.trim(), title, error: null };
}

/**
 * @param {string} link
 * @param {string} [title]
 */
export function makeFragment(link, title) {
  const p = new URLSearchParams();
  p.set('link', link);
  if (title) p.set('title', title.slice(0, TITLE_CHARS_MAX));
  return `#${p.toString()}`;
}

/**
 * Full URL to this page with the run in the fragment; keeps ?lang= only.
 * @param {string} pageUrl
 * @param {string} link
 * @param {string} [title]
 */
export function shareUrl(pageUrl, link, title) {
  const u = new URL(pageUrl);
  // The link holds the whole run; only the language survives from the page's own options.
  const lang = u.searchParams.get('lang');
  u.search = lang ? `?lang=${encodeURIComponent(lang)}` : '';
  u.hash = makeFragment(link, title);
  return u.toString();
}

/**
 * Options for embed.html and the custom element, read from URL parameters.
 * @param {string} search location.search
 */
export function embedOptions(search) {
  const p = new URLSearchParams(search);
  /** @type {Record<string, string>} */
  const out = {};
  for (const k of ['nodes', 'seed', 'controls', 'autoplay', 'speed', 'lang', 'height', 'theme']) {
    const v = p.get(k);
    if (v !== null) out[k] = v;
  }
  return out;
}

/**
 * Not a literal on purpose: bundlers treat `new URL('<literal>', import.meta.url)` as a file to
 * copy (Vite copied lib/raft-playground.js for '../'; webpack fails on a missing one).
 */
const UP = '../';

/**
 * The base URL of the site that serves this library (…/lib/x.js -> …/).
 */
export function siteBase() {
  return new URL(UP, import.meta.url).href;
}

/** The message embed.html posts to its parent whenever its content height changes. */
export const HEIGHT_MESSAGE = 'raft-playground:height';

/**
 * The parent page's half of iframe sizing, one line to paste once per page: it sets the height of
 * the iframe a message came from (`e.source`), so no other frame or window can resize anything.
 */
export const IFRAME_RESIZE_SNIPPET = `<script>addEventListener('message', (e) => { for (const f of document.querySelectorAll('iframe')) if (f.contentWindow === e.source && e.data?.type === '${HEIGHT_MESSAGE}') f.style.height = e.data.height + 'px'; });</script>`;

/**
 * Copy-paste snippets for embedding the current run.
 * @param {string} link
 * @param {string} lang
 */
export function embedSnippets(link, lang) {
  const base = siteBase();
  const q = new URLSearchParams();
  if (lang === 'zh') q.set('lang', 'zh');
  const qs = q.toString();
  const iframeSrc = `${base}embed.html${qs ? `?${qs}` : ''}${link ? makeFragment(link) : ''}`;
  const iframe = `<iframe src="${escapeAttr(iframeSrc)}" width="100%" height="560" style="border:0" title="Raft playground" loading="lazy"></iframe>\n${IFRAME_RESIZE_SNIPPET}`;
  const element = [
    `<script type="module" src="${escapeAttr(`${base}lib/raft-playground.js`)}"></script>`,
    `<raft-playground${link ? ` link="${escapeAttr(link)}"` : ' nodes="5"'}${lang === 'zh' ? ' lang="zh"' : ''} controls="minimal" height="560px"></raft-playground>`,
  ].join('\n');
  return { iframe, element };
}

/**
 * Escape a value for an HTML attribute inside a snippet the user copies (the snippet is shown
 * with textContent, so this is for the pasted HTML, not for our own DOM).
 * @param {string} v
 */
export function escapeAttr(v) {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
