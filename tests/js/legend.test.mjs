// The legend draws its icons in pixels, without a viewBox (web/views/legend.js): each shape is
// drawn by palette.js at the icon's scale and centre, where the viewBox would have put it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iconUnits } from '../../web/views/legend.js';
import { shapePath, ringPath } from '../../web/palette.js';

const at = iconUnits(28, 28, 22, 22);
const { k, x, y } = at;

/** Every number of a path, in order. @param {string} d */
const numbers = (d) => [...d.matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)].map((m) => Number(m[0]));

/** The numbers equal, to the 0.01 px palette.js rounds a moved shape to. @param {number[]} got @param {number[]} want */
function near(got, want) {
  assert.equal(got.length, want.length, `${got} vs ${want}`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 0.006, `number ${i}: ${g} vs ${want[i]}`));
}

test('a viewBox centred on 0,0 scales to fit and centres, as preserveAspectRatio meet does', () => {
  assert.equal(k, 22 / 28);
  assert.equal(x(0), 11);
  assert.equal(y(-14), 0);
  const wide = iconUnits(32, 20, 30, 20);
  assert.equal(wide.k, 30 / 32);
  assert.equal(wide.x(-16), 0);
  assert.equal(wide.y(0), 10);
});

test('moveto, lineto and closepath: every point scaled and moved', () => {
  const d = shapePath('diamond', 7 * k, x(0), y(0));
  assert.match(d, /^M[^A-Z]+L[^A-Z]+L[^A-Z]+L[^A-Z]+Z$/);
  near(numbers(d), [x(0), y(-7), x(7), y(0), x(0), y(7), x(-7), y(0)]);
});

test('H and V take one coordinate each, on their own axis', () => {
  const d = shapePath('square', 7 * k, x(0), y(0));
  assert.match(d, /^M[^A-Z]+H[^A-Z]+V[^A-Z]+H[^A-Z]+Z$/);
  near(numbers(d), [x(-7), y(-7), x(7), y(7), x(-7)]);
});

test('an arc scales its radii, keeps its rotation and flags, and moves its end point', () => {
  const moved = ringPath(7 * k, x(0), y(0));
  assert.deepEqual(numbers(moved), [x(0), y(-7), 7 * k, 7 * k, 0, 1, 1, x(0), y(7), 7 * k, 7 * k, 0, 1, 1, x(0), y(-7)]);
  assert.match(moved, /^M[^A]+A[^A]+A[^A]+$/);
  // Centred on 0,0 it is the cluster's timer ring, as before.
  assert.equal(ringPath(10), 'M0 -10A10 10 0 1 1 0 10A10 10 0 1 1 0 -10');
});

test('every shape keeps its commands and as many numbers, and stays inside its icon', () => {
  for (const shape of ['diamond', 'rect', 'square', 'triangle', 'hexagon', 'star', 'circle']) {
    const d = shapePath(shape, 7, 0, 0);
    const moved = shapePath(shape, 7 * k, x(0), y(0));
    assert.equal(moved.replace(/[^A-Z]/gi, ''), d.replace(/[^A-Z]/gi, ''), shape);
    assert.equal(numbers(moved).length, numbers(d).length, shape);
    // Nothing clips an icon now: what it draws must fall inside its 22 x 22 pixels.
    for (const n of numbers(moved)) assert.ok(n >= 0 && n <= 22, `${shape}: ${n} outside the icon`);
  }
});
