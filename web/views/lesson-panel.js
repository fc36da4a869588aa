// @ts-check
// The lesson box under the cluster while a lesson is open: where we are (introduction, step i of
// n), the caption of the step the run is paused at, Back / Continue, a row of step dots, and a
// link to this step. Keys anywhere in the playground: → or Space continue, ← goes back.

import { h, text, attr, clear, hide } from '../dom.js';
import { t } from '../i18n.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */
/** @typedef {import('../lessons.js').LessonState} LessonState */

/**
 * The link that opens this lesson at this step (`?lesson=ID&step=N`, 1-based as shown).
 * @param {string} pageUrl
 * @param {string} id
 * @param {number} step -1 for the introduction
 * @param {string} lang
 */
export function lessonUrl(pageUrl, id, step, lang) {
  const u = new URL(pageUrl);
  u.hash = '';
  u.search = '';
  u.searchParams.set('lesson', id);
  if (step >= 0) u.searchParams.set('step', String(step + 1));
  if (lang === 'zh') u.searchParams.set('lang', 'zh');
  return u.href;
}

/**
 * @param {HTMLElement} root where the box goes
 * @param {HTMLElement} app the playground's root element (keyboard shortcuts listen here)
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 * @param {{ pageUrl: () => string }} env
 */
export function createLessonPanel(root, app, store, send, env) {
  const title = h('h2', { class: 'lesson-title', 'data-testid': 'lesson-title' });
  const where = h('span', { class: 'lesson-where', 'data-testid': 'lesson-where' });
  const close = h('button', { type: 'button', class: 'icon-btn', 'data-testid': 'lesson-close', onclick: () => send.ui({ intent: 'closeLesson' }) }, [h('span', { 'aria-hidden': 'true', text: '✕' })]);
  const caption = h('p', { class: 'lesson-caption', 'aria-live': 'polite', 'data-testid': 'lesson-caption' });
  const topics = h('p', { class: 'lesson-topics' });
  const back = h('button', { type: 'button', 'data-testid': 'lesson-back', onclick: () => send.ui({ intent: 'lessonBack' }) });
  const next = h('button', { type: 'button', class: 'primary', 'data-testid': 'lesson-next', onclick: () => send.ui({ intent: 'lessonNext' }) });
  const dots = h('ol', { class: 'lesson-dots', 'data-testid': 'lesson-dots' });
  const link = h('a', { class: 'lesson-link', 'data-testid': 'lesson-link' });
  const box = h('section', { class: 'lesson', hidden: true, 'data-testid': 'lesson' }, [
    h('div', { class: 'lesson-head' }, [title, where, close]),
    caption,
    topics,
    h('div', { class: 'lesson-nav' }, [back, dots, next]),
    link,
  ]);
  root.append(box);
  let key = '';

  app.addEventListener(
    'keydown',
    (e) => {
      if (!store.get().lesson) return;
      const target = /** @type {HTMLElement} */ (e.composedPath()[0]);
      const tag = target?.tagName ?? '';
      if (/^(INPUT|SELECT|TEXTAREA)$/.test(tag)) return;
      // Space on a focused button presses that button; arrows mean nothing to a button.
      const onButton = tag === 'BUTTON' || target?.getAttribute?.('role') === 'button';
      if (e.key === 'ArrowRight' || (e.key === ' ' && !onButton)) send.ui({ intent: 'lessonNext' });
      else if (e.key === 'ArrowLeft') send.ui({ intent: 'lessonBack' });
      else return;
      e.preventDefault();
      e.stopPropagation();
    },
    true,
  );

  /** @param {StoreState} st */
  function render(st) {
    /** @type {LessonState | null} */
    const l = st.lesson ?? null;
    hide(box, !l);
    attr(app, 'data-lesson', l ? l.id : null);
    if (!l) {
      key = '';
      return;
    }
    const lang = st.ui.lang;
    const k = `${lang}|${l.id}|${l.step}|${l.target}`;
    if (k === key) return;
    key = k;
    const n = l.plan.length;
    text(title, l.title[lang] ?? l.id);
    attr(close, 'aria-label', t(lang, 'lesson.close'));
    attr(close, 'title', t(lang, 'lesson.close'));
    const playing = l.target !== null;
    if (l.step < 0 && !playing) {
      text(where, t(lang, 'lesson.intro'));
      text(caption, l.summary?.[lang] || t(lang, 'lesson.start'));
    } else if (playing) {
      text(where, t(lang, 'lesson.where', { i: /** @type {number} */ (l.target) + 1, n }));
      text(caption, t(lang, 'lesson.playing'));
    } else {
      text(where, t(lang, 'lesson.where', { i: l.step + 1, n }));
      text(caption, l.steps[l.step]?.caption?.[lang] ?? '');
    }
    attr(caption, 'data-step', playing ? null : String(l.step));
    attr(box, 'data-state', playing ? 'playing' : l.step < 0 ? 'intro' : l.step === n - 1 ? 'end' : 'step');
    hide(topics, l.step >= 0 || playing);
    text(topics, l.topics.length ? `${t(lang, 'lesson.topics')} ${l.topics.map((x) => x[lang]).join(' · ')}` : '');
    text(back, `← ${t(lang, 'lesson.back')}`);
    attr(back, 'title', t(lang, 'lesson.backHelp'));
    attr(next, 'title', t(lang, l.step < 0 && !playing ? 'lesson.beginHelp' : 'lesson.nextHelp'));
    back.toggleAttribute('disabled', l.step < 0 && !playing);
    text(next, l.step < 0 && !playing ? `${t(lang, 'lesson.begin')} →` : `${t(lang, 'lesson.next')} →`);
    next.toggleAttribute('disabled', !playing && l.step >= n - 1);
    clear(dots);
    for (let i = 0; i < n; i++) {
      const cur = !playing && i === l.step;
      const b = h('button', {
        type: 'button',
        class: 'lesson-dot',
        'data-done': i < (playing ? /** @type {number} */ (l.target) : l.step + 1) ? '1' : '0',
        'aria-current': cur ? 'step' : null,
        'aria-label': t(lang, 'lesson.dot', { i: i + 1, n }),
        title: t(lang, 'lesson.dot', { i: i + 1, n }),
        onclick: () => send.ui({ intent: 'lessonGo', step: i }),
      });
      dots.append(h('li', {}, [b]));
    }
    const step = playing ? -1 : l.step;
    attr(link, 'href', lessonUrl(env.pageUrl(), l.id, step, lang));
    text(link, t(lang, step < 0 ? 'lesson.linkLesson' : 'lesson.linkStep'));
  }

  return { render };
}
