#!/bin/sh
# Runs each libFuzzer target given for FUZZ_SECONDS (or, with FUZZ_RUNS, for that many
# executions from seed 1: deterministic, as CI wants), from a working corpus seeded with
# tests/fuzz/seeds/<target> (the GeoPackage seeds are made here from the GeoJSON ones
# with ogr2ogr, so no binary seed is committed). Prints the executions per target; a
# crash, leak or UBSan report is saved under $BUILD/findings and fails the run.
BUILD=${BUILD:-build-fuzz}
SECS=${FUZZ_SECONDS:-60}
ROOT=$(pwd)
fail=0; pass=0
mkdir -p "$BUILD/findings"
for t in "$@"; do
  corpus="$BUILD/corpus/$t"
  mkdir -p "$corpus"
  if [ "$t" = gpkg ]; then
    for f in tests/fuzz/seeds/geojson/*.geojson; do
      b=$(basename "$f" .geojson)
      [ -f "$corpus/$b.gpkg" ] || ogr2ogr -q -f GPKG "$corpus/$b.gpkg" "$f" 2>/dev/null
    done
  elif [ "$t" = wkb ]; then # the geometry blobs of GeoPackages made from the GeoJSON seeds
    for f in tests/fuzz/seeds/geojson/*.geojson; do
      b=$(basename "$f" .geojson)
      ogr2ogr -q -f GPKG "$corpus/$b.tmp.gpkg" "$f" 2>/dev/null &&
        /usr/bin/python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
t, g = c.execute('SELECT table_name, column_name FROM gpkg_geometry_columns').fetchone()
for i, (b,) in enumerate(c.execute('SELECT \"%s\" FROM \"%s\"' % (g, t))):
    if b: open('%s-%d.wkb' % (sys.argv[2], i), 'wb').write(b)" "$corpus/$b.tmp.gpkg" "$corpus/$b" 2>/dev/null
      rm -f "$corpus/$b.tmp.gpkg"
    done
  else
    cp tests/fuzz/seeds/$t/* "$corpus/" 2>/dev/null
  fi
  log="$BUILD/fuzz_$t.log"
  # the GDAL targets: SQLite keeps page caches in static memory; leaks are still
  # checked for the text parsers, which are all our own code
  leaks=1; [ "$t" = gpkg ] || [ "$t" = geojson ] && leaks=0
  if [ -n "$FUZZ_RUNS" ]; then limit="-runs=$FUZZ_RUNS -seed=1"; else limit="-max_total_time=$SECS"; fi
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  "$BUILD/fuzz/fuzz_$t" $limit -max_len=65536 -timeout=20 \
    -detect_leaks=$leaks -artifact_prefix="$ROOT/$BUILD/findings/$t-" \
    -print_final_stats=1 "$corpus" > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  if [ $rc = 0 ]; then
    pass=$((pass + 1)); echo "fuzz $t: ${execs:-?} executions (${rate:-?}/s), no finding"
  else
    fail=$((fail + 1)); echo "fuzz $t: FAILED (exit $rc) after ${execs:-?} executions; see $log"
    grep -E "ERROR|SUMMARY|runtime error" "$log" | head -5
  fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
