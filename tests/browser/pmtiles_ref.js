// The PMTiles reference reader (npm pmtiles, pinned in package.json) over an archive
// sp-tiles wrote: every tile of the XYZ tree beside it read back through the library's
// directory lookup (getZxy) must be the same bytes, and no tile of the archive missing
// from the tree. Usage: node pmtiles_ref.js ARCHIVE.pmtiles TREE
// Prints "pmtiles reference reader: N tiles = the tree's, zooms A-B, name NAME" or fails.
'use strict';
const fs = require('fs');
const path = require('path');
const {PMTiles} = require('pmtiles');

class FileSource { // the library's Source interface over a local file
  constructor(p) { this.p = p; this.fd = fs.openSync(p, 'r'); }
  getKey() { return this.p; }
  async getBytes(offset, length) {
    const b = Buffer.alloc(length);
    const n = fs.readSync(this.fd, b, 0, length, offset);
    return {data: b.buffer.slice(b.byteOffset, b.byteOffset + n)};
  }
}

async function main() {
  const [archive, tree] = process.argv.slice(2);
  const pm = new PMTiles(new FileSource(archive));
  const h = await pm.getHeader();
  const meta = await pm.getMetadata();
  let n = 0;
  for (let z = h.minZoom; z <= h.maxZoom; z++) {
    const zd = path.join(tree, String(z));
    if (!fs.existsSync(zd)) throw new Error('zoom ' + z + ' of the archive is not in the tree');
    for (const x of fs.readdirSync(zd)) {
      for (const f of fs.readdirSync(path.join(zd, x))) {
        if (!f.endsWith('.png')) continue;
        const y = +f.slice(0, -4);
        const want = fs.readFileSync(path.join(zd, x, f));
        const got = await pm.getZxy(z, +x, y);
        if (!got || Buffer.compare(Buffer.from(got.data), want) !== 0)
          throw new Error('tile ' + z + '/' + x + '/' + y + ' differs or is missing');
        n++;
      }
    }
  }
  if (h.numAddressedTiles !== n)
    throw new Error('the archive addresses ' + h.numAddressedTiles + ' tiles, the tree has ' + n);
  console.log('pmtiles reference reader: ' + n + ' tiles = the tree\'s, zooms ' + h.minZoom + '-' +
              h.maxZoom + ', name ' + meta.name);
}
main().catch(e => { console.error('pmtiles_ref: ' + (e && e.message || e)); process.exit(1); });
