#!/bin/sh
# End-to-end tests of sp-grid on the sample district: mass balance checked with GDAL's
# Python bindings (an independent reader), metadata with gdalinfo, determinism, and
# every bad-input class (message, exit code, nothing left behind).
. tests/cli/lib.sh
G=$BIN/sp-grid

# sums of a field (OGR) and of a raster band (GDAL), independently of libspatial

# lines: roads (EPSG:32650) with their grid roads exactly on 100 m cell edges
check "roads gridded" $G -q -tr 100 100 -a aadt,speed $SAMPLES/roads.gpkg $T/roads.tif
in=$(ogr_sum $SAMPLES/roads.gpkg aadt); out=$(band_sum $T/roads.tif 1)
check "roads: sum(grid) == sum(aadt) to 1e-9 ($out vs $in)" close "$out" "$in" 1e-9
in2=$(ogr_sum $SAMPLES/roads.gpkg speed); out2=$(band_sum $T/roads.tif 2)
check "roads band 2 conserved" close "$out2" "$in2" 1e-9
gdalinfo $T/roads.tif > $T/info 2>&1
check "band description is the field" grep -q "Description = aadt" $T/info
# units: t/yr only for the inventory's emission columns; AADT and speed are not t/yr
check "no unit for fields that are not emissions (aadt, speed)" sh -c "! grep -q 'unit=' $T/info && ! grep -q 'Unit Type' $T/info"
$BIN/sp-inventory -q -f samples/factors.csv -road $SAMPLES/roads.gpkg $T/inv_u.gpkg
$G -q -tr 100 100 -a nox,pm25 $T/inv_u.gpkg $T/emis_u.tif
$G -q -tr 100 100 -density -a nox $T/inv_u.gpkg $T/dens_u.tif
$G -q -tr 100 100 -units veh/day -a aadt $SAMPLES/roads.gpkg $T/aadt_u.tif
check "t/yr for emission columns, t/km2/yr as densities, -units for the rest" sh -c "gdalinfo $T/emis_u.tif | grep -q 'unit=t/yr' && gdalinfo $T/dens_u.tif | grep -q 'Unit Type: t/km2/yr' && gdalinfo $T/aadt_u.tif | grep -q 'Unit Type: veh/day'"
check "total in metadata" grep -q "total=" $T/info
check "tiled ZSTD by default" grep -q "COMPRESSION=ZSTD" $T/info
check "tiled 256x256" grep -q "Block=256x256" $T/info
# -co COMPRESS=DEFLATE for readers without ZSTD: same values, DEFLATE, level 1 (a level-6
# file of this grid is smaller; level 1 is what we promise in --help)
check "-co COMPRESS=DEFLATE" $G -q -tr 100 100 -a aadt,speed -co COMPRESS=DEFLATE $SAMPLES/roads.gpkg $T/roads_d.tif
check "DEFLATE when asked" sh -c "gdalinfo $T/roads_d.tif | grep -q COMPRESSION=DEFLATE"
check "DEFLATE file has the same values" $PY -c "
from osgeo import gdal; import sys
a, b = gdal.Open('$T/roads.tif').ReadAsArray(), gdal.Open('$T/roads_d.tif').ReadAsArray()
sys.exit(0 if (a == b).all() else 1)"
check "DEFLATE level 1 unless -co ZLEVEL" $G -q -tr 100 100 -a aadt,speed -co COMPRESS=DEFLATE -co ZLEVEL=9 $SAMPLES/roads.gpkg $T/roads_d9.tif
check "ZLEVEL=9 file is smaller than the level-1 one" test $(stat -c %s $T/roads_d9.tif) -lt $(stat -c %s $T/roads_d.tif)
check "EPSG:32650 kept" grep -q 'ID\["EPSG",32650\]' $T/info
# gdal_rasterize burns each segment's whole value into every touched cell
gdal_rasterize -q -add -a aadt -tr 100 100 -ot Float64 -init 0 $SAMPLES/roads.gpkg $T/gr.tif 2>/dev/null
gr=$(band_sum $T/gr.tif 1)
check "gdal_rasterize -add does not conserve line mass (the reason for sp-grid)" $PY -c "import sys; sys.exit(0 if float('$gr') > 2 * float('$in') else 1)"

