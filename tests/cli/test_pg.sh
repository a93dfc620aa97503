#!/bin/sh
# End-to-end tests against a real PostgreSQL 15 + PostGIS 3 server (tests/pg/server.sh
# starts one in a temporary folder, on a socket, and this script stops it): the sample
# registries and streets loaded with ogr2ogr; sp-inventory and sp-zonal reading from PG:
# and writing back to PG:, checked against the file-based runs by an OGR script; -overwrite
# and -append; a failure in the middle leaves the table as it was; a password never shows.
# Without the server (make test installs postgresql-15 postgresql-15-postgis-3), every
# check here counts as failed: they did not run.
. tests/cli/lib.sh
service tests/pg/server.sh "PostgreSQL + PostGIS"
PG=$SERVICE PGD=$SERVICE_DIR
INV=$BIN/sp-inventory ZON=$BIN/sp-zonal CONV=$BIN/sp-convert F=samples/factors.csv
sql() { psql -h "$PGD" -U postgres -d onemap -qAt -c "$1"; }

# the registries and streets in the database, as a district keeps them
for l in restaurants_gcj02:restaurants boilers:boilers streets:streets; do
  check "ogr2ogr loads ${l%%:*}" ogr2ogr -f PostgreSQL "$PG" "$SAMPLES/${l%%:*}.shp" -nln "${l#*:}"
done
check "restaurants in PG: 12850 rows" test "$(sql 'select count(*) from restaurants')" = 12850

# the same inventory from files and from the database, written to a file and to PG
check "inventory from files" $INV -q -f $F -catering $SAMPLES/restaurants_gcj02.shp -s_coord catering=gcj02 \
  -boiler $SAMPLES/boilers.shp $T/file.gpkg
check "inventory PG -> PG" $INV -q -f $F -catering "$PG" -l catering=restaurants -s_coord catering=gcj02 \
  -boiler "$PG" -l boiler=boilers "$PG"
check "inventory PG -> file" $INV -q -f $F -catering "$PG" -l catering=restaurants -s_coord catering=gcj02 \
  -boiler "$PG" -l boiler=boilers $T/frompg.gpkg
# the oracle: every source's emissions, matched by its id field, read with OGR
cat > "$T/same.py" <<'PYEOF'
import sys
from osgeo import ogr
a, b = sys.argv[1], sys.argv[2]
layers = dict(x.split(":") for x in sys.argv[3].split(","))  # layer:id field
POL = ["nox", "vocs", "pm25", "pm10", "so2", "co", "co2", "fume", "co2_s2"]
da, db = ogr.Open(a), ogr.Open(b)  # kept alive while their layers are read
def rows(ds, name):
    out, key = {}, layers[name]
    for f in ds.GetLayerByName(name):
        g = f.GetGeometryRef()
        out[f.GetField(key)] = ([f.GetField(p) for p in POL], g.GetX(), g.GetY())
    return out
for name in layers:
    ra, rb = rows(da, name), rows(db, name)
    assert len(ra) == len(rb) > 0 and ra.keys() == rb.keys(), (name, len(ra), len(rb))
    for k in ra:
        va, vb = ra[k], rb[k]
        for x, y in zip(va[0], vb[0]):
            assert abs(x - y) <= 1e-9 * max(abs(y), 1e-12), (name, k, x, y)
        assert abs(va[1] - vb[1]) < 1e-9 and abs(va[2] - vb[2]) < 1e-9, (name, k, va[1:], vb[1:])
print("same", layers)
PYEOF
check "PG tables = file layers, source by source (OGR)" $PY "$T/same.py" "$PG" $T/file.gpkg catering:rid,boiler:bid
check "PG input -> file = file input" $PY "$T/same.py" $T/frompg.gpkg $T/file.gpkg catering:rid,boiler:bid
sum0=$(sql 'select round(sum(nox)::numeric, 6) from catering')

# an existing table: refused without -overwrite, nothing written
expect_fail "existing table without -overwrite" 2 "table 'catering' exists .*-overwrite.*-append" "" \
  $INV -q -f $F -catering "$PG" -l catering=restaurants -m samples/measures.txt "$PG"
check "the refused run left the table as it was" test "$(sql 'select round(sum(nox)::numeric, 6) from catering')" = "$sum0"
check "a scenario with -overwrite (files)" $INV -q -f $F -m samples/measures.txt \
  -catering $SAMPLES/restaurants_gcj02.shp -s_coord catering=gcj02 $T/scen.gpkg
check "a scenario with -overwrite (PG)" $INV -q -f $F -m samples/measures.txt \
  -catering "$PG" -l catering=restaurants -s_coord catering=gcj02 -overwrite "$PG"
