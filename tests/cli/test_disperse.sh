#!/bin/sh
# End-to-end tests of sp-disperse: a single-cell source on a hand-made grid against an
# independent Python implementation of the ISC3 long-term formula (units, orientation,
# georeferencing), the real one-year met file through the whole chain, scenario and
# delta bands, source classes, evaluation measures, determinism and bad inputs.
. tests/cli/lib.sh
S=$SAMPLES
D=$BIN/sp-disperse
MET=$(pwd)/samples/met/nongzhanguan_2016.csv

# a 41 x 41 grid of 100 m cells (EPSG:32650) with 10 t/yr in the centre cell
$PY - $T <<'PYEOF'
import sys
from osgeo import gdal, osr
d = sys.argv[1]
def grid(name, vals, srs=True, dx=100, dy=100, epsg=32650):
    ds = gdal.GetDriverByName('GTiff').Create(d + '/' + name, 41, 41, 1, gdal.GDT_Float64)
    x0, y0 = (450000, 4420000) if epsg == 32650 else (116.4, 39.9)
    ds.SetGeoTransform([x0, dx, 0, y0 + 41 * dy, 0, -dy])
    if srs:
        s = osr.SpatialReference(); s.ImportFromEPSG(epsg); ds.SetProjection(s.ExportToWkt())
    b = ds.GetRasterBand(1); b.SetDescription('pm25')
    import numpy as np
    a = np.zeros((41, 41)); a[20, 20] = vals; b.WriteArray(a); ds = None
grid('one.tif', 10.0)
grid('half.tif', 5.0)
grid('nocrs.tif', 10.0, srs=False)
grid('geo.tif', 10.0, dx=0.001, dy=0.001, epsg=4326)
grid('rect.tif', 10.0, dx=100, dy=50)
PYEOF
# all wind from N at 2.5 m/s, stability D 60 %, F 40 %
printf 'sector_from_deg,speed_ms,stability,freq\n0.0,2.5,D,0.6\n0.0,2.5,F,0.4\n' > $T/n.star
check "run on a one-cell source" $D -q -star $T/n.star -sz0 0 -rmax 5000 $T/one.tif $T/c1.tif
check "against the ISC3 formula written independently (receptors 600-2000 m south)" $PY - $T <<'PYEOF'
import math, sys
from osgeo import gdal
d = sys.argv[1]
a = gdal.Open(d + '/c1.tif').ReadAsArray().astype(float)
Q = 10 * 1e6 / 31536000.0                                   # g/s
def szD(x): return 0.14 * x / math.sqrt(1 + 0.0003 * x)     # Briggs urban D
def szF(x): return 0.08 * x / math.sqrt(1 + 0.0015 * x)     # Briggs urban E-F
worst = 0
for k in range(6, 21):                                      # k cells south of the source
    x = 100.0 * k
    c = 1e6 * Q / (math.sqrt(2 * math.pi) * x * (2 * math.pi / 16)) * (
        0.6 * 2 / (2.5 * szD(x)) + 0.4 * 2 / (2.5 * szF(x)))
    worst = max(worst, abs(a[20 + k, 20] - c) / c)
north = a[:20, :].max()                                     # upwind
print('worst', worst, 'north', north)
# upwind only the FFT's round-off (1e-16 of the peak) is allowed
sys.exit(0 if worst < 1e-6 and north < 1e-12 * a.max() and a[:20, :].min() >= 0 and a[26, 20] > 0 else 1)
PYEOF
check "band description and unit" sh -c "gdalinfo $T/c1.tif | grep -q 'Description = pm25' && gdalinfo $T/c1.tif | grep -q 'unit=ug/m3'"

# dry deposition: a cell emitting 2 t/yr PM2.5, 6 PM10 and 14 TSP; PM10's part above PM2.5
# settles as 6 um particles and TSP's above PM10 as 20 um ones (Stokes with the slip
# correction), each plume thinned by ISC3's source depletion exp(-vd I(x) / u), I(x) the
# integral of 2 / (sqrt(2 pi) sz) to x (Simpson here), sz0 2 m in quadrature
$PY - $T <<'PYEOF'
import sys
from osgeo import gdal, osr
import numpy as np
d = sys.argv[1]
ds = gdal.GetDriverByName('GTiff').Create(d + '/pm3.tif', 41, 41, 3, gdal.GDT_Float64)
ds.SetGeoTransform([450000, 100, 0, 4420000 + 4100, 0, -100])
s = osr.SpatialReference(); s.ImportFromEPSG(32650); ds.SetProjection(s.ExportToWkt())
for i, (name, q) in enumerate((('pm25', 2.0), ('pm10', 6.0), ('tsp', 14.0))):
    a = np.zeros((41, 41)); a[20, 20] = q
    ds.GetRasterBand(i + 1).SetDescription(name); ds.GetRasterBand(i + 1).WriteArray(a)
ds = None
PYEOF
check "deposition: a pm25/pm10/tsp cell dispersed" sh -c "$D -star $T/n.star -sz0 2 -rmax 5000 $T/pm3.tif $T/dep.tif > $T/dep.out 2>&1"
check "  against ISC3 with source depletion written independently (600-2000 m south)" $PY - $T <<'PYEOF'
import math, sys
from osgeo import gdal
d = sys.argv[1]
ds = gdal.Open(d + '/dep.tif'); a = [ds.GetRasterBand(i + 1).ReadAsArray().astype(float) for i in range(3)]
def szD(x): return 0.14 * x / math.sqrt(1 + 0.0003 * x)
def szF(x): return 0.08 * x / math.sqrt(1 + 0.0015 * x)
def sz(f, x): return math.sqrt(f(x) ** 2 + 4.0)
def vs(dum):  # Stokes, unit density, Cunningham slip (lambda 0.065 um), mu 1.81e-5
    cc = 1 + 2 * 0.065 / dum * (1.257 + 0.4 * math.exp(-0.55 * dum / 0.065))
    return 1000 * 9.81 * (dum * 1e-6) ** 2 * cc / (18 * 1.81e-5)
def integral(f, x, n=4000):  # int_0^x 2 / (sqrt(2 pi) sz) dx', Simpson in u = ln(x' + 1)
    b = math.log(x + 1); h = b / n; s = 0
    for i in range(n + 1):
        t = math.exp(i * h) - 1; g = (t + 1) * 2 / (math.sqrt(2 * math.pi) * sz(f, t))
        s += g * (1 if i in (0, n) else 4 if i % 2 else 2)
    return s * h / 3
def conc(q, x, vd):  # ug/m3 of q t/yr, with deposition velocity vd
    Q = q * 1e6 / 31536000.0
    t = sum(w * 2 / (2.5 * sz(f, x)) * math.exp(-vd * integral(f, x) / 2.5) for w, f in ((0.6, szD), (0.4, szF)))
    return 1e6 * Q / (math.sqrt(2 * math.pi) * x * (2 * math.pi / 16)) * t
worst = 0
for k in range(6, 21, 2):
    x = 100.0 * k
    want = [conc(2, x, 0), conc(2, x, 0) + conc(4, x, vs(6)), conc(2, x, 0) + conc(4, x, vs(6)) + conc(8, x, vs(20))]
    for b in range(3):
        worst = max(worst, abs(a[b][20 + k, 20] - want[b]) / want[b])
