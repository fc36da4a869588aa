// @ts-check
// Lessons and guided scenarios: a picker (in the header) and, while a guided scenario is open, a
// box saying what to watch. Lessons (docs/LESSONS.md) come first; their box is lesson-panel.js.

import { h, text, clear, hide } from '../dom.js';
import { t } from '../i18n.js';
import { SCENARIOS, findScenario } from '../scenarios.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

/**
 * @param {HTMLElement} pickerRoot where the <select> goes
 * @param {HTMLElement} boxRoot where the explanation goes
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createGuide(pickerRoot, boxRoot, store, send) {
  const select = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'scenario-picker', class: 'scenario-picker' }));
  select.addEventListener('change', () => {
    if (select.value.startsWith('lesson:')) send.ui({ intent: 'openLesson', id: select.value.slice(7) });
    else if (select.value) send.ui({ intent: 'openScenario', id: select.value });
  });
  pickerRoot.append(select);
  const title = h('h2', { class: 'guide-title' });
  const what = h('p', { class: 'guide-what' });
  const close = h('button', { type: 'button', class: 'icon-btn guide-close', onclick: () => send.ui({ intent: 'closeGuide' }) });
  const box = h('aside', { class: 'guide', hidden: true, 'data-testid': 'guide' }, [h('div', { class: 'guide-head' }, [title, close]), what]);
  boxRoot.append(box);
  let key = '';

  /** @param {StoreState} st */
  function render(st) {
    const lang = st.ui.lang;
    /** @type {{ id: string, en: string, zh: string }[]} */
    const lessons = st.lessonList ?? [];
    const lesson = st.lesson?.id ?? null;
    const k = `${lang}|${st.guide}|${lesson}|${lessons.length}`;
    if (k === key) return;
    key = k;
    clear(select);
    select.append(h('option', { value: '', text: t(lang, 'guide.pick') }));
    if (lessons.length) {
      const group = h('optgroup', { label: t(lang, 'lesson.group') });
      for (const l of lessons) group.append(h('option', { value: `lesson:${l.id}`, text: l[lang] }));
      select.append(group);
    }
    const scenarios = h('optgroup', { label: t(lang, 'guide.group') });
    for (const g of SCENARIOS) scenarios.append(h('option', { value: g.id, text: g.title[lang] }));
    select.append(scenarios);
    select.value = lesson ? `lesson:${lesson}` : (st.guide ?? '');
    select.setAttribute('aria-label', t(lang, 'guide.pick'));
    const g = st.guide ? findScenario(st.guide) : null;
    hide(box, !g);
    if (g) {
      text(title, g.title[lang]);
      text(what, g.what[lang]);
      close.replaceChildren(h('span', { 'aria-hidden': 'true', text: '✕' }));
      close.setAttribute('aria-label', t(lang, 'notice.dismiss'));
      close.setAttribute('title', t(lang, 'guide.closeHelp'));
    }
  }

  return { render };
}
