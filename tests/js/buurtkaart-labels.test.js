// Unit tests of the label placement of buurtkaart-labels.js (node --test, no install needed).
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const lb = require(path.join(__dirname, '..', '..', 'buurtkaart', 'app', 'static', 'js',
  'buurtkaart-labels.js'));
const bk = require(path.join(__dirname, '..', '..', 'buurtkaart', 'app', 'static', 'js',
  'buurtkaart-map.js'));

const width = (text) => text.length * 7;  // a fixed-pitch measure

test('a label sits on the middle of a straight run, along it', () => {
  const at = lb.lineAnchor([[0, 0], [100, 0], [200, 0]], 60);
  assert.deepEqual([at.x, at.y, at.angle], [100, 0, 0]);
  const up = lb.lineAnchor([[0, 100], [100, 0]], 40);
  assert.ok(Math.abs(up.angle + 45) < 1e-9, up.angle);
});

test('text is kept upright on a run drawn right to left', () => {
  const at = lb.lineAnchor([[200, 10], [0, 10]], 50);
  assert.equal(at.angle, 0);
  assert.equal(lb.upright(170), -10);
  assert.equal(lb.upright(-100), 80);
});

test('a run shorter than its text gets no label', () => {
  assert.equal(lb.lineAnchor([[0, 0], [30, 0]], 60), null);
});

test('the label avoids the bend of an L-shaped run', () => {
  // 300 px east then 40 px south: the middle is on the long leg, away from the corner
  const at = lb.lineAnchor([[0, 0], [300, 0], [300, 40]], 120);
  assert.equal(at.angle, 0);
  assert.ok(at.x + 60 <= 300 && at.y === 0, JSON.stringify(at));
  // a zigzag that is bent everywhere: no straight stretch of 100 px
  const zig = [];
  for (let i = 0; i <= 20; i++) { zig.push([i * 10, i % 2 ? 10 : 0]); }
  assert.equal(lb.lineAnchor(zig, 100), null);
});

test('oriented boxes overlap only when they touch', () => {
  const a = lb.box(0, 0, 100, 14, 0);
  assert.equal(lb.overlaps(a, lb.box(50, 10, 100, 14, 0)), true);
  assert.equal(lb.overlaps(a, lb.box(0, 40, 100, 14, 0)), false);
  // a crossing street at 90 degrees through the middle overlaps; shifted far away it does not
  assert.equal(lb.overlaps(a, lb.box(0, 0, 100, 14, 90)), true);
  assert.equal(lb.overlaps(a, lb.box(120, 0, 100, 14, 90)), false);
  // rotated boxes whose bounding boxes overlap but whose shapes do not
  assert.equal(lb.overlaps(lb.box(0, 0, 100, 10, 45), lb.box(40, -40, 100, 10, 45)), false);
});

test('placement: no overlaps, priority first, one label per name nearby', () => {
  const items = [
    {kind: 'minor', text: 'Schoolstraat', pts: [[0, 0], [300, 0]]},
    {kind: 'major', text: 'Steenweg op Gent', pts: [[0, 4], [300, 4]]},
    {kind: 'minor', text: 'Schoolstraat', pts: [[0, 30], [300, 30]]},
    {kind: 'minor', text: 'Schoolstraat', pts: [[0, 600], [300, 600]]},
    {kind: 'square', text: 'Gemeenteplaats', pts: [[150, 300]]},
  ];
  const placed = lb.placeLabels(items, width);
  const texts = placed.map((p) => p.text);
  assert.equal(texts[0], 'Steenweg op Gent');  // the major street wins the overlap
  assert.deepEqual(texts.slice().sort(),
    ['Gemeenteplaats', 'Schoolstraat', 'Schoolstraat', 'Steenweg op Gent']);
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      assert.equal(lb.overlaps(placed[i].box, placed[j].box), false, texts[i] + '/' + texts[j]);
    }
  }
  const school = placed.filter((p) => p.text === 'Schoolstraat');
  assert.ok(Math.abs(school[0].y - school[1].y) >= 500);  // the run at y=30 was too close
});

test('the open legend never outgrows the map', () => {
  assert.deepEqual(bk.legendBox({x: 1200, y: 800}), {h: 620, w: 320});
  assert.deepEqual(bk.legendBox({x: 390, y: 560}), {h: 380, w: 320});
  assert.deepEqual(bk.legendBox({x: 200, y: 200}), {h: 100, w: 150});
});