# and the deposition matters: TSP well below 7 x PM2.5 at 2 km
print('worst', worst, 'tsp/pm25 at 2 km', a[2][40, 20] / a[0][40, 20])
sys.exit(0 if worst < 1e-5 and a[2][40, 20] / a[0][40, 20] < 6.5 else 1)
PYEOF
check "  the report says what each part keeps" sh -c "grep -q 'deposition: PM10 above PM2.5 (6 um, settling 0.111 cm/s) keeps' $T/dep.out && grep -q 'deposition: TSP above PM10 (20 um, settling 1.21 cm/s) keeps' $T/dep.out"
check "  -no_deposition: pm25 the same bytes, pm10 and tsp 3 and 7 times pm25" $PY -c "
import subprocess
from osgeo import gdal
import numpy as np
subprocess.run(['$D', '-q', '-star', '$T/n.star', '-sz0', '2', '-rmax', '5000', '-no_deposition', '$T/pm3.tif', '$T/nodep.tif'], check=True)
a, b = gdal.Open('$T/dep.tif'), gdal.Open('$T/nodep.tif')
p = [b.GetRasterBand(i + 1).ReadAsArray().astype(float) for i in range(3)]
assert (a.GetRasterBand(1).ReadAsArray() == b.GetRasterBand(1).ReadAsArray()).all()
assert np.allclose(p[1], 3 * p[0], rtol=1e-6, atol=1e-12) and np.allclose(p[2], 7 * p[0], rtol=1e-6, atol=1e-12)  # Float32
for i in (1, 2):
    dep = a.GetRasterBand(i + 1).ReadAsArray().astype(float)
    assert (dep <= p[i] * (1 + 1e-6) + 1e-9 * p[i].max()).all() and dep.sum() < 0.999 * p[i].sum()"
expect_fail "-dep_diam with the large part below the coarse" 2 "-dep_diam: '20,6': want COARSE,LARGE in micrometres" $T/dd.tif $D -q -star $T/n.star -dep_diam 20,6 $T/pm3.tif $T/dd.tif

# -monthly: a year of hand-made hours without calms (each month its own wind: from N in odd
# months, from E in even ones, 2-5 m/s), a boiler cell and a road cell
$PY - $T <<'PYEOF'
import sys, datetime
from osgeo import gdal, osr
import numpy as np
d = sys.argv[1]
with open(d + '/met12.csv', 'w') as f:
    f.write('year,month,day,hour,wd,WSPM\n')
    t = datetime.datetime(2016, 1, 1)
    while t.year == 2016:
        f.write('%d,%d,%d,%d,%s,%.1f\n' % (t.year, t.month, t.day, t.hour, 'N' if t.month % 2 else 'E', 2 + (t.hour % 4)))
        t += datetime.timedelta(hours=1)
for name, layer, row, col in (('mb.tif', 'boiler', 20, 20), ('mr.tif', 'road', 10, 30)):
    ds = gdal.GetDriverByName('GTiff').Create(d + '/' + name, 41, 41, 1, gdal.GDT_Float64)
    ds.SetGeoTransform([450000, 100, 0, 4420000 + 4100, 0, -100])
    s = osr.SpatialReference(); s.ImportFromEPSG(32650); ds.SetProjection(s.ExportToWkt())
    ds.SetMetadataItem('LAYER', layer)
    a = np.zeros((41, 41)); a[row, col] = 10; ds.GetRasterBand(1).SetDescription('pm25'); ds.GetRasterBand(1).WriteArray(a)
    ds = None
# a boiler that burns in March only; the road's traffic by day
with open(d + '/prof.csv', 'w') as f:
    f.write('sector,kind,index,factor\n')
    for m in range(1, 13): f.write('boiler,month,%d,%d\n' % (m, 1 if m == 3 else 0))
    for h in range(24): f.write('road,hour,%d,%d\n' % (h, 2 if 7 <= h <= 19 else 0.5))
PYEOF
check "-monthly: the months' fields beside the annual one" sh -c "$D -met $T/met12.csv -ot Float64 -profiles $T/prof.csv -height 0 -sz0 2 -src $T/mr.tif,1,1.5 -monthly $T/mon.tif $T/mb.tif $T/ann.tif > $T/mon.out 2>&1"
check "  the hours-weighted mean of the months is the annual field (1e-6), the weights in the metadata" $PY -c "
from osgeo import gdal
import numpy as np
m, an = gdal.Open('$T/mon.tif'), gdal.Open('$T/ann.tif')
a = an.GetRasterBand(1).ReadAsArray()
w = [float(x) for x in m.GetMetadataItem('MONTH_WEIGHTS').split(',')]
assert len(w) == 12 and abs(w[1] - 29 * 24 / 8784) < 1e-6, w  # February 2016: 29 days of 8,784 hours
assert [m.GetRasterBand(i + 1).GetDescription() for i in (0, 11)] == ['pm25_month01', 'pm25_month12']
s = sum(w[i] * m.GetRasterBand(i + 1).ReadAsArray() for i in range(12))
assert np.abs(s - a).max() <= 1e-6 * a.max(), np.abs(s - a).max() / a.max()"
check "  a boiler on in March only: its cell's plume in March's field, none in the other months" $PY -c "
from osgeo import gdal
import numpy as np
m = gdal.Open('$T/mon.tif')
b = [m.GetRasterBand(i + 1).ReadAsArray() for i in range(12)]
# March: wind from N, the boiler's plume goes south of row 20; the road cell (row 10, col 30)
# blows south in odd months and west in even ones
assert b[2][30, 20] > 0 and b[1][30, 20] < 1e-12 * b[2].max() and b[3][30, 20] < 1e-12 * b[2].max()
# and March's boiler field is the annual boiler-only field x 8784 / 744 (all its emission in March's hours)
assert b[1][10, 20] > 0 and b[0][25, 30] > 0"
check "  a March-only boiler alone: March's field x March's share of the hours = the annual field" sh -c "
$D -q -met $T/met12.csv -ot Float64 -profiles $T/prof.csv -height 0 -sz0 2 -monthly $T/monb.tif $T/mb.tif $T/annb.tif && $PY -c \"
from osgeo import gdal
import numpy as np
m, an = gdal.Open('$T/monb.tif'), gdal.Open('$T/annb.tif')
a = an.GetRasterBand(1).ReadAsArray(); mar = m.GetRasterBand(3).ReadAsArray()
assert np.abs(mar * 744 / 8784 - a).max() <= 1e-9 * a.max()
assert all(np.abs(m.GetRasterBand(i + 1).ReadAsArray()).max() == 0 for i in range(12) if i != 2)\""
expect_fail "-monthly without hourly weather" 2 "-monthly needs hourly weather" $T/monx.tif $D -q -star $T/n.star -monthly $T/monx.tif $T/one.tif $T/annx.tif
check "model metadata" sh -c "gdalinfo $T/c1.tif | grep -q 'MODEL=ISC3 long-term'"
check "the wind rose is SVG" $PY -c "import xml.etree.ElementTree as E; E.parse('$T/c1.windrose.svg')"

# the real year of Nongzhanguan weather, on the sample inventory's grids
$BIN/sp-inventory -q -f samples/factors.csv -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 \
  -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp $T/inv.gpkg
