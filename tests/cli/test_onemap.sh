#!/bin/sh
# End-to-end tests of sp-onemap: the pipeline's tile sets and sp-score's streets made
# into one page; the files it writes (tiles copied byte for byte, streets.js equal to
# OGR's reading of the streets, the joined tables), bad inputs, and the page in a real
# browser (tests/browser/onemap_test.js: puppeteer-core driving Debian's chromium).
. tests/cli/lib.sh
S=$SAMPLES
OM=$BIN/sp-onemap
ST=$(pwd)/styles

# the pipeline, as make demo runs it (emission-only score: tests/cli/score_emissions.spec)
INV="-catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp"
$BIN/sp-inventory -q -f samples/factors.csv $INV $T/inv.gpkg
$BIN/sp-inventory -q -f samples/factors.csv -m samples/measures.txt $INV $T/scen.gpkg
$BIN/sp-grid -q -tr 100 100 -tap -t_srs EPSG:32650 -a nox,vocs,pm25,co2 $T/inv.gpkg $T/base.tif
$BIN/sp-grid -q -tr 100 100 -tap -t_srs EPSG:32650 -a nox,vocs,pm25,co2 $T/scen.gpkg $T/scen.tif
$BIN/sp-grid -q -density -tr 100 100 -tap -t_srs EPSG:32650 -a nox,pm25,co2 $T/inv.gpkg $T/dens.tif
$BIN/sp-zonal -q -r base=$T/base.tif -r scen=$T/scen.tif -id code -include name \
  -stats sum,area_km2,density,share $S/streets.shp $T/emis.gpkg 2>/dev/null
$BIN/sp-zonal -q -r base=$T/base.tif -id code -stats sum,area_km2 $S/streets.shp $T/emis.csv 2>/dev/null
$BIN/sp-zonal -q -v $T/inv.gpkg -l inventory=catering -a pm25,stoves -id code $S/streets.shp $T/cat.csv 2>/dev/null
$BIN/sp-zonal -q -v $T/inv.gpkg -l inventory=catering -where inventory="purifier = 0" -a stoves -id code $S/streets.shp $T/nopur.csv 2>/dev/null
J="-join cat=$T/cat.csv -join nopur=$T/nopur.csv"
$BIN/sp-score -q -spec tests/cli/score_emissions.spec $J -stations $S/stations.shp $T/emis.gpkg $T/cand.gpkg
$BIN/sp-score -q -spec tests/cli/score_emissions.spec $J -stations $S/stations.shp $T/emis.gpkg $T/cand.csv
# the one-microgram test's column, as sp-score writes it with a microgram line: ranks 1 and 2
# pass, the other selected are short, and rank 16 (not selected) passes; the page must say
# "2 / 15" with one more not selected, and draw the 13 short ones differently
$PY - $T <<'PYEOF'
import json, sys
from osgeo import ogr
d = sys.argv[1]
ds = ogr.Open(d + '/cand.gpkg', update=1); l = ds.GetLayer(0)
l.CreateField(ogr.FieldDefn('one_microgram', ogr.OFTInteger))
exp = {'nsel': 0, 'nok': 0, 'short': [], 'pass_unsel': []}
for f in l:
    rank, sel = f.GetField('rank'), f.GetField('selected')
    ok = 1 if rank in (1, 2, 16) else 0
    f.SetField('one_microgram', ok); l.SetFeature(f)
    exp['nsel'] += sel == 1; exp['nok'] += sel == 1 and ok == 1
    if sel == 1 and not ok: exp['short'].append(f.GetField('code'))
    if sel != 1 and ok: exp['pass_unsel'].append(f.GetField('code'))
