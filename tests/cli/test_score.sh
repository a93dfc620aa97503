#!/bin/sh
# End-to-end tests of sp-score on the sample district: the pipeline sp-inventory ->
# sp-grid -> sp-zonal -> sp-score with samples/score.spec, checked against an
# independent Python oracle (scores, ranks, stations by containment/IDW, synergy), the
# outputs (CSV, GeoPackage with the streets), determinism, robustness, and bad inputs.
. tests/cli/lib.sh
S=$SAMPLES
SC=$BIN/sp-score
# the emission-only spec (samples/score.spec before the one-microgram lines, which need
# sp-disperse's ensemble tables: tested below and in test_disperse.sh)
SPEC=$(pwd)/tests/cli/score_emissions.spec

# the pipeline, as make demo runs it
INV="-catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp"
$BIN/sp-inventory -q -f samples/factors.csv $INV $T/inv.gpkg
$BIN/sp-inventory -q -f samples/factors.csv -m samples/measures.txt $INV $T/scen.gpkg
$BIN/sp-grid -q -tr 100 100 -tap -t_srs EPSG:32650 -a nox,vocs,pm25,co2 $T/inv.gpkg $T/base.tif
$BIN/sp-grid -q -tr 100 100 -tap -t_srs EPSG:32650 -a nox,vocs,pm25,co2 $T/scen.gpkg $T/scen.tif
$BIN/sp-zonal -q -r base=$T/base.tif -r scen=$T/scen.tif -id code -include name \
  -stats sum,area_km2,density,share $S/streets.shp $T/emis.gpkg 2>/dev/null
$BIN/sp-zonal -q -r base=$T/base.tif -r scen=$T/scen.tif -id code -include name \
  -stats sum,area_km2,density,share $S/streets.shp $T/emis.csv 2>/dev/null
$BIN/sp-zonal -q -v $T/inv.gpkg -l inventory=catering -a pm25,stoves -id code $S/streets.shp $T/cat.csv 2>/dev/null
$BIN/sp-zonal -q -v $T/inv.gpkg -l inventory=catering -where inventory="purifier = 0" -a stoves -id code $S/streets.shp $T/nopur.csv 2>/dev/null
J="-join cat=$T/cat.csv -join nopur=$T/nopur.csv"

$SC -spec $SPEC $J -stations $S/stations.shp $T/emis.gpkg $T/c.csv > $T/c.out 2> $T/c.err
check "sp-score run" test $? = 0
check "summary printed" grep -q "^zones: 40, eligible 39, selected 15 (stability: 1000 draws of the weights +-20 %, seed 1)" $T/c.out
check "15 candidates printed with reasons" test "$(grep -c 'x median' $T/c.out)" = 15
check "no warnings" test ! -s $T/c.err
check "41 lines" test "$(wc -l < $T/c.csv)" = 41
check "header" grep -q "^code,name,rank,selected,score,stability,eligible,reason,smaa_rank_best,smaa_rank_median,smaa_rank_worst,smaa_selected,station_pm25,station_pm25_from,syn_co2_red_pct,syn_nox_red_pct,syn_nox_els,syn_nox_quadrant,syn_nox_effect,syn_vocs_red_pct,.*,pm25_dens_raw,pm25_dens_norm,pm25_dens_pts,.*,monitored_pts$" $T/c.csv

# the oracle: recompute every value from the input tables with the spec's numbers
cat > $T/oracle.py <<'EOF'
import csv, math, sys
from osgeo import ogr, osr
T, S = sys.argv[1], sys.argv[2]
out = {r['code']: r for r in csv.DictReader(open(T + '/c.csv'))}
emis = {r['code']: r for r in csv.DictReader(open(T + '/emis.csv'))}
cat = {r['code']: r for r in csv.DictReader(open(T + '/cat.csv'))}
nop = {r['code']: r for r in csv.DictReader(open(T + '/nopur.csv'))}
f = lambda d, k: float(d[k])
# stations: mean inside the zone, else IDW (power 2) from the centroid, in UTM 50N
utm = osr.SpatialReference(); utm.ImportFromEPSG(32650)
wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326)
for s in (utm, wgs): s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(wgs, utm)
sds = ogr.Open(S + '/stations.shp'); st = []
for ft in sds.GetLayer(0):
    g = ft.GetGeometryRef().Clone(); g.Transform(ct); st.append((g.GetX(), g.GetY(), ft['pm25']))
