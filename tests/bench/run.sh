#!/bin/sh
# make bench: sp-grid against gdal_rasterize -add, sp-zonal against a GDAL baseline,
# sp-tiles against gdaldem + gdal2tiles.py,
# in the same invocation (ratios, not
# absolute times: machines here are noisy). 1,000,000 random points and 100,000 random
# segments (50-3000 m) onto a 4000x4000 grid of 100 m in EPSG:32650, from GeoPackage.
# Data is generated once into build/bench/ (deterministic seed).
set -e
BUILD=${BUILD:-build}
D=$BUILD/bench
mkdir -p $D
PY=/usr/bin/python3
if [ ! -f $D/points.gpkg ] || [ ! -f $D/lines.gpkg ]; then
  echo "generating benchmark data (once)..."
  $PY tests/bench/mkdata.py $D
fi
TE="440000 4400000 840000 4800000"
t() { # t LABEL CMD...: wall time (best of $RUNS runs) and peak RSS via /usr/bin/time
  label=$1; shift
  best=""
  for k in $(seq ${RUNS:-3}); do
    sync # the previous run's writes flushed first, not into this one's time
    s=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then /usr/bin/time -f "%M" -o $D/rss "$@" > /dev/null 2>&1; else "$@" > /dev/null 2>&1; fi
    e=$(date +%s.%N)
    el=$(echo "$e - $s" | bc)
    if [ -z "$best" ] || [ "$(echo "$el < $best" | bc)" = 1 ]; then best=$el; fi
  done
  rss=$( [ -f $D/rss ] && cat $D/rss || echo "?")
  printf '  %-34s %7.3f s  peak %s KiB  (best of %s)\n' "$label" "$best" "$rss" "${RUNS:-3}" >&2
  echo "$best"
}
# ONLY=grid|zonal|disperse|months|explorer|shard|tiles runs one section (default: all)
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
want grid && for kind in points lines; do
  echo "$kind:"
  g=$(t "gdal_rasterize -add -a emis" gdal_rasterize -q -add -a emis -te $TE -tr 100 100 -ot Float64 -init 0 $D/$kind.gpkg $D/gr_$kind.tif)
  s=$(t "sp-grid -a emis" $BUILD/bin/sp-grid -q -te $TE -tr 100 100 -a emis $D/$kind.gpkg $D/sp_$kind.tif)
  ratio=$(echo "scale=3; $s / $g" | bc)
  sums=$($PY -c "
from osgeo import gdal
import sys
da, db = gdal.Open('$D/gr_$kind.tif'), gdal.Open('$D/sp_$kind.tif')
a = da.GetRasterBand(1).ReadAsArray().sum()
b = db.GetRasterBand(1).ReadAsArray().sum()
print('gdal_rasterize sum %.6g, sp-grid sum %.6g' % (a, b))")
  sz=$(stat -c %s $D/gr_$kind.tif); sz2=$(stat -c %s $D/sp_$kind.tif)
  echo "  ratio sp-grid / gdal_rasterize = $ratio   ($sums; files $sz vs $sz2 bytes)"
done

# sp-zonal: 1,600 zones tiling a 4000x4000 float64 raster, sum+mean+count, against a
# GDAL-based cell-centre baseline (gdal.Rasterize of the ids + numpy bincount)
if want zonal; then
if [ ! -f $D/zonal.tif ] || [ ! -f $D/zones.gpkg ]; then
  echo "generating zonal benchmark data (once)..."
  $PY tests/bench/mkzonal.py $D
fi
echo "zonal (1,600 zones, 4000x4000 float64):"
g=$(t "GDAL rasterize + numpy (centre)" $PY tests/bench/zonal_baseline.py $D/zonal.tif $D/zones.gpkg $D/zb.csv)
s=$(t "sp-zonal -b 1 sum,mean,count" $BUILD/bin/sp-zonal -q -b 1 -id zid -stats sum,mean,count $D/zonal.tif $D/zones.gpkg $D/zs.csv)
s4=$(t "sp-zonal 4 bands sum,mean,count" $BUILD/bin/sp-zonal -q -id zid -stats sum,mean,count $D/zonal.tif $D/zones.gpkg $D/zs4.csv)
# 32 bands: a VRT repeating the 4 bands 8 times (the ensemble's case: many bands, same zones)
if [ ! -f $D/zonal32.vrt ]; then
  gdalbuildvrt -q $(for k in 1 2 3 4 5 6 7 8; do printf -- '-b 1 -b 2 -b 3 -b 4 '; done) $D/zonal32.vrt $D/zonal.tif 2>/dev/null ||
    $PY -c "
from osgeo import gdal
gdal.Translate('$D/zonal32.vrt', '$D/zonal.tif', format='VRT', bandList=[1, 2, 3, 4] * 8)"
fi
s32=$(t "sp-zonal 32 bands sum,mean,count" $BUILD/bin/sp-zonal -q -id zid -stats sum,mean,count $D/zonal32.vrt $D/zones.gpkg $D/zs32.csv)
# 8 rasters of 4 bands (scenarios, members as files): the zones' cells computed once
s8=$(t "sp-zonal 8 rasters x 4 bands" $BUILD/bin/sp-zonal -q -id zid -stats sum,mean,count $(for k in 1 2 3 4 5 6 7 8; do printf -- '-r r%s=%s ' $k $D/zonal.tif; done) $D/zones.gpkg $D/zs8.csv)
echo "  ratio sp-zonal / GDAL baseline = $(echo "scale=3; $s / $g" | bc); 4 bands / 1 band = $(echo "scale=3; $s4 / $s" | bc); 32 bands / 1 band = $(echo "scale=3; $s32 / $s" | bc)"
echo "  8 rasters x 4 bands / 1 band = $(echo "scale=3; $s8 / $s" | bc)"
# exactextract when it is there (EXACTEXTRACT=path, or on PATH; not packaged for Debian 12:
# build it from github.com/isciences/exactextract with cmake -DBUILD_TEST=OFF
# -DBUILD_PYTHON=OFF -DBUILD_DOC=OFF, which needs libcli11-dev)
EE=${EXACTEXTRACT:-$(command -v exactextract || true)}
if [ -n "$EE" ] && [ -x "$EE" ]; then
  e=$(t "exactextract sum,mean,count" "$EE" -r "r:$D/zonal.tif[1]" -p $D/zones.gpkg -f zid -s "sum(r)" -s "mean(r)" -s "count(r)" -o $D/ze.csv)
  echo "  ratio sp-zonal / exactextract = $(echo "scale=3; $s / $e" | bc)"
  $PY -c "
import csv
a = {r['zid']: float(r['r_sum']) for r in csv.DictReader(open('$D/ze.csv'))}
b = {r['zid']: float(r['b1_sum']) for r in csv.DictReader(open('$D/zs.csv'))}
print('  sums: sp-zonal vs exactextract differ per zone by up to %.2g (relative)' % max(abs(a[k] - b[k]) / abs(b[k]) for k in b))"
else
  echo "  (exactextract not found: set EXACTEXTRACT=path to compare with it)"
fi
$PY -c "
import csv
a = {r['zid']: float(r['sum']) for r in csv.DictReader(open('$D/zb.csv'))}
b = {r['zid']: float(r['b1_sum']) for r in csv.DictReader(open('$D/zs.csv'))}
e = max(abs(a[k] - b[k]) / b[k] for k in b)
print('  sums: sp-zonal total %.10g; the centre baseline differs per zone by up to %.2f %%' % (sum(b.values()), 100 * e))"

fi

# sp-disperse: a 4000x4000 grid of 100 m with a 10 km kernel against
# scipy.signal.fftconvolve of the same grid and kernel (both read and write GeoTIFF)
if want disperse; then
if [ ! -f $D/disperse_emis.tif ]; then
  echo "generating dispersion benchmark data (once)..."
  $PY tests/bench/mkdisperse.py $D
fi
echo "disperse (4000x4000, 100 m, 10 km kernel = 201x201):"
$BUILD/bin/sp-disperse -q -star $D/disperse.star -ot Float64 -kernel_out $D/kernel.tif $D/disperse_emis.tif $D/sd.tif
g=$(t "python3 scipy fftconvolve" $PY tests/bench/disperse_scipy.py $D/disperse_emis.tif $D/kernel.tif $D/scipy.tif)
s=$(t "sp-disperse -star (Float64 out)" $BUILD/bin/sp-disperse -q -star $D/disperse.star -ot Float64 $D/disperse_emis.tif $D/sd.tif)
echo "  ratio sp-disperse / scipy = $(echo "scale=3; $s / $g" | bc)"
$PY -c "
from osgeo import gdal; import numpy as np
a = gdal.Open('$D/sd.tif').ReadAsArray(); b = gdal.Open('$D/scipy.tif').ReadAsArray()
print('  max |sp-disperse - scipy| / max = %.3g (mean %.4g ug/m3)' % (np.abs(a - b).max() / np.abs(b).max(), a.mean()))"
$PY tests/bench/disperse_scipy.py $D/disperse_emis.tif $D/kernel.tif $D/scipy.tif 2>&1 | sed 's/^/  scipy /'
fi

# sp-disperse -monthly: the demo district's four sectors on its 100 m grid (252 x 332), a
# real year of hours with the sectors' time profiles: 12 months x 4 sectors, one kernel and
# one convolution each, against the annual run of the same grids (ratio, same invocation)
if want months; then
S=$BUILD/samples-real
echo "disperse -monthly (the demo's 4 sectors, PM2.5, 252 x 332 cells of 100 m, -profiles):"
$BUILD/bin/sp-inventory -q -f samples/factors.csv -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 \
  -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp -overwrite $D/months_inv.gpkg 2>/dev/null
MS=""
for sec in catering boiler road area; do
  rm -f $D/months_$sec.tif
  $BUILD/bin/sp-grid -q -tr 100 100 -tap -t_srs EPSG:32650 -te 443900 4406600 469100 4439800 -l $sec -a pm25 $D/months_inv.gpkg $D/months_$sec.tif
  [ $sec = catering ] || MS="$MS -src $D/months_$sec.tif"
done
M="-met samples/met/nongzhanguan_2016.csv -urban 21.9e6 -profiles samples/profiles.csv -classes samples/source_classes.csv"
a=$(t "sp-disperse, annual" $BUILD/bin/sp-disperse -q $M $MS $D/months_catering.tif $D/months_ann.tif)
m=$(t "sp-disperse -monthly (and annual)" $BUILD/bin/sp-disperse -q $M $MS -monthly $D/months_mon.tif $D/months_catering.tif $D/months_ann.tif)
echo "  ratio monthly / annual = $(echo "scale=2; $m / $a" | bc) (48 more kernels and convolutions)"
fi

# sharded runs (-shard I/N, sp-merge): each shard's CPU time against (single run)/N, its
# peak memory, the merge's time as a share of the single run; then Beijing at 10 m
# (BEIJING10=1: synthetic sources in the 343 streets, ~326 M cells; minutes, GBs)
cpu() { # cpu CMD...: user+sys seconds and peak RSS (KiB) of one run, "S KIB"
  /usr/bin/time -f "%U %S %M" -o $D/cpu "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
  awk '{ printf "%.2f %d\n", $1 + $2, $3 }' $D/cpu
}
sharded() { # sharded LABEL N TOOL ARGS... -- SRC: single run vs N shards, merged and compared
  label=$1 n=$2 tool=$3; shift 3
  po=${PART_EXT:-tif} oo=${OUT_EXT:-tif}
  one=$(cpu $BUILD/bin/$tool -q $ONE_OPTS "$@" $D/sh_one.$oo) || return 1
  worst=0 sum=0 rss=0 i=0
  while [ $i -lt $n ]; do
    c=$(cpu $BUILD/bin/$tool -q "$@" -shard $i/$n $D/sh_part_$i.$po) || return 1
    worst=$(echo "$c $worst" | awk '{ print ($1 > $3) ? $1 : $3 }')
    sum=$(echo "$c $sum" | awk '{ print $1 + $3 }')
    rss=$(echo "$c $rss" | awk '{ print ($2 > $3) ? $2 : $3 }')
    i=$((i + 1))
  done
  m=$(cpu $BUILD/bin/sp-merge -q $D/sh_merged.$oo $(i=0; while [ $i -lt $n ]; do printf '%s ' $D/sh_part_$i.$po; i=$((i+1)); done)) || return 1
  cmp -s $D/sh_merged.$oo $D/sh_one.$oo && same="the same bytes" || same="BYTES DIFFER"
  echo "$label, $n shards: single ${one% *} s CPU, peak ${one#* } KiB; slowest shard $worst s = $(echo "scale=2; $worst * $n / ${one% *}" | bc) x (single/$n), all shards $(echo "scale=2; $sum / ${one% *}" | bc) x single; shard peak $rss KiB ($(echo "scale=2; $rss / ${one#* }" | bc) x); merge ${m% *} s ($(echo "scale=2; ${m% *} / ${one% *}" | bc) x single), peak ${m#* } KiB; $same"
  rm -f $D/sh_part_* $D/sh_one.$oo $D/sh_merged.$oo
}
if want shard; then
  echo "sharded runs (CPU seconds: user + sys):"
  sharded "  sp-grid, 100,000 segments, 4000x4000" 4 sp-grid -te $TE -tr 100 100 -a emis $D/lines.gpkg
  sharded "  sp-grid, 1,000,000 points, 4000x4000" 4 sp-grid -te $TE -tr 100 100 -a emis $D/points.gpkg
  [ -f $D/disperse_emis.tif ] || $PY tests/bench/mkdisperse.py $D
  sharded "  sp-disperse -star, 4000x4000, 10 km (4 strips)" 4 sp-disperse -star $D/disperse.star $D/disperse_emis.tif
  Z=/vsigzip/$(pwd)/samples/real/beijing_subdistricts_343.geojson.gz
  [ -f $D/bj_src.gpkg ] || $PY tests/cluster/beijing_sources.py $Z $D/bj_src.gpkg
  $BUILD/bin/sp-grid -q -t_srs EPSG:32650 -tr 100 100 -tap -density -a nox $D/bj_src.gpkg $D/bj100d.tif
  PART_EXT=zonal OUT_EXT=csv sharded "  sp-zonal, Beijing 100 m, 343 streets, sum,mean,median" 4 sp-zonal -q -id code -stats sum,mean,median $D/bj100d.tif $Z
  PART_EXT=sqlite OUT_EXT=pmtiles sharded "  sp-tiles, Beijing 100 m (1801 x 1808), z8-15 to one PMTiles" 4 sp-tiles -z 8-15 -style nox_density $D/bj100d.tif
  if [ -n "$BEIJING10" ]; then
    sharded "  Beijing at 10 m: sp-grid -a nox" 8 sp-grid -t_srs EPSG:32650 -tr 10 10 -tap -a nox $D/bj_src.gpkg
    $BUILD/bin/sp-grid -q -t_srs EPSG:32650 -tr 10 10 -tap -a nox $D/bj_src.gpkg $D/bj10.tif
    # the single run needs ~8 GiB (refused under the default -max_mem 4G); each shard fits
    ONE_OPTS="-max_mem 12G" sharded "  Beijing at 10 m: sp-disperse -rmax 2000 (one pollutant)" 8 sp-disperse -met samples/met/nongzhanguan_2016.csv -rmax 2000 $D/bj10.tif
  fi
fi

# the scenario explorer's responses (sp-inventory -marginal, each measure's cut gridded and
# dispersed, per street), against the demo's plain scenario inventory (ratio, same invocation)
if want explorer; then
S=$BUILD/samples-real
INVX="-catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp -petrol $S/petrol_stations.shp -nonroad $S/machinery.shp -autorepair $S/repair_shops.shp"
echo "scenario explorer responses (the demo's 9 measures, 7 sectors, 100 m, 43 streets):"
p=$(t "sp-inventory -m (the scenario)" $BUILD/bin/sp-inventory -q -f samples/factors.csv -m samples/measures.txt $INVX -overwrite $D/x_plain.gpkg)
$BUILD/bin/sp-inventory -q -f samples/factors.csv -m samples/measures.txt $INVX -marginal pm25 -overwrite $D/x_marg.gpkg 2>/dev/null
cat > $D/x_resp.sh <<XEOF
set -e
R=""
for sec in catering boiler road area petrol nonroad autorepair; do
  rm -f $D/x_cut_\$sec.tif
  $BUILD/bin/sp-grid -q -tr 100 100 -tap -t_srs EPSG:32650 -te 443900 4406600 469100 4439800 -l \$sec -a cut01_pm25,cut02_pm25,cut03_pm25,cut04_pm25,cut05_pm25,cut06_pm25,cut07_pm25,cut08_pm25,cut09_pm25 $D/x_marg.gpkg $D/x_cut_\$sec.tif
  [ \$sec = catering ] || R="\$R -src $D/x_cut_\$sec.tif"
done
rm -f $D/x_resp.tif
$BUILD/bin/sp-disperse -q -met samples/met/nongzhanguan_2016.csv -urban 21.9e6 -classes samples/source_classes.csv \$R $D/x_cut_catering.tif $D/x_resp.tif
$BUILD/bin/sp-zonal -q -r r=$D/x_resp.tif -id code -stats mean -overwrite samples/real/chaoyang_streets_43.geojson $D/x_resp.csv
XEOF
m=$(t "sp-inventory -m -marginal pm25" $BUILD/bin/sp-inventory -q -f samples/factors.csv -m samples/measures.txt $INVX -marginal pm25 -overwrite $D/x_marg.gpkg)
r=$(t "responses: grid, disperse, per street" sh $D/x_resp.sh)
echo "  -marginal over the plain scenario: $(echo "scale=2; $m / $p" | bc)x; the responses: $(echo "scale=2; ($m - $p + $r) / $p" | bc)x the scenario inventory"
fi

# sp-tiles: two 4000x4000 float32 rasters of 10 m, zooms 10-16: a smooth field, and an
# emission-like one (roads and plumes over zeros, a nodata block: the case of issue 21),
# against gdaldem color-relief + gdal2tiles.py --xyz --processes=2 (both with their default
# resampling, average). sp-tiles writes an XYZ tree, one MBTiles and one PMTiles file; the
# floor of any XYZ writer is the cost of creating the same files on this disk.
want tiles || exit 0
if [ ! -f $D/tiles10m.tif ] || [ ! -f $D/tiles_emis10m.tif ]; then
  echo "generating tiles benchmark data (once)..."
  $PY tests/bench/mktiles.py $D
fi
# tiles only: {z}/{x}/{y}.png (the preview's leaflet/images/*.png are not tiles)
tile_list() { (cd "$1" && find . -path ./leaflet -prune -o -name '*.png' -print | sort); }
png_stats() { (cd "$1" && tile_list . | xargs stat -c %s | awk '{n++; b+=$1} END {printf "%d tiles, %.1f MB", n, b/1e6}'); }
for r in tiles10m tiles_emis10m; do
  echo "tiles: $r.tif (4000x4000 float32, 10 m, zooms 10-16):"
  g=$(RUNS=1 t "gdaldem color-relief + gdal2tiles.py" sh -c "rm -rf $D/g2t && gdaldem color-relief -q -alpha $D/$r.tif styles/nox_density.txt $D/rgba.tif && gdal2tiles.py -q --xyz -z 10-16 --processes=2 $D/rgba.tif $D/g2t")
  # the one-file outputs first: the XYZ runs leave the disk busy removing 10,000 files
  m=$(t "sp-tiles -z 10-16 OUT.mbtiles" $BUILD/bin/sp-tiles -q -z 10-16 -style styles/nox_density.txt $D/$r.tif $D/spt.mbtiles)
  p=$(t "sp-tiles -z 10-16 OUT.pmtiles" $BUILD/bin/sp-tiles -q -z 10-16 -style styles/nox_density.txt $D/$r.tif $D/spt.pmtiles)
  s=$(t "sp-tiles -z 10-16 (XYZ)" $BUILD/bin/sp-tiles -q -z 10-16 -style styles/nox_density.txt $D/$r.tif $D/spt)
  # the same into a new folder: without removing the previous tree (on this disk, mounted
  # with discard, removing 10,000 files takes seconds); gdal2tiles' time includes its rm -rf
  rm -rf $D/spt_new; sync
  sn=$(RUNS=1 t "sp-tiles -z 10-16 (XYZ, new folder)" $BUILD/bin/sp-tiles -q -z 10-16 -style styles/nox_density.txt $D/$r.tif $D/spt_new)
  rm -rf $D/spt_new
  f=$($PY tests/bench/files_floor.py $D/spt $D/floor)
  echo "  gdal2tiles: $(png_stats $D/g2t); sp-tiles: $(png_stats $D/spt); MBTiles $(stat -c %s $D/spt.mbtiles) B, PMTiles $(stat -c %s $D/spt.pmtiles) B"
  if [ "$(tile_list $D/g2t | md5sum)" = "$(tile_list $D/spt | md5sum)" ]; then
    echo "  the same tile names {z}/{x}/{y}"
  else
    echo "  the tile names differ: $(tile_list $D/g2t | wc -l) vs $(tile_list $D/spt | wc -l)"
  fi
  echo "  floor: writing the same ${f#* } files with their bytes takes ${f% *} s on this disk"
  echo "  speed-up over gdal2tiles: XYZ $(echo "scale=2; $g / $s" | bc)x (into a new folder $(echo "scale=2; $g / $sn" | bc)x), MBTiles $(echo "scale=2; $g / $m" | bc)x, PMTiles $(echo "scale=2; $g / $p" | bc)x (file-creation floor alone: $(echo "scale=2; $g / ${f% *}" | bc)x)"
done
