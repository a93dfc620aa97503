#!/bin/sh
# End-to-end tests of what onemap guarantees (README "What onemap guarantees"): a
# damaged input is an error, never a partial result; outputs are atomic (kill -9 at
# several instants, SIGTERM/SIGINT, concurrent runs), never replace an input, and a
# folder output only replaces a folder onemap wrote; invalid polygons, absurd values
# and text that is not UTF-8 are refused; a full disk and a bad .prj are named; every
# output is deterministic. Each failure case checks the exit code, the message, and
# that nothing was lost.
. tests/cli/lib.sh
S=$SAMPLES
ST=$(pwd)/styles
FAC=$(pwd)/samples/factors.csv
G=$BIN/sp-grid; Z=$BIN/sp-zonal; I=$BIN/sp-inventory; C=$BIN/sp-convert
SC=$BIN/sp-score; TL=$BIN/sp-tiles

# same bytes as before? (the old output must survive a failed run)
same() { cmp -s "$1" "$2"; }
# a folder's content as one checksum
manifest() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs md5sum | md5sum | cut -c1-32); }
no_tmp() { ! ls -a "$1" | grep -q '\.tmp-'; }

$I -q -f $FAC -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 -boiler $S/boilers.shp \
  -road $S/roads.gpkg -area $S/construction.shp $T/inv.gpkg
$G -q -tr 100 100 -tap -t_srs EPSG:32650 -a nox,pm25 $T/inv.gpkg $T/emis.tif
$G -q -density -tr 20 20 -tap -t_srs EPSG:32650 -a nox $T/inv.gpkg $T/nox20.tif

# ---- 1. a damaged GeoPackage is an error in every tool, never a partial read ----
# overwrite the last leaf page of a table with 0xff bytes (the reproducer of issue 14)
damage() { # damage GPKG TABLE
  pg=$(sqlite3 "$1" "select max(pageno) from dbstat where name='$2' and pagetype='leaf'")
  ps=$(sqlite3 "$1" "pragma page_size")
  $PY -c "
import sys; f = open('$1', 'r+b'); f.seek(($pg - 1) * $ps); f.write(b'\xff' * $ps)"
}
ogr2ogr -f GPKG $T/streets.gpkg $S/streets.shp -nln streets
cp $T/streets.gpkg $T/streets_bad.gpkg; damage $T/streets_bad.gpkg streets
cp $S/roads.gpkg $T/roads_bad.gpkg; damage $T/roads_bad.gpkg roads
cp $T/inv.gpkg $T/inv_bad.gpkg; damage $T/inv_bad.gpkg road
check "the damaged copies really lose rows in a plain read" sh -c \
  "test \$(ogrinfo -q -al $T/roads_bad.gpkg 2>/dev/null | grep -c OGRFeature) -lt \$(ogrinfo -so -al $T/roads_bad.gpkg | sed -n 's/Feature Count: //p')"
DMG='malformed|damaged'
expect_fail "sp-grid on a damaged inventory" 1 "$DMG" $T/g.tif $G -q -tr 100 100 -a nox -l road $T/inv_bad.gpkg $T/g.tif
expect_fail "sp-zonal on damaged zones" 1 "$DMG" $T/z.csv $Z -q $T/emis.tif $T/streets_bad.gpkg $T/z.csv
expect_fail "sp-zonal -v on a damaged inventory" 1 "$DMG" $T/zv.csv $Z -q -v $T/inv_bad.gpkg -l inventory=road -a nox $T/streets.gpkg $T/zv.csv
expect_fail "sp-inventory on a damaged road layer" 1 "$DMG" $T/i.gpkg $I -q -f $FAC -road $T/roads_bad.gpkg $T/i.gpkg
expect_fail "sp-convert of a damaged layer" 1 "$DMG" $T/c.gpkg $C -q $T/roads_bad.gpkg $T/c.gpkg
printf 'id code\nindicator nox base_nox_sum higher 1 minmax\nselect 3\n' > $T/s.spec
$Z -q -r base=$T/emis.tif -id code $T/streets.gpkg $T/zt.gpkg
cp $T/zt.gpkg $T/zt_bad.gpkg; damage $T/zt_bad.gpkg zt
expect_fail "sp-score on a damaged table" 1 "$DMG" $T/sc.csv $SC -spec $T/s.spec $T/zt_bad.gpkg $T/sc.csv
expect_fail "sp-tiles with a damaged outline" 1 "$DMG" $T/tb $TL -q -z 10-11 -outline $T/streets_bad.gpkg $T/tb
$Z -q -r base=$T/emis.tif -id code $T/streets.gpkg $T/old.csv; cp $T/old.csv $T/old.ref
$Z -q -r base=$T/emis.tif -id code $T/streets_bad.gpkg $T/old.csv 2>/dev/null
check "a failed run leaves the old output byte-identical" same $T/old.csv $T/old.ref

