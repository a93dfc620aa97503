#!/bin/sh
# End-to-end tests of sp-zonal on the sample district: zones tiling the data add up to
# the raster total, reprojected zones equal pre-projected ones, raster and vector modes
# agree on totals, baseline/scenario deltas, outputs, determinism, and bad inputs.
. tests/cli/lib.sh
Z=$BIN/sp-zonal
G=$BIN/sp-grid
S=$SAMPLES
csv_sum() { $PY -c "import csv,sys; print(repr(sum(float(r[sys.argv[2]]) for r in csv.DictReader(open(sys.argv[1])))))" "$@"; }

# the streets gridded onto themselves: all the mass is inside the zones
$G -q -t_srs EPSG:32650 -tr 100 100 $S/streets.shp $T/streets.tif
$G -q -t_srs EPSG:32650 -tr 100 100 -tap -s_coord gcj02 -a stoves $S/restaurants_gcj02.shp $T/stoves.tif
$Z -id code -include name,name_en $T/streets.tif $S/streets.shp $T/z.csv > $T/z.out 2> $T/z.err
check "zonal run" test $? = 0
check "report printed" grep -q "^zones: 40, area" $T/z.out
check "progress on stderr" grep -q "100 - done" $T/z.err
check "no overlap warning on a clean tiling" sh -c "! grep -q overlap $T/z.err"
check "40 rows + header" test "$(wc -l < $T/z.csv)" = 41
check "header: id, includes, band_stat" grep -q "^code,name,name_en,count_sum,count_mean,count_count,count_area_km2,count_density,count_share$" $T/z.csv
check "Chinese names carried" grep -q "示例街道01" $T/z.csv
check "sorted by id" sh -c "cut -d, -f1 $T/z.csv | sed 1d > $T/ids; sort $T/ids | cmp - $T/ids"
s=$(csv_sum $T/z.csv count_sum); tot=$(awk '$1 == "count" {print $2}' $T/z.out)
check "the reported raster total is GDAL's band sum (40)" close "$tot" "$(band_sum $T/streets.tif 1)" 1e-12
check "the district's border cells keep their outer part outside (< 1 %)" close "$s" 40 0.01

# zones tiling the raster exactly (a jittered 8 x 6 lattice over its extent): the sum of
# the zone sums is the raster total
$PY -c "
import random
from osgeo import gdal, ogr, osr
ds = gdal.Open('$T/stoves.tif'); gt = ds.GetGeoTransform()
x0, y1 = gt[0], gt[3]; x1 = x0 + gt[1] * ds.RasterXSize; y0 = y1 + gt[5] * ds.RasterYSize
random.seed(7); nx, ny = 8, 6
def v(i, j):
    x = x0 + (x1 - x0) * i / nx; y = y0 + (y1 - y0) * j / ny
    if 0 < i < nx: x += random.Random(i * 100 + j).uniform(-900, 900)
    if 0 < j < ny: y += random.Random(j * 1000 + i).uniform(-900, 900)
    return x, y
srs = osr.SpatialReference(); srs.ImportFromEPSG(32650)
out = ogr.GetDriverByName('GPKG').CreateDataSource('$T/lattice.gpkg')
l = out.CreateLayer('lattice', srs, ogr.wkbPolygon); l.CreateField(ogr.FieldDefn('zid', ogr.OFTInteger))
for i in range(nx):
    for j in range(ny):
        r = ogr.Geometry(ogr.wkbLinearRing)
        for p in (v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)): r.AddPoint_2D(*p)
        g = ogr.Geometry(ogr.wkbPolygon); g.AddGeometry(r)
        f = ogr.Feature(l.GetLayerDefn()); f['zid'] = i * ny + j; f.SetGeometry(g); l.CreateFeature(f)