zds = ogr.Open(S + '/streets.shp'); station = {}; how = {}
for ft in zds.GetLayer(0):
    g = ft.GetGeometryRef().Clone(); g.Transform(ct)
    inside = []
    for x, y, v in st:
        p = ogr.Geometry(ogr.wkbPoint); p.AddPoint_2D(x, y)
        if g.Contains(p): inside.append(v)
    if inside:
        station[ft['code']] = sum(inside) / len(inside); how[ft['code']] = 'in'
    else:
        c = g.Centroid(); w = [1 / ((x - c.GetX()) ** 2 + (y - c.GetY()) ** 2) for x, y, v in st]
        station[ft['code']] = sum(wi * v for wi, (x, y, v) in zip(w, st)) / sum(w); how[ft['code']] = 'idw'
bad = 0
def near(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1, abs(b))
for z in out:
    if not near(float(out[z]['station_pm25']), station[z], 1e-9):
        print('station', z, out[z]['station_pm25'], station[z]); bad += 1
    if how[z] == 'in' and not out[z]['station_pm25_from'].startswith('mean of'):
        print('station method', z); bad += 1
assert sum(1 for z in how if how[z] == 'in') >= 3, 'the samples should put stations in zones'
# eligibility and raw indicators
ind = [('pm25_dens', 0.30, lambda z: f(emis[z], 'base_pm25_density')),
       ('cat_pm25', 0.15, lambda z: f(cat[z], 'pm25_density')),
       ('no_purifier', 0.15, lambda z: 100 * f(nop[z], 'stoves_sum') / f(cat[z], 'stoves_sum')),
       ('pm25_cut', 0.15, lambda z: f(emis[z], 'base_pm25_sum') - f(emis[z], 'scen_pm25_sum')),
       ('nox_cut', 0.10, lambda z: f(emis[z], 'base_nox_sum') - f(emis[z], 'scen_nox_sum')),
       ('monitored', 0.15, lambda z: station[z])]
# the stoves threshold as the spec says it (filter  cat_stoves_sum >= N)
minst = [float(l.split('>=')[1].split('#')[0]) for l in open(sys.argv[3]) if l.startswith('filter') and 'cat_stoves_sum' in l][0]
elig = [z for z in out if f(cat[z], 'stoves_sum') >= minst and f(emis[z], 'base_pm25_area_km2') >= 1]
score = {}
for z in elig: score[z] = 0
for name, w, fn in ind:
    vals = {z: fn(z) for z in elig}
    lo, hi = min(vals.values()), max(vals.values())
    for z in elig:
        n = (vals[z] - lo) / (hi - lo)
        if not near(float(out[z][name + '_raw']), vals[z]) or not near(float(out[z][name + '_norm']), n):
            print('indicator', name, z, out[z][name + '_raw'], vals[z]); bad += 1
        score[z] += 100 * w * n
order = sorted(elig, key=lambda z: (-round(score[z], 9), -f(emis[z], 'base_pm25_density'), z))
for i, z in enumerate(order):
    if not near(float(out[z]['score']), score[z]) or int(float(out[z]['rank'])) != i + 1:
        print('score/rank', z, out[z]['score'], score[z], out[z]['rank'], i + 1); bad += 1
    if (out[z]['selected'] == '1') != (i < 15):
        print('selected', z); bad += 1
for z in out:
    if z not in elig and (out[z]['eligible'] != '0' or out[z]['rank'] != '' or out[z]['selected'] != '0'):
        print('ineligible', z); bad += 1
# synergy: reductions in % and the elasticity
for z in out:
    e = emis[z]
    for p in ('nox', 'vocs', 'pm25'):
        b, s = f(e, 'base_%s_sum' % p), f(e, 'scen_%s_sum' % p)
        bc, sc = f(e, 'base_co2_sum'), f(e, 'scen_co2_sum')
        if not near(float(out[z]['syn_%s_red_pct' % p]), 100 * (b - s) / b):
            print('red', p, z); bad += 1
        flat = abs((sc - bc) / bc) < 0.01  # the spec's els_threshold 1%
        got = out[z]['syn_%s_els' % p]
        if (got != '') if flat else not near(float(got), ((s - b) / b) / ((sc - bc) / bc)):
            print('els', p, z); bad += 1
        if flat and 'carbon-neutral' not in out[z]['syn_%s_effect' % p]:
            print('effect', p, z); bad += 1
        q = out[z]['syn_%s_quadrant' % p]
        want = '1' if s < b and sc < bc else '2' if s < b else '4' if sc < bc else '3'
        if q != want:
            print('quadrant', p, z, q, want); bad += 1