ds = None
json.dump(exp, open(d + '/ug_expect.json', 'w'))
PYEOF
for p in nox:1 pm25:2 co2:3; do
  $BIN/sp-tiles -q -b ${p##*:} -z 10-13 $([ ${p%%:*} = nox ] && echo -values) -style $ST/${p%%:*}_density.txt $T/dens.tif $T/t_${p%%:*}
done
$BIN/sp-tiles -q -z 10-13 -fill $T/cand.gpkg -fill_field score -fill_style $ST/score.txt $T/t_score

$BIN/sp-inventory -q -f samples/factors.csv -facility $S/facilities.shp $T/fac.gpkg
$OM -layer "NOx 排放=$T/t_nox" -layer "PM2.5 排放=$T/t_pm25" -layer "CO2=$T/t_co2" \
  -overlay "得分 score=$T/t_score" -streets $T/cand.gpkg -table "排放 emissions=$T/emis.csv" \
  -points "重点用能单位=$T/fac.gpkg" \
  -title "一张图 test" $T/om > $T/om.out 2> $T/om.err
check "sp-onemap run" test $? = 0
check "what was made printed" sh -c "grep -q '^layers: 3 base, 1 overlay' $T/om.out && grep -q '^streets: 40 (15 selected)' $T/om.out"
check "no warnings" test ! -s $T/om.err
check "the page, its script, config, streets and Leaflet" sh -c "test -s $T/om/index.html && test -s $T/om/onemap.js && test -s $T/om/config.js && test -s $T/om/streets.js && test -s $T/om/leaflet/leaflet.js"
check "the NOx layer's values.js copied and loaded by the page" sh -c "cmp -s $T/t_nox/values.js $T/om/layers/1/values.js && grep -q '<script src=\"layers/1/values.js\"></script>' $T/om/index.html && grep -q '\"values\": true' $T/om/config.js && test ! -e $T/om/layers/2/values.js"
check "every tile copied byte for byte, legends too" sh -c "
  for k in 1:nox 2:pm25 3:co2 4:score; do
    (cd $T/t_\${k#*:} && find . -path ./leaflet -prune -o -name '*.png' -print | sort) > $T/a.lst
    (cd $T/om/layers/\${k%%:*} && find . -name '*.png' -print | sort) > $T/b.lst
    test -s $T/a.lst && cmp -s $T/a.lst $T/b.lst || exit 1
    while read f; do cmp -s $T/t_\${k#*:}/\$f $T/om/layers/\${k%%:*}/\$f || exit 1; done < $T/a.lst
    cmp -s $T/t_\${k#*:}/legend.svg $T/om/layers/\${k%%:*}/legend.svg || exit 1
  done"
# streets.js against OGR: the same polygons (to the 6 decimals written) and attributes
check "streets.js: every street's geometry and fields as OGR reads them, the joined rows by code" $PY -c "
import json, csv
from osgeo import ogr
t = open('$T/om/streets.js', encoding='utf-8').read()
fc = json.loads(t[t.index('{'):t.rindex('}') + 1])
ds = ogr.Open('$T/cand.gpkg'); l = ds.GetLayer(0)
emis = {r['code']: r for r in csv.DictReader(open('$T/emis.csv', encoding='utf-8'))}
feats = {f['properties']['code']: f for f in fc['features']}
assert len(feats) == l.GetFeatureCount() == 40
for f in l:
    p = feats[f.GetField('code')]
    g = ogr.CreateGeometryFromJson(json.dumps(p['geometry']))
    a = f.GetGeometryRef().GetArea()  # vertices rounded to 1e-6 degrees (~0.1 m)
    assert abs(g.GetArea() - a) < 1e-4 * a, f.GetField('code')
    assert g.SymDifference(f.GetGeometryRef()).GetArea() < 1e-4 * a, f.GetField('code')
    for k in ('name', 'rank', 'selected', 'score', 'reason'):
        a, b = p['properties'][k], f.GetField(k)
        assert (abs(a - b) <= 1e-9 * max(1, abs(b))) if isinstance(b, float) else a == b, (k, a, b)
    lab = ogr.Geometry(ogr.wkbPoint); lab.AddPoint_2D(p['properties']['_label'][1], p['properties']['_label'][0])
    assert g.Contains(lab), f.GetField('code')
    e = p['properties']['_tables']['排放 emissions']
    assert abs(e['base_nox_sum'] - float(emis[f.GetField('code')]['base_nox_sum'])) <= 1e-9 * abs(e['base_nox_sum']) + 1e-12
"

check "points_1.js: every key energy unit, its position and emissions as OGR reads them" $PY -c "
import json
from osgeo import ogr
t = open('$T/om/points_1.js', encoding='utf-8').read()
d = json.loads(t[t.index('.push(') + 6:t.rindex(')')])
assert d['title'] == '重点用能单位'
ds = ogr.Open('$T/fac.gpkg'); l = ds.GetLayer(0)
f = {x['properties']['fid_']: x for x in d['data']['features']}
assert len(f) == l.GetFeatureCount() == 12
for g in l:
    p = f[g.GetField('fid_')]
    assert abs(p['geometry']['coordinates'][0] - g.GetGeometryRef().GetX()) < 1e-6
    assert abs(p['properties']['co2_s2'] - g.GetField('co2_s2')) <= 1e-9 * g.GetField('co2_s2')"

# -points and -streets take the vector-input flags: a CSV of the key energy units with
# lon/lat (-oo, -s_srs), and the same in GCJ-02 (-s_coord points=gcj02, undone to WGS84:
# the published formula's inverse, cn_coords.py), give the markers where the GeoPackage does
$PY - $T <<'PYEOF'
import sys, csv
sys.path.insert(0, 'tests/cli')
from cn_coords import gcj
from osgeo import ogr, osr
d = sys.argv[1]
ds = ogr.Open(d + '/fac.gpkg'); l = ds.GetLayer(0)
wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(l.GetSpatialRef(), wgs)
with open(d + '/fac.csv', 'w', newline='') as a, open(d + '/fac_gcj.csv', 'w', newline='') as b:
    wa, wb = csv.writer(a), csv.writer(b)
    wa.writerow(['fid_', 'lon', 'lat', 'co2_s2']); wb.writerow(['fid_', 'lon', 'lat', 'co2_s2'])
    for f in l:
        g = f.GetGeometryRef().Clone(); g.Transform(ct)
        wa.writerow([f.GetField('fid_'), '%.10f' % g.GetX(), '%.10f' % g.GetY(), f.GetField('co2_s2')])
        x, y = gcj(g.GetX(), g.GetY())
        wb.writerow([f.GetField('fid_'), '%.10f' % x, '%.10f' % y, f.GetField('co2_s2')])
PYEOF
CSVP="-oo points=X_POSSIBLE_NAMES=lon -oo points=Y_POSSIBLE_NAMES=lat -s_srs points=EPSG:4326"
$OM -q -layer "a=$T/t_nox" -points "k=$T/fac.csv" $CSVP $T/omc
$OM -q -layer "a=$T/t_nox" -points "k=$T/fac_gcj.csv" $CSVP -s_coord points=gcj02 $T/omcg
check "-points from a CSV of lon/lat, and of GCJ-02 lon/lat (-s_coord): the GeoPackage's positions" $PY -c "
import json
from osgeo import ogr, osr
def pts(p):
    t = open(p, encoding='utf-8').read(); d = json.loads(t[t.index('.push(') + 6:t.rindex(')')])
    return {int(float(x['properties']['fid_'])): x['geometry']['coordinates'] for x in d['data']['features']}
want = pts('$T/om/points_1.js')
for p in ('$T/omc/points_1.js', '$T/omcg/points_1.js'):
    got = pts(p)
    assert got.keys() == want.keys() and len(got) == 12, p
    for k in want:
        assert abs(got[k][0] - want[k][0]) < 2e-6 and abs(got[k][1] - want[k][1]) < 2e-6, (p, k, got[k], want[k])"
expect_fail "-s_srs that is no CRS" 2 "-s_srs: 'EPSG:999999' is not a CRS GDAL knows" $T/bads $OM -layer "a=$T/t_nox" -points "k=$T/fac.csv" -oo points=X_POSSIBLE_NAMES=lon -oo points=Y_POSSIBLE_NAMES=lat -s_srs points=EPSG:999999 $T/bads
expect_fail "a CSV of points without its coordinates' names" 1 "fac.csv' has no geometry with a CRS \\(a CSV: -oo X_POSSIBLE_NAMES=lon" $T/badc $OM -layer "a=$T/t_nox" -points "k=$T/fac.csv" $T/badc
expect_fail "-where for the streets (not a flag the page takes)" 2 "-streets takes -oo, -s_srs and -s_coord and one -l, not -where" $T/badw $OM -layer "a=$T/t_nox" -streets $T/cand.gpkg -where "streets=rank < 5" $T/badw

# bad inputs: message, exit code, no output left
expect_fail "nothing to show" 2 "nothing to show: give -layer" $T/bad1 $OM $T/bad1
expect_fail "-layer without NAME=" 2 "-layer '.*': want NAME=DIR" $T/bad2 $OM -layer $T/t_nox $T/bad2
expect_fail "a folder that is not a tile set (a bad input: exit 1)" 1 "has no tiles.json: give a folder that sp-tiles wrote" $T/bad3 $OM -layer "x=$S" $T/bad3
expect_fail "a -layer folder that does not exist (exit 1)" 1 "layer 'x': folder '.*nowhere' does not exist" $T/bad3b $OM -layer "x=$T/nowhere" $T/bad3b
expect_fail "two layers with one name" 2 "two layers are called 'a'" $T/bad4 $OM -layer "a=$T/t_nox" -layer "a=$T/t_pm25" $T/bad4
printf 'measure,text\n1,x\n' > $T/badcut.csv
expect_fail "-scenario with a cuts table that is not sp-inventory's" 1 "the cuts table needs the columns measure, text, pollutant, cut_t and cut_alone_t" $T/badx $OM -layer "a=$T/t_nox" -streets $T/cand.gpkg -scenario $T/badcut.csv=$T/emis.csv $T/badx
expect_fail "-scenario without =" 2 "-scenario '.*': want CUTS.csv=RESPONSES.csv" $T/badx2 $OM -layer "a=$T/t_nox" -streets $T/cand.gpkg -scenario $T/badcut.csv $T/badx2
expect_fail "-months without NAME=" 2 "-months '.*': want NAME=DIR \\(DIR/month01..month12" $T/bad4m $OM -months $T/t_nox $T/bad4m
expect_fail "-months whose folder lacks a month (exit 1)" 1 "layer 'm · 1月': folder '.*/t_nox/month01' does not exist" $T/bad4n $OM -months "m=$T/t_nox" $T/bad4n
# the street names found under the names registries use: 名称 here, no -label needed
CL=$($PY -c "from osgeo import ogr; d = ogr.Open('$T/cand.gpkg'); print(d.GetLayer(0).GetName())")
ogr2ogr -q -f GPKG $T/cand_cn.gpkg $T/cand.gpkg -sql "SELECT *, name AS 名称 FROM \"$CL\"" -dialect SQLite -nln streets
ogr2ogr -q -f GPKG $T/cand_cn2.gpkg $T/cand_cn.gpkg -sql "SELECT geom, code, 名称, selected, rank FROM streets" -dialect SQLite -nln streets
$OM -q -layer "a=$T/t_nox" -streets $T/cand_cn2.gpkg $T/omn2
check "streets whose name field is 名称: found without -label, the labels are the names" $PY -c "
import json
t = open('$T/omn2/streets.js', encoding='utf-8').read()
fc = json.loads(t[t.index('{'):t.rindex('}') + 1])
assert len(fc['features']) == 40 and all(f['properties']['名称'].startswith('示例') for f in fc['features'])
h = open('$T/omn2/config.js', encoding='utf-8').read()
assert '\"label\": \"名称\"' in h, h[:300]"
ogr2ogr -q -f GPKG $T/cand_non.gpkg $T/cand_cn.gpkg -sql "SELECT geom, code, selected FROM streets" -dialect SQLite -nln streets
expect_fail "streets with no name field at all" 2 "has no street-name field \\(name, Name, NAME, 名称.*give it with -label FIELD" $T/bad5n $OM -layer "a=$T/t_nox" -streets $T/cand_non.gpkg $T/bad5n
expect_fail "streets without the id field" 2 "has no field 'nosuch' \\(the street id, -id\\)" $T/bad5 $OM -layer "a=$T/t_nox" -streets $T/cand.gpkg -id nosuch $T/bad5
printf 'x,y\n1,2\n' > $T/nocode.csv
expect_fail "a table without the id field" 2 "nocode.csv' has no field 'code'" $T/bad6 $OM -streets $T/cand.gpkg -table "x=$T/nocode.csv" $T/bad6
expect_fail "a base map URL that is not a template" 2 "want a URL template with \\{z\\}" $T/bad7 $OM -layer "a=$T/t_nox" -basemap "https://example.org/tiles" $T/bad7
$BIN/sp-tiles -q -z 11 -tiling cgcs2000 -style $ST/nox_density.txt $T/dens.tif $T/t_cg
expect_fail "a CGCS2000 tile set" 2 "is in the CGCS2000 grid" $T/bad8 $OM -layer "a=$T/t_cg" $T/bad8
$BIN/sp-tiles -q -z 11 -t_coord bd09 -style $ST/nox_density.txt $T/dens.tif $T/t_bd
expect_fail "a tile set of Baidu's grid" 2 "is in Baidu's grid" $T/bad8b $OM -layer "a=$T/t_bd" $T/bad8b
# GCJ-02 (Amap/Tencent): tiles made with -t_coord gcj02 need a page with -t_coord gcj02,
# whose streets and points are shifted with them (cn_coords.py: the published formula)
$BIN/sp-tiles -q -z 11 -t_coord gcj02 -style $ST/nox_density.txt $T/dens.tif $T/t_gcj
expect_fail "a GCJ-02 tile set on a WGS84 page" 2 "layer 'a' is GCJ-02 .*give the page -t_coord gcj02" $T/bad8c $OM -layer "a=$T/t_gcj" $T/bad8c
expect_fail "a WGS84 tile set on a GCJ-02 page" 2 "layer 'b' is plain Web Mercator, and the page is -t_coord gcj02" $T/bad8d $OM -t_coord gcj02 -layer "a=$T/t_gcj" -layer "b=$T/t_nox" $T/bad8d
expect_fail "-t_coord bd09 for a page" 2 "-t_coord bd09: Baidu's grid is not Web Mercator" $T/bad8e $OM -t_coord bd09 -layer "a=$T/t_gcj" $T/bad8e
$OM -q -t_coord gcj02 -layer "NOx=$T/t_gcj" -streets $T/cand.gpkg -points "重点用能单位=$T/fac.gpkg" $T/omg
check "-t_coord gcj02: every street vertex and point moved as the published formula moves it (~500 m)" $PY -c "
import json, sys, math
sys.path.insert(0, 'tests/cli')
from cn_coords import gcj, dist
from osgeo import ogr, osr
wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
t = open('$T/omg/streets.js', encoding='utf-8').read()
fc = json.loads(t[t.index('{'):t.rindex('}') + 1])
feats = {f['properties']['code']: f for f in fc['features']}
ds = ogr.Open('$T/cand.gpkg'); l = ds.GetLayer(0)
ct = osr.CoordinateTransformation(l.GetSpatialRef(), wgs)
n, moved = 0, []
for f in l:
    g = f.GetGeometryRef().Clone(); g.Transform(ct)
    ring = g.GetGeometryRef(0).GetGeometryRef(0) if g.GetGeometryCount() and g.GetGeometryRef(0).GetGeometryCount() else g.GetGeometryRef(0)
    got = feats[f.GetField('code')]['geometry']['coordinates']
    while isinstance(got[0][0], list): got = got[0]
    assert len(got) == ring.GetPointCount(), f.GetField('code')
    for i, (x, y) in enumerate(got):
        ex, ey = gcj(ring.GetX(i), ring.GetY(i))
        assert abs(x - ex) < 2e-6 and abs(y - ey) < 2e-6, (f.GetField('code'), x, ex, y, ey)
        moved.append(dist((ring.GetX(i), ring.GetY(i)), (x, y))); n += 1
assert n >= 200 and 300 < min(moved) and max(moved) < 800, (n, min(moved), max(moved))
t = open('$T/omg/points_1.js', encoding='utf-8').read()
d = json.loads(t[t.index('.push(') + 6:t.rindex(')')])
p = {x['properties']['fid_']: x['geometry']['coordinates'] for x in d['data']['features']}
ds = ogr.Open('$T/fac.gpkg'); l = ds.GetLayer(0)
ct = osr.CoordinateTransformation(l.GetSpatialRef(), wgs)
for f in l:
    g = f.GetGeometryRef().Clone(); g.Transform(ct)
    ex, ey = gcj(g.GetX(), g.GetY())
    x, y = p[f.GetField('fid_')]
    assert abs(x - ex) < 2e-6 and abs(y - ey) < 2e-6, (x, ex, y, ey)
"
# tiles.json is read as JSON: a name that mentions a grid is only a name; a "crs" that
# sp-tiles never writes, or a text that is not JSON, is refused
$BIN/sp-tiles -q -z 11 -name 'NOx (not EPSG:4490, not BD-09 Mercator)' -style $ST/nox_density.txt $T/dens.tif $T/t_named
check "a tile set whose name mentions EPSG:4490 is still Web Mercator" $OM -q -layer "a=$T/t_named" $T/omn
cp -r $T/t_named $T/t_crs && sed -i 's/"scheme"/"crs": "EPSG:2436",\n  "scheme"/' $T/t_crs/tiles.json
expect_fail "a tiles.json with a crs sp-tiles does not write" 1 "a \"crs\" that sp-tiles does not write" $T/bad8f $OM -layer "a=$T/t_crs" $T/bad8f
cp -r $T/t_named $T/t_trunc && head -c 60 $T/t_named/tiles.json > $T/t_trunc/tiles.json
expect_fail "a tiles.json cut short" 1 "no minzoom, maxzoom and bounds" $T/bad8g $OM -layer "a=$T/t_trunc" $T/bad8g
mkdir -p $T/mine && echo keep > $T/mine/notes.txt
expect_fail "a folder of the user's own files is not replaced" 2 "was not written by onemap" "" $OM -layer "a=$T/t_nox" $T/mine
check "  and it is intact" sh -c "test \"\$(cat $T/mine/notes.txt)\" = keep && test \$(ls -A $T/mine | wc -l) = 1"
# a second run replaces the first page as a whole
$OM -q -layer "NOx=$T/t_nox" -streets $T/cand.gpkg $T/om2 && $OM -q -layer "PM=$T/t_pm25" $T/om2
check "a second run replaces the page as a whole (no streets.js left)" sh -c "test ! -e $T/om2/streets.js && grep -q '\"PM\"' $T/om2/config.js && test ! -e $T/om2/layers/2"
# a base map: configured in the page, with its attribution
expect_fail "-points that are not points" 1 "row 1: not a point" $T/bad9 $OM -layer "a=$T/t_nox" -points "x=$T/cand.gpkg" $T/bad9
$OM -q -layer "NOx=$T/t_nox" -basemap 'https://t{s}.example.cn/{z}/{x}/{y}.png' -basemap_subdomains 0123 \
  -basemap_attribution '审图号 GS(2024)0000' $T/om3
check "-basemap and its 审图号 in the page's config" sh -c "grep -q 't{s}.example.cn/{z}/{x}/{y}.png' $T/om3/config.js && grep -q '审图号 GS(2024)0000' $T/om3/config.js"

# browser NAME OUT: counts the ok/FAIL lines a browser script wrote to OUT, and its result line
browser() {
  while IFS= read -r line; do
    case $line in
      "ok: "*) ok ;;
      "FAIL: "*) bad "browser ($1): ${line#FAIL: }" ;;
    esac
  done < $2
  grep -Eq '^[0-9]+ passed, [0-9]+ failed$' $2 && ok || { bad "$1 browser test: no result line"; tail -5 $2; }
}
# the page in a real browser
NODE_MODULES=$(pwd)/$BUILD/browser/node_modules
if command -v chromium > /dev/null && [ -d $NODE_MODULES/puppeteer-core ]; then
  $PY -c "
import json
from osgeo import ogr
ds = ogr.Open('$T/cand.gpkg'); l = ds.GetLayer(0)
print(json.dumps({f.GetField('code'): [f.GetGeometryRef().PointOnSurface().GetX(), f.GetGeometryRef().PointOnSurface().GetY()] for f in l}))" > $T/points.json
  # the NOx density the page must show under the cursor at the first selected street's
  # point: the raster cell (GDAL) under the centre of values.js's grid cell holding it
  $PY -c "
import json, re, csv
from osgeo import gdal, osr
pts = json.load(open('$T/points.json'))
d = json.loads(re.search(r'\] = (\{.*\});\s*$', open('$T/t_nox/values.js').read(), re.S).group(1))
ds = gdal.Open('$T/dens.tif'); gt = ds.GetGeoTransform()
s = osr.SpatialReference(); s.ImportFromEPSG(4326); s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
t = osr.CoordinateTransformation(s, osr.SpatialReference(wkt=ds.GetProjection()))
for r in csv.DictReader(open('$T/cand.csv', encoding='utf-8-sig')):
    lon, lat = pts[r['code']]
    cx = d['west'] + (int((lon - d['west']) / d['dx']) + 0.5) * d['dx']
    cy = d['north'] - (int((d['north'] - lat) / d['dy']) + 0.5) * d['dy']
    x, y, _ = t.TransformPoint(cx, cy)
    v = float(ds.GetRasterBand(1).ReadAsArray(int((x - gt[0]) / gt[1]), int((y - gt[3]) / gt[5]), 1, 1)[0][0])
    if v > 0: break
assert v > 0
print(json.dumps({'code': r['code'], 'lon': lon, 'lat': lat, 'value': v, 'unit': d['unit']}))" > $T/value.json
  mkdir -p $BUILD/tests
  NODE_PATH=$NODE_MODULES timeout 180 node tests/browser/onemap_test.js $T/om $T/cand.csv $T/points.json \
    $(pwd)/$BUILD/tests/onemap.png $T/value.json $T/ug_expect.json > $T/browser.out 2>&1
  browser onemap $T/browser.out
  # the month slider (-months) and the panel's worst month (a -table with worst_month):
  # twelve tile sets (the same raster's bands, one per month) and a hand-made table
  mkdir -p $T/tm
  for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    $BIN/sp-tiles -q -b $(( (${m#0} - 1) % 3 + 1 )) -z 10-12 -style $ST/nox_density.txt $T/dens.tif $T/tm/month$m
  done
  $PY -c "
import csv
rows = list(csv.DictReader(open('$T/cand.csv', encoding='utf-8-sig')))
with open('$T/months.csv', 'w') as f:
    f.write('code,worst_month,worst_leading_sector\n')
    for i, r in enumerate(rows): f.write('%s,%d,%s\n' % (r['code'], i % 12 + 1, ('road', 'catering')[i % 2]))"
  $OM -layer "NOx 排放=$T/t_nox" -months "PM2.5 月均 monthly=$T/tm" -streets $T/cand.gpkg \
    -table "月份 months=$T/months.csv" $T/omm > $T/omm.out 2>&1
  check "sp-onemap -months: one base layer of twelve months" grep -q "^layers: 2 base" $T/omm.out
  NODE_PATH=$NODE_MODULES timeout 120 node tests/browser/months_test.js $T/omm $T/months.csv \
    $(pwd)/$BUILD/tests/onemap_months.png > $T/bmonths.out 2>&1
  browser months $T/bmonths.out
  # the scenario explorer (-scenario): the measures' cuts (sp-inventory -marginal), gridded
  # and dispersed as one class, each street's cut by each, against the scenario's own run
  INV="-catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp"
  $BIN/sp-inventory -q -f samples/factors.csv $INV $T/xb.gpkg
  $BIN/sp-inventory -q -f samples/factors.csv -m samples/measures.txt $INV -marginal pm25 -marginal_out $T/xcut.csv $T/xs.gpkg
  G="-tr 200 200 -tap -t_srs EPSG:32650 -te 449000 4408000 472000 4440000"
  CUTS=$($PY -c "print(','.join('cut%02d_pm25' % k for k in range(1, 10)))")
  $BIN/sp-grid -q $G -a pm25 $T/xb.gpkg $T/xb.tif && $BIN/sp-grid -q $G -a pm25 $T/xs.gpkg $T/xs.tif
  $BIN/sp-grid -q $G -a $CUTS $T/xs.gpkg $T/xcut.tif
  printf 'sector_from_deg,speed_ms,stability,freq\n0.0,2.5,D,0.5\n90.0,4.3,C,0.3\n225.0,1.5,E,0.2\n' > $T/x.star
  $BIN/sp-disperse -q -star $T/x.star -scen $T/xs.tif $T/xb.tif $T/xc.tif
  $BIN/sp-disperse -q -star $T/x.star $T/xcut.tif $T/xr.tif
  $BIN/sp-zonal -q -r c=$T/xc.tif -id code -stats mean $S/streets.shp $T/xconc.csv 2>/dev/null
  $BIN/sp-zonal -q -r r=$T/xr.tif -id code -stats mean $S/streets.shp $T/xresp.csv 2>/dev/null
  $OM -q -layer "NOx 排放=$T/t_nox" -streets $T/cand.gpkg -scenario $T/xcut.csv=$T/xresp.csv $T/omx
  check "sp-onemap -scenario: scenario.js with the measures and the streets' responses" sh -c "grep -q '\"response\"' $T/omx/scenario.js && grep -q 'scenario.js' $T/omx/index.html"
  NODE_PATH=$NODE_MODULES timeout 120 node tests/browser/explorer_test.js $T/omx $T/xcut.csv $T/xconc.csv $T/xresp.csv \
    $(pwd)/$BUILD/tests/onemap_explorer.png > $T/bex.out 2>&1
  browser explorer $T/bex.out
  # costs and the cheapest mix on a hand case (tests/browser/cheapest_test.js says the answer)
  $PY -c "
import csv
codes = [r['code'] for r in csv.DictReader(open('$T/cand.csv', encoding='utf-8-sig'))][:3]
with open('$T/hcut.csv', 'w') as f:
    f.write('measure,text,pollutant,cut_t,cut_alone_t,sources,cost_yuan,reach\\n')
    for k, c, r in ((1, 100, 0.5), (2, 10, 1), (3, 30, 1)): f.write('%d,m%d,PM2.5,1,1,1,%d,%g\\n' % (k, k, c, r))
    f.write('all,x,PM2.5,3,0,,,\\n')
with open('$T/hresp.csv', 'w') as f:
    f.write('code,r_cut01_pm25_mean,r_cut02_pm25_mean,r_cut03_pm25_mean\\n')
    for code, r in zip(codes, ((1, 0.6, 0.5), (1, 0, 0.5), (0, 0, 1))): f.write('%s,%g,%g,%g\\n' % ((code,) + r))"
  $OM -q -layer "NOx 排放=$T/t_nox" -streets $T/cand.gpkg -scenario $T/hcut.csv=$T/hresp.csv $T/omh
  NODE_PATH=$NODE_MODULES timeout 120 node tests/browser/cheapest_test.js $T/omh > $T/bch.out 2>&1
  browser cheapest $T/bch.out
else
  bad "chromium or puppeteer-core is missing (make test installs them)"
fi
end
