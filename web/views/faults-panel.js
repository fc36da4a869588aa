// @ts-check
// Network and faults: partition presets, latency / loss / duplication for every link, heal, and
// membership: "add a node", and a joint-consensus change (§6, C_old,new) to a voter set the user
// picks. Cutting a single link is done by clicking it in the cluster view.

import { h, text, attr } from '../dom.js';
import { t, serverList } from '../i18n.js';
import { currentLeader, clusterConfig, configSource } from './cluster-view.js';

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
 * The configuration the cluster runs, read from the node that stands for it (see configSource):
 * `voters` is C_new while a joint configuration is in effect, `outgoing` then holds C_old.
 * @param {any[]} nodes
 * @returns {{ voters: number[], outgoing: number[] | null, learners: number[] } | null}
 */
export function membership(nodes) {
  const n = configSource(nodes);
  if (!n) return null;
  const sorted = (/** @type {any} */ a) => (Array.isArray(a) ? [...a].sort((x, y) => x - y) : []);
  const outgoing = sorted(n.jointVoters);
  return { voters: sorted(n.voters), outgoing: outgoing.length ? outgoing : null, learners: sorted(n.learners) };
}

/**
 * The node ids a new voter set may be picked from: every node there is plus one new id, up to the
 * simulation's limit. Picking the highest id offers the next one, so 3 servers can become 5 in
 * one change.
 * @param {any[]} nodes
 * @param {number} max
 * @param {number[]} [pick]
 */
export function candidateIds(nodes, max, pick = []) {
  const top = Math.max(nodes.length, 0, ...nodes.map((/** @type {any} */ n) => n.id), ...pick);
  const ids = [];
  for (let i = 1; i <= Math.min(top + 1, max); i++) ids.push(i);
  return ids;
}

/**
 * Why "apply" cannot be used now, or '' when it can.
 * @param {number[]} chosen
 * @param {number[] | null} current
 * @param {boolean} hasLeader
 * @returns {'' | 'noLeader' | 'empty' | 'same'}
 */
export function jointBlocker(chosen, current, hasLeader) {
  if (!hasLeader) return 'noLeader';
  if (!chosen.length) return 'empty';
  if (current && chosen.length === current.length && chosen.every((x, i) => x === current[i])) return 'same';
  return '';
}

/**
 * The node "add a node" adds: one that was removed, else the next unused id.
 * @param {any[]} nodes
 */
export function nextNodeId(nodes) {
  const conf = clusterConfig(nodes);
  const removed = nodes.find((n) => conf && !conf.voters.has(n.id) && !conf.learners.has(n.id));
  return removed ? removed.id : Math.max(0, ...nodes.map((n) => n.id)) + 1;
}