print('mismatches:', bad)
sys.exit(1 if bad else 0)
EOF
check "oracle: stations (containment / IDW), raw, normalised, scores, ranks, selection, synergy" $PY $T/oracle.py $T $S $SPEC
check "rows in rank order, the ineligible last" $PY -c "
import csv
r = list(csv.DictReader(open('$T/c.csv')))
ranks = [int(float(x['rank'])) for x in r if x['rank']]
assert ranks == list(range(1, 40)), ranks
assert [x['eligible'] for x in r][-1] == '0'"
check "S022 fails the stoves filter, reason names it and its line" grep -q '^S022,.*"not eligible: cat_stoves_sum >= 320 fails, value 316 (spec line 17)"' $T/c.csv
check "reasons name the top drivers with the median ratio" $PY -c "
import csv
r = [x for x in csv.DictReader(open('$T/c.csv')) if x['selected'] == '1']
assert len(r) == 15
for x in r:
    parts = x['reason'].split('; ')
    assert len(parts) == 2 and all('x median)' in p for p in parts), x['reason']
    # the first driver is the indicator with the largest contribution
    pts = {k[:-4]: float(v) for k, v in x.items() if k.endswith('_pts')}
    labels = {'pm25_dens': 'PM2.5 emission density', 'cat_pm25': 'catering PM2.5 density',
              'no_purifier': 'stoves without purifier', 'pm25_cut': 'PM2.5 cut by the measures',
              'nox_cut': 'NOx cut by the measures', 'monitored': 'monitored PM2.5'}
    assert parts[0].startswith(labels[max(pts, key=pts.get)]), (x['code'], x['reason'])"
check "stability in [0, 1], the top pick solid" $PY -c "
import csv
r = list(csv.DictReader(open('$T/c.csv')))
s = [float(x['stability']) for x in r if x['eligible'] == '1']
assert all(0 <= v <= 1 for v in s) and s[0] == 1.0
assert all(x['stability'] == '' for x in r if x['eligible'] == '0')"

# determinism, seeds, draws
$SC -q -spec $SPEC $J -stations $S/stations.shp $T/emis.gpkg $T/c2.csv
# a CSV list of the stations (name, lon, lat, pm25) with the input flags every vector
# input takes: the same table as the shapefile gives
ogr2ogr -q -f CSV $T/st.csv $S/stations.shp -lco GEOMETRY=AS_XY
$SC -q -spec $SPEC $J -stations $T/st.csv -oo X_POSSIBLE_NAMES=X -oo Y_POSSIBLE_NAMES=Y -s_srs EPSG:4326 $T/emis.gpkg $T/c_stcsv.csv
check "-stations as a CSV list (-oo, -s_srs): the same table as the shapefile (coordinates to 15 digits)" $PY -c "
import csv
a = list(csv.DictReader(open('$T/c2.csv', encoding='utf-8'))); b = list(csv.DictReader(open('$T/c_stcsv.csv', encoding='utf-8')))
assert len(a) == len(b) > 30 and a[0].keys() == b[0].keys() and any(k.startswith('station_') for k in a[0])
for x, y in zip(a, b):
    for k in x:
        try: assert abs(float(x[k]) - float(y[k])) <= 1e-9 * max(1, abs(float(x[k]))), (k, x[k], y[k])
        except ValueError: assert x[k] == y[k], (k, x[k], y[k])"
check "same inputs, same bytes" cmp $T/c.csv $T/c2.csv
$SC -q -spec $SPEC $J -stations $S/stations.shp -seed 99 -draws 200 $T/emis.gpkg $T/c3.csv
cut -d, -f1-5 $T/c.csv > $T/c.cut; cut -d, -f1-5 $T/c3.csv > $T/c3.cut
check "another seed and draw count: same ranks and scores" cmp $T/c.cut $T/c3.cut
check "another seed and draw count: other stability figures" sh -c "test -s $T/c.csv && test -s $T/c3.csv && ! cmp -s $T/c.csv $T/c3.csv"
$SC -q -spec $SPEC $J -stations $S/stations.shp -draws 0 $T/emis.gpkg $T/c4.csv
check "-draws 0: no stability" $PY -c "
import csv; assert all(x['stability'] == '' for x in csv.DictReader(open('$T/c4.csv')))"
$SC -q -spec $SPEC $J -stations $S/stations.shp -perturb 0 -draws 50 $T/emis.gpkg $T/c5.csv
check "-perturb 0: stability = selected" $PY -c "
import csv
for x in csv.DictReader(open('$T/c5.csv')):
    if x['eligible'] == '1': assert float(x['stability']) == float(x['selected']), x['code']"

# -idw_power changes the IDW zones only; -l picks the table's layer
$SC -q -spec $SPEC $J -stations $S/stations.shp -idw_power 1 -draws 0 $T/emis.gpkg $T/p1.csv
check "-idw_power 1: IDW values change, zones holding a station keep their mean" $PY -c "
import csv
a = {r['code']: r for r in csv.DictReader(open('$T/c.csv'))}
b = {r['code']: r for r in csv.DictReader(open('$T/p1.csv'))}
changed = 0
for z in a:
    if a[z]['station_pm25_from'].startswith('mean'): assert a[z]['station_pm25'] == b[z]['station_pm25'], z
    else: changed += a[z]['station_pm25'] != b[z]['station_pm25']; assert 'power 1' in b[z]['station_pm25_from']
