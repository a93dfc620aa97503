#!/bin/sh
# Extending onemap as docs/architecture.md says, checked: a tile format is one file and one
# line of libspatial/tiles/sp_tiles_sinks.def; an inventory sector is one file and one line
# of libspatial/inventory/sectors/sp_sectors.def. A copy of the tree gets the trial sink and
# the trial sector of tests/trial/ and those two lines, and nothing else. Its sp-tiles must
# offer the format in -of, write it beside the XYZ tree with the same tiles (oracle: the
# XYZ tree's files, hashed here), and write it alone as OUT.tilelist. Its sp-inventory must
# take -trial, its field keys, its factor rows and its measure, and compute what the formula
# of tests/trial/sp_sector_trial.c gives (oracle: the formula, in Python, on the inputs).
. tests/cli/lib.sh

mkdir -p $T/tree/tests
cp -r Makefile libspatial tools samples styles page $T/tree/
cp -r tests/unit $T/tree/tests/
cp tests/trial/sp_tiles_sink_trial.c $T/tree/libspatial/tiles/
echo 'SP_SINK(TRIAL, sp_tiles_sink_trial)' >> $T/tree/libspatial/tiles/sp_tiles_sinks.def
cp tests/trial/sp_sector_trial.c $T/tree/libspatial/inventory/sectors/
echo 'SP_SECTOR(TRIAL, trial)' >> $T/tree/libspatial/inventory/sectors/sp_sectors.def
# a plain build (no sanitizer): the point is the tree, not the instrumentation
make -s -C $T/tree BUILD=b SANITIZE= -j2 b/bin/sp-tiles b/bin/sp-inventory > $T/build.log 2>&1
check "the tree with the trial sink and sector builds" test -x $T/tree/b/bin/sp-tiles -a -x $T/tree/b/bin/sp-inventory
TT=$T/tree/b/bin/sp-tiles
$BIN/sp-inventory -q -f samples/factors.csv -road $SAMPLES/roads.gpkg $T/inv.gpkg
$BIN/sp-grid -q -density -tr 200 200 -tap -t_srs EPSG:32650 -a nox $T/inv.gpkg $T/nox.tif
check "-of takes the new name" $TT -q -z 10-12 -of xyz,tilelist -style styles/nox_density.txt $T/nox.tif $T/o1
check "  written as tiles.tilelist beside the XYZ tree" test -s $T/o1/tiles.tilelist
check "  with every tile of the tree, the same bytes, in the pyramid's order" $PY - $T <<'PYEOF'
import os, sys
d = sys.argv[1] + "/o1"
def fnv(b):
    h = 14695981039346656037  # the FNV-1a 64 offset basis
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

# the trial sector: 3 dry cleaners, the solvent field under another name (-map), a factor row
# of its own, its measure and a reduce of it
TI=$T/tree/b/bin/sp-inventory
check "--help lists -trial with its text" sh -c "$TI --help | grep -q -- '-trial SRC.*dry cleaners'"
$PY - $T <<'PYEOF'
import sys
from osgeo import ogr, osr
ogr.UseExceptions()
d = sys.argv[1]
ds = ogr.GetDriverByName("GPKG").CreateDataSource(d + "/cleaners.gpkg")
sr = osr.SpatialReference(); sr.ImportFromEPSG(4326)
lyr = ds.CreateLayer("cleaners", sr, ogr.wkbPoint)
lyr.CreateField(ogr.FieldDefn("kg_yr", ogr.OFTReal))
for i, kg in enumerate([1200.0, 0.0, 350.5]):
    f = ogr.Feature(lyr.GetLayerDefn()); f["kg_yr"] = kg
    f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT (116.45{i} 39.92)")); lyr.CreateFeature(f)
ds = None
PYEOF
{ cat samples/factors.csv; echo 'trial,solvent,VOCs,640,g/kg,assumption (a test value)'; } > $T/fac.csv
printf 'trial capture 40%%\nreduce trial VOCs 50\n' > $T/trial_m.txt
check "sp-inventory -trial runs with -map trial.solvent_kg" $TI -q -f $T/fac.csv -m $T/trial_m.txt \
  -trial $T/cleaners.gpkg -map trial.solvent_kg=kg_yr -totals $T/trial_totals.csv $T/trial_inv.gpkg
check "  the trial layer holds the formula's VOCs and the measures applied" $PY - $T <<'PYEOF'
import csv, sys
from osgeo import ogr
d = sys.argv[1]
ds = ogr.Open(d + "/trial_inv.gpkg")
lyr = ds.GetLayerByName("trial")
got = [(f["kg_yr"], f["vocs"], f["measures"]) for f in lyr]
assert len(got) == 3, got
for kg, voc, ms in got:
    want = kg * 640 * (1 - 0.40) * (1 - 0.50) / 1e6
    assert abs(voc - want) <= 1e-12 + 1e-9 * want, (kg, voc, want)
    assert ms == ("" if kg == 0 else "trial capture 40%; reduce trial VOCs 50"), ms
rows = {(r["sector"], r["pollutant"]): r for r in csv.DictReader(open(d + "/trial_totals.csv"))}
b = float(rows["trial", "VOCs"]["baseline_t"]); s = float(rows["trial", "VOCs"]["scenario_t"])
assert abs(b - 1550.5 * 640 / 1e6) < 1e-9 and abs(s - b * 0.3) < 1e-9, (b, s)
assert rows["trial", "VOCs"]["sources"] == "3"
PYEOF
expect_fail "  a trial measure line it does not know is named with the known ones" 1 \
  "unknown measure 'trial wash' .known: catering purifier.*trial capture, reduce" $T/x.gpkg \
  sh -c "printf 'trial wash 1\n' > $T/m3.txt; $TI -q -f $T/fac.csv -m $T/m3.txt -trial $T/cleaners.gpkg -map trial.solvent_kg=kg_yr $T/x.gpkg"
expect_fail "  a table without its rows is refused" 1 "the factor table has no trial rows" $T/y.gpkg \
  $TI -q -f samples/factors.csv -trial $T/cleaners.gpkg -map trial.solvent_kg=kg_yr $T/y.gpkg
check "the project's own tree has no trial sink" sh -c "! grep -q TRIAL libspatial/tiles/sp_tiles_sinks.def"
check "nor trial sector" sh -c "! grep -q TRIAL libspatial/inventory/sectors/sp_sectors.def"
end
