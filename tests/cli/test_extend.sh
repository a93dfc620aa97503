#!/bin/sh
# Extending onemap as docs/architecture.md says, checked: a tile format is one file and one
# line of libspatial/tiles/sp_tile_sinks.def. A copy of the tree gets the trial sink of
# tests/trial/ (a text listing of the tiles) and that line, and nothing else; its sp-tiles
# is built and must offer the format in -of, write it beside the XYZ tree with the same
# tiles (oracle: the XYZ tree's files, hashed here), and write it alone as OUT.tilelist.
. tests/cli/lib.sh

mkdir -p $T/tree/tests
cp -r Makefile libspatial tools samples styles page $T/tree/
cp -r tests/unit $T/tree/tests/
cp tests/trial/sp_tile_sink_trial.c $T/tree/libspatial/tiles/
echo 'SP_SINK(TRIAL, sp_tile_sink_trial)' >> $T/tree/libspatial/tiles/sp_tile_sinks.def
# a plain build (no sanitizer): the point is the tree, not the instrumentation
make -s -C $T/tree BUILD=b SANITIZE= -j2 b/bin/sp-tiles > $T/build.log 2>&1
check "the tree with the trial sink builds" test -x $T/tree/b/bin/sp-tiles
TT=$T/tree/b/bin/sp-tiles
$BIN/sp-inventory -q -f samples/factors.csv -road $SAMPLES/roads.gpkg $T/inv.gpkg
$BIN/sp-grid -q -density -tr 200 200 -tap -t_srs EPSG:32650 -a nox $T/inv.gpkg $T/nox.tif
check "-of takes the new name" $TT -q -z 10-12 -of xyz,tilelist -style styles/nox_density.txt $T/nox.tif $T/o1
check "  written as tiles.tilelist beside the XYZ tree" test -s $T/o1/tiles.tilelist
check "  with every tile of the tree, the same bytes, in the pyramid's order" $PY - $T <<'PYEOF'
import os, sys
d = sys.argv[1] + "/o1"
def fnv(b):
    h = 1469598103934665603
    for c in b:
        h = ((h ^ c) * 1099511628211) & (2**64 - 1)
    return h
tree = {}
for z in os.listdir(d):
    if not z.isdigit():
        continue
    for x in os.listdir(f"{d}/{z}"):
        for f in os.listdir(f"{d}/{z}/{x}"):
            b = open(f"{d}/{z}/{x}/{f}", "rb").read()
            tree[f"{z}/{x}/{f[:-4]}"] = (len(b), fnv(b))
lines = [l.split() for l in open(d + "/tiles.tilelist")]
got = {k: (int(n), int(h, 16)) for k, n, h in lines}
assert len(got) == len(lines) == len(tree) > 0 and got == tree, (len(got), len(tree))
zs = [int(k.split("/")[0]) for k, _, _ in lines]
assert zs[-1] == 10 or min(zs) == 10, zs[:5]
PYEOF
check "OUT.tilelist: that one file" $TT -q -z 10-11 -style styles/nox_density.txt $T/nox.tif $T/one.tilelist
check "  is the listing" sh -c "test -s $T/one.tilelist && grep -q '^10/' $T/one.tilelist"
expect_fail "its Web-Mercator-only entry is honoured" 2 "XYZ tree only: tile list holds Web Mercator" \
  $T/cg.tilelist $TT -q -z 12 -tiling cgcs2000 -style styles/nox_density.txt $T/nox.tif $T/cg.tilelist
expect_fail "and an unknown -of lists it" 2 "is not xyz, mbtiles, pmtiles, tilelist or both" "" \
  $TT -q -z 10 -of gpkg -style styles/nox_density.txt $T/nox.tif $T/x
check "the project's own tree has no trial sink" sh -c "! grep -q TRIAL libspatial/tiles/sp_tile_sinks.def"
end
