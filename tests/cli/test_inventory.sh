#!/bin/sh
# End-to-end tests of sp-inventory on the sample registries: every source re-computed by
# an independent oracle (GDAL Python + the factor CSV), totals, scenario, determinism,
# field mapping, and every bad-input class (message, exit code, nothing left behind).
. tests/cli/lib.sh
I=$BIN/sp-inventory
F=samples/factors.csv
M=samples/measures.txt
S=$SAMPLES
ALL="-catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp"

$I -f $F $ALL $T/base.gpkg > $T/base.out 2> $T/base.err
check "baseline inventory of the four sectors" test $? = 0
# the sample table: every row has a source; at most 40 % say "assumption", each with its
# reason; the type-approval limit rows cite their GB standard and guess nothing
check "factor table: <= 40 % of the factor rows are assumptions, each saying why (road classes: all)" $PY -c "
import csv
every = list(csv.DictReader(l for l in open('$F', encoding='utf-8') if not l.startswith('#')))
# the road-class rows are activity defaults (traffic by road type), not factors: each is an
# assumption that says why, counted apart
rc = [r for r in every if r['sector'] == 'roadclass']
assert rc and all('assumption' in r['source'] for r in rc)
rows = [r for r in every if r['sector'] != 'roadclass']
a = [r for r in rows if 'assumption' in r['source']] + rc
assert all(r['source'].strip() for r in rows), 'a row without a source'
assert len(a) - len(rc) <= 0.4 * len(rows), (len(a), len(rows))
for r in a:
    why = r['source'].replace('assumption', '').strip(' :,()')
    assert len(why) >= 20, ('assumption without a reason', r)
lim = [r for r in rows if r['unit'].endswith('-limit')]
assert len(lim) >= 60 and all('GB 1' in r['source'] and 'assumption' not in r['source'] for r in lim)
print(len(a), 'of', len(rows))"
check "totals table printed" grep -Eq "^total +14988 " $T/base.out
check "progress on stderr" grep -q "100 - done" $T/base.err
ogrinfo -so -al $T/base.gpkg > $T/info 2>&1
for l in catering boiler road area; do
  check "layer $l" grep -q "^Layer name: $l" $T/info
done
check "12850 restaurants" grep -q "Feature Count: 12850" $T/info
check "input fields kept" grep -q "cuisine: String" $T/info
check "emission columns added" grep -q "pm25: Real" $T/info
check "measures column" grep -q "measures: String" $T/info
check "every source matches the independent oracle to 1e-9" $PY tests/cli/inventory_oracle.py $F $T/base.gpkg

# registries as they come (README's commands): restaurants as ids and GCJ-02 lon/lat only,
# every activity value from -default, said per key in a warning and in the layer's
# metadata; the same restaurants with the values as fields give the same emissions
printf 'id,lon,lat\n1,116.4512,39.9215\n2,116.4633,39.9302\n3,116.4701,39.9108\n' > $T/pois.csv
printf 'id,lon,lat,stoves,cuisine,hours,days\n1,116.4512,39.9215,3,chinese,10,330\n2,116.4633,39.9302,3,chinese,10,330\n3,116.4701,39.9108,3,chinese,10,330\n' > $T/pois_full.csv
CSVIN="-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326 -s_coord catering=gcj02"
check "a registry of ids and GCJ-02 coordinates in one command" sh -c "$I -f $F -catering $T/pois.csv $CSVIN -default catering.stoves=3 -default catering.cuisine=chinese -default catering.hours=10 -default catering.days=330 $T/pois.gpkg > $T/pois.out 2> $T/pois.err"
check "  the assumptions said, per key and count" grep -q "catering: assumed catering.stoves = 3 (-default) for 3 of 3; catering.cuisine = chinese (-default) for 3 of 3; catering.hours = 10 (-default) for 3 of 3; catering.days = 330 (-default) for 3 of 3 sources" $T/pois.err
check "  and kept in the layer's metadata" sh -c "ogrinfo -so $T/pois.gpkg catering | grep -q 'ASSUMED=catering.stoves = 3 (-default) for 3 of 3'"
$I -q -f $F -catering $T/pois_full.csv $CSVIN $T/pois_full.gpkg
check "  the same emissions as the values given as fields, and no ASSUMED there" $PY -c "
from osgeo import ogr
a, b = ogr.Open('$T/pois.gpkg'), ogr.Open('$T/pois_full.gpkg')
x = [(f['pm25'], f['nox']) for f in a.GetLayer(0)]; y = [(f['pm25'], f['nox']) for f in b.GetLayer(0)]
assert x == y and len(x) == 3 and x[0][0] > 0, (x, y)
assert b.GetLayer(0).GetMetadataItem('ASSUMED') is None"
# roads with geometry only, and OSM-like roads with a highway class: the road-class rows of
# the factor table give AADT, speed and the vehicle mix; a link's own field wins; the
# independent oracle reads the same rows
$PY - $T <<'PYEOF'
import sys
from osgeo import ogr, osr
d = sys.argv[1]
sr = osr.SpatialReference(); sr.ImportFromEPSG(32650)
for name, fields in (('geo', []), ('osm', ['highway', 'aadt'])):
    ds = ogr.GetDriverByName('GPKG').CreateDataSource(d + '/%s_roads.gpkg' % name)
    l = ds.CreateLayer('roads', sr, ogr.wkbLineString)
    for fn in fields:
        l.CreateField(ogr.FieldDefn(fn, ogr.OFTString if fn == 'highway' else ogr.OFTReal))
    for i, (hw, aadt) in enumerate((('primary', None), ('residential', None), (None, None),
                                    ('motorway_link', 12345.0), ('secondary', None))):
        f = ogr.Feature(l.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkt('LINESTRING (%d 4420000, %d 4420800)' % (450000 + 300 * i, 450000 + 300 * i)))
        if name == 'osm':
            if hw: f['highway'] = hw
            if aadt: f['aadt'] = aadt
        l.CreateFeature(f)
    ds = None
PYEOF
check "roads with geometry only, in one command" sh -c "$I -f $F -road $T/geo_roads.gpkg $T/geo_inv.gpkg > /dev/null 2> $T/geo.err"
check "  every link the '*' class's traffic, said" sh -c "grep -q 'road: assumed road.aadt from the factor table for 5 of 5; road.speed from the factor table for 5 of 5; road.share_prefix from the factor table for 5 of 5 sources' $T/geo.err"
check "  and the oracle agrees" $PY tests/cli/inventory_oracle.py $F $T/geo_inv.gpkg
check "OSM roads by their highway class, a link's own AADT winning" sh -c "$I -q -f $F -road $T/osm_roads.gpkg $T/osm_inv.gpkg 2> $T/osm.err && grep -q 'road.aadt from the factor table for 4 of 5' $T/osm.err"
check "  the oracle agrees, link by link" $PY tests/cli/inventory_oracle.py $F $T/osm_inv.gpkg
check "  primary carries more than residential (the class rows act)" $PY -c "
from osgeo import ogr
ds = ogr.Open('$T/osm_inv.gpkg'); f = {x['highway']: x['nox'] for x in ds.GetLayer(0)}
assert f['primary'] > 10 * f['residential'] > 0, f"
$PY -c "
from osgeo import ogr
ds = ogr.Open('$T/osm_roads.gpkg', update=1); l = ds.GetLayer(0); f = l.GetFeature(3); f['highway'] = 'footway'; l.SetFeature(f)"
expect_fail "an unknown road class names the known ones and -values" 1 "unknown road class 'footway' .known: motorway, motorway_link.*-values road.class=FROM=TO" $T/osm_x.gpkg $I -q -f $F -road $T/osm_roads.gpkg $T/osm_x.gpkg
check "  -values road.class maps it to a known class" $I -q -f $F -road $T/osm_roads.gpkg -values road.class:footway=service $T/osm_y.gpkg

# dated measures (-year Y): a measure from 1 October 2025 counts 92 of 2025's 365 days;
# the boilers' NOx, source by source, from the baseline and the measure in full
printf 'boiler retrofit min_mw 2 to low from 2025-10-01\n' > $T/dm.txt
printf 'boiler retrofit min_mw 2 to low\n' > $T/dm_full.txt
$I -q -f $F -boiler $S/boilers.shp $T/dm_base.gpkg
$I -q -f $F -m $T/dm_full.txt -boiler $S/boilers.shp $T/dm_full.gpkg
for y in 2024 2025 2026; do $I -q -f $F -m $T/dm.txt -year $y -boiler $S/boilers.shp $T/dm_$y.gpkg; done
check "-year: a measure from 2025-10-01 counts 92/365 of its change in 2025, none in 2024, all in 2026" $PY -c "
from osgeo import ogr
def nox(p):
    ds = ogr.Open(p)  # held while its layer is read
    return [f['nox'] for f in ds.GetLayer(0)]
