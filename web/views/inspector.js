// @ts-check
// The inspector: what is inside one node or one message, with the names of the paper's Figure 2.
// A node (clicked or focused): currentTerm, votedFor, its log with terms, commitIndex,
// lastApplied, what its disk holds against what it only has in memory, and on a leader each
// follower's nextIndex, matchIndex and progress state. A message in flight (clicked or focused):
// its fields, and a Drop button (in manual delivery also Deliver and Duplicate). Every value comes from sim.state() as the store holds it.

import { h, text, attr, clear, hide } from '../dom.js';
import { t, fmtMs } from '../i18n.js';
import { roleName, msgName, describeReason, describeResult } from '../describe.js';
import { messageById, laneName } from '../spacetime.js';
import { termColor } from '../palette.js';

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').StoreState} StoreState */

/** Log cells the inspector lists at most (the newest ones). */
const CELLS_MAX = 40;

/** @param {number | null | undefined} id */
function who(id) {
  return id ? `S${id}` : '—';
}

/**
 * @param {string} field data-field name (tests read values by it)
 * @param {string} label
 * @param {string | number} value
 */
function row(field, label, value) {
  return h('div', { class: 'insp-row', 'data-field': field }, [h('dt', { text: label }), h('dd', { class: 'insp-value', text: String(value) })]);
}

/**
 * The fields of a message in the paper's names, in the paper's order, for its type.
 * @param {Record<string, any>} m an inFlight entry of sim.state()
 * @param {boolean} paper draw heartbeats as the paper's empty AppendEntries
 * @returns {[string, string | number][]}
 */
export function messageFields(m, paper) {
  const f = m.fields ?? {};
  /** @type {[string, string | number][]} */
  const out = [['term', m.term]];
  const add = (/** @type {string} */ k, /** @type {any} */ v) => {
    if (v !== undefined && v !== null) out.push([k, typeof v === 'boolean' ? String(v) : v]);
  };
  switch (m.type) {
    case 'preVote':
    case 'vote':
      add('candidateId', who(f.candidateId));
      add('lastLogIndex', f.lastLogIndex);
      add('lastLogTerm', f.lastLogTerm);
      break;
    case 'preVoteResp':
    case 'voteResp':
      add('voteGranted', f.voteGranted);
      break;
    case 'append':
    case 'heartbeat':
      add('leaderId', who(f.leaderId));
      if (m.type === 'append' || paper) {
        add('prevLogIndex', f.prevLogIndex);
        add('prevLogTerm', f.prevLogTerm);
        const entries = f.entries ?? [];
        add('entries', entries.length ? entries.map((/** @type {any} */ e) => `${e.index}@${e.term}`).join(' ') : '[]');
      }
      add('leaderCommit', f.leaderCommit);
      break;
    case 'appendResp':
      add('success', f.success);
      add('matchIndex', f.matchIndex);
      add('conflictIndex', f.conflictIndex);
      add('conflictTerm', f.conflictTerm);
      break;
    case 'snapshot':
      add('leaderId', who(f.leaderId));
      add('lastIncludedIndex', f.lastIncludedIndex);
      add('lastIncludedTerm', f.lastIncludedTerm);
      break;
    default:
      for (const [k, v] of Object.entries(f)) add(k, v);
  }
  return out;
}

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {import('../intents.js').Send} send
 */