out = None"
$Z -id zid -stats sum,share $T/stoves.tif $T/lattice.gpkg $T/lat.csv > $T/lat.out 2>&1
check "lattice zones" test $? = 0
s=$(csv_sum $T/lat.csv stoves_sum); tot=$(awk '$1 == "stoves" {print $2}' $T/lat.out)
check "zones tiling the raster: sum of zone sums == raster total to 1e-9 ($s vs $tot)" close "$s" "$tot" 1e-9
s=$(csv_sum $T/lat.csv stoves_share)
check "shares add up to 100 %" close "$s" 100 1e-9
check "numeric ids sorted numerically" sh -c "cut -d, -f1 $T/lat.csv | sed 1d | sort -n -c"
check "each street's own polygon mass is ~1 (border cells split exactly)" $PY -c "
import csv
for r in csv.DictReader(open('$T/z.csv')):
    assert 0.97 < float(r['count_sum']) < 1.03, r"
$Z -q -id code -include name,name_en $T/streets.tif $S/streets.shp $T/z2.csv
check "deterministic CSV" cmp $T/z.csv $T/z2.csv
mkdir -p $T/g1 $T/g2
$Z -q -id code -include name $T/streets.tif $S/streets.shp $T/g1/z.gpkg
sleep 1
$Z -q -id code -include name $T/streets.tif $S/streets.shp $T/g2/z.gpkg
check "deterministic GeoPackage (same bytes a second later)" cmp $T/g1/z.gpkg $T/g2/z.gpkg

# pre-projected zones give the same sums as zones reprojected on the fly
$BIN/sp-convert -q -t_srs EPSG:32650 $S/streets.shp $T/streets_utm.gpkg
$Z -q -id code -stats sum,mean $T/stoves.tif $T/streets_utm.gpkg $T/utm.csv
$Z -q -id code -stats sum,mean $T/stoves.tif $S/streets.shp $T/wgs.csv
check "WGS84 zones over a UTM raster == pre-projected zones to 1e-6" $PY -c "
import csv
a = list(csv.DictReader(open('$T/utm.csv'))); b = list(csv.DictReader(open('$T/wgs.csv')))
assert len(a) == 40 and [r['code'] for r in a] == [r['code'] for r in b]
for x, y in zip(a, b):
    u, w = float(x['stoves_sum']), float(y['stoves_sum'])
    assert abs(u - w) <= 1e-6 * max(abs(u), 1), (x, y)"

# methods: centre and all_touched are approximate
$Z -q -id code -stats sum -method centre $T/stoves.tif $S/streets.shp $T/c.csv
$Z -q -id code -stats sum -method all_touched $T/stoves.tif $S/streets.shp $T/a.csv
$Z -q -id code -stats sum $T/stoves.tif $S/streets.shp $T/e.csv
e=$(csv_sum $T/e.csv stoves_sum); a=$(csv_sum $T/a.csv stoves_sum)
check "all_touched counts border cells twice: total too large" $PY -c "assert $a > $e * 1.005, ($a, $e)"
check "centre differs from exact per zone" sh -c "test -s $T/c.csv && test -s $T/e.csv && ! cmp -s $T/c.csv $T/e.csv"

# vector mode vs raster mode on the restaurants
$Z -v $S/restaurants_gcj02.shp -inv_s_coord gcj02 -a stoves -id code $S/streets.shp $T/v.csv > $T/v.out 2>/dev/null
check "vector mode run" test $? = 0
$Z -id code $T/stoves.tif $S/streets.shp $T/r.csv > $T/r.out 2>/dev/null
vt=$(awk '$1 == "stoves" {print $2}' $T/v.out); rt=$(awk '$1 == "stoves" {print $2}' $T/r.out)
check "raster and vector modes agree on the district total ($vt vs $rt)" close "$vt" "$rt" 1e-12
vs=$(csv_sum $T/v.csv stoves_sum); rs=$(csv_sum $T/r.csv stoves_sum)
check "zone sums: difference is the gridding error at the border (< 1 %: $vs vs $rs)" close "$vs" "$rs" 0.01
# one point counted once, by hand: zones A (id 1) and B (id 2) share the edge x = 100;
# points inside A (1), on the edge (10: the first zone in id order), inside B (100) and
# outside both (1000)
$PY -c "
from osgeo import ogr, osr
srs = osr.SpatialReference(); srs.ImportFromEPSG(32650)
d = ogr.GetDriverByName('GPKG')
z = d.CreateDataSource('$T/ab.gpkg'); l = z.CreateLayer('ab', srs, ogr.wkbPolygon)
l.CreateField(ogr.FieldDefn('zid', ogr.OFTInteger))
for i, x in ((1, 0), (2, 100)):
    f = ogr.Feature(l.GetLayerDefn()); f['zid'] = i
    f.SetGeometry(ogr.CreateGeometryFromWkt('POLYGON((%d 0,%d 0,%d 100,%d 100,%d 0))' % (x, x + 100, x + 100, x, x)))
    l.CreateFeature(f)