# ---- 2. sp-tiles replaces only a folder it wrote ----
mkdir -p $T/in; cp $T/nox20.tif $T/in/x.tif; echo "my notes" > $T/in/notes.txt
expect_fail "OUT holding the input raster" 2 "was not written by onemap|holds an input" "" $TL -q -z 10-11 -style $ST/nox_density.txt $T/in/x.tif $T/in
check "input raster intact" same $T/in/x.tif $T/nox20.tif
check "user's notes intact" grep -q "my notes" $T/in/notes.txt
mkdir -p $T/foreign; echo keep > $T/foreign/a.txt
expect_fail "a foreign non-empty folder" 2 "was not written by onemap" "" $TL -q -z 10-11 -style $ST/nox_density.txt $T/nox20.tif $T/foreign
check "foreign folder intact" grep -q keep $T/foreign/a.txt
mkdir -p $T/cwd
for od in . .. /; do
  (cd $T/cwd && $TL -q -z 10 -style $ST/nox_density.txt $T/nox20.tif $od > $T/dot.out 2> $T/dot.err); rc=$?
  check "OUT='$od' refused with exit 2" test $rc = 2
  check "OUT='$od': the message names it" grep -q "name a new folder, not '$od'" $T/dot.err
done
check "nothing written in the current folder" test -z "$(ls -A $T/cwd)"
check "/ untouched (no tiles.json)" test ! -e /tiles.json
mkdir -p $T/empty
check "an empty folder is fine" $TL -q -z 10-11 -style $ST/nox_density.txt $T/nox20.tif $T/empty
check "the output carries the marker" test -f $T/empty/.onemap-output
check "a folder onemap wrote is replaced" $TL -q -z 10-12 -style $ST/nox_density.txt $T/nox20.tif $T/empty
check "replaced as a whole (zoom 12 now there)" test -d $T/empty/12
# the input inside a previous output folder: refused, tree and input intact
cp $T/nox20.tif $T/empty/inside.tif
expect_fail "an output folder holding the input" 2 "holds an input" "" $TL -q -z 10 -style $ST/nox_density.txt $T/empty/inside.tif $T/empty
check "the input inside it survives" same $T/empty/inside.tif $T/nox20.tif

# ---- 3. folder outputs are swapped whole: kill -9 at several instants, concurrency ----
# (-url: the metadata name a fixed address, not each folder's own, so trees compare)
$TL -q -z 10-16 -url http://tiles.example/t -style $ST/nox_density.txt $T/nox20.tif $T/refA
$TL -q -z 10-16 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/refB
MA=$(manifest $T/refA); MB=$(manifest $T/refB)
check "the two reference trees differ" test "$MA" != "$MB"
cp -r $T/refA $T/kt
for dl in 0.05 0.3 0.8 1.2 1.6 1.9 2.1 2.3 2.6; do
  $TL -q -z 10-16 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/kt 2>/dev/null & p=$!
  sleep $dl; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
  m=$(manifest $T/kt)
  if [ "$m" = "$MA" ] || [ "$m" = "$MB" ]; then ok; else bad "kill -9 after ${dl}s: the tree is neither the old nor the new one"; fi
  # back to the old tree for the next instant
  rm -rf $T/kt; cp -r $T/refA $T/kt
