#!/bin/sh
# The sample district's calibration (samples/README.md, "Calibration"): the figures the
# synthetic sample is made to, recomputed from the tools' outputs on the demo's sources
# (build/samples-real) and checked against bands around the published magnitudes, so that
# a change to the generator or the factor table that leaves them shows. Oracles: GDAL
# (feature counts, zone areas, raster means) and the totals tables read by column name.
. tests/cli/lib.sh
S=$(pwd)/$BUILD/samples-real
F=samples/factors.csv
Z=samples/real/chaoyang_streets_43.geojson
MET=samples/met/nongzhanguan_2016.csv
INV="-catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp"
$BIN/sp-inventory -q -f $F $INV -totals $T/tot.csv $T/inv.gpkg 2> /dev/null
check "the demo's sources: an inventory of the four sectors" test -s $T/tot.csv
# a figure of a totals table, by column name
tot() { $PY -c "
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r['sector'] == sys.argv[2] and r['pollutant'] == sys.argv[3]: print(r['baseline_t'])" "$@"; }
band() { $PY -c "import sys; x, lo, hi = map(float, sys.argv[1:4]); sys.exit(0 if lo <= x <= hi else 1)" "$@"; }

check "restaurants: 12,850 (a public POI list of Chaoyang's catering)" sh -c "ogrinfo -so -al $S/restaurants_gcj02.shp | grep -q 'Feature Count: 12850'"
check "  27.7 per km2 over the 43 streets' 464 km2 (25-31)" $PY -c "
from osgeo import ogr, osr
ds = ogr.Open('$Z'); l = ds.GetLayer(0)
utm = osr.SpatialReference(); utm.ImportFromEPSG(32650); utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
src = l.GetSpatialRef(); src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(src, utm); a = 0.0
for f in l:
    g = f.GetGeometryRef().Clone(); g.Transform(ct); a += g.GetArea() / 1e6
d = 12850 / a
assert 460 < a < 470 and 25 <= d <= 31, (a, d)"
$BIN/sp-inventory -q -f $F -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 -map catering.purifier=nofield -default catering.purifier=0 -totals $T/raw.csv $T/raw.gpkg 2> /dev/null
check "catering VOCs before purifiers: of the order of a fifth of Beijing's 6,169 t (600-2,500 t)" band "$(tot $T/raw.csv catering VOCs)" 600 2500
check "road NOx per CO2: 1.0-2.5 g/kg (Beijing's 2019 fleet ~2.2)" $PY -c "
x = float('$(tot $T/tot.csv road NOx)') / float('$(tot $T/tot.csv road CO2)') * 1000
assert 1.0 <= x <= 2.5, x"
check "construction dust PM2.5 / road PM2.5: 0.08-0.25 (dust about a fifth of mobile)" $PY -c "
x = float('$(tot $T/tot.csv area PM2.5)') / float('$(tot $T/tot.csv road PM2.5)')
assert 0.08 <= x <= 0.25, x"
# the modelled primary PM2.5 of each sector: gridded at 200 m, dispersed with the real
# 2016 weather at its class's release height (samples/source_classes.csv), the grid mean
for s in catering boiler road area; do
  $BIN/sp-grid -q -tr 200 200 -tap -t_srs EPSG:32650 -te 443800 4406600 469200 4439800 -l $s -a pm25 $T/inv.gpkg $T/e_$s.tif 2> /dev/null
  $BIN/sp-disperse -q -met $MET -urban 21.9e6 -classes samples/source_classes.csv $T/e_$s.tif $T/c_$s.tif 2> /dev/null
done
check "each sector dispersed" sh -c "ls $T/c_catering.tif $T/c_boiler.tif $T/c_road.tif $T/c_area.tif"
$PY -c "
from osgeo import gdal
m = {}
for s in ('catering', 'boiler', 'road', 'area'):
    ds = gdal.Open('$T/c_%s.tif' % s)  # held: a band outliving its dataset crashes GDAL
    m[s] = float(ds.GetRasterBand(1).ReadAsArray().astype('float64').mean())
t = sum(m.values())
for s in m: print(s, m[s] / t)" > $T/shares 2> $T/shares.err
check "dust's share of modelled primary PM2.5: 5-14 % (the apportionment's ~11 %)" band "$(sed -n 's/^area //p' $T/shares)" 0.05 0.14
check "road's share: 45-75 % (the apportionment's mobile ~57 %)" band "$(sed -n 's/^road //p' $T/shares)" 0.45 0.75
check "catering and boilers together: 15-45 % (residential and industry ~32 %)" $PY -c "
d = dict(l.split() for l in open('$T/shares'))
x = float(d['catering']) + float(d['boiler'])
assert 0.15 <= x <= 0.45, x"
end
