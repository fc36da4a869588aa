// The legend draws its icons in pixels, without a viewBox (web/views/legend.js): movePath puts a
// path drawn around 0,0 where the viewBox would have put it, at its scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { movePath } from '../../web/views/legend.js';
import { shapePath, ringPath } from '../../web/palette.js';

const k = 22 / 28;
const x = (/** @type {number} */ u) => 11 + u * k;
const y = (/** @type {number} */ u) => 11 + u * k;

/** Every number of a path, in order. @param {string} d */
const numbers = (d) => [...d.matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)].map((m) => Number(m[0]));

test('moveto, lineto and closepath: every point scaled and moved', () => {
  assert.equal(movePath('M-7 -7L7 7M7 -7L-7 7', 0.5, (u) => 10 + u * 0.5, (u) => 20 + u * 0.5), 'M6.5 16.5L13.5 23.5M13.5 16.5L6.5 23.5');
  assert.equal(movePath(shapePath('diamond', 7), k, x, y), `M${x(0)} ${y(-7)}L${x(7)} ${y(0)}L${x(0)} ${y(7)}L${x(-7)} ${y(0)}Z`);
});

test('H and V take one coordinate each, on their own axis', () => {
  assert.equal(movePath('M-1 -2H3V4H-1Z', 2, (u) => u * 2 + 100, (u) => u * 2 + 200), 'M98 196H106V208H98Z');
});

test('an arc scales its radii, keeps its rotation and flags, and moves its end point', () => {
  const moved = movePath(ringPath(7), k, x, y);
  assert.deepEqual(numbers(moved), [x(0), y(-7), 7 * k, 7 * k, 0, 1, 1, x(0), y(7), 7 * k, 7 * k, 0, 1, 1, x(0), y(-7)]);
  assert.match(moved, /^M[^A]+A[^A]+A[^A]+$/);
});

test('every shape keeps its commands and as many numbers', () => {
  for (const shape of ['diamond', 'rect', 'square', 'triangle', 'hexagon', 'star', 'circle']) {
    const d = shapePath(shape, 7);
    const moved = movePath(d, k, x, y);
    assert.equal(moved.replace(/[^A-Z]/gi, ''), d.replace(/[^A-Z]/gi, ''), shape);
    assert.equal(numbers(moved).length, numbers(d).length, shape);
  }
});