done
# the instant that matters most: the commit itself. A watcher kills the run as soon as
# the new tree's last file (index.html) exists, i.e. while the swap is under way.
# (then after 0-45 ms: removing a 4,000-file tree takes ~50 ms here, the window a
# delete-then-rename commit would leave open)
for k in 0 0.005 0.01 0.02 0.03 0.045; do
  $TL -q -z 10-16 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/kt 2>/dev/null & p=$!
  $PY -c "
import glob, os, signal, sys, time
pid, t0 = $p, time.time()
while time.time() - t0 < 120:
    if glob.glob('$T/.kt.tmp-%d-*/kt/index.html' % pid):
        time.sleep($k); os.kill(pid, signal.SIGKILL); sys.exit(0)
    try: os.kill(pid, 0)
    except OSError: sys.exit(1)
sys.exit(1)"
  hit=$?; wait $p 2>/dev/null
  m=$(manifest $T/kt)
  if [ "$m" = "$MA" ] || [ "$m" = "$MB" ]; then ok; else bad "kill -9 ${k}s into the commit (watcher hit: $hit): the tree is neither the old nor the new one"; fi
  rm -rf $T/kt; cp -r $T/refA $T/kt
done
$TL -q -z 10-16 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/kt 2>/dev/null & p=$!
sleep 0.5; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
check "kill -9 leaves a temporary folder (nothing can catch it)" sh -c "ls -a $T | grep -q '^\.kt\.tmp-'"
check "the next run removes what kill -9 left" sh -c "$TL -z 10 -style $ST/nox_density.txt $T/nox20.tif $T/kt2 2> $T/sweep.err"
check "and says so" grep -q "removed '.*\.tmp-.*', left by process" $T/sweep.err
check "no temporary folder left" no_tmp $T
$TL -q -z 10-15 -url http://tiles.example/t -style $ST/nox_density.txt $T/nox20.tif $T/ccA
$TL -q -z 10-15 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/ccB
CA=$(manifest $T/ccA); CB=$(manifest $T/ccB)
pairfail=0
for k in 1 2 3 4 5 6; do
  $TL -q -z 10-15 -url http://tiles.example/t -style $ST/nox_density.txt $T/nox20.tif $T/cc 2>/dev/null & p1=$!
  $TL -q -z 10-15 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/cc 2>/dev/null & p2=$!
  wait $p1; r1=$?; wait $p2; r2=$?
  [ $r1 = 0 ] && [ $r2 = 0 ] || pairfail=$((pairfail + 1))
  m=$(manifest $T/cc)
  if [ "$m" = "$CA" ] || [ "$m" = "$CB" ]; then ok; else bad "concurrent pair $k: the tree is mixed"; fi
done
check "concurrent runs into one folder both succeed ($pairfail pairs failed)" test $pairfail = 0
# single-file outputs: kill -9 leaves the old file or the new one, whole
$TL -q -z 10-16 -url http://tiles.example/t -style $ST/nox_density.txt $T/nox20.tif $T/refA.mbtiles
$TL -q -z 10-16 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/refB.mbtiles
for d in 0.1 0.8 1.6 2.2; do
  cp $T/refA.mbtiles $T/k.mbtiles
  $TL -q -z 10-16 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/k.mbtiles 2>/dev/null & p=$!
  sleep $d; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
  if same $T/k.mbtiles $T/refA.mbtiles || same $T/k.mbtiles $T/refB.mbtiles; then ok; else bad "MBTiles after kill -9 at ${d}s is neither old nor new"; fi
done
$TL -q -z 10-16 -url http://tiles.example/t -style $ST/nox_density.txt $T/nox20.tif $T/refA.pmtiles
$TL -q -z 10-16 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/refB.pmtiles
for d in 0.1 0.8 1.6 2.2; do
  cp $T/refA.pmtiles $T/k.pmtiles
  $TL -q -z 10-16 -url http://tiles.example/t -style $ST/pm25_density.txt $T/nox20.tif $T/k.pmtiles 2>/dev/null & p=$!
  sleep $d; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
  if same $T/k.pmtiles $T/refA.pmtiles || same $T/k.pmtiles $T/refB.pmtiles; then ok; else bad "PMTiles after kill -9 at ${d}s is neither old nor new"; fi
