// Unit tests of the live watcher (buurtkaart-watch.js, a Streamlit v2 component): it wakes
// its fragment only on news, falls back when the endpoint cannot answer, keeps one timer.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

// The component is an ES module with one default export; load it as a function.
const source = fs.readFileSync(path.join(__dirname, '..', '..', 'buurtkaart', 'app', 'static',
  'js', 'buurtkaart-watch.js'), 'utf8');
const watcher = new Function(source.replace('export default function', 'return function'))();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function mount(data, answer) {
  const host = {dataset: {}};
  const woken = [];
  const asked = [];
  global.__bkLiveAsk = undefined;
  global.fetch = async (url) => {
    asked.push(url);
    const got = answer();
    if (got === null) throw new Error('offline');
    return {ok: got.status === undefined, status: got.status || 200, json: async () => got};
  };
  const render = (d) => watcher({data: d, parentElement: {host},
    setTriggerValue: (name, value) => woken.push([name, value.split(':')[0]])});
  const cleanup = render(data);
  return {host, woken, asked, render, cleanup};
}

const base = {url: '/_bk/live', token: 'tok+/=', seq: 5, here: 'h1', soon: false, run: 1, after_ms: 0,
  every_ms: 10, wait_ms: 1000, fallback_every: 2};

test('an idle map wakes nothing, however often it asks', async () => {
  const w = mount(base, () => ({seq: 5, here: 'h1'}));
  await sleep(80);
  w.cleanup();
  assert.ok(w.asked.length >= 4, `asked ${w.asked.length} times`);
  assert.equal(w.asked[0], '/_bk/live?t=tok%2B%2F%3D', 'the token is URL-encoded');
  assert.deepEqual(w.woken, []);
});

test('a newer event or another presence wakes the fragment once, then waits for it', async () => {
  const w = mount(base, () => ({seq: 6, here: 'h1'}));
  await sleep(80);
  assert.deepEqual(w.woken, [['news', 'seq']], 'one wake while the fragment runs');
  w.render({...base, seq: 6, run: 2}); // the fragment ran and shows event 6
  await sleep(50);
  assert.deepEqual(w.woken, [['news', 'seq']]);
  w.cleanup();
  const p = mount(base, () => ({seq: 5, here: 'h2'}));
  await sleep(50);
  p.cleanup();
  assert.deepEqual(p.woken, [['news', 'here']]);
});

test('a page with holes in its cursor is woken without asking', async () => {
  const w = mount({...base, soon: true}, () => ({seq: 5, here: 'h1'}));
  await sleep(40);
  w.cleanup();
  assert.deepEqual(w.woken, [['news', 'soon']]);
  assert.equal(w.asked.length, 0);
});

test('when the endpoint cannot answer the fragment is woken to poll itself', async () => {
  for (const failure of [null, {status: 403}]) {
    const w = mount({...base, wait_ms: 0}, () => failure);
    await sleep(80);
    w.cleanup();
    assert.ok(w.woken.length >= 1 && w.woken.every(([, why]) => why === 'fallback'));
    assert.ok(w.woken.length <= Math.ceil(w.asked.length / 2), 'every second failure');
  }
});

test('a new render swaps the data but keeps one timer', async () => {
  const w = mount(base, () => ({seq: 5, here: 'h1'}));
  for (let run = 2; run < 6; run += 1) w.render({...base, run});
  await sleep(55);
  w.cleanup();
  assert.ok(w.asked.length <= 7, `one timer asks about 5 times in 55 ms, not ${w.asked.length}`);
  assert.equal(w.host.dataset.bkSeq, '5');
});

test('nothing is asked or woken within after_ms of a render', async () => {
  const w = mount({...base, soon: true, after_ms: 60}, () => ({seq: 9, here: 'h1'}));
  await sleep(40);
  assert.deepEqual(w.woken, []);
  assert.equal(w.asked.length, 0);
  await sleep(50);
  w.cleanup();
  assert.deepEqual(w.woken, [['news', 'soon']]);
});

test('a page that may redraw after after_ms is asked right then, not a tick later', async () => {
  const w = mount({...base, every_ms: 1000, after_ms: 30}, () => ({seq: 6, here: 'h1'}));
  await sleep(80);
  w.cleanup();
  assert.deepEqual(w.woken, [['news', 'seq']], 'asked at 30 ms, long before the 1 s tick');
});

test('two watchers of a page share one question and each watches its own number', async () => {
  const w = mount({...base, what: 'seq'}, () => ({seq: 5, here: 'h2'}));
  const hostB = {dataset: {}};
  const wokenB = [];
  const cleanupB = watcher({data: {...base, what: 'here'}, parentElement: {host: hostB},
    setTriggerValue: (name, value) => wokenB.push(value.split(':')[0])});
  await sleep(45);
  w.cleanup();
  cleanupB();
  assert.deepEqual(w.woken, [], 'the news watcher ignores presence');
  assert.deepEqual(wokenB, ['here'], 'the presence watcher wakes on it');
  assert.ok(w.asked.length <= 5, `one question per tick for both, not ${w.asked.length}`);
});
