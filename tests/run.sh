#!/bin/sh
# Runs the unit test programs given as arguments, then the end-to-end CLI tests, and
# ends with one line "N passed, N failed" summing all of them. Exit 1 on any failure.
# BUILD names the build folder (build or build-asan).
BUILD=${BUILD:-build}
unit_only=0
[ "$1" = "--unit-only" ] && { unit_only=1; shift; }
pass=0; fail=0
log=$(mktemp)
for t in "$@"; do
  name=$(basename "$t")
  if "$t" > "$log" 2>&1; then status=ok; else status=FAILED; fi
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "$name: no result line (crashed?)"; cat "$log"; fail=$((fail + 1)); continue
  fi
  p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
  pass=$((pass + p)); fail=$((fail + f))
  [ "$status" = ok ] && [ "$f" = 0 ] || { cat "$log"; [ "$f" = 0 ] && fail=$((fail + 1)); }
  echo "unit $name: $p passed, $f failed"
done
if [ $unit_only = 0 ]; then
  for t in tests/cli/test_*.sh; do
    name=$(basename "$t" .sh)
    BUILD=$BUILD sh "$t" > "$log" 2>&1
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$line" ]; then
      echo "$name: no result line"; cat "$log"; fail=$((fail + 1)); continue
    fi
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    pass=$((pass + p)); fail=$((fail + f))
    [ "$f" = 0 ] || grep -E '^(FAIL|  )' "$log"
    echo "cli $name: $p passed, $f failed"
  done
fi
rm -f "$log"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
