// @ts-check
// Settings. Cluster shape and timings need a new run ("Apply and restart"); protocol switches,
// the read mode and the Break-Raft bugs are actions applied to the running simulation (they are
// recorded, so share links replay them).

import { h, text, clear, attr } from '../dom.js';
import { t } from '../i18n.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

const NUMBER_FIELDS = /** @type {const} */ ([
  ['heartbeatMs', 'settings.heartbeat', 1, 5000],
  ['electionTimeoutMsMin', 'settings.electionMin', 1, 60000],
  ['electionTimeoutMsMax', 'settings.electionMax', 1, 60000],
  ['snapshotThreshold', 'settings.snapshot', 0, 100000],
  ['clientWriteEveryMs', 'settings.clientEvery', 0, 60000],
]);

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createSettingsPanel(root, store, send) {
  const title = h('h2', { class: 'panel-title' });
  const clusterTitle = h('h3', { class: 'sub-title' });
  const nodesLabel = h('span');
  const nodes = /** @type {HTMLSelectElement} */ (h('select', { name: 'nodes', 'data-testid': 'set-nodes' }));
  for (let i = 1; i <= 9; i++) nodes.append(h('option', { value: i, text: String(i) }));
  /** @type {Record<string, { input: HTMLInputElement, label: HTMLElement, key: string }>} */
  const nums = {};
  const seedLabel = h('span');
  const seed = /** @type {HTMLInputElement} */ (h('input', { type: 'text', name: 'seed', inputmode: 'numeric', autocomplete: 'off', 'data-testid': 'set-seed', maxlength: 20 }));
  const grid = h('div', { class: 'settings-grid' }, [h('label', {}, [nodesLabel, nodes]), h('label', {}, [seedLabel, seed])]);
  for (const [name, key, min, max] of NUMBER_FIELDS) {
    const input = /** @type {HTMLInputElement} */ (h('input', { type: 'number', name, min, max, step: 1, inputmode: 'numeric', 'data-testid': `set-${name}` }));
    const label = h('span');
    nums[name] = { input, label, key };
    grid.append(h('label', {}, [label, input]));
  }
  const error = h('p', { class: 'form-error', role: 'alert' });
  const apply = h('button', { type: 'submit', class: 'primary', 'data-testid': 'apply-settings' });
  const form = h('form', { class: 'settings-form' }, [clusterTitle, grid, error, apply]);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const lang = store.get().ui.lang;
    /** @type {Record<string, any>} */
    const cfg = { ...store.get().config, nodes: Number(nodes.value) };
    const sv = seed.value.trim();
    if (!/^\d{1,20}$/.test(sv) || BigInt(sv) > 18446744073709551615n) {
      text(error, t(lang, 'settings.invalid', { field: t(lang, 'settings.seed'), detail: '0–18446744073709551615' }));
      seed.focus();
      return;
    }
    cfg.seed = BigInt(sv) <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sv) : BigInt(sv);
    for (const [name, key, min, max] of NUMBER_FIELDS) {
      const v = Number(nums[name].input.value);
      if (!Number.isInteger(v) || v < min || v > max) {
        text(error, t(lang, 'settings.invalid', { field: t(lang, key), detail: `${min}–${max}` }));
        nums[name].input.focus();
        return;
      }
      cfg[name] = v;
    }
    if (cfg.electionTimeoutMsMin > cfg.electionTimeoutMsMax) {
      text(error, t(lang, 'settings.invalid', { field: t(lang, 'settings.electionMin'), detail: `≤ ${cfg.electionTimeoutMsMax}` }));
      return;
    }
    text(error, '');
    cfg.clients = cfg.clientWriteEveryMs > 0 ? Math.max(1, cfg.clients ?? 1) : cfg.clients;
    send.ui({ intent: 'applySettings', config: cfg });
  });

  const protoTitle = h('h3', { class: 'sub-title' });
  /**
   * @param {'preVote' | 'checkQuorum'} name
   */
  function toggle(name) {
    const input = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-testid': `toggle-${name}` }));
    input.addEventListener('change', () => send.act({ type: 'setToggle', name, on: input.checked }));
    const label = h('span', { class: 'toggle-name' });
    const help = h('span', { class: 'help' });
    return { input, label, help, row: h('label', { class: 'toggle' }, [input, h('span', {}, [label, help])]) };
  }
  const preVote = toggle('preVote');
  const checkQuorum = toggle('checkQuorum');
  const repairLegend = h('legend');
  const repairHint = /** @type {HTMLInputElement} */ (h('input', { type: 'radio', name: 'repair', value: 'hint', 'data-testid': 'repair-hint' }));
  const repairStep = /** @type {HTMLInputElement} */ (h('input', { type: 'radio', name: 'repair', value: 'step', 'data-testid': 'repair-step' }));
  const repairHintText = h('span');
  const repairStepText = h('span');
  for (const r of [repairHint, repairStep]) r.addEventListener('change', () => send.act({ type: 'setToggle', name: 'fastBacktrack', on: repairHint.checked }));
  const repair = h('fieldset', { class: 'radio-set' }, [repairLegend, h('label', {}, [repairHint, repairHintText]), h('label', {}, [repairStep, repairStepText])]);
  const readLabel = h('span');
  const readMode = /** @type {HTMLSelectElement} */ (h('select', { name: 'readMode', 'data-testid': 'read-mode' }));
  readMode.addEventListener('change', () => send.act({ type: 'setReadMode', mode: /** @type {import('../../pkg/raft_wasm.js').ReadMode} */ (readMode.value) }));

  // Manual delivery (issue 15): an action like the read mode, so a share link replays it.
  const deliveryLegend = h('legend');
  const deliveryAuto = /** @type {HTMLInputElement} */ (h('input', { type: 'radio', name: 'delivery', value: 'auto', 'data-testid': 'delivery-auto' }));
  const deliveryManual = /** @type {HTMLInputElement} */ (h('input', { type: 'radio', name: 'delivery', value: 'manual', 'data-testid': 'delivery-manual' }));
  const deliveryAutoText = h('span');
  const deliveryManualText = h('span');
  const deliveryHelp = h('span', { class: 'help' });
  for (const r of [deliveryAuto, deliveryManual]) r.addEventListener('change', () => send.act({ type: 'setDelivery', mode: deliveryManual.checked ? 'manual' : 'auto' }));
  const delivery = h('fieldset', { class: 'radio-set', 'data-testid': 'delivery' }, [deliveryLegend, h('label', {}, [deliveryAuto, deliveryAutoText]), h('label', {}, [deliveryManual, deliveryManualText]), deliveryHelp]);

  const bugsTitle = h('h3', { class: 'sub-title' });
  const bugsHelp = h('p', { class: 'hint' });
  /** @type {Record<string, { input: HTMLInputElement, help: HTMLElement }>} */
  const bugs = {};
  const bugList = h('div', { class: 'bug-list' });
  /** The bug names as the simulation lists them (its one definition), once the package is loaded. */
  /** @type {string[]} */
  let bugNames = [];
  /** @param {string[]} names */
  function buildBugs(names) {
    bugNames = names;
    for (const name of names) {
      const input = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-bug': name }));
      input.addEventListener('change', () => send.act({ type: 'setBug', name: /** @type {import('../../pkg/raft_wasm.js').BugName} */ (name), on: input.checked }));
      const help = h('span', { class: 'help' });
      bugs[name] = { input, help };
      bugList.append(h('label', { class: 'toggle bug' }, [input, h('span', {}, [h('code', { class: 'toggle-name', text: name }), help])]));
    }
  }

  root.append(title, form, protoTitle, preVote.row, checkQuorum.row, repair, h('label', { class: 'read-mode' }, [readLabel, readMode]), delivery, bugsTitle, bugsHelp, bugList);

  let lastLang = '';
  let lastConfigKey = '';

  /** The config object and guide last shown (the store replaces `config` when it changes). */
  /** @type {unknown[]} */
  let shownFrom = [];

  /** @param {StoreState} st */
  function render(st) {
    const lang = st.ui.lang;
    const from = [lang, st.config, st.guide, st.bugNames];
    if (from.every((x, i) => x === shownFrom[i])) return;
    shownFrom = from;
    if (!bugNames.length && st.bugNames?.length) {
      buildBugs(st.bugNames);
      lastLang = '';
    }
    if (lang !== lastLang) {
      lastLang = lang;
      text(title, t(lang, 'settings.title'));
      text(clusterTitle, t(lang, 'settings.cluster'));
      text(nodesLabel, t(lang, 'settings.nodes'));
      text(seedLabel, t(lang, 'settings.seed'));
      for (const name of Object.keys(nums)) text(nums[name].label, t(lang, nums[name].key));
      text(apply, t(lang, 'settings.apply'));
      text(protoTitle, t(lang, 'settings.protocol'));
      text(preVote.label, t(lang, 'settings.preVote'));
      text(preVote.help, t(lang, 'settings.preVoteHelp'));
      text(checkQuorum.label, t(lang, 'settings.checkQuorum'));
      text(checkQuorum.help, t(lang, 'settings.checkQuorumHelp'));
      text(repairLegend, t(lang, 'settings.repair'));
      text(repairHintText, t(lang, 'settings.repairHint'));
      text(repairStepText, t(lang, 'settings.repairStep'));
      text(readLabel, t(lang, 'settings.readMode'));
      const cur = readMode.value;
      clear(readMode);
      for (const m of ['readIndex', 'lease', 'staleFollower']) readMode.append(h('option', { value: m, text: t(lang, `settings.read.${m}`) }));
      if (cur) readMode.value = cur;
      text(deliveryLegend, t(lang, 'settings.delivery'));
      text(deliveryAutoText, t(lang, 'settings.deliveryAuto'));
      text(deliveryManualText, t(lang, 'settings.deliveryManual'));
      text(deliveryHelp, t(lang, 'settings.deliveryHelp'));
      text(bugsTitle, t(lang, 'settings.bugs'));
      text(bugsHelp, t(lang, 'settings.bugsHelp'));
      for (const name of bugNames) text(bugs[name].help, t(lang, `bug.${name}`));
      lastConfigKey = '';
    }
    attr(apply, 'title', t(lang, st.guide ? 'settings.applyGuidedHelp' : 'settings.applyHelp'));
    const c = st.config;
    const key = JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    if (key === lastConfigKey) return;
    lastConfigKey = key;
    nodes.value = String(c.nodes ?? 5);
    if (document.activeElement !== seed) seed.value = c.seed !== undefined ? String(c.seed) : '';
    for (const [name] of NUMBER_FIELDS) if (document.activeElement !== nums[name].input) nums[name].input.value = String(c[name] ?? 0);
    preVote.input.checked = c.preVote !== false;
    checkQuorum.input.checked = c.checkQuorum !== false;
    repairHint.checked = c.fastBacktrack !== false;
    repairStep.checked = c.fastBacktrack === false;
    readMode.value = c.readMode ?? 'readIndex';
    deliveryManual.checked = c.delivery === 'manual';
    deliveryAuto.checked = c.delivery !== 'manual';
    const on = new Set(c.bugs ?? []);
    for (const name of bugNames) bugs[name].input.checked = on.has(name);
  }

  return { render };
}
