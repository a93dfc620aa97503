#!/bin/sh
# Under a file-size limit (ulimit -f) every tool reports the failed write like a full disk:
# exit 1, a message that says why ("File too large" or the limit named), no temporary
# left, and an older output byte-identical. Before, sp-disperse, sp-onemap, sp-ledger and
# sp-inventory died of SIGXFSZ (exit 153, no word, temporaries left) and sp-tiles said
# "cannot write ...: Success".
. tests/cli/lib.sh
S=$SAMPLES
ST=$(pwd)/styles
D=samples/ledger
INV="-boiler $S/boilers.shp -road $S/roads.gpkg -facility $S/facilities.shp"
$BIN/sp-inventory -q -f samples/factors.csv $INV -totals $T/t2023.csv $T/i2023.gpkg
$BIN/sp-inventory -q -f samples/factors.csv -m $D/measures_2026.txt $INV -totals $T/t2026.csv $T/i2026.gpkg
$BIN/sp-grid -q -tr 200 200 -tap -t_srs EPSG:32650 -a nox,pm25 $T/i2023.gpkg $T/e.tif
$BIN/sp-grid -q -density -tr 200 200 -tap -t_srs EPSG:32650 -a nox $T/i2023.gpkg $T/d.tif
$BIN/sp-tiles -q -z 10-11 -style $ST/nox_density.txt $T/d.tif $T/layer
LEDGER="-targets $D/targets.txt -year 2020=$D/totals_2020.csv -park 2020=$D/park_2020.txt -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$D/park_2023.txt -park 2026=$D/park_2026.txt"
# limited RUN: the command in a subshell under ulimit -f 2 (512-byte blocks in dash: 1 KB)
limited() { (ulimit -f 2; "$@"); }
n=0
while read -r name out cmd; do
  n=$((n + 1))
  mkdir -p $T/w$n
  if [ "${out%/}" = "$out" ]; then printf 'old output\n' > $T/w$n/$out.old; cp $T/w$n/$out.old $T/w$n/$out; fi
  eval "limited $cmd" > $T/o 2> $T/e
  rc=$?
  [ $rc = 1 ] && ok || { bad "$name under ulimit -f: exit $rc, expected 1"; head -3 $T/e; }
  grep -Eq "File too large|file-size limit" $T/e && ok || { bad "$name: the message does not say why"; head -3 $T/e; }
  ls -a $T/w$n | grep -q '\.tmp-' && bad "$name: a temporary was left" || ok
  if [ "${out%/}" = "$out" ]; then cmp -s $T/w$n/$out $T/w$n/$out.old && ok || bad "$name: the old output changed"; fi
done <<EOF2
sp-inventory inv.gpkg $BIN/sp-inventory -q -f samples/factors.csv $INV $T/w\$n/inv.gpkg
sp-grid g.tif $BIN/sp-grid -q -tr 20 20 -tap -t_srs EPSG:32650 -a nox $T/i2023.gpkg $T/w\$n/g.tif
sp-disperse c.tif $BIN/sp-disperse -q -met samples/met/nongzhanguan_2016.csv -b 1 -rmax 3000 $T/e.tif $T/w\$n/c.tif
sp-zonal z.csv $BIN/sp-zonal -q -r a=$T/e.tif -id code -stats sum,mean,min,max $S/streets.shp $T/w\$n/z.csv
sp-tiles(mbtiles) t.mbtiles $BIN/sp-tiles -q -z 10-13 -style $ST/nox_density.txt $T/d.tif $T/w\$n/t.mbtiles
sp-tiles(pmtiles) t.pmtiles $BIN/sp-tiles -q -z 10-13 -style $ST/nox_density.txt $T/d.tif $T/w\$n/t.pmtiles
sp-tiles(xyz) tiles/ $BIN/sp-tiles -q -z 10-13 -style $ST/nox_density.txt $T/d.tif $T/w\$n/tiles
sp-onemap om/ $BIN/sp-onemap -q -layer "NOx=$T/layer" $T/w\$n/om
sp-ledger l.csv $BIN/sp-ledger -q $LEDGER -svg $T/w\$n/l.svg $T/w\$n/l.csv
EOF2
end