assert changed > 20, changed"
$SC -q -spec $SPEC $J -stations $S/stations.shp -l emis $T/emis.gpkg $T/l.csv
check "-l names the table's layer" cmp $T/c.csv $T/l.csv
expect_fail "-l with an unknown layer" 2 "has no layer 'nope'" $T/badl.csv $SC -spec $SPEC -l nope $T/emis.gpkg $T/badl.csv

# GeoPackage with the street polygons; GeoJSON; a CSV table with -zones
mkdir -p $T/a $T/b
$SC -q -spec $SPEC $J -stations $S/stations.shp $T/emis.gpkg $T/a/c.gpkg
check "GeoPackage: 40 polygons" sh -c "ogrinfo -so -al $T/a/c.gpkg | grep -q 'Feature Count: 40' && ogrinfo -so -al $T/a/c.gpkg | grep -q 'Geometry: Multi Polygon'"
check "GeoPackage: same scores as the CSV" $PY -c "
import csv
from osgeo import ogr
ds = ogr.Open('$T/a/c.gpkg'); l = ds.GetLayer(0)
g = {f['code']: f for f in l}
for r in csv.DictReader(open('$T/c.csv')):
    f = g[r['code']]
    assert (f['score'] is None) == (r['score'] == '')
    if f['score'] is not None: assert abs(f['score'] - float(r['score'])) < 1e-9
    assert f['reason'] == r['reason'] and f.GetGeometryRef().GetArea() > 0"
sleep 1
$SC -q -spec $SPEC $J -stations $S/stations.shp $T/emis.gpkg $T/b/c.gpkg
check "GeoPackage: same bytes a second later" cmp $T/a/c.gpkg $T/b/c.gpkg
$SC -q -spec $SPEC $J -zones $S/streets.shp -stations $S/stations.shp $T/emis.csv $T/z.geojson
check "CSV table + -zones -> GeoJSON with polygons" $PY -c "
import json; d = json.load(open('$T/z.geojson'))
assert len(d['features']) == 40 and d['features'][0]['geometry']['type'] == 'MultiPolygon'"
check "CSV table + -zones: same scores" sh -c "$PY -c \"
import json, csv
d = {f['properties']['code']: f['properties'] for f in json.load(open('$T/z.geojson'))['features']}
for r in csv.DictReader(open('$T/c.csv')):
    if r['score']: assert abs(d[r['code']]['score'] - float(r['score'])) < 1e-9
\""
$SC -q -spec $SPEC $J -stations $S/stations.shp -include base_nox_sum,scen_nox_sum $T/emis.gpkg $T/inc.csv
check "-include copies columns after the label" grep -q "^code,name,base_nox_sum,scen_nox_sum,rank," $T/inc.csv
expect_fail "without -stations the spec's station column is unknown" 1 "score_emissions.spec:[0-9]+: unknown column 'station_pm25'" $T/inc2.csv $SC -spec $SPEC $J $T/emis.gpkg $T/inc2.csv

# a hand-made 5-zone table through the tool: ranks, filter, tie, ties include
cat > $T/five.csv <<'EOF'
zone,name,x,y,area
1,A,10,5,2
2,B,20,1,2
3,C,30,3,0.2
4,D,40,2,2
5,E,50,4,2
EOF
cat > $T/five.spec <<'EOF'
id zone
label name
select 2
filter area >= 1
indicator x x higher 0.6 minmax label=X
indicator y y lower 0.4 minmax label=Y
EOF
$SC -spec $T/five.spec -draws 0 $T/five.csv $T/five_out.csv > $T/five.out
check "5 zones: D 75, E 70, B 55, A 0; C filtered out" $PY -c "
import csv
r = list(csv.DictReader(open('$T/five_out.csv')))
assert [x['name'] for x in r] == ['D', 'E', 'B', 'A', 'C'], [x['name'] for x in r]
assert [round(float(x['score']), 9) for x in r[:4]] == [75, 70, 55, 0]
assert [x['selected'] for x in r] == ['1', '1', '0', '0', '0']
assert r[4]['reason'] == 'not eligible: area >= 1 fails, value 0.2 (spec line 4)'"
printf 'id zone\nselect 1\nties include\nindicator x x higher 1 minmax\n' > $T/tie.spec
printf 'zone,x\n7,5\n3,5\n9,1\n' > $T/tie.csv
$SC -spec $T/tie.spec -draws 0 $T/tie.csv $T/tie_out.csv > $T/tie.out 2>&1
check "ties include: both tied zones selected, id order" sh -c "sed 1d $T/tie_out.csv | cut -d, -f1-3 | tr '\n' ' ' | grep -q '^3,1,1 7,2,1 9,3,0 $'"
printf 'id zone\nselect 1\nindicator x x higher 1 minmax\n' > $T/tie2.spec
$SC -spec $T/tie2.spec -draws 0 $T/tie.csv $T/tie2_out.csv > $T/tie2.out 2> $T/tie2.err
check "ties order: one selected, the tie reported" grep -q "1 zone(s) tie on score with the last selected one" $T/tie2.err

