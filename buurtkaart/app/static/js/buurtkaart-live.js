/*
 * buurtkaart live map (issue 15): applies a colleague's edits to the mounted map.
 *
 * Loaded after buurtkaart-map.js. The Kaart page keeps the map it drew first (the "base") and
 * sends every later state as a small delta against it: new or changed actor rows, removed
 * actor ids, the actor-actor links when they changed and the hidden place ids (see
 * buurtkaart.views.map_delta). streamlit-folium evaluates the delta script in the mounted frame
 * (its feature_group_to_add), which calls BuurtkaartLive.update(map, delta): the frame is not
 * reloaded, so the worker keeps zoom, pan and an open popup.
 * Under Node (tests/js/) the pure helpers are exported.
 *
 * Copyright (C) the buurtkaart contributors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
(function () {
  'use strict';

  var P = typeof window !== 'undefined' && window.BuurtkaartMap ? window.BuurtkaartMap.parts : {};

  // Live map (issue 15): a colleague's edit reaches the mounted map as a delta against the
  // rows drawn first (streamlit-folium evaluates it in the frame, see views/mapview.py), so
  // the frame is not reloaded: zoom, pan and an open popup stay. Each delta is against the
  // FIRST rows, so records a previous delta touched and this one does not go back to those.
  function planDelta(base, applied, delta) {
    var touched = {}, upsert = [], remove = [];
    (delta.actors || []).forEach(function (a) { touched[a[0]] = 1; upsert.push(a); });
    (delta.removed || []).forEach(function (id) { touched[id] = 1; remove.push(id); });
    applied.forEach(function (id) {
      if (touched[id]) { return; }
      if (base[id]) { upsert.push(base[id]); } else { remove.push(id); }
    });
    return {upsert: upsert, remove: remove, applied: Object.keys(touched)};
  }

  // Place ids to take out of the cluster and to put back, from the hidden ids before and now.
  function planHidden(before, now) {
    var was = {}, is = {};
    before.forEach(function (id) { was[id] = 1; });
    now.forEach(function (id) { is[id] = 1; });
    return {hide: now.filter(function (id) { return !was[id]; }),
      show: before.filter(function (id) { return !is[id]; })};
  }

  function sameRow(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function setActor(bk, a) {
    var v = bk.data.vocab, entry = bk.actors[a[0]], key = (a[4].length ? a[4][0] : -1) + 1;
    var g = bk.groups[key] = bk.groups[key] || L.featureGroup().addTo(bk.map);
    if (entry && sameRow(entry.row, a)) { return; }
    if (!entry) {
      entry = bk.actors[a[0]] = {row: a, group: g};
      entry.marker = P.actorMarker(entry, v, bk.icons).addTo(g);
      entry.search = {label: a[3], marker: entry.marker, place: false};
      bk.index.push(entry.search);
    } else {
      entry.row = a;
      if (entry.group !== g) { entry.group.removeLayer(entry.marker); entry.marker.addTo(g); }
      entry.marker.setLatLng([a[1], a[2]]).setIcon(P.actorIcon(a, v, bk.icons));
      entry.marker.setTooltipContent(P.actorTooltip(a, v));
      if (entry.marker.isPopupOpen()) { entry.marker.getPopup().update(); }
      entry.search.label = a[3]; entry.search.text = undefined;
    }
    entry.group = g;
    setRelation(bk, a);
  }

  function setRelation(bk, a) {
    if (!bk.data.org) { return; }
    if (!bk.relations) { bk.relations = L.featureGroup().addTo(bk.map); }
    var line = bk.lineOf[a[0]];
    if (line) { bk.relations.removeLayer(line); }
    bk.lineOf[a[0]] = P.relationLine(bk.data.org, a, bk.data.vocab, bk.renderer).addTo(bk.relations);
  }

  function dropActor(bk, id) {
    var entry = bk.actors[id];
    if (!entry) { return; }
    entry.group.removeLayer(entry.marker);
    bk.index.splice(bk.index.indexOf(entry.search), 1);
    delete bk.actors[id];
    if (bk.lineOf[id]) { bk.relations.removeLayer(bk.lineOf[id]); delete bk.lineOf[id]; }
  }

  function setLinks(bk, rows) {
    if (!bk.links) {
      bk.links = L.featureGroup();
      if (bk.data.showLinks) { bk.links.addTo(bk.map); }
    }
    bk.links.clearLayers();
    P.fillLinks(bk.links, rows, bk.renderer);
  }

  function update(map, delta) {
    var bk = map._bk;
    if (!bk) { return null; }
    var plan = planDelta(bk.base, bk.applied, delta);
    plan.remove.forEach(function (id) { dropActor(bk, id); });
    plan.upsert.forEach(function (a) { setActor(bk, a); });
    bk.applied = plan.applied;
    setLinks(bk, delta.links || bk.data.links);
    var hidden = planHidden(bk.hidden, delta.hide || []);
    if (bk.cluster) {
      bk.cluster.removeLayers(hidden.hide.map(function (id) { return bk.placeOf[id]; }).filter(Boolean));
      bk.cluster.addLayers(hidden.show.map(function (id) { return bk.placeOf[id]; }).filter(Boolean));
    }
    bk.hidden = delta.hide || [];
    bk.updates += 1;
    return plan;
  }

  // A map drawn again (a new base: language, layers, filters) keeps the worker's view per
  // page and map for the tab instead of fitting it again.
  function safely(fn, fallback) {
    try { return fn(); } catch (err) { window.console.debug('buurtkaart view', err); return fallback; }
  }

  function viewKey(data) {
    var page = safely(function () {
      var frames = Array.prototype.slice.call(window.parent.document.querySelectorAll('iframe'));
      return window.parent.location.pathname + '#' + frames.indexOf(window.frameElement);
    }, '');
    return 'bk-view:' + page + ':' + (data.org ? data.org.id : '');
  }

  function keepView(map, data) {
    var key = viewKey(data);
    var saved = safely(function () { return JSON.parse(window.sessionStorage.getItem(key) || 'null'); }, null);
    if (saved && saved.length === 3) {
      map.setView([saved[0], saved[1]], saved[2], {animate: false});
    } else if (data.fit) {
      map.fitBounds(data.fit, {maxZoom: 17, animate: false});
    }
    map.on('moveend', function () {
      var c = map.getCenter();
      safely(function () { window.sessionStorage.setItem(key, JSON.stringify([c.lat, c.lng, map.getZoom()])); }, null);
    });
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = {planDelta: planDelta, planHidden: planHidden, sameRow: sameRow};
  } else {
    window.BuurtkaartLive = {update: update, keepView: keepView, version: 1};
  }
})();