b, full = nox('$T/dm_base.gpkg'), nox('$T/dm_full.gpkg')
for y, share in ((2024, 0.0), (2025, 92 / 365), (2026, 1.0)):
    got = nox('$T/dm_%d.gpkg' % y)
    for g, x, z in zip(got, b, full):
        assert abs(g - (x + share * (z - x))) <= 1e-12 * max(x, 1e-12), (y, g, x, z)
assert sum(full) < sum(b)"
check "  the measures column says the share" sh -c "ogrinfo -q -sql \"SELECT measures FROM boiler WHERE measures <> ''\" $T/dm_2025.gpkg | grep -q 'boiler retrofit min_mw 2 to low from 2025-10-01 (25.2 % of 2025)'"
# two dated measures on the same restaurants: each adds its own change, in the file's order
printf 'catering purifier min_stoves 3 class composite from 2025-07\nreduce catering PM2.5 20 from 2025-12-01\n' > $T/dm2.txt
printf 'catering purifier min_stoves 3 class composite\n' > $T/dm2a.txt
printf 'catering purifier min_stoves 3 class composite\nreduce catering PM2.5 20\n' > $T/dm2b.txt
$I -q -f $F -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 $T/c_base.gpkg
$I -q -f $F -m $T/dm2a.txt -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 $T/c_a.gpkg
$I -q -f $F -m $T/dm2b.txt -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 $T/c_b.gpkg
$I -q -f $F -m $T/dm2.txt -year 2025 -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 $T/c_25.gpkg
check "  two measures on one source: 184/365 of the first's change and 31/365 of the second's" $PY -c "
from osgeo import ogr
def pm(p):
    ds = ogr.Open(p)
    return [f['pm25'] for f in ds.GetLayer(0)]
b, a, ab, got = pm('$T/c_base.gpkg'), pm('$T/c_a.gpkg'), pm('$T/c_b.gpkg'), pm('$T/c_25.gpkg')
n = 0
for g, x, y, z in zip(got, b, a, ab):
    want = x + 184 / 365 * (y - x) + 31 / 365 * (z - y)
    assert abs(g - want) <= 1e-12 * max(x, 1e-12), (g, want)
    n += z < y < x
assert n > 100, n"
printf 'catering purifier min_stoves 3 class composite reach 40%%\n' > $T/dr.txt
$I -q -f $F -m $T/dr.txt -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 $T/c_r.gpkg
check "  reach 40 %%: the measure's change x 0.4 on every source (the share of its eligible sources)" $PY -c "
from osgeo import ogr
def pm(p):
    ds = ogr.Open(p)
    return [f['pm25'] for f in ds.GetLayer(0)]
for g, x, y in zip(pm('$T/c_r.gpkg'), pm('$T/c_base.gpkg'), pm('$T/c_a.gpkg')):
    assert abs(g - (x + 0.4 * (y - x))) <= 1e-12 * max(x, 1e-12), (g, x, y)"
