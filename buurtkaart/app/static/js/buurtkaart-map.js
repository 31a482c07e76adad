/*
 * buurtkaart map client: draws the layers of one map from compact JSON rows.
 *
 * Loaded after Leaflet and Leaflet.markercluster (vendored under static/vendor/). Called by the
 * script that buurtkaart.views.mapview emits:  BuurtkaartMap.render(map, data).
 * All text in `data` is already HTML-escaped by the Python side.
 * Under Node (tests/js/), the file exports its pure helpers instead (module.exports).
 *
 * Copyright (C) the buurtkaart contributors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
(function () {
  'use strict';

  var BASE_STYLES = {
    major: {color: '#b3b3b3', weight: 3.2},
    minor: {color: '#cdcdcd', weight: 1.6},
    path: {color: '#d9d9d9', weight: 1, dashArray: '2 3'},
    water: {color: '#a9c8e8', weight: 0.5, fillColor: '#c6dcef', fillOpacity: 1},
    green: {color: '#c5deb5', weight: 0.5, fillColor: '#dcebd2', fillOpacity: 1},
    landuse: {color: '#e3e3e3', weight: 0.5, fillColor: '#ededeb', fillOpacity: 0.8}
  };

  function addBasemap(map, data, overlays) {
    map.createPane('bkBase');
    map.getPane('bkBase').style.zIndex = 250;
    map.getContainer().classList.add('bk-offline');
    var renderer = L.canvas({pane: 'bkBase', padding: 0.5});
    var layer = L.geoJSON(data.basemap, {
      pane: 'bkBase', renderer: renderer, interactive: false,
      style: function (f) { return BASE_STYLES[f.properties.cls] || BASE_STYLES.minor; }
    }).addTo(map);
    overlays[data.text.basemap] = layer;
  }

  function addArea(map, data, overlays) {
    var a = data.area;
    var style = {color: '#1f2a44', weight: 2, dashArray: '6 6', fill: false, interactive: false};
    var layer = a.type === 'circle'
      ? L.circle([a.lat, a.lon], L.extend({radius: a.radius}, style))
      : L.geoJSON(a.geometry, {style: style, interactive: false});
    layer.addTo(map);
    overlays[data.text.area + (a.label ? ' (' + a.label + ')' : '')] = layer;
  }

  // an unnamed place is called by its category: "Publieke ruimte (zonder naam)"
  function unnamedLabel(cat, unnamed) { return unnamed ? cat.label + ' ' + unnamed : cat.label; }

  function placePopup(row, cats, unnamed) {
    var cat = cats[row[2]];
    var html = '<div class="bk-popup" data-bk-id="' + row[6] + '"><h3>' + (row[3] || unnamedLabel(cat, unnamed)) +
      '</h3>';
    if (row[4]) { html += '<div class="bk-sub">NL: ' + row[4] + '</div>'; }
    if (row[5]) { html += '<div class="bk-sub">FR: ' + row[5] + '</div>'; }
    html += '<div>' + cat.icon + ' ' + cat.label + '</div>';
    if (row[7]) { html += '<div class="bk-sub">' + row[7] + '</div>'; }
    return html + '<div class="bk-id">' + row[6] + '</div></div>';
  }

  function placeTooltip(row, cats, unnamed) {
    var cat = cats[row[2]];
    if (!row[3] && !row[4] && !row[5]) { return unnamedLabel(cat, unnamed); }
    var name = row[4] && row[5] ? row[4] + ' / ' + row[5] : row[3] || row[4] || row[5];
    return name + ' · ' + cat.label;
  }

  // A layer-control entry for one category: adds/removes its markers to the cluster.
  // Its markers are already in the cluster when it is first added to the map.
  // (Only in a browser: under Node there is no Leaflet and only the pure helpers are used.)
  var CategoryLayer = typeof L === 'undefined' ? null : L.Layer.extend({
    initialize: function (cluster, markers) {
      this._cluster = cluster; this._markers = markers; this._loaded = true;
    },
    onAdd: function () {
      if (!this._loaded) { this._cluster.addLayers(this._markers); }
      this._loaded = false;
    },
    onRemove: function () { this._cluster.removeLayers(this._markers); }
  });

  function addPlaces(map, data, overlays, index, placeOf) {
    var cats = data.categories;
    var cluster = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
      spiderfyOnMaxZoom: true, disableClusteringAtZoom: 19,
      iconCreateFunction: function (c) {
        var n = c.getChildCount();
        var size = n < 10 ? 30 : n < 100 ? 36 : 42;
        return L.divIcon({html: '<div><span>' + n + '</span></div>',
          className: 'marker-cluster bk-cluster', iconSize: L.point(size, size)});
      }
    });
    var icons = cats.map(function (c) {
      return L.divIcon({className: 'bk-p-icon', iconSize: [18, 18],
        html: '<div class="bk-p" style="border-color:' + c.color + '">' + c.icon + '</div>'});
    });
    var byCat = cats.map(function () { return []; });
    data.places.forEach(function (row) {
      var icon = icons[row[2]];
      if (row[8]) {
        var c = cats[row[2]];
        icon = L.divIcon({className: 'bk-p-icon', iconSize: [18, 18],
          html: '<div class="bk-p bk-hl-' + row[8] + '" style="border-color:' + c.color + '">' + c.icon + '</div>'});
      }
      var m = L.marker([row[0], row[1]], {icon: icon, keyboard: false, bkId: row[6], bkRow: row});
      byCat[row[2]].push(m);
      placeOf[row[6]] = m;
      index.push({label: row[3] || '', extra: row[4] + ' ' + row[5], marker: m, place: true});
    });
    cluster.on('mouseover', function (e) {
      var m = e.layer;
      if (m && m.options.bkRow && !m.getTooltip()) {
        m.bindTooltip(placeTooltip(m.options.bkRow, cats, data.text.unnamed)).openTooltip();
      }
    });
    cluster.on('click', function (e) {
      var m = e.layer;
      if (m && m.options.bkRow && !m.getPopup()) {
        m.bindPopup(placePopup(m.options.bkRow, cats, data.text.unnamed)).openPopup();
      }
    });
    cluster.addTo(map);
    // one addLayers call: markercluster clusters in 200 ms chunks and the page stays live
    cluster.addLayers([].concat.apply([], byCat));
    cats.forEach(function (c, i) {
      if (!byCat[i].length) { return; }
      var toggle = new CategoryLayer(cluster, byCat[i]).addTo(map);
      overlays['<span class="bk-sw" style="background:' + c.color + '"></span>' + c.icon + ' ' +
        c.label + ' (' + byCat[i].length + ')'] = toggle;
    });
    return cluster;
  }

  // Actor rows: [id, lat, lon, name, [role idx], kind idx, flags, strength, status idx,
  //              leaning idx, contact person, last contact, highlight]; see map_layers.py.
  var FORMAL = 1, OPPONENT = 2, COARSE = 4;

  function roleColor(a, v) { return a[4].length ? v.roles[a[4][0]][2] : '#636363'; }

  function actorIcon(a, v, cache) {
    var shape = v.kinds[a[5]] ? v.kinds[a[5]][2] : 'circle';
    var cls = 'bk-a bk-' + shape + (a[6] & FORMAL ? '' : ' bk-informal') +
      (a[6] & OPPONENT ? ' bk-opp' : '') + (a[6] & COARSE ? ' bk-coarse' : '') +
      (a[12] ? ' bk-hl-' + a[12] : '');
    var color = roleColor(a, v), key = cls + color;
    if (!cache[key]) {
      cache[key] = L.divIcon({className: 'bk-a-icon', iconSize: [20, 20],
        html: '<div class="' + cls + '" style="--c:' + color + '"></div>'});
    }
    return cache[key];
  }

  function actorPopup(a, v) {
    var lines = [v.kinds[a[5]] ? v.kinds[a[5]][1] : '',
      a[4].map(function (r) { return v.roles[r][1]; }).join(', '),
      a[7] >= 0 ? v.strengths[a[7]][0] : '', a[8] >= 0 ? v.statuses[a[8]][1] : '',
      a[9] >= 0 ? v.leanings[a[9]][1] : '', a[10], a[11]];
    var html = '<div class="bk-popup" data-bk-id="' + a[0] + '"><h3>' + a[3] + '</h3>';
    lines.forEach(function (t) { if (t) { html += '<div class="bk-sub">' + t + '</div>'; } });
    return html + '</div>';
  }

  function relationStyle(a, v) {
    return {weight: v.strengths[Math.max(a[7], 0)][1],
      color: a[8] >= 0 ? v.statuses[a[8]][2] : '#969696',
      dashArray: a[9] >= 0 && v.leanings[a[9]][2] ? v.leanings[a[9]][2] : null};
  }

  function relationLine(org, a, v, renderer) {
    return L.polyline([[org.lat, org.lon], [a[1], a[2]]], L.extend({renderer: renderer,
      interactive: false, opacity: 0.8, bkId: a[0]}, relationStyle(a, v)));
  }

  function addRelations(map, data, overlays, renderer, lineOf) {
    var lines = L.featureGroup(), org = data.org, v = data.vocab;
    data.actors.forEach(function (a) {
      lineOf[a[0]] = relationLine(org, a, v, renderer).addTo(lines);
    });
    lines.addTo(map);
    overlays[data.text.relations] = lines;
    return lines;
  }

  function fillLinks(lines, rows, renderer) {
    rows.forEach(function (r) {
      L.polyline([[r[0], r[1]], [r[2], r[3]]], {renderer: renderer, interactive: false,
        weight: r[4], color: '#6a3d9a', dashArray: '1 5', opacity: 0.9}).addTo(lines);
    });
  }

  function addLinks(map, data, overlays, renderer) {
    var lines = L.featureGroup();
    fillLinks(lines, data.links, renderer);
    if (data.showLinks) { lines.addTo(map); }
    overlays[data.text.links] = lines;
    return lines;
  }

  function actorTooltip(a, v) { return a[3] + (a[4].length ? ' · ' + v.roles[a[4][0]][1] : ''); }

  // One actor marker; its popup and tooltip read entry.row, so a live change updates them.
  function actorMarker(entry, v, icons) {
    var a = entry.row;
    var m = L.marker([a[1], a[2]], {icon: actorIcon(a, v, icons), keyboard: false,
      riseOnHover: true, zIndexOffset: 500, bkId: a[0]});
    m.bindTooltip(actorTooltip(a, v));
    m.bindPopup(function () { return actorPopup(entry.row, v); });
    return m;
  }

  function addActors(map, data, overlays, index, byId) {
    var groups = [], v = data.vocab, icons = {}, none = -1;
    data.actors.forEach(function (a) {
      var key = a[4].length ? a[4][0] : none;
      var g = groups[key + 1] = groups[key + 1] || L.featureGroup();
      var entry = byId[a[0]] = {row: a, group: g};
      entry.marker = actorMarker(entry, v, icons).addTo(g);
      entry.search = {label: a[3], marker: entry.marker, place: false};
      index.push(entry.search);
    });
    groups.forEach(function (g, i) {
      if (!g) { return; }
      var color = i ? v.roles[i - 1][2] : '#636363';
      var label = i ? v.roles[i - 1][1] : data.text.no_role;
      g.addTo(map);
      overlays['<span class="bk-sw" style="background:' + color + '"></span>' + label +
        ' (' + g.getLayers().length + ')'] = g;
    });
    return {groups: groups, icons: icons};
  }

  function addOrg(map, data) {
    var o = data.org;
    var m = L.marker([o.lat, o.lon], {zIndexOffset: 1000, keyboard: false, bkId: o.id,
      icon: L.divIcon({className: 'bk-org-icon', iconSize: [28, 28], html: '<div class="bk-org"></div>'})});
    m.bindTooltip(o.name).bindPopup('<div class="bk-popup"><h3>' + o.name + '</h3><div class="bk-sub">' +
      o.address + '</div></div>');
    m.addTo(map);
  }

  function legendRow(sample, label) {
    return '<div class="bk-row">' + sample + '<span>' + label + '</span></div>';
  }

  function lineSample(color, width, dash) {
    return '<svg width="30" height="10"><line x1="0" y1="5" x2="30" y2="5" stroke="' + color +
      '" stroke-width="' + width + '"' + (dash ? ' stroke-dasharray="' + dash + '"' : '') + '/></svg>';
  }

  function addLegend(map, data) {
    var t = data.text, v = data.vocab, present = {};
    data.actors.forEach(function (a) { if (a[4].length) { present[a[4][0]] = 1; } });
    var size = map.getSize(), open = size.y >= 650 && size.x >= 700 ? ' open' : '';  // small: folded
    var html = '<details' + open + '><summary>' + t.legend + '</summary>';
    html += legendRow('<div class="bk-org"></div>', t.org);
    if (data.categories.length) { html += '<h4>' + t.candidates + '</h4>'; }
    data.categories.forEach(function (c) {
      html += legendRow('<div class="bk-p" style="border-color:' + c.color + '">' + c.icon + '</div>', c.label);
    });
    var roles = v.roles.filter(function (r, i) { return present[i]; });
    if (roles.length) {
      html += '<h4>' + t.roles + '</h4>';
      roles.forEach(function (r) {
        html += legendRow('<div class="bk-a bk-circle" style="--c:' + r[2] + '"></div>', r[1]);
      });
    }
    html += '<h4>' + t.kinds + '</h4>';
    v.kinds.forEach(function (k) {
      html += legendRow('<div class="bk-a bk-' + k[2] + '" style="--c:#bbb"></div>', k[1]);
    });
    html += legendRow('<div class="bk-a bk-circle" style="--c:#bbb"></div>', t.formal);
    html += legendRow('<div class="bk-a bk-circle bk-informal" style="--c:#bbb"></div>', t.informal);
    var opp = v.leanings.filter(function (l) { return l[0] === 'opponent'; })[0];
    html += legendRow('<div class="bk-a bk-circle bk-opp" style="--c:#bbb"></div>', opp[1]);
    html += '<h4>' + t.relations + '</h4>';
    v.statuses.forEach(function (s) { html += legendRow(lineSample(s[2], 3, ''), s[1]); });
    v.leanings.forEach(function (s) { html += legendRow(lineSample('#555', 2, s[2]), s[1]); });
    v.strengths.forEach(function (s) { html += legendRow(lineSample('#555', s[1], ''), s[0]); });
    html += '</details>';
    var ctl = L.control({position: 'bottomleft'});
    ctl.onAdd = function () {
      var div = L.DomUtil.create('div', 'bk-legend');
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    ctl.addTo(map);
    var div = ctl.getContainer();
    // the open legend scrolls inside the map: never taller or wider than the room left
    // beside the zoom/search controls (top) and the scale bar (bottom)
    function fit() {
      var box = legendBox(map.getSize());
      div.style.maxHeight = box.h + 'px';
      div.style.maxWidth = box.w + 'px';
    }
    map.on('resize', fit);
    fit();
  }

  function legendBox(size) {
    return {h: Math.max(100, size.y - 180), w: Math.max(150, Math.min(320, size.x - 70))};
  }

  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function addSearch(map, data, index, cluster) {
    var ctl = L.control({position: 'topleft'});
    ctl.onAdd = function () {
      var div = L.DomUtil.create('div', 'bk-search leaflet-bar');
      var listId = 'bk-search-list-' + L.stamp(map);
      div.innerHTML = '<input type="search" autocomplete="off" placeholder="' + data.text.search +
        '" aria-label="' + data.text.search + '" list="' + listId + '"><datalist id="' + listId + '"></datalist>';
      var input = div.querySelector('input'), list = div.querySelector('datalist');
      var filled = false;
      input.addEventListener('focus', function () {
        if (filled) { return; }
        filled = true;
        var seen = {}, parts = [];
        index.forEach(function (e) {
          if (e.label && !seen[e.label]) { seen[e.label] = 1; parts.push('<option value="' + e.label + '">'); }
        });
        list.innerHTML = parts.join('');
      });
      var lastQ = '';
      function go(ev) {
        var q = fold(input.value.trim());
        // "change" also fires after Enter and on blur: run a query once unless Enter is pressed
        if (!q || (q === lastQ && ev.type === 'change')) { return; }
        lastQ = q;
        index.forEach(textOf);
        var hit = index.find(function (e) { return e.text === q; }) ||
          index.find(function (e) { return e.text.indexOf(q) !== -1 || e.more.indexOf(q) !== -1; });
        if (!hit) { input.style.background = '#ffe0e0'; return; }
        input.style.background = '';
        var m = hit.marker;
        if (hit.place) {
          cluster.zoomToShowLayer(m, function () { m.fire('click', {latlng: m.getLatLng()}, true); });
        } else {
          map.setView(m.getLatLng(), Math.max(map.getZoom(), 17));
          m.fire('click', {latlng: m.getLatLng()}, true);  // opens the popup, tells the app
        }
      }
      input.addEventListener('change', go);
      input.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { go(ev); } });
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    ctl.addTo(map);
  }

  function textOf(e) {
    if (e.text === undefined) { e.text = fold(decode(e.label)); e.more = fold(decode(e.extra || '')); }
  }

  var decoder = null;
  function decode(s) {
    decoder = decoder || document.createElement('textarea');
    decoder.innerHTML = s;
    return decoder.value;
  }

  function render(map, data) {
    var timing = {}, last = performance.now();
    function lap(name) { var now = performance.now(); timing[name] = now - last; last = now; }
    L.Icon.Default.imagePath = data.assetBase + '/vendor/leaflet/images/';
    if (!map.options.maxZoom) { map.setMaxZoom(data.maxZoom); }
    map.attributionControl.addAttribution(data.attribution);
    var overlays = {}, index = [], cluster = null, relations = null, links = null;
    var renderer = L.canvas({padding: 0.5}), lineOf = {}, byId = {}, placeOf = {};
    if (window.BuurtkaartLive) {  // a redrawn map keeps the worker's view (issue 15)
      window.BuurtkaartLive.keepView(map, data);
    } else if (data.fit) {
      map.fitBounds(data.fit, {maxZoom: 17, animate: false});
    }
    if (data.basemap) { addBasemap(map, data, overlays); }
    if (data.labels && window.BuurtkaartLabels) { window.BuurtkaartLabels.add(map, data, overlays); }
    if (data.area) { addArea(map, data, overlays); }
    lap('basemap');
    if (data.org && data.actors.length) { relations = addRelations(map, data, overlays, renderer, lineOf); }
    if (data.links.length) { links = addLinks(map, data, overlays, renderer); }
    lap('lines');
    var drawn = addActors(map, data, overlays, index, byId);
    if (data.org) { addOrg(map, data); }
    lap('actors');
    if (data.places.length) { cluster = addPlaces(map, data, overlays, index, placeOf); }
    lap('places');
    L.control.layers(null, overlays, {collapsed: data.collapsed, position: 'topright'}).addTo(map);
    addLegend(map, data);
    addSearch(map, data, index, cluster);
    lap('controls');
    var base = {};
    data.actors.forEach(function (a) { base[a[0]] = a; });
    map._bk = {cluster: cluster, index: index, overlays: overlays, timing: timing, map: map,
      data: data, base: base, applied: [], hidden: [], actors: byId, groups: drawn.groups,
      icons: drawn.icons, lineOf: lineOf, relations: relations, links: links,
      placeOf: placeOf, renderer: renderer, updates: 0};
    return map._bk;
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = {fold: fold, placePopup: placePopup, placeTooltip: placeTooltip,
      roleColor: roleColor, actorPopup: actorPopup, relationStyle: relationStyle,
      legendRow: legendRow, lineSample: lineSample, legendBox: legendBox,
      actorIcon: actorIcon, actorTooltip: actorTooltip};
  } else {
    // the live map (buurtkaart-live.js) redraws single actors and lines with these
    window.BuurtkaartMap = {render: render, version: 2, parts: {actorMarker: actorMarker,
      actorIcon: actorIcon, actorTooltip: actorTooltip, relationLine: relationLine,
      fillLinks: fillLinks}};
  }
})();
