// The explorer's costs and its cheapest mix (window.onemap.scenario.totals().cost and
// cheapest(n)) on a hand case in Debian's chromium: three measures costing 100, 10 and 30
// yuan and three streets (responses A 1/0.6/0.5, B 1/0/0.5, C 0/0/1); worked by hand over
// the 8 subsets: 2 streets cheapest with measures 2 and 3 (A 1.1, C 1: 40 yuan), 3 streets
// with 1 and 3 (A 1.5, B 1.5, C 1: 130 yuan; a greedy by streets per yuan would take all
// three, 140).
// Usage: node cheapest_test.js PAGE_DIR
'use strict';
const path = require('path');
const {check, launch, run} = require('./harness');
const [dir] = process.argv.slice(2);
async function main() {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto('file://' + path.resolve(dir, 'index.html'));
    await page.waitForFunction(() => window.onemap && window.onemap.scenario, {timeout: 20000});
    const r = await page.evaluate(() => {
      const s = window.onemap.scenario;
      const start = s.totals().cost, slider = document.querySelector('#om-explorer input[data-k="1"]').value;
      s.set(1, 1);
      const full = s.totals().cost;
      s.set(1, 0.5);
      const half = s.totals().cost;
      return {start, slider, full, half, two: s.cheapest(2), three: s.cheapest(3)};
    });
    check('measure 1 starts at its reach, 50 % (slider ' + r.slider + ', cost ' + r.start + ')', r.slider === '50' && r.start === 90);
    check('the cost of the mix: every measure in full 140 yuan, measure 1 at half 90 (' + r.full + ', ' + r.half + ')',
          r.full === 140 && r.half === 90);
    check('the cheapest mix to 2 streets: measures 2 and 3, 40 yuan (' + JSON.stringify(r.two) + ')',
          r.two && r.two.measures.join() === '2,3' && r.two.cost === 40 && r.two.pass === 2 && r.two.reached);
    check('to 3 streets: measures 1 and 3, 130 yuan, not the greedy\'s 140 (' + JSON.stringify(r.three) + ')',
          r.three && r.three.measures.join() === '1,3' && r.three.cost === 130 && r.three.reached);
    const four = await page.evaluate(() => window.onemap.scenario.cheapest(4));
    check('4 streets of 3: not reached, said (' + JSON.stringify(four) + ')', four && !four.reached && four.pass === 3);
    await page.$eval('#om-ex-cheap', b => b.click());
    const out = await page.$eval('#om-ex-cheap-out', e => e.textContent);
    check('the page\'s button shows its answer (' + out + ')', out.includes('万元'));
  } finally {
    await browser.close();
  }
}

run(main);