printf 'catering purifier min_stoves 3 class composite reach 140%%\n' > $T/drb.txt
expect_fail "a reach above 100 %%" 1 "drb.txt:1: 'reach 140%': want a share of the sources it reaches" $T/drb.gpkg $I -q -f $F -m $T/drb.txt -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 $T/drb.gpkg
check "  a dated measure without -year counts in full, said" sh -c "$I -q -f $F -m $T/dm.txt -boiler $S/boilers.shp $T/dm_no.gpkg 2>&1 | grep -q 'dm.txt:1: dated (from 2025-10-01) but no -year: it counts in full'"
printf 'boiler retrofit min_mw 2 to low from 2025-02-29\n' > $T/dm_bad.txt
expect_fail "a measure from a day that does not exist" 1 "dm_bad.txt:1: 'from 2025-02-29': want a date YYYY-MM-DD" $T/dmb.gpkg $I -q -f $F -m $T/dm_bad.txt -year 2025 -boiler $S/boilers.shp $T/dmb.gpkg
check "-year with -mc: the draws' central change is the pro-rata one" sh -c "$I -q -f $F -m $T/dm.txt -year 2025 -mc 20 -mc_draws $T/dm_draws.csv -boiler $S/boilers.shp $T/dm_mc.gpkg && $PY -c \"
import csv
from osgeo import ogr
d1, d2 = ogr.Open('$T/dm_base.gpkg'), ogr.Open('$T/dm_2025.gpkg')
b = sum(f['nox'] for f in d1.GetLayer(0)); s = sum(f['nox'] for f in d2.GetLayer(0))
r = [x for x in csv.DictReader(open('$T/dm_draws.csv')) if x['pollutant'] == 'NOx']
ch = sorted(float(x['scenario_t']) / float(x['baseline_t']) for x in r)
assert abs(ch[len(ch) // 2] - s / b) < 0.02, (ch[len(ch) // 2], s / b)\""

# -marginal: each measure's own cut, given the measures before it (the scenario explorer's
# responses): per source they add up to the scenario's cut; measure k's equals the change
# between two scenario runs of the first k-1 and the first k lines; the interaction is the
# cuts of each measure alone summed less the scenario's
printf 'catering purifier min_stoves 3 class composite\nreduce catering PM2.5 20\n' > $T/mg.txt
printf 'catering purifier min_stoves 3 class composite\n' > $T/mg1.txt
printf 'reduce catering PM2.5 20\n' > $T/mg2.txt
CAT="-catering $S/restaurants_gcj02.shp -s_coord catering=gcj02"
$I -q -f $F -m $T/mg.txt $CAT -marginal pm25,vocs -marginal_out $T/mg.csv $T/mg.gpkg
$I -q -f $F -m $T/mg1.txt $CAT $T/mg1.gpkg
$I -q -f $F -m $T/mg2.txt $CAT $T/mg2.gpkg
check "-marginal: cut01 and cut02 per source, adding up to the scenario's cut, each the prefix runs' change" $PY -c "
from osgeo import ogr
def col(p, c):
    ds = ogr.Open(p)
    return [f[c] for f in ds.GetLayer(0)]
base = col('$T/c_base.gpkg', 'pm25'); scen = col('$T/mg.gpkg', 'pm25'); one = col('$T/mg1.gpkg', 'pm25')
c1, c2 = col('$T/mg.gpkg', 'cut01_pm25'), col('$T/mg.gpkg', 'cut02_pm25')
for b, s_, o, x, y in zip(base, scen, one, c1, c2):
    assert abs(x - (b - o)) <= 1e-12 * b and abs(y - (o - s_)) <= 1e-12 * b and abs(x + y - (b - s_)) <= 1e-12 * b, (b, s_, o, x, y)
assert sum(c1) > 0 and sum(c2) > 0 and sum(col('$T/mg.gpkg', 'cut01_vocs')) > 0"
check "  -marginal_out: the sums, each measure alone, and the interaction (the purifier and the 20 % overlap)" $PY -c "
import csv
from osgeo import ogr
def tot(p, c='pm25'):
    ds = ogr.Open(p)
    return sum(f[c] for f in ds.GetLayer(0))
r = {(x['measure'], x['pollutant']): x for x in csv.DictReader(open('$T/mg.csv'))}
b, s_, o1, o2 = tot('$T/c_base.gpkg'), tot('$T/mg.gpkg'), tot('$T/mg1.gpkg'), tot('$T/mg2.gpkg')
near = lambda a, e: abs(float(a) - e) <= 1e-9 * b
assert near(r[('1', 'PM2.5')]['cut_t'], b - o1) and near(r[('2', 'PM2.5')]['cut_t'], o1 - s_)
assert near(r[('1', 'PM2.5')]['cut_alone_t'], b - o1) and near(r[('2', 'PM2.5')]['cut_alone_t'], b - o2)
assert near(r[('all', 'PM2.5')]['cut_t'], b - s_) and near(r[('all', 'PM2.5')]['cut_alone_t'], (b - o1) + (b - o2) - (b - s_))
assert float(r[('all', 'PM2.5')]['cut_alone_t']) > 0.01 * b  # they overlap: the 20 % of what the purifier left
assert r[('1', 'PM2.5')]['text'] == 'catering purifier min_stoves 3 class composite'"
printf 'catering purifier min_stoves 3 class composite cost 8000 yuan/source\nreduce catering PM2.5 20 cost 150000 yuan/t PM2.5 from 2026-01\n' > $T/mgc.txt
$I -q -f $F -m $T/mgc.txt $CAT -marginal pm25 -marginal_out $T/mgc.csv $T/mgc.gpkg
check "-marginal_out: each measure's cost, per source it changes or per tonne it cuts (the user's figures)" $PY -c "
import csv
from osgeo import ogr
ds = ogr.Open('$T/mgc.gpkg')
c1 = [f['cut01_pm25'] for f in ds.GetLayer(0)]
r = {(x['measure'], x['pollutant']): x for x in csv.DictReader(open('$T/mgc.csv'))}
n1 = sum(1 for v in c1 if v != 0)
assert int(r[('1', 'NOx')]['sources']) == n1 and abs(float(r[('1', 'NOx')]['cost_yuan']) - 8000 * n1) < 1e-6, (n1, r[('1', 'NOx')])
assert abs(float(r[('2', 'VOCs')]['cost_yuan']) - 150000 * float(r[('2', 'PM2.5')]['cut_t'])) < 1e-6 * 150000
assert r[('all', 'NOx')]['cost_yuan'] == ''"
printf 'reduce catering PM2.5 20 cost 5 yuan\n' > $T/mgbad.txt
expect_fail "a cost without its unit" 1 "mgbad.txt:1: want 'cost X yuan/source' or 'cost X yuan/t POLLUTANT'" $T/mgb.gpkg $I -q -f $F -m $T/mgbad.txt $CAT $T/mgb.gpkg
expect_fail "-marginal without -m" 2 "-marginal needs -m MEASURES.txt" $T/mgx.gpkg $I -q -f $F $CAT -marginal pm25 $T/mgx.gpkg
expect_fail "-marginal of no pollutant" 2 "-marginal: 'pm3' is not a pollutant" $T/mgy.gpkg $I -q -f $F -m $T/mg.txt $CAT -marginal pm3 $T/mgy.gpkg

# -climate: the 2014 guideline's temperature and humidity corrections of exhaust over a
# year of hours (the real Nongzhanguan 2016 weather), re-computed hour by hour by the oracle
MET=samples/met/nongzhanguan_2016.csv
check "-climate: the road exhaust corrected over the year's hours" sh -c "$I -f $F -road $S/roads.gpkg -climate $MET $T/clim.gpkg > $T/clim.out 2>&1"
check "  the oracle agrees, link by link (RH from the dew point, the hours' products)" $PY tests/cli/inventory_oracle.py $F $T/clim.gpkg $MET
check "  and it is not the uncorrected inventory" sh -c "! $PY tests/cli/inventory_oracle.py $F $T/clim.gpkg > /dev/null 2>&1"
check "  the multipliers said (8,777 hours with TEMP and DEWP) and kept in the layer's metadata" sh -c "grep -q 'Climate (8777 hours of $MET): road exhaust car NOx x1.118' $T/clim.out && ogrinfo -so $T/clim.gpkg road | grep -q 'CLIMATE=car NOx x1.118'"
printf 'TEMP,RH\n-5,30\n12,60\n30,40\n30,70\nNA,NA\n' > $T/met5.csv
check "  RH given directly: 4 hours, cold/mild/hot-dry/hot-humid, car NOx (1.15*1.06 + 0.92 + 1.31*1.06*1.13 + 1.31*0.92*0.87)/4" sh -c "
$I -q -f $F -road $S/roads.gpkg -climate $T/met5.csv -totals $T/m5.csv $T/m5.gpkg &&
ogrinfo -so $T/m5.gpkg road | grep -o 'car NOx x[0-9.]*' > $T/m5.x && $PY -c \"
want = (1.15 * 1.06 + 0.92 + 1.31 * 1.06 * 1.13 + 1.31 * 0.92 * 0.87) / 4
got = float(open('$T/m5.x').read().split('x')[-1])
assert abs(got - want) < 5e-4, (got, want)\""
printf 'year,WSPM\n2016,1.2\n' > $T/met_bad.csv
expect_fail "-climate without a temperature column" 1 "-climate: $T/met_bad.csv has no TEMP column" $T/cb1.gpkg $I -q -f $F -road $S/roads.gpkg -climate $T/met_bad.csv $T/cb1.gpkg
printf 'TEMP,DEWP\n300,2\n' > $T/met_k.csv
expect_fail "-climate in kelvin" 1 "row 1: 300 C and .* no weather" $T/cb2.gpkg $I -q -f $F -road $S/roads.gpkg -climate $T/met_k.csv $T/cb2.gpkg
printf 'TEMP,DEWP\nNA,NA\n' > $T/met_na.csv
expect_fail "-climate with no hour" 1 "has no hour with a temperature and a humidity" $T/cb3.gpkg $I -q -f $F -road $S/roads.gpkg -climate $T/met_na.csv $T/cb3.gpkg
{ grep -v climate: $F; echo 'road,car/climate:frosty,NOx,1.2,factor,x'; } > $T/fclim.csv
expect_fail "an unknown climate condition" 1 "fclim.csv:[0-9]+: unknown climate condition 'frosty' \\(known: cold, hot" $T/cb4.gpkg $I -q -f $T/fclim.csv -road $S/roads.gpkg -climate $MET $T/cb4.gpkg
{ grep -v climate: $F; echo 'road,car/climate:cold,NOx,0,factor,x'; } > $T/fclim0.csv
expect_fail "a climate factor of 0" 1 "climate rows are factors above 0" $T/cb5.gpkg $I -q -f $T/fclim0.csv -road $S/roads.gpkg $T/cb5.gpkg
check "a table without climate rows under -climate: warned, nothing corrected" sh -c "grep -v climate: $F > $T/fnoc.csv && $I -q -f $T/fnoc.csv -road $S/roads.gpkg -climate $MET $T/cb6.gpkg 2>&1 | grep -q 'no VEHICLE/climate:COND rows'"
check "GCJ-02 corrected (restaurant 1 moved ~500 m south-west)" $PY -c "
from osgeo import ogr
ds = ogr.Open('$T/base.gpkg'); f = ds.GetLayerByName('catering').GetNextFeature()
x, y = f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY()
assert abs(x - 116.455759501827) > 0.004 and 0.0005 < abs(y - 40.0272567195411) < 0.003, (x, y)"

# the totals equal the sum of the layers' columns
$I -q -f $F $ALL -totals $T/tot.csv $T/base2.gpkg
check "same inputs, same bytes" cmp $T/base.gpkg $T/base2.gpkg
check "totals CSV header" grep -q "^sector,pollutant,sources,baseline_t,scenario_t,change_pct$" $T/tot.csv
check "totals CSV: layer sums" $PY -c "
import csv
from osgeo import ogr
ds = ogr.Open('$T/base.gpkg')
for r in csv.DictReader(open('$T/tot.csv')):
    if r['sector'] == 'total': continue
    col = {'PM2.5': 'pm25', 'CO2_scope2': 'co2_s2'}.get(r['pollutant'], r['pollutant'].lower())
    s = sum(f.GetField(col) for f in ds.GetLayerByName(r['sector']))
    assert abs(s - float(r['baseline_t'])) <= 1e-8 * max(s, 1e-9), (r, s)
    assert r['baseline_t'] == r['scenario_t']"
# key energy-using units: scope 1 and scope 2 apart, the oracle, and electrification
$I -q -f $F -facility $S/facilities.shp -totals $T/fac_tot.csv $T/fac.gpkg
check "facility: every unit matches the independent oracle" $PY tests/cli/inventory_oracle.py $F $T/fac.gpkg
check "facility: scope-2 CO2 in its own column, not in CO2" $PY -c "
import csv
t = {r['pollutant']: float(r['baseline_t']) for r in csv.DictReader(open('$T/fac_tot.csv')) if r['sector'] == 'facility'}
from osgeo import ogr
ds = ogr.Open('$T/fac.gpkg'); l = ds.GetLayerByName('facility')
gas = sum(f['gas_m3'] for f in l); l.ResetReading(); el = sum(f['elec_kwh'] for f in l)
l.ResetReading(); heat = sum(f['heat_gj'] for f in l); l.ResetReading(); dsl = sum(f['diesel_t'] for f in l)
assert abs(t['CO2'] - (gas * 2162 + dsl * 3096e3) / 1e6) < 1e-6 * t['CO2'], t
assert abs(t['CO2_scope2'] - (el * 536.6 + heat * 110000) / 1e6) < 1e-6 * t['CO2_scope2'], t"
printf 'facility electrify gas 3.5\nfacility pv 10%%\n' > $T/fac_m.txt
$I -q -f $F -m $T/fac_m.txt -facility $S/facilities.shp -totals $T/fac_s.csv $T/fac_s.gpkg
check "facility electrify + pv: gas gone, scope 2 = (kWh + gas heat / COP) x 0.9 x factor" $PY -c "
import csv
t = {r['pollutant']: (float(r['baseline_t']), float(r['scenario_t'])) for r in csv.DictReader(open('$T/fac_s.csv')) if r['sector'] == 'facility'}
from osgeo import ogr
ds = ogr.Open('$T/fac_s.gpkg'); l = ds.GetLayerByName('facility')
gas = el = heat = 0
for f in l: gas += f['gas_m3']; el += f['elec_kwh']; heat += f['heat_gj']
kwh = (el + gas * 0.038931 * 0.9 / 0.0036 / 3.5) * 0.9
assert t['NOx'][1] == 0 and t['NOx'][0] > 0, t['NOx']
assert abs(t['CO2_scope2'][1] - (kwh * 536.6 + heat * 110000) / 1e6) < 1e-6 * t['CO2_scope2'][1], t"
ogr2ogr -select kind $T/nofac.shp $S/facilities.shp
expect_fail "a facility layer without energy fields" 2 "facility: no energy-use field" $T/nofac.gpkg $I -q -f $F -facility $T/nofac.shp $T/nofac.gpkg

# petrol stations: evaporative VOCs by vapour-recovery class, the oracle, the measure
$I -q -f $F -petrol $S/petrol_stations.shp -totals $T/pet_tot.csv $T/pet.gpkg
check "petrol: every station matches the independent oracle" $PY tests/cli/inventory_oracle.py $F $T/pet.gpkg
printf 'petrol recovery stage3 min_t 4000\n' > $T/pet_m.txt
$I -q -f $F -m $T/pet_m.txt -petrol $S/petrol_stations.shp $T/pet_s.gpkg
check "petrol recovery stage3 min_t 4000: only stations of 4,000 t or more, stage2 -> 264 mg/L" $PY -c "
from osgeo import ogr
a, b = ogr.Open('$T/pet.gpkg'), ogr.Open('$T/pet_s.gpkg')
n = 0
for f, g in zip(a.GetLayerByName('petrol'), b.GetLayerByName('petrol')):
    litres = f['gasoline_t'] / 0.74 * 1000
    want = litres * (264 if f['gasoline_t'] >= 4000 else {'stage2': 372, 'stage3': 264}[f['vr_class']]) / 1e9
    assert abs(g['vocs'] - want) <= 1e-9 * want, (f['sid'], g['vocs'], want)
    n += f['gasoline_t'] >= 4000 and f['vr_class'] == 'stage2'
assert n > 0, n"

# non-road machinery: the oracle; the NEV share measure moves work to electric machines
$I -q -f $F -nonroad $S/machinery.shp $T/nr.gpkg
check "nonroad: every site matches the independent oracle" $PY tests/cli/inventory_oracle.py $F $T/nr.gpkg
# GDAL's output flags on a file: -nln names the one layer; with two sectors it is refused
check "-nln with one sector" $I -q -f $F -boiler $S/boilers.shp -nln 锅炉 $T/nln.gpkg
check "-nln: the layer is named so" sh -c "ogrinfo -q $T/nln.gpkg | grep -q '锅炉'"
expect_fail "-nln with two sectors" 2 "-nln names one layer; this run writes several" $T/nln2.gpkg \
  $I -q -f $F -boiler $S/boilers.shp -nonroad $S/machinery.shp -nln x $T/nln2.gpkg
expect_fail "-append to a file" 2 "-append adds rows to a database table" $T/nln3.gpkg \
  $I -q -f $F -boiler $S/boilers.shp -append $T/nln3.gpkg
# -default load=0.3 (the registry has no load field): every site's emissions scale by
# 0.3 / the table's 0.59, as with a load field of 0.3
$I -q -f $F -nonroad $S/machinery.shp -default load=0.3 $T/nr_l.gpkg
check "nonroad -default load=0.3: each site x 0.3 / 0.59" $PY -c "
from osgeo import ogr
a, b = ogr.Open('$T/nr.gpkg'), ogr.Open('$T/nr_l.gpkg')
n = 0
for f, g in zip(a.GetLayer(0), b.GetLayer(0)):
    for c in ('nox', 'pm25', 'co2'):
        assert abs(g[c] - f[c] * 0.3 / 0.59) <= 1e-12 * max(f[c], 1), (c, f[c], g[c])
    n += 1
assert n == 30, n"
expect_fail "nonroad -default load above 1" 1 "field 'load': load factor 1.5 is above 1" $T/nr_l2.gpkg \
  $I -q -f $F -nonroad $S/machinery.shp -default load=1.5 $T/nr_l2.gpkg
printf 'nonroad nev 70%%\n' > $T/nr_m.txt
$I -q -f $F -m $T/nr_m.txt -nonroad $S/machinery.shp $T/nr_s.gpkg
check "nonroad nev 70%: combustion sites keep 30 % of their NOx, the rest is electric (scope 2)" $PY -c "
from osgeo import ogr
a, b = ogr.Open('$T/nr.gpkg'), ogr.Open('$T/nr_s.gpkg')
n = 0
for f, g in zip(a.GetLayerByName('nonroad'), b.GetLayerByName('nonroad')):
    kwh = f['kw'] * f['hours'] * 0.59
    if f['stage'] == 'NEV':
        assert g['co2_s2'] == f['co2_s2'] and g['nox'] == 0
        continue
    assert abs(g['nox'] - 0.3 * f['nox']) <= 1e-9 * f['nox'], f['site']
    assert abs(g['co2_s2'] - 0.7 * kwh * 596 / 1e6) <= 1e-9 * g['co2_s2'], f['site']
    n += 1
assert n > 10, n"

# auto-repair shops: the oracle, and the upgrade to spray centres of the larger shops
$I -q -f $F -autorepair $S/repair_shops.shp $T/ar.gpkg
check "autorepair: every shop matches the independent oracle" $PY tests/cli/inventory_oracle.py $F $T/ar.gpkg
printf 'autorepair upgrade center min_kg 1500\n' > $T/ar_m.txt
$I -q -f $F -m $T/ar_m.txt -autorepair $S/repair_shops.shp $T/ar_s.gpkg
check "autorepair upgrade center min_kg 1500: shops of 1,500 kg or more at 80 % removal" $PY -c "
from osgeo import ogr
a, b = ogr.Open('$T/ar.gpkg'), ogr.Open('$T/ar_s.gpkg')
n = 0
for f, g in zip(a.GetLayerByName('autorepair'), b.GetLayerByName('autorepair')):
    rem = 0.8 if f['coating_kg'] >= 1500 else {'none': 0, 'carbon': 0.3, 'center': 0.8}[f['control']]
    want = f['coating_kg'] * 0.6 * (1 - rem) / 1000
    assert abs(g['vocs'] - want) <= 1e-9 * want, (f['shop'], g['vocs'], want)
    n += f['coating_kg'] >= 1500 and f['control'] != 'center'
assert n >= 20, n"

# an analyst's registry: Chinese field names and values (有/无, 川菜...), no days field:
# -map, -values and -default give the same emissions as the clean sample with 330 days
ogr2ogr -f GPKG -dialect SQLite -nln reg -sql "SELECT geometry, stoves AS 灶头数, CASE cuisine WHEN 'chinese' THEN '中餐' WHEN 'hotpot' THEN '火锅' WHEN 'bbq' THEN '烧烤' WHEN 'western' THEN '西餐' WHEN 'fastfood' THEN '快餐' ELSE '食堂' END AS 菜系, hours AS 营业时长, CASE purifier WHEN 1 THEN '有' ELSE '无' END AS 净化器, pur_class AS 净化器等级 FROM restaurants_gcj02" $T/reg.gpkg $S/restaurants_gcj02.shp
ogr2ogr -f GPKG -dialect SQLite -nln clean -sql "SELECT geometry, stoves, cuisine, hours, 330 AS days, purifier, pur_class FROM restaurants_gcj02" $T/clean.gpkg $S/restaurants_gcj02.shp
$I -q -f $F -catering $T/clean.gpkg -s_coord catering=gcj02 $T/clean_inv.gpkg
MAPS="-map stoves=灶头数 -map cuisine=菜系 -map catering.hours=营业时长 -map purifier=净化器 -map pur_class=净化器等级"
$I -q -f $F -catering $T/reg.gpkg -s_coord catering=gcj02 $MAPS -values purifier:有=1,无=0 \
  -values cuisine:中餐=chinese,火锅=hotpot,烧烤=bbq,西餐=western,快餐=fastfood,食堂=canteen -default days=330 $T/reg_inv.gpkg
check "a registry in Chinese through -map, -values and -default: the same emissions as the clean one" $PY -c "
from osgeo import ogr
a, b = ogr.Open('$T/clean_inv.gpkg'), ogr.Open('$T/reg_inv.gpkg')
n = 0
for f, g in zip(a.GetLayer(0), b.GetLayer(0)):
    for c in ('nox', 'vocs', 'pm25', 'fume', 'co2'):
        assert f[c] == g[c], (n, c, f[c], g[c])
    n += 1
assert n == 12850, n"
# the same registry as analysts send it: a GBK shapefile without .cpg (names and values
# in GBK), a CSV with lon/lat columns, an Excel sheet; each gives the clean emissions. The
# GBK one is read in the same run as a UTF-8 shapefile with Chinese names (boilers), which
# -enc catering=GBK must leave alone.
VALS="-values purifier:有=1,无=0 -values cuisine:中餐=chinese,火锅=hotpot,烧烤=bbq,西餐=western,快餐=fastfood,食堂=canteen -default days=330"
ogr2ogr -lco ENCODING=CP936 $T/reg_gbk.shp $T/reg.gpkg reg
rm -f $T/reg_gbk.cpg
$PY -c "f = open('$T/reg_gbk.dbf', 'r+b'); f.seek(29); f.write(b'\x00')"  # no code page mark
ogr2ogr -lco ENCODING=UTF-8 -dialect SQLite -sql "SELECT geometry, bid, gas_10k AS 燃气, nox_class AS 低氮, fuel AS 燃料 FROM boilers" $T/boilers_cn.shp $S/boilers.shp
$I -q -f $F -boiler $S/boilers.shp $T/clean_boil.gpkg
expect_fail "a GBK registry without -enc: the message suggests -enc" 1 "has no field '灶头数' .*-enc GBK" $T/g0.gpkg \
  $I -q -f $F -catering $T/reg_gbk.shp -s_coord catering=gcj02 $MAPS $VALS $T/g0.gpkg
check "GBK registry (-enc catering=GBK) + UTF-8 boilers in one run" $I -q -f $F -catering $T/reg_gbk.shp \
  -enc catering=GBK -s_coord catering=gcj02 $MAPS $VALS -boiler $T/boilers_cn.shp -map boiler.gas=燃气 \
  -map nox_class=低氮 -map fuel=燃料 $T/gbk_inv.gpkg
ogr2ogr -f CSV -dialect SQLite -sql "SELECT ST_X(geometry) AS lon, ST_Y(geometry) AS lat, 灶头数, 菜系, 营业时长, 净化器, 净化器等级 FROM reg" $T/reg.csv $T/reg.gpkg
check "CSV registry (-oo X/Y_POSSIBLE_NAMES, -s_srs)" $I -q -f $F -catering $T/reg.csv -oo X_POSSIBLE_NAMES=lon \
  -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326 -s_coord catering=gcj02 $MAPS $VALS $T/csv_inv.gpkg
ogr2ogr -f XLSX -nln 餐饮 -dialect SQLite -sql "SELECT ST_X(geometry) AS lon, ST_Y(geometry) AS lat, 灶头数, 菜系, 营业时长, 净化器, 净化器等级 FROM reg" $T/reg.xlsx $T/reg.gpkg
check "Excel registry (-oo HEADERS=FORCE, points by -sql MakePoint)" $I -q -f $F -catering $T/reg.xlsx \
  -oo HEADERS=FORCE -dialect SQLITE -sql "SELECT MakePoint(lon, lat, 4326) AS geometry, * FROM 餐饮" \
  -s_coord catering=gcj02 $MAPS $VALS $T/xlsx_inv.gpkg
check "GBK, CSV and Excel registries: the clean emissions, source by source; the boilers too" $PY -c "
from osgeo import ogr
clean = ogr.Open('$T/clean_inv.gpkg')
ref = [(f['nox'], f['vocs'], f['pm25'], f['fume'], f.GetGeometryRef().GetX()) for f in clean.GetLayer(0)]
assert len(ref) == 12850
for path in ('$T/gbk_inv.gpkg', '$T/csv_inv.gpkg', '$T/xlsx_inv.gpkg'):
    ds = ogr.Open(path)
    got = [(f['nox'], f['vocs'], f['pm25'], f['fume'], f.GetGeometryRef().GetX()) for f in ds.GetLayerByName('catering')]
    assert len(got) == 12850, (path, len(got))
    for a, b in zip(ref, got):
        assert all(abs(x - y) <= 1e-12 * max(abs(x), 1) for x, y in zip(a[:4], b[:4])), (path, a, b)
        assert abs(a[4] - b[4]) < 1e-9, (path, a[4], b[4])
    if path.endswith('gbk_inv.gpkg'):
        names = [f['菜系'] for f in ds.GetLayerByName('catering')]
        assert names.count('中餐') > 1000, names[:5]
        cb, gb = ogr.Open('$T/clean_boil.gpkg'), ds.GetLayerByName('boiler')
        x = sorted((f['bid'], f['nox'], f['fuel']) for f in cb.GetLayer(0))
        y = sorted((f['bid'], f['nox'], f['燃料']) for f in gb)
        assert len(x) == 300 and x == y, (len(x), len(y), x[:2], y[:2])
print('ok')"
expect_fail "a value that -values does not map" 1 "field '净化器': value '有' is not a number and not in its -values mapping" $T/reg2.gpkg $I -q -f $F -catering $T/reg.gpkg $MAPS -values purifier:是=1,否=0 -values cuisine:中餐=chinese -default days=330 $T/reg2.gpkg
expect_fail "a class that -values leaves unknown" 1 "field '菜系': unknown cuisine '[^']+' \\(known: chinese" $T/reg3.gpkg $I -q -f $F -catering $T/reg.gpkg $MAPS -values purifier:有=1,无=0 -values cuisine:中餐=chinese -default days=330 $T/reg3.gpkg
expect_fail "-values without FROM=TO" 2 "-values: '有' is not FROM=TO" $T/reg4.gpkg $I -q -f $F -catering $T/reg.gpkg -values purifier:有 $T/reg4.gpkg
expect_fail "-default of an unknown key" 2 "-default: unknown key 'weekdays'" $T/reg5.gpkg $I -q -f $F -catering $T/reg.gpkg -default weekdays=5 $T/reg5.gpkg
expect_fail "a missing field without -default" 1 "catering.days: layer 'reg' has no field 'days' \\(fields: 灶头数" $T/reg6.gpkg $I -q -f $F -catering $T/reg.gpkg $MAPS -values purifier:有=1,无=0 -values cuisine:中餐=chinese $T/reg6.gpkg

# Monte-Carlo of the factors' uncertainty: the same seed gives the same bytes; each
# total's central value lies in its interval; rows without an uncertainty do not move
$I -q -f $F -m $M -boiler $S/boilers.shp -road $S/roads.gpkg -mc 200 -seed 3 -mc_out $T/mc1.csv -totals $T/mc_tot.csv $T/mc1.gpkg
$I -q -f $F -m $M -boiler $S/boilers.shp -road $S/roads.gpkg -mc 200 -seed 3 -mc_out $T/mc2.csv $T/mc2.gpkg
check "-mc: same seed, same bytes" cmp $T/mc1.csv $T/mc2.csv
# -mc_inventories: each draw written as an inventory (the scenario's, with -m): its
# totals, summed by OGR, are the -mc_draws row of that draw; draws differ from each other
mkdir -p $T/mcinv
$I -q -f $F -m $M -boiler $S/boilers.shp -road $S/roads.gpkg -mc 4 -seed 5 -mc_draws $T/mcd.csv \
  -mc_sectors $T/mcs.csv -totals $T/mcs_tot.csv -mc_inventories $T/mcinv $T/mcinv.gpkg
check "-mc_inventories: each draw's inventory = its -mc_draws totals" $PY -c "
import csv
from osgeo import ogr
rows = {(r['draw'], r['pollutant']): float(r['scenario_t']) for r in csv.DictReader(open('$T/mcd.csv'))}
nox = []
for d in range(1, 5):
    ds = ogr.Open('$T/mcinv/draw_%03d.gpkg' % d)
    for pol, col in (('NOx', 'nox'), ('PM2.5', 'pm25'), ('CO2', 'co2')):
        tot = sum(f[col] for l in ds for f in l)
        want = rows[(str(d), pol)]
        assert abs(tot - want) <= 1e-6 * abs(want), (d, pol, tot, want)
        if pol == 'NOx': nox.append(tot)
assert len(set(nox)) == 4, nox"
check "-mc_sectors: each draw's sector rows sum to its -mc_draws row, draw 0 is -totals, each sector's draw is its inventory's layer" $PY -c "
import csv
from osgeo import ogr
rows = list(csv.DictReader(open('$T/mcs.csv')))
assert {r['sector'] for r in rows} == {'boiler', 'road'} and {r['draw'] for r in rows} == {'0', '1', '2', '3', '4'}
tot = {(r['draw'], r['pollutant']): float(r['scenario_t']) for r in csv.DictReader(open('$T/mcd.csv'))}
for d in '1234':
    for pol in ('NOx', 'PM2.5'):
        s = sum(float(r['scenario_t']) for r in rows if r['draw'] == d and r['pollutant'] == pol)
        assert abs(s - tot[(d, pol)]) <= 1e-6 * tot[(d, pol)], (d, pol)
cen = {(r['sector'], r['pollutant']): float(r['baseline_t']) for r in csv.DictReader(open('$T/mcs_tot.csv')) if r['sector'] != 'total'}
for r in rows:
    if r['draw'] == '0':
        assert abs(float(r['baseline_t']) - cen[(r['sector'], r['pollutant'])]) <= 1e-6 * max(1, cen[(r['sector'], r['pollutant'])]), r
ds = ogr.Open('$T/mcinv/draw_002.gpkg')
for sec in ('boiler', 'road'):
    got = sum(f['nox'] for f in ds.GetLayerByName(sec))
    want = [float(r['scenario_t']) for r in rows if r['draw'] == '2' and r['sector'] == sec and r['pollutant'] == 'NOx'][0]
    assert abs(got - want) <= 1e-6 * want, (sec, got, want)"
expect_fail "-mc_inventories without -mc" 2 "need -mc N" $T/mi2.gpkg $I -q -f $F -boiler $S/boilers.shp -mc_inventories $T/mcinv $T/mi2.gpkg
# -mc_inventories is a folder output like the others: swapped whole, so that two runs'
# draws never mix (after -mc 6 then -mc 3, DIR held draws 1-3 of the second run and 4-6 of
# the first), and a folder onemap did not write is refused
$I -q -f $F -boiler $S/boilers.shp -mc 6 -seed 1 -mc_inventories $T/mix $T/mix1.gpkg
$I -q -f $F -boiler $S/boilers.shp -mc 3 -seed 2 -mc_draws $T/mix_d.csv -mc_inventories $T/mix $T/mix2.gpkg
check "a second run's draws replace the first's whole (3 draws, no draw_004)" sh -c "ls $T/mix | grep -c '^draw_' | grep -qx 3 && test ! -e $T/mix/draw_004.gpkg"
check "  and they are the second run's (draw 1 = its -mc_draws row)" $PY -c "
import csv
from osgeo import ogr
want = [float(r['baseline_t']) for r in csv.DictReader(open('$T/mix_d.csv')) if r['draw'] == '1' and r['pollutant'] == 'NOx'][0]
ds = ogr.Open('$T/mix/draw_001.gpkg'); tot = sum(f['nox'] for l in ds for f in l)
assert abs(tot - want) <= 1e-6 * want, (tot, want)"
mkdir -p $T/mine && echo keep > $T/mine/notes.txt
expect_fail "-mc_inventories into a folder onemap did not write" 2 "mine" $T/mi3.gpkg \
  $I -q -f $F -boiler $S/boilers.shp -mc 2 -mc_inventories $T/mine $T/mi3.gpkg
check "  the folder is left as it was" sh -c "test \"\$(ls -A $T/mine)\" = notes.txt && grep -qx keep $T/mine/notes.txt"
expect_fail "-mc_inventories under a missing folder: nothing written" 1 "folder '$T/nosuch' does not exist" $T/mi4.gpkg \
  $I -q -f $F -boiler $S/boilers.shp -mc 2 -mc_inventories $T/nosuch/draws $T/mi4.gpkg

check "-mc: the central totals inside their 95 % intervals, fleet-independent rows fixed" $PY -c "
import csv
c = {(r['sector'], r['pollutant']): r for r in csv.DictReader(open('$T/mc_tot.csv'))}
m = {(r['sector'], r['pollutant']): r for r in csv.DictReader(open('$T/mc1.csv'))}
for k in (('total', 'NOx'), ('road', 'VOCs'), ('boiler', 'NOx')):
    b, s = float(c[k]['baseline_t']), float(c[k]['scenario_t'])
    assert float(m[k]['baseline_t_lo95']) < b < float(m[k]['baseline_t_hi95']), (k, m[k], b)
    assert float(m[k]['scenario_t_lo95']) < s < float(m[k]['scenario_t_hi95']), (k, m[k], s)
    assert m[k]['draws'] == '200'
# boiler CO2 varies only by its 5 % (x/÷ 1.05; 200 draws: within 8 % allowing for sampling)
b = float(c['boiler', 'CO2']['baseline_t'])
assert b / 1.08 < float(m['boiler', 'CO2']['baseline_t_lo95']) and float(m['boiler', 'CO2']['baseline_t_hi95']) < b * 1.08"
expect_fail "-mc_out without -mc" 2 "-mc_out, -mc_draws, -mc_sectors and -mc_inventories need -mc N" $T/mcx.gpkg $I -q -f $F -boiler $S/boilers.shp -mc_out $T/mcx.csv $T/mcx.gpkg
printf 'sector,class,pollutant,value,unit,source,uncertainty\nboiler,low,NOx,1,g/m3,s,forty\n' > $T/badu.csv
expect_fail "an uncertainty that is not a percentage" 1 "badu.csv:2: uncertainty 'forty' is not a percentage" $T/badu.gpkg $I -q -f $T/badu.csv -boiler $S/boilers.shp $T/badu.gpkg

check "plausible magnitudes: road NOx 500-10000 t/yr, boiler CO2 0.1-5 Mt" $PY -c "
import csv
t = {(r['sector'], r['pollutant']): float(r['baseline_t']) for r in csv.DictReader(open('$T/tot.csv'))}
assert 500 < t['road', 'NOx'] < 10000 and 1e5 < t['boiler', 'CO2'] < 5e6, t"

# scenario
$I -f $F -m $M $ALL -totals $T/scen.csv $T/scen.gpkg > $T/scen.out 2>/dev/null
check "scenario run" test $? = 0
check "scenario table printed" grep -q "^Change (%)" $T/scen.out
check "scenario has the same schema" sh -c "ogrinfo -so -al $T/scen.gpkg | grep -E ': (Real|String|Integer)' > $T/s1; grep -E ': (Real|String|Integer)' $T/info > $T/s2; cmp $T/s1 $T/s2"
check "scenario cuts boiler NOx, catering PM2.5, road NOx; CO2 of boilers unchanged" $PY -c "
import csv
t = {(r['sector'], r['pollutant']): r for r in csv.DictReader(open('$T/scen.csv'))}
ch = lambda s, p: float(t[s, p]['change_pct'])
assert ch('boiler', 'NOx') < -20 and ch('catering', 'PM2.5') < -20 and ch('road', 'NOx') < -5
assert ch('boiler', 'CO2') == 0 and abs(ch('area', 'PM10') + 30) < 1e-9"
check "retrofitted boilers are all >= 2 MW, were conv, and say so" $PY -c "
from osgeo import ogr
n = 0
ds = ogr.Open('$T/scen.gpkg')
for f in ds.GetLayerByName('boiler'):
    if 'retrofit' in f['measures']:
        n += 1; assert f['cap_mw'] >= 2 and f['nox_class'] == 'conv'
    elif f['nox_class'] == 'conv': assert f['cap_mw'] < 2
assert n > 0"

# field mapping, and a registry in another format (GeoJSON)
cat > $T/r.geojson <<'G'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"zaotou":3,"cuisine":"chinese","hours":10,"days":300,"purifier":0},"geometry":{"type":"Point","coordinates":[116.45,39.95]}}]}
G
check "-map catering.stoves=zaotou" $I -q -f $F -map stoves=zaotou -catering $T/r.geojson $T/map.gpkg
check "hand-computed restaurant: PM2.5 = 3 x 10 x 300 x 0.5 (in use) x (2.64 + 2.15 x 0.122) g" $PY -c "
from osgeo import ogr
ds = ogr.Open('$T/map.gpkg'); f = ds.GetLayer(0).GetNextFeature()
e = 4500 * (2.64 + 2.15 * 0.122) / 1e6
assert abs(f['pm25'] - e) < 1e-12, (f['pm25'], e)"