/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createFaultsPanel(root, store, send) {
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
  const heal = h('button', { type: 'button', class: 'primary', 'data-testid': 'heal', onclick: () => send.act({ type: 'heal' }) });
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
    send.act({ type: 'setAllLinks', latencyMsMin: Math.max(1, Math.round(max / 3)), latencyMsMax: max });
  });
  loss.input.addEventListener('change', () => send.act({ type: 'setAllLinks', lossPct: Number(loss.input.value) }));
  dup.input.addEventListener('change', () => send.act({ type: 'setAllLinks', dupPct: Number(dup.input.value) }));
  for (const sl of [latency, loss, dup]) sl.input.addEventListener('input', () => showValues(store.get()));

  const memberTitle = h('h3', { class: 'sub-title' });
  const addNode = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-testid': 'add-node', onclick: () => add() }));
  const noLeader = h('p', { class: 'hint' });

  // Joint consensus: pick C_new with a toggle per node id, then apply. The pick is the user's
  // work: it survives re-renders and refused attempts, and is dropped only when it is applied,
  // when it equals the running voters again, or when a new run starts.
  const jointLegend = h('legend', { class: 'sub-title', id: 'joint-legend' });
  const jointHelp = h('p', { class: 'hint', id: 'joint-help' });
  const toggleRow = h('div', { class: 'member-toggles', 'data-testid': 'joint-voters' });
  const jointNow = h('p', { class: 'joint-now', 'data-testid': 'joint-now', 'aria-live': 'polite' });
  const jointApply = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'primary', 'data-testid': 'joint-apply', 'aria-describedby': 'joint-why', onclick: () => applyJoint() }));
  const jointWhy = h('p', { class: 'hint', id: 'joint-why', 'data-testid': 'joint-why' });
  const jointError = h('p', { class: 'joint-error', 'data-testid': 'joint-error' });
  const jointSet = h('fieldset', { class: 'joint-set', 'aria-describedby': 'joint-help', 'data-testid': 'joint' }, [jointLegend, jointHelp, jointNow, toggleRow, h('div', { class: 'btn-row' }, [jointApply]), jointWhy, jointError]);
  /** @type {Map<number, HTMLButtonElement>} */
  const toggles = new Map();
  /** The user's pick (sorted), or null to follow the running voters. */
  /** @type {number[] | null} */
  let chosen = null;
  let chosenRun = -1;
  /** The last refusal from the simulation, shown next to the button while its notice is up. */
  let jointErrorText = '';
  /** @type {StoreState['notice']} */
  let jointErrorNotice = null;

  root.append(title, presetsTitle, presetRow, edgeHint, latency.row, loss.row, dup.row, memberTitle, h('div', { class: 'btn-row' }, [addNode]), noLeader, jointSet);

  /** The voter set the toggles show: the user's pick, else the running voters. */
  function picked() {
    const st = store.get();
    if (chosen && chosenRun === st.runId) return chosen;
    return membership(st.sim?.nodes ?? [])?.voters ?? [];
  }

  /** @param {number} id */
  function flip(id) {
    const st = store.get();
    const now = picked();
    const next = now.includes(id) ? now.filter((x) => x !== id) : [...now, id].sort((a, b) => a - b);
    const current = membership(st.sim?.nodes ?? [])?.voters ?? [];
    chosen = jointBlocker(next, current, true) === 'same' ? null : next;
    chosenRun = st.runId;
    jointErrorText = '';
    lastKey = '';
    render(store.get());
  }

  function applyJoint() {
    const st = store.get();
    const m = membership(st.sim?.nodes ?? []);
    const voters = picked();
    if (jointBlocker(voters, m?.voters ?? null, !!currentLeader(st.sim?.nodes ?? []))) return;
    // Learners stay learners unless picked as voters (an omitted list would drop them).
    const learners = (m?.learners ?? []).filter((x) => !voters.includes(x));
    /** @type {import('../intents.js').Action} */
    const action = learners.length ? { type: 'changeMembership', voters: [...voters], learners } : { type: 'changeMembership', voters: [...voters] };
    const before = st.notice;
    send.act(action);
    const after = store.get().notice;
    if (after && after !== before && after.key === 'error.action') {
      // Refused (say, a change still pending): keep the pick, say why here too.
      jointErrorText = String(after.params?.detail ?? '');
      jointErrorNotice = after;
    } else {
      chosen = null;
      jointErrorText = '';
    }
    lastKey = '';
    render(store.get());
  }

  /** @param {'isolateLeader' | 'minority' | 'threeWay'} p */
  function usePreset(p) {
    const sim = store.get().sim;
    if (!sim) return;
    const ids = sim.nodes.map((/** @type {any} */ n) => n.id);
    const groups = presetGroups(p, ids, currentLeader(sim.nodes)?.id ?? null);
    if (groups) send.act({ type: 'partition', groups });
  }

  function add() {
    const sim = store.get().sim;
    if (!sim) return;
    send.act({ type: 'addServer', node: nextNodeId(sim.nodes) });
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
      for (const name of Object.keys(presets)) attr(presets[name], 'title', t(lang, `faults.${name}Help`));
      attr(heal, 'title', t(lang, 'faults.healHelp'));
      attr(jointApply, 'title', t(lang, 'joint.applyHelp'));
      text(edgeHint, t(lang, 'faults.edgeHint'));
      text(latency.label, t(lang, 'faults.latency'));
      text(loss.label, t(lang, 'faults.loss'));
      text(dup.label, t(lang, 'faults.dup'));
      text(addNode, `+ ${t(lang, 'faults.addNode')}`);
      text(memberTitle, t(lang, 'faults.membership'));
      text(jointLegend, t(lang, 'joint.title'));
      text(jointHelp, t(lang, 'joint.help'));
      text(jointApply, t(lang, 'joint.apply'));
      lastKey = '';
    }
    const sim = st.sim;
    if (!sim) return;
    const v = linkValues(st);
    const leader = currentLeader(sim.nodes);
    const m = membership(sim.nodes);
    if (chosen && chosenRun !== st.runId) {
      chosen = null;
      jointErrorText = '';
    }
    const mKey = m ? `${m.voters}/${m.outgoing ?? ''}/${m.learners}` : '';
    const nodesMax = st.limits?.nodesMax ?? NODES_MAX;
    if (jointErrorText && st.notice !== jointErrorNotice) jointErrorText = '';
    const key = `${lang}|${sim.nodes.length}|${v.min}|${v.max}|${v.loss}|${v.dup}|${leader?.id}|${mKey}|${nodesMax}|${st.runId}|${jointErrorText}`;
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
    addNode.disabled = !leader || (!anyRemoved && sim.nodes.length >= nodesMax);
    attr(addNode, 'title', t(lang, 'faults.addNodeHelp', { id: nextNodeId(sim.nodes) }));
    text(noLeader, leader ? '' : t(lang, 'faults.noLeader'));
    attr(root, 'data-leader', leader ? leader.id : '');
    renderJoint(st, m, !!leader, nodesMax);
  }

  /**
   * @param {StoreState} st
   * @param {ReturnType<typeof membership>} m
   * @param {boolean} hasLeader
   * @param {number} nodesMax
   */
  function renderJoint(st, m, hasLeader, nodesMax) {
    const lang = st.ui.lang;
    const sim = /** @type {Record<string, any>} */ (st.sim);
    const running = new Set(sim.nodes.map((/** @type {any} */ n) => n.id));
    const pick = picked();
    const ids = candidateIds(sim.nodes, nodesMax, pick);
    // Toggles are kept (not rebuilt) so keyboard focus stays on the one just pressed.
    for (const [id, b] of toggles) {
      if (!ids.includes(id)) {
        b.remove();
        toggles.delete(id);
      }
    }
    for (const id of ids) {
      let b = toggles.get(id);
      if (!b) {
        b = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'member-toggle', 'data-node': id, onclick: () => flip(id) }));
        toggles.set(id, b);
      }
      if (toggleRow.children[ids.indexOf(id)] !== b) toggleRow.insertBefore(b, toggleRow.children[ids.indexOf(id)] ?? null);
      const isNew = !running.has(id);
      const on = pick.includes(id);
      text(b, `S${id}`);
      attr(b, 'aria-pressed', on ? 'true' : 'false');
      attr(b, 'data-new', isNew ? '1' : '0');
      attr(b, 'aria-label', isNew ? t(lang, 'joint.toggleNew', { id }) : null);
      attr(b, 'title', t(lang, 'joint.toggleHelp', { id }));
    }
    // What runs now: C_old,new while the joint configuration is in force, else one voter set.
    attr(jointNow, 'data-joint', m?.outgoing ? '1' : '0');
    attr(jointNow, 'data-voters', m ? m.voters.join(',') : '');
    attr(jointNow, 'data-outgoing', m?.outgoing ? m.outgoing.join(',') : '');
    if (!m) text(jointNow, '');
    else if (m.outgoing) text(jointNow, t(lang, 'joint.nowJoint', { old: serverList(lang, m.outgoing), new: serverList(lang, m.voters) }));
    else text(jointNow, t(lang, 'joint.now', { voters: serverList(lang, m.voters) }));
    const why = jointBlocker(pick, m?.voters ?? null, hasLeader);
    jointApply.disabled = why !== '';
    attr(jointApply, 'data-blocked', why);
    text(jointWhy, why ? t(lang, `joint.why.${why}`) : t(lang, 'joint.ready', { voters: serverList(lang, pick) }));
    text(jointError, jointErrorText ? t(lang, 'joint.refused', { detail: jointErrorText }) : '');
  }

  return { render };
}