# bad inputs: message, exit code, no output left behind
O=$T/bad.csv
expect_fail "no -spec" 2 "-spec FILE is required" $O $SC $T/emis.gpkg $O
expect_fail "missing spec file" 1 "cannot open spec '.*nope.spec'" $O $SC -spec $T/nope.spec $T/emis.gpkg $O
expect_fail "missing table" 1 "cannot open '.*nope.gpkg'" $O $SC -spec $SPEC $T/nope.gpkg $O
sed 's/base_pm25_density *higher 0.30/base_pm25_dens higher 0.30/' $SPEC > $T/unk.spec
expect_fail "unknown column, with its line and the table's columns" 1 "unk.spec:30: unknown column 'base_pm25_dens' \(the table has: code, name, base_nox_sum," $O $SC -spec $T/unk.spec $J -stations $S/stations.shp $T/emis.gpkg $O
sed 's/higher 0.10 minmax/higher 0 minmax/' $SPEC > $T/zero.spec
expect_fail "zero weight" 1 "zero.spec:34: weight 0 of 'nox_cut' must be positive" $O $SC -spec $T/zero.spec $T/emis.gpkg $O
printf 'indicator a x higher 1 minmax\nselect many\n' > $T/bad.spec
expect_fail "bad spec line" 1 "bad.spec:2: select wants a whole number" $O $SC -spec $T/bad.spec $T/emis.gpkg $O
printf 'zone,x,y\n1,1,2\n2,,3\n3,4,5\n' > $T/nan.csv
printf 'id zone\nindicator x x higher 1 minmax\n' > $T/nan.spec
expect_fail "an empty value (NaN) for an eligible zone" 1 "nan.spec:2: indicator 'x' of zone '2' is not a number .*filter COLUMN present" $O $SC -spec $T/nan.spec $T/nan.csv $O
printf 'id zone\nfilter x present\nindicator x x higher 1 minmax\n' > $T/nan2.spec
$SC -q -spec $T/nan2.spec -draws 0 $T/nan.csv $T/nan2_out.csv 2> /dev/null
check "'filter x present' leaves the empty zone out" grep -q '^2,,0,,,0,not eligible: no value for x (spec line 2),' $T/nan2_out.csv
printf 'zone,x,y\n1,1,0\n2,2,3\n' > $T/div.csv
printf 'id zone\nindicator r x/y higher 1 minmax\n' > $T/div.spec
expect_fail "division by zero" 1 "div.spec:2: indicator 'r' of zone '1' is infinite \(a division by zero\)" $O $SC -spec $T/div.spec $T/div.csv $O
printf 'zone,x\n1,1\n2,abc\n' > $T/txt.csv
expect_fail "text where a number is expected" 1 "nan.spec:2: zone '2': column 'x' holds 'abc', not a number" $O $SC -spec $T/nan.spec $T/txt.csv $O
printf 'zone,x\n1,1\n1,2\n' > $T/dup.csv
expect_fail "duplicate ids" 1 "id '1' appears more than once in column 'zone'" $O $SC -spec $T/nan.spec $T/dup.csv $O
expect_fail "GeoPackage out of a CSV without -zones" 2 "would have no zone geometry: .*-zones" $T/x.gpkg $SC -spec $T/five.spec $T/five.csv $T/x.gpkg
expect_fail "stations without zone polygons" 2 "-stations needs the zone polygons" $O $SC -spec $SPEC $J -stations $S/stations.shp $T/emis.csv $O
expect_fail "stations without the value field" 1 "no field 'no2'" $O $SC -spec $SPEC $J -stations $S/stations.shp -sf no2 $T/emis.gpkg $O
printf 'code,name\nS001,another name\n' > $T/names.csv
$SC -q -spec $SPEC $J -join $T/emis.csv -join $S/streets.shp -stations $S/stations.shp $T/emis.gpkg $T/j.csv
check "joining tables whose shared columns agree (the zonal CSV, the streets)" grep -q "^code,name,rank" $T/j.csv
expect_fail "a joined column that disagrees" 1 "column 'name' is also in the table, with another value for zone 'S001'" $O $SC -spec $SPEC $J -join $T/names.csv -stations $S/stations.shp $T/emis.gpkg $O
expect_fail "-perturb out of range" 2 "-perturb: '1.5' is out of range" $O $SC -spec $SPEC -perturb 1.5 $T/emis.gpkg $O
expect_fail "unknown output extension" 2 "cannot tell the output format of '.*x.xyz'" $T/x.xyz $SC -spec $SPEC $J -stations $S/stations.shp $T/emis.gpkg $T/x.xyz
# the one-microgram test on a hand-made table: 5 members per street, sector parts
cat > $T/ug.csv <<'EOF2'
code,name,m01,m02,m03,m04,m05,d_road,d_cater
110105001000,A,1.2,1.1,1.3,0.9,1.4,0.3,0.9
110105002000,B,0.4,1.2,0.9,1.0,1.5,0.6,0.4
110105003000,C,0.1,0.2,0.1,0.3,0.2,0.05,0.15
EOF2
cat > $T/ug.spec <<'EOF2'
id code
label name
select 2
microgram m0* threshold=1 p=0.8
contrib road d_road
contrib catering d_cater
indicator dc dc_pm25_ugm3 higher 1 minmax
EOF2
check "microgram columns from a table" $SC -q -spec $T/ug.spec -of CSV $T/ug.csv $T/ug_out.csv
check "dc median, 10-90 %, p_1ug and one_microgram by hand; reasons in ug/m3, largest first" $PY -c "
import csv
r = {x['code']: x for x in csv.DictReader(open('$T/ug_out.csv'))}
a, b, c = r['110105001000'], r['110105002000'], r['110105003000']
# A: sorted 0.9 1.1 1.2 1.3 1.4 -> median 1.2, 4 of 5 >= 1 -> p 0.8 -> candidate
assert abs(float(a['dc_pm25_ugm3']) - 1.2) < 1e-9 and abs(float(a['p_1ug']) - 0.8) < 1e-9 and float(a['one_microgram']) == 1
# B: sorted 0.4 0.9 1.0 1.2 1.5 -> median 1.0, p 0.6, lo 0.6, hi 1.38 -> not a candidate
assert abs(float(b['p_1ug']) - 0.6) < 1e-9 and float(b['one_microgram']) == 0
assert abs(float(b['dc_pm25_lo']) - 0.6) < 1e-9 and abs(float(b['dc_pm25_hi']) - 1.38) < 1e-9
assert float(c['p_1ug']) == 0
assert a['ug_reason'].startswith('PM2.5 cut 1.20 ug/m3 where people live (p(>= 1) = 0.80') and a['ug_reason'].endswith(': catering 0.90, road 0.30'), a['ug_reason']
assert b['ug_reason'].endswith(': road 0.60, catering 0.40'), b['ug_reason']"
$SC -spec $T/ug.spec -of CSV $T/ug.csv $T/ug_out2.csv > $T/ug.out 2>/dev/null
check "the report says how many reach it, how many of the selected, and what the others lack" sh -c "grep -q 'one-microgram test (p(PM2.5 cut >= 1 ug/m3) >= 0.80): 1 street(s) reach it, 1 of the 2 selected; the plan asks for 2' $T/ug.out && grep -q 'short: +0.00 ug/m3' $T/ug.out"
# the street mean as the test, the population-weighted change beside it (exposure=): A's
# exposure members 2.0 1.8 2.2 1.9 2.1 -> median 2.0; one sign: a cut, positive = cleaner
$PY - $T <<'PYEOF'
import csv, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + '/ug.csv')))
w = csv.writer(open(d + '/ug2.csv', 'w'), lineterminator='\n')
w.writerow(list(rows[0].keys()) + ['e01', 'e02', 'e03', 'e04', 'e05', 'k'])
for r, e in zip(rows, ([2.0, 1.8, 2.2, 1.9, 2.1], [0.5] * 5, [0.1] * 5)):
    w.writerow(list(r.values()) + e + [5])