# points in GCJ-02, corrected, auto UTM zone named in a warning
$G -tr 250 250 -a stoves -s_coord gcj02 $SAMPLES/restaurants_gcj02.shp $T/rest.tif > $T/g.out 2> $T/g.err
check "restaurants gridded" test $? = 0
check "auto UTM zone is announced" grep -q "EPSG:32650 (UTM zone 50N)" $T/g.err
check "progress printed" grep -q "100 - done" $T/g.err
check "balance printed" grep -Eq "^stoves +[0-9.]+ +[0-9.]+ +0\.0+$" $T/g.out
in=$(ogr_sum $SAMPLES/restaurants_gcj02.shp stoves); out=$(band_sum $T/rest.tif 1)
check "points conserved" close "$out" "$in" 1e-12

# polygons: feature count, 40 streets tile the district
check "streets gridded" $G -q -t_srs EPSG:32650 -tr 100 100 $SAMPLES/streets.shp $T/streets.tif
out=$(band_sum $T/streets.tif 1)
check "40 polygons -> total 40" close "$out" 40 1e-12
# -density: sum(density * cell km2) == mass
check "density" $G -q -t_srs EPSG:32650 -tr 200 200 -density $SAMPLES/streets.shp $T/dens.tif
out=$(band_sum $T/dens.tif 1)
check "density x 0.04 km2 == 40" close "$out" 1000 1e-12
gdalinfo $T/dens.tif | grep -q "unit=count/km2" && ok || bad "density unit"

