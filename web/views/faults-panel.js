// @ts-check
// Network and faults: partition presets, latency / loss / duplication for every link, heal, and
// "add a node". Cutting a single link is done by clicking it in the cluster view.

import { h, text, attr } from '../dom.js';
import { t } from '../i18n.js';
import { currentLeader, clusterConfig } from './cluster-view.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

export const NODES_MAX = 9;

/**
 * Groups for the partition presets.
 * @param {'isolateLeader' | 'minority' | 'threeWay'} preset
 * @param {number[]} ids
 * @param {number | null} leaderId
 * @returns {number[][] | null}
 */
export function presetGroups(preset, ids, leaderId) {
  const lead = leaderId ?? ids[0];
  const others = ids.filter((x) => x !== lead);
  if (preset === 'isolateLeader') return ids.length > 1 ? [[lead], others] : null;
  if (preset === 'minority') {
    const m = Math.floor((ids.length - 1) / 2);
    if (m < 1) return null;
    const minority = [lead, ...others.slice(0, m - 1)];
    return [minority, ids.filter((x) => !minority.includes(x))];
  }
  if (preset === 'threeWay') {
    if (ids.length !== 9) return null;
    return [ids.slice(0, 3), ids.slice(3, 6), ids.slice(6, 9)];
  }
  return null;
}

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {(intent: Record<string, any>) => void} dispatch
 */
export function createFaultsPanel(root, store, dispatch) {
  const title = h('h2', { class: 'panel-title' });
  const presetsTitle = h('h3', { class: 'sub-title' });
  /** @type {Record<string, HTMLButtonElement>} */
  const presets = {};
  const presetRow = h('div', { class: 'btn-row' });
  for (const p of ['isolateLeader', 'minority', 'threeWay']) {
    const b = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-preset': p, onclick: () => usePreset(/** @type {any} */ (p)) }));
    presets[p] = b;
    presetRow.append(b);
  }
  const heal = h('button', { type: 'button', class: 'primary', 'data-testid': 'heal', onclick: () => dispatch({ type: 'heal' }) });
  presetRow.append(heal);
  const edgeHint = h('p', { class: 'hint' });

  /**
   * @param {string} name
   * @param {number} min
   * @param {number} max
   * @param {number} stepV
   */
  function slider(name, min, max, stepV) {
    const label = h('span', { class: 'ctl-label' });
    const input = /** @type {HTMLInputElement} */ (h('input', { type: 'range', min, max, step: stepV, 'data-testid': `slider-${name}` }));
    const out = h('output', { class: 'ctl-value' });
    const row = h('label', { class: 'slider-row' }, [label, input, out]);
    return { label, input, out, row };
  }
  const latency = slider('latency', 1, 200, 1);
  const loss = slider('loss', 0, 50, 1);
  const dup = slider('dup', 0, 50, 1);
  latency.input.addEventListener('change', () => {
    const max = Number(latency.input.value);
    dispatch({ type: 'allLinks', latencyMsMin: Math.max(1, Math.round(max / 3)), latencyMsMax: max });
  });
  loss.input.addEventListener('change', () => dispatch({ type: 'allLinks', lossPct: Number(loss.input.value) }));
  dup.input.addEventListener('change', () => dispatch({ type: 'allLinks', dupPct: Number(dup.input.value) }));
  for (const sl of [latency, loss, dup]) sl.input.addEventListener('input', () => showValues(store.get()));

  const addNode = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-testid': 'add-node', onclick: () => add() }));
  const noLeader = h('p', { class: 'hint' });
  root.append(title, presetsTitle, presetRow, edgeHint, latency.row, loss.row, dup.row, h('div', { class: 'btn-row' }, [addNode]), noLeader);

  /** @param {'isolateLeader' | 'minority' | 'threeWay'} p */
  function usePreset(p) {
    const sim = store.get().sim;
    if (!sim) return;
    const ids = sim.nodes.map((/** @type {any} */ n) => n.id);
    const groups = presetGroups(p, ids, currentLeader(sim.nodes)?.id ?? null);
    if (groups) dispatch({ type: 'partition', groups });
  }

  function add() {
    const sim = store.get().sim;
    if (!sim) return;
    const conf = clusterConfig(sim.nodes);
    // Prefer re-adding a node that was removed; otherwise the next unused id.
    const removed = sim.nodes.find((/** @type {any} */ n) => conf && !conf.voters.has(n.id) && !conf.learners.has(n.id));
    const next = removed ? removed.id : Math.max(0, ...sim.nodes.map((/** @type {any} */ n) => n.id)) + 1;
    dispatch({ type: 'addServer', node: next });
  }

  /** Link settings as the simulation reports them (the first link stands for all). */
  function linkValues(st) {
    const l = st.sim?.links?.[0];
    return {
      min: l?.latencyMsMin ?? st.config.latencyMsMin ?? 5,
      max: l?.latencyMsMax ?? st.config.latencyMsMax ?? 15,
      loss: l?.lossPct ?? st.config.lossPct ?? 0,
      dup: l?.dupPct ?? st.config.dupPct ?? 0,
    };
  }

  /** @param {StoreState} st */
  function showValues(st) {
    const lang = st.ui.lang;
    const max = Number(latency.input.value);
    text(latency.out, t(lang, 'faults.latencyValue', { min: Math.max(1, Math.round(max / 3)), max }));
    text(loss.out, t(lang, 'faults.pct', { v: loss.input.value }));
    text(dup.out, t(lang, 'faults.pct', { v: dup.input.value }));
  }

  let lastLang = '';
  let lastKey = '';

  /** @param {StoreState} st */
  function render(st) {
    const lang = st.ui.lang;
    if (lang !== lastLang) {
      lastLang = lang;
      text(title, t(lang, 'faults.title'));
      text(presetsTitle, t(lang, 'faults.presets'));
      text(presets.isolateLeader, t(lang, 'faults.isolateLeader'));
      text(presets.minority, t(lang, 'faults.minority'));
      text(presets.threeWay, t(lang, 'faults.threeWay'));
      text(heal, t(lang, 'faults.heal'));
      text(edgeHint, t(lang, 'faults.edgeHint'));
      text(latency.label, t(lang, 'faults.latency'));
      text(loss.label, t(lang, 'faults.loss'));
      text(dup.label, t(lang, 'faults.dup'));
      text(addNode, `+ ${t(lang, 'faults.addNode')}`);
      lastKey = '';
    }
    const sim = st.sim;
    if (!sim) return;
    const v = linkValues(st);
    const leader = currentLeader(sim.nodes);
    const key = `${lang}|${sim.nodes.length}|${v.min}|${v.max}|${v.loss}|${v.dup}|${leader?.id}`;
    if (key === lastKey) return;
    lastKey = key;
    if (document.activeElement !== latency.input) latency.input.value = String(v.max);
    if (document.activeElement !== loss.input) loss.input.value = String(v.loss);
    if (document.activeElement !== dup.input) dup.input.value = String(v.dup);
    showValues(st);
    presets.threeWay.disabled = sim.nodes.length !== 9;
    presets.minority.disabled = sim.nodes.length < 3;
    presets.isolateLeader.disabled = sim.nodes.length < 2;
    const conf = clusterConfig(sim.nodes);
    const anyRemoved = sim.nodes.some((/** @type {any} */ n) => conf && !conf.voters.has(n.id) && !conf.learners.has(n.id));
    addNode.disabled = !leader || (!anyRemoved && sim.nodes.length >= NODES_MAX);
    text(noLeader, leader ? '' : t(lang, 'faults.noLeader'));
    attr(root, 'data-leader', leader ? leader.id : '');
  }

  return { render };
}