done
$G -q -tr 10 10 -tap -t_srs EPSG:32650 -a nox,pm25,co2 $T/inv.gpkg $T/gref.tif
for d in 0.05 0.2 0.5 0.9; do
  cp $T/emis.tif $T/gk.tif
  $G -q -tr 10 10 -tap -t_srs EPSG:32650 -a nox,pm25,co2 $T/inv.gpkg $T/gk.tif 2>/dev/null & p=$!
  sleep $d; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
  if same $T/gk.tif $T/emis.tif || same $T/gk.tif $T/gref.tif; then ok; else bad "sp-grid output after kill -9 at ${d}s is neither old nor new"; fi
done
$I -q -f $FAC -road $S/roads.gpkg -area $S/construction.shp $T/iref.gpkg
for d in 0.02 0.08 0.2; do
  cp $T/inv.gpkg $T/ik.gpkg
  $I -q -f $FAC -road $S/roads.gpkg -area $S/construction.shp $T/ik.gpkg 2>/dev/null & p=$!
  sleep $d; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
  if same $T/ik.gpkg $T/inv.gpkg || same $T/ik.gpkg $T/iref.gpkg; then ok; else bad "sp-inventory output after kill -9 at ${d}s is neither old nor new"; fi
done
$Z -q -r base=$T/gref.tif -id code $T/streets.gpkg $T/zref.csv
for d in 0.05 0.2 0.5; do
  cp $T/old.ref $T/zk.csv
  $Z -q -r base=$T/gref.tif -id code $T/streets.gpkg $T/zk.csv 2>/dev/null & p=$!
  sleep $d; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
  if same $T/zk.csv $T/old.ref || same $T/zk.csv $T/zref.csv; then ok; else bad "sp-zonal output after kill -9 at ${d}s is neither old nor new"; fi
done
# SIGTERM and SIGINT remove the temporaries at once
mkdir -p $T/sig
for s in TERM INT; do
  $TL -q -z 10-16 -url http://tiles.example/t -style $ST/nox_density.txt $T/nox20.tif $T/sig/t 2>/dev/null & p=$!
  sleep 0.6; kill -$s $p; wait $p; rc=$?
  check "SIG$s ends the run (exit $rc)" test $rc -gt 128
  check "SIG$s leaves no temporary folder" no_tmp $T/sig
  check "SIG$s leaves no output" test ! -e $T/sig/t
done

# ---- 4. invalid polygons ----
cat > $T/bowtie.geojson <<'EOF'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32650"}},
 "features": [{"type": "Feature", "properties": {"v": 1, "code": "A", "months": 12, "area_rate": 1},
  "geometry": {"type": "Polygon", "coordinates": [[[450000, 4420000], [451000, 4421000], [451000, 4420000], [450000, 4421000], [450000, 4420000]]]}}]}
EOF
expect_fail "sp-grid: a bow-tie polygon" 1 "layer 'bowtie', feature 0: invalid polygon \(Self-intersection" $T/bt.tif $G -q -tr 100 100 -a v $T/bowtie.geojson $T/bt.tif
check "sp-grid -makevalid repairs it" sh -c "$G -tr 100 100 -a v -makevalid $T/bowtie.geojson $T/bt.tif 2> $T/bt.err"
check "and reports the repair" grep -q "feature 0: invalid polygon (Self-intersection.*) repaired" $T/bt.err
check "repaired: no negative cell, total 1" $PY -c "
from osgeo import gdal; a = gdal.Open('$T/bt.tif').ReadAsArray()
assert a.min() >= 0 and abs(a.sum() - 1) < 1e-9, (a.min(), a.sum())"
expect_fail "sp-zonal: a bow-tie zone" 1 "invalid polygon \(Self-intersection" $T/btz.csv $Z -q $T/emis.tif $T/bowtie.geojson $T/btz.csv
check "sp-zonal -makevalid" $Z -q -makevalid -r e=$T/emis.tif $T/bowtie.geojson $T/btz.csv
expect_fail "sp-inventory: a bow-tie construction site" 1 "invalid polygon \(Self-intersection" $T/bti.gpkg $I -q -f $FAC -area $T/bowtie.geojson $T/bti.gpkg