z = None
p = d.CreateDataSource('$T/pts.gpkg'); l = p.CreateLayer('pts', srs, ogr.wkbPoint)
l.CreateField(ogr.FieldDefn('v', ogr.OFTReal))
for x, v in ((50, 1), (100, 10), (150, 100), (300, 1000)):
    f = ogr.Feature(l.GetLayerDefn()); f['v'] = v
    f.SetGeometry(ogr.CreateGeometryFromWkt('POINT(%d 50)' % x)); l.CreateFeature(f)
p = None"
$Z -v $T/pts.gpkg -a v -id zid -stats sum,area_km2 $T/ab.gpkg $T/ab.csv > $T/ab.out 2>/dev/null
check "vector mode: each point once, the edge point in the first zone by id" sh -c "grep -q '^1,11,0.01$' $T/ab.csv && grep -q '^2,100,0.01$' $T/ab.csv"
check "vector mode: the report's total and part in the zones (1111, 111)" sh -c "grep -Eq '^v +1111.0+ +111.0+ ' $T/ab.out"
# area_km2 of the vector mode against OGR's areas in the same metric CRS (UTM 50N)
check "vector mode: area_km2 is OGR's area of each street" $PY -c "
import csv
from osgeo import ogr, osr
t = osr.SpatialReference(); t.ImportFromEPSG(32650); t.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ds = ogr.Open('$S/streets.shp'); l = ds.GetLayer(0)
s = l.GetSpatialRef(); s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(s, t)
want = {}
for f in l:
    g = f.GetGeometryRef().Clone(); g.Transform(ct); want[f['code']] = g.GetArea() / 1e6
rows = list(csv.DictReader(open('$T/v.csv')))
assert len(rows) == len(want) == 40
for r in rows:
    assert abs(float(r['stoves_area_km2']) - want[r['code']]) <= 1e-9 * want[r['code']], r['code']"

