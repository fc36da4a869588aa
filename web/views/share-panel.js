// @ts-check
// Share and embed: a link that replays this exact run (config, seed, actions, time) and the two
// ways to embed it. The snippets are shown as text (textContent), never parsed as HTML.

import { h, text, attr } from '../dom.js';
import { t } from '../i18n.js';
import { shareUrl, embedSnippets, siteBase } from '../share.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {{ link: () => string, pageUrl: () => string }} source
 */
export function createSharePanel(root, store, source) {
  const title = h('h2', { class: 'panel-title' });
  const titleLabel = h('span');
  const titleInput = /** @type {HTMLInputElement} */ (h('input', { type: 'text', maxlength: 200, 'data-testid': 'share-title', autocomplete: 'off' }));
  const copy = h('button', { type: 'button', class: 'primary', 'data-testid': 'copy-link' });
  const status = h('span', { class: 'hint', role: 'status' });
  const linkLabel = h('span');
  const linkBox = /** @type {HTMLTextAreaElement} */ (h('textarea', { readonly: true, rows: 3, class: 'link-box', 'data-testid': 'share-url', spellcheck: 'false' }));
  const embedTitle = h('h3', { class: 'sub-title' });
  const iframeLabel = h('span', { class: 'snippet-label' });
  const iframeCode = h('code');
  const elementLabel = h('span', { class: 'snippet-label' });
  const elementCode = h('code');
  const docs = h('a', { href: `${siteBase()}docs.html`, target: '_blank', rel: 'noopener' });
  root.append(
    title,
    h('label', { class: 'stack' }, [titleLabel, titleInput]),
    h('div', { class: 'btn-row' }, [copy, status]),
    h('label', { class: 'stack' }, [linkLabel, linkBox]),
    embedTitle,
    iframeLabel,
    h('pre', { class: 'snippet' }, [iframeCode]),
    elementLabel,
    h('pre', { class: 'snippet' }, [elementCode]),
    h('p', {}, [docs]),
  );

  function current() {
    const link = source.link();
    const st = store.get();
    const ttl = titleInput.value || st.title;
    return { link, url: link ? shareUrl(source.pageUrl(), link, ttl) : '' };
  }

  function refresh() {
    const st = store.get();
    const { link, url } = current();
    linkBox.value = url;
    const sn = embedSnippets(link, st.ui.lang);
    text(iframeCode, sn.iframe);
    text(elementCode, sn.element);
  }

  copy.addEventListener('click', async () => {
    refresh();
    const lang = store.get().ui.lang;
    try {
      await navigator.clipboard.writeText(linkBox.value);
      text(status, t(lang, 'share.copied'));
    } catch {
      linkBox.select();
      text(status, t(lang, 'share.copyFailed'));
    }
  });
  titleInput.addEventListener('input', refresh);

  let lastLang = '';
  let lastWall = 0;
  let lastNow = -1;

  /** @param {StoreState} st */
  function render(st) {
    const lang = st.ui.lang;
    if (lang !== lastLang) {
      lastLang = lang;
      text(title, t(lang, 'share.title'));
      text(titleLabel, t(lang, 'share.scenarioTitle'));
      text(copy, t(lang, 'share.copy'));
      attr(copy, 'title', t(lang, 'share.copyHelp'));
      text(linkLabel, t(lang, 'share.linkLabel'));
      text(embedTitle, t(lang, 'share.embed'));
      text(iframeLabel, t(lang, 'share.embedIframe'));
      text(elementLabel, t(lang, 'share.embedElement'));
      text(docs, t(lang, 'share.docs'));
      lastNow = -1;
    }
    if (st.ui.tab !== 'share' || !st.sim) return;
    if (!titleInput.value && st.title && document.activeElement !== titleInput) titleInput.value = st.title;
    const wall = performance.now();
    if (st.nowMs === lastNow || wall - lastWall < 500) return;
    lastWall = wall;
    lastNow = st.nowMs;
    refresh();
  }

  return { render, current };
}