# ---- 5. an output never replaces an input ----
cp $FAC $T/f.csv; cp $T/f.csv $T/f.ref
expect_fail "-totals naming the factor table" 2 "is an input of this run" "" $I -q -f $T/f.csv -road $S/roads.gpkg -totals $T/f.csv $T/o1.gpkg
check "factor table intact" same $T/f.csv $T/f.ref
check "and no inventory either (all or none)" test ! -e $T/o1.gpkg
cp $T/inv.gpkg $T/inv2.gpkg; cp $T/inv2.gpkg $T/inv2.ref
expect_fail "sp-grid writing over its input" 2 "is an input of this run" "" $G -q -tr 100 100 -a nox $T/inv2.gpkg $T/inv2.gpkg
check "inventory intact" same $T/inv2.gpkg $T/inv2.ref
ln -sf $T/inv2.gpkg $T/link.gpkg
expect_fail "sp-grid writing over its input through a link" 2 "is an input of this run" "" $G -q -tr 100 100 -a nox $T/inv2.gpkg $T/link.gpkg
check "inventory intact (link)" same $T/inv2.gpkg $T/inv2.ref
cp $T/emis.tif $T/e2.tif; cp $T/e2.tif $T/e2.ref
expect_fail "sp-zonal writing over its raster" 2 "is an input of this run" "" $Z -q -of CSV $T/e2.tif $T/streets.gpkg $T/e2.tif
check "raster intact" same $T/e2.tif $T/e2.ref
cp $T/s.spec $T/s2.spec
expect_fail "sp-score writing over its spec" 2 "is an input of this run" "" $SC -q -spec $T/s2.spec -of CSV $T/zt.gpkg $T/s2.spec
check "spec intact" same $T/s2.spec $T/s.spec
cp $S/streets.shp $S/streets.shx $S/streets.dbf $S/streets.prj $T/
cp $T/streets.dbf $T/streets.dbf.ref
expect_fail "sp-convert writing a shapefile over its input's .dbf" 2 "is an input of this run" "" $C -q $T/streets.shp $T/streets.shp
check "shapefile intact" same $T/streets.dbf $T/streets.dbf.ref

# ---- 6. all outputs or none; a shapefile's files commit as one set ----
$I -q -f $FAC -road $S/roads.gpkg $T/keep.gpkg; cp $T/keep.gpkg $T/keep.ref
expect_fail "-totals into a missing folder" 1 "folder '/no/such' does not exist" "" $I -q -f $FAC -road $S/roads.gpkg -totals /no/such/t.csv $T/keep.gpkg
check "the inventory was not committed either" same $T/keep.gpkg $T/keep.ref
expect_fail "-totals into a missing folder, new inventory" 1 "does not exist" $T/new.gpkg $I -q -f $FAC -road $S/roads.gpkg -totals /no/such/t.csv $T/new.gpkg
mixed=0
for k in 1 2 3 4 5 6 7 8; do
  $C -q -where "fid <= 100" $S/restaurants_gcj02.shp $T/set.shp & p1=$!
  $C -q -where "fid > 100" $S/restaurants_gcj02.shp $T/set.shp & p2=$!
  wait $p1; wait $p2
  $PY -c "
import struct, sys
shx = ($(stat -c %s $T/set.shx) - 100) // 8
dbf = struct.unpack('<I', open('$T/set.dbf', 'rb').read()[4:8])[0]
sys.exit(0 if shx == dbf else 1)" || mixed=$((mixed + 1))
done
check "8 concurrent shapefile pairs: .shx and .dbf always from one run ($mixed mixed)" test $mixed = 0