# bad inputs
O=$T/bad.gpkg
expect_fail "no -f" 2 "need -f FACTORS.csv" $O $I -catering $T/r.geojson $O
expect_fail "no input" 2 "no input: give at least one of -catering" $O $I -f $F $O
expect_fail "missing factor table" 1 "cannot open factor table 'nope.csv'" $O $I -f nope.csv -catering $T/r.geojson $O
expect_fail "unknown -map key" 2 "-map: unknown key 'zaotou'" $O $I -f $F -map zaotou=x -catering $T/r.geojson $O
expect_fail "a bare key two of the sectors read have" 2 "-map: ambiguous among the sectors read, prefix the sector: key 'hours'" $O $I -f $F -map hours=x -catering $T/r.geojson -nonroad $S/machinery.shp $O
# ... and the same bare key with one of them read is that sector's (it used to be refused)
$I -q -f $F -catering $T/pois.csv $CSVIN -default stoves=3 -default cuisine=chinese -default hours=10 -default days=330 $T/pois_bare.gpkg 2> $T/pois_bare.err
check "-default hours=10 with only the restaurants read: catering.hours, the same emissions" sh -c "grep -q 'catering.hours = 10 (-default) for 3 of 3' $T/pois_bare.err && $PY -c \"
from osgeo import ogr
a, b = ogr.Open('$T/pois.gpkg'), ogr.Open('$T/pois_bare.gpkg')
assert [f['pm25'] for f in a.GetLayer(0)] == [f['pm25'] for f in b.GetLayer(0)]\""
expect_fail "unknown -s_coord" 2 "-s_coord: 'mars' is not one of" $O $I -f $F -s_coord mars -catering $T/r.geojson $O
expect_fail "missing stoves field" 1 "catering.stoves: .*no field 'stoves'" $O $I -f $F -catering $T/r.geojson $O
sed 's/"chinese"/"thai"/' $T/r.geojson > $T/thai.geojson
expect_fail "unknown cuisine lists the known ones" 1 "layer 'thai', feature 0, field 'cuisine': unknown cuisine 'thai' \(known: chinese, hotpot, western, fastfood, canteen, bbq, roast_duck\)" $O $I -f $F -map stoves=zaotou -catering $T/thai.geojson $O
sed 's/"zaotou":3/"zaotou":-3/' $T/r.geojson > $T/neg.geojson
expect_fail "negative stoves" 1 "feature 0, field 'zaotou'.*negative" $O $I -f $F -map stoves=zaotou -catering $T/neg.geojson $O
sed 's/"hours":10/"hours":null/' $T/r.geojson > $T/null.geojson
expect_fail "missing hours" 1 "feature 0, field 'hours'" $O $I -f $F -map stoves=zaotou -catering $T/null.geojson $O
sed 's/"purifier":0/"purifier":1/' $T/r.geojson > $T/pur.geojson
expect_fail "purifier without its class" 1 "has purifiers but no field 'pur_class'" $O $I -f $F -map stoves=zaotou -catering $T/pur.geojson $O
road() { # road FILE AADT SHARES(car,taxi,bus,lgv,hdt) COORDS
  cat > $1 <<G
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32650"}},"features":[
{"type":"Feature","properties":{"aadt":$2,"speed":50,$3},"geometry":{"type":"LineString","coordinates":$4}}]}
G
}
SH='"f_car":0.7,"f_taxi":0.1,"f_bus":0.05,"f_lgv":0.1,"f_hdt":0.05'
road $T/zero.geojson 1000 "$SH" "[[450000,4420000],[450000,4420000]]"
expect_fail "road of zero length" 1 "layer 'zero', feature 0: zero length" $O $I -f $F -road $T/zero.geojson $O
road $T/sh.geojson 1000 '"f_car":0.5,"f_taxi":0.1,"f_bus":0.05,"f_lgv":0.1,"f_hdt":0.05' "[[450000,4420000],[451000,4420000]]"
expect_fail "fleet shares not summing to 1" 1 "feature 0: the vehicle shares \(f_\*\) sum to 0.8, not 1" $O $I -f $F -road $T/sh.geojson $O
check "-renorm rescales them" $I -q -f $F -renorm -road $T/sh.geojson $T/renorm.gpkg
road $T/nobus.geojson 1000 '"f_car":0.9,"f_taxi":0.1' "[[450000,4420000],[451000,4420000]]"
expect_fail "a vehicle class without its share field" 1 "share of vehicle class 'bus'.*no field 'f_bus'" $O $I -f $F -road $T/nobus.geojson $O
expect_fail "points given as roads" 1 "road: layer .boilers. holds Points; road sources are lines" $O $I -f $F -road $S/boilers.shp $O
expect_fail "lines given as restaurants" 1 "catering: layer .roads. holds Line Strings; catering sources are points" $O $I -f $F -catering $S/roads.gpkg $O
printf 'road nev bike 0.8\n' > $T/m1.txt
expect_fail "unknown vehicle class in measures" 1 "m1.txt:1: unknown vehicle class 'bike' \(known: car, taxi, bus, lgv, hdt\)" $O $I -f $F -m $T/m1.txt -road $S/roads.gpkg $O
printf '# ok\nboiler retrofit\nboiler repaint\n' > $T/m2.txt
expect_fail "bad measure line" 1 "m2.txt:3: unknown measure 'boiler repaint'" $O $I -f $F -m $T/m2.txt -boiler $S/boilers.shp $O
printf 'sector,class,pollutant,value,unit,source\nboiler,low,NOx,0.3,mg/m3,x\n' > $T/f1.csv
printf 'sector,class,pollutant,value,unit,source\nboiler,low,NOx,0.3,g/m3,x\n' > $T/f2.csv
expect_fail "factor in the wrong unit" 1 "f1.csv:2: boiler rows are in g/m3" $O $I -f $T/f1.csv -boiler $S/boilers.shp $O
expect_fail "factor table without the sector" 1 "the factor table has no catering rows" $O $I -f $T/f2.csv -catering $T/r.geojson $O
expect_fail "an inventory as input" 1 "already has a field 'nox'" $O $I -f $F -l boiler=boiler -boiler $T/base.gpkg $O
expect_fail "multi-layer input without -l" 2 "has 4 layers; name one with -l boiler=LAYER" $O $I -f $F -boiler $T/base.gpkg $O
# -t_srs, -totals -, -of, capacity x hours, -share_tol
check "-t_srs EPSG:32650" $I -q -f $F $ALL -t_srs EPSG:32650 $T/utm.gpkg
check "-t_srs: catering layer in EPSG:32650" sh -c "ogrinfo -so $T/utm.gpkg catering | grep -q 'ID\[\"EPSG\",32650\]'"
check "-t_srs: same emissions" $PY -c "
from osgeo import ogr
a, b = ogr.Open('$T/base.gpkg'), ogr.Open('$T/utm.gpkg')
for l in ('catering', 'boiler', 'road', 'area'):
    x = sum(f['pm25'] for f in a.GetLayerByName(l)); y = sum(f['pm25'] for f in b.GetLayerByName(l))
    assert abs(x - y) <= 1e-9 * x, (l, x, y)"
