// @ts-check
// The two paths from the views to the playground, kept apart so that no UI request can be taken
// for a simulation action or the other way round (issue 11: the node menu's `{ type: 'restart' }`
// once reached the "apply settings and restart the run" handler):
//
// - `send.act(action)`: a simulation Action, exactly as the simulator defines it (`type`, the
//   wasm package's `Action` union). It is recorded in the run and replayed by share links.
// - `send.ui(intent)`: a request to the page (`intent`, the union below): play, seek, open a
//   menu, start a new run, ... An intent nobody handles throws, so tests catch it.

import { shortNumbers } from './i18n.js';

/** @typedef {import('../pkg/raft_wasm.js').Action} Action */
/** @typedef {import('../pkg/raft_wasm.js').SimConfigInput} SimConfigInput */

/**
 * @typedef {(
 *   | { intent: 'togglePlay' }
 *   | { intent: 'play' }
 *   | { intent: 'pause' }
 *   | { intent: 'step' }
 *   | { intent: 'speed', x: number }
 *   | { intent: 'skipQuiet', on: boolean }
 *   | { intent: 'seek', t: number, seq?: number }
 *   | { intent: 'reset' }
 *   | { intent: 'newSeed' }
 *   | { intent: 'applySettings', config: Record<string, any> }
 *   | { intent: 'openScenario', id: string }
 *   | { intent: 'closeGuide' }
 *   | { intent: 'replayFromStart' }
 *   | { intent: 'undo' }
 *   | { intent: 'openMenu', node: number }
 *   | { intent: 'closeMenu' }
 *   | { intent: 'feedFilter', cat: string, on: boolean }
 *   | { intent: 'tab', id: string }
 *   | { intent: 'showViolation' }
 *   | { intent: 'dismissNotice' }
 *   | { intent: 'openLesson', id: string, step?: number }
 *   | { intent: 'lessonNext' }
 *   | { intent: 'lessonBack' }
 *   | { intent: 'lessonGo', step: number }
 *   | { intent: 'closeLesson' }
 *   | { intent: 'inspect', target: { kind: 'node' | 'message', id: number } | null }
 *   | { intent: 'cancelReplay' }
 *   | { intent: 'hoverMessage', id: number | null }
 *   | { intent: 'stWindow', ms: number }
 * )} Intent
 */

/**
 * What every view gets: the two paths.
 * @typedef {Object} Send
 * @property {(action: Action | Action[]) => boolean} act apply one user gesture's action(s) to the simulation; false when refused
 * @property {(intent: Intent) => void} ui ask the page for something that is not a simulation action
 */

/** The setting-like actions: changing one during a guided scenario keeps its scripted steps. */
export const SETTING_ACTIONS = new Set(['setToggle', 'setBug', 'setReadMode']);

/**
 * Refuse anything that is not shaped as a simulation Action (an intent sent down the wrong
 * path, a typo'd field): a programming error, so it throws rather than becoming a notice.
 * @param {unknown} a
 * @returns {asserts a is Action}
 */
export function assertAction(a) {
  if (!a || typeof a !== 'object' || typeof (/** @type {any} */ (a).type) !== 'string' || 'intent' in a) {
    throw new Error(shortNumbers(`not a simulation action: ${JSON.stringify(a)}`));
  }
}