export function createInspector(root, store, send) {
  const title = h('h2', { class: 'insp-title', 'data-testid': 'inspector-title' });
  const close = h('button', { type: 'button', class: 'icon-btn', 'data-testid': 'inspector-close', onclick: () => send.ui({ intent: 'inspect', target: null }) }, [h('span', { 'aria-hidden': 'true', text: '✕' })]);
  const body = h('div', { class: 'insp-body' });
  const box = h('section', { class: 'inspector', hidden: true, 'data-testid': 'inspector', 'aria-live': 'polite' }, [h('div', { class: 'insp-head' }, [title, close]), body]);
  root.append(box);
  let key = '';

  /** @param {StoreState} st */
  function render(st) {
    const target = st.ui.inspect ?? null;
    const sim = st.sim;
    if (!target || !sim) {
      hide(box, true);
      key = '';
      return;
    }
    const lang = st.ui.lang;
    attr(close, 'aria-label', t(lang, 'insp.close'));
    attr(close, 'title', t(lang, 'insp.close'));
    const paper = st.lesson?.view === 'paper';
    if (target.kind === 'node') {
      const n = sim.nodes.find((/** @type {any} */ x) => x.id === target.id);
      const k = `n|${target.id}|${lang}|${n ? st.simVersion : 'gone'}`;
      if (k === key) return;
      key = k;
      hide(box, false);
      attr(box, 'data-kind', 'node');
      attr(box, 'data-id', String(target.id));
      clear(body);
      if (!n) {
        text(title, `S${target.id}`);
        body.append(h('p', { text: t(lang, 'insp.nodeGone') }));
        return;
      }
      renderNode(n, lang);
    } else {
      const m = (sim.inFlight ?? []).find((/** @type {any} */ x) => x.id === target.id);
      const past = m ? null : messageById(st.timeline, target.id);
      const manual = st.config?.delivery === 'manual';
      const k = `m|${lang}|${target.id}|${!!m}|${paper}|${past ? `${past.end}|${past.endAtMs}` : ''}|${m?.waiting}|${manual}`;
      if (k === key) return;
      key = k;
      hide(box, false);
      attr(box, 'data-kind', 'message');
      attr(box, 'data-id', String(target.id));
      clear(body);
      if (!m && past) {
        renderPast(past, lang);
        return;
      }
      if (!m) {
        text(title, t(lang, 'insp.message'));
        body.append(h('p', { 'data-testid': 'inspector-arrived', text: t(lang, 'insp.arrived') }));
        return;
      }
      renderMessage(m, lang, paper, manual);
    }
  }

  /**
   * @param {any} n
   * @param {import('../i18n.js').Lang} lang
   */
  function renderNode(n, lang) {
    text(title, `S${n.id} · ${n.status === 'up' ? roleName(lang, n.role) : t(lang, `status.${n.status}`)}`);
    const disk = n.disk ?? null;
    const persistent = h('dl', { class: 'insp-grid', 'data-testid': 'inspector-persistent' }, [
      row('currentTerm', 'currentTerm', n.term),
      row('votedFor', 'votedFor', who(n.votedFor)),
      row('lastLogIndex', t(lang, 'insp.lastIndex'), n.lastIndex),
    ]);
    const volatile = h('dl', { class: 'insp-grid', 'data-testid': 'inspector-volatile' }, [
      row('commitIndex', 'commitIndex', n.commitIndex),
      row('lastApplied', 'lastApplied', n.lastApplied),
      row('leader', t(lang, 'insp.leader'), who(n.leader)),
    ]);
    body.append(h('h3', { class: 'sub-title', text: t(lang, 'insp.persistent') }), persistent);
    if (disk) {
      const same = disk.term === n.term && (disk.votedFor ?? null) === (n.votedFor ?? null) && disk.lastIndex === n.lastIndex;
      const diskGrid = h('dl', { class: 'insp-grid', 'data-testid': 'inspector-disk' }, [
        row('diskTerm', 'currentTerm', disk.term),
        row('diskVotedFor', 'votedFor', who(disk.votedFor)),
        row('diskLastIndex', t(lang, 'insp.lastIndex'), disk.lastIndex),
      ]);
      body.append(
        h('p', { class: 'insp-note', 'data-testid': 'inspector-disk-note', 'data-same': same ? '1' : '0', text: t(lang, same ? 'insp.diskSame' : 'insp.diskBehind') }),
        ...(same ? [] : [diskGrid]),
      );
    }
    body.append(h('h3', { class: 'sub-title', text: t(lang, 'insp.volatile') }), volatile);
    // The session table behind exactly-once writes (dissertation §6.3): per client, the last
    // sequence number this state machine applied and the result a retry gets back.
    const sessions = Object.entries(n.sessions ?? {});
    body.append(h('h3', { class: 'sub-title', text: t(lang, 'insp.sessions') }));
    if (sessions.length) {
      const table = h('table', { class: 'insp-progress', 'data-testid': 'inspector-sessions' });
      table.append(h('tr', {}, [h('th', { text: t(lang, 'insp.sessionClient') }), h('th', { text: t(lang, 'insp.sessionSeq') }), h('th', { text: t(lang, 'insp.sessionResult') })]));
      for (const [client, s] of sessions) {
        table.append(
          h('tr', { 'data-client': client }, [
            h('td', { text: `C${client}` }),
            h('td', { 'data-field': 'lastSeq', text: String(s.lastSeq) }),
            h('td', { 'data-field': 'lastResult', text: describeResult(s.lastResult) }),
          ]),
        );
      }
      body.append(table);
    } else {
      body.append(h('p', { class: 'insp-note', 'data-testid': 'inspector-sessions-empty', text: t(lang, 'insp.sessionsEmpty') }));
    }
    const log = n.log ?? [];
    const shown = log.slice(-CELLS_MAX);
    const cells = h('ol', { class: 'insp-log', 'data-testid': 'inspector-log', 'aria-label': t(lang, 'insp.log') });
    for (const e of shown) {
      const onDisk = !disk || e.index <= disk.lastIndex;
      const li = h('li', { class: 'insp-cell', 'data-index': e.index, 'data-term': e.term, 'data-disk': onDisk ? '1' : '0', title: `${e.index}: ${e.summary ?? ''}` }, [
        h('span', { class: 'insp-cell-i', text: String(e.index) }),
        h('span', { class: 'insp-cell-t', text: `t${e.term}` }),
      ]);
      li.style.background = termColor(e.term, false);
      cells.append(li);
    }
    body.append(h('h3', { class: 'sub-title', text: t(lang, 'insp.log') }));
    if (n.snapshotIndex > 0) body.append(h('p', { class: 'insp-note', text: t(lang, 'insp.snapshot', { index: n.snapshotIndex, term: n.snapshotTerm }) }));
    body.append(shown.length ? cells : h('p', { class: 'insp-note', text: t(lang, 'insp.logEmpty') }));
    if (n.role === 'leader' && (n.progress ?? []).length) {
      const table = h('table', { class: 'insp-progress', 'data-testid': 'inspector-progress' });
      table.append(
        h('tr', {}, [
          h('th', { text: t(lang, 'insp.peer') }),
          h('th', { text: 'nextIndex' }),
          h('th', { text: 'matchIndex' }),
          h('th', { text: t(lang, 'insp.progressState') }),
        ]),
      );
      for (const p of n.progress) {
        if (p.peer === n.id) continue;
        table.append(
          h('tr', { 'data-peer': p.peer }, [
            h('td', { text: `S${p.peer}` }),
            h('td', { 'data-field': 'nextIndex', text: String(p.nextIndex) }),
            h('td', { 'data-field': 'matchIndex', text: String(p.matchIndex) }),
            h('td', { 'data-field': 'state', 'data-state': p.state, text: t(lang, `progress.${p.state}`) }),
          ]),
        );
      }
      body.append(h('h3', { class: 'sub-title', text: t(lang, 'insp.progress') }), table);
    }
  }

  /**
   * @param {any} m
   * @param {import('../i18n.js').Lang} lang
   * @param {boolean} paper
   * @param {boolean} manual manual delivery: offer deliver and duplicate too
   */
  function renderMessage(m, lang, paper, manual) {
    const name = paper && m.type === 'heartbeat' ? msgName(lang, 'append') : msgName(lang, m.type);
    text(title, `${name} S${m.from} → S${m.to}`);
    const grid = h('dl', { class: 'insp-grid', 'data-testid': 'inspector-fields' });
    for (const [k, v] of messageFields(m, paper)) grid.append(row(k, k, v));
    // The network loses it as a lossy link would (the drop action, recorded in the run).
    const drop = h('button', { type: 'button', 'data-testid': 'inspector-drop', title: t(lang, 'insp.dropHelp'), onclick: () => send.act({ type: 'drop', id: m.id }) }, [t(lang, 'insp.drop')]);
    const when = m.waiting ? t(lang, 'insp.waiting', { sent: m.sentAtMs.toFixed(1), due: m.deliverAtMs.toFixed(1) }) : t(lang, 'insp.inFlight', { sent: m.sentAtMs.toFixed(1), due: m.deliverAtMs.toFixed(1) });
    body.append(grid, h('p', { class: 'insp-note', 'data-testid': 'inspector-when', text: when }));
    if (manual) {
      const deliver = h('button', { type: 'button', class: 'primary', 'data-testid': 'inspector-deliver', onclick: () => send.act({ type: 'deliver', id: m.id }) }, [t(lang, 'pending.deliver')]);
      const duplicate = h('button', { type: 'button', 'data-testid': 'inspector-duplicate', onclick: () => send.act({ type: 'duplicate', id: m.id }) }, [t(lang, 'pending.duplicate')]);
      body.append(h('div', { class: 'insp-actions' }, [deliver, drop, duplicate]));
    } else {
      body.append(drop);
    }
  }

  /**
   * A message not in flight now (delivered, lost, or sent later than this moment is not: the
   * timeline is cut at now): what the trace said of it, from the space-time view's record.
   * @param {import('../spacetime.js').StMessage} m
   * @param {import('../i18n.js').Lang} lang
   */
  function renderPast(m, lang) {
    text(title, `${msgName(lang, m.type)} ${laneName(m.from)} → ${laneName(m.to)}`);
    const fate =
      m.end === 'delivered'
        ? t(lang, 'st.delivered', { at: fmtMs(/** @type {number} */ (m.endAtMs)) })
        : m.end === 'dropped'
          ? t(lang, 'st.lost', { at: fmtMs(/** @type {number} */ (m.endAtMs)), reason: m.dropReason ? describeReason(lang, m.dropReason) : '' })
          : t(lang, 'st.inFlight');
    const grid = h('dl', { class: 'insp-grid', 'data-testid': 'inspector-fields' }, [
      row('term', 'term', m.term),
      row('summary', t(lang, 'insp.what'), m.summary || '—'),
      row('sentAt', t(lang, 'insp.sentAt'), `${fmtMs(m.sentAtMs)} ms`),
      row('fate', t(lang, 'insp.fate'), fate),
    ]);
    body.append(h('p', { class: 'insp-note', 'data-testid': 'inspector-past', text: t(lang, 'insp.pastMessage') }), grid);
  }

  return { render };
}
