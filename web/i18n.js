// @ts-check
// Every string the page shows, in English and 简体中文. The Chinese wording follows the terms of
// the seed write-ups: 领导者 / 跟随者 / 候选人, 任期, 日志项, 提交, 心跳, 一致性检查, 快照.
// Templates use {name} placeholders; values are inserted as plain text by the views.

import { en } from './i18n-en.js';
import { zh } from './i18n-zh.js';

/** @typedef {'en' | 'zh'} Lang */

export const DICTS = { en, zh };

/**
 * Normalise a language tag ("zh-CN", "zh", "en-US") to one we have.
 * @param {string | null | undefined} tag
 * @returns {Lang}
 */
export function pickLang(tag) {
  return tag && /^zh/i.test(tag) ? 'zh' : 'en';
}

/**
 * Translate a key with {placeholders}. Unknown keys fall back to English, then to the key itself
 * (visible in tests rather than silently blank).
 * @param {Lang} lang
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 */
export function t(lang, key, params) {
  const one = params && isOne(params) ? `${key}.one` : null;
  const raw = (one && (DICTS[lang]?.[one] ?? en[one])) || (DICTS[lang]?.[key] ?? en[key] ?? key);
  if (!params) return raw;
  return raw.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** The placeholders that hold a count (`active`: nodes that answered, from the trace). */
const COUNTS = ['n', 'active'];

/**
 * Whether a message speaks of exactly one thing, so its `.one` form reads right: a count `n`
 * of 1 ("1 safety violation"), or a range `from`–`to` that is a single index ("entry 1").
 * @param {Record<string, string | number>} params
 */
function isOne(params) {
  for (const count of COUNTS) if (count in params) return Number(params[count]) === 1;
  if ('from' in params && 'to' in params) return params.from === params.to;
  return false;
}

/**
 * Names in a list, as each language writes one: "S1, S2" / "S1、S2"; a dash when empty.
 * @param {Lang} lang
 * @param {(string | number)[]} items
 */
export function joinList(lang, items) {
  return items.join(t(lang, 'list.sep')) || '—';
}

/**
 * Server names in a list ("S1, S3").
 * @param {Lang} lang
 * @param {number[] | undefined} ids
 */
export function serverList(lang, ids) {
  return joinList(lang, (ids ?? []).map((n) => `S${n}`));
}

/**
 * Whether a key exists (used to decide between a translated reason and a humanised fallback).
 * @param {string} key
 */
export function has(key) {
  return key in en;
}

/**
 * Format a simulated time in ms for display.
 * @param {number} ms
 */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '0';
  return ms >= 10000 ? ms.toFixed(0) : ms.toFixed(1);
}

/** Longest number a message prints in full (raft-sim's error.rs NUMBER_CHARS_MAX: the same rule). */
const NUMBER_CHARS_MAX = 16;

/**
 * `text` with every number longer than NUMBER_CHARS_MAX characters written with three
 * significant digits and an exponent (`1e300`, `-1.8e16`, `1.23e404`), worked out from the digits
 * themselves, so 400 digits do not become Infinity. The same rule as raft-sim's
 * `shorten_numbers`, which shortens every error of the simulation and the wasm API; this one is
 * for the messages the page makes or shows (notices, thrown errors). Words with digits (`v2`,
 * `S3`) and short numbers stay as they are.
 * @param {string} text
 */
export function shortNumbers(text) {
  return String(text).replace(/(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (tok) => (tok.length > NUMBER_CHARS_MAX ? shortenToken(tok) : tok));
}

/** @param {string} tok */
function shortenToken(tok) {
  const negative = tok.startsWith('-');
  const rest = negative ? tok.slice(1) : tok;
  const e = rest.search(/[eE]/);
  const mantissa = e < 0 ? rest : rest.slice(0, e);
  const exp = e < 0 ? 0 : Number(rest.slice(e + 1)) || 0;
  const [int, frac = ''] = mantissa.split('.');
  const all = int + frac;
  const lead = all.search(/[1-9]/);
  if (lead < 0) return negative ? '-0' : '0';
  let exponent = int.length - 1 - lead + exp;
  const sig = all.slice(lead);
  const d = [0, 1, 2].map((i) => Number(sig[i] ?? 0));
  if (Number(sig[3] ?? 0) >= 5) {
    // Round half up on the digits, carrying into a new leading digit.
    let k = 2;
    for (;;) {
      if (d[k] < 9) {
        d[k] += 1;
        break;
      }
      d[k] = 0;
      if (k === 0) {
        d.unshift(1);
        d.length = 3;
        exponent += 1;
        break;
      }
      k -= 1;
    }
  }
  const mant = `${d[0]}.${d[1]}${d[2]}`.replace(/0+$/, '').replace(/\.$/, '');
  return `${negative ? '-' : ''}${mant}e${exponent}`;
}