# -te cutting the data: outside reported and balance holds
$G -tr 100 100 -te 450000 4410000 460000 4420000 -a aadt $SAMPLES/roads.gpkg $T/cut.tif > $T/cut.out 2>/dev/null
check "cut grid ok" test $? = 0
line=$(grep '^aadt' $T/cut.out)
# the oracle: each road's aadt times the share of its length inside the extent (OGR)
want=$($PY -c "
from osgeo import ogr
box = ogr.CreateGeometryFromWkt('POLYGON((450000 4410000,460000 4410000,460000 4420000,450000 4420000,450000 4410000))')
s = 0.0
ds = ogr.Open('$SAMPLES/roads.gpkg')
for f in ds.GetLayer(0):
    g = f.GetGeometryRef(); s += f['aadt'] * g.Intersection(box).Length() / g.Length()
print(repr(s))")
check "gridded == OGR's clipped share of each road ($want)" close "$(band_sum $T/cut.tif 1)" "$want" 1e-9
check "and the report says the rest is outside" $PY -c "
import sys; _, i, g, o = '$line'.split(); i, g, o = map(float, (i, g, o))
sys.exit(0 if abs(g - $want) <= 1e-9 * $want and abs(g + o - i) <= 1e-9 * i else 1)"
check "-tap and -ts accepted" $G -q -ts 100 80 -a aadt $SAMPLES/roads.gpkg $T/ts.tif
check "-like template" $G -q -like $T/roads.tif -a speed $SAMPLES/roads.gpkg $T/like.tif
s1=$(gdalinfo $T/roads.tif | grep 'Size is'); s2=$(gdalinfo $T/like.tif | grep 'Size is')
check "-like gives the template's size" test "$s1" = "$s2"
# geographic data with -like and no -t_srs: gridded in the template's CRS, no UTM warning
# and no refusal; the same cells as with -t_srs given
$G -like $T/roads.tif -a stoves $SAMPLES/restaurants_gcj02.shp $T/like_geo.tif > /dev/null 2> $T/like_geo.err
$G -q -like $T/roads.tif -t_srs EPSG:32650 -a stoves $SAMPLES/restaurants_gcj02.shp $T/like_geo2.tif
check "-like with geographic data: the template's CRS, no 'no -t_srs' warning, the same grid" sh -c "! grep -q 'no -t_srs' $T/like_geo.err && cmp -s $T/like_geo.tif $T/like_geo2.tif && gdalinfo $T/like_geo.tif | grep -q 'Size is' "
check "-where filter" $G -q -tr 100 100 -where "rclass = 'expressway'" -a aadt $SAMPLES/roads.gpkg $T/expr.tif
check "COG Float32" sh -c "$G -q -tr 100 100 -of COG -ot Float32 -a aadt $SAMPLES/roads.gpkg $T/cog.tif 2> $T/cog.err"
check "COG creation options are all understood (no warning)" test ! -s $T/cog.err
# rounding residues (~1e-16 per feature) are not "outside": a grid covering the data passes
check "-outside_error passes when everything is inside" $G -q -outside_error -tr 100 100 -a aadt $SAMPLES/roads.gpkg $T/inside.tif
gdalinfo $T/cog.tif | grep -q "LAYOUT=COG" && ok || bad "COG layout"

# same inputs, same bytes
$G -q -tr 100 100 -a aadt,speed $SAMPLES/roads.gpkg $T/roads2.tif
check "deterministic output" cmp $T/roads.tif $T/roads2.tif

# bad inputs
expect_fail "missing file" 1 "cannot open '$T/none.shp'" $T/o1.tif $G -tr 100 100 $T/none.shp $T/o1.tif
cp $SAMPLES/boilers.shp $SAMPLES/boilers.shx $SAMPLES/boilers.dbf $T/
mv $T/boilers.shp $T/noprj.shp; mv $T/boilers.shx $T/noprj.shx; mv $T/boilers.dbf $T/noprj.dbf
expect_fail "no CRS" 1 "has no CRS; give it with -s_srs" $T/o2.tif $G -tr 100 100 -a cap_mw $T/noprj.shp $T/o2.tif
expect_fail "empty layer" 1 "no features to grid" $T/o3.tif $G -tr 100 100 -where "aadt < 0" -a aadt $SAMPLES/roads.gpkg $T/o3.tif
expect_fail "missing field" 1 "has no field 'nox' \(fields: rid, rclass" $T/o4.tif $G -tr 100 100 -a nox $SAMPLES/roads.gpkg $T/o4.tif
expect_fail "non-numeric field" 1 "feature [0-9]+, field 'rclass': 'expressway' is not a number" $T/o5.tif $G -tr 100 100 -a rclass -where "rclass = 'expressway'" $SAMPLES/roads.gpkg $T/o5.tif
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"v":-2},"geometry":{"type":"Point","coordinates":[116.4,39.9]}}]}' > $T/neg.geojson
expect_fail "negative value" 1 "field 'v': value -2 is negative" $T/o6.tif $G -tr 100 100 -t_srs EPSG:32650 -a v $T/neg.geojson $T/o6.tif
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"v":null},"geometry":{"type":"Point","coordinates":[116.4,39.9]}}]}' > $T/null.geojson
expect_fail "null value" 1 "field 'v': value is missing" $T/o7.tif $G -tr 100 100 -t_srs EPSG:32650 -a v $T/null.geojson $T/o7.tif
check "null as zero with -null_zero" $G -q -null_zero -tr 100 100 -t_srs EPSG:32650 -a v $T/null.geojson $T/o7b.tif
expect_fail "absurd grid size" 1 "would need .* (GiB|TiB) of memory, over the limit" $T/o8.tif $G -tr 0.01 0.01 -a aadt $SAMPLES/roads.gpkg $T/o8.tif
expect_fail "no resolution" 2 "give the output resolution with -tr" $T/o9.tif $G -a aadt $SAMPLES/roads.gpkg $T/o9.tif
expect_fail "too many arguments" 2 "too many arguments: 'extra'" $T/o15.tif $G -tr 100 100 $SAMPLES/roads.gpkg $T/o15.tif extra
expect_fail "unknown option" 2 "unknown option '-bogus'" $T/o10.tif $G -bogus $SAMPLES/roads.gpkg $T/o10.tif
expect_fail "bad number" 2 "-tr: 'abc' is not a number" $T/o11.tif $G -tr abc 100 $SAMPLES/roads.gpkg $T/o11.tif
expect_fail "missing output folder" 1 "folder '$T/nodir' does not exist" $T/nodir/o.tif $G -tr 100 100 -a aadt $SAMPLES/roads.gpkg $T/nodir/o.tif
expect_fail "outside is an error on request" 1 "of band 'aadt' \(input [0-9.e+]+\) falls outside the grid" $T/o12.tif $G -outside_error -tr 100 100 -te 450000 4410000 460000 4420000 -a aadt $SAMPLES/roads.gpkg $T/o12.tif
expect_fail "unknown layer" 2 "has no layer 'nope' \(layers: 'roads'\)" $T/o13.tif $G -tr 100 100 -l nope $SAMPLES/roads.gpkg $T/o13.tif
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"v":1},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[116.4,39.9]},{"type":"LineString","coordinates":[[116.4,39.9],[116.5,39.9]]}]}}]}' > $T/mixed.geojson
expect_fail "wrong geometry type (mixed collection)" 1 "feature 0: geometry collection mixes points, lines and polygons" $T/o14.tif $G -tr 100 100 -t_srs EPSG:32650 -a v $T/mixed.geojson $T/o14.tif
# make install puts tools, headers, library and a working pkg-config file in PREFIX
make -s install PREFIX=$T/inst BUILD=$BUILD > /dev/null 2>&1
check "installed sp-grid runs" $T/inst/bin/sp-grid --version
check "pkg-config file" env PKG_CONFIG_PATH=$T/inst/lib/pkgconfig pkg-config --cflags libspatial
check "headers installed" test -f $T/inst/include/libspatial/gridding/sp_gridding.h
# a program compiles, links and runs against the installed library through pkg-config
cat > $T/prog.c <<'EOF2'
#include <io/sp_ctx_io.h>
#include <disperse/sp_disperse.h>
#include <tiles/sp_tiles_run.h>
#include <inventory/sp_inventory_run.h>
#include <stdio.h>
int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    sp_star s = {0};
    s.f[0][1][3] = 1;
    sp_disperse_class c;
    sp_disperse_class_init(&c);
    printf("%s %.4f\n", SP_VERSION, sp_disperse_point(&s, &c, 0, -1000) > 0 ? 1.0 : 0.0);
    sp_ctx_free(ctx);
    return 0;
}
EOF2
# (the ASan build's library is instrumented: the program is built the same way)
SAN=""; [ "$SANITIZE" = 1 ] && SAN="-fsanitize=address,undefined"
check "a program builds with pkg-config libspatial" sh -c "cc $SAN -o $T/prog $T/prog.c \$(PKG_CONFIG_PATH=$T/inst/lib/pkgconfig pkg-config --cflags --libs libspatial)"
check "and runs" sh -c "$T/prog | grep -q ' 1.0000$'"
check "private headers are not installed" test ! -e $T/inst/include/libspatial/inventory/sp_inventory_impl.h
check "share: styles, Leaflet, factor table and specs" sh -c "test -s $T/inst/share/onemap/styles/nox_density.txt && test -s $T/inst/share/onemap/leaflet/leaflet.js && test -s $T/inst/share/onemap/examples/factors.csv && test -s $T/inst/share/onemap/examples/score.spec"
# the installed tools find their data next to themselves, also when the tree is moved
mv $T/inst $T/moved
$G -q -tr 500 500 -t_srs EPSG:32650 -a aadt $SAMPLES/roads.gpkg $T/inst_g.tif
(unset ONEMAP_LEAFLET; $T/moved/bin/sp-tiles -q -z 11 -style nox_density $T/inst_g.tif $T/inst_t) 2> $T/inst_t.err
check "a moved install: -style NAME finds the installed style, the page its Leaflet" sh -c "test -s $T/inst_t/index.html && test -s $T/inst_t/leaflet/leaflet.js && test ! -s $T/inst_t.err"
rm -r $T/moved/share/onemap/leaflet
(unset ONEMAP_LEAFLET; $T/moved/bin/sp-tiles -q -z 11 -style nox_density $T/inst_g.tif $T/inst_t2) 2> $T/inst_t2.err
check "without its Leaflet the installed tool says where it looked" grep -q "no Leaflet in '$T/moved/bin/../share/onemap/leaflet'" $T/inst_t2.err
$G --help > $T/help; check "--help lists -tr" grep -q -- "-tr XRES YRES" $T/help
$G --version | grep -q "onemap" && ok || bad "--version"
# regression: -where on a field that is not gridded (field pruning kept it)
check "-where on another field" $G -q -tr 100 100 -t_srs EPSG:32650 -a stoves -where "purifier = 1" $SAMPLES/restaurants_gcj02.shp $T/pur.tif
in=$($PY -c "
from osgeo import ogr
ds = ogr.Open('$SAMPLES/restaurants_gcj02.shp'); print(sum(f['stoves'] for f in ds.GetLayer(0) if f['purifier'] == 1))")
out=$(band_sum $T/pur.tif 1)
check "-where selects the purifier restaurants only ($out vs $in)" close "$out" "$in" 1e-12

# two readers: a GeoPackage layer of 30,000 features (points, lines, polygons) is read in
# two halves at once; the grid must equal one reader's to the bit, and an error in
# either half must be the one a single reader reports
$PY -c "
import random
from osgeo import ogr, osr
rnd = random.Random(7)
srs = osr.SpatialReference(); srs.ImportFromEPSG(32650)
ds = ogr.GetDriverByName('GPKG').CreateDataSource('$T/big.gpkg')
l = ds.CreateLayer('big', srs, ogr.wkbUnknown); l.CreateField(ogr.FieldDefn('e', ogr.OFTReal)); l.CreateField(ogr.FieldDefn('f', ogr.OFTReal))
l.StartTransaction()
for i in range(30000):
    x, y = 440000 + rnd.uniform(0, 20000), 4400000 + rnd.uniform(0, 20000)
    k = i % 3
    if k == 0: g = ogr.CreateGeometryFromWkt('POINT (%r %r)' % (x, y))
    elif k == 1: g = ogr.CreateGeometryFromWkt('LINESTRING (%r %r, %r %r)' % (x, y, x + rnd.uniform(-900, 900), y + rnd.uniform(-900, 900)))
    else: g = ogr.CreateGeometryFromWkt('POLYGON ((%r %r, %r %r, %r %r, %r %r))' % (x, y, x + 250, y, x + 250, y + 180, x, y))
    f = ogr.Feature(l.GetLayerDefn()); f['e'] = rnd.uniform(0, 10); f['f'] = rnd.uniform(0, 1e4); f.SetGeometry(g); l.CreateFeature(f)
l.CommitTransaction(); ds = None
ds = ogr.GetDriverByName('GPKG').CreateDataSource('$T/bad2.gpkg')
src = ogr.Open('$T/big.gpkg'); o = ds.CopyLayer(src.GetLayer(0), 'big')
f = o.GetFeature(25000); f['e'] = -1.5; o.SetFeature(f)
f = o.GetFeature(28000); f['e'] = -2.5; o.SetFeature(f)
ds = None
ds = ogr.GetDriverByName('GPKG').CreateDataSource('$T/bad1.gpkg')
o = ds.CopyLayer(src.GetLayer(0), 'big')
f = o.GetFeature(5000); f['e'] = -3.5; o.SetFeature(f)
f = o.GetFeature(25000); f['e'] = -1.5; o.SetFeature(f)
ds = None"
$G -q -j 1 -tr 100 100 -a e $T/big.gpkg $T/big1.tif
$G -j 2 -tr 100 100 -a e $T/big.gpkg $T/big2.tif > $T/big2.out 2> $T/big2.err
check "two readers: runs" test $? = 0
check "two readers: the same grid, to the byte, as one" cmp $T/big1.tif $T/big2.tif
check "two readers: progress reaches 100" grep -q "100 - done" $T/big2.err
in=$($PY -c "
from osgeo import ogr
ds = ogr.Open('$T/big.gpkg'); print(repr(sum(f['e'] for f in ds.GetLayer(0))))")
out=$(band_sum $T/big2.tif 1)
check "two readers: grid total == input total to 1e-9 ($out vs $in)" close "$out" "$in" 1e-9
check "two readers: the balance line counts all 30000 features" grep -q "30000" $T/big2.out
# several bands through the two readers' recorded chunks
$G -q -j 1 -tr 100 100 -a e,f $T/big.gpkg $T/bigm1.tif
$G -q -j 2 -tr 100 100 -a e,f $T/big.gpkg $T/bigm2.tif
check "two readers, two bands: the same bytes as one reader" cmp $T/bigm1.tif $T/bigm2.tif
inf=$($PY -c "
from osgeo import ogr
ds = ogr.Open('$T/big.gpkg'); print(repr(sum(f['f'] for f in ds.GetLayer(0))))")
check "two readers, two bands: band 2 total == OGR's sum of f" close "$(band_sum $T/bigm2.tif 2)" "$inf" 1e-9
check "two readers, two bands: band 1 unchanged by band 2" close "$(band_sum $T/bigm2.tif 1)" "$in" 1e-9
expect_fail "two readers: an error in the second half" 1 "feature 25000.*value -1.5 is negative" $T/bad2.tif $G -j 2 -tr 100 100 -a e $T/bad2.gpkg $T/bad2.tif
expect_fail "two readers: the first half's error comes first" 1 "feature 5000.*value -3.5 is negative" $T/bad1.tif $G -j 2 -tr 100 100 -a e $T/bad1.gpkg $T/bad1.tif
expect_fail "-j 0" 2 "-j: '0' is out of range" $T/j0.tif $G -j 0 -tr 100 100 -a e $T/big.gpkg $T/j0.tif
# the direct GeoPackage reader (SQLite + the GP header + WKB parsed by onemap) against
# OGR's path (--config SP_GPKG_DIRECT NO): the same grid to the byte, the same messages.
# Points in lon/lat reprojected, multipoints, a null value (-null_zero), 30,000 rows (two
# readers); lines with multilinestrings; and every error class.
$PY - $T <<'PYEOF'
import sys, random
from osgeo import ogr, osr
d = sys.argv[1]; random.seed(7)
def make(path, name, srs_epsg, gtype, rows):
    ds = ogr.GetDriverByName('GPKG').CreateDataSource(path)
    srs = osr.SpatialReference(); srs.ImportFromEPSG(srs_epsg)
    l = ds.CreateLayer(name, srs, gtype)
    l.CreateField(ogr.FieldDefn('e', ogr.OFTReal)); l.CreateField(ogr.FieldDefn('n', ogr.OFTInteger64))
    l.StartTransaction()
    for wkt, e, n in rows:
        f = ogr.Feature(l.GetLayerDefn()); f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        if e is None: f.SetFieldNull('e')
        else: f['e'] = e
        f['n'] = n; l.CreateFeature(f)
    l.CommitTransaction()
pts = []
for i in range(30000):
    x, y = 116.3 + random.random() * 0.4, 39.8 + random.random() * 0.3
    if i % 7 == 0:
        pts.append(('MULTIPOINT ((%r %r), (%r %r))' % (x, y, x + 0.001, y), random.random() * 5, i))
    else:
        pts.append(('POINT (%r %r)' % (x, y), None if i == 12345 else random.random() * 5, i))
make(d + '/dpts.gpkg', 'dpts', 4326, ogr.wkbUnknown if False else ogr.wkbMultiPoint, [(w.replace('POINT (', 'MULTIPOINT ((').replace(')', '))') if w.startswith('POINT') else w, e, n) for w, e, n in pts])
make(d + '/dpt1.gpkg', 'dpt1', 4326, ogr.wkbPoint, [(w, 1.0 if e is None else e, n) for w, e, n in pts if w.startswith('POINT')])
lines = []
for i in range(25000):
    x, y = 440000 + random.random() * 30000, 4410000 + random.random() * 30000
    if i % 5 == 0:
        lines.append(('MULTILINESTRING ((%r %r, %r %r), (%r %r, %r %r, %r %r))' % (x, y, x + 400, y + 90, x, y + 50, x + 30, y + 700, x + 800, y + 720), random.random(), i))
    else:
        lines.append(('LINESTRING (%r %r, %r %r)' % (x, y, x + random.random() * 2000, y + random.random() * 2000), random.random(), i))
make(d + '/dlin.gpkg', 'dlin', 32650, ogr.wkbMultiLineString, [(w if w.startswith('MULTI') else w.replace('LINESTRING (', 'MULTILINESTRING ((') + ')', e, n) for w, e, n in lines])
PYEOF
for c in "dpts:-null_zero -t_srs EPSG:32650 -a e,n" "dpt1:-null_zero -t_srs EPSG:32650 -a e" "dlin:-a e,n" "dlin:" "dpt1:-null_zero -t_srs EPSG:32650 -j 1 -a e"; do
  f=${c%%:*}; opts=${c#*:}
  $G -q --config CPL_DEBUG ON -tr 100 100 $opts $T/$f.gpkg $T/d_$f.tif 2> $T/d.err
  check "direct read of $f ($opts) is taken" grep -q "direct GeoPackage read of layer '$f'" $T/d.err
  $G -q --config SP_GPKG_DIRECT NO -tr 100 100 $opts $T/$f.gpkg $T/o_$f.tif
  check "direct read of $f ($opts) = OGR's path, to the byte" cmp $T/d_$f.tif $T/o_$f.tif
done
$G -q --config CPL_DEBUG ON -tr 100 100 -where "n > 5" -a e $T/dlin.gpkg $T/w.tif 2> $T/d.err
check "-where goes through OGR" sh -c "! grep -q 'direct GeoPackage' $T/d.err"
# each error class: the same exit code and message both ways (rows changed with OGR)
$PY - $T <<'PYEOF'
import sys, shutil, math
from osgeo import ogr
d = sys.argv[1]
def geom(wkt, x=None, y=None):
    g = ogr.CreateGeometryFromWkt(wkt)
    if x is not None: g.SetPoint_2D(0, x, y)
    return g
cases = {'nullv': ('e', None), 'negv': ('e', -2.0), 'nullg': ('geom', None),
         'nanc': ('geom', geom('POINT (116.4 39.9)', math.nan, 39.9)),
         'bigc': ('geom', geom('POINT (116.4 39.9)', 5e10, 39.9)), 'empty': ('geom', geom('POINT EMPTY'))}
for k, (what, v) in cases.items():
    shutil.copy(d + '/dpt1.gpkg', d + '/' + k + '.gpkg')
    ds = ogr.Open(d + '/' + k + '.gpkg', 1); l = ds.GetLayer(0); f = l.GetFeature(20000)
    if what == 'e' and v is None: f.SetFieldNull('e')
    elif what == 'e': f['e'] = v
    else: f.SetGeometryDirectly(v)
    assert l.SetFeature(f) == 0; ds = None
PYEOF
for k in nullv:"value is missing" negv:"value -2 is negative" nullg:"has no geometry" nanc:"the geometry is empty .a NaN" bigc:"extent reaches 5e.10" empty:"the geometry is empty"; do
  msg=${k#*:}; k=${k%%:*}
  $G -q -t_srs EPSG:32650 -tr 100 100 -a e $T/$k.gpkg $T/x_$k.tif > /dev/null 2> $T/de.err; rd=$?
  grep -Eq "(feature 20000|dpt1').*$msg" $T/de.err && ok || { bad "bad row ($k): feature 20000, '$msg'"; head -3 $T/de.err; }
  $G -q --config SP_GPKG_DIRECT NO -t_srs EPSG:32650 -tr 100 100 -a e $T/$k.gpkg $T/y_$k.tif > /dev/null 2> $T/oe.err; ro=$?
  check "bad row ($k): exit 1 both ways" test "$rd$ro" = 11
  check "bad row ($k): the same message both ways ($(head -c 90 $T/oe.err))" cmp $T/de.err $T/oe.err
  check "bad row ($k): no output" test ! -e $T/x_$k.tif
done

end