# -inv_where filters the inventory: stoves of restaurants without a purifier
$Z -q -v $S/restaurants_gcj02.shp -inv_s_coord gcj02 -inv_where "purifier = 0" -a stoves -id code $S/streets.shp $T/np.csv 2>/dev/null
np=$(csv_sum $T/np.csv stoves_sum)
want=$($PY -c "
from osgeo import ogr
ds = ogr.Open('$S/restaurants_gcj02.shp'); l = ds.GetLayer(0)
print(float(sum(f['stoves'] for f in l if f['purifier'] == 0)))")
check "-inv_where: zone sums = the filtered inventory's total ($np vs $want)" close "$np" "$want" 1e-12
check "-inv_where: fewer than all stoves" $PY -c "import sys; sys.exit(0 if $np < $vs else 1)"

# two rasters: baseline and scenario with deltas
 $G -q -t_srs EPSG:32650 -tr 100 100 -tap -s_coord gcj02 -a stoves -where "purifier = 1" $S/restaurants_gcj02.shp $T/pur.tif
$Z -q -r base=$T/stoves.tif -r scen=$T/pur.tif -id code -stats sum $S/streets.shp $T/d.csv
check "delta columns" grep -q "^code,base_stoves_sum,scen_stoves_sum,delta_stoves_sum,delta_pct_stoves_sum$" $T/d.csv
check "delta == scen - base, pct too" $PY -c "
import csv
for r in csv.DictReader(open('$T/d.csv')):
    b, s, d = float(r['base_stoves_sum']), float(r['scen_stoves_sum']), float(r['delta_stoves_sum'])
    assert abs(d - (s - b)) <= 1e-10 * max(b, 1) and s <= b * (1 + 1e-10)
    if b > 0: assert abs(float(r['delta_pct_stoves_sum']) - 100 * (s - b) / b) < 1e-6"
$Z -q -r base=$T/stoves.tif -r scen=$T/pur.tif -no_delta -id code -stats sum $S/streets.shp $T/nd.csv
check "-no_delta: the two rasters' columns only, the same values" sh -c "grep -q '^code,base_stoves_sum,scen_stoves_sum\$' $T/nd.csv && cut -d, -f1-3 $T/d.csv | cmp -s - $T/nd.csv"

# rasters on one grid share the zones' cells (computed once): the same columns as each
# raster alone, every statistic; on another grid the cells are computed again
$G -q -like $T/stoves.tif -s_coord gcj02 -a stoves -where "purifier = 1" $S/restaurants_gcj02.shp $T/purl.tif
$G -q -t_srs EPSG:32650 -tr 200 200 -tap -s_coord gcj02 -a stoves $S/restaurants_gcj02.shp $T/s200.tif
ST=sum,mean,count,median,q90,stdev,share
$Z -q --config CPL_DEBUG ON -r a=$T/stoves.tif -r b=$T/purl.tif -r c=$T/s200.tif -id code -stats $ST $S/streets.shp $T/abc.csv 2> $T/abc.err
check "the zones' cells reused for the raster on the same grid" grep -q "cells of the previous raster reused for '$T/purl.tif'" $T/abc.err
check "and computed again on another grid" sh -c "! grep -q \"reused for '$T/s200.tif'\" $T/abc.err"
$Z -q -id code -stats $ST $T/purl.tif $S/streets.shp $T/b_alone.csv
$Z -q -id code -stats $ST $T/s200.tif $S/streets.shp $T/c_alone.csv
check "reused cells: each raster's columns = the raster alone, to the digit" $PY -c "
import csv
abc = {r['code']: r for r in csv.DictReader(open('$T/abc.csv'))}
for pre, f in (('b', '$T/b_alone.csv'), ('c', '$T/c_alone.csv')):
    for r in csv.DictReader(open(f)):
        for st in '$ST'.split(','):
            assert abc[r['code']][pre + '_stoves_' + st] == r['stoves_' + st], (pre, r['code'], st)"

# GeoPackage / GeoJSON with the zone geometry; quantiles
check "GeoPackage output" $Z -q -id code -include name -stats sum,median,q90,stdev $T/stoves.tif $S/streets.shp $T/z.gpkg
check "GeoPackage: 40 multipolygons with the stats" sh -c "ogrinfo -so -al $T/z.gpkg | grep -q 'Feature Count: 40' && ogrinfo -so -al $T/z.gpkg | grep -q 'stoves_q90: Real'"
check "GeoJSON output" $Z -q -id code $T/stoves.tif $S/streets.shp $T/z.geojson
check "GeoJSON readable" sh -c "ogrinfo -so -al $T/z.geojson | grep -q 'Feature Count: 40'"

# zones flags: -where, -zl, -b; overlapping zones are reported
$Z -q -id code -stats sum -where "code < 'S010'" $T/stoves.tif $S/streets.shp $T/w.csv
check "-where on the zones: 9 streets" test "$(wc -l < $T/w.csv)" = 10
check "-zl names the zones layer" $Z -q -zl lattice -id zid -stats sum $T/stoves.tif $T/lattice.gpkg $T/zl.csv
expect_fail "-zl with an unknown layer" 2 "has no layer 'nope'" $T/zl2.csv $Z -zl nope $T/stoves.tif $T/lattice.gpkg $T/zl2.csv
$G -q -t_srs EPSG:32650 -tr 100 100 -tap -s_coord gcj02 -a stoves,hours $S/restaurants_gcj02.shp $T/two.tif
$Z -q -b 2 -id code -stats sum $T/two.tif $S/streets.shp $T/b2.csv
check "-b 2: only the second band" sh -c "head -1 $T/b2.csv | grep -q '^code,hours_sum$'"
$PY -c "
from osgeo import ogr
src = ogr.Open('$T/streets_utm.gpkg'); l = src.GetLayer(0)
out = ogr.GetDriverByName('GPKG').CreateDataSource('$T/overlap.gpkg')
o = out.CopyLayer(l, 'overlap'); f = l.GetFeature(1); f.SetFID(-1); f['code'] = 'S999'
o.CreateFeature(f); out = None"
$Z -id code -stats sum $T/stoves.tif $T/overlap.gpkg $T/ov.csv > $T/ov.out 2> $T/ov.err
check "overlapping zones: still computed" test $? = 0
check "overlapping zones: warned with the area" grep -q "warning: the zones overlap by [0-9.e+]* m2" $T/ov.err
check "overlapping zones: area in the report" $PY -c "
import re
m = re.search(r'overlaps ([0-9.e+]+) m2', open('$T/ov.out').read()); assert float(m.group(1)) > 1e6, m.group(1)"
$Z -id code -stats sum $T/stoves.tif $S/streets.shp $T/noov.csv > $T/noov.out 2>&1
# (cells the copy covers in full are counted once; its partly covered border cells,
# where the weights of the two copies add to less than 1, still count twice)
check "overlapping zones: 'in zones' counts the shared part once, but for border cells" $PY -c "
import csv
a = float([l.split() for l in open('$T/ov.out') if l.startswith('stoves')][0][2])
b = float([l.split() for l in open('$T/noov.out') if l.startswith('stoves')][0][2])
dup = [float(r['stoves_sum']) for r in csv.DictReader(open('$T/ov.csv')) if r['code'] == 'S999'][0]
assert dup > 100 and b <= a < b + 0.1 * dup, (a, b, dup)"

# many bands are read and added a group of bands at a time (~32 MB a strip): one band a
# group gives the same bytes as all at once, over overlapping zones (their corrections)
# and every statistic (the quantiles' pairs), and each copy of the band the same values
gdalbuildvrt -q -b 1 -b 1 -b 1 $T/three.vrt $T/stoves.tif
ALLG=sum,mean,min,max,count,share,stdev,median,q10,q90
$Z -q -id code -stats $ALLG $T/three.vrt $T/overlap.gpkg $T/g_all.csv
$Z -q --config SP_ZONAL_GROUP_BANDS 1 -id code -stats $ALLG $T/three.vrt $T/overlap.gpkg $T/g_one.csv
$Z -q -id code -stats $ALLG $T/stoves.tif $T/overlap.gpkg $T/g_single.csv
check "bands a group at a time = all at once, to the byte" cmp $T/g_all.csv $T/g_one.csv
check "each of three copies of a band = the band alone" $PY -c "
import csv
one = {r['code']: r for r in csv.DictReader(open('$T/g_single.csv'))}
n = 0
for r in csv.DictReader(open('$T/g_one.csv')):
    for st in '$ALLG'.split(','):
        for b in ('b1', 'b2', 'b3'):
            assert r[b + '_' + st] == one[r['code']]['stoves_' + st], (r['code'], b, st)
    n += 1
assert n == 41, n"

# the raster is streamed in strips of block rows: zones crossing many strips (16-row
# strips) give what one strip holding the whole raster gives, every statistic
ALL=sum,mean,min,max,count,area_km2,density,share,stdev,median,q10,q90
gdal_translate -q -co BLOCKYSIZE=16 $T/stoves.tif $T/strips16.tif
rows=$($PY -c "from osgeo import gdal; print(gdal.Open('$T/stoves.tif').RasterYSize)")
gdal_translate -q -co BLOCKYSIZE=$rows $T/stoves.tif $T/strip1.tif
$Z -q -id code -stats $ALL $T/strips16.tif $S/streets.shp $T/s16.csv
$Z -q -id code -stats $ALL $T/strip1.tif $S/streets.shp $T/s1.csv
check "16-row strips == one strip, every statistic (to 1e-12; min, max, quantiles exactly)" $PY -c "
import csv
a = list(csv.DictReader(open('$T/s16.csv'))); b = list(csv.DictReader(open('$T/s1.csv')))
assert len(a) == len(b) == 40
exact = ('min', 'max', 'median', 'q10', 'q90')
for x, y in zip(a, b):
    for k in x:
        if k == 'code':
            assert x[k] == y[k]; continue
        u, v = float(x[k]), float(y[k])
        if k.split('_', 1)[1] in exact: assert u == v, (k, u, v)
        else: assert abs(u - v) <= 1e-12 * max(abs(v), 1e-300), (k, u, v)"
check "a street spans several strips here" test "$rows" -gt 48
$Z -q -j 1 -id code -stats $ALL $T/strips16.tif $S/streets.shp $T/j1.csv
$Z -q -j 3 -id code -stats $ALL $T/strips16.tif $S/streets.shp $T/j3.csv
check "-j 1 and -j 3 give the same bytes" cmp $T/j1.csv $T/j3.csv
check "... and the default the same too" cmp $T/j1.csv $T/s16.csv
expect_fail "-j 0" 2 "-j: '0' is out of range" $T/j0.csv $Z -j 0 $T/stoves.tif $S/streets.shp $T/j0.csv

# bad input
O=$T/bad.csv
expect_fail "zones without the id field" 1 "-id: .*no field 'nope' \(fields: code, name, name_en, kind\)" $O $Z -id nope $T/stoves.tif $S/streets.shp $O
expect_fail "duplicate ids" 1 "id '.*' is used by features [0-9]+ and [0-9]+; ids must be unique" $O $Z -id kind $T/stoves.tif $S/streets.shp $O
expect_fail "non-polygon zones" 1 "zones must be polygons, not Point" $O $Z $T/stoves.tif $S/stations.shp $O
gdal_create -q -of GTiff -outsize 10 10 -bands 1 -ot Float64 -a_srs EPSG:32650 -a_ullr 0 1000 1000 0 $T/far.tif 2>/dev/null
expect_fail "raster and zones not overlapping" 1 "the zones and the raster '.*far.tif' do not overlap" $O $Z $T/far.tif $S/streets.shp $O
expect_fail "a band that does not exist" 2 "has 1 band\(s\): there is no band 3" $O $Z -b 3 $T/stoves.tif $S/streets.shp $O
expect_fail "unknown statistic" 2 "unknown statistic 'avg'" $O $Z -stats avg $T/stoves.tif $S/streets.shp $O
expect_fail "unknown method" 2 "-method: 'fast' is not" $O $Z -method fast $T/stoves.tif $S/streets.shp $O
expect_fail "unknown output extension" 2 "cannot tell the output format of '.*z.xyz'" $T/z.xyz $Z $T/stoves.tif $S/streets.shp $T/z.xyz
expect_fail "missing raster" 1 "cannot open raster '.*nope.tif'" $O $Z $T/nope.tif $S/streets.shp $O
expect_fail "vector mode without -a" 2 "-v needs -a FIELD" $O $Z -v $S/boilers.shp $S/streets.shp $O
expect_fail "raster-only stat in vector mode" 2 "-stats 'mean' needs a raster" $O $Z -v $S/boilers.shp -a gas_10k -stats mean $S/streets.shp $O
expect_fail "too few arguments" 2 "need RASTER ZONES OUT" $O $Z $S/streets.shp $O
# weighted_mean: a 3 x 3 grid of 100 m, values v and weights w; the zone covers the
# left column whole and the middle column's left half. By hand:
#   sum(cov w v) = 1*(1*10 + 2*20 + 3*30) + 0.5*(4*40 + 5*50 + 6*60) = 140 + 385 = 525
#   sum(cov w)   = 1*(1 + 2 + 3) + 0.5*(4 + 5 + 6) = 6 + 7.5 = 13.5  -> 38.888...
$PY - $T <<'PYEOF'
import sys, json
from osgeo import gdal, osr
import numpy as np
d = sys.argv[1]
s = osr.SpatialReference(); s.ImportFromEPSG(32650)
def ras(name, a):
    ds = gdal.GetDriverByName('GTiff').Create(d + '/' + name, 3, 3, 1, gdal.GDT_Float64)
    ds.SetGeoTransform([450000, 100, 0, 4420300, 0, -100]); ds.SetProjection(s.ExportToWkt())
    ds.GetRasterBand(1).WriteArray(np.array(a, dtype=float)); ds = None
ras('wv.tif', [[10, 40, 70], [20, 50, 80], [30, 60, 90]])
ras('ww.tif', [[1, 4, 7], [2, 5, 8], [3, 6, 9]])
json.dump({'type': 'FeatureCollection', 'crs': {'type': 'name', 'properties': {'name': 'urn:ogc:def:crs:EPSG::32650'}},
  'features': [{'type': 'Feature', 'properties': {'id': 'A'}, 'geometry': {'type': 'Polygon',
  'coordinates': [[[450000, 4420000], [450150, 4420000], [450150, 4420300], [450000, 4420300], [450000, 4420000]]]}}]},
  open(d + '/wz.geojson', 'w'))
PYEOF
check "weighted_mean with -weights" $Z -q -stats weighted_mean,mean -weights $T/ww.tif -id id $T/wv.tif $T/wz.geojson $T/wm.csv
check "population-weighted mean by hand (525 / 13.5)" $PY -c "
import csv; r = next(csv.DictReader(open('$T/wm.csv')))
assert abs(float(r['b1_weighted_mean']) - 525 / 13.5) < 1e-9, r
assert abs(float(r['b1_mean']) - (60 + 0.5 * 150) / 4.5) < 1e-9, r"
expect_fail "weighted_mean without -weights" 2 "weighted_mean needs -weights" $T/wx.csv $Z -q -stats weighted_mean $T/wv.tif $T/wz.geojson $T/wx.csv
ras_other() { gdal_translate -q -outsize 6 6 $T/ww.tif $T/ww6.tif; }
ras_other
expect_fail "weights on another grid" 1 "is not on the grid of" $T/wx.csv $Z -q -stats weighted_mean -weights $T/ww6.tif $T/wv.tif $T/wz.geojson $T/wx.csv
# point mode: the raster's value at each station, against gdallocationinfo -wgs84
$BIN/sp-grid -q -tr 200 200 -tap -t_srs EPSG:32650 -a aadt,speed $SAMPLES/roads.gpkg $T/pts.tif
check "-points: values at the stations" $Z -q -points -r e=$T/pts.tif -id name $SAMPLES/stations.shp $T/pts.csv
check "equal to gdallocationinfo at each station's lon/lat" $PY - $T $SAMPLES <<'PYEOF'
import csv, subprocess, sys
from osgeo import ogr
t, s = sys.argv[1], sys.argv[2]
rows = {r['name']: r for r in csv.DictReader(open(t + '/pts.csv'))}
ds = ogr.Open(s + '/stations.shp'); l = ds.GetLayer(0)
n = 0
for f in l:
    lon, lat = f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY()
    out = subprocess.run(['gdallocationinfo', '-valonly', '-wgs84', t + '/pts.tif', str(lon), str(lat)],
                         capture_output=True, text=True).stdout.split()
    r = rows[f.GetField('name')]
    vals = [float(r[k]) for k in list(r)[1:]]
    assert len(out) == len(vals) and all(abs(float(a) - b) <= 1e-9 * max(1, abs(b)) for a, b in zip(out, vals)), (out, vals)
    n += 1
assert n == 6
PYEOF
expect_fail "-points on polygons" 1 "feature 0 is not a point" $T/ptx.csv $Z -q -points $T/pts.tif $SAMPLES/streets.shp $T/ptx.csv
# the shared input flags, by input name (zones, inventory)
$Z -q -v $S/restaurants_gcj02.shp -s_coord inventory=gcj02 -where inventory="purifier = 0" -a stoves -id code $S/streets.shp $T/np2.csv 2>/dev/null
check "-where inventory=EXPR = -inv_where EXPR (same bytes)" cmp $T/np.csv $T/np2.csv
$Z -q -l zones=lattice -id zid -stats sum $T/stoves.tif $T/lattice.gpkg $T/zl2.csv
check "-l zones=LAYER = -zl LAYER (same bytes)" cmp $T/zl.csv $T/zl2.csv
expect_fail "an unnamed -l when two inputs are read" 2 "reads 2 vector inputs .zones, inventory.; name one: -l inventory=catering" $T/l2.csv $Z -q -v $S/restaurants_gcj02.shp -l catering -a stoves $S/streets.shp $T/l2.csv
expect_fail "a flag for the inventory without -v" 2 "-where inventory=...: this run reads no inventory input" $T/l3.csv $Z -q -where inventory="x = 1" $T/stoves.tif $S/streets.shp $T/l3.csv
expect_fail "-oo without NAME=VALUE" 2 "-oo wants NAME=VALUE" $T/l4.csv $Z -q -oo HEADERS $T/stoves.tif $S/streets.shp $T/l4.csv
# outputs with GDAL's creation options: a CSV with a UTF-8 BOM (Excel), a GPKG layer name
# and geometry column; an option the CSV writer does not take is refused
$Z -q -id code -include name -stats sum -lco WRITE_BOM=YES $T/stoves.tif $S/streets.shp $T/bom.csv
check "-lco WRITE_BOM=YES: the CSV starts with EF BB BF and GDAL reads its 'code' and Chinese names" $PY -c "
raw = open('$T/bom.csv', 'rb').read()
assert raw[:3] == b'\\xef\\xbb\\xbf' and raw[3:8] == b'code,', raw[:10]
from osgeo import ogr
ds = ogr.Open('$T/bom.csv'); l = ds.GetLayer(0)
f = l.GetNextFeature()
assert l.GetLayerDefn().GetFieldDefn(0).GetName() == 'code' and f['name'].startswith('示例'), f['name']"
$Z -q -id code -stats sum -nln 街道排放 -lco GEOMETRY_NAME=shape -lco DESCRIPTION=test $T/stoves.tif $S/streets.shp $T/nln.gpkg
check "-nln and -lco into a GPKG: the layer's name and geometry column" sh -c "ogrinfo -so $T/nln.gpkg 街道排放 | grep -q 'Geometry Column = shape'"
expect_fail "a CSV option the writer does not take" 2 "-lco SEPARATOR=SEMICOLON: onemap's CSV takes WRITE_BOM=YES.NO only" $T/sep.csv $Z -q -id code -stats sum -lco SEPARATOR=SEMICOLON $T/stoves.tif $S/streets.shp $T/sep.csv
# a shapefile output: UTF-8 with a .cpg (Chinese names intact), names cut to 10 bytes on
# character boundaries, made unique, each cut reported
ogr2ogr -dialect SQLite -sql "SELECT geometry, code, name AS 街道名称全称, name AS 街道名称简称 FROM streets" $T/zh.gpkg $S/streets.shp
$Z -q -id code -include 街道名称全称,街道名称简称 -stats sum,area_km2 $T/stoves.tif $T/zh.gpkg $T/zh.shp 2> $T/zh.err
check "shapefile output: .cpg UTF-8, Chinese values intact, names cut whole characters and unique, cuts reported" $PY -c "
from osgeo import ogr
assert open('$T/zh.cpg').read().strip().upper() in ('UTF-8', 'UTF8')
ds = ogr.Open('$T/zh.shp'); l = ds.GetLayer(0); d = l.GetLayerDefn()
names = [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]
assert names[:3] == ['code', '街道名', '街道~1'], names
assert all(len(n.encode()) <= 10 for n in names) and len(set(names)) == len(names), names
f = l.GetNextFeature()
assert f['街道名'].startswith('示例') and f['街道~1'] == f['街道名'], f['街道名']
err = open('$T/zh.err', encoding='utf-8').read()
assert \"field '街道名称全称' is written as '街道名'\" in err and 'stoves_area_km2' not in names, err"
end
