#!/bin/sh
# A stale SQLite journal beside an output: a viewer or editor that died while writing the
# old OUT.mbtiles / OUT.gpkg leaves a hot OUT-journal; before onemap renamed its new file
# into place, SQLite replayed that journal into the new file at the next open (truncated,
# "database disk image is malformed", exit 0). Oracle: the output equals, byte for byte, a
# fresh run's into an empty folder, before and after it is opened with Python's sqlite3.
. tests/cli/lib.sh
ST=$(pwd)/styles
$BIN/sp-inventory -q -f samples/factors.csv -road $SAMPLES/roads.gpkg $T/roads_inv.gpkg
$BIN/sp-grid -q -density -tr 200 200 -tap -t_srs EPSG:32650 -a nox $T/roads_inv.gpkg $T/nox.tif
# hot.py DB TABLE [SECONDS]: a writer that dies (or, with SECONDS, waits) in the middle of a
# transaction whose pages spilled to the file: its journal is left hot
cat > $T/hot.py <<'PYEOF'
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA cache_size=1")
db.execute("BEGIN IMMEDIATE")
for (name,) in db.execute("SELECT name FROM pragma_table_info(?)", (sys.argv[2],)).fetchall()[:1]:
    pass
db.execute(f"DELETE FROM {sys.argv[2]}")
db.execute("CREATE TABLE junk(x)")
db.executemany("INSERT INTO junk VALUES (zeroblob(4000))", [()] * 200)
if len(sys.argv) > 3:
    print("holding", flush=True)
    time.sleep(float(sys.argv[3]))
os._exit(0)
PYEOF
same_after_open() { # FILE FRESH: equal bytes, then opened by SQLite, still equal and sound
  cmp -s "$1" "$2" && $PY -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); assert db.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'
db.close()" "$1" && cmp -s "$1" "$2" && [ ! -e "$1-journal" ]; }

# sp-tiles into an MBTiles file whose old copy has a hot journal
$BIN/sp-tiles -q -z 10-12 -style $ST/nox_density.txt $T/nox.tif $T/t.mbtiles
mkdir $T/fresh
$BIN/sp-tiles -q -z 10-11 -style $ST/nox_density.txt $T/nox.tif $T/fresh/t.mbtiles
$PY $T/hot.py $T/t.mbtiles images
check "the dead writer left a hot journal" test -s $T/t.mbtiles-journal
check "sp-tiles over it" $BIN/sp-tiles -q -z 10-11 -style $ST/nox_density.txt $T/nox.tif $T/t.mbtiles
check "  the new MBTiles is the fresh run's, also after SQLite opened it; no journal left" \
  same_after_open $T/t.mbtiles $T/fresh/t.mbtiles

# sp-inventory into a GeoPackage whose old copy has a hot journal
$BIN/sp-inventory -q -f samples/factors.csv -road $SAMPLES/roads.gpkg -boiler $SAMPLES/boilers.shp $T/inv.gpkg
$BIN/sp-inventory -q -f samples/factors.csv -road $SAMPLES/roads.gpkg $T/fresh/inv.gpkg
$PY $T/hot.py $T/inv.gpkg road
check "a hot journal beside the GeoPackage" test -s $T/inv.gpkg-journal
check "sp-inventory over it" $BIN/sp-inventory -q -f samples/factors.csv -road $SAMPLES/roads.gpkg $T/inv.gpkg
check "  the new GeoPackage is the fresh run's, also after SQLite opened it" same_after_open $T/inv.gpkg $T/fresh/inv.gpkg

# a writer still at work on the old file: refused, named, nothing replaced
$BIN/sp-tiles -q -z 10-12 -style $ST/nox_density.txt $T/nox.tif $T/busy.mbtiles
$PY $T/hot.py $T/busy.mbtiles images 60 > $T/holder.out &
HOLDER=$!
for i in $(seq 50); do grep -q holding $T/holder.out 2>/dev/null && break; sleep 0.1; done
ino=$(stat -c %i $T/busy.mbtiles)
expect_fail "a database another program is writing" 1 "busy.mbtiles' is being written by another program \(its journal '.*busy.mbtiles-journal' is in use\)" "" \
  $BIN/sp-tiles -q -z 10-11 -style $ST/nox_density.txt $T/nox.tif $T/busy.mbtiles
check "  the old file is still in place (same inode), no temporary left" sh -c "[ \$(stat -c %i $T/busy.mbtiles) = $ino ] && ! ls -a $T | grep -q '\.tmp-'"
kill $HOLDER 2>/dev/null; wait $HOLDER 2>/dev/null

# a journal without its database
head -c 4096 /dev/urandom > $T/lone.mbtiles-journal
cp $T/lone.mbtiles-journal $T/lone.copy
expect_fail "a journal without its database" 1 "stale SQLite journal '.*lone.mbtiles-journal' lies where .* without its database" $T/lone.mbtiles \
  $BIN/sp-tiles -q -z 10 -style $ST/nox_density.txt $T/nox.tif $T/lone.mbtiles
check "  the journal is left as it was" cmp -s $T/lone.mbtiles-journal $T/lone.copy
end
