#!/bin/sh
# A password in a dataset name never reaches a message, whatever its form (keyword,
# URI user info, URI query) and whichever tool or path prints the name: inputs that cannot
# be opened, outputs that cannot be written, a named input of sp-inventory. The server is
# a closed loopback port (connection refused at once); test_pg.sh covers a live server.
. tests/cli/lib.sh
$BIN/sp-grid -q -tr 500 500 -t_srs EPSG:32650 -a aadt $SAMPLES/roads.gpkg $T/r.tif
for U in 'PG:postgresql://gis:s3cret@127.0.0.1:1/eco' 'PG:host=127.0.0.1 port=1 dbname=eco password=s3cret' \
         'PG:postgresql://127.0.0.1:1/eco?user=gis&password=s3cret'; do
  for c in "sp-convert|\$U|$T/x.gpkg" "sp-grid|-tr|100|100|\$U|$T/x.tif" \
           "sp-inventory|-f|samples/factors.csv|-catering|\$U|$T/x.gpkg" \
           "sp-zonal|-v|\$U|-a|nox|$SAMPLES/streets.shp|$T/x.csv" \
           "sp-convert|$SAMPLES/streets.shp|\$U|-nln|t" \
           "sp-zonal|-r|a=$T/r.tif|$SAMPLES/streets.shp|\$U|-nln|t"; do
    tool=${c%%|*}
    set -f; IFS='|'; set -- $c; IFS=' '; set +f; shift
    args=""
    for a in "$@"; do [ "$a" = '$U' ] && a=$U; args="$args$(printf '%s\n' "$a")
"; done
    printf '%s' "$args" | tr '\n' '\0' | xargs -0 $BIN/$tool > $T/o 2> $T/e
    rc=$?
    [ $rc != 0 ] && ok || bad "$tool with '$U': exit 0"
    ! grep -q s3cret $T/o $T/e && ok || { bad "$tool printed the password of '$U'"; head -3 $T/e; }
    grep -q '\*\*\*' $T/e && ok || { bad "$tool: no *** in the message"; head -3 $T/e; }
  done
done
end
