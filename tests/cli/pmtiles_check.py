#!/usr/bin/env python3
"""An independent PMTiles v3 reader for the tests (spec: github.com/protomaps/PMTiles,
spec/v3/spec.md), written from the spec, not from sp_pmtiles.c. Usage:
  pmtiles_check.py ARCHIVE TREE   every z/x/y.png of the XYZ tree TREE must be the archive's
                                  tile, and the archive must hold no other tile
Checks the header (magic, version 3, gzip directories, PNG, clustered, counts, zooms),
decodes the root and leaf directories and the metadata; prints a summary line."""
import gzip, json, os, struct, sys

def varints(b, pos, n):
    out = []
    for _ in range(n):
        v = shift = 0
        while True:
            c = b[pos]; pos += 1
            v |= (c & 0x7f) << shift; shift += 7
            if c < 0x80:
                break
        out.append(v)
    return out, pos

def directory(raw):
    b = gzip.decompress(raw)
    (n,), pos = varints(b, 0, 1)
    assert n > 0, "empty directory"
    ids, pos = varints(b, pos, n)
    runs, pos = varints(b, pos, n)
    lens, pos = varints(b, pos, n)
    offs, pos = varints(b, pos, n)
    assert pos == len(b), "trailing bytes in a directory"
    entries, tid, last = [], 0, None
    for i in range(n):
        tid += ids[i]
        if offs[i] == 0:
            assert i > 0, "first offset cannot be 0"
            off = last[1] + last[2]
        else:
            off = offs[i] - 1
        assert lens[i] > 0
        last = (tid, off, lens[i], runs[i])
        entries.append(last)
    return entries

def hilbert(z, x, y):
    """TileId of z/x/y: tiles of lower zooms, then the Hilbert index (xy2d)."""
    base = sum(4 ** i for i in range(z))
    n, d, s = 1 << z, 0, (1 << z) >> 1
    while s > 0:
        rx = 1 if x & s else 0
        ry = 1 if y & s else 0
        d += s * s * ((3 * rx) ^ ry)
        if ry == 0:
            if rx == 1:
                x, y = n - 1 - x, n - 1 - y
            x, y = y, x
        s >>= 1
    return base + d

def read(path):
    data = open(path, 'rb').read()
    h = data[:127]
    assert h[:7] == b'PMTiles' and h[7] == 3, "magic/version"
    (root_off, root_len, meta_off, meta_len, leaf_off, leaf_len, data_off, data_len,
     addressed, nentries, ncontents) = struct.unpack('<11Q', h[8:96])
    clustered, icomp, tcomp, ttype, minz, maxz = h[96:102]
    bounds = struct.unpack('<4i', h[102:118])
    assert icomp == 2 and tcomp == 1 and ttype == 2 and clustered == 1, (icomp, tcomp, ttype, clustered)
    assert root_off + root_len <= 16384, "root beyond 16 KiB"
    assert data_off + data_len == len(data), "tile data to the end of the file"
    meta = json.loads(gzip.decompress(data[meta_off:meta_off + meta_len]))
    tiles, nleaves, tile_entries = {}, 0, []
    def walk(entries):
        nonlocal nleaves
        for tid, off, ln, run in entries:
            if run == 0:
                nleaves += 1
                walk(directory(data[leaf_off + off:leaf_off + off + ln]))
            else:
                tile_entries.append((tid, off, ln, run))
                blob = data[data_off + off:data_off + off + ln]
                for k in range(run):
                    tiles[tid + k] = blob
    walk(directory(data[root_off:root_off + root_len]))
    assert len(tiles) == addressed, (len(tiles), addressed)
    # the header's counts are the directories': tile entries, distinct contents
    assert len(tile_entries) == nentries, ("tile entries", len(tile_entries), nentries)
    spans = sorted({(off, ln) for _, off, ln, _ in tile_entries})
    assert len(spans) == ncontents, ("distinct contents", len(spans), ncontents)
    # the contents tile the data section: from 0, no gap, no overlap, to its end
    end = 0
    for off, ln in spans:
        assert off == end, ("a gap or an overlap in the tile data at", off, end)
        end = off + ln
    assert end == data_len, ("the data section's length", end, data_len)
    # runs are maximal: an entry never continues the previous one's tile with the same data
    tile_entries.sort()
    for a, b in zip(tile_entries, tile_entries[1:]):
        assert a[0] + a[3] <= b[0], ("entries overlap", a, b)
        assert not (a[0] + a[3] == b[0] and a[1] == b[1]), ("a run split in two", a, b)
    return tiles, dict(minz=minz, maxz=maxz, bounds=bounds, entries=nentries,
                       contents=ncontents, leaves=nleaves, meta=meta)

if __name__ == '__main__':
    tiles, info = read(sys.argv[1])
    seen = 0
    for root, _, files in os.walk(sys.argv[2]):
        for f in files:
            if not f.endswith('.png'):
                continue
            parts = os.path.relpath(os.path.join(root, f), sys.argv[2]).split(os.sep)
            if len(parts) != 3 or not parts[0].isdigit():
                continue
            z, x, y = int(parts[0]), int(parts[1]), int(parts[2][:-4])
            blob = open(os.path.join(root, f), 'rb').read()
            assert tiles.get(hilbert(z, x, y)) == blob, "tile %d/%d/%d differs" % (z, x, y)
            seen += 1
    assert seen == len(tiles), (seen, len(tiles))
    print("pmtiles: %d tiles = the tree's, %d entries, %d distinct images, %d leaves, zooms %d-%d, name %s, crs %s"
          % (seen, info['entries'], info['contents'], info['leaves'], info['minz'], info['maxz'],
             info['meta'].get('name'), info['meta'].get('crs')))
