#!/bin/sh
# Sharded runs on one machine (-shard I/N and sp-merge; the cluster is test_cluster.sh):
# parts merged from 1, 3 and 4 shards give the very bytes of the run without -shard (the
# oracle: that run, through its own code path; cmp), for sp-grid (points, lines, polygons;
# two readers; COG, Float32, -density) and sp-disperse (a grid of several FFT strips, a
# scenario, NO2, secondary PM2.5 and deposition); a part opens in GDAL where its rows lie;
# and every wrong set of parts is refused with its reason, exit code and no output.
. tests/cli/lib.sh
I=$T/inv.gpkg
$BIN/sp-inventory -q -f samples/factors.csv -catering $SAMPLES/restaurants_gcj02.shp -s_coord catering=gcj02 \
  -boiler $SAMPLES/boilers.shp -road $SAMPLES/roads.gpkg -area $SAMPLES/construction.shp $I 2>/dev/null
check "an inventory of points, lines and polygons" test -s $I
G="-t_srs EPSG:32650 -tr 100 100 -tap -a nox,pm25"
$BIN/sp-grid -q $G $I $T/full.tif
shards() { # shards TOOL N PREFIX ARGS...: runs the N shards, each writing PREFIX_I.tif
  _tool=$1 _n=$2 _p=$3; shift 3
  _i=0; while [ $_i -lt $_n ]; do $BIN/$_tool -q "$@" -shard $_i/$_n ${_p}_$_i.tif || return 1; _i=$((_i + 1)); done
}
for n in 1 3 4; do
  check "sp-grid: $n shard(s) run" shards sp-grid $n $T/g$n $G $I
  check "  merged (parts in reverse order): the single run's bytes" sh -c "$BIN/sp-merge -q $T/m$n.tif \$(ls -r $T/g${n}_*.tif) && cmp $T/m$n.tif $T/full.tif"
done
check "a part opens in GDAL on its own rows (shard 1/3: origin and size from the whole grid)" $PY - $T/full.tif $T/g3_1.tif <<'PYEOF'
import json, sys
from osgeo import gdal
full = gdal.Open(sys.argv[1]); part = gdal.Open(sys.argv[2])
side = json.load(open(sys.argv[2] + ".json"))
gf, gp = full.GetGeoTransform(), part.GetGeoTransform()
r0, n = side["row0"], side["nrows"]
assert side["index"] == 1 and side["count"] == 3 and part.RasterYSize == n, side
assert gp[0] == gf[0] and abs(gp[3] - (gf[3] + r0 * gf[5])) < 1e-6 and gp[1] == gf[1], (gf, gp)
a = full.GetRasterBand(1).ReadAsArray(0, r0, full.RasterXSize, n); b = part.GetRasterBand(1).ReadAsArray()
assert (a == b).all() and a.sum() > 0
assert float(side["bands"][0]["sum"]) == float(b.astype("float64").sum()) or abs(float(side["bands"][0]["sum"]) - b.sum()) < 1e-9 * b.sum()
PYEOF
# the second reader: 20,000+ features of one GeoPackage layer are read in two halves
$PY - $T/many.gpkg <<'PYEOF'
import random, sys
from osgeo import ogr, osr
random.seed(5); s = osr.SpatialReference(); s.ImportFromEPSG(32650)
ds = ogr.GetDriverByName("GPKG").CreateDataSource(sys.argv[1]); l = ds.CreateLayer("pts", s, ogr.wkbPoint)
l.CreateField(ogr.FieldDefn("v", ogr.OFTReal)); ds.StartTransaction()
for i in range(30000):
    f = ogr.Feature(l.GetLayerDefn()); p = ogr.Geometry(ogr.wkbPoint)
    p.AddPoint_2D(450000 + random.random() * 9000, 4420000 + random.random() * 9000); f.SetGeometry(p); f.SetField("v", random.random()); l.CreateFeature(f)
ds.CommitTransaction()
PYEOF
$BIN/sp-grid -q -tr 30 30 -a v -j 2 $T/many.gpkg $T/many.tif
check "sp-grid, 30,000 points read by two readers: 4 shards merge to the same bytes" sh -c "
  i=0; while [ \$i -lt 4 ]; do $BIN/sp-grid -q -tr 30 30 -a v -j 2 -shard \$i/4 $T/many.gpkg $T/many_\$i.tif || exit 1; i=\$((i+1)); done
  $BIN/sp-merge -q $T/many_m.tif $T/many_*.tif && cmp $T/many_m.tif $T/many.tif"
