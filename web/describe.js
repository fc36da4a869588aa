// @ts-check
// Puts trace events into words (en / zh). Pure functions of (event, lang): the feed, the caption
// and the tests all use them. Reasons arrive from serde in a few possible forms (a string, a tagged
// object, or an externally tagged enum); normaliseReason accepts all of them.

import { t, has, serverList } from './i18n.js';

/** @typedef {import('./i18n.js').Lang} Lang */
/** @typedef {Record<string, any>} TraceEvent */

/** Event kind -> feed category. */
const CATEGORY = {
  roleChanged: 'election',
  voteGranted: 'election',
  voteDenied: 'election',
  appendRejected: 'replication',
  entriesAppended: 'replication',
  entriesTruncated: 'replication',
  nextIndexMoved: 'replication',
  commitAdvanced: 'replication',
  applied: 'message',
  snapshotTaken: 'replication',
  snapshotSent: 'replication',
  snapshotInstalled: 'replication',
  confChanged: 'election',
  msgRefused: 'fault',
  clientInvoked: 'client',
  clientCompleted: 'client',
  nodeCrashed: 'fault',
  nodeRestarted: 'fault',
  nodePaused: 'fault',
  nodeResumed: 'fault',
  linkChanged: 'message',
  violation: 'fault',
  msgDropped: 'message',
  msgDuplicated: 'message',
  msgSent: 'message',
  msgDelivered: 'message',
  clientSent: 'message',
  clientMsgDropped: 'message',
  transferStarted: 'election',
  transferAborted: 'election',
  action: 'message',
};

/** User actions worth a line of their own (crashes, client requests, ... have their own events). */
const USER_ACTIONS = new Set(['partition', 'heal', 'aimClient', 'setLink', 'setAllLinks', 'setBug', 'setToggle', 'setReadMode', 'transferLeader', 'addServer', 'addLearner', 'removeServer', 'changeMembership', 'compact', 'timeout', 'clockSkew']);

/** nextIndex moves that are routine (every ack) are details; backtracking is repair. */
const ROUTINE_NEXT = new Set(['acked', 'sent']);

/**
 * A link end in words: servers are `S3`, clients (`"c1"` in the trace) `C1`.
 * @param {number | string} e
 */
export function endpointName(e) {
  return typeof e === 'string' ? e.toUpperCase() : `S${e}`;
}

/**
 * @param {TraceEvent} ev
 * @returns {string}
 */
export function categoryOf(ev) {
  if (ev.kind === 'action') return USER_ACTIONS.has(ev.action?.type) ? 'fault' : 'message';
  if (ev.kind === 'commitAdvanced' && ev.byLeader === false) return 'message';
  if (ev.kind === 'nextIndexMoved' && ROUTINE_NEXT.has(normaliseReason(ev.reason).code)) return 'message';
  return /** @type {Record<string, string>} */ (CATEGORY)[ev.kind] ?? 'fault';
}

/**
 * Turn a serde reason into { code, params }.
 * @param {any} r
 * @returns {{ code: string, params: Record<string, any> }}
 */
export function normaliseReason(r) {
  if (r === null || r === undefined) return { code: '', params: {} };
  if (typeof r === 'string') return { code: lowerFirst(r), params: {} };
  if (typeof r === 'object') {
    const tag = r.kind ?? r.type ?? r.reason;
    if (typeof tag === 'string') return { code: lowerFirst(tag), params: r };
    const keys = Object.keys(r);
    if (keys.length === 1) {
      const inner = r[keys[0]];
      return { code: lowerFirst(keys[0]), params: inner && typeof inner === 'object' ? inner : { value: inner } };
    }
  }
  return { code: String(r), params: {} };
}

/** @param {string} s */
function lowerFirst(s) {
  return s.length ? s[0].toLowerCase() + s.slice(1) : s;
}

/**
 * "camelCaseWords" -> "camel case words" for reasons we have no translation for.
 * @param {string} code
 */