$BIN/sp-inventory -q -f samples/factors.csv -m samples/measures.txt -catering $S/restaurants_gcj02.shp \
  -s_coord catering=gcj02 -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp $T/scen.gpkg
$BIN/sp-grid -q -tr 200 200 -tap -t_srs EPSG:32650 -a nox,pm25 $T/inv.gpkg $T/eb.tif
$BIN/sp-grid -q -tr 200 200 -tap -t_srs EPSG:32650 -like $T/eb.tif -a nox,pm25 $T/scen.gpkg $T/es.tif
# release heights per sector: sp-grid -l records the layer (the sector), -classes gives its
# class; oracle: the same run with the class written out (FILE,H,SZ0)
$BIN/sp-grid -q -like $T/eb.tif -l boiler -a nox,pm25 $T/inv.gpkg $T/boil.tif
$BIN/sp-grid -q -like $T/eb.tif -l road -a nox,pm25 $T/inv.gpkg $T/road.tif
check "sp-grid -l SECTOR records LAYER=SECTOR" sh -c "gdalinfo $T/boil.tif | grep -q 'LAYER=boiler'"
printf 'sector,height_m,sz0_m,basis\nboiler,30,5,test\nroad,1,1.5,test\n' > $T/classes.csv
$D -q -star $T/n.star -classes $T/classes.csv -src $T/boil.tif $T/road.tif $T/cl1.tif
$D -q -star $T/n.star -height 1 -sz0 1.5 -src $T/boil.tif,30,5 $T/road.tif $T/cl2.tif
check "-classes gives each grid its sector's class: the same field as the classes written out" $PY -c "
from osgeo import gdal; import sys
a = gdal.Open('$T/cl1.tif').ReadAsArray(); b = gdal.Open('$T/cl2.tif').ReadAsArray()
sys.exit(0 if (a == b).all() and a.max() > 0 else 1)"
check "  and the stack is not a ground source (the fields differ with H=0)" sh -c "$D -q -star $T/n.star -height 1 -sz0 1.5 -src $T/boil.tif,0,2 $T/road.tif $T/cl3.tif && ! cmp -s $T/cl2.tif $T/cl3.tif"
expect_fail "a grid without its sector" 1 "one.tif' does not say which sector it holds" $T/x.tif $D -q -star $T/n.star -classes $T/classes.csv $T/one.tif $T/x.tif
printf 'sector,height_m,sz0_m\nroad,1,1.5\n' > $T/classes2.csv
expect_fail "a sector the table does not list" 1 "holds sector 'boiler', which '.*classes2.csv' does not list" $T/x.tif $D -q -star $T/n.star -classes $T/classes2.csv -src $T/boil.tif $T/road.tif $T/x.tif
expect_fail "-src FILE alone without -classes" 2 "needs -classes TABLE.csv" $T/x.tif $D -q -star $T/n.star -src $T/boil.tif $T/road.tif $T/x.tif
$D -met $MET -star_out $T/y.star -scen $T/es.tif $T/eb.tif $T/y.tif > $T/y.out 2> $T/y.err
check "one year of hourly met, baseline and scenario" test $? = 0
check "report: hours, calms, rose, stability, ranges" sh -c "grep -q '^met: 8779 hours' $T/y.out && grep -q '^stability' $T/y.out && grep -q '^delta_pm25' $T/y.out"

# stability by Turner's method (EPA-454/R-99-005 6.4.1): an overcast sky with an unknown
# ceiling is net radiation index 0, D at every speed, day and night; clear skies give A by
# day and F by night; the urban option turns the stable night hours into D
$PY - $MET $T <<'PYEOF'
import sys
src, d = sys.argv[1], sys.argv[2]
lines = open(src).read().splitlines()
with open(d + "/met8.csv", "w") as f8, open(d + "/met10.csv", "w") as f10:
    for i, l in enumerate(lines):
        f8.write(l + (",cloud\n" if i == 0 else ",8\n"))
        f10.write(l + (",cloud\n" if i == 0 else ",10\n"))
PYEOF
check "a cloud column of 8 oktas: every hour D" sh -c "$D -met $T/met8.csv $T/one.tif $T/c8.tif > $T/c8.out 2>/dev/null && grep '^stability' $T/c8.out | tr -s ' ' | grep -q 'A 0.0 B 0.0 C 0.0 D 100.0 E 0.0 F 0.0' && grep -q '0 hours with cloud assumed' $T/c8.out"
check "  the same sky in tenths (-cloud_unit tenths)" sh -c "$D -met $T/met10.csv -cloud_unit tenths $T/one.tif $T/c10.tif > $T/c10.out 2>/dev/null && [ \"\$(grep '^stability' $T/c8.out | tr -s ' ')\" = \"\$(grep '^stability' $T/c10.out | tr -s ' ')\" ]"
expect_fail "  tenths read as oktas are refused" 1 "cloud '10' is not 0-8 oktas .or give -cloud_unit tenths" $T/c11.tif $D -q -met $T/met10.csv $T/one.tif $T/c11.tif
check "-cloud 8 for a file without cloud: the same as the column" sh -c "$D -met $MET -cloud 8 $T/one.tif $T/c9.tif > $T/c9.out 2>/dev/null && [ \"\$(grep '^stability' $T/c8.out | tr -s ' ')\" = \"\$(grep '^stability' $T/c9.out | tr -s ' ')\" ] && grep -q '8779 hours with cloud assumed 8 oktas' $T/c9.out"
check "-cloud 0: clear skies, A by day and F by night" sh -c "$D -met $MET -cloud 0 $T/one.tif $T/c0.tif > $T/c0.out 2>/dev/null && grep '^stability' $T/c0.out | tr -s ' ' | awk '{ exit !(\$4 > 3 && \$14 > 25) }'"
check "-urban: no E or F, the night layer's height and the hours it changed reported" sh -c "$D -met $MET -cloud 0 -urban 21.9e6 $T/one.tif $T/u.tif > $T/u.out 2>/dev/null && grep '^stability' $T/u.out | tr -s ' ' | grep -q 'E 0.0 F 0.0' && grep -q '^urban option: population 21900000, night layer 728 m (AERMOD); [0-9]* stable night hours taken as neutral D' $T/u.out"
check "  and the same F hours of the rural run became D" $PY - $T <<'PYEOF'
import sys, re
d = sys.argv[1]
st = lambda f: [float(x) for x in re.findall(r"[A-F] ([0-9.]+)", open(d + f).read().split("stability (%):")[1].splitlines()[0])]
r, u = st("/c0.out"), st("/u.out")
n = int(re.search(r"; (\d+) stable night hours", open(d + "/u.out").read()).group(1))
hours = int(re.search(r"met: (\d+) hours", open(d + "/u.out").read()).group(1))
assert abs((r[4] + r[5]) - (u[3] - r[3])) < 0.2, (r, u)
assert abs(100 * n / hours - (r[4] + r[5])) < 0.2, (n, hours, r)
PYEOF
check "progress on stderr" grep -q "100 - done" $T/y.err
check "STAR table sums to 1 over 16 sectors" $PY -c "
import csv; r = list(csv.DictReader(open('$T/y.star')))
s = sum(float(x['freq']) for x in r); assert abs(s - 1) < 1e-9, s
assert {float(x['sector_from_deg']) for x in r} <= {22.5 * i for i in range(16)}"
check "bands base/scen/delta, delta = base - scen, cleaner where measures act" $PY -c "
from osgeo import gdal; ds = gdal.Open('$T/y.tif')
names = [ds.GetRasterBand(i + 1).GetDescription() for i in range(ds.RasterCount)]
assert names == ['base_nox', 'base_pm25', 'scen_nox', 'scen_pm25', 'delta_nox', 'delta_pm25'], names
a = [ds.GetRasterBand(i + 1).ReadAsArray().astype(float) for i in range(6)]
import numpy as np
assert np.abs(a[4] - (a[0] - a[2])).max() < 1e-4 * a[0].max()
assert a[5].mean() > 0 and a[1].min() > 0"
check "-star of the written table gives the same field" $D -q -star $T/y.star -scen $T/es.tif $T/eb.tif $T/y2.tif
check "same field to 1e-9 (the table keeps 12 digits)" $PY -c "
from osgeo import gdal; import numpy as np
a, b = gdal.Open('$T/y.tif').ReadAsArray().astype(float), gdal.Open('$T/y2.tif').ReadAsArray().astype(float)
assert np.abs(a - b).max() <= 1e-6 * np.abs(a).max(), np.abs(a - b).max()"
check "same inputs, same bytes (-met again)" sh -c "$D -q -met $MET -scen $T/es.tif $T/eb.tif $T/y3.tif && cmp $T/y.tif $T/y3.tif"