for o in "-of COG" "-ot Float32 -density" "-co COMPRESS=DEFLATE -l road"; do
  $BIN/sp-grid -q $G $o $I $T/o.tif
  check "sp-grid $o: 3 shards merge to the same bytes" sh -c "rm -f $T/o_*; $(printf '%s' "i=0; while [ \$i -lt 3 ]; do $BIN/sp-grid -q $G $o -shard \$i/3 $I $T/o_\$i.tif || exit 1; i=\$((i+1)); done") && $BIN/sp-merge -q $T/om.tif $T/o_*.tif && cmp $T/om.tif $T/o.tif"
done

# sp-disperse on a tall grid of four FFT strips (3,400 rows of 1,024: -rmax 1000 at 10 m),
# so that a shard reads a window of the inputs (its strips and their halos)
$BIN/sp-grid -q -t_srs EPSG:32650 -te 450000 4406000 453000 4440000 -tr 10 10 -a nox,pm25,pm10 -l road $I $T/r.tif 2>/dev/null
$BIN/sp-grid -q -like $T/r.tif -a nox,pm25,pm10 -l catering $I $T/c.tif 2>/dev/null
$BIN/sp-grid -q -like $T/r.tif -a nox,pm25,pm10 -l catering -where "pm25 > 0.005" $I $T/cs.tif 2>/dev/null
M="-met samples/met/nongzhanguan_2016.csv -rmax 1000"
D1="$M -no2_arm2 -secondary nox=0.5 -secondary_sigma 500"
D="$M -no2_arm2 -src $T/c.tif,10,3 -scen $T/r.tif -scen_src $T/cs.tif,10,3"
$BIN/sp-disperse -q $D1 $T/r.tif $T/d1full.tif 2>/dev/null
$BIN/sp-disperse -q $D $T/r.tif $T/dfull.tif 2>/dev/null
check "sp-disperse: the single runs (3400 rows, 4 strips)" test -s $T/dfull.tif -a -s $T/d1full.tif
for n in 1 4; do
  check "sp-disperse (NO2, secondary PM2.5): $n shard(s) run" shards sp-disperse $n $T/e$n $D1 $T/r.tif
  check "  merged: the single run's bytes" sh -c "$BIN/sp-merge -q $T/em$n.tif $T/e${n}_*.tif && cmp $T/em$n.tif $T/d1full.tif"
done
# a negative cell far from the last shard's window (a change grid): the whole grid then
# keeps FFT round-off below zero, and so must a shard that does not see the cell
$PY - $T/r.tif $T/neg.tif <<'PYEOF'
import sys
from osgeo import gdal
src = gdal.Open(sys.argv[1]); d = gdal.GetDriverByName("GTiff").CreateCopy(sys.argv[2], src)
b = d.GetRasterBand(1); a = b.ReadAsArray(); a[5, 100] = -0.5; b.WriteArray(a); d = None
PYEOF
$BIN/sp-disperse -q $M $T/neg.tif $T/negfull.tif 2>/dev/null
check "sp-disperse of a grid with a negative cell in row 5: 4 shards merge to the same bytes" sh -c "
  i=0; while [ \$i -lt 4 ]; do $BIN/sp-disperse -q $M -shard \$i/4 $T/neg.tif $T/neg_\$i.tif || exit 1; i=\$((i+1)); done
  $BIN/sp-merge -q $T/negm.tif $T/neg_*.tif && cmp $T/negm.tif $T/negfull.tif"
check "sp-disperse (3 grids, a scenario, deposition): 3 shards run" shards sp-disperse 3 $T/d3 $D $T/r.tif
check "  merged: the single run's bytes (12 bands)" sh -c "$BIN/sp-merge -q $T/dm3.tif $T/d3_*.tif && cmp $T/dm3.tif $T/dfull.tif"
check "  the merged grids have deposition's pm10, the changes, secondary PM2.5 (GDAL)" sh -c "gdalinfo $T/dm3.tif | grep -q 'Description = delta_pm10' && gdalinfo $T/em4.tif | grep -q 'Description = pm25_secondary'"