function humanise(code) {
  return code.replace(/[-_]/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * @param {Lang} lang
 * @param {any} reason
 */
export function describeReason(lang, reason) {
  const { code, params } = normaliseReason(reason);
  if (!code) return '';
  const key = `reason.${code}`;
  if (has(key)) {
    /** @type {Record<string, string | number>} */
    const p = {};
    for (const [k, v] of Object.entries(params)) {
      if (Array.isArray(v)) p[k] = serverList(lang, v);
      else if (typeof v === 'number') p[k] = Number.isInteger(v) ? v : Number(v.toFixed(1));
      else if (v !== null && typeof v !== 'object') p[k] = String(v);
    }
    return t(lang, key, p);
  }
  return humanise(code);
}

/**
 * @param {Lang} lang
 * @param {string} role
 */
export function roleName(lang, role) {
  return t(lang, `role.${role}`);
}

/**
 * @param {Lang} lang
 * @param {string} type
 */
export function msgName(lang, type) {
  return t(lang, `msg.${type}`);
}

/**
 * An append reject hint: a number, or an object like { index, term } / { rejectHint, logTerm }.
 * @param {Lang} lang
 * @param {any} hint
 */
export function describeHint(lang, hint) {
  if (hint === null || hint === undefined) return t(lang, 'ev.noHint');
  if (typeof hint === 'number') return t(lang, 'ev.hint', { index: hint });
  if (typeof hint === 'object') {
    const index = hint.index ?? hint.rejectHint ?? hint.hintIndex ?? hint.lastIndex;
    const term = hint.term ?? hint.logTerm ?? hint.hintTerm ?? hint.conflictTerm;
    if (index !== undefined && term) return t(lang, 'ev.hintTerm', { index, term });
    if (index !== undefined) return t(lang, 'ev.hint', { index });
  }
  return String(hint);
}

/**
 * A client operation ({ type: 'put', key, value } or similar) or a user action as short text.
 * With a language, the names of user actions and their up/down, on/off are translated; client
 * operations keep put / get / append, as the client panel names them.
 * @param {any} op
 * @param {Lang} [lang]
 */
export function describeOp(op, lang) {
  if (op === null || op === undefined) return '';
  if (typeof op === 'string') return op;
  const kind = op.type ?? op.kind ?? op.op ?? '';
  const name = String(kind).replace(/^client/, '');
  const word = (/** @type {string} */ key, /** @type {string} */ fallback) => (lang && has(key) ? t(lang, key) : fallback);
  const parts = [name ? word(`act.${kind}`, name[0].toLowerCase() + name.slice(1)) : 'op'];
  if (kind === "aimClient" && op.client !== undefined) parts.push(`C${op.client} →`);
  if (op.node !== undefined) parts.push(`S${op.node}`);
  if (op.from !== undefined) parts.push(`${endpointName(op.from)}→${endpointName(op.to)}`);
  else if (op.to !== undefined) parts.push(`→ S${op.to}`);
  if (op.up !== undefined) parts.push(op.up ? word('act.flag.up', 'up') : word('act.flag.down', 'down'));
  const param = (/** @type {string} */ key, /** @type {Record<string, any>} */ values, /** @type {string} */ fallback) =>
    lang && has(key) ? t(lang, key, values) : fallback;
  const min = op.latencyMsMin ?? op.latencyMs;
  const max = op.latencyMsMax ?? op.latencyMs;
  if (min !== undefined || max !== undefined) {
    const range = { min: min ?? max, max: max ?? min };
    parts.push(param('act.param.latency', range, `latency ${range.min}–${range.max} ms`));
  }
  if (op.lossPct !== undefined) parts.push(param('act.param.loss', { pct: op.lossPct }, `loss ${op.lossPct}%`));
  if (op.dupPct !== undefined) parts.push(param('act.param.dup', { pct: op.dupPct }, `duplicates ${op.dupPct}%`));
  if (op.ratePpm !== undefined) {
    // Parts per million as the percentage a reader expects: +50000 ppm runs 5% fast.
    const pct = op.ratePpm / 10000;
    const rate = `${pct > 0 ? '+' : ''}${pct}%`;
    parts.push(param('act.param.rate', { rate }, `clock ${rate}`));
  }
  if (op.mode !== undefined) parts.push(word(`act.mode.${op.mode}`, String(op.mode)));
  if (op.id !== undefined) parts.push(`#${op.id}`);
  if (op.voters !== undefined) parts.push(`{${op.voters.map((/** @type {number} */ n) => `S${n}`).join(' ')}}`);
  if (op.learners !== undefined && op.learners.length) parts.push(`+ {${op.learners.map((/** @type {number} */ n) => `S${n}`).join(' ')}}`);
  if (op.groups !== undefined) parts.push(op.groups.map((/** @type {(number | string)[]} */ g) => g.map(endpointName).join(' ')).join(' | '));
  if (op.name !== undefined) parts.push(String(op.name));
  if (op.on !== undefined) parts.push(op.on ? word('act.flag.on', 'on') : word('act.flag.off', 'off'));
  if (op.key !== undefined) parts.push(String(op.key));
  if (op.expected !== undefined) parts.push(`${JSON.stringify(op.expected)}→`);
  if (op.value !== undefined) parts.push(JSON.stringify(op.value));
  return parts.join(' ');
}

/**
 * A client result (string, { ok, value }, { err }, ...) as short text.
 * @param {any} result
 */
export function describeResult(result) {
  if (result === null || result === undefined) return '—';
  if (typeof result !== 'object') return String(result);
  if (result.type === 'ok') return 'ok';
  if (result.type === 'cas') return result.ok ? 'ok' : `failed (now ${result.current === null ? 'null' : JSON.stringify(result.current)})`;
  if ('value' in result) return result.value === null ? 'null' : JSON.stringify(result.value);
  if ('ok' in result && Object.keys(result).length === 1) return result.ok === true ? 'ok' : describeResult(result.ok);
  if ('err' in result) return `error: ${describeResult(result.err)}`;
  if ('error' in result) return `error: ${describeResult(result.error)}`;
  const keys = Object.keys(result);
  if (keys.length === 1) {
    const v = result[keys[0]];
    return v === null || typeof v !== 'object' ? (v === null ? keys[0] : `${keys[0]} ${v}`) : `${keys[0]} ${JSON.stringify(v)}`;
  }
  return JSON.stringify(result);
}

/**
 * The one-line description of an event.
 * @param {Lang} lang
 * @param {TraceEvent} ev
 * @param {{ isPreVote?: boolean, op?: any }} [ctx]
 * @returns {string}
 */
export function describe(lang, ev, ctx = {}) {
  switch (ev.kind) {
    case 'roleChanged':
      return t(lang, 'ev.roleChanged', {
        node: ev.node,
        to: roleName(lang, ev.to),
        term: ev.term,
        reason: describeReason(lang, ev.reason) || '—',
      });
    case 'voteGranted':
      return t(lang, ctx.isPreVote || ev.preVote ? 'ev.preVoteGranted' : 'ev.voteGranted', ev);
    case 'voteDenied':
      return t(lang, ctx.isPreVote || ev.preVote ? 'ev.preVoteDenied' : 'ev.voteDenied', {
        ...ev,
        reason: describeReason(lang, ev.reason) || '—',
      });
    case 'appendRejected': {
      // Which half of the consistency check failed: a short log (an earlier append is late,
      // was overtaken or lost) or another term at prevLogIndex (the logs diverged).
      const { code, params } = normaliseReason(ev.reason);
      const key = code && has(`ev.appendRejected.${code}`) ? `ev.appendRejected.${code}` : 'ev.appendRejected';
      return t(lang, key, {
        ...params,
        node: ev.node,
        leader: ev.leader,
        prevIndex: ev.prevIndex ?? '?',
        prevTerm: ev.prevTerm ?? '?',
        hint: describeHint(lang, ev.hintTerm !== undefined ? { index: ev.hint, term: ev.hintTerm } : ev.hint),
      });
    }
    case 'msgRefused': {
      const { code, params } = normaliseReason(ev.reason);
      const key = has(`ev.msgRefused.${code}`) ? `ev.msgRefused.${code}` : 'ev.msgRefused.malformed';
      return t(lang, key, { detail: '', ...params, node: ev.node, from: ev.from, type: msgName(lang, ev.type ?? 'appendResp') });
    }
    case 'clientSent': {
      // Why it went there (§6.2): a redirect (following the hint or not) or a timeout.
      const r = ev.reason ?? { type: 'first' };
      const key = r.type === 'redirected' ? (r.hint ? 'ev.clientSent.redirected' : 'ev.clientSent.redirectedNoHint') : r.type === 'timedOut' ? 'ev.clientSent.timedOut' : 'ev.clientSent';
      return t(lang, key, { ...ev, from: r.from ?? '?' });
    }
    case 'transferStarted':
      return t(lang, 'ev.transferStarted', ev);
    case 'transferAborted':
      return t(lang, 'ev.transferAborted', { ...ev, reason: describeReason(lang, ev.reason) || '—' });
    case 'action':
      return t(lang, 'ev.action', { action: describeOp(ev.action, lang) });
    case 'entriesAppended':
    case 'commitAdvanced':
      return t(lang, `ev.${ev.kind}`, ev);
    case 'entriesTruncated':
      return t(lang, 'ev.entriesTruncated', { ...ev, conflictTerm: ev.conflictTerm ?? '?' });
    case 'nextIndexMoved':
      return t(lang, 'ev.nextIndexMoved', { ...ev, reason: describeReason(lang, ev.reason) || '—' });
    case 'applied':
    case 'snapshotTaken':
    case 'snapshotSent':
    case 'snapshotInstalled':
      return t(lang, `ev.${ev.kind}`, ev);
    case 'confChanged':
      return t(lang, 'ev.confChanged', {
        node: ev.node,
        voters: serverList(lang, ev.voters),
        learners: ev.learners && ev.learners.length ? t(lang, 'ev.confLearners', { learners: serverList(lang, ev.learners) }) : '',
        joint: ev.joint ? t(lang, 'ev.confJoint', { old: serverList(lang, ev.votersOutgoing) }) : '',
      });
    case 'clientInvoked':
      return t(lang, 'ev.clientInvoked', { client: ev.client, op: describeOp(ev.op) });
    case 'clientCompleted':
      return t(lang, 'ev.clientCompleted', {
        client: ev.client,
        op: describeOp(ev.op ?? ctx.op) || `#${ev.opId}`,
        result: describeResult(ev.result),
        served: ev.servedBy ? t(lang, 'ev.servedBy', { node: ev.servedBy }) : '',
      });
    case 'nodeRestarted':
      return t(lang, ev.forgotVote ? 'ev.nodeRestartedForgot' : 'ev.nodeRestarted', ev);
    case 'nodeCrashed':
    case 'nodePaused':
    case 'nodeResumed':
      return t(lang, `ev.${ev.kind}`, ev);
    case 'linkChanged':
      return t(lang, ev.up ? 'ev.linkUp' : 'ev.linkCut', { from: endpointName(ev.from), to: endpointName(ev.to) });
    case 'clientMsgDropped':
      return t(lang, ev.reply ? 'ev.clientReplyDropped' : 'ev.clientRequestDropped', {
        ...ev,
        reason: describeReason(lang, ev.reason) || '—',
      });
    case 'violation':
      return t(lang, 'ev.violation', {
        property: has(`prop.${ev.property}`) ? t(lang, `prop.${ev.property}`) : humanise(String(ev.property ?? '?')),
        at: ev.index !== undefined && ev.index !== null ? t(lang, 'ev.violationAt', { index: ev.index, nodes: serverList(lang, ev.nodes) }) : '',
        detail: violationDetail(lang, ev),
      });
    case 'msgDropped':
      return t(lang, 'ev.msgDropped', {
        type: msgName(lang, ev.type ?? 'append'),
        from: ev.from ?? '?',
        to: ev.to ?? '?',
        reason: ev.reason ? `${lang === 'zh' ? '：' : ': '}${describeReason(lang, ev.reason)}` : '',
      });
    case 'msgDuplicated':
      return t(lang, 'ev.msgDuplicated', { type: msgName(lang, ev.type ?? 'append'), from: ev.from ?? '?', to: ev.to ?? '?' });
    case 'msgSent':
      return t(lang, 'ev.msgSent', {
        from: ev.from,
        to: ev.to,
        type: msgName(lang, ev.type),
        summary: ev.summary ? ` · ${ev.summary}` : '',
      });
    case 'msgDelivered':
      return t(lang, 'ev.msgDelivered', { from: ev.from ?? '?', to: ev.to ?? '?', type: msgName(lang, ev.type ?? 'append') });
    default:
      return t(lang, 'ev.unknown', { kind: String(ev.kind) });
  }
}

/**
 * What went wrong in a violation. The checker's own sentence (with its terms and node ids) is
 * English; in other languages, and when it has none, the property's explanation stands in.
 * @param {Lang} lang
 * @param {TraceEvent} ev
 */
function violationDetail(lang, ev) {
  if (lang === 'en' && ev.detail) return ev.detail;
  const key = `prop.${ev.property}.what`;
  return has(key) ? t(lang, key) : (ev.detail ?? '');
}

/**
 * Whether a reply message reports success; used for the granted/denied and ok/reject marks.
 * Prefers structured fields, then reads the summary.
 * @param {Record<string, any>} msg
 * @returns {boolean | null} null when the message is not a reply
 */
export function replyOutcome(msg) {
  if (!/Resp$/.test(msg.type)) return null;
  if (typeof msg.granted === 'boolean') return msg.granted;
  if (typeof msg.reject === 'boolean') return !msg.reject;
  if (typeof msg.success === 'boolean') return msg.success;
  const s = String(msg.summary ?? '').toLowerCase();
  if (/reject|denied|deny|refuse|false|✗/.test(s)) return false;
  return true;
}

/**
 * The reject hint of an appendResp, if its summary carries one ("reject hint=5" etc.).
 * @param {Record<string, any>} msg
 * @returns {string}
 */
export function replyHint(msg) {
  if (msg.hint !== undefined) return typeof msg.hint === 'object' ? String(msg.hint.index ?? '') : String(msg.hint);
  const m = /hint[^0-9]*(\d+(?:@\d+)?)/i.exec(String(msg.summary ?? ''));
  return m ? m[1] : '';
}