# linearity and classes: half the emission gives half the field; the same grid twice
# (two classes at H 0) gives twice; a 40 m stack gives less near the source
$D -q -star $T/n.star $T/one.tif $T/a1.tif
$D -q -star $T/n.star $T/half.tif $T/a05.tif
$D -q -star $T/n.star -src $T/one.tif,0,2 $T/one.tif $T/a2.tif
$D -q -star $T/n.star -height 40 $T/one.tif $T/a40.tif
check "linear in the emission; classes add; a stack lowers the near field" $PY -c "
from osgeo import gdal; import numpy as np
r = lambda f: gdal.Open('$T/' + f).ReadAsArray().astype(float)
a1, a05, a2, a40 = r('a1.tif'), r('a05.tif'), r('a2.tif'), r('a40.tif')
assert np.abs(a05 * 2 - a1).max() <= 1e-5 * a1.max()
assert np.abs(a2 - 2 * a1).max() <= 1e-5 * a1.max()
assert a40[21, 20] < 0.2 * a1[21, 20] and a40[40, 20] > 0"

# the ensemble: 54 members over the cloud assumed where the file has none (0/4/8 oktas) x
# calms x mixing height x sigma_z0; the model is linear, so each member's change is the
# convolution of the emission change
check "-ensemble" sh -c "$D -met $MET -ensemble -scen $T/es.tif $T/eb.tif $T/ens.tif > $T/ens.out 2>/dev/null"
check "the report sums the members up in one line, the central bands one each" sh -c \
  "grep -q '^ensemble: 108 member bands' $T/ens.out && grep -q '^delta_pm25 ' $T/ens.out && ! grep -q '_m01' $T/ens.out && grep -q '^wind from (%): N [0-9.]* NNE' $T/ens.out"
check "members: 6 central bands + 54 x 2 changes, listed in a CSV with the stability each gave" $PY -c "
from osgeo import gdal; import numpy as np, csv
ds = gdal.Open('$T/ens.tif'); n = ds.RasterCount
names = [ds.GetRasterBand(i + 1).GetDescription() for i in range(n)]
assert n == 114 and names[6] == 'delta_nox_m01' and names[113] == 'delta_pm25_m54', names
m = list(csv.DictReader(open('$T/ens.members.csv')))
c = {k: m[22][k] for k in ('member', 'cloud_oktas', 'calms', 'zi_m', 'sz0_factor', 'secondary_factor')}
assert len(m) == 54 and c == {'member': 'm23', 'cloud_oktas': '4', 'calms': 'proportional',
    'zi_m': '1000', 'sz0_factor': '1', 'secondary_factor': '1'}, m[22]
assert len({(r['cloud_oktas'], r['calms'], r['zi_m'], r['sz0_factor']) for r in m}) == 54
st = lambda r: [float(r[k + '_pct']) for k in 'ABCDEF']
for r in m:
    assert abs(sum(st(r)) - 100) < 0.05, r
# clear skies (m01) give more F and more A than overcast ones (m37), as Turner's index says
assert st(m[0])[5] > st(m[36])[5] + 10 and st(m[0])[0] > st(m[36])[0], (st(m[0]), st(m[36]))
def a(i):
    return ds.GetRasterBand(i + 1).ReadAsArray().astype(float)
# m23 is the central run: its change equals delta_pm25 (band 6) to float32 rounding
assert np.abs(a(6 + 2 * 22 + 1) - a(5)).max() <= 1e-5 * a(5).max()
# overcast skies (m37-m54) are less stable at night: a smaller change than clear ones (m01-m18)
clear = np.mean([a(6 + 2 * k + 1).mean() for k in range(18)])
cloudy = np.mean([a(6 + 2 * k + 1).mean() for k in range(36, 54)])
assert cloudy < clear, (cloudy, clear)
# calms spread evenly instead of in proportion change the field, a little
assert np.abs(a(6 + 2 * 31 + 1) - a(6 + 2 * 22 + 1)).max() > 0
assert ds.GetMetadataItem('ENSEMBLE').startswith('54 members')"
check "--help says as many members as the run makes (54)" sh -c "$BIN/sp-disperse --help | tr '\\n' ' ' | grep -q 'x0.5/1/2: 54 members; 9 with -star'"
# the joint ensemble (-joint N): Latin-hypercube members over the weather file, cloud,
# calms, urban option, zi, sigma_z0, heights and emission draws. The road grids carry their
# sector (LAYER=road); a hand-made -mc_sectors table gives draw 1 x2 and draw 2 x0.5 of the
# central road NOx and PM2.5, baseline and scenario alike, so each member's band with draws
# is its draw's factor x the same member's band without (same seed: the same members)
$BIN/sp-grid -q -like $T/eb.tif -l road -a nox,pm25 $T/scen.gpkg $T/road_s.tif
$BIN/sp-grid -q -like $T/eb.tif -l road -a nox,pm25 $T/inv.gpkg $T/road_b.tif
cat > $T/draws.csv <<'EOF2'
draw,sector,pollutant,baseline_t,scenario_t,seed
0,road,NOx,100,80,1
0,road,PM2.5,10,8,1
1,road,NOx,200,160,1
1,road,PM2.5,20,16,1
2,road,NOx,50,40,1
2,road,PM2.5,5,4,1
EOF2
# time profiles (-profiles): a boiler on in January only meets January's weather: the same
# field as the flat model on January's hours alone (a met file of them, made here)
printf 'sector,kind,index,factor,basis\n' > $T/prof.csv
for m in 2 3 4 5 6 7 8 9 10 11 12; do printf 'boiler,month,%d,0,test\n' $m >> $T/prof.csv; done
$PY - $MET $T/jan.csv <<'PYEOF'
import sys
lines = open(sys.argv[1]).read().splitlines()
out = [lines[0]] + [l for l in lines[1:] if l.split(',')[2] == '1']
open(sys.argv[2], 'w').write('\n'.join(out) + '\n')
PYEOF
check "-profiles: January only" sh -c "$D -met $MET -profiles $T/prof.csv $T/boil.tif $T/p1.tif > $T/p1.out 2>/dev/null && $D -q -met $T/jan.csv $T/boil.tif $T/p2.tif"
check "  is the flat model on January's hours" $PY -c "
from osgeo import gdal; import numpy as np
a, b = gdal.Open('$T/p1.tif'), gdal.Open('$T/p2.tif')
for i in (1, 2):
    x = a.GetRasterBand(i).ReadAsArray().astype(float); y = b.GetRasterBand(i).ReadAsArray().astype(float)
    assert np.abs(x - y).max() <= 1e-5 * y.max() and y.max() > 0, i"