# sp-tiles: runs of tile indices (the sinks' order); the merge runs sp-tiles again with the
# run's options, so a folder (XYZ, MBTiles, PMTiles, TileJSON, WMTS, legend, page, values.js)
# and a one-file PMTiles equal one run's (diff -r, cmp)
$BIN/sp-grid -q -t_srs EPSG:32650 -tr 200 200 -tap -density -a nox $I $T/nd.tif
TA="-z 9-14 -style nox_density -url https://example.org/t -outline $SAMPLES/streets.shp -outline_style boundaries -name NOx -x -of xyz,mbtiles,pmtiles -values"
$BIN/sp-tiles -q $TA $T/nd.tif $T/tfull
$BIN/sp-tiles -q -z 9-14 -style nox_density $T/nd.tif $T/tfull.pmtiles
for n in 1 3 4; do
  check "sp-tiles (a folder of 3 formats, overlays, -x, -values): $n shard(s) run" sh -c "EXT=sqlite; $(printf '%s' "i=0; while [ \$i -lt $n ]; do $BIN/sp-tiles -q $TA -shard \$i/$n $T/nd.tif $T/t${n}_\$i.sqlite || exit 1; i=\$((i+1)); done")"
  check "  merged: the single run's folder, file for file" sh -c "$BIN/sp-merge -q $T/tm$n $T/t${n}_*.sqlite && diff -r $T/tm$n $T/tfull"
done
check "sp-tiles one PMTiles file: 3 shards merge to the same bytes" sh -c "
  i=0; while [ \$i -lt 3 ]; do $BIN/sp-tiles -q -z 9-14 -style nox_density -shard \$i/3 $T/nd.tif $T/tp_\$i.sqlite || exit 1; i=\$((i+1)); done
  $BIN/sp-merge -q $T/tp.pmtiles $T/tp_2.sqlite $T/tp_0.sqlite $T/tp_1.sqlite && cmp $T/tp.pmtiles $T/tfull.pmtiles"
check "  every tile of the merged folder's PMTiles is its XYZ tree's (an independent reader)" \
  $PY tests/cli/pmtiles_check.py $T/tm3/tiles.pmtiles $T/tm3
expect_fail "tiles: a shard missing, named with its --array line" 2 "1 of 3 shards missing \(1\).*--array=1" \
  $T/tx.pmtiles $BIN/sp-merge -q $T/tx.pmtiles $T/tp_0.sqlite $T/tp_2.sqlite
expect_fail "tiles: parts of other options" 2 "t3_1.sqlite' is not a part of this run: the options differ" $T/tx \
  $BIN/sp-merge -q $T/tx $T/tp_0.sqlite $T/t3_1.sqlite $T/tp_2.sqlite
cp $T/tp_1.sqlite $T/tq_1.sqlite; cp $T/tp_1.sqlite.json $T/tq_1.sqlite.json
sqlite3 $T/tq_1.sqlite "UPDATE tiles SET data = X'00' WHERE idx = (SELECT min(idx) FROM tiles WHERE data IS NOT NULL)"
expect_fail "tiles: a part changed since its shard wrote it" 1 "tq_1.sqlite': its tiles are not what shard 1/3 wrote" \
  $T/tx.pmtiles $BIN/sp-merge -q $T/tx.pmtiles $T/tp_0.sqlite $T/tq_1.sqlite $T/tp_2.sqlite
cp $T/nd.tif $T/nd2.tif
$BIN/sp-tiles -q -z 9-14 -style nox_density -shard 0/2 $T/nd2.tif $T/tr_0.sqlite
$PY -c "
from osgeo import gdal; d = gdal.Open('$T/nd2.tif', 1); b = d.GetRasterBand(1); a = b.ReadAsArray(); a[0, 0] += 1; b.WriteArray(a); d = None"
$BIN/sp-tiles -q -z 9-14 -style nox_density -shard 1/2 $T/nd2.tif $T/tr_1.sqlite
expect_fail "tiles: the raster changed between shards" 2 "the inputs \(their sizes or contents\) differ" $T/tx.pmtiles \
  $BIN/sp-merge -q $T/tx.pmtiles $T/tr_0.sqlite $T/tr_1.sqlite
