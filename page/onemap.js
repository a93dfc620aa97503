// The one map (一张图) of onemap: builds the Leaflet map from ONEMAP_CONFIG (config.js)
// and ONEMAP_STREETS (streets.js), both written by sp-onemap. Works from file:// (every
// input is a script) and from any static web server; the only requests that leave the
// page are the base map's, when one is configured.
(function () {
  'use strict';
  var cfg = window.ONEMAP_CONFIG;
  var streets = window.ONEMAP_STREETS || null;
  var st = document.getElementById('status');

  // ---- numbers and labels --------------------------------------------------------
  function fmt(v) {
    if (v === null || v === undefined) return '–';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(3);
    return String(+v.toPrecision(4));
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c];
    });
  }
  // what sp-score writes, first and named; every other field follows under "all fields"
  var KEY_ROWS = [
    ['rank', '排名 rank'], ['score', '得分 score'], ['selected', '入选 selected'],
    ['stability', '稳定性 stability'], ['eligible', '符合条件 eligible'],
    ['dc_pm25_ugm3', 'PM2.5 削减 cut µg/m³ (街道均值 street mean)'],
    ['dc_pm25_exposure', 'PM2.5 削减 cut µg/m³ (人口加权 where people live)'],
    ['p_1ug', 'P(削减 cut ≥ 1 µg/m³)'],
    ['one_microgram', '一微克 one-microgram'], ['station_pm25', '站点 PM2.5 µg/m³'],
    ['reason', '理由 reason'], ['ug_reason', '一微克说明 µg reason']
  ];

  // ---- the map -------------------------------------------------------------------
  var map = L.map('map', {zoomControl: true});
  var b = cfg.bounds;
  map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
  L.control.scale({imperial: false}).addTo(map);
  if (cfg.attribution) map.attributionControl.addAttribution(esc(cfg.attribution));
  if (cfg.basemap) {
    var bo = {maxZoom: 20, attribution: cfg.basemap.attribution ? esc(cfg.basemap.attribution) : ''};
    if (cfg.basemap.subdomains) bo.subdomains = cfg.basemap.subdomains;
    L.tileLayer(cfg.basemap.url, bo).addTo(map);
  }

  // ---- tile layers, counted for the status element ---------------------------------
  var counts = {}, active = {}, bases = {}, overlays = {}, byName = {}, groups = {};
  var loaded = 0, failed = 0;
  cfg.layers.forEach(function (l, i) {
    var lb = l.bounds;
    var t = L.tileLayer(l.path + '/{z}/{x}/{y}.png', {
      minNativeZoom: l.minzoom, maxNativeZoom: l.maxzoom, maxZoom: Math.max(l.maxzoom + 3, 18),
      bounds: [[lb[1], lb[0]], [lb[3], lb[2]]], opacity: cfg.basemap ? 0.75 : 1,
      zIndex: l.overlay ? 10 + i : 1
    });
    counts[l.name] = [0, 0];
    t.on('tileload', function () { loaded++; counts[l.name][0]++; show(); });
    t.on('tileerror', function () { failed++; counts[l.name][1]++; show(); });
    t.onemap = l;
    byName[l.name] = t;
    if (l.group) { // a month of a -months layer: one entry, its month chosen by the slider
      var g = groups[l.group] || (groups[l.group] = {lg: L.layerGroup(), months: {}, month: 0});
      g.months[l.month] = t;
      if (!g.month) { g.month = l.month; g.lg.addLayer(t); }
      bases[l.group] = g.lg;
    } else {
      (l.overlay ? overlays : bases)[l.name] = t;
    }
  });
  // the month slider of a -months layer, shown while it is the base layer
  function activeGroup() {
    return Object.keys(groups).filter(function (n) { return map.hasLayer(groups[n].lg); })[0];
  }
  function setMonth(name, m) {
    var g = groups[name];
    if (!g || !g.months[m] || g.month === m) return;
    g.lg.clearLayers();
    g.month = m;
    g.lg.addLayer(g.months[m]);
    map.fire('baselayerchange', {layer: g.lg, name: name}); // legend, readout, status
  }

  // a popup no wider or taller than the screen leaves room for (a phone: 390 x 844)
  var phone = window.innerWidth < 600;
  function popupSize(w, h) {
    // on a phone the popup is panned below the controls at the top (zoom, title, search,
    // layers, opacity) and above the panel at the bottom
    return {maxWidth: Math.min(w, window.innerWidth - 60), minWidth: Math.min(200, window.innerWidth - 80),
            maxHeight: Math.min(h, Math.round(window.innerHeight * (phone ? 0.42 : 0.5))),
            autoPanPaddingTopLeft: phone ? [10, 190] : [10, 10],
            autoPanPaddingBottomRight: phone ? [10, 60] : [10, 10]};
  }
  // what the share link holds: the street whose popup is open (set below)
  var shown = {street: ''};
  function writeHash() {} // replaced once the map is built

  // ---- streets: polygons, labels, popups -----------------------------------------
  var S = cfg.streets, streetLayer = null, labels = L.layerGroup(), index = [];
  function truthy(v) {
    return v !== null && v !== undefined && v !== 0 && v !== '0' && v !== '';
  }
  function isSelected(p) {
    return S && S.select ? truthy(p[S.select]) : false;
  }
  // the one-microgram test, where sp-score ran one: null when the table has no such column
  function passes(p) {
    return 'one_microgram' in p ? truthy(p.one_microgram) : null;
  }
  // the 0/1 fields sp-score writes are read as 是/否 (yes/no), not as numbers
  var YESNO = {selected: 1, eligible: 1, one_microgram: 1};
  function yesno(v) { return truthy(v) ? '是 yes' : '否 no'; }
  function rows(obj, keys) {
    return keys.map(function (k) {
      var v = obj[k[0]];
      return '<tr><th>' + esc(k[1]) + '</th><td>' +
             esc(YESNO[k[0]] && v !== null && v !== undefined ? yesno(v) : fmt(v)) + '</td></tr>';
    }).join('');
  }
  function popupHtml(p) {
    var name = p[S.label], code = p[S.id], used = {_label: 1, _tables: 1};
    used[S.label] = used[S.id] = 1;
    var key = KEY_ROWS.filter(function (k) { return k[0] in p; });
    key.forEach(function (k) { used[k[0]] = 1; });
    if ('dc_pm25_lo' in p && 'dc_pm25_hi' in p) {
      used.dc_pm25_lo = used.dc_pm25_hi = 1;
      key.splice(key.findIndex(function (k) { return k[0] === 'p_1ug'; }) + 1 || key.length, 0,
                 ['_range', 'ΔPM2.5 10–90 % 范围 range']);
      p._range = fmt(p.dc_pm25_lo) + ' – ' + fmt(p.dc_pm25_hi);
    }
    var ok = passes(p);
    var h = '<div class="om-popup"><h3>' + esc(name) + ' <small>' + esc(code) + '</small>' +
            (isSelected(p) ? ' <span class="om-badge">入选 selected</span>' : '') +
            (ok === true ? ' <span class="om-badge om-pass">达到一微克 reaches 1 µg/m³</span>'
             : ok === false && isSelected(p) ? ' <span class="om-badge om-short">未达一微克 short of 1 µg/m³</span>'
             : '') + '</h3>' +
            '<table class="om-key">' + rows(p, key) + '</table>';
    Object.keys(p._tables || {}).forEach(function (title, i) {
      var t = p._tables[title];
      h += '<details' + (i < 2 ? ' open' : '') + '><summary>' + esc(title) + '</summary><table>' +
           rows(t, Object.keys(t).map(function (k) { return [k, k]; })) + '</table></details>';
    });
    var rest = Object.keys(p).filter(function (k) { return !used[k] && k !== '_range'; });
    h += '<details><summary>全部字段 all fields (' + rest.length + ')</summary><table>' +
         rows(p, rest.map(function (k) { return [k, k]; })) + '</table></details></div>';
    return h;
  }
  if (streets && S) {
    streetLayer = L.geoJSON(streets, {
      // selected and passing: solid magenta; selected, short of it: dashed; passing but
      // not selected: solid green; the rest: thin grey
      style: function (f) {
        var p = f.properties, sel = isSelected(p), ok = passes(p);
        if (sel && ok !== false)
          return {color: '#d4006a', weight: 3.5, fillColor: '#d4006a', fillOpacity: 0.12,
                  className: 'om-selected' + (ok ? ' om-pass' : '')};
        if (sel)
          return {color: '#d4006a', weight: 2.5, dashArray: '6 5', fillColor: '#d4006a',
                  fillOpacity: 0.04, className: 'om-selected om-short'};
        if (ok)
          return {color: '#1a9850', weight: 3, fillColor: '#1a9850', fillOpacity: 0.08,
                  className: 'om-street om-pass'};
        return {color: '#333', weight: 1.2, fillColor: '#000', fillOpacity: 0, className: 'om-street'};
      },
      onEachFeature: function (f, layer) {
        var p = f.properties, at = p._label ? L.latLng(p._label[0], p._label[1]) : null;
        layer.bindPopup(function () { return popupHtml(p); }, popupSize(420, 380));
        layer.on('popupopen', function () {
          st.dataset.popup = p[S.id];
          shown.street = String(p[S.id]);
          writeHash();
        });
        layer.on('popupclose', function () {
          if (shown.street === String(p[S.id])) { shown.street = ''; writeHash(); }
        });
        if (at) {
          labels.addLayer(L.tooltip({permanent: true, direction: 'center', interactive: false,
                                     className: 'om-label' + (isSelected(p) ? ' om-label-selected' : '')})
                          .setLatLng(at).setContent(esc(p[S.label])));
        }
        index.push({name: String(p[S.label]), code: String(p[S.id]), layer: layer, at: at});
      }
    });
    overlays['街道 streets'] = streetLayer;
  }

  // ---- point sets (-points): key energy units and the like, every field in the popup -
  var pointLayers = [];
  (window.ONEMAP_POINTS || []).forEach(function (set) {
    var layer = L.geoJSON(set.data, {
      pointToLayer: function (f, ll) {
        return L.circleMarker(ll, {radius: 6, color: '#fff', weight: 1.5, fillColor: '#6a3d9a',
                                   fillOpacity: 0.9, className: 'om-point'});
      },
      onEachFeature: function (f, l) {
        l.bindPopup(function () {
          var p = f.properties, keys = Object.keys(p).filter(function (k) { return k[0] !== '_'; });
          var name = keys.map(function (k) { return p[k]; })
                         .find(function (v) { return typeof v === 'string' && v; }) || set.title;
          return '<div class="om-popup"><h3>' + esc(name) + ' <small>' + esc(set.title) +
                 '</small></h3><table>' + rows(p, keys.map(function (k) { return [k, k]; })) +
                 '</table></div>';
        }, popupSize(380, 360));
      }
    });
    overlays[set.title] = layer;
    pointLayers.push(layer);
  });

  // ---- the controls ----------------------------------------------------------------
  var firstBase = Object.keys(bases)[0];
  if (firstBase) bases[firstBase].addTo(map);
  if (streetLayer) streetLayer.addTo(map); // tile overlays (the score...) are switched on by hand
  pointLayers.forEach(function (l) { l.addTo(map); });
  L.control.layers(bases, overlays, {collapsed: phone, position: 'topright'}).addTo(map);
  if (Object.keys(groups).length) {
    var slider = L.control({position: 'topright'});
    slider.onAdd = function () {
      var d = L.DomUtil.create('div', 'om-months');
      d.innerHTML = '<label>月份 month <input id="om-month" type="range" min="1" max="12" step="1" ' +
                    'value="1"> <output id="om-month-out">1月</output></label>';
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    slider.addTo(map);
    var mIn = document.getElementById('om-month'), mOut = document.getElementById('om-month-out');
    var syncMonth = function () {
      var n = activeGroup();
      mIn.parentNode.parentNode.style.display = n ? '' : 'none';
      if (n) { mIn.value = groups[n].month; mOut.textContent = groups[n].month + '月'; }
      st.dataset.month = n ? groups[n].month : '';
    };
    mIn.addEventListener('input', function () {
      var n = activeGroup();
      if (n) setMonth(n, +mIn.value);
      syncMonth();
      writeHash();
    });
    map.on('baselayerchange', syncMonth);
    syncMonth();
  }

  // ---- the title, on the page and not only in the browser's tab ----------------------
  if (cfg.title) {
    var title = L.control({position: 'topleft'});
    title.onAdd = function () {
      var d = L.DomUtil.create('div', 'om-title');
      d.id = 'om-title';
      d.textContent = cfg.title;
      return d;
    };
    title.addTo(map);
  }

  // ---- opacity of the tile layers shown (a slider) ----------------------------------
  var opac = L.control({position: 'topright'});
  opac.onAdd = function () {
    var d = L.DomUtil.create('div', 'om-opacity');
    d.innerHTML = '<label>透明度 opacity <input id="om-opacity" type="range" min="0" max="100" ' +
                  'value="' + Math.round((cfg.basemap ? 0.75 : 1) * 100) + '"></label>';
    L.DomEvent.disableClickPropagation(d);
    L.DomEvent.disableScrollPropagation(d);
    return d;
  };
  opac.addTo(map);
  document.getElementById('om-opacity').addEventListener('input', function (e) {
    var o = +e.target.value / 100;
    Object.keys(byName).forEach(function (n) { byName[n].setOpacity(o); });
    st.dataset.opacity = o;
  });

  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    this.div = L.DomUtil.create('div', 'om-legend');
    return this.div;
  };
  legend.addTo(map);
  // how many of the selected reach one microgram: said on the map, not left to the colours
  if (streets && S) {
    var nsel = 0, nok = 0, nall = 0, known = false;
    streets.features.forEach(function (f) {
      var p = f.properties, ok = passes(p);
      if (ok !== null) known = true;
      if (isSelected(p)) { nsel++; if (ok) nok++; }
      if (ok) nall++;
    });
    if (nsel && !known) { // no one-microgram column: the outline's key alone
      var key = L.control({position: 'bottomleft'});
      key.onAdd = function () {
        var d = L.DomUtil.create('div', 'om-summary');
        d.id = 'om-summary';
        d.innerHTML = '<span class="om-key-pass">━</span> 入选 selected (' + nsel + ')';
        return d;
      };
      key.addTo(map);
    }
    if (known && nsel) {
      var summary = L.control({position: 'bottomleft'});
      summary.onAdd = function () {
        var d = L.DomUtil.create('div', 'om-summary');
        d.id = 'om-summary';
        d.innerHTML = '<b>' + nok + ' / ' + nsel + '</b> 入选街道达到一微克 of the selected streets ' +
          'reach 1 µg/m³' + (nall > nok ? ' (另有 ' + (nall - nok) + ' 条未入选 ' + (nall - nok) +
          ' more not selected)' : '') + '<br><span class="om-key-pass">━</span> 入选·达到 selected, ' +
          'reaches <span class="om-key-short">┅</span> 入选·未达 selected, short ' +
          '<span class="om-key-other">━</span> 未入选·达到 not selected, reaches';
        return d;
      };
      summary.addTo(map);
    }
  }
  function drawLegend() {
    var html = '';
    cfg.layers.forEach(function (l) {
      if (l.legend && map.hasLayer(byName[l.name]))
        html += '<div class="om-legend-item" data-layer="' + esc(l.name) + '"><img src="' +
                l.path + '/legend.svg" alt="' + esc(l.name) + '"></div>';
    });
    legend.div.innerHTML = html;
  }

  function updateLabels() {
    var on = streetLayer && map.hasLayer(streetLayer) && map.getZoom() >= S.labelZoom;
    if (on && !map.hasLayer(labels)) labels.addTo(map);
    if (!on && map.hasLayer(labels)) map.removeLayer(labels);
  }

  if (index.length) {
    var search = L.control({position: 'topleft'});
    search.onAdd = function () {
      var d = L.DomUtil.create('div', 'om-search');
      d.innerHTML = '<input id="om-search" list="om-streets" placeholder="搜索街道 search a street">' +
                    '<datalist id="om-streets">' + index.map(function (s) {
                      return '<option value="' + esc(s.name) + '">' + esc(s.code) + '</option>';
                    }).join('') + '</datalist>';
      L.DomEvent.disableClickPropagation(d);
      return d;
    };
    search.addTo(map);
    var input = document.getElementById('om-search');
    var go = function () {
      var q = input.value.trim();
      if (!q) return;
      var hit = index.find(function (s) { return s.name === q || s.code === q; }) ||
                index.find(function (s) { return s.name.indexOf(q) >= 0 || s.code.indexOf(q) >= 0; });
      st.dataset.found = hit ? hit.code : '';
      if (!hit) { input.classList.add('om-miss'); return; }
      input.classList.remove('om-miss');
      if (!map.hasLayer(streetLayer)) streetLayer.addTo(map);
      map.fitBounds(hit.layer.getBounds(), {maxZoom: 15});
      hit.layer.openPopup(hit.at || hit.layer.getBounds().getCenter());
    };
    input.addEventListener('change', go);
    input.addEventListener('keydown', function (e) { if (e.key === 'Enter') go(); });
  }

  // ---- the number under the cursor: layers with values.js (sp-tiles -values) -------
  // values.js is a script (so it loads from disk too): a lon/lat grid of float32 values
  var VALUES = window.ONEMAP_VALUES || {};
  function valueAt(v, ll) {
    var c = Math.floor((ll.lng - v.west) / v.dx), r = Math.floor((v.north - ll.lat) / v.dy);
    if (c < 0 || r < 0 || c >= v.w || r >= v.h) return null;
    if (!v.view) { // decoded once, on first use
      var s = atob(v.data), u = new Uint8Array(s.length);
      for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
      v.view = new DataView(u.buffer);
    }
    var x = v.view.getFloat32(4 * (r * v.w + c), true);
    return isNaN(x) ? null : x;
  }
  var probe = L.control({position: 'bottomleft'});
  probe.onAdd = function () {
    this.div = L.DomUtil.create('div', 'om-value');
    this.div.style.display = 'none';
    return this.div;
  };
  probe.addTo(map);
  function showValues(ll) {
    var lines = [], vals = [];
    cfg.layers.forEach(function (l) {
      var v = l.values ? VALUES[l.path] : null;
      if (!v || !map.hasLayer(byName[l.name])) return;
      var x = valueAt(v, ll);
      vals.push(l.name + '=' + (x === null ? '' : x));
      lines.push('<b>' + esc(v.title || l.name) + '</b> ' +
                 (x === null ? '无数据 no data' : esc(fmt(x)) + ' ' + esc(v.unit)));
    });
    probe.div.innerHTML = lines.join('<br>');
    probe.div.style.display = lines.length ? '' : 'none';
    st.dataset.value = vals.join('|');
  }
  var lastLL = null; // the readout follows a layer switch, not only the mouse
  map.on('mousemove', function (e) { lastLL = e.latlng; showValues(e.latlng); });
  map.on('mouseout', function () { lastLL = null; probe.div.style.display = 'none'; });
  map.on('baselayerchange overlayadd overlayremove', function () {
    if (lastLL) showValues(lastLL);
  });

  // the explorer's model (its controls below): measures, shares, each street's cut
  var SC = window.ONEMAP_SCENARIO, MS = {}, order = [], share = {}, exCut = {}, scenario = null;
  if (SC) {
    SC.measures.forEach(function (r) {
      if (!MS[r.k]) {
        MS[r.k] = {k: r.k, text: r.text, cut: {}, alone: {}, cost: r.cost,
                   reach: r.reach === undefined ? 1 : r.reach};
        if (r.k) order.push(r.k);
      }
      MS[r.k].cut[r.pollutant] = r.cut;
      MS[r.k].alone[r.pollutant] = r.alone;
    });
    var recompute = function () {
      exCut = {};
      Object.keys(SC.response).forEach(function (code) {
        exCut[code] = SC.response[code].reduce(function (a, v, i) { return a + share[i + 1] * v; }, 0);
      });
    };
    scenario = {
      measures: function () {
        return order.map(function (k) { return {k: k, text: MS[k].text, share: share[k], cut: MS[k].cut}; });
      },
      set: function (k, v) {
        if (!(k in share) || !(v >= 0 && v <= 1)) throw new Error('set(measure 1..' + order.length + ', share 0..1)');
        share[k] = v;
        recompute();
        if (scenario.onchange) scenario.onchange();
      },
      streets: function () { return Object.assign({}, exCut); },
      // the cheapest mix reaching n streets, each chosen measure in full (a screening answer):
      // exact over every subset up to 16 measures (ties: fewer measures, then more streets);
      // above, greedy: add the measure with the most streets reached per yuan (then the most
      // µg/m³ summed over the streets per yuan; free ones first) until n are reached.
      // {measures, cost, pass, reached}; null unless every measure has a cost.
      cheapest: function (n) {
        if (order.some(function (k) { return MS[k].cost === null || MS[k].cost === undefined; }))
          return null;
        var codes = Object.keys(SC.response);
        var count = function (mask) {
          return codes.filter(function (c) {
            return order.reduce(function (a, k, i) { return a + (mask >> i & 1 ? SC.response[c][k - 1] : 0); }, 0) >= 1;
          }).length;
        };
        if (order.length <= 16) {
          var bestMask = -1, bestCost = Infinity, bestPass = 0;
          for (var mask = 0; mask < (1 << order.length); mask++) {
            var c = order.reduce(function (a, k, i) { return a + (mask >> i & 1 ? MS[k].cost : 0); }, 0);
            if (c > bestCost) continue;
            var p = count(mask);
            var better = p >= n && (c < bestCost || (c === bestCost && p > bestPass));
            if (better) { bestMask = mask; bestCost = c; bestPass = p; }
          }
          if (bestMask >= 0)
            return {measures: order.filter(function (k, i) { return bestMask >> i & 1; }), cost: bestCost,
                    pass: bestPass, reached: true};
          var all = (1 << order.length) - 1;
          return {measures: order.slice(), cost: order.reduce(function (a, k) { return a + MS[k].cost; }, 0),
                  pass: count(all), reached: false};
        }
        var on = {}, pass = 0, cost = 0, cuts = {};
        Object.keys(SC.response).forEach(function (c) { cuts[c] = 0; });
        var gain = function (k) {
          var p = 0, s = 0;
          Object.keys(SC.response).forEach(function (c) {
            var v = cuts[c] + SC.response[c][k - 1];
            p += (v >= 1) - (cuts[c] >= 1);
            s += SC.response[c][k - 1];
          });
          return {p: p, s: s};
        };
        while (pass < n) {
          var best = null, bv = null;
          order.forEach(function (k) {
            if (on[k]) return;
            var g = gain(k), c = MS[k].cost, v = [c > 0 ? g.p / c : (g.p > 0 ? Infinity : 0), c > 0 ? g.s / c : Infinity];
            if (!best || v[0] > bv[0] || (v[0] === bv[0] && v[1] > bv[1])) { best = k; bv = v; }
          });
          if (!best || (bv[0] === 0 && bv[1] <= 0)) break;
          on[best] = true;
          cost += MS[best].cost;
          Object.keys(cuts).forEach(function (c) { cuts[c] += SC.response[c][best - 1]; });
          pass = Object.keys(cuts).filter(function (c) { return cuts[c] >= 1; }).length;
        }
        return {measures: order.filter(function (k) { return on[k]; }), cost: cost, pass: pass, reached: pass >= n};
      },
      totals: function () {
        var t = {};
        order.forEach(function (k) {
          Object.keys(MS[k].cut).forEach(function (p) { t[p] = (t[p] || 0) + share[k] * MS[k].cut[p]; });
        });
        var costed = order.every(function (k) { return MS[k].cost !== null && MS[k].cost !== undefined; });
        return {cut: t, plan: 15, pass: Object.keys(exCut).filter(function (c) { return exCut[c] >= 1; }).length,
                interaction: MS[0] ? MS[0].alone : {},
                cost: costed ? order.reduce(function (a, k) { return a + share[k] * MS[k].cost; }, 0) : null};
      }
    };
  }

  // ---- the candidates panel: the streets as a table, the selected first --------------
  // rank, name, the PM2.5 cut with its 10-90 % range, whether it reaches 1 µg/m³, and the
  // sector that delivers most of it where people live (from ug_reason); sortable by a
  // click on a header, a click on a row zooms to the street and opens its popup; CSV out
  var panelRows = [], panelSort = {key: 'rank', dir: 1}, panelAll = false;
  function leading(p) {
    var m = /live: ([^\s,]+) [-0-9.]/.exec(String(p.ug_reason || ''));
    return m ? m[1] : '';
  }
  var COLS = [['rank', '排名 rank'], ['name', '街道 street'], ['cut', 'PM2.5 削减 cut µg/m³'],
              ['ok', '一微克 1 µg'], ['sel', '入选 selected'], ['lead', '主要来源 leading sector'],
              ['wm', '最差月份 worst month']];
  if (SC) COLS.push(['ex', '情景削减 explorer µg/m³']);
  // the street's worst month (the monthly ranking's table, sp-onemap -table: a worst_month
  // column), with the sector leading it; absent: no column
  function worstMonth(p) {
    var t = Object.keys(p._tables || {}).map(function (k) { return p._tables[k]; })
      .find(function (t) { return t.worst_month !== undefined && t.worst_month !== null; });
    return t ? {m: +t.worst_month, lead: t.worst_leading_sector || ''} : null;
  }
  function panelData() {
    return index.map(function (s) {
      var p = s.layer.feature.properties, w = worstMonth(p);
      return {code: s.code, name: s.name, rank: p.rank, cut: p.dc_pm25_ugm3,
              lo: p.dc_pm25_lo, hi: p.dc_pm25_hi, ok: passes(p), sel: isSelected(p),
              lead: leading(p), wm: w ? w.m : undefined, wmLead: w ? w.lead : '',
              ex: SC ? exCut[s.code] : undefined, s: s};
    });
  }
  function visibleRows() {
    var all = panelData(), anySel = all.some(function (r) { return r.sel; });
    var rowsShown = all.filter(function (r) { return panelAll || !anySel || r.sel; });
    var k = panelSort.key, d = panelSort.dir;
    rowsShown.sort(function (a, b) {
      var x = a[k], y = b[k];
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * d;
    });
    return rowsShown;
  }
  function cell(r, k) {
    if (k === 'cut') return r.cut === undefined ? '–' : fmt(r.cut) +
      (r.lo !== undefined && r.hi !== undefined ? ' (' + fmt(r.lo) + '–' + fmt(r.hi) + ')' : '');
    if (k === 'ok') return r.ok === null ? '–' : r.ok ? '是' : '否';
    if (k === 'sel') return r.sel ? '是' : '否';
    if (k === 'wm') return r.wm === undefined ? '–' : r.wm + '月' + (r.wmLead ? ' (' + r.wmLead + ')' : '');
    return r[k] === undefined || r[k] === null ? '–' : fmt(r[k]);
  }
  function panelCsv() { // what the table shows, for Excel: UTF-8 with a BOM (Chinese reads right)
    var q = function (v) { return '"' + String(v).replace(/"/g, '""') + '"'; };
    var out = ['code,' + COLS.map(function (c) { return q(c[1]); }).join(',') +
               ',dc_pm25_lo,dc_pm25_hi'];
    visibleRows().forEach(function (r) {
      out.push(q(r.code) + ',' + COLS.map(function (c) {
        return q(c[0] === 'cut' ? (r.cut === undefined ? '' : r.cut) : cell(r, c[0]));
      }).join(',') + ',' + (r.lo === undefined ? '' : r.lo) + ',' + (r.hi === undefined ? '' : r.hi));
    });
    return '\uFEFF' + out.join('\r\n') + '\r\n';
  }
  if (index.length) {
    var panel = L.control({position: 'bottomleft'});
    panel.onAdd = function () {
      var d = L.DomUtil.create('div', 'om-panel' + (phone ? ' om-collapsed' : ''));
      d.id = 'om-panel';
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    panel.addTo(map);
    var pd = document.getElementById('om-panel');
    var drawPanel = function () {
      panelRows = visibleRows();
      pd.innerHTML = '<div class="om-panel-head"><button id="om-panel-toggle">' +
        (pd.classList.contains('om-collapsed') ? '▸' : '▾') + ' 候选街道 candidates (' +
        panelRows.length + ')</button> <label><input type="checkbox" id="om-panel-all"' +
        (panelAll ? ' checked' : '') + '> 全部 all</label> <button id="om-csv">导出 CSV</button> ' +
        '<button id="om-print">打印 print</button></div><div class="om-panel-body"><table><tr>' +
        COLS.map(function (c) {
          return '<th data-key="' + c[0] + '">' + esc(c[1]) +
                 (panelSort.key === c[0] ? (panelSort.dir > 0 ? ' ▴' : ' ▾') : '') + '</th>';
        }).join('') + '</tr>' + panelRows.map(function (r, i) {
          return '<tr data-i="' + i + '" class="' + (r.ok ? 'om-row-pass' : '') + '">' +
                 COLS.map(function (c) { return '<td>' + esc(cell(r, c[0])) + '</td>'; }).join('') +
                 '</tr>';
        }).join('') + '</table></div>';
      st.dataset.panel = panelRows.map(function (r) { return r.code; }).join('|');
    };
    pd.addEventListener('click', function (e) {
      var t = e.target;
      if (t.id === 'om-panel-toggle') { pd.classList.toggle('om-collapsed'); drawPanel(); return; }
      if (t.id === 'om-panel-all') { panelAll = t.checked; drawPanel(); return; }
      if (t.id === 'om-print') { window.print(); return; }
      if (t.id === 'om-csv') {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([panelCsv()], {type: 'text/csv;charset=utf-8'}));
        a.download = (cfg.title || 'onemap') + '.csv';
        document.body.appendChild(a); a.click(); a.remove();
        return;
      }
      var th = t.closest('th');
      if (th) {
        var k = th.dataset.key;
        panelSort = {key: k, dir: panelSort.key === k ? -panelSort.dir : 1};
        drawPanel();
        return;
      }
      var tr = t.closest('tr[data-i]');
      if (tr) {
        var r = panelRows[+tr.dataset.i];
        if (!map.hasLayer(streetLayer)) streetLayer.addTo(map);
        map.fitBounds(r.s.layer.getBounds(), {maxZoom: 15});
        r.s.layer.openPopup(r.s.at || r.s.layer.getBounds().getCenter());
      }
    });
    drawPanel();
  }

  // ---- the scenario explorer (sp-onemap -scenario): a slider per measure -------------
  // each street's PM2.5 cut is the sum of the measures' responses times their shares (the
  // model is linear in the emissions: at 100 % each adds what it adds after those before it,
  // so all at 100 % is the scenario, all at 0 nothing); tonnes likewise from the measures'
  // cuts; a street counts when its cut reaches 1 µg/m³ (a screening answer: the street mean
  // of the central run, not the ensemble's probability)
  if (SC) {
    order.forEach(function (k) { share[k] = MS[k].reach; }); // each starts at its reach
    recompute();
    var ex = L.control({position: 'topright'});
    ex.onAdd = function () {
      var d = L.DomUtil.create('div', 'om-explorer' + (phone ? ' om-collapsed' : ''));
      d.id = 'om-explorer';
      d.innerHTML = '<button id="om-ex-toggle">情景 scenario explorer</button><div class="om-ex-body">' +
        '<div id="om-ex-sum"></div>' + order.map(function (k) {
          var v = Math.round(100 * share[k]);
          return '<label class="om-ex-m" title="' + esc(MS[k].text) + '"><input type="range" min="0" ' +
                 'max="100" step="5" value="' + v + '" data-k="' + k + '"> <output>' + v + '%</output> ' +
                 esc(MS[k].text) + '</label>';
        }).join('') + '</div>';
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    ex.addTo(map);
    var exDiv = document.getElementById('om-explorer');
    var drawExplorer = function () {
      var t = scenario.totals(), f = function (p) { return fmt(t.cut[p] || 0); };
      var ia = MS[0] ? MS[0].alone : {}, z = function (x) { return fmt(Math.abs(x || 0) < 1e-6 ? 0 : x); };
      document.getElementById('om-ex-sum').innerHTML =
        '<b>' + t.pass + '</b> 街道达到一微克 streets reach 1 µg/m³ (计划 plan ' + t.plan + ')<br>' +
        '减排 cut: NOx ' + f('NOx') + ' t, VOCs ' + f('VOCs') + ' t, PM2.5 ' + f('PM2.5') + ' t, CO2 ' +
        f('CO2') + ' t/yr<br><small>交互 interaction (measures alone summed − the scenario): NOx ' +
        z(ia.NOx) + ' t, PM2.5 ' + z(ia['PM2.5']) + ' t</small>' +
        (t.cost === null ? '' : '<br>费用 cost ' + fmt(t.cost / 1e4) + ' 万元 (10⁴ yuan) <button id="om-ex-cheap">' +
         '最省组合 cheapest mix to 15</button> <span id="om-ex-cheap-out"></span>');
      st.dataset.scenario = JSON.stringify({pass: t.pass, nox: t.cut.NOx || 0, vocs: t.cut.VOCs || 0,
                                            pm25: t.cut['PM2.5'] || 0});
    };
    exDiv.addEventListener('click', function (e) {
      if (e.target.id !== 'om-ex-cheap') return;
      var c = scenario.cheapest(15); // a screening answer: each chosen measure in full
      order.forEach(function (k) {
        var on = c.measures.indexOf(k) >= 0, inp = exDiv.querySelector('input[data-k="' + k + '"]');
        inp.value = on ? 100 : 0;
        inp.nextElementSibling.textContent = inp.value + '%';
        share[k] = on ? 1 : 0;
      });
      recompute();
      scenario.onchange();
      document.getElementById('om-ex-cheap-out').textContent = (c.reached ? '' : '达不到 not reached: ') +
        c.pass + ' 街道 streets, ' + fmt(c.cost / 1e4) + ' 万元 (screening)';
    });
    exDiv.addEventListener('input', function (e) {
      var k = +e.target.dataset.k;
      if (!k) return;
      e.target.nextElementSibling.textContent = e.target.value + '%';
      scenario.set(k, e.target.value / 100);
    });
    document.getElementById('om-ex-toggle').addEventListener('click', function () {
      exDiv.classList.toggle('om-collapsed');
    });
    scenario.onchange = function () {
      drawExplorer();
      if (typeof drawPanel === 'function') drawPanel();
    };
    drawExplorer();
  }

  // ---- the share link: the view, the layer and the street in the address ------------
  // #map=ZOOM/LAT/LON&layer=NAME&street=CODE, kept up to date (replaceState: no history
  // entry per move); a link opened elsewhere shows the same
  function activeBase() {
    return cfg.layers.filter(function (l) { return !l.overlay && map.hasLayer(byName[l.name]); })
                     .map(function (l) { return l.name; })[0] || '';
  }
  writeHash = function () {
    var c = map.getCenter(), h = '#map=' + map.getZoom() + '/' + c.lat.toFixed(5) + '/' +
            c.lng.toFixed(5) + '&layer=' + encodeURIComponent(activeGroup() || activeBase()) +
            (activeGroup() ? '&month=' + groups[activeGroup()].month : '') +
            (shown.street ? '&street=' + encodeURIComponent(shown.street) : '');
    if (location.hash !== h) history.replaceState(null, '', h);
  };
  (function readHash() {
    var q = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) q[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    });
    if (q.layer && bases[q.layer] && !map.hasLayer(bases[q.layer])) {
      Object.keys(bases).forEach(function (n) { map.removeLayer(bases[n]); });
      bases[q.layer].addTo(map);
    }
    if (q.month && groups[q.layer]) setMonth(q.layer, +q.month);
    var m = /^(\d+)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(q.map || '');
    if (m) map.setView([+m[2], +m[3]], +m[1]);
    var hit = q.street && index.find(function (s) { return s.code === q.street; });
    if (hit) {
      if (!map.hasLayer(streetLayer)) streetLayer.addTo(map);
      if (!m) map.fitBounds(hit.layer.getBounds(), {maxZoom: 15});
      hit.layer.openPopup(hit.at || hit.layer.getBounds().getCenter());
    }
  })();
  map.on('moveend baselayerchange', writeHash);

  // ---- the status element: for users, and for the tests --------------------------
  function show() {
    var act = cfg.layers.filter(function (l) { return map.hasLayer(byName[l.name]); })
                        .map(function (l) { return l.name; });
    st.dataset.loaded = loaded;
    st.dataset.failed = failed;
    st.dataset.layers = cfg.layers.map(function (l) { return l.name; }).join('|');
    st.dataset.active = act.join('|');
    st.dataset.counts = JSON.stringify(counts);
    st.dataset.streets = index.length;
    st.dataset.zoom = map.getZoom();
    st.textContent = '瓦片 tiles loaded ' + loaded + ', failed ' + failed + ' · ' +
                     (act.join(', ') || 'no layer') + ' · zoom ' + map.getZoom();
  }
  map.on('baselayerchange overlayadd overlayremove', function () { drawLegend(); updateLabels(); show(); });
  map.on('zoomend', function () { updateLabels(); show(); });
  drawLegend();
  updateLabels();
  show();
  window.onemap = {map: map, layers: byName, streets: streetLayer, index: index, points: pointLayers,
                   panelCsv: panelCsv, scenario: scenario};
})();