check "  the report gives the sector's factor over the flat year" grep -q '^time profiles (grid-summed concentration over the flat year.s): boiler x[0-9.]*' $T/p1.out
check "  a grid without a profile is said and stays flat" sh -c "$D -q -met $MET -profiles $T/prof.csv $T/road.tif $T/p3.tif 2>&1 | grep -q \"'.*road.tif' (road) has no profile: the flat year\""
expect_fail "-profiles with a STAR table" 2 "-profiles needs hourly weather" $T/x.tif $D -q -star $T/n.star -profiles $T/prof.csv $T/boil.tif $T/x.tif
printf 'sector,kind,index,factor\nboiler,month,13,1\n' > $T/badprof.csv
expect_fail "a profile with month 13" 1 "badprof.csv:2: month index '13' is not 1-12" $T/x.tif $D -q -met $MET -profiles $T/badprof.csv $T/boil.tif $T/x.tif
check "-joint 8 without and with -emis_draws" sh -c "$D -q -met $MET -urban 21.9e6 -height 10 -sz0 3 -joint 8 -joint_met $(pwd)/samples/met/dingling_2016.csv -scen $T/road_s.tif $T/road_b.tif $T/j0.tif && $D -q -met $MET -urban 21.9e6 -height 10 -sz0 3 -joint 8 -joint_met $(pwd)/samples/met/dingling_2016.csv -emis_draws $T/draws.csv -scen $T/road_s.tif $T/road_b.tif $T/j1.tif"
check "  members: every dimension named, each stratum of zi once, both weather files, the draws' factors" $PY - $T <<'PYEOF'
import csv, sys
from osgeo import gdal
import numpy as np
d = sys.argv[1]
m0 = list(csv.DictReader(open(d + '/j0.members.csv')))
m1 = list(csv.DictReader(open(d + '/j1.members.csv')))
assert len(m0) == len(m1) == 8
for k in ('met', 'cloud_oktas', 'calms', 'urban', 'zi_m', 'sz0_factor', 'height_factor', 'emission_factor', 'emission_draw', 'A_pct', 'F_pct'):
    assert k in m1[0], k
