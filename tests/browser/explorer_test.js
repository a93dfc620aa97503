// The scenario explorer (sp-onemap -scenario) in Debian's chromium: a slider per measure;
// every slider at 100 % gives each street the scenario's cut (the streets' table of the
// whole scenario, within the responses' rounding), all at 0 gives 0, one measure at 50 %
// gives half its response; the pass count and the tonnes follow; window.onemap.scenario
// is the interface the eco-brain embeds.
// Usage: node explorer_test.js PAGE_DIR SCENARIO_CUTS.csv STREETS_SCEN.csv RESPONSES.csv SHOT.png
// STREETS_SCEN.csv: code and c_delta_pm25_mean (the scenario's cut per street, its own run).
'use strict';
const fs = require('fs');
const {check, launch, open, run} = require('./harness');

const [dir, cutsPath, scenPath, respPath, shot] = process.argv.slice(2);
function csv(p) { // plain CSV; quoted text fields without commas inside quotes are enough here
  const rows = fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '').trim().split('\n').map(l => {
    const out = []; let f = '', q = false;
    for (const c of l) { if (c === '"') q = !q; else if (c === ',' && !q) { out.push(f); f = ''; } else f += c; }
    out.push(f); return out;
  });
  const h = rows.shift();
  return rows.map(r => Object.fromEntries(h.map((k, i) => [k, r[i]])));
}

async function main() {
  const cuts = csv(cutsPath), scen = csv(scenPath), resp = csv(respPath);
  const nm = Math.max(...cuts.filter(r => r.measure !== 'all').map(r => +r.measure));
  const browser = await launch();
  try {
    const {page, errors} = await open(browser, dir);
    await page.waitForFunction(() => window.onemap && window.onemap.scenario, {timeout: 20000});
    const sliders = await page.$$eval('#om-explorer input[type=range]', l => l.length);
    check('one slider per measure (' + sliders + ' of ' + nm + ')', sliders === nm);
    const api = await page.evaluate(() => ({m: window.onemap.scenario.measures(), s: window.onemap.scenario.streets(),
                                            t: window.onemap.scenario.totals()}));
    // all at 100 %: each street the scenario's cut
    let worst = 0, n = 0;
    scen.forEach(r => { if (r.code in api.s) { n++; worst = Math.max(worst, Math.abs(api.s[r.code] - +r.c_delta_pm25_mean)); } });
    check('every slider at 100 %: each street\'s cut is the scenario\'s (' + n + ' streets, worst ' + worst.toExponential(2) + ' ug/m3)',
          n === scen.length && worst < 1e-4);
    const all = Object.fromEntries(cuts.filter(r => r.measure === 'all').map(r => [r.pollutant, +r.cut_t]));
    check('and the tonnes are the scenario\'s (NOx ' + api.t.cut.NOx.toFixed(3) + ' of ' + all.NOx.toFixed(3) + ')',
          Math.abs(api.t.cut.NOx - all.NOx) <= 1e-6 * all.NOx && Math.abs(api.t.cut.VOCs - all.VOCs) <= 1e-6 * all.VOCs);
    const pass100 = scen.filter(r => +r.c_delta_pm25_mean >= 1).length;
    check('the pass count is the streets the scenario cuts by 1 ug/m3 or more (' + api.t.pass + ' = ' + pass100 + ', plan ' + api.t.plan + ')',
          api.t.pass === pass100 && api.t.plan === 15);
    // all at 0: nothing; the page's sliders moved as a planner would
    for (let k = 1; k <= nm; k++)
      await page.$eval('#om-explorer input[data-k="' + k + '"]', e => { e.value = '0'; e.dispatchEvent(new Event('input', {bubbles: true})); });
    let z = await page.evaluate(() => ({s: window.onemap.scenario.streets(), t: window.onemap.scenario.totals(),
                                        st: JSON.parse(document.getElementById('status').dataset.scenario)}));
    check('every slider at 0: no street is cut, no tonne, none passes',
          Object.values(z.s).every(v => v === 0) && z.t.pass === 0 && z.st.nox === 0 && z.st.pass === 0);
    // measure 2 at 50 %: half its response in every street, half its tonnes
    await page.$eval('#om-explorer input[data-k="2"]', e => { e.value = '50'; e.dispatchEvent(new Event('input', {bubbles: true})); });
    z = await page.evaluate(() => ({s: window.onemap.scenario.streets(), t: window.onemap.scenario.totals()}));
    let w2 = 0;
    resp.forEach(r => { const c = Object.keys(r).find(x => x.includes('cut02_pm25')); w2 = Math.max(w2, Math.abs(z.s[r.code] - 0.5 * +r[c])); });
    const c2 = cuts.find(r => r.measure === '2' && r.pollutant === 'PM2.5');
    check('measure 2 at 50 %: half its response in every street (worst ' + w2.toExponential(2) + ') and half its tonnes',
          w2 < 1e-6 && Math.abs(z.t.cut['PM2.5'] - 0.5 * +c2.cut_t) <= 1e-9 * Math.max(1, +c2.cut_t));
    const label = await page.$eval('#om-explorer input[data-k="2"] + output', e => e.textContent);
    check('its slider says 50% (' + label + ')', label === '50%');
    const sum = await page.$eval('#om-ex-sum', e => e.innerText);
    check('the summary shows the pass count against the plan and the interaction (' + sum.replace(/\n/g, ' | ').slice(0, 90) + ')',
          sum.includes('计划 plan 15') && sum.includes('interaction'));
    await page.evaluate(() => document.getElementById('om-panel-all').click());
    const heads = await page.$$eval('#om-panel th', l => l.map(t => t.innerText));
    check('the candidates panel has the explorer\'s column', heads.some(h => h.startsWith('情景削减')));
    let threw = false;
    try { await page.evaluate(() => window.onemap.scenario.set(99, 0.5)); } catch (e) { threw = true; }
    check('set() refuses a measure that is not there', threw);
    for (let k = 1; k <= nm; k++)
      await page.$eval('#om-explorer input[data-k="' + k + '"]', e => { e.value = '100'; e.dispatchEvent(new Event('input', {bubbles: true})); });
    check('no script error on the page', errors.length === 0, errors.join('; '));
    await page.screenshot({path: shot});
  } finally {
    await browser.close();
  }
}

run(main);