expect_fail "tiles: a part not named .sqlite" 2 "name it .sqlite" $T/ty.pmtiles \
  $BIN/sp-tiles -q -z 9-14 -style nox_density -shard 0/2 $T/nd.tif $T/ty.pmtiles

# sp-zonal: each raster's strips (its (zone, strip) sums, strip totals and value pairs,
# merged in strip order as one run merges them): the table of every statistic, weighted
# means included, equals one run's (cmp), as CSV and GeoPackage
$BIN/sp-grid -q -like $T/full.tif -a nox $I $T/wts.tif
ZS="-r base=$T/full.tif -r d=$T/dfull1.tif -id code -include name -weights $T/wts.tif -stats sum,mean,median,q90,stdev,majority,weighted_mean,min,max,share,area_km2"
cp $T/full.tif $T/dfull1.tif
$BIN/sp-zonal -q $ZS $SAMPLES/streets.shp $T/zfull.csv 2>/dev/null
$BIN/sp-zonal -q $ZS $SAMPLES/streets.shp $T/zfull.gpkg 2>/dev/null
for n in 1 3 4; do
  check "sp-zonal (2 rasters, quantiles, weighted means): $n shard(s) run" sh -c "$(printf '%s' "i=0; while [ \$i -lt $n ]; do $BIN/sp-zonal -q $ZS -shard \$i/$n $SAMPLES/streets.shp $T/z${n}_\$i.zonal 2>/dev/null || exit 1; i=\$((i+1)); done")"
  check "  merged: the single run's table (CSV)" sh -c "$BIN/sp-merge -q $T/zm$n.csv $T/z${n}_*.zonal 2>/dev/null && cmp $T/zm$n.csv $T/zfull.csv"
done
$BIN/sp-zonal $ZS $SAMPLES/streets.shp $T/zrep.csv > $T/zrep1.txt 2>/dev/null
$BIN/sp-merge $T/zrep.csv $T/z3_*.zonal > $T/zrep3.txt 2>/dev/null
check "  the merge's report (totals inside the zones, a shard's overlap corrections) is one run's" \
  sh -c "grep -q 'in zones' $T/zrep1.txt && cmp $T/zrep1.txt $T/zrep3.txt"
mkdir -p $T/zg # the same name: a GeoPackage's table is named after its file
check "  and as a GeoPackage, the same bytes" sh -c "$BIN/sp-merge -q $T/zg/zfull.gpkg $T/z3_*.zonal 2>/dev/null && cmp $T/zg/zfull.gpkg $T/zfull.gpkg"
expect_fail "zonal: a shard missing, named with its --array line" 2 "1 of 4 shards missing \(3\).*--array=3" \
  $T/zx.csv $BIN/sp-merge -q $T/zx.csv $T/z4_0.zonal $T/z4_1.zonal $T/z4_2.zonal
$BIN/sp-zonal -q $ZS -stats sum,weighted_mean -shard 1/3 $SAMPLES/streets.shp $T/zo_1.zonal 2>/dev/null
expect_fail "zonal: a part of other options" 2 "zo_1.zonal' is not a part of this run: the options differ" \
  $T/zx.csv $BIN/sp-merge -q $T/zx.csv $T/z3_0.zonal $T/zo_1.zonal $T/z3_2.zonal
cp $T/z3_1.zonal $T/zq_1.zonal; cp $T/z3_1.zonal.json $T/zq_1.zonal.json
printf '\001' | dd of=$T/zq_1.zonal bs=1 seek=100 conv=notrunc 2>/dev/null
expect_fail "zonal: a part changed since its shard wrote it" 1 "zq_1.zonal': its sums are not what shard 1/3 wrote" \
  $T/zx.csv $BIN/sp-merge -q $T/zx.csv $T/z3_0.zonal $T/zq_1.zonal $T/z3_2.zonal
expect_fail "zonal: a part not named .zonal" 2 "name it .zonal" $T/zy.csv \
  $BIN/sp-zonal -q $ZS -shard 0/2 $SAMPLES/streets.shp $T/zy.csv