$I -f $F $ALL -totals - $T/tot2.gpkg > $T/tot2.out 2>/dev/null
check "-totals - writes the CSV to stdout instead of the table" sh -c "head -1 $T/tot2.out | grep -q '^sector,pollutant,sources' && ! grep -q 'Emissions (t/yr)' $T/tot2.out"
check "-of SQLite" $I -q -f $F -of SQLite -boiler $S/boilers.shp $T/inv.sqlite
check "-of SQLite: boiler layer" sh -c "ogrinfo -so $T/inv.sqlite | grep -q boiler"
cat > $T/cap.geojson <<'G'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"cap_mw":2,"full_hours":2000,"nox_class":"low","fuel":"gas"},"geometry":{"type":"Point","coordinates":[116.45,39.95]}}]}
G
check "boiler gas from capacity x full-load hours" $I -q -f $F -boiler $T/cap.geojson $T/cap.gpkg
check "hand-computed: NOx = 2 MW x 2000 h x 103 m3/MWh x 0.306 g/m3" $PY -c "
from osgeo import ogr
ds = ogr.Open('$T/cap.gpkg'); f = ds.GetLayer(0).GetNextFeature()
e = 2 * 2000 * 103 * 0.306 / 1e6
assert abs(f['nox'] - e) < 1e-12, (f['nox'], e)"
sed 's/"fuel":"gas"/"fuel":"coal"/' $T/cap.geojson > $T/coal.geojson
expect_fail "a fuel the factors do not cover" 1 "fuel 'coal' is not covered" $O $I -f $F -boiler $T/coal.geojson $O
check "-share_tol 0.3 accepts shares summing to 0.8" $I -q -f $F -share_tol 0.3 -road $T/sh.geojson $T/tol.gpkg
expect_fail "bad -share_tol" 2 "-share_tol: 'x' is not a number" $O $I -f $F -share_tol x -road $T/sh.geojson $O
check "--help documents the measures and keys" sh -c "$I --help | grep -q 'road.share_prefix=f_'"
# -default supplies every documented activity key when its field is absent: each key's
# inventory from a layer whose field holds the value equals one from the layer without it
# (tests/cli/defaults_oracle.py; 11 of 30 keys were ignored or refused before)
check "-default supplies every activity key of every sector" $PY tests/cli/defaults_oracle.py $BIN $SAMPLES $T
# a registry as analysts have it: ids and coordinates in a CSV
printf 'id,lon,lat,stoves,cuisine,hours,days\n1,116.45,39.92,4,chinese,10,330\n2,116.46,39.93,2,chinese,10,330\n' > $T/csvreg.csv
expect_fail "a CSV opened without its coordinate columns" 1 "catering: layer 'csvreg' has no geometry: .*-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat" $T/csvreg_inv.gpkg \
  $I -q -f $F -catering $T/csvreg.csv -s_srs EPSG:4326 $T/csvreg_inv.gpkg