PYEOF
sed -e 's/^microgram m0\* threshold=1 p=0.8/microgram m0? exposure=e0? threshold=1 p=0.8/' $T/ug.spec > $T/ug2.spec
printf 'indicator k k higher 1 minmax label="a constant"\n' >> $T/ug2.spec
$SC -spec $T/ug2.spec -of CSV $T/ug2.csv $T/ug2_out.csv > $T/ug2.out 2> $T/ug2.err
check "exposure=: dc_pm25_exposure and the reason name both, street mean first" $PY -c "
import csv
r = {x['code']: x for x in csv.DictReader(open('$T/ug2_out.csv'))}
a = r['110105001000']
assert abs(float(a['dc_pm25_exposure']) - 2.0) < 1e-9 and abs(float(a['dc_pm25_ugm3']) - 1.2) < 1e-9
assert a['ug_reason'].startswith('PM2.5 cut 1.20 ug/m3 street mean (p(>= 1) = 0.80; 10-90 %: ') and '; 2.00 where people live: catering 0.90' in a['ug_reason'], a['ug_reason']"
check "a constant indicator is said, scores nothing and is never a reason" sh -c "grep -q \"indicator 'k' is the same in every eligible zone (5): it ranks nothing\" $T/ug2.err && ! grep -q 'a constant' $T/ug2.out && $PY -c \"
import csv
for x in csv.DictReader(open('$T/ug2_out.csv')):
    assert float(x['k_pts']) == 0 and float(x['k_norm']) == 0, x