assert sorted(int((float(r['zi_m']) - 500) // 125) for r in m1) == list(range(8))      # LHS: one per stratum
assert {r['met'] for r in m1} == {'nongzhanguan_2016.csv', 'dingling_2016.csv'}
assert {r['emission_draw'] for r in m1} == {'1', '2'} and {r['emission_draw'] for r in m0} == {'0'}
for a, b in zip(m0, m1):
    assert {k: v for k, v in a.items() if k not in ('emission_draw', 'emission_factor')} == \
           {k: v for k, v in b.items() if k not in ('emission_draw', 'emission_factor')}, (a, b)
    f = {'1': 2.0, '2': 0.5}[b['emission_draw']]
    assert abs(float(b['emission_factor']) - f) < 1e-4, b
ds0, ds1 = gdal.Open(d + '/j0.tif'), gdal.Open(d + '/j1.tif')
names = [ds1.GetRasterBand(i + 1).GetDescription() for i in range(ds1.RasterCount)]
assert names[6:8] == ['delta_nox_m01', 'delta_pm25_m01'] and names[-1] == 'delta_pm25_m08', names
for k in range(8):
    f = {'1': 2.0, '2': 0.5}[m1[k]['emission_draw']]
    for b in (0, 1):
        i = 6 + 2 * k + b + 1
        a0 = ds0.GetRasterBand(i).ReadAsArray().astype(float); a1 = ds1.GetRasterBand(i).ReadAsArray().astype(float)
        assert np.abs(a1 - f * a0).max() <= 1e-5 * np.abs(a1).max(), (k, b)
assert ds1.GetMetadataItem('ENSEMBLE').startswith('8 members of a joint ensemble (Latin hypercube, seed 1')
PYEOF
check "  a member is the plain model run with its own settings (zi, cloud, heights x factor, urban, weather file)" $PY - $T $D $MET <<'PYEOF'
import csv, subprocess, sys
from osgeo import gdal
import numpy as np
d, D, met = sys.argv[1], sys.argv[2], sys.argv[3]
m = list(csv.DictReader(open(d + '/j0.members.csv')))
k = next(i for i, r in enumerate(m) if r['calms'] == 'proportional')
r = m[k]
metfile = met if r['met'] == 'nongzhanguan_2016.csv' else 'samples/met/dingling_2016.csv'
cmd = D.split() + ['-q', '-met', metfile, '-cloud', r['cloud_oktas'], '-zi', r['zi_m'],
       '-height', '%.10g' % (10 * float(r['height_factor'])), '-sz0', '%.10g' % (3 * float(r['sz0_factor'])),
       '-scen', d + '/road_s.tif', d + '/road_b.tif', d + '/jk.tif']
if r['urban'] == 'urban':
    cmd[1:1] = ['-urban', '21.9e6']
subprocess.run(cmd, check=True)
a = gdal.Open(d + '/jk.tif'); j = gdal.Open(d + '/j0.tif')
for b in (0, 1):
    want = a.GetRasterBand(5 + b).ReadAsArray().astype(float)        # delta_nox, delta_pm25
    got = j.GetRasterBand(6 + 2 * k + b + 1).ReadAsArray().astype(float)
    assert np.abs(got - want).max() <= 1e-5 * np.abs(want).max(), (k, b, np.abs(got - want).max())
PYEOF
expect_fail "-joint without -scen" 2 "-joint needs -scen" $T/x.tif $D -q -met $MET -joint 8 $T/road_b.tif $T/x.tif
expect_fail "-joint and -ensemble" 2 "-ensemble and -joint: give one" $T/x.tif $D -q -met $MET -joint 8 -ensemble -scen $T/road_s.tif $T/road_b.tif $T/x.tif
expect_fail "-joint_met without -joint" 2 "-joint_met and -emis_draws are for -joint N" $T/x.tif $D -q -met $MET -joint_met $MET -scen $T/road_s.tif $T/road_b.tif $T/x.tif
expect_fail "-emis_draws on a grid without its sector" 1 "does not say which sector it holds .no LAYER" $T/x.tif $D -q -met $MET -joint 4 -emis_draws $T/draws.csv -scen $T/es.tif $T/eb.tif $T/x.tif
printf 'a,b\n1,2\n' > $T/baddraws.csv
expect_fail "-emis_draws that are not sp-inventory's" 1 "is not an sp-inventory -mc_sectors table" $T/x.tif $D -q -met $MET -joint 4 -emis_draws $T/baddraws.csv -scen $T/road_s.tif $T/road_b.tif $T/x.tif
expect_fail "-joint with a STAR table" 2 "-joint needs hourly weather" $T/x.tif $D -q -star $T/n.star -joint 4 -scen $T/road_s.tif $T/road_b.tif $T/x.tif
check "-ensemble with -secondary: each member's PM2.5 change includes the secondary change x its factor" \
  $D -q -met $MET -ensemble -secondary nox=0.5 -scen $T/es.tif $T/eb.tif $T/ens2.tif
check "  (member bands = primary member + factor x the central secondary change)" $PY -c "
from osgeo import gdal; import numpy as np, csv
a, b = gdal.Open('$T/ens.tif'), gdal.Open('$T/ens2.tif')
names = [b.GetRasterBand(i + 1).GetDescription() for i in range(b.RasterCount)]
sec = b.GetRasterBand(names.index('delta_pm25_secondary') + 1).ReadAsArray().astype(float)
m = list(csv.DictReader(open('$T/ens2.members.csv')))
assert sorted({r['secondary_factor'] for r in m}) == ['0.5', '1', '1.5']
for k in (0, 4, 17, 35):
    prim = a.GetRasterBand(6 + 2 * k + 2).ReadAsArray().astype(float)
    got = b.GetRasterBand(names.index('delta_pm25_m%02d' % (k + 1)) + 1).ReadAsArray().astype(float)
    want = prim + float(m[k]['secondary_factor']) * sec
    assert np.abs(got - want).max() <= 1e-5 * np.abs(want).max(), k"
expect_fail "-ensemble without -scen" 2 "-ensemble needs -scen" $T/x.tif $D -q -met $MET -ensemble $T/eb.tif $T/x.tif

# the reasons' parts: one run per sector's change adds up to the whole change (the model is
# linear and sp-grid conserves mass), to 1e-9 in Float64
$BIN/sp-grid -q -tr 200 200 -tap -t_srs EPSG:32650 -a pm25 $T/inv.gpkg $T/pb.tif
$BIN/sp-grid -q -like $T/pb.tif -a pm25 $T/scen.gpkg $T/ps.tif
$D -q -star $T/y.star -ot Float64 -scen $T/ps.tif $T/pb.tif $T/pall.tif
for sec in catering boiler road area; do
  $BIN/sp-grid -q -like $T/pb.tif -l $sec -a pm25 $T/inv.gpkg $T/pb_$sec.tif
  $BIN/sp-grid -q -like $T/pb.tif -l $sec -a pm25 $T/scen.gpkg $T/ps_$sec.tif
  $D -q -star $T/y.star -ot Float64 -scen $T/ps_$sec.tif $T/pb_$sec.tif $T/p_$sec.tif
done
check "sector changes add up to the total change (1e-9)" $PY -c "
from osgeo import gdal; import numpy as np
def r(f):
    ds = gdal.Open('$T/' + f); return ds.GetRasterBand(3).ReadAsArray().astype(float)
tot = r('pall.tif'); parts = sum(r('p_%s.tif' % s) for s in ('catering', 'boiler', 'road', 'area'))
assert np.abs(parts - tot).max() <= 1e-9 * np.abs(tot).max(), np.abs(parts - tot).max() / np.abs(tot).max()"

# optional screening terms, off unless asked: NO2 as a bounded share of NOx, and an
# emission factor (fugitive dust's transportable fraction x control) applied first
check "-no2_ratio 0.75 with a scenario" $D -q -star $T/y.star -no2_ratio 0.75 -scen $T/es.tif $T/eb.tif $T/no2.tif
check "NO2 bands = 0.75 x NOx, labelled" $PY -c "
from osgeo import gdal; import numpy as np
ds = gdal.Open('$T/no2.tif'); n = ds.RasterCount
names = [ds.GetRasterBand(i + 1).GetDescription() for i in range(n)]
assert names == ['base_nox', 'base_pm25', 'base_no2', 'scen_nox', 'scen_pm25', 'scen_no2',
                 'delta_nox', 'delta_pm25', 'delta_no2'], names
a = [ds.GetRasterBand(i + 1).ReadAsArray().astype(float) for i in range(n)]
for nox, no2 in ((0, 2), (3, 5), (6, 8)):
    assert np.abs(a[no2] - 0.75 * a[nox]).max() <= 1e-6 * a[nox].max()
assert ds.GetMetadataItem('NO2').startswith('0.75 x NOx (a fixed screening ratio'), ds.GetMetadataItem('NO2')"
check "without it, no NO2 band" sh -c "! gdalinfo $T/y.tif | grep -q 'Description = base_no2'"
expect_fail "-no2_ratio beyond ARM2's bounds" 2 "-no2_ratio: '0.95' is out of range" $T/x.tif $D -q -star $T/n.star -no2_ratio 0.95 $T/one.tif $T/x.tif
expect_fail "-no2_ratio without a NOx band" 2 "needs a band called 'nox'" $T/x.tif $D -q -star $T/n.star -no2_ratio 0.75 $T/one.tif $T/x.tif
check "-factor 0.5 halves the field" sh -c "$D -q -star $T/n.star -factor 0.5 $T/one.tif $T/f05.tif"
check "  (equal to half the emission)" $PY -c "
from osgeo import gdal; import numpy as np
a, b = gdal.Open('$T/f05.tif').ReadAsArray().astype(float), gdal.Open('$T/a05.tif').ReadAsArray().astype(float)
assert np.abs(a - b).max() <= 1e-6 * b.max()"

check "-secondary nox=0.5,pm25=0" $D -q -star $T/y.star -secondary nox=0.5,pm25=0 -scen $T/es.tif $T/eb.tif $T/sec.tif
check "secondary PM2.5: grid mean = beta x the NOx total in kt/yr, smooth, labelled" $PY -c "
from osgeo import gdal; import numpy as np
ds = gdal.Open('$T/sec.tif'); names = [ds.GetRasterBand(i + 1).GetDescription() for i in range(ds.RasterCount)]
assert names[2] == 'base_pm25_secondary' and names[8] == 'delta_pm25_secondary', names
de = gdal.Open('$T/eb.tif'); e = de.GetRasterBand(1).ReadAsArray().astype(float)  # nox, t/yr
sec = ds.GetRasterBand(3).ReadAsArray().astype(float)
want = 0.5 * e.sum() / 1000
assert abs(sec.mean() - want) <= 1e-4 * want, (sec.mean(), want)
assert sec.max() < 3 * sec.mean()                         # spread over 20 km, not local
assert ds.GetMetadataItem('SECONDARY_PM25_nox').startswith('0.5 ug/m3 per kt/yr')"
expect_fail "-secondary naming no band" 2 "-secondary: no band called 'so2'" $T/x.tif $D -q -star $T/y.star -secondary so2=1 $T/eb.tif $T/x.tif

# evaluation: stations sampling the model itself (FB 0, FAC2 1, R 1), then 2x the model
$PY - $T <<'PYEOF'
import json, sys
from osgeo import gdal
d = sys.argv[1]
ds = gdal.Open(d + '/c1.tif'); a = ds.GetRasterBand(1).ReadAsArray().astype(float)
gt = ds.GetGeoTransform()
for name, k in (('st1', 1.0), ('st2', 1.9)):
    feats = []
    for r, c in ((26, 20), (30, 20), (35, 21), (40, 19)):
        x, y = gt[0] + (c + 0.5) * gt[1], gt[3] + (r + 0.5) * gt[5]
        feats.append({'type': 'Feature', 'properties': {'obs': k * float(a[r, c])},
                      'geometry': {'type': 'Point', 'coordinates': [x, y]}})
    json.dump({'type': 'FeatureCollection', 'crs': {'type': 'name', 'properties': {'name': 'urn:ogc:def:crs:EPSG::32650'}},
               'features': feats}, open(d + '/' + name + '.geojson', 'w'))
PYEOF
$D -star $T/n.star -sz0 0 -rmax 5000 -eval $T/st1.geojson $T/one.tif $T/e1.tif > $T/e1.out 2>/dev/null
$D -star $T/n.star -sz0 0 -rmax 5000 -eval $T/st2.geojson $T/one.tif $T/e2.tif > $T/e2.out 2>/dev/null
# against itself: FB 0, NMSE 0, FAC2 1, R 1; observed 1.9 x the model: FB = 0.9 / 1.45,
# NMSE = 0.81 mean(p^2) / (1.9 mean(p)^2), FAC2 1, R 1 (Chang & Hanna 2004, eq. 1-4)
check "evaluation measures against hand formulas" $PY - $T <<'PYEOF'
import re, sys, json
d = sys.argv[1]
def measures(f):
    m = re.search(r'at (\d+) stations: FB (\S+)  NMSE (\S+)  FAC2 (\S+)  R (\S+)', open(f).read())
    return [float(x) for x in m.groups()]
n, fb, nmse, fac2, r = measures(d + '/e1.out')
assert n == 4 and abs(fb) < 1e-3 and abs(nmse) < 1e-3 and fac2 == 1 and r > 0.9995, (fb, nmse, fac2, r)
p = [f['properties']['obs'] for f in json.load(open(d + '/st1.geojson'))['features']]
want = 0.81 * sum(x * x for x in p) / len(p) / (1.9 * (sum(p) / len(p)) ** 2)
n, fb, nmse, fac2, r = measures(d + '/e2.out')
assert abs(fb - 0.9 / 1.45) < 1e-3 and abs(nmse - want) < 1e-3 and fac2 == 1 and r > 0.9995, (fb, nmse, want)
from osgeo import gdal
ds = gdal.Open(d + '/e2.tif'); ev = ds.GetMetadataItem('EVAL')
assert ev.startswith('4 stations') and 'FB 0.6207' in ev, ev
PYEOF

# evaluation against urban minus background, with stations as a CSV of lon/lat read with
# the shared input flags: 3 stations on the grid observe 10 + 1.5 x the model, the
# background (off the grid, modelled local increment 0) observes 10: urban minus background
# is 1.5 x the modelled increment, so FB = 0.5 / 1.25 = 0.4, FAC2 1, R 1; each station's
# row of DST.eval.csv is checked against the GeoTIFF read at its place with GDAL
$PY - $T <<'PYEOF'
import sys
from osgeo import gdal, osr
d = sys.argv[1]
ds = gdal.Open(d + '/c1.tif'); a = ds.GetRasterBand(1).ReadAsArray().astype(float)
gt = ds.GetGeoTransform()
utm = osr.SpatialReference(); utm.ImportFromEPSG(32650)
geo = osr.SpatialReference(); geo.ImportFromEPSG(4326); geo.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(utm, geo)
with open(d + '/st3.csv', 'w') as f:
    f.write('name,lon,lat,no2\n')
    for name, (r, c) in (('A "north"', (26, 20)), ('B', (30, 20)), ('C', (35, 21))):
        x, y = gt[0] + (c + 0.5) * gt[1], gt[3] + (r + 0.5) * gt[5]
        lon, lat, _ = ct.TransformPoint(x, y)
        f.write('"%s",%.9f,%.9f,%.9g\n' % (name.replace('"', '""'), lon, lat, 10 + 1.5 * a[r, c]))
    f.write('BG,116.22,40.29,10\n')
PYEOF
CSVIN="-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326"
check "-eval a CSV of lon/lat with -oo and -s_srs, urban minus -eval_bg" sh -c "$D -star $T/n.star -sz0 0 -rmax 5000 -eval $T/st3.csv $CSVIN -eval_id name -eval_field no2 -eval_bg BG $T/one.tif $T/e3.tif > $T/e3.out 2> $T/e3.err"
check "  the report names the background, the background off the grid is said" sh -c "grep -q \"evaluation at 3 stations (minus background 'BG'): FB 0.400\" $T/e3.out && grep -q \"eval_bg 'BG' is outside the grid: its modelled local increment is taken as 0\" $T/e3.err"
check "  DST.eval.csv: each station's values, the model read back with GDAL, the measures recomputed" $PY - $T <<'PYEOF'
import csv, math, re, sys
from osgeo import gdal
d = sys.argv[1]
rows = list(csv.DictReader(open(d + '/e3.eval.csv')))
assert [r['station'] for r in rows] == ['A "north"', 'B', 'C', 'BG'], rows
assert [r['role'] for r in rows] == ['compared'] * 3 + ['background'], rows
ds = gdal.Open(d + '/e3.tif'); band = ds.GetRasterBand(1).ReadAsArray().astype(float)
gt = ds.GetGeoTransform()
o, p = [], []
for r in rows[:3]:
    c, rr = int((float(r['x']) - gt[0]) / gt[1]), int((float(r['y']) - gt[3]) / gt[5])
    assert abs(float(r['modelled']) - band[rr, c]) <= 1e-5 * band[rr, c], (r, band[rr, c])
    assert abs(float(r['observed_minus_background']) - (float(r['observed']) - 10)) < 1e-6
    assert float(r['modelled_minus_background']) == float(r['modelled'])
    o.append(float(r['observed_minus_background'])); p.append(float(r['modelled_minus_background']))
mo, mp = sum(o) / 3, sum(p) / 3
fb = (mo - mp) / (0.5 * (mo + mp))
nmse = sum((a - b) ** 2 for a, b in zip(o, p)) / 3 / (mo * mp)
out = open(d + '/e3.out').read()
m = re.search(r'FB (\S+)  NMSE (\S+)  FAC2 (\S+)  R (\S+)', out)
assert abs(float(m.group(1)) - fb) < 1e-3 and abs(fb - 0.4) < 1e-4, (m.groups(), fb)
assert abs(float(m.group(2)) - nmse) < 1e-3 and float(m.group(3)) == 1 and float(m.group(4)) > 0.9995, m.groups()
PYEOF
expect_fail "-eval_bg naming no station" 2 "-eval_bg 'Dingling': no station has that id" $T/x.tif \
  $D -q -star $T/n.star -eval $T/st3.csv $CSVIN -eval_id name -eval_field no2 -eval_bg Dingling $T/one.tif $T/x.tif
expect_fail "-eval_bg with FIDs says to name an id field" 2 "ids are FIDs: name a field with -eval_id" $T/x.tif \
  $D -q -star $T/n.star -eval $T/st3.csv $CSVIN -eval_field no2 -eval_bg BG $T/one.tif $T/x.tif
expect_fail "a stations CSV read without its coordinate columns says which -oo to give" 1 \
  "stations: feature 1 has no place .a CSV: -oo X_POSSIBLE_NAMES=lon" $T/x.tif \
  $D -q -star $T/n.star -eval $T/st3.csv -s_srs EPSG:4326 -eval_field no2 $T/one.tif $T/x.tif
check "  and no DST.eval.csv either" test ! -e $T/x.eval.csv
# NO2 by EPA's ARM2: each cell's NOx x the ratio of the sixth-degree polynomial in ppb
# (NOx / 1.88), bounded 0.5-0.9; written out here as a power sum, not Horner's
check "-no2_arm2" $D -q -star $T/y.star -no2_arm2 -scen $T/es.tif $T/eb.tif $T/arm2.tif
check "  NO2 = ARM2(NOx) x NOx in every cell, baseline and scenario" $PY -c "
from osgeo import gdal; import numpy as np
C = [1.2441, -2.7383e-3, -5.6062e-6, 3.4555e-8, -5.8345e-11, 4.2795e-14, -1.1723e-17]
ds = gdal.Open('$T/arm2.tif'); a = [ds.GetRasterBand(i + 1).ReadAsArray().astype(float) for i in range(ds.RasterCount)]
for nox, no2 in ((0, 2), (3, 5)):
    x = a[nox] / 1.88
    r = np.clip(sum(c * x ** k for k, c in enumerate(C)), 0.5, 0.9)
    assert np.abs(a[no2] - r * a[nox]).max() <= 1e-5 * a[nox].max()
assert 'ARM2' in ds.GetMetadataItem('NO2')"
expect_fail "-no2_arm2 and -no2_ratio together" 2 "-no2_ratio and -no2_arm2: give one" $T/x.tif $D -q -star $T/y.star -no2_arm2 -no2_ratio 0.75 $T/eb.tif $T/x.tif

# bad inputs: message, exit code, nothing written
printf 'year,month,day,hour,wd\n2016,1,1,0,N\n' > $T/nows.csv
expect_fail "met without WSPM" 1 "nows.csv:1: no column 'WSPM'" $T/x.tif $D -q -met $T/nows.csv $T/one.tif $T/x.tif
printf 'year,month,day,hour,wd,WSPM\n2016,1,1,0,N,1\n2016,1,1,1,NORTH,2\n' > $T/badwd.csv
expect_fail "a bad wd string names its line" 1 "badwd.csv:3: wd 'NORTH'" $T/x.tif $D -q -met $T/badwd.csv $T/one.tif $T/x.tif
printf 'year,month,day,hour,wd,WSPM\n2016,1,1,0,N,-1\n' > $T/negws.csv
expect_fail "a negative wind speed" 1 "negws.csv:2: WSPM '-1' is not a wind speed" $T/x.tif $D -q -met $T/negws.csv $T/one.tif $T/x.tif
printf 'year,month,day,hour,wd,WSPM\n2016,2,28,1,N,2\n2016,2,30,1,N,2\n' > $T/feb30.csv
expect_fail "30 February" 1 "feb30.csv:3: 2016-02-30 is not a date" $T/x.tif $D -q -met $T/feb30.csv $T/one.tif $T/x.tif
printf 'year,month,day,hour,wd,WSPM\n2016,1,1,5,N,2\n2016,1,1,5,S,4\n' > $T/dup.csv
expect_fail "an hour given twice" 1 "dup.csv:3: 2016-01-01 hour 5 was already given at line 2" $T/x.tif $D -q -met $T/dup.csv $T/one.tif $T/x.tif
truncate -s 300M $T/huge.csv
expect_fail "a 300 MB (sparse) met file is refused before it is read" 1 "huge.csv' is 0.3 GB: more than the 256 MB" $T/x.tif $D -q -met $T/huge.csv $T/one.tif $T/x.tif
rm -f $T/huge.csv
expect_fail "the met reader counts in -max_mem" 1 "reading '.*nongzhanguan_2016.csv' needs about [0-9.]+ MiB: more than -max_mem 1.0 MiB" $T/x.tif $D -q -max_mem 1M -met $MET $T/one.tif $T/x.tif
{ head -n 1 $MET; grep -E '^[0-9]+,2016,(1|7),' $MET | head -n 200; } > $T/y2016.csv
sed -e 's/^\([0-9]*\),2016,/\1,2015,/' $T/y2016.csv | tail -n +2 > $T/y2015.rows
cat $T/y2016.csv $T/y2015.rows > $T/two.csv
$D -q -met $T/two.csv $T/one.tif $T/two.tif 2> $T/two.err
check "a two-year met file is averaged, with a warning naming the years" grep -q "two.csv spans 2015-2016 (2 years)" $T/two.err
check "-met_year takes one year: the same field as that year alone" sh -c "$D -q -met $T/two.csv -met_year 2016 $T/one.tif $T/y1.tif 2>/dev/null && $D -q -met $T/y2016.csv $T/one.tif $T/y2.tif 2>/dev/null && $PY -c \"
from osgeo import gdal; import sys
a = gdal.Open('$T/y1.tif').ReadAsArray(); b = gdal.Open('$T/y2.tif').ReadAsArray()
sys.exit(0 if (a == b).all() else 1)\""
expect_fail "a grid without CRS" 1 "nocrs.tif' has no CRS" $T/x.tif $D -q -star $T/n.star $T/nocrs.tif $T/x.tif
expect_fail "a geographic grid" 1 "geo.tif' is not in a projected CRS" $T/x.tif $D -q -star $T/n.star $T/geo.tif $T/x.tif
expect_fail "cells that are not square" 1 "cells of 100 x 50" $T/x.tif $D -q -star $T/n.star $T/rect.tif $T/x.tif
expect_fail "no meteorology" 2 "give the meteorology: -met" $T/x.tif $D -q $T/one.tif $T/x.tif
printf 'sector_from_deg,speed_ms,stability,freq\n0.0,2.5,D,0.6\n' > $T/bad.star
expect_fail "a STAR table that does not sum to 1" 1 "sum to 0.6" $T/x.tif $D -q -star $T/bad.star $T/one.tif $T/x.tif
expect_fail "a scenario on another grid" 1 "is not on the grid of" $T/x.tif $D -q -star $T/n.star -scen $T/es.tif $T/one.tif $T/x.tif
expect_fail "-max_mem below what the run needs" 1 "needs about [0-9.]+ (KiB|MiB|GiB) .*more than -max_mem 97.7 KiB" $T/x.tif $D -q -star $T/n.star -max_mem 100000 $T/one.tif $T/x.tif
cp $T/c1.tif $T/keep.tif; cp $T/keep.tif $T/keep.ref
$D -q -met $T/badwd.csv $T/one.tif $T/keep.tif 2>/dev/null
check "a failed run leaves the old output intact" cmp $T/keep.tif $T/keep.ref
check "and no wind rose of the failed run" test ! -e $T/x.windrose.svg
end
