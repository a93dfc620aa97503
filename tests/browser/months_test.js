// The one map's month slider (sp-onemap -months) and the candidates panel's worst month, in
// Debian's chromium (puppeteer-core): the months are one entry in the layer control, the
// slider shows only while that layer is on, a month chosen loads that month's tiles and
// legend (the folder sp-tiles wrote for it), the address keeps the month, and the panel
// shows each street's worst month as the -table file has it.
// Usage: node months_test.js PAGE_DIR MONTHS.csv SCREENSHOT.png
// MONTHS.csv: the -table with code, worst_month, worst_leading_sector (the expected values).
'use strict';
const fs = require('fs');
const {check, launch, open, run} = require('./harness');

const [dir, monthsPath, shot] = process.argv.slice(2);

async function main() {
  const lines = fs.readFileSync(monthsPath, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const want = lines.slice(1).map(l => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
  const browser = await launch();
  try {
    const {page, errors} = await open(browser, dir);
    const status = () => page.$eval('#status', e => Object.assign({}, e.dataset));
    await page.waitForFunction(() => +document.getElementById('status').dataset.loaded > 0, {timeout: 20000});
    const labels = await page.$$eval('.leaflet-control-layers-base label', l => l.map(x => x.innerText.trim()));
    const mi = labels.findIndex(t => t.startsWith('PM2.5 月均'));
    check('the months are one entry of the layer control (' + labels.join(' | ') + ')',
          mi >= 0 && labels.filter(t => t.includes('月均')).length === 1 && !labels.some(t => t.includes('· 1月')));
    const hidden = await page.$eval('.om-months', e => getComputedStyle(e).display === 'none' || getComputedStyle(e.firstChild).display === 'none');
    check('the month slider is hidden while another layer is shown', hidden);
    (await page.$$('.leaflet-control-layers-base label'))[mi].click();
    await page.waitForFunction(() => document.getElementById('status').dataset.month === '1', {timeout: 5000}).catch(() => null);
    let s = await status();
    check('switched on, it shows January with the slider (month ' + s.month + ', ' + s.active + ')',
          s.month === '1' && s.active.split('|').some(a => a.endsWith('· 1月')));
    // March: its own tiles and legend
    await page.$eval('#om-month', e => { e.value = '3'; e.dispatchEvent(new Event('input')); });
    await page.waitForFunction(() => {
      const c = JSON.parse(document.getElementById('status').dataset.counts);
      return Object.keys(c).some(k => k.endsWith('· 3月') && c[k][0] > 0);
    }, {timeout: 20000}).catch(() => null);
    await new Promise(r => setTimeout(r, 500));
    s = await status();
    const counts = JSON.parse(s.counts);
    const mar = Object.keys(counts).find(k => k.endsWith('· 3月'));
    check('March chosen: its tiles load (' + (mar && counts[mar][0]) + '), January is off, none failed',
          s.month === '3' && mar && counts[mar][0] > 0 && s.active.split('|').some(a => a === mar) &&
          !s.active.split('|').some(a => a.endsWith('· 1月')) && +s.failed === 0, s.active);
    const cfgMar = await page.evaluate(() => window.ONEMAP_CONFIG.layers.find(l => l.month === 3).path);
    const legend = await page.$$eval('.om-legend img', l => l.map(i => i.getAttribute('src')));
    check('and its legend (' + legend.join(', ') + ')', legend.length === 1 && legend[0] === cfgMar + '/legend.svg');
    const out = await page.$eval('#om-month-out', e => e.textContent);
    check('the slider says 3月 (' + out + ')', out === '3月');
    check('the address keeps the month (' + page.url().split('#')[1] + ')', /[#&]month=3(&|$)/.test(page.url()));
    // the panel: every street, its worst month as the table says
    await page.evaluate(() => document.getElementById('om-panel-all').click());
    const rows = await page.$$eval('#om-panel tr[data-i]', l => l.map(tr => [...tr.children].map(td => td.innerText)));
    const heads = await page.$$eval('#om-panel th', l => l.map(th => th.innerText));
    const wi = heads.findIndex(h => h.startsWith('最差月份'));
    const names = await page.evaluate(() => Object.fromEntries(window.onemap.index.map(x => [x.name, x.code])));
    let good = 0;
    rows.forEach(r => {
      const w = want.find(x => x.code === names[r[1]]);
      if (w && r[wi] === w.worst_month + '月 (' + w.worst_leading_sector + ')') good++;
    });
    check('the panel shows each street\'s worst month and its leading sector (' + good + ' of ' + rows.length + ')',
          wi >= 0 && rows.length > 0 && good === rows.length, rows[0] && rows[0][wi]);
    check('no script error on the page', errors.length === 0, errors.join('; '));
    await page.screenshot({path: shot});
  } finally {
    await browser.close();
  }
}

run(main);
