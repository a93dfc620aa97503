// What the browser tests share: the ok/FAIL lines and the count that tests/cli reads, a
// headless chromium (Debian's, through puppeteer-core) and the closing line.
'use strict';
const puppeteer = require('puppeteer-core');

const counts = {pass: 0, fail: 0};
// One check: "ok: DESC" or "FAIL: DESC (DETAIL)".
function check(desc, cond, detail) {
  if (cond) { counts.pass++; console.log('ok: ' + desc); }
  else { counts.fail++; console.log('FAIL: ' + desc + (detail !== undefined ? ' (' + detail + ')' : '')); }
}
// Debian's chromium, headless, reading files from disk; a desktop window unless size given.
function launch(size) {
  const [w, h] = size || [1200, 850];
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--allow-file-access-from-files', '--window-size=' + w + ',' + h],
    defaultViewport: {width: w, height: h},
  });
}
// A new page on DIR/index.html, its script errors collected in errors.
async function open(browser, dir) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto('file://' + require('path').resolve(dir, 'index.html'));
  return {page, errors};
}
// Runs main, then prints "N passed, N failed" (an exception is one more failure) and exits.
function run(main) {
  main().then(() => {
    console.log(counts.pass + ' passed, ' + counts.fail + ' failed');
    process.exit(counts.fail ? 1 : 0);
  }, e => {
    console.log('FAIL: ' + (e && e.stack || e));
    console.log(counts.pass + ' passed, ' + (counts.fail + 1) + ' failed');
    process.exit(1);
  });
}
module.exports = {check, launch, open, run};
