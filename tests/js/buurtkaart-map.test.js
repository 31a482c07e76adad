// Unit tests of the pure helpers of buurtkaart-map.js (node --test, no install needed).
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const bk = require(path.join(__dirname, '..', '..', 'buurtkaart', 'app', 'static', 'js',
  'buurtkaart-map.js'));

// The vocabulary rows as map_layers.py sends them.
const v = {
  roles: [['partner', 'Partner', '#1b9e77'], ['ally', 'Bondgenoot', '#d95f02']],
  kinds: [['org', 'Organisatie', 'square'], ['person', 'Persoon', 'circle']],
  strengths: [['geen', 1], ['zwak', 2], ['sterk', 4]],
  statuses: [['active', 'Actief', '#2c7bb6'], ['dormant', 'Slapend', '#fdae61']],
  leanings: [['opponent', 'Tegenstander', '4 4'], ['neutral', 'Neutraal', '']],
};
// [id, lat, lon, name, [role idx], kind idx, flags, strength, status idx, leaning idx,
//  contact person, last contact, highlight]
const actor = ['a1', 50.85, 4.35, 'Buurthuis', [1], 0, 1, 2, 0, 0, 'Amina', '01/02/2026', ''];

test('fold removes accents and case for the search', () => {
  assert.equal(bk.fold('Église Sainte-Catherine'), 'eglise sainte-catherine');
  assert.equal(bk.fold('CAFÉ'), 'cafe');
});

test('roleColor takes the first role, grey without roles', () => {
  assert.equal(bk.roleColor(actor, v), '#d95f02');
  assert.equal(bk.roleColor([...actor.slice(0, 4), [], ...actor.slice(5)], v), '#636363');
});

test('relationStyle follows strength, status and leaning', () => {
  assert.deepEqual(bk.relationStyle(actor, v), {weight: 4, color: '#2c7bb6', dashArray: '4 4'});
  const unknown = [...actor];
  unknown[7] = -1; unknown[8] = -1; unknown[9] = 1;
  assert.deepEqual(bk.relationStyle(unknown, v), {weight: 1, color: '#969696', dashArray: null});
});

test('actorPopup lists the known fields and skips empty ones', () => {
  const html = bk.actorPopup(actor, v);
  assert.match(html, /^<div class="bk-popup" data-bk-id="a1"><h3>Buurthuis<\/h3>/);
  for (const text of ['Organisatie', 'Bondgenoot', 'sterk', 'Actief', 'Tegenstander', 'Amina']) {
    assert.ok(html.includes(`<div class="bk-sub">${text}</div>`), text);
  }
  const bare = [...actor];
  bare[7] = -1; bare[8] = -1; bare[9] = -1; bare[10] = ''; bare[11] = '';
  assert.equal((bk.actorPopup(bare, v).match(/bk-sub/g) || []).length, 2);
});

test('place popup and tooltip use the category label for unnamed places', () => {
  const cats = [{label: 'Bakkerij', icon: '<svg width="12" height="12"></svg>'}];
  const named = [50.8, 4.3, 0, 'Bakkerij Jan', 'Bakkerij Jan', 'Boulangerie Jean', 'node/1', ''];
  assert.equal(bk.placeTooltip(named, cats), 'Bakkerij Jan / Boulangerie Jean · Bakkerij');
  const unnamed = [50.8, 4.3, 0, '', '', '', 'node/2', 'open 7-18'];
  assert.equal(bk.placeTooltip(unnamed, cats), 'Bakkerij');
  assert.equal(bk.placeTooltip(unnamed, cats, '(zonder naam)'), 'Bakkerij (zonder naam)');
  const onlyNl = [50.8, 4.3, 0, '', 'Bakkerij Jan', '', 'node/3', ''];
  assert.equal(bk.placeTooltip(onlyNl, cats, '(zonder naam)'), 'Bakkerij Jan · Bakkerij');
  assert.ok(bk.placePopup(unnamed, cats, '(sans nom)').includes('<h3>Bakkerij (sans nom)</h3>'));
  const html = bk.placePopup(unnamed, cats);
  assert.ok(html.includes('<h3>Bakkerij</h3>'));
  assert.ok(html.includes('<svg width="12" height="12"></svg> Bakkerij'));
  assert.ok(html.includes('<div class="bk-id">node/2</div>'));
  assert.ok(html.includes('<div class="bk-sub">open 7-18</div>'));
  assert.ok(!html.includes('NL:'));
});

test('legend samples draw a line with the given dash', () => {
  assert.ok(bk.lineSample('#555', 3, '4 4').includes('stroke-dasharray="4 4"'));
  assert.ok(!bk.lineSample('#555', 3, '').includes('stroke-dasharray'));
  assert.equal(bk.legendRow('<i></i>', 'Partner'),
    '<div class="bk-row"><i></i><span>Partner</span></div>');
});