# ---- 7. long paths: refused with a clear message, nothing written elsewhere ----
long=$T/cwd/$(printf 'a%.0s' $(seq 1 600)).gpkg
(cd $T/cwd && $C -q $S/boilers.shp $long > $T/long.out 2> $T/long.err); rc=$?
check "a 600-byte destination is refused (exit $rc)" test $rc = 2
check "the message gives the limit" grep -q "its path has [0-9]* bytes" $T/long.err
check "nothing in the current folder" test -z "$(ls -A $T/cwd)"
long2=$(printf 'b%.0s' $(seq 1 2000)).shp
(cd $T/cwd && $C -q $S/boilers.shp $long2 > $T/out 2> $T/err); rc=$?
check "a 2000-byte file name is refused (exit $rc)" test $rc = 2
check "still nothing in the current folder" test -z "$(ls -A $T/cwd)"
mkdir -p $T/cwd/$(printf 'd%.0s' $(seq 1 200))
deep=$T/cwd/$(printf 'd%.0s' $(seq 1 200))/out.gpkg
check "a 300-byte path works" $C -q $S/boilers.shp $deep
check "and is a GeoPackage" sh -c "ogrinfo -so -al $deep | grep -q 'Feature Count: '"
rm -rf $T/cwd/*

# ---- 9. text: UTF-8 only ----
$PY - $T <<'PYEOF'
import sys
from osgeo import ogr, osr
d = sys.argv[1]
drv = ogr.GetDriverByName('ESRI Shapefile')
ds = drv.CreateDataSource(d + '/gbk.shp')
srs = osr.SpatialReference(); srs.ImportFromEPSG(4326)
lyr = ds.CreateLayer('gbk', srs, ogr.wkbPoint, ['ENCODING=CP936'])
lyr.CreateField(ogr.FieldDefn('name', ogr.OFTString))
f = ogr.Feature(lyr.GetLayerDefn()); f.SetField('name', '建外街道')
g = ogr.Geometry(ogr.wkbPoint); g.AddPoint_2D(116.45, 39.91); f.SetGeometry(g); lyr.CreateFeature(f)
ds = None
PYEOF
rm -f $T/gbk.cpg
$PY -c "f = open('$T/gbk.dbf', 'r+b'); f.seek(29); f.write(b'\x00')"  # no code page mark either
expect_fail "a GBK .dbf without .cpg" 1 "field 'name': the text is not UTF-8 .*-enc GBK" $T/u.geojson $C -q $T/gbk.shp $T/u.geojson
check "with -enc GBK it is read" $C -q -enc GBK $T/gbk.shp $T/u.geojson
check "and written as UTF-8" grep -q '建外街道' $T/u.geojson
name=$($PY -c "print('北京市朝阳区' * 60)")
check "a 1080-byte Chinese -name" $TL -q -z 10 -of both -name "$name" -attribution "© 朝阳区 \"一张图\" 'x'" -style $ST/nox_density.txt $T/nox20.tif $T/named
check "tiles.json is JSON with the whole name" $PY -c "
import json; d = json.load(open('$T/named/tiles.json')); assert d['name'] == '北京市朝阳区' * 60, len(d['name'])"
check "the MBTiles metadata has the whole name" $PY -c "
import sqlite3; n = sqlite3.connect('$T/named/tiles.mbtiles').execute(\"select value from metadata where name='name'\").fetchone()[0]
assert n == '北京市朝阳区' * 60"
check "the page is UTF-8" $PY -c "open('$T/named/index.html', encoding='utf-8').read()"
expect_fail "-name that is not UTF-8" 2 "-name: the text is not UTF-8" $T/bad8 $TL -q -z 10 -name "$(printf 'ab\326\320')" -style $ST/nox_density.txt $T/nox20.tif $T/bad8

# ---- 10. determinism ----
mkdir -p $T/d1 $T/d2
$C -q $S/boilers.shp $T/d1/b.gpkg; sleep 1.1; $C -q $S/boilers.shp $T/d2/b.gpkg
check "sp-convert GeoPackage: same bytes run to run" same $T/d1/b.gpkg $T/d2/b.gpkg
$C -q $S/boilers.shp $T/d1.shp
check "shapefile .dbf date pinned to 2000-01-01" $PY -c "
b = open('$T/d1.dbf', 'rb').read(4); assert tuple(b[1:4]) == (100, 1, 1), tuple(b[1:4])"

# ---- 11. bad values ----
$PY - $T $S/restaurants_gcj02.shp <<'PYEOF'
import sys
from osgeo import ogr, osr
d = sys.argv[1]
srs = osr.SpatialReference(); srs.ImportFromEPSG(32650)
def layer(name, gtype, fields):
    ds = ogr.GetDriverByName('GPKG').CreateDataSource(d + '/' + name + '.gpkg')
    l = ds.CreateLayer(name, srs, gtype)
    for f, t in fields: l.CreateField(ogr.FieldDefn(f, t))
    return ds, l
ds, l = layer('nanpt', ogr.wkbPoint, [('v', ogr.OFTReal)])
for x in (450500, float('nan')):
    f = ogr.Feature(l.GetLayerDefn()); f.SetField('v', 1)
    g = ogr.Geometry(ogr.wkbPoint); g.AddPoint_2D(x, x if x != x else 4420500); f.SetGeometry(g); l.CreateFeature(f)
ds = None
# a restaurant registry whose 5th point lost its coordinates (NaN): its emissions
# must not be kept without a place
src = ogr.Open(sys.argv[2]); sl = src.GetLayer(0)
ds = ogr.GetDriverByName('GPKG').CreateDataSource(d + '/rest_nan.gpkg')
l = ds.CreateLayer('restaurants', sl.GetSpatialRef(), ogr.wkbPoint)
dfn = sl.GetLayerDefn()
for i in range(dfn.GetFieldCount()): l.CreateField(dfn.GetFieldDefn(i))
for k, sf in enumerate(sl):
    f = ogr.Feature(l.GetLayerDefn())
    for i in range(dfn.GetFieldCount()): f.SetField(i, sf.GetField(i))
    g = sf.GetGeometryRef().Clone()
    if k == 4: g = ogr.Geometry(ogr.wkbPoint); g.AddPoint_2D(float('nan'), float('nan'))
    f.SetGeometry(g); l.CreateFeature(f)
    if k == 20: break
ds = None
ds, l = layer('hugept', ogr.wkbPoint, [('v', ogr.OFTReal)])
f = ogr.Feature(l.GetLayerDefn()); f.SetField('v', 1)
g = ogr.Geometry(ogr.wkbPoint); g.AddPoint_2D(1e308, 4420000); f.SetGeometry(g); l.CreateFeature(f)
ds = None
ds, l = layer('negpt', ogr.wkbPoint, [('v', ogr.OFTReal)])
f = ogr.Feature(l.GetLayerDefn()); f.SetField('v', -5)
g = ogr.Geometry(ogr.wkbPoint); g.AddPoint_2D(450500, 4420500); f.SetGeometry(g); l.CreateFeature(f)
ds = None
PYEOF
expect_fail "a NaN point" 1 "layer 'nanpt', feature 2: the geometry is empty" $T/n.tif $G -q -tr 100 100 -a v $T/nanpt.gpkg $T/n.tif
expect_fail "a restaurant with NaN coordinates" 1 "layer 'restaurants', feature 5: the geometry is empty" $T/rn.gpkg $I -q -f $FAC -catering $T/rest_nan.gpkg $T/rn.gpkg
expect_fail "a 1e308 point" 1 "layer 'hugept'.*a coordinate is NaN, infinite or larger than 1e9" $T/n.tif $G -q -tr 100 100 -a v $T/hugept.gpkg $T/n.tif
ogr2ogr -f GPKG $T/boil_huge.gpkg $S/boilers.shp -sql "SELECT *, 1e300 AS gas_big FROM boilers"
expect_fail "gas = 1e300" 1 "field 'gas_big': value 1e\+300 is beyond any activity figure" $T/h.gpkg $I -q -f $FAC -boiler $T/boil_huge.gpkg -map boiler.gas=gas_big $T/h.gpkg
expect_fail "a negative value in sp-zonal -v" 1 "feature 1, field 'v': value -5 is negative" $T/nz.csv $Z -q -v $T/negpt.gpkg -a v $T/streets.gpkg $T/nz.csv
check "-allow_negative takes it" $Z -q -v $T/negpt.gpkg -a v -allow_negative $T/streets.gpkg $T/nz.csv
expect_fail "text in a -fill field" 1 "field 'name'.*is not a number" $T/ft $TL -q -z 10 -fill $S/streets.shp -fill_field Name -fill_style $ST/score.txt $T/ft

# ---- 12. messages and exit codes ----
printf '\357\273\277' > $T/bom.spec; cat $T/s.spec >> $T/bom.spec
$SC -q -spec $T/s.spec -of CSV $T/zt.gpkg $T/nobom.csv
check "a spec with a byte-order mark is read" $SC -q -spec $T/bom.spec -of CSV $T/zt.gpkg $T/bom.csv
check "and gives the same result" same $T/bom.csv $T/nobom.csv
printf '\357\273\277' > $T/bomf.csv; cat $FAC >> $T/bomf.csv
check "a factor table with a byte-order mark" $I -q -f $T/bomf.csv -road $S/roads.gpkg $T/bomf.gpkg
printf '\357\273\277' > $T/boms.txt; cat $ST/nox_density.txt >> $T/boms.txt
check "a style with a byte-order mark" $TL -q -z 10 -style $T/boms.txt $T/nox20.tif $T/boms
printf 'id code\n\321\326 bad\n' > $T/gbk.spec
expect_fail "a spec that is not UTF-8 names the line" 1 "gbk.spec', line 2: not UTF-8 text" $T/x.csv $SC -q -spec $T/gbk.spec $T/zt.gpkg $T/x.csv
cp $S/boilers.shp $S/boilers.shx $S/boilers.dbf $T/; echo 'GARBAGE[not a crs' > $T/boilers.prj
expect_fail "a garbage .prj" 1 "boilers.prj' cannot be parsed; give the CRS with -s_srs" $T/p.gpkg $C -q $T/boilers.shp $T/p.gpkg
head -c 3000 /dev/urandom > $T/junk.geojson
$C -q $T/junk.geojson $T/j.gpkg > $T/junk.out 2> $T/junk.err
check "a binary input gives a printable message" $PY -c "
t = open('$T/junk.err', 'rb').read(); s = t.decode('utf-8')
assert all(c == '\n' or ord(c) >= 32 for c in s) and len(t) < 1200, repr(t[:200])"
printf 'id code\nindicator nox base_nox_sum sideways 1 minmax\n' > $T/bad.spec
expect_fail "a bad spec line exits 1 (a bad input, not usage)" 1 "bad.spec:2: direction 'sideways'" $T/x.csv $SC -q -spec $T/bad.spec $T/zt.gpkg $T/x.csv
# a full disk: a small tmpfs (root), else a file-size limit (SIGXFSZ ignored, so that
# writes fail with EFBIG as they would with ENOSPC)
limited() { (trap '' XFSZ; exec prlimit --fsize=65536 "$@"); }
FULL=$T/full; mkdir -p $FULL
if mount -t tmpfs -o size=64k tmpfs $FULL 2>/dev/null; then
  NOSPC="No space left on device"; pre=""
else
  echo "(no tmpfs here: the full disk is a file-size limit, EFBIG)"
  NOSPC="No space left on device|File too large"; pre=limited
fi
expect_fail "sp-grid on a full disk" 1 "$NOSPC" $FULL/g.tif $pre $G -q -tr 10 10 -a nox $T/inv.gpkg $FULL/g.tif
expect_fail "sp-convert on a full disk" 1 "$NOSPC" $FULL/c.gpkg $pre $C -q $S/roads.gpkg $FULL/c.gpkg
expect_fail "sp-inventory on a full disk" 1 "$NOSPC" $FULL/i.gpkg $pre $I -q -f $FAC -road $S/roads.gpkg $FULL/i.gpkg
expect_fail "sp-tiles on a full disk" 1 "$NOSPC" $FULL/t $pre $TL -q -z 10-14 -style $ST/nox_density.txt $T/nox20.tif $FULL/t
expect_fail "sp-zonal on a full disk" 1 "$NOSPC" $FULL/z.gpkg $pre $Z -q -r e=$T/gref.tif $T/streets.gpkg $FULL/z.gpkg
check "the full disk holds nothing afterwards" test -z "$(ls -A $FULL)"
umount $FULL 2>/dev/null
end