\""
# -members: which dimension drives a street's spread. Street A's 8 members are 1.0 where
# dimension a is x and 3.0 where it is y: a explains all (100 %), b (numeric, quartiles)
# and the id-like draw column nothing / not at all; street B varies with b only
cat > $T/mem.csv <<'EOF2'
member,a,b,emission_draw,A_pct
m01,x,10,7,1
m02,y,20,3,1
m03,x,30,5,1
m04,y,40,1,1
m05,x,50,8,1
m06,y,60,2,1
m07,x,70,6,1
m08,y,80,4,1
EOF2
cat > $T/spr.csv <<'EOF2'
code,name,u_m01_mean,u_m02_mean,u_m03_mean,u_m04_mean,u_m05_mean,u_m06_mean,u_m07_mean,u_m08_mean
110105001000,A,1,3,1,3,1,3,1,3
110105002000,B,1,1,2,2,3,3,4,4
EOF2
printf 'id code\nlabel name\nselect 1\nmicrogram u_m??_mean\nindicator dc dc_pm25_ugm3 higher 1 minmax\n' > $T/spr.spec
check "-members: spread shares" sh -c "$SC -spec $T/spr.spec -members $T/mem.csv -of CSV $T/spr.csv $T/spr_out.csv > $T/spr.out"
check "  by hand: A all of a, B all of b (quartiles), no column for the id or the outcome" $PY -c "
import csv
r = {x['code']: x for x in csv.DictReader(open('$T/spr_out.csv'))}
a, b = r['110105001000'], r['110105002000']
assert abs(float(a['spread_a']) - 1) < 1e-9 and float(a['spread_b']) < 1e-9, a
assert abs(float(b['spread_b']) - 1) < 1e-9 and float(b['spread_a']) < 0.1, b
assert 'spread_emission_draw' not in a and 'spread_A_pct' not in a
assert a['ug_spread'].startswith('spread (first-order shares): a 100 %, b 0 %'), a['ug_spread']"
check "  and the report prints it under the street" grep -q '^      spread (first-order shares): a 100 %' $T/spr.out
printf 'member,a\nm01,x\n' > $T/mem_short.csv
expect_fail "-members without the members of the table" 1 "column 'u_m02_mean' names no member of" $T/sprx.csv $SC -q -spec $T/spr.spec -members $T/mem_short.csv -of CSV $T/spr.csv $T/sprx.csv
printf 'id code\nmicrogram m0? exposure=d_*\nindicator dc dc_pm25_ugm3 higher 1 minmax\n' > $T/ug_bad2.spec
expect_fail "exposure= matching other columns than the members" 1 "ug_bad2.spec:2: exposure= matches 2 columns, the members 5" $T/ugx.csv $SC -q -spec $T/ug_bad2.spec -of CSV $T/ug.csv $T/ugx.csv
printf 'id code\nmicrogram nomatch_*\nindicator dc dc_pm25_ugm3 higher 1 minmax\n' > $T/ug_bad.spec
expect_fail "a microgram glob that matches nothing" 1 "ug_bad.spec:2: no column matches 'nomatch_\\*'" $T/ugx.csv $SC -q -spec $T/ug_bad.spec -of CSV $T/ug.csv $T/ugx.csv
# identifiers stay identifiers: a 12-digit code (Integer64 in a GeoPackage, text in a
# CSV) comes back with every digit and no ".0"; rank and selected are integers
$PY - $T <<'PYEOF'
import sys
from osgeo import ogr
d = sys.argv[1]
ds = ogr.GetDriverByName('GPKG').CreateDataSource(d + '/codes.gpkg')
from osgeo import osr
srs = osr.SpatialReference(); srs.ImportFromEPSG(32650)
l = ds.CreateLayer('codes', srs, ogr.wkbPolygon)
l.CreateField(ogr.FieldDefn('code', ogr.OFTInteger64)); l.CreateField(ogr.FieldDefn('v', ogr.OFTReal))
for i, v in enumerate((3.0, 1.0, 2.0)):
    f = ogr.Feature(l.GetLayerDefn()); f.SetField('code', 110105001000 + 1000 * i); f.SetField('v', v)
    x = 450000 + 1000 * i
    f.SetGeometry(ogr.CreateGeometryFromWkt('POLYGON ((%d 4420000, %d 4420000, %d 4421000, %d 4421000, %d 4420000))' % (x, x + 1000, x + 1000, x, x)))
    l.CreateFeature(f)