expect_fail "zonal: -shard in the vector mode" 2 "-shard and -from_parts are for rasters \(not -v\)" $T/zy.zonal \
  $BIN/sp-zonal -q -v $I -l inventory=boiler -a nox -id code -shard 0/2 $SAMPLES/streets.shp $T/zy.zonal

# wrong sets of parts: refused, with the reason, exit 2 (usage) or 1 (data), no output
expect_fail "a shard missing: named, with the --array line that re-runs it" 2 "1 of 4 shards missing \(2\).*--array=2" \
  $T/x.tif $BIN/sp-merge -q $T/x.tif $T/g4_0.tif $T/g4_1.tif $T/g4_3.tif
expect_fail "a shard given twice" 2 "shard 1/4 is given twice" $T/x.tif \
  $BIN/sp-merge -q $T/x.tif $T/g4_0.tif $T/g4_1.tif $T/g4_1.tif $T/g4_2.tif $T/g4_3.tif
expect_fail "parts of runs with different N" 2 "different runs: they differ in the number of shards" $T/x.tif \
  $BIN/sp-merge -q $T/x.tif $T/g3_0.tif $T/g4_1.tif
$BIN/sp-grid -q $G -density -shard 1/3 $I $T/dens_1.tif
expect_fail "parts of runs with different options" 2 "differ in the options" $T/x.tif \
  $BIN/sp-merge -q $T/x.tif $T/g3_0.tif $T/dens_1.tif $T/g3_2.tif
cp $I $T/inv2.gpkg; $BIN/sp-grid -q $G -shard 0/2 $T/inv2.gpkg $T/h_0.tif
$PY -c "
from osgeo import ogr; ds = ogr.Open('$T/inv2.gpkg', 1); l = ds.GetLayerByName('boiler'); f = l.GetNextFeature(); f.SetField('nox', 99.0); l.SetFeature(f)"
$BIN/sp-grid -q $G -shard 1/2 $T/inv2.gpkg $T/h_1.tif
expect_fail "an input changed between shards (its hash)" 2 "differ in the inputs" $T/x.tif \
  $BIN/sp-merge -q $T/x.tif $T/h_0.tif $T/h_1.tif
cp $T/g3_1.tif $T/bad_1.tif; cp $T/g3_1.tif.json $T/bad_1.tif.json; cp $T/g3_2.tif $T/bad_1.tif
expect_fail "a part whose pixels are not its shard's" 1 "bad_1.tif': its pixels are not what shard 1/3 wrote" $T/x.tif \
  $BIN/sp-merge -q $T/x.tif $T/g3_0.tif $T/bad_1.tif $T/g3_2.tif
cp $T/g3_1.tif $T/lone.tif
expect_fail "a part without its sidecar" 1 "lone.tif.json': missing" $T/x.tif $BIN/sp-merge -q $T/x.tif $T/lone.tif
echo '{"format": "onemap-part", "tool": 3}' > $T/lone.tif.json
expect_fail "a damaged sidecar" 1 "no valid \"tool\"" $T/x.tif $BIN/sp-merge -q $T/x.tif $T/lone.tif
expect_fail "-shard 4/4" 2 "'4/4' is not I/N" $T/y.tif $BIN/sp-grid -q $G -shard 4/4 $I $T/y.tif
expect_fail "-shard 1/x" 2 "'1/x' is not I/N" $T/y.tif $BIN/sp-grid -q $G -shard 1/x $I $T/y.tif
expect_fail "more shards than rows" 2 "the grid has [0-9]+ rows, so at most" $T/y.tif $BIN/sp-grid -q $G -shard 1/100000 $I $T/y.tif
expect_fail "a part not named .tif" 2 "name it .tif" $T/y.gpkg $BIN/sp-grid -q $G -shard 1/3 $I $T/y.gpkg
for f in "-eval samples/stations_2016.csv" "-monthly $T/mo.tif" "-ensemble" "-star_out $T/s.csv"; do
  expect_fail "sp-disperse -shard with ${f%% *}: refused" 2 "-shard does not combine with ${f%% *}" $T/y.tif \
    $BIN/sp-disperse -q $M $f -shard 0/2 $T/r.tif $T/y.tif
done
end