check "  with them it is read, two sources with points" sh -c "$I -q -f $F -catering $T/csvreg.csv -s_srs EPSG:4326 -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat $T/csvreg_inv.gpkg 2>/dev/null && ogrinfo -so -al $T/csvreg_inv.gpkg | grep -q 'Geometry: Point' && ogrinfo -so -al $T/csvreg_inv.gpkg | grep -q 'Feature Count: 2'"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"stoves":2,"cuisine":"chinese","hours":10,"days":300},"geometry":null}]}' > $T/nogeom.geojson
expect_fail "a source without geometry" 1 "feature 0 has no geometry" $T/ng_inv.gpkg $I -q -f $F -catering $T/nogeom.geojson $T/ng_inv.gpkg
printf 'catering purifier\nreduce road all 10%%\n' > $T/unread.txt
$I -q -f $F -m $T/unread.txt -boiler $SAMPLES/boilers.shp $T/ur_inv.gpkg 2> $T/ur.err
check "measures for sectors the run does not read are named, one warning each" sh -c "grep -q 'unread.txt:1: this measure is for catering sources, and the run reads none (-catering)' $T/ur.err && grep -q 'unread.txt:2: this measure is for road sources' $T/ur.err"
expect_fail "-mc 1e12 is out of range, not 'not a whole number'" 2 "-mc: '1e12' is out of range \(0-100000\)" $T/mc.gpkg $I -f $F -mc 1e12 -boiler $SAMPLES/boilers.shp $T/mc.gpkg
expect_fail "-mc 2.5 is not a whole number" 2 "-mc: '2.5' is not a whole number" $T/mc.gpkg $I -f $F -mc 2.5 -boiler $SAMPLES/boilers.shp $T/mc.gpkg
# dust controls: a site lists its own (';'), 'none', or nothing (the required ones,
# assumed and said); each keeps (1 - efficiency) of PM10 and PM2.5 (the oracle); a
# scenario's 'area control NAME min_m2 X' adds one to the sites of X m2 or more
ogr2ogr -q -f GPKG $T/sites.gpkg $S/construction.shp -nln sites -sql "SELECT *, CASE WHEN sid % 3 = 0 THEN 'enclosure;watering' WHEN sid % 3 = 1 THEN 'none' ELSE NULL END AS controls FROM construction" -dialect SQLite
$BIN/sp-inventory -q -f $F -area $T/sites.gpkg $T/sites_inv.gpkg 2> $T/sites.err
check "dust controls: each site as its registry says, the required ones where it says nothing (oracle)" $PY tests/cli/inventory_oracle.py $F $T/sites_inv.gpkg
check "  the required controls assumed for the sites without a value, said" grep -q "area: assumed area.controls from the factor table for [1-9][0-9]* of 40 sources" $T/sites.err
$BIN/sp-inventory -q -f $F -area $S/construction.shp $T/dust_base.gpkg 2>/dev/null
printf 'area control fog_cannon min_m2 60000\n' > $T/fog.txt
$BIN/sp-inventory -q -f $F -m $T/fog.txt -area $S/construction.shp $T/dust_fog.gpkg 2>/dev/null
check "area control fog_cannon min_m2 60000: sites of 6 ha or more keep (1 - its efficiency) of PM, the others unchanged" $PY -c "
import csv
from osgeo import ogr
eff = [float(r['value']) for r in csv.DictReader(l for l in open('$F', encoding='utf-8') if not l.startswith('#')) if r['sector'] == 'dustcontrol' and r['class'] == 'fog_cannon' and r['pollutant'] == '*'][0]
a, b = ogr.Open('$T/dust_base.gpkg'), ogr.Open('$T/dust_fog.gpkg')
big = small = 0
for fa, fb in zip(a.GetLayer('area'), b.GetLayer('area')):
    g = fa.GetGeometryRef()
    for c in ('pm25', 'pm10'):
        want = fa.GetField(c) * ((1 - eff) if fb.GetField('measures') else 1)
        assert abs(fb.GetField(c) - want) <= 1e-9 * want, (c, fb.GetField(c), want)
    big += bool(fb.GetField('measures')); small += not fb.GetField('measures')
    assert fb.GetField('nox') == fa.GetField('nox')
assert big > 0 and small > 0, (big, small)"
ogr2ogr -q -f GPKG $T/sites_bad.gpkg $S/construction.shp -nln sites -sql "SELECT *, 'enclosure;fence' AS controls FROM construction" -dialect SQLite
expect_fail "a site naming an unknown dust control" 1 "field 'controls': unknown dust control 'fence' \\(known: enclosure, covering" $T/sbad.gpkg $BIN/sp-inventory -q -f $F -area $T/sites_bad.gpkg $T/sbad.gpkg
printf 'area control shield\n' > $T/fog_bad.txt
expect_fail "a measure naming an unknown dust control" 1 "fog_bad.txt:1: unknown dust control 'shield' \\(known: enclosure" $T/mbad.gpkg $BIN/sp-inventory -q -f $F -m $T/fog_bad.txt -area $S/construction.shp $T/mbad.gpkg
{ cat $F; echo 'dustcontrol,net,PM10,1.2,fraction,"x",'; } > $T/f_badctl.csv
expect_fail "a dust control efficiency of 1.2" 1 "f_badctl.csv:[0-9]+: dustcontrol rows are" $T/cbad.gpkg $BIN/sp-inventory -q -f $T/f_badctl.csv -area $S/construction.shp $T/cbad.gpkg

end