ds = None
PYEOF
printf 'id code\nselect 2\nindicator v v higher 1 minmax\n' > $T/codes.spec
for ext in csv gpkg geojson; do
  $SC -q -spec $T/codes.spec -of $( [ $ext = csv ] && echo CSV || ([ $ext = gpkg ] && echo GPKG || echo GeoJSON)) \
    $T/codes.gpkg $T/codes_out.$ext 2>/dev/null
done
check "codes, ranks and flags round-trip as integers (CSV, GPKG, GeoJSON)" $PY - $T <<'PYEOF'
import sys, csv, json
from osgeo import ogr
d = sys.argv[1]
rows = list(csv.DictReader(open(d + '/codes_out.csv')))
assert [r['code'] for r in rows] == ['110105001000', '110105003000', '110105002000'], rows
assert rows[0]['rank'] == '1' and rows[0]['selected'] == '1' and rows[2]['selected'] == '0'
ds = ogr.Open(d + '/codes_out.gpkg'); l = ds.GetLayer(0); dfn = l.GetLayerDefn()
for name in ('code', 'rank', 'selected', 'eligible'):
    assert dfn.GetFieldDefn(dfn.GetFieldIndex(name)).GetType() == ogr.OFTInteger64, name
assert [f.GetField('code') for f in l] == [110105001000, 110105003000, 110105002000]
g = json.load(open(d + '/codes_out.geojson'))
assert [f['properties']['code'] for f in g['features']] == [110105001000, 110105003000, 110105002000]
assert isinstance(g['features'][0]['properties']['rank'], int)
PYEOF
# text filters: filter kind != 乡 leaves the townships out, with the reason
printf 'code,kind,v\nA,街道,1\nB,乡,5\nC,街道,3\n' > $T/kinds.csv
printf 'id code\nselect 1\nfilter kind != 乡\nindicator v v higher 1 minmax\n' > $T/kinds.spec
check "a text filter" $SC -q -spec $T/kinds.spec -of CSV $T/kinds.csv $T/kinds_out.csv
check "the township is not eligible, the best street is selected" $PY -c "
import csv; r = {x['code']: x for x in csv.DictReader(open('$T/kinds_out.csv'))}
assert r['B']['eligible'] == '0' and r['B']['reason'] == 'not eligible: kind != 乡 fails (spec line 3)', r['B']
assert r['C']['selected'] == '1' and r['A']['selected'] == '0'"
printf 'id code\nfilter kind >= 乡\nindicator v v higher 1 minmax\n' > $T/kinds2.spec
expect_fail "a text compared with >=" 1 "kinds2.spec:2: '乡' is not a number \\(a text can only be compared with == or !=\\)" $T/kx.csv $SC -q -spec $T/kinds2.spec -of CSV $T/kinds.csv $T/kx.csv
# one street-name default across tools: streets whose names are in a field 名称 (a Chinese
# registry's), never named on the command line: sp-zonal -include name and the spec's
# "label name" find it, and the names match the sample's own
ogr2ogr -q -lco ENCODING=UTF-8 -sql "SELECT code, name AS \"名称\" FROM streets" $T/zh.shp $S/streets.shp
$BIN/sp-zonal -q -r base=$T/base.tif -r scen=$T/scen.tif -id code -include name \
  -stats sum,area_km2,density,share $T/zh.shp $T/emis_zh.gpkg 2>/dev/null
check "sp-zonal -include name takes 名称 (the table's field)" sh -c "ogrinfo -so -al $T/emis_zh.gpkg | grep -q '^名称: String'"
$SC -q -spec $SPEC $J -stations $S/stations.shp $T/emis_zh.gpkg $T/c_zh.csv 2> $T/zh.err
check "sp-score's label name takes 名称: the same names, street by street" $PY - $T/c.csv $T/c_zh.csv <<'PYEOF'
import csv, sys
a = {r['code']: r['name'] for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig'))}
b = {r['code']: r['名称'] for r in csv.DictReader(open(sys.argv[2], encoding='utf-8-sig'))}
assert len(a) == 40 and a == b, (len(a), len(b))
PYEOF
end
