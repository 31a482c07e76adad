// Unit tests of the live map's delta planning in buurtkaart-live.js (node --test).
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const live = require(path.join(__dirname, '..', '..', 'buurtkaart', 'app', 'static', 'js',
  'buurtkaart-live.js'));

// actor rows as map_layers.py sends them: [id, lat, lon, name, [roles], kind, flags, ...]
const row = (id, name) => [id, 50.85, 4.35, name, [0], 0, 1, 2, 0, 0, '', '', ''];
const base = {a1: row('a1', 'Buurthuis'), a2: row('a2', 'Moskee')};

test('a first delta adds, changes and removes what it names', () => {
  const plan = live.planDelta(base, [], {actors: [row('a3', 'Nieuw'), row('a1', 'Buurthuis 2')],
    removed: ['a2']});
  assert.deepEqual(plan.upsert.map((a) => a[3]), ['Nieuw', 'Buurthuis 2']);
  assert.deepEqual(plan.remove, ['a2']);
  assert.deepEqual(plan.applied.sort(), ['a1', 'a2', 'a3']);
});

test('each delta is against the base: what the last one touched and this one does not goes back', () => {
  const first = live.planDelta(base, [], {actors: [row('a3', 'Nieuw'), row('a1', 'Hernoemd')],
    removed: ['a2']});
  // now a3 was removed again, a1 was renamed back, a2 came back: the delta is empty
  const second = live.planDelta(base, first.applied, {actors: [], removed: []});
  assert.deepEqual(second.remove, ['a3'], 'an actor the base did not have goes');
  assert.deepEqual(second.upsert.map((a) => a[0]).sort(), ['a1', 'a2'],
    'changed or removed base actors get their base row back');
  assert.deepEqual(second.applied, []);
});

test('an actor in two deltas in a row is set once, not restored in between', () => {
  const first = live.planDelta(base, [], {actors: [row('a1', 'Een')]});
  const second = live.planDelta(base, first.applied, {actors: [row('a1', 'Twee')]});
  assert.deepEqual(second.upsert.map((a) => a[3]), ['Twee']);
  assert.deepEqual(second.remove, []);
});

test('hidden places: hide the new ones, show those no longer hidden', () => {
  assert.deepEqual(live.planHidden([], ['node/1']), {hide: ['node/1'], show: []});
  assert.deepEqual(live.planHidden(['node/1', 'node/2'], ['node/2', 'way/3']),
    {hide: ['way/3'], show: ['node/1']});
  assert.deepEqual(live.planHidden(['node/1'], []), {hide: [], show: ['node/1']});
});

test('sameRow compares rows by value', () => {
  assert.ok(live.sameRow(row('a1', 'X'), row('a1', 'X')));
  assert.ok(!live.sameRow(row('a1', 'X'), row('a1', 'Y')));
});
