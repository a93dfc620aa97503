// The one map in a real browser: Debian's chromium driven through the DevTools protocol
// (puppeteer-core). Opens the page sp-onemap wrote from disk and checks what a planner
// does: the layers in the control, tiles loaded and none failed, switching a layer (its
// tiles and legend appear), clicking inside a known street (the popup holds its name and
// its score as the sp-score table has it), searching a street by name, the labels, and
// that no request leaves the page. The expected values come from the sp-score CSV and
// from points inside the streets that OGR computed (not from the page).
// Usage: node onemap_test.js PAGE_DIR CANDIDATES.csv POINTS.json SCREENSHOT.png [VALUE.json]
// VALUE.json: {lon, lat, value, unit}: the first layer's value under the cursor there.
// Prints "ok: ..." / "FAIL: ..." lines, then "N passed, N failed".
'use strict';
const fs = require('fs');
const path = require('path');
const {check, launch, run} = require('./harness');

const [dir, csvPath, pointsPath, shot, valuePath, ugPath] = process.argv.slice(2);

// a CSV reader for sp-score's output (quoted fields with commas and doubled quotes)
function readCsv(text) {
  const rows = [];
  let row = [], f = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i++; }
      else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(f); f = ''; }
    else if (c === '\n') { row.push(f); rows.push(row); row = []; f = ''; }
    else if (c !== '\r') f += c;
  }
  if (f || row.length) { row.push(f); rows.push(row); }
  const head = rows.shift();
  return rows.map(r => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

async function main() {
  const table = readCsv(fs.readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, ''));
  const points = JSON.parse(fs.readFileSync(pointsPath, 'utf8'));
  const browser = await launch();
  const outside = [];
  try {
    const page = await browser.newPage();
    page.on('request', r => { if (!r.url().startsWith('file://') && !r.url().startsWith('data:')) outside.push(r.url()); });
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));
    await page.goto('file://' + path.resolve(dir, 'index.html'));
    const status = () => page.$eval('#status', e => Object.assign({}, e.dataset));
    await page.waitForFunction(() => +document.getElementById('status').dataset.loaded > 0, {timeout: 20000});
    await new Promise(r => setTimeout(r, 800));
    let s = await status();
    const names = s.layers.split('|');
    const inputs = await page.$$eval('.leaflet-control-layers input', l => l.length);
    check('the layer control lists >= 5 layers (' + inputs + ': ' + names.join(', ') + ' + streets)', inputs >= 5);
    check('tiles loaded (' + s.loaded + ') and none failed (' + s.failed + ')', +s.loaded > 0 && +s.failed === 0);
    check('no script error on the page', errors.length === 0, errors.join('; '));
    const legend0 = await page.$$eval('.om-legend img', l => l.map(i => i.getAttribute('src')));
    check('the first layer\'s legend is shown (' + legend0.join(', ') + ')', legend0.length === 1 && legend0[0] === 'layers/1/legend.svg');

    // the number under the cursor: the first layer has values.js (sp-tiles -values)
    const wantV = valuePath ? JSON.parse(fs.readFileSync(valuePath, 'utf8')) : null;
    const hover = async (lat, lon) => {
      const p = await page.evaluate((la, lo) => {
        const q = window.onemap.map.latLngToContainerPoint([la, lo]);
        const r = document.getElementById('map').getBoundingClientRect();
        return [q.x + r.left, q.y + r.top];
      }, lat, lon);
      await page.mouse.move(p[0], p[1]);
      await new Promise(r => setTimeout(r, 200));
      return status();
    };
    if (wantV) {
      await page.evaluate((la, lo) => window.onemap.map.setView([la, lo], 12, {animate: false}), wantV.lat, wantV.lon);
      await new Promise(r => setTimeout(r, 300));
      const hv = await hover(wantV.lat, wantV.lon);
      const got = parseFloat((hv.value || '').split('=')[1]);
      check('the value under the cursor (' + hv.value + ') is the raster\'s ' + wantV.value + ' ' + wantV.unit,
            hv.value && hv.value.startsWith(names[0] + '=') && Math.abs(got - wantV.value) <= 1e-5 * Math.max(1, Math.abs(wantV.value)));
      const box = await page.$eval('.om-value', e => e.style.display === 'none' ? '' : e.innerText).catch(() => '');
      check('and shown with its unit (' + box + ')', box.includes(wantV.unit) && box.includes(String(+got.toPrecision(4))));
    }
    // switch to the second base layer: its tiles load, its legend replaces the first
    const second = names[1];
    const labels = await page.$$('.leaflet-control-layers-base label');
    await labels[1].click();
    await page.waitForFunction(n => JSON.parse(document.getElementById('status').dataset.counts)[n][0] > 0,
                               {timeout: 20000}, second);
    await new Promise(r => setTimeout(r, 500));
    s = await status();
    const counts = JSON.parse(s.counts);
    check('switching to "' + second + '" loads its tiles (' + counts[second][0] + '), none failed',
          counts[second][0] > 0 && +s.failed === 0);
    const legend1 = await page.$$eval('.om-legend img', l => l.map(i => i.getAttribute('src')));
    check('its legend replaces the first (' + legend1.join(', ') + ')', legend1.length === 1 && legend1[0] === 'layers/2/legend.svg');
    const tileImgs = await page.$$eval('.leaflet-tile-loaded', l => l.filter(i => i.src.includes('/layers/2/')).length);
    if (wantV) {
      const hv2 = await hover(wantV.lat, wantV.lon);
      check('a layer without values.js shows no number (' + hv2.value + ')', hv2.value === '');
    }
    check('tiles of layers/2 are in the map (' + tileImgs + ')', tileImgs > 0);

    // click inside a selected street: the popup holds its name and its score
    const sel = table.find(r => r.selected === '1');
    const pt = points[sel.code];
    await page.evaluate((lat, lon) => window.onemap.map.setView([lat, lon], 13, {animate: false}), pt[1], pt[0]);
    await new Promise(r => setTimeout(r, 600));
    const xy = await page.evaluate((lat, lon) => {
      const p = window.onemap.map.latLngToContainerPoint([lat, lon]);
      const r = document.getElementById('map').getBoundingClientRect();
      return [p.x + r.left, p.y + r.top];
    }, pt[1], pt[0]);
    await page.mouse.click(xy[0], xy[1]);
    await page.waitForSelector('.leaflet-popup-content', {timeout: 5000}).catch(() => null);
    const popup = await page.$eval('.leaflet-popup-content', e => e.innerText).catch(() => '');
    check('a click inside ' + sel.code + ' opens its popup with its name ' + sel.name, popup.includes(sel.name) && popup.includes(sel.code), popup.slice(0, 80));
    const m = popup.match(/得分 score\s+([-0-9.e+]+)/);
    const want = parseFloat(sel.score);
    check('the popup\'s score ' + (m && m[1]) + ' is sp-score\'s ' + want,
          m && Math.abs(parseFloat(m[1]) - want) <= 1e-3 * Math.max(1, Math.abs(want)));
    const rank = popup.match(/排名 rank\s+(\d+)/);
    check('the popup\'s rank ' + (rank && rank[1]) + ' is sp-score\'s ' + sel.rank, rank && rank[1] === sel.rank);
    check('the popup marks it selected', popup.includes('入选 selected'));
    if (ugPath) {
      // the one-microgram test on the map: the count said, the short ones drawn dashed
      const ug = JSON.parse(fs.readFileSync(ugPath, 'utf8'));
      const summary = await page.$eval('#om-summary', e => e.innerText).catch(() => '');
      check('the map says ' + ug.nok + ' / ' + ug.nsel + ' selected streets reach 1 µg/m³ (' +
            summary.replace(/\n/g, ' ') + ')', summary.includes(ug.nok + ' / ' + ug.nsel) &&
            summary.includes(ug.pass_unsel.length + ' more not selected'));
      const nshort = await page.$$eval('path.om-short', l => l.length);
      const npass = await page.$$eval('path.om-pass', l => l.length);
      check('the ' + ug.short.length + ' selected streets short of it are drawn dashed (' + nshort + ')',
            nshort === ug.short.length);
      check('the ' + (ug.nok + ug.pass_unsel.length) + ' that reach it are marked (' + npass + ')',
            npass === ug.nok + ug.pass_unsel.length);
      check('the popup says whether it reaches 1 µg/m³', ug.short.includes(sel.code)
            ? popup.includes('未达一微克 short of 1 µg/m³') : popup.includes('达到一微克 reaches 1 µg/m³'));
    }
    const nlabels = await page.$$eval('.om-label', l => l.map(e => e.textContent));
    check('street names are labelled at zoom 13 (' + nlabels.length + ')', nlabels.length > 0 && nlabels.includes(sel.name));

    // search another street by name: the map goes there and opens its popup
    const other = table.filter(r => r.code !== sel.code).pop();
    await page.evaluate(() => window.onemap.map.closePopup());
    await page.evaluate(() => window.onemap.map.setView(window.onemap.map.getCenter(), 10, {animate: false}));
    await page.click('#om-search');
    await page.keyboard.type(other.name);
    await page.keyboard.press('Enter');
    await new Promise(r => setTimeout(r, 800));
    s = await status();
    const found = await page.evaluate(code => {
      const hit = window.onemap.index.find(x => x.code === code);
      return hit && hit.layer.getBounds().contains(window.onemap.map.getCenter());
    }, other.code);
    const popup2 = await page.$eval('.leaflet-popup-content', e => e.innerText).catch(() => '');
    check('searching "' + other.name + '" finds ' + other.code + ' and centres the map on it',
          s.found === other.code && found, s.found);
    check('and opens its popup', popup2.includes(other.name));
    // a key energy unit: its marker opens a popup with its scope-2 CO2
    const np = await page.evaluate(() => window.onemap.points.length ? window.onemap.points[0].getLayers().length : 0);
    check('the key energy units are on the map (' + np + ')', np === 12);
    if (np) {
      await page.evaluate(() => window.onemap.map.closePopup());
      const pxy = await page.evaluate(() => {
        const m = window.onemap.points[0].getLayers()[0];
        window.onemap.map.setView(m.getLatLng(), 14, {animate: false});
        const p = window.onemap.map.latLngToContainerPoint(m.getLatLng());
        const r = document.getElementById('map').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];
      });
      await new Promise(r => setTimeout(r, 400));
      await page.mouse.click(pxy[0], pxy[1]);
      await new Promise(r => setTimeout(r, 400));
      const pp = await page.$eval('.leaflet-popup-content', e => e.innerText).catch(() => '');
      check('a click on a key energy unit shows its fields (co2_s2)', pp.includes('co2_s2') && pp.includes('elec_kwh'), pp.slice(0, 80));
    }
    // ---- the planner's tools: title, panel, 是/否, share link, opacity, CSV ----------
    await page.evaluate(() => window.onemap.map.closePopup());
    const title = await page.$eval('#om-title', e => e.innerText).catch(() => '');
    const wantTitle = await page.evaluate(() => window.ONEMAP_CONFIG.title);
    check('the title is on the page (' + title + ')', !!wantTitle && title === wantTitle);
    check('the popup reads 入选 as 是/否, not 1/0', /入选 selected\s+是 yes/.test(popup), popup.slice(0, 200));
    // the candidates panel: the selected streets by rank, as sp-score ranked them
    const bySel = table.filter(r => r.selected === '1').sort((a, b) => +a.rank - +b.rank).map(r => r.code);
    s = await status();
    check('the candidates panel lists the ' + bySel.length + ' selected streets by rank',
          s.panel === bySel.join('|'), s.panel);
    await page.evaluate(() => document.querySelector('#om-panel th[data-key="rank"]').click());
    s = await status();
    check('a click on the rank header sorts them the other way', s.panel === bySel.slice().reverse().join('|'), s.panel);
    await page.evaluate(() => document.querySelector('#om-panel th[data-key="rank"]').click());
    await page.evaluate(() => document.getElementById('om-panel-all').click());
    s = await status();
    check('全部 all lists every street (' + s.panel.split('|').length + ' of ' + table.length + ')',
          s.panel.split('|').length === table.length);
    await page.evaluate(() => document.getElementById('om-panel-all').click());
    // a click on the panel's third row: the map goes to that street and opens its popup
    const third = table.find(r => r.code === bySel[2]);
    await page.evaluate(() => document.querySelectorAll('#om-panel tr[data-i]')[2].click());
    await new Promise(r => setTimeout(r, 700));
    const popup3 = await page.$eval('.leaflet-popup-content', e => e.innerText).catch(() => '');
    const in3 = await page.evaluate(code => {
      const hit = window.onemap.index.find(x => x.code === code);
      // the street's centre in view (the popup's auto-pan may move the map's own centre
      // off a small street's box)
      return window.onemap.map.getBounds().contains(hit.layer.getBounds().getCenter());
    }, third.code);
    check('a click on the panel\'s row ' + third.name + ' opens its popup and brings the street into view',
          popup3.includes(third.name) && in3, popup3.slice(0, 60));
    // the share link: the address holds the view, the layer and the street; opened anew
    // it shows the same
    const url = page.url();
    check('the address holds the street (' + url.split('#')[1] + ')', url.includes('street=' + third.code) && url.includes('#map='));
    const view = await page.evaluate(() => [window.onemap.map.getZoom(), window.onemap.map.getCenter()]);
    const page2 = await browser.newPage();
    await page2.goto(url);
    await page2.waitForFunction(() => window.onemap && document.getElementById('status').dataset.popup, {timeout: 20000}).catch(() => null);
    const view2 = await page2.evaluate(() => [window.onemap.map.getZoom(), window.onemap.map.getCenter(),
                                              document.getElementById('status').dataset.popup,
                                              document.getElementById('status').dataset.active]);
    check('the link opens the same view (zoom ' + view2[0] + ', ' + JSON.stringify(view2[1]) + '), layer and street',
          view2[0] === view[0] && Math.abs(view2[1].lat - view[1].lat) < 1e-4 && Math.abs(view2[1].lng - view[1].lng) < 1e-4 &&
          view2[2] === third.code && view2[3] === second, JSON.stringify(view2));
    await page2.close();
    // the opacity slider: every tile layer follows it
    await page.evaluate(() => { const i = document.getElementById('om-opacity'); i.value = 40; i.dispatchEvent(new Event('input')); });
    const op = await page.evaluate(() => Object.values(window.onemap.layers).map(l => l.options.opacity));
    check('the opacity slider sets every tile layer to 0.4 (' + op.join(',') + ')', op.every(o => o === 0.4));
    // the table as CSV: a BOM for Chinese Excel, the shown rows with their codes
    const csv = await page.evaluate(() => window.onemap.panelCsv());
    const csvRows = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    check('the CSV export starts with a BOM and holds the ' + bySel.length + ' rows, codes first',
          csv.charCodeAt(0) === 0xFEFF && csvRows.length === bySel.length + 1 &&
          csvRows.slice(1).map(l => l.split(',')[0].replace(/"/g, '')).join('|') === bySel.join('|'), csvRows[1]);
    // the number under the cursor follows a layer switch made without moving the mouse
    if (wantV) {
      await page.evaluate(() => window.onemap.map.closePopup());
      await page.evaluate((la, lo) => window.onemap.map.setView([la, lo], 12, {animate: false}), wantV.lat, wantV.lon);
      await new Promise(r => setTimeout(r, 300));
      const before = await hover(wantV.lat, wantV.lon);
      await page.evaluate(() => document.querySelectorAll('.leaflet-control-layers-base input')[0].click());
      await new Promise(r => setTimeout(r, 300));
      const after = await status();
      check('switching back to "' + names[0] + '" shows its number at once (' + before.value + ' -> ' + after.value + ')',
            before.value === '' && after.value && after.value.startsWith(names[0] + '='));
    }

    await page.screenshot({path: shot});
    check('screenshot kept as ' + shot, fs.statSync(shot).size > 10000);

    // ---- a phone (390 x 844): controls collapsed, popups inside the screen ------------
    const phone = await browser.newPage();
    await phone.setViewport({width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true});
    await phone.goto('file://' + path.resolve(dir, 'index.html'));
    await phone.waitForFunction(() => window.onemap && +document.getElementById('status').dataset.loaded > 0, {timeout: 20000});
    const collapsed = await phone.evaluate(() => [
      !document.querySelector('.leaflet-control-layers-expanded'),
      document.getElementById('om-panel').classList.contains('om-collapsed')]);
    check('on a phone the layer list and the panel start collapsed', collapsed[0] && collapsed[1], JSON.stringify(collapsed));
    await phone.evaluate(code => {
      const hit = window.onemap.index.find(x => x.code === code);
      window.onemap.map.fitBounds(hit.layer.getBounds(), {maxZoom: 14, animate: false});
      hit.layer.openPopup(hit.at || hit.layer.getBounds().getCenter());
    }, sel.code);
    await new Promise(r => setTimeout(r, 800));
    const box = await phone.$eval('.leaflet-popup', e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }).catch(() => null);
    const topCtl = await phone.evaluate(() => Math.max(...[...document.querySelectorAll(
      '.leaflet-top .leaflet-control')].map(c => c.getBoundingClientRect().bottom)));
    check('on a phone the popup fits inside the screen, below the controls at the top (' +
          JSON.stringify(box) + ', controls to ' + Math.round(topCtl) + ' px)',
          box && box[0] >= 0 && box[2] <= 390 && box[1] >= topCtl && box[3] <= 844);
    const covered = await phone.evaluate(() => {
      let a = 0;
      document.querySelectorAll('.leaflet-control').forEach(c => {
        const r = c.getBoundingClientRect(); a += Math.max(0, r.width) * Math.max(0, r.height);
      });
      return a / (390 * 844);
    });
    check('on a phone the controls cover under 30 % of the screen (' + (100 * covered).toFixed(0) + ' %)', covered < 0.3);
    await phone.screenshot({path: shot.replace(/\.png$/, '_phone.png')});
    await phone.close();
    check('no request left the page (' + outside.length + ')', outside.length === 0, outside.slice(0, 3).join(' '));
  } finally {
    await browser.close();
  }
}

run(main);