check "the replaced table holds the scenario" $PY "$T/same.py" "$PG" $T/scen.gpkg catering:rid
sum1=$(sql 'select round(sum(nox)::numeric, 6) from catering')

# a failure in the middle of the write (a bad row near the end): the transaction is rolled
# back, the table stays whole
sql "create table restaurants_bad as select * from restaurants; update restaurants_bad set stoves = -3 where rid = (select max(rid) - 5 from restaurants_bad)"
expect_fail "a negative stove count near the end" 1 "negative" "" \
  $INV -q -f $F -catering "$PG" -l catering=restaurants_bad -s_coord catering=gcj02 -overwrite "$PG"
check "after the failed -overwrite the table is whole" \
  test "$(sql 'select count(*), round(sum(nox)::numeric, 6) from catering')" = "12850|$sum1"

# sp-zonal: the inventory and the streets from PG, the table back into PG
check "zonal from files" $ZON -q -v $T/scen.gpkg -l inventory=catering -a nox,pm25 -id code -include name \
  $SAMPLES/streets.shp $T/z.csv
check "zonal PG -> PG" $ZON -q -v "$PG" -l inventory=catering -a nox,pm25 -id code -include name \
  "$PG" -l zones=streets "$PG" -nln street_catering
check "the PG table = the CSV, street by street" $PY - "$PG" $T/z.csv <<'PYEOF'
import csv, sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
pg = {f.GetField("code"): f for f in ds.GetLayerByName("street_catering")}
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
assert len(rows) == len(pg) == 40, (len(rows), len(pg))
for r in rows:
    f = pg[r["code"]]
    assert f.GetField("name") == r["name"], (f.GetField("name"), r["name"])
    for c in ("nox_sum", "pm25_sum", "nox_density", "pm25_share", "nox_area_km2"):
        a, b = f.GetField(c), float(r[c])
        assert abs(a - b) <= 1e-9 * max(abs(b), 1e-12), (r["code"], c, a, b)
    assert f.GetGeometryRef() is not None and f.GetGeometryRef().GetArea() > 0
print("40 streets equal")
PYEOF
check "-append adds the rows" $ZON -q -v "$PG" -l inventory=catering -a nox,pm25 -id code -include name \
  "$PG" -l zones=streets "$PG" -nln street_catering -append
check "80 rows after -append" test "$(sql 'select count(*) from street_catering')" = 80
expect_fail "-append with other fields" 2 "has other fields than this run writes \(field 2: 'name' there, 'nox_sum' here\)" "" \
  $ZON -q -v "$PG" -l inventory=catering -a nox -id code "$PG" -l zones=streets "$PG" -nln street_catering -append
check "the refused -append left 80 rows" test "$(sql 'select count(*) from street_catering')" = 80
expect_fail "a database output without -nln" 2 "needs the table's name: give -nln" "" \
  $ZON -q -v "$PG" -l inventory=catering -a nox "$PG" -l zones=streets "$PG"
expect_fail "-overwrite and -append together" 2 "exclude each other" "" \
  $ZON -q -v "$PG" -l inventory=catering -a nox "$PG" -l zones=streets "$PG" -nln z2 -overwrite -append
check "no table z2 was made" test "$(sql "select count(*) from pg_tables where tablename = 'z2'")" = 0
# a password in the connection string never reaches a message
expect_fail "a message hides the password" 2 "password=\*\*\*" "" \
  $ZON -q -v "$PG" -l inventory=catering -a nox,pm25 -id code "$PG" -l zones=streets \
  "$PG password=s3cret" -nln street_catering
grep -q s3cret "$T/err" && bad "the password was printed" || ok
expect_fail "a database that does not exist" 1 "cannot open the database" "" \
  $ZON -q -v "$PG" -l inventory=catering -a nox "$PG" -l zones=streets "PG:host=$PGD dbname=nosuch user=postgres" -nln x
expect_fail "-append to a file" 2 "-append adds rows to a database table" "$T/a.gpkg" \
  $ZON -q -v $T/scen.gpkg -l inventory=catering -a nox $SAMPLES/streets.shp $T/a.gpkg -append

# Chinese text both ways: a street table from PG to a shapefile and back to PG
check "convert PG -> shapefile" $CONV -q "$PG" -l street_catering $T/sc.shp
check "convert shapefile -> PG (-nln)" $CONV -q $T/sc.shp "$PG" -nln sc_back
check "Chinese names survive PG -> shp -> PG" test \
  "$(sql "select count(*) from sc_back b join streets s on s.code = b.code and s.name = b.name where b.name like '示例%'")" = 80
end
