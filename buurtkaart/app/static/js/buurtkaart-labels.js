/*
 * buurtkaart street labels: names of streets, squares, parks and the canal on the offline basemap.
 *
 * Loaded after buurtkaart-map.js; BuurtkaartMap.render calls BuurtkaartLabels.add(map, data,
 * overlays) when data.labels is set (see buurtkaart.views.map_layers.label_rows).
 * Rules: only at zoom >= data.labels.minZoom (16); one label per run (the Python side merged the
 * connected ways of one street into runs); a line label sits on the straightest stretch near
 * the middle of its run, rotated along it and kept upright; no two labels overlap (oriented
 * boxes, greedy by priority: major streets, water, squares, parks, streets, paths; longer runs
 * first); the same name again only far from its first label. Re-placed on every zoom.
 * The text is HTML-escaped by the Python side. Under Node (tests/js/) the pure helpers are exported.
 *
 * Copyright (C) the buurtkaart contributors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
(function () {
  'use strict';

  var KINDS = ['major', 'water', 'square', 'green', 'minor', 'path'];
  var FONTS = {
    major: '600 12px "DejaVu Sans", sans-serif', minor: '11px "DejaVu Sans", sans-serif',
    path: '10px "DejaVu Sans", sans-serif', water: 'italic 12px "DejaVu Sans", sans-serif',
    green: 'italic 11px "DejaVu Sans", sans-serif', square: 'italic 600 11px "DejaVu Sans", sans-serif'
  };
  var HEIGHT = 14, PAD = 3, MAX_DEV = 3, SAME_NAME_GAP = 160;
  var CSS = [
    '.bk-labels{position:absolute;left:0;top:0;pointer-events:none}',
    '.bk-l{position:absolute;white-space:nowrap;line-height:14px;color:#4a4a4a;',
    ' text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff;transform-origin:50% 50%}',
    '.bk-l-water{color:#2f6aa3}', '.bk-l-green{color:#3d7033}', '.bk-l-square{color:#5b5146}',
    '.bk-l-path{color:#707070}'
  ].concat(Object.keys(FONTS).map(function (k) { return '.bk-l-' + k + '{font:' + FONTS[k] + '}'; }))
    .join('\n');

  function dist(a, b) { return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])); }

  function cumulative(pts) {
    var cum = [0];
    for (var i = 1; i < pts.length; i++) { cum.push(cum[i - 1] + dist(pts[i - 1], pts[i])); }
    return cum;
  }

  // the point at distance d along the polyline
  function pointAt(pts, cum, d) {
    for (var i = 1; i < pts.length; i++) {
      if (cum[i] >= d) {
        var seg = cum[i] - cum[i - 1], f = seg ? (d - cum[i - 1]) / seg : 0;
        return [pts[i - 1][0] + f * (pts[i][0] - pts[i - 1][0]), pts[i - 1][1] + f * (pts[i][1] - pts[i - 1][1])];
      }
    }
    return pts[pts.length - 1];
  }

  // largest distance of the vertices strictly between distances a and b from the chord pa-pb
  function deviation(pts, cum, a, b, pa, pb) {
    var len = dist(pa, pb), worst = 0;
    if (!len) { return Infinity; }
    for (var i = 0; i < pts.length; i++) {
      if (cum[i] <= a || cum[i] >= b) { continue; }
      var d = Math.abs((pb[0] - pa[0]) * (pa[1] - pts[i][1]) - (pa[0] - pts[i][0]) * (pb[1] - pa[1])) / len;
      worst = Math.max(worst, d);
    }
    return worst;
  }

  function upright(deg) { return deg > 90 ? deg - 180 : deg < -90 ? deg + 180 : deg; }

  /**
   * Where a label of width w fits on a polyline (pixel points): the straightest stretch nearest
   * the middle. Returns {x, y, angle} (centre, degrees, upright) or null when the run is too short
   * or too bent everywhere.
   */
  function lineAnchor(pts, w) {
    var cum = cumulative(pts), total = cum[cum.length - 1];
    if (total < w + 2 * PAD) { return null; }
    var mid = total / 2, step = Math.max(6, w / 4), n = Math.ceil(mid / step);
    for (var k = 0; k <= 2 * n; k++) {
      var c = mid + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * step;
      var a = c - w / 2, b = c + w / 2;
      if (a < 0 || b > total) { continue; }
      var pa = pointAt(pts, cum, a), pb = pointAt(pts, cum, b);
      if (deviation(pts, cum, a, b, pa, pb) > MAX_DEV) { continue; }
      var angle = upright(Math.atan2(pb[1] - pa[1], pb[0] - pa[0]) * 180 / Math.PI);
      return {x: (pa[0] + pb[0]) / 2, y: (pa[1] + pb[1]) / 2, angle: angle};
    }
    return null;
  }

  function box(x, y, w, h, angle) {
    var r = angle * Math.PI / 180;
    return {x: x, y: y, hw: w / 2 + PAD, hh: h / 2 + PAD, ux: [Math.cos(r), Math.sin(r)],
      uy: [-Math.sin(r), Math.cos(r)]};
  }

  function radius(b, axis) {
    return b.hw * Math.abs(b.ux[0] * axis[0] + b.ux[1] * axis[1]) +
      b.hh * Math.abs(b.uy[0] * axis[0] + b.uy[1] * axis[1]);
  }

  /** True when two oriented boxes (from box()) overlap: separating axis test. */
  function overlaps(p, q) {
    var d = [q.x - p.x, q.y - p.y], axes = [p.ux, p.uy, q.ux, q.uy];
    for (var i = 0; i < 4; i++) {
      var ax = axes[i];
      if (Math.abs(d[0] * ax[0] + d[1] * ax[1]) > radius(p, ax) + radius(q, ax)) { return false; }
    }
    return true;
  }

  /**
   * Place labels without overlaps. items: [{kind, text, pts: [[x, y], ...]}] (pts of length 1 = a
   * point label, horizontal); measure(text, kind) -> width in px. Returns the placed labels
   * [{kind, text, x, y, angle, w}] in priority order.
   */
  function placeLabels(items, measure) {
    var order = items.map(function (it, i) {
      var len = it.pts.length > 1 ? cumulative(it.pts)[it.pts.length - 1] : 0;
      return {it: it, i: i, rank: KINDS.indexOf(it.kind), len: len};
    });
    order.sort(function (a, b) { return a.rank - b.rank || b.len - a.len || a.i - b.i; });
    var placed = [], byText = {};
    order.forEach(function (o) {
      var it = o.it, w = measure(it.text, it.kind);
      var at = it.pts.length > 1 ? lineAnchor(it.pts, w) : {x: it.pts[0][0], y: it.pts[0][1], angle: 0};
      if (!at) { return; }
      var b = box(at.x, at.y, w, HEIGHT, at.angle);
      var same = byText[it.text] || [];
      if (same.some(function (s) { return dist([s.x, s.y], [at.x, at.y]) < SAME_NAME_GAP + w; })) { return; }
      if (placed.some(function (p) { return overlaps(p.box, b); })) { return; }
      var label = {kind: it.kind, text: it.text, x: at.x, y: at.y, angle: at.angle, w: w, box: b};
      placed.push(label);
      same.push(label);
      byText[it.text] = same;
    });
    return placed;
  }

  var canvas = null, widths = {};
  function measure(text, kind) {
    var key = kind + '|' + text;
    if (widths[key] === undefined) {
      canvas = canvas || document.createElement('canvas');
      var ctx = canvas.getContext('2d');
      ctx.font = FONTS[kind] || FONTS.minor;
      widths[key] = Math.ceil(ctx.measureText(decode(text)).width);
    }
    return widths[key];
  }

  var decoder = null;
  function decode(s) {
    decoder = decoder || document.createElement('textarea');
    decoder.innerHTML = s;
    return decoder.value;
  }

  // rows: [kind index, text, [lon, lat, lon, lat, ...]] -> items in layer pixels of this zoom
  function items(map, labels) {
    return labels.rows.map(function (r) {
      var pts = [], c = r[2];
      for (var i = 0; i + 1 < c.length; i += 2) {
        var p = map.latLngToLayerPoint([c[i + 1], c[i]]);
        pts.push([p.x, p.y]);
      }
      return {kind: labels.kinds[r[0]], text: r[1], pts: pts};
    });
  }

  function html(l) {
    return '<div class="bk-l bk-l-' + l.kind + '" style="left:' + l.x.toFixed(1) + 'px;top:' +
      l.y.toFixed(1) + 'px;transform:translate(-50%,-50%) rotate(' + l.angle.toFixed(1) + 'deg)">' + l.text + '</div>';
  }

  var LabelLayer = typeof L === 'undefined' ? null : L.Layer.extend({
    initialize: function (labels) { this._labels = labels; },
    onAdd: function (map) {
      this._div = L.DomUtil.create('div', 'bk-labels leaflet-zoom-hide', map.getPane('bkLabels'));
      map.on('zoomend viewreset', this._draw, this);
      this._draw();
    },
    onRemove: function (map) {
      map.off('zoomend viewreset', this._draw, this);
      L.DomUtil.remove(this._div);
    },
    _draw: function () {
      var map = this._map, t0 = performance.now();
      if (map.getZoom() < this._labels.minZoom) { this._div.innerHTML = ''; this.placed = []; return; }
      this.placed = placeLabels(items(map, this._labels), measure);
      this._div.innerHTML = this.placed.map(html).join('');
      this.ms = performance.now() - t0;  // placement + DOM (bench/map.py reads it)
    }
  });

  function add(map, data, overlays) {
    if (!document.getElementById('bk-labels-css')) {
      var style = document.createElement('style');
      style.id = 'bk-labels-css';
      style.textContent = CSS;
      document.head.appendChild(style);
    }
    map.createPane('bkLabels');
    map.getPane('bkLabels').style.zIndex = 350;
    map.getPane('bkLabels').style.pointerEvents = 'none';
    var layer = new LabelLayer(data.labels).addTo(map);
    overlays[data.text.street_names] = layer;
    return layer;
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = {lineAnchor: lineAnchor, overlaps: overlaps, box: box, placeLabels: placeLabels,
      upright: upright, KINDS: KINDS};
  } else {
    window.BuurtkaartLabels = {add: add, version: 1};
  }
})();
