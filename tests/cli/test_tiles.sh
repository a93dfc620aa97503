#!/bin/sh
# End-to-end tests of sp-tiles on the sample district: tile pyramid and files, pixels
# against GDAL (gdaldem color-relief + gdalwarp onto each tile's EPSG:3857 bounds),
# MBTiles read by GDAL and equal to the XYZ files, determinism, -x, overlays, the
# preview page in headless Chromium, and bad inputs.
. tests/cli/lib.sh
S=$SAMPLES
TL=$BIN/sp-tiles
ST=$(pwd)/styles

$BIN/sp-inventory -q -f samples/factors.csv -catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 \
  -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp $T/inv.gpkg
$BIN/sp-grid -q -density -tr 100 100 -tap -t_srs EPSG:32650 -a nox $T/inv.gpkg $T/nox.tif

$TL -z 10-13 -r near -of both -style $ST/nox_density.txt -name "NOx test" $T/nox.tif $T/t > $T/t.out 2> $T/t.err
check "sp-tiles run" test $? = 0
check "report" grep -q "^zooms 10-13, bounds 116.39" $T/t.out
check "progress on stderr" grep -q "100 - done" $T/t.err
n=$(find $T/t -name '*.png' -path '*/1[0-3]/*' | wc -l)
want=$($PY -c "
import math
def tile(lon, lat, z):
    n = 2 ** z; x = int((lon + 180) / 360 * n)
    y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n)
    return x, y
import json; b = json.load(open('$T/t/tiles.json'))['bounds']
t = 0
for z in range(10, 14):
    x0, y0 = tile(b[0], b[3], z); x1, y1 = tile(b[2], b[1], z); t += (x1 - x0 + 1) * (y1 - y0 + 1)
print(t)")
check "every tile of the pyramid over the bounds is written ($n = $want)" test "$n" = "$want"
check "tile 13/6745/3102 (116.45E 39.95N) exists" test -s $T/t/13/6745/3102.png
check "TileJSON 3.0.0" $PY -c "
import json; d = json.load(open('$T/t/tiles.json'))
import os, urllib.parse
# absolute, as TileJSON 3.0.0 asks: without -url, the folder's own file:// address
assert d['tiles'] == ['file://' + urllib.parse.quote(os.path.realpath('$T/t')) + '/{z}/{x}/{y}.png'], d['tiles']
assert d['tilejson'] == '3.0.0' and d['minzoom'] == 10 and d['maxzoom'] == 13
w, s, e, n = d['bounds']; assert 116.3 < w < e < 116.7 and 39.8 < s < n < 40.1 and d['name'] == 'NOx test'"
check "legend.svg is XML with the unit and the breaks" $PY -c "
import xml.etree.ElementTree as E; r = E.parse('$T/t/legend.svg').getroot()
txt = [t.text for t in r.iter('{http://www.w3.org/2000/svg}text')]
assert 't/km2/yr' in txt and '1000' in txt and 'NOx emission density' in txt, txt"
check "index.html and Leaflet beside it" sh -c "test -s $T/t/index.html && test -s $T/t/leaflet/leaflet.js && test -s $T/t/leaflet/leaflet.css"
check "raster tiles are 8-bit palette PNGs" $PY -c "
d = open('$T/t/13/6745/3102.png', 'rb').read(); assert d[25] == 3, d[25]  # IHDR colour type"

# pixels against GDAL: color-relief, then warp onto the tile's exact bounds with the same
# resampling. tiles_vs_gdal TREE ALG MAXALPHA "z x y ..." NCH checks the mean |difference|
# of the first NCH channels where both are opaque (<= 3 of 255: 2.46 on the sample's
# densest tile, where a pixel spans cells of several ramp colours), and the pixels opaque in one only
# (<= MAXALPHA: the edges) against GDAL's warp with ALG or with near, whichever agrees more
gdaldem color-relief -q -alpha $T/nox.tif $ST/nox_density.txt $T/rgba.tif 2>/dev/null
tiles_vs_gdal() {
  $PY -c "
from osgeo import gdal
import numpy as np
R = 20037508.342789244
worst = 0
t = [int(v) for v in '$4'.split()]
for z, x, y in zip(t[0::3], t[1::3], t[2::3]):
    size = 2 * R / 2 ** z; x0 = -R + x * size; y1 = R - y * size
    a = gdal.Warp('/vsimem/ref.tif', '$T/rgba.tif', dstSRS='EPSG:3857', outputBounds=(x0, y1 - size, x0 + size, y1), width=256, height=256, resampleAlg='$2').ReadAsArray().astype(int)
    # a palette PNG is one band with a colour table: expand it to RGBA
    b = gdal.Translate('/vsimem/t.tif', '$1/%d/%d/%d.png' % (z, x, y), rgbExpand='rgba').ReadAsArray().astype(int)
    assert a.shape == b.shape == (4, 256, 256), (a.shape, b.shape)
    both = (a[3] > 0) & (b[3] > 0)
    assert both.sum() > 1000, ('too few opaque pixels to compare', z, x, y)
    for c in range($5):
        worst = max(worst, np.abs(a[c][both] - b[c][both]).mean())
    an = gdal.Warp('/vsimem/refn.tif', '$T/rgba.tif', dstSRS='EPSG:3857', outputBounds=(x0, y1 - size, x0 + size, y1), width=256, height=256, resampleAlg='near').ReadAsArray()[3]
    mism = min(((an > 0) != (b[3] > 0)).sum(), ((a[3] > 0) != (b[3] > 0)).sum())
    assert mism <= $3, ('alpha mismatch', z, x, y, mism)
    print(z, x, y, 'alpha mismatches', mism)
print('worst mean diff', worst)
assert worst <= 3, worst"
}
check "near: mean |difference| per channel <= 3 vs gdaldem + gdalwarp -r near, alpha agrees off the edges" \
  tiles_vs_gdal $T/t near 1024 "13 6745 3102 12 3373 1551 13 6748 3104 11 1686 775" 4
# average (the default) over a colour ramp blends the colours of the cells under a pixel
# by area, as GDAL does, opaque cells only (GDAL takes the alpha band for a mask); where a
# pixel is under a quarter of a cell it takes the cell under its centre (zoom 13 here),
# and there opacity follows GDAL's near; GDAL's average also makes every blended pixel
# fully opaque, so colours are compared (R, G, B).
$TL -q -direct -z 11-13 -style $ST/nox_density.txt $T/nox.tif $T/avg
check "average -direct: mean |difference| per colour channel <= 3 vs gdalwarp -r average" \
  tiles_vs_gdal $T/avg average 1024 "13 6745 3102 12 3373 1551 13 6748 3104 11 1686 775" 3
# average by default: the zooms below the maximum are made from their four children, as
# gdal2tiles makes its lower zooms, from the children's edge planes (a see-through pixel
# whose footprint touches an opaque cell counts as that cell's colour): the same GDAL
# checks as -direct, alpha included. Each parent pixel, recomputed here from the children's
# PNGs: opaque where one of its 2x2 child pixels is, and elsewhere only beside such a pixel
# (a sliver of an opaque cell under a child's footprint, not its centre); its colour the
# mean of the opaque ones' within 3 (the mean is taken along the ramp's look-up table)
$TL -z 11-13 -style $ST/nox_density.txt $T/nox.tif $T/avgp > $T/avgp.out 2>&1
check "average: zoom 12 made from its children" grep -q "^zooms 12-12 made from their children" $T/avgp.out
check "average: zoom 13 as -direct draws it" cmp $T/avg/13/6745/3102.png $T/avgp/13/6745/3102.png
check "average from children: mean |difference| per colour channel <= 3 vs gdalwarp -r average, alpha agrees off the edges" \
  tiles_vs_gdal $T/avgp average 1024 "12 3373 1551 12 3374 1551 13 6748 3104 11 1686 775" 3
check "average from children: each pixel the opaque ones of its 2x2 child pixels, and slivers beside them" $PY -c "
from osgeo import gdal
import numpy as np
def rgba(z, x, y):
    return gdal.Translate('/vsimem/c.tif', '$T/avgp/%d/%d/%d.png' % (z, x, y), rgbExpand='rgba').ReadAsArray().astype(float)
worst = 0
for px, py in ((3373, 1551), (3374, 1551)):
    p = rgba(12, px, py)
    c = np.zeros((4, 512, 512))
    for q in range(4):
        dx, dy = q & 1, q >> 1
        c[:, dy * 256:(dy + 1) * 256, dx * 256:(dx + 1) * 256] = rgba(13, 2 * px + dx, 2 * py + dy)
    blocks = c.reshape(4, 256, 2, 256, 2)
    op = blocks[3] > 0
    n = op.sum(axis=(1, 3))
    assert (p[3][n > 0] > 0).all(), ('opaque children, see-through parent', ((n > 0) & (p[3] == 0)).sum())
    near = np.zeros_like(n, bool)  # beside a parent pixel with an opaque child
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near[max(dy, 0):256 + min(dy, 0), max(dx, 0):256 + min(dx, 0)] |= (n > 0)[max(-dy, 0):256 + min(-dy, 0), max(-dx, 0):256 + min(-dx, 0)]
    extra = (p[3] > 0) & (n == 0)
    inner = np.zeros_like(extra); inner[1:-1, 1:-1] = True  # the outer ring may touch the next tile's children
    assert near[extra & inner].all() and extra.sum() > 0, ('edge pixels', extra.sum(), (extra & inner & ~near).sum())
    print('edge pixels opaque by a sliver', extra.sum())
    m = n > 0
    assert m.sum() > 1000, m.sum()
    for ch in range(3):
        mean = (blocks[ch] * op).sum(axis=(1, 3))[m] / n[m]
        worst = max(worst, np.abs(mean - p[ch][m]).mean())
print('worst mean difference', worst)
assert worst <= 3, worst"

# -values: values.js, the raster on a lon/lat grid; every cell against GDAL: the value of
# the raster cell under the grid cell's centre (OSR's transformation), NaN outside/nodata
$TL -values -z 11-12 -style $ST/nox_density.txt $T/nox.tif $T/val > $T/val.out 2>&1
check "-values: values.js written and reported" sh -c "test -s $T/val/values.js && grep -q '^values: values.js, a [0-9]* x [0-9]* lon/lat grid' $T/val.out"
check "-values: every cell of the grid is the raster's value under its centre (GDAL)" $PY -c "
import json, base64, re
import numpy as np
from osgeo import gdal, osr
js = open('$T/val/values.js').read()
d = json.loads(re.search(r'\] = (\{.*\});\s*$', js, re.S).group(1))
assert d['crs'] == 'EPSG:4326' and d['unit'] == 't/km2/yr' and d['title'] == 'NOx emission density', d['crs']
v = np.frombuffer(base64.b64decode(d['data']), '<f4').reshape(d['h'], d['w'])
ds = gdal.Open('$T/nox.tif'); b = ds.GetRasterBand(1); a = b.ReadAsArray(); nd = b.GetNoDataValue(); gt = ds.GetGeoTransform()
s = osr.SpatialReference(); s.ImportFromEPSG(4326); s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
t = osr.CoordinateTransformation(s, osr.SpatialReference(wkt=ds.GetProjection()))
jj, ii = np.mgrid[0:d['h'], 0:d['w']]
lon = d['west'] + (ii.ravel() + 0.5) * d['dx']; lat = d['north'] - (jj.ravel() + 0.5) * d['dy']
xy = np.array(t.TransformPoints(np.c_[lon, lat]))[:, :2]
c = np.floor((xy[:, 0] - gt[0]) / gt[1]).astype(int); r = np.floor((xy[:, 1] - gt[3]) / gt[5]).astype(int)
inside = (c >= 0) & (r >= 0) & (c < ds.RasterXSize) & (r < ds.RasterYSize)
want = np.full(c.shape, np.nan, np.float32); want[inside] = a[r[inside], c[inside]]
if nd is not None: want[want == nd] = np.nan
got = v.ravel()
same = (got == want) | (np.isnan(got) & np.isnan(want))
# cells as fine as the raster's: 100 m, square on the ground
assert abs(d['dy'] * 111320 - 100) < 2 and abs(d['dx'] * 111320 * np.cos(np.radians(d['north'])) - 100) < 3, (d['dx'], d['dy'])
assert (~np.isnan(want)).sum() > 1000 and np.nanmax(got) > 0
assert same.all(), (~same).sum()
print(got.size, 'cells')"
expect_fail "-values into one MBTiles file" 2 "-values writes values.js of the raster beside the tiles: it needs a raster and a folder OUT" $T/val.mbtiles $TL -values -z 11 -style $ST/nox_density.txt $T/nox.tif $T/val.mbtiles
expect_fail "-values without a raster" 2 "it needs a raster and a folder OUT" $T/valv $TL -values -z 11 -outline $S/streets.shp $T/valv

# MBTiles: GDAL reads it; a tile equals the XYZ file; identical tiles stored once
check "gdalinfo reads the MBTiles (zooms, bounds)" sh -c "gdalinfo $T/t/tiles.mbtiles > $T/gi.txt && grep -q 'minzoom=10' $T/gi.txt && grep -q 'maxzoom=13' $T/gi.txt && grep -q 'bounds=116.39' $T/gi.txt && grep -q 'Overviews: ' $T/gi.txt"
check "MBTiles tile (TMS row) == XYZ file; metadata" $PY -c "
import sqlite3
db = sqlite3.connect('$T/t/tiles.mbtiles')
row = db.execute('select tile_data from tiles where zoom_level=13 and tile_column=6745 and tile_row=5089').fetchone()
assert row and row[0] == open('$T/t/13/6745/3102.png', 'rb').read()
m = dict(db.execute('select name, value from metadata'))
for k in ('name', 'format', 'bounds', 'center', 'minzoom', 'maxzoom', 'type', 'description', 'attribution'): assert k in m, k
assert m['format'] == 'png' and m['type'] == 'overlay'
n, u = db.execute('select count(*), count(distinct tile_id) from map').fetchone()
assert n == $n and db.execute('select count(*) from images').fetchone()[0] == u < n, (n, u)"

# determinism: the same bytes
$TL -q -z 10-13 -r near -of both -style $ST/nox_density.txt -name "NOx test" $T/nox.tif $T/t2
# (tiles.json and WMTSCapabilities.xml name their own folder's address: the rest is bytes)
check "same inputs, same tree and MBTiles bytes" diff -r -x tiles.json -x WMTSCapabilities.xml $T/t $T/t2
check "  and the metadata differ only by the folder's name" sh -c "sed 's#/t2/#/t/#' $T/t2/tiles.json | cmp -s - $T/t/tiles.json && sed 's#/t2/#/t/#' $T/t2/WMTSCapabilities.xml | cmp -s - $T/t/WMTSCapabilities.xml"
# tiles drawn on their own go to the threads in units of several (here ~2,900 tiles of
# zoom 16 on one thread: units of 11, and a last shorter one): every tile is written
$TL -j 1 -z 16-17 -r near -of both -style $ST/nox_density.txt $T/nox.tif $T/units > $T/units.out 2>&1
check "-j 1, zooms 16-17: every tile of the pyramid written, the MBTiles too" sh -c "
  n=\$(sed -n 's/^tiles: \\([0-9]*\\) in the pyramid, \\([0-9]*\\) written.*/\\1 \\2/p' $T/units.out)
  f=\$(find $T/units -path '*/1[67]/*' -name '*.png' | wc -l)
  m=\$($PY -c \"import sqlite3; print(sqlite3.connect('$T/units/tiles.mbtiles').execute('select count(*) from map').fetchone()[0])\")
  test \"\$n\" = \"\$f \$f\" && test \$f = \$m && test \$f -gt 10000"

# PMTiles v3: read back by an independent reader (tests/cli/pmtiles_check.py) against the
# XYZ tree of the same run; one file, -x, threads, and a format clash
$TL -q -z 10-13 -r near -of xyz,pmtiles -style $ST/nox_density.txt -name "NOx 测试" $T/nox.tif $T/pm > /dev/null
check "-of xyz,pmtiles: the archive's tiles are the tree's" sh -c "$PY tests/cli/pmtiles_check.py $T/pm/tiles.pmtiles $T/pm > $T/pm.txt && grep -q 'name NOx 测试' $T/pm.txt"
check "the archive stores each distinct image once" $PY -c "
import re; t = open('$T/pm.txt').read()
n, e, d = map(int, re.search(r'(\d+) tiles = the tree.s, (\d+) entries, (\d+) distinct', t).groups())
assert d < e <= n, t"
$TL -q -j 1 -z 10-13 -r near -style $ST/nox_density.txt -name "NOx 测试" $T/nox.tif $T/one.pmtiles
check "OUT.pmtiles: one file, the same tiles, no side files" sh -c "$PY tests/cli/pmtiles_check.py $T/one.pmtiles $T/pm > /dev/null && ! test -e $T/one && ! ls -a $T | grep -q 'one.pmtiles.tiles'"
check "the same bytes on 1 and 2 threads" cmp $T/one.pmtiles $T/pm/tiles.pmtiles
# the directory against the independent reader where runs of equal tiles exist (z 15 over
# a 100 m grid: one cell spans several tiles): entry count, distinct contents, the data
# section tiled without gaps, runs merged (a split run fails it)
$TL -q -z 10-15 -of xyz,pmtiles -style $ST/nox_density.txt $T/nox.tif $T/pmrun > /dev/null
# ... and the reference reader (npm pmtiles, pinned in tests/browser) over every tile
NODE_MODULES=$(pwd)/$BUILD/browser/node_modules
if [ -d $NODE_MODULES/pmtiles ]; then
  check "the PMTiles reference reader (npm pmtiles) reads every tile of the tree back" sh -c "NODE_PATH=$NODE_MODULES node tests/browser/pmtiles_ref.js $T/pm/tiles.pmtiles $T/pm > $T/pmref.txt && grep -q ' = the tree' $T/pmref.txt"
else
  bad "the pmtiles reference reader is missing (make test installs it: tests/browser)"
fi
check "PMTiles with runs: the directory read back (entries < tiles: runs merged)" sh -c "$PY tests/cli/pmtiles_check.py $T/pmrun/tiles.pmtiles $T/pmrun > $T/pmrun.txt && $PY -c \"
import re, sys
m = re.search(r'(\\d+) tiles = the tree.s, (\\d+) entries', open('$T/pmrun.txt').read())
sys.exit(0 if m and int(m.group(2)) < int(m.group(1)) else 1)\""
$TL -q -x -z 10-13 -r near -of xyz,pmtiles -style $ST/nox_density.txt $T/nox.tif $T/pmx > /dev/null
check "-x: skipped tiles are not in the archive either" $PY tests/cli/pmtiles_check.py $T/pmx/tiles.pmtiles $T/pmx
expect_fail "OUT.pmtiles with -of mbtiles" 2 "is one PMTiles file: -of names another format" $T/bad.pmtiles $TL -q -z 10 -of mbtiles -style $ST/nox_density.txt $T/nox.tif $T/bad.pmtiles
expect_fail "-of with an unknown format" 2 "-of: 'gpkg' is not xyz, mbtiles, pmtiles or both" $T/badf $TL -q -z 10 -of xyz,gpkg -style $ST/nox_density.txt $T/nox.tif $T/badf

# WMTS 1.0.0 capabilities over the tree: GDAL's WMTS driver opens them and reads, through
# the ResourceURL template and the tile limits, every z12 tile as the PNG file holds it
# (no -url: the folder's own absolute file:// address, percent-encoded: a name with a
# blank and Chinese characters)
$TL -q -z 10-12 -r near -style $ST/nox_density.txt -name "NOx <&> 测试" $T/nox.tif "$T/wm 测"
ln -s "$T/wm 测" $T/wm
check "WMTSCapabilities.xml: GDAL reads every tile back through it" $PY -c "
from osgeo import gdal
import numpy as np, glob
gdal.UseExceptions()
gdal.SetConfigOption('GDAL_DEFAULT_WMS_CACHE_PATH', '$T/wmscache')  # not ./gdalwmscache
ds = gdal.OpenEx('WMTS:$T/wm/WMTSCapabilities.xml', open_options=['EXTENT_METHOD=MOST_PRECISE_TILE_MATRIX', 'CLIP_EXTENT_WITH_MOST_PRECISE_TILE_MATRIX_LIMITS=YES'])
gt = ds.GetGeoTransform()
assert abs(gt[1] - 40075016.685578488 / 2 ** 12 / 256) < 1e-9, gt
x0 = round((gt[0] + 20037508.3427892) / (256 * gt[1])); y0 = round((20037508.3427892 - gt[3]) / (256 * gt[1]))
n = 0
for p in glob.glob('$T/wm/12/*/*.png'):
    x, y = int(p.split('/')[-2]), int(p.split('/')[-1][:-4])
    src = gdal.Open(p)
    t = (gdal.Translate('/vsimem/e.tif', src, rgbExpand='rgba') if src.RasterCount == 1 else src).ReadAsArray()
    a = ds.ReadAsArray((x - x0) * 256, (y - y0) * 256, 256, 256)
    assert (a == t).all(), p
    n += 1
assert n >= 4 and ds.RasterXSize * ds.RasterYSize == n * 65536, (n, ds.RasterXSize, ds.RasterYSize)"
check "WMTS: the title escaped, the scale set well-known" sh -c "grep -q 'NOx &lt;&amp;&gt; 测试' $T/wm/WMTSCapabilities.xml && grep -q 'GoogleMapsCompatible' $T/wm/WMTSCapabilities.xml"

# GCJ-02 tiles (-t_coord gcj02): a single hot cell must land where the published GCJ-02
# formula (written again here, in Python) puts its WGS84 position, ~500 m away
$PY -c "
from osgeo import gdal, osr
import numpy as np
d = gdal.GetDriverByName('GTiff').Create('$T/hot.tif', 41, 41, 1, gdal.GDT_Float32)
d.SetGeoTransform((451000 - 20.5 * 20, 20, 0, 4420000 + 20.5 * 20, 0, -20))
s = osr.SpatialReference(); s.ImportFromEPSG(32650); d.SetProjection(s.ExportToWkt())
a = np.zeros((41, 41), np.float32); a[20, 20] = 100; d.GetRasterBand(1).WriteArray(a); d = None"
printf '0 255 255 255 0\n50 255 0 0 255\n100 255 0 0 255\n' > $T/hot.txt
for c in wgs84 gcj02; do $TL -q -z 17 -r near -t_coord $c -style $T/hot.txt $T/hot.tif $T/hot_$c; done
check "-t_coord gcj02: the hot cell sits at its GCJ-02 position (to 1.5 m), not at WGS84" $PY -c "
import glob, math, sys
sys.path.insert(0, 'tests/cli')
from cn_coords import gcj, dist
from osgeo import gdal
import numpy as np
def centre(tree):
    sx = sy = n = 0
    for p in glob.glob(tree + '/17/*/*.png'):
        x, y = int(p.split('/')[-2]), int(p.split('/')[-1][:-4])
        src = gdal.Open(p)
        t = (gdal.Translate('/vsimem/h.tif', src, rgbExpand='rgba') if src.RasterCount == 1 else src).ReadAsArray()
        r, c = np.nonzero(t[3] > 128)
        sx += (x * 256 + c + 0.5).sum(); sy += (y * 256 + r + 0.5).sum(); n += len(r)
    px, py = sx / n, sy / n  # global pixels at z17 -> lon/lat
    w = 256 * 2 ** 17
    lon = px / w * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / w))))
    return lon, lat
w, g = centre('$T/hot_wgs84'), centre('$T/hot_gcj02')
want = gcj(*w)
assert dist(g, want) < 1.5, (g, want, dist(g, want))
assert dist(g, w) > 300, dist(g, w)"
# ... and every output says its grid is shifted, so that no importer places it ~500 m off
$TL -q -z 15-16 -t_coord gcj02 -of xyz,mbtiles,pmtiles -style $T/hot.txt $T/hot.tif $T/hot_gm > /dev/null
$TL -q -z 15-16 -of xyz,mbtiles,pmtiles -style $T/hot.txt $T/hot.tif $T/hot_wm > /dev/null
check "-t_coord gcj02: tiles.json, the MBTiles metadata and the PMTiles metadata name the GCJ-02 grid; plain ones name none" $PY -c "
import json, sqlite3, subprocess
want = 'EPSG:3857 shifted to GCJ-02 (Amap, Tencent)'
for d, c in (('$T/hot_gm', want), ('$T/hot_wm', None)):
    assert json.load(open(d + '/tiles.json')).get('crs') == c, d
    r = sqlite3.connect(d + '/tiles.mbtiles').execute(\"select value from metadata where name = 'crs'\").fetchall()
    assert r == ([(c,)] if c else []), (d, r)
    out = subprocess.run(['$PY', 'tests/cli/pmtiles_check.py', d + '/tiles.pmtiles', d], capture_output=True, text=True, check=True).stdout
    assert out.rstrip().endswith('crs %s' % c), (d, out)
    x = open(d + '/WMTSCapabilities.xml', encoding='utf-8').read()
    assert ('<ows:Identifier>GCJ02WebMercatorQuad</ows:Identifier><ows:Title>%s</ows:Title>' % want in x) == bool(c), d
    assert ('<ows:Identifier>WebMercatorQuad</ows:Identifier>' in x) != bool(c), d
from osgeo import gdal
ds = gdal.Open('WMTS:$T/hot_gm/WMTSCapabilities.xml')
assert ds and ds.GetRasterBand(4).Checksum() > 0"
# ... and all of the raster is drawn: a tile outside the raster's WGS84 box but inside its
# GCJ-02 one (the shift is ~500 m east) must not be skipped as empty
$PY -c "
from osgeo import gdal, osr
import numpy as np
d = gdal.GetDriverByName('GTiff').Create('$T/const.tif', 100, 100, 1, gdal.GDT_Float32)
d.SetGeoTransform((450000, 20, 0, 4420000, 0, -20))
s = osr.SpatialReference(); s.ImportFromEPSG(32650); d.SetProjection(s.ExportToWkt())
d.GetRasterBand(1).WriteArray(np.full((100, 100), 60, np.float32)); d = None"
for c in wgs84 gcj02; do $TL -q -z 16 -t_coord $c -style $T/hot.txt $T/const.tif $T/const_$c; done
check "-t_coord gcj02: as many pixels drawn as without it (the east edge is not lost)" $PY -c "
import glob
from osgeo import gdal
def opaque(tree):
    n = 0
    for p in glob.glob(tree + '/16/*/*.png'):
        n += int((gdal.Translate('/vsimem/c.tif', p, rgbExpand='rgba').ReadAsArray()[3] > 0).sum())
    return n
w, g = opaque('$T/const_wgs84'), opaque('$T/const_gcj02')
assert w > 1000000 and abs(g - w) < 0.01 * w, (w, g)"
# Baidu's tiles (-t_coord bd09): the hot cell lands at its BD-09 position in Baidu's
# Mercator (to 1.5 m), read from Baidu's tile numbers (rows northward from the equator,
# 2^(18 - z) m pixels): WGS84 -> GCJ-02 -> BD-09 -> Baidu's Mercator by tests/cli/cn_coords.py
# (zoom 17 drawn with near; zooms 15-16 of the default average made from their children,
# whose quarters of a parent are flipped northward: the cell must stay put there too)
$TL -q -z 17 -r near -t_coord bd09 -style $T/hot.txt $T/hot.tif $T/hot_bd09
$PY -c "
from osgeo import gdal, osr
import numpy as np
d = gdal.GetDriverByName('GTiff').Create('$T/hot4k.tif', 201, 201, 1, gdal.GDT_Float32)
d.SetGeoTransform((451000 - 100.5 * 20, 20, 0, 4420000 + 100.5 * 20, 0, -20))
s = osr.SpatialReference(); s.ImportFromEPSG(32650); d.SetProjection(s.ExportToWkt())
a = np.zeros((201, 201), np.float32); a[100, 100] = 100; d.GetRasterBand(1).WriteArray(a); d = None"
$TL -z 15-17 -j 1 -t_coord bd09 -style $T/hot.txt $T/hot4k.tif $T/hot_bd09p > $T/bdp.out 2>&1
check "-t_coord bd09: zooms 15-16 made from their children" grep -q "^zooms 15-16 made from their children" $T/bdp.out
check "-t_coord bd09: the hot cell sits at its position in Baidu's Mercator and tile numbers" $PY -c "
import glob, math, sys
sys.path.insert(0, 'tests/cli')
from cn_coords import gcj, bd09, bd09mc
from osgeo import gdal
import numpy as np
def centre(tree, bd, z=17):
    sx = sy = n = 0
    for p in glob.glob(tree + '/%d/*/*.png' % z):
        x, y = int(p.split('/')[-2]), int(p.split('/')[-1][:-4])
        t = gdal.Translate('/vsimem/h.tif', p, rgbExpand='rgba').ReadAsArray()
        r, c = np.nonzero(t[3] > 128)
        res = 2.0 ** (18 - z) if bd else 2 * 20037508.342789244 / 2 ** z / 256
        if bd:  # Baidu: tile y spans [y, y + 1) x 256 px northward; PNG rows from the top
            sx += ((x * 256 + c + 0.5) * res).sum(); sy += (((y + 1) * 256 - r - 0.5) * res).sum()
        else:
            sx += (-20037508.342789244 + (x * 256 + c + 0.5) * res).sum()
            sy += (20037508.342789244 - (y * 256 + r + 0.5) * res).sum()
        n += len(r)
    return sx / n, sy / n
mx, my = centre('$T/hot_wgs84', False)
lon, lat = math.degrees(mx / 6378137), math.degrees(2 * math.atan(math.exp(my / 6378137)) - math.pi / 2)
want = bd09mc(*bd09(*gcj(lon, lat)))
got = centre('$T/hot_bd09', True)
d = math.hypot(got[0] - want[0], got[1] - want[1])
print('bd09 centre', got, 'want', want, 'off by', d, 'm (Baidu Mercator)')
assert d < 1.5, d
for z in (15, 16):  # the pyramid: within a pixel of zoom 15 (8 m)
    got = centre('$T/hot_bd09p', True, z)
    d = math.hypot(got[0] - want[0], got[1] - want[1])
    print('zoom', z, 'off by', d, 'm')
    assert d < 8, (z, d)"
check "-t_coord bd09: tiles.json says Baidu's grid, no WMTS (no EPSG code for it)" sh -c "grep -q '\"crs\": \"BD-09 Mercator' $T/hot_bd09/tiles.json && ! test -e $T/hot_bd09/WMTSCapabilities.xml"
# -values on Baidu's grid: a BD-09 lon/lat grid whose cells of 100 centre on the hot cell's
# BD-09 position (its UTM centre by OSR, then cn_coords) to within a grid cell
$TL -q -z 16 -values -t_coord bd09 -style $T/hot.txt $T/hot.tif $T/hot_bdv
check "-t_coord bd09 -values: values.js on a BD-09 grid, the hot cell where BD-09 puts it" $PY -c "
import json, base64, re, math, sys
sys.path.insert(0, 'tests/cli')
from cn_coords import gcj, bd09, dist
import numpy as np
from osgeo import osr
js = open('$T/hot_bdv/values.js').read()
d = json.loads(re.search(r'\] = (\{.*\});\s*$', js, re.S).group(1))
assert d['crs'] == 'BD-09', d['crs']
v = np.frombuffer(base64.b64decode(d['data']), '<f4').reshape(d['h'], d['w'])
r, c = np.nonzero(v == 100)
assert len(r) > 0
got = (d['west'] + (c.mean() + 0.5) * d['dx'], d['north'] - (r.mean() + 0.5) * d['dy'])
u = osr.SpatialReference(); u.ImportFromEPSG(32650)
g = osr.SpatialReference(); g.ImportFromEPSG(4326); g.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
lon, lat, _ = osr.CoordinateTransformation(u, g).TransformPoint(451000, 4420000)
want = bd09(*gcj(lon, lat))
cell = dist((0, want[1]), (d['dx'], want[1] + d['dy']))
print('off by', dist(got, want), 'm; a grid cell', cell, 'm')
assert dist(got, want) < cell, (got, want)"
expect_fail "-tiling bd09 with -t_coord gcj02 is refused" 2 "not with Baidu's grid" $T/hotg $TL -q -z 17 -tiling bd09 -t_coord gcj02 -style $T/hot.txt $T/hot.tif $T/hotg
expect_fail "-t_coord bd09 to MBTiles is refused" 2 "bd09 makes an XYZ tree only" $T/hotb.mbtiles $TL -q -z 17 -t_coord bd09 -style $T/hot.txt $T/hot.tif $T/hotb.mbtiles
expect_fail "-t_coord bd09 with -tiling cgcs2000 is refused" 2 "Baidu's own tiles: not with -tiling cgcs2000" $T/hotc $TL -q -z 17 -t_coord bd09 -tiling cgcs2000 -style $T/hot.txt $T/hot.tif $T/hotc

# Tianditu's CGCS2000 grid (-tiling cgcs2000): the hot cell lands where its lon/lat (from
# GDAL's own UTM -> EPSG:4490 transformation) falls in the "c" grid, whose tile numbers are
# written again here from the grid's definition (tiles of 360/2^z degrees from 180W, 90N)
$TL -q -z 17 -r near -tiling cgcs2000 -style $T/hot.txt $T/hot.tif $T/hot_cgcs
check "-tiling cgcs2000: the hot cell sits at its lon/lat in the c grid (to 1.5 m)" $PY -c "
import glob, math
from osgeo import gdal, osr
import numpy as np
sx = sy = n = 0
files = glob.glob('$T/hot_cgcs/17/*/*.png')
for p in files:
    x, y = int(p.split('/')[-2]), int(p.split('/')[-1][:-4])
    src = gdal.Open(p)
    t = (gdal.Translate('/vsimem/h.tif', src, rgbExpand='rgba') if src.RasterCount == 1 else src).ReadAsArray()
    r, c = np.nonzero(t[3] > 128)
    sx += (x * 256 + c + 0.5).sum(); sy += (y * 256 + r + 0.5).sum(); n += len(r)
deg = 360 / 2 ** 17 / 256
lon, lat = -180 + sx / n * deg, 90 - sy / n * deg
u = osr.SpatialReference(); u.ImportFromEPSG(32650)
g = osr.SpatialReference(); g.ImportFromEPSG(4490); g.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
wl, wt, _ = osr.CoordinateTransformation(u, g).TransformPoint(451000, 4420000)
d = math.hypot((lon - wl) * 111320 * math.cos(math.radians(wt)), (lat - wt) * 110540)
assert d < 1.5, (lon, lat, wl, wt, d)
assert 300 < n < 700, n  # a 20 m cell is ~21 px of 0.9 m: ~440 px"
$TL -q -z 12-13 -r near -tiling cgcs2000 -url "file://$T/cg" -style $ST/nox_density.txt $T/nox.tif $T/cg
check "-tiling cgcs2000: GDAL's WMTS driver reads every level-13 tile back through the c matrix set" $PY -c "
from osgeo import gdal
import glob
gdal.UseExceptions()
gdal.SetConfigOption('GDAL_DEFAULT_WMS_CACHE_PATH', '$T/wmscache')
ds = gdal.OpenEx('WMTS:$T/cg/WMTSCapabilities.xml', open_options=['EXTENT_METHOD=MOST_PRECISE_TILE_MATRIX', 'CLIP_EXTENT_WITH_MOST_PRECISE_TILE_MATRIX_LIMITS=YES'])
assert '4490' in ds.GetProjection(), ds.GetProjection()[:80]
gt = ds.GetGeoTransform()
assert abs(gt[1] - 360 / 2 ** 13 / 256) < 1e-15, gt
x0 = round((gt[0] + 180) / (256 * gt[1])); y0 = round((90 - gt[3]) / (256 * gt[1]))
n = 0
for p in glob.glob('$T/cg/13/*/*.png'):
    x, y = int(p.split('/')[-2]), int(p.split('/')[-1][:-4])
    src = gdal.Open(p)
    t = (gdal.Translate('/vsimem/e.tif', src, rgbExpand='rgba') if src.RasterCount == 1 else src).ReadAsArray()
    a = ds.ReadAsArray((x - x0) * 256, (y - y0) * 256, 256, 256)
    assert (a == t).all(), p
    n += 1
assert n >= 2 and ds.RasterXSize * ds.RasterYSize == n * 65536, (n, ds.RasterXSize, ds.RasterYSize)"
check "-tiling cgcs2000: the page uses Leaflet's EPSG:4326 CRS, one zoom below the levels" sh -c "grep -q 'crs: L.CRS.EPSG4326' $T/cg/index.html && grep -q 'zoomOffset: 1' $T/cg/index.html"
expect_fail "-tiling cgcs2000 into MBTiles" 2 "XYZ tree only: MBTiles holds Web Mercator tiles by its spec" $T/cg.mbtiles $TL -q -z 12 -tiling cgcs2000 -style $ST/nox_density.txt $T/nox.tif $T/cg.mbtiles
expect_fail "-tiling cgcs2000 with -t_coord gcj02" 2 "CGCS2000 grid is not shifted" $T/cgg $TL -q -z 12 -tiling cgcs2000 -t_coord gcj02 -style $ST/nox_density.txt $T/nox.tif $T/cgg
expect_fail "-tiling cgcs2000 at level 0" 2 "the cgcs2000 tiling starts at level 1" $T/cg0 $TL -q -z 0-3 -tiling cgcs2000 -style $ST/nox_density.txt $T/nox.tif $T/cg0
expect_fail "an unknown -tiling" 2 "-tiling: 'tianditu' is not webmercator, cgcs2000 or bd09" $T/cgu $TL -q -z 12 -tiling tianditu -style $ST/nox_density.txt $T/nox.tif $T/cgu

# a style by name from the build tree, an unknown name, and a PMTiles archive with no
# tile at all (everything skipped): errors, exit codes, no output left
check "-style NAME from the build tree" $TL -q -z 10 -style nox_density $T/nox.tif $T/byname
expect_fail "an unknown style name" 2 "style 'nosuch': no such file, and no onemap style" $T/nsn $TL -q -z 10 -style nosuch $T/nox.tif $T/nsn
$PY -c "
from osgeo import gdal
d = gdal.Open('$T/hot.tif'); z = gdal.GetDriverByName('GTiff').CreateCopy('$T/zero.tif', d)
b = z.GetRasterBand(1); b.Fill(0); z = None"
expect_fail "-x with nothing drawn into OUT.pmtiles" 1 "no tiles to store: a PMTiles archive cannot be empty" $T/empty.pmtiles $TL -q -x -z 12 -style $T/hot.txt $T/zero.tif $T/empty.pmtiles

# -x skips empty tiles; MBTiles-only file; re-running replaces OUT
$TL -q -x -z 10-13 -style $ST/nox_density.txt $T/nox.tif $T/tx
nx=$(find $T/tx -name '*.png' -path '*/1[0-3]/*' | wc -l)
check "-x writes fewer tiles ($nx < $n)" test "$nx" -lt "$n"
$TL -q -z 10-12 -style $ST/nox_density.txt $T/nox.tif $T/one.mbtiles
check "OUT.mbtiles: one MBTiles file, no tree, no temporary folder" sh -c "test -f $T/one.mbtiles && ! ls -a $T | grep -q tmp- && ! test -e $T/10 && ! test -e $T/one"
$TL -q -z 10-11 -style $ST/nox_density.txt $T/nox.tif $T/tx
check "re-run replaces OUT as a whole (no zoom 12-13 left)" sh -c "! test -e $T/tx/12 && test -d $T/tx/11"

# threads do not change the bytes; zlib level changes the size, not the pixels;
# bilinear is close to near but not the same
$TL -q -j 1 -z 10-13 -r near -of both -style $ST/nox_density.txt -name "NOx test" $T/nox.tif $T/t1
check "-j 1 gives the same bytes as two threads" diff -r -x tiles.json -x WMTSCapabilities.xml $T/t $T/t1
$TL -q -zlevel 6 -z 13 -r near -style $ST/nox_density.txt $T/nox.tif $T/l1
check "-zlevel 6: same pixels, other bytes" $PY -c "
from osgeo import gdal
import numpy as np
a = gdal.Translate('/vsimem/a.tif', '$T/l1/13/6745/3102.png', rgbExpand='rgba').ReadAsArray()
b = gdal.Translate('/vsimem/b.tif', '$T/t/13/6745/3102.png', rgbExpand='rgba').ReadAsArray()
assert (a == b).all()
assert open('$T/l1/13/6745/3102.png', 'rb').read() != open('$T/t/13/6745/3102.png', 'rb').read()"
# every cell is coloured once (a byte per cell) for average over a ramp and for near
# zoomed in past the cells; without the memory for it (-max_mem between 4 and 5 bytes per
# cell) the tiles are the same
cells=$($PY -c "from osgeo import gdal; d = gdal.Open('$T/nox.tif'); print(d.RasterXSize * d.RasterYSize)")
$TL -z 14-15 -r average -style $ST/nox_density.txt $T/nox.tif $T/ix1 > $T/ix1.out 2>&1
$TL -z 14-15 -r average -max_mem $((cells * 4 + cells / 2)) -style $ST/nox_density.txt $T/nox.tif $T/ix2 > $T/ix2.out 2>&1
check "average: cells coloured once" grep -q "each cell coloured once" $T/ix1.out
check "without the memory for it: not" sh -c "! grep -q 'coloured once' $T/ix2.out && grep -q 'tiles:' $T/ix2.out"
$TL -z 9-10 -r near -style $ST/nox_density.txt $T/nox.tif $T/ix0 > $T/ix0.out 2>&1
check "near zoomed out: not" sh -c "! grep -q 'coloured once' $T/ix0.out && grep -q 'tiles:' $T/ix0.out"
check "average zoomed in: per-cell colours or none, the same tiles" diff -r -x tiles.json -x WMTSCapabilities.xml $T/ix1 $T/ix2
$TL -q -z 14-15 -r near -style $ST/nox_density.txt $T/nox.tif $T/ix3
$TL -q -z 14-15 -r near -max_mem $((cells * 4 + cells / 2)) -style $ST/nox_density.txt $T/nox.tif $T/ix4
check "near: per-cell colours or none, the same tiles" diff -r -x tiles.json -x WMTSCapabilities.xml $T/ix3 $T/ix4
check "tiles were drawn ($(find $T/ix1 -name '*.png' | wc -l) files)" test $(find $T/ix1/14 $T/ix1/15 -name '*.png' | wc -l) -gt 20
$TL -q -zlevel 0 -z 13 -r near -style $ST/nox_density.txt $T/nox.tif $T/l0
check "-zlevel 0 (stored): larger, the same pixels" $PY -c "
from osgeo import gdal
a = gdal.Translate('/vsimem/a0.tif', '$T/l0/13/6745/3102.png', rgbExpand='rgba').ReadAsArray()
b = gdal.Translate('/vsimem/b0.tif', '$T/t/13/6745/3102.png', rgbExpand='rgba').ReadAsArray()
import os
assert (a == b).all()
assert os.path.getsize('$T/l0/13/6745/3102.png') > os.path.getsize('$T/t/13/6745/3102.png')"
$TL -q -z 13 -r bilinear -style $ST/nox_density.txt $T/nox.tif $T/bl
check "-r bilinear differs from near" sh -c "test -s $T/bl/13/6745/3102.png && test -s $T/t/13/6745/3102.png && ! cmp -s $T/bl/13/6745/3102.png $T/t/13/6745/3102.png"
# MBTiles into a folder: no tree; tiles.json only with -url
$TL -q -z 10-11 -of mbtiles -style $ST/nox_density.txt $T/nox.tif $T/mb
check "-of mbtiles: tiles.mbtiles and legend, no tree, no tiles.json, no page" sh -c "test -s $T/mb/tiles.mbtiles && test -s $T/mb/legend.svg && ! test -e $T/mb/10 && ! test -e $T/mb/tree && ! ls -a $T | grep -q '^[.]mb[.]tmp' && ! test -e $T/mb/tiles.json && ! test -e $T/mb/index.html"
$TL -q -z 10-11 -of mbtiles -url https://eco-brain.example/tiles/nox -style $ST/nox_density.txt $T/nox.tif $T/mb2
check "-url prefixes the tile URL in tiles.json" grep -q '"tiles": \["https://eco-brain.example/tiles/nox/{z}/{x}/{y}.png"\]' $T/mb2/tiles.json
# without Leaflet: tiles, a warning, no page
ONEMAP_LEAFLET=$T/none $TL -q -z 10 -style $ST/nox_density.txt $T/nox.tif $T/nl 2> $T/nl.err
check "no Leaflet: tiles made, page not, and a warning says so" sh -c "test -s $T/nl/tiles.json && ! test -e $T/nl/index.html && grep -q 'no Leaflet in' $T/nl.err"

# overlays: streets outlined, a choropleth under them (RGBA tiles)
$BIN/sp-zonal -q -id code -include name -stats sum,density $T/nox.tif $S/streets.shp $T/z.gpkg 2>/dev/null
$TL -q -z 10-12 -style $ST/nox_density.txt -outline $S/streets.shp -outline_style $ST/boundaries.txt $T/nox.tif $T/o
check "outlines make RGBA tiles with dark anti-aliased pixels" $PY -c "
from osgeo import gdal
import numpy as np
a = gdal.Open('$T/o/12/3373/1551.png').ReadAsArray().astype(int)
assert a.shape[0] == 4
dark = (a[0] < 90) & (a[3] > 200); mid = (a[3] > 20) & (a[3] < 200) & (a[0] < 140)
assert dark.sum() > 100, dark.sum()"
# -qml: the raster's ramp as a QGIS style (QGIS is not in CI: the file's content is
# checked against the style file, read here): interpolated, exact and nearest ramps
$TL -q -z 10 -style $ST/nox_density.txt -qml $T/nox.qml $T/nox.tif $T/q1
printf '# mode: exact\n# unit: t/km2/yr\n1 255 0 0\n2 0 255 0\n3 0 0 255 128\n' > $T/ex.txt
printf '# mode: nearest\n1 255 0 0\n3 0 255 0\n10 0 0 255\n' > $T/ne.txt
$TL -q -z 10 -b 1 -style $T/ex.txt -qml $T/ex.qml $T/nox.tif $T/q2
$TL -q -z 10 -style $T/ne.txt -qml $T/ne.qml $T/nox.tif $T/q3
check "-qml: QGIS's pseudocolour renderer with the style's entries, its mode and the band" $PY - $T $ST/nox_density.txt <<'PYEOF'
import sys, math
import xml.etree.ElementTree as E
T, st = sys.argv[1], sys.argv[2]
def entries(path):
    out = []
    for l in open(path, encoding='utf-8'):
        w = l.split('#')[0].replace(',', ' ').split()
        if w and w[0] != 'nv': out.append((float(w[0]), [int(x) for x in w[1:]]))
    return sorted(out)
def items(path, want_type, band=1):
    r = E.parse(path).getroot()
    rr = r.find('pipe/rasterrenderer'); sh = rr.find('rastershader/colorrampshader')
    assert rr.get('type') == 'singlebandpseudocolor' and rr.get('band') == str(band), rr.attrib
    assert sh.get('colorRampType') == want_type, sh.attrib
    return [(float(i.get('value')), i.get('color'), int(i.get('alpha')), i.get('label')) for i in sh.findall('item')]
hexc = lambda c: '#%02x%02x%02x' % tuple(c[:3])
for (v, c), (iv, ic, ia, lab) in zip(entries(st), items(T + '/nox.qml', 'INTERPOLATED')):
    assert iv == v and ic == hexc(c) and ia == (c[3] if len(c) > 3 else 255) and lab.endswith('t/km2/yr'), (v, c, iv, ic, ia, lab)
assert len(items(T + '/nox.qml', 'INTERPOLATED')) == len(entries(st))
assert [(v, c) for v, c, a, l in items(T + '/ex.qml', 'EXACT')] == [(1, '#ff0000'), (2, '#00ff00'), (3, '#0000ff')]
assert [a for v, c, a, l in items(T + '/ex.qml', 'EXACT')] == [255, 255, 128]
# nearest: each colour up to halfway to the next entry, the last to infinity
assert [(v, c) for v, c, a, l in items(T + '/ne.qml', 'DISCRETE')] == [(2, '#ff0000'), (6.5, '#00ff00'), (math.inf, '#0000ff')]
PYEOF
expect_fail "-qml without a raster" 2 "-qml is the raster's style: give a raster" $T/q4.qml $TL -q -z 10 -fill $T/z.gpkg -fill_field nox_density -fill_style nox_density -qml $T/q4.qml $T/q4
expect_fail "-qml of a failing run: no style left either" 2 "style 'pm25_conc' is for ug/m3" $T/q5.qml $TL -q -z 10 -style pm25_conc -qml $T/q5.qml $T/nox.tif $T/q5
# every PNG is well formed by an independent checker (pngcheck: CRCs, chunk order, zlib
# streams), palette tiles and RGBA overlay tiles alike
if command -v pngcheck > /dev/null; then
  check "pngcheck passes every tile of a palette tree and an RGBA tree" sh -c "n=\$(find $T/pm $T/o -name '*.png' | wc -l) && test \$n -gt 20 && find $T/pm $T/o -name '*.png' -print0 | xargs -0 pngcheck -q"
else
  bad "pngcheck is missing (make test installs it: TEST_PKGS)"
fi
# every style flag takes onemap's names: the same tiles as with the files' paths
$TL -q -z 10-12 -style nox_density -outline $S/streets.shp -outline_style boundaries $T/nox.tif $T/o_named
check "-style and -outline_style by name: the same tiles as by path" sh -c "cd $T/o && find . -name '*.png' | sort > $T/o.lst && while read f; do cmp -s $T/o/\$f $T/o_named/\$f || exit 1; done < $T/o.lst && test -s $T/o.lst"
expect_fail "an outline style of no such name" 2 "style 'kerbs': no such file, and no onemap style of that name \\(.*boundaries\\)" $T/o_bad $TL -q -z 10 -outline $S/streets.shp -outline_style kerbs $T/o_bad
printf 'width 2\ncolor 200 30 60 255\n' > $T/red.txt
$TL -q -z 12 -outline $S/streets.shp -outline_style $T/red.txt $T/oc
# (straight RGBA: an opaque pixel is the colour to 1, a half-transparent one to the
# rounding of un-premultiplying, 3; fainter ones are left out)
check "outline pixels carry the style's colour (R 200, G 30, B 60)" $PY -c "
from osgeo import gdal
import numpy as np, glob
n = 0
for p in glob.glob('$T/oc/12/*/*.png'):
    a = gdal.Open(p).ReadAsArray().astype(int)
    for lo, tol in ((255, 1), (128, 3)):
        on = a[3] >= lo
        n += on.sum()
        assert (abs(a[0][on] - 200) <= tol).all() and (abs(a[1][on] - 30) <= tol).all() and (abs(a[2][on] - 60) <= tol).all(), p
assert n > 1000, n"
$TL -q -z 10-11 -fill $T/z.gpkg -fill_field nox_density -fill_style $ST/nox_density.txt -outline $S/streets.shp $T/f
$TL -q -z 10-11 -fill $T/z.gpkg -fill_field nox_density -fill_style nox_density -outline $S/streets.shp $T/f_named
check "-fill_style by name: the same tiles" sh -c "cd $T/f && find . -name '*.png' | sort > $T/f.lst && while read f; do cmp -s $T/f/\$f $T/f_named/\$f || exit 1; done < $T/f.lst && test -s $T/f.lst"
check "choropleth without a raster" sh -c "test -s $T/f/11/1686/775.png && test -s $T/f/index.html"

# the preview page in headless Chromium, opened from disk
if command -v chromium > /dev/null; then
  mkdir -p $BUILD/tests
  (cd $T/t && timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
     --window-size=1000,800 --virtual-time-budget=5000 --dump-dom "file://$T/t/index.html" > $T/dom.html 2>/dev/null)
  loaded=$(sed -n 's/.*data-loaded="\([0-9]*\)".*/\1/p' $T/dom.html | head -1)
  failed=$(sed -n 's/.*data-failed="\([0-9]*\)".*/\1/p' $T/dom.html | head -1)
  check "browser: tiles loaded > 0 ($loaded) and failed = 0 ($failed)" test "${loaded:-0}" -gt 0 -a "${failed:-1}" = 0
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
     --window-size=1000,800 --virtual-time-budget=5000 --screenshot=$(pwd)/$BUILD/tests/preview.png "file://$T/t/index.html" > /dev/null 2>&1
  check "browser: screenshot kept as build/tests/preview.png" test -s $BUILD/tests/preview.png
  # Baidu's tiles in their own preview: Leaflet asks for rows southward, the page maps them
  # to Baidu's (-row - 1); a wrong mapping asks for tiles that are not there
  $TL -q -z 13-15 -t_coord bd09 -style $ST/nox_density.txt $T/nox.tif $T/bdp
  (cd $T/bdp && timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
     --window-size=1000,800 --virtual-time-budget=5000 --dump-dom "file://$T/bdp/index.html" > $T/bdom.html 2>/dev/null)
  loaded=$(sed -n 's/.*data-loaded="\([0-9]*\)".*/\1/p' $T/bdom.html | head -1)
  failed=$(sed -n 's/.*data-failed="\([0-9]*\)".*/\1/p' $T/bdom.html | head -1)
  check "browser, Baidu's tiles: loaded > 0 ($loaded) and failed = 0 ($failed)" test "${loaded:-0}" -gt 0 -a "${failed:-1}" = 0
else
  bad "chromium is not installed (make test installs it: make check-test-deps)"
fi

# bad inputs
O=$T/bad
expect_fail "raster without -style" 2 "a raster needs -style FILE" $O $TL $T/nox.tif $O
expect_fail "missing raster" 1 "cannot open '.*nope.tif'" $O $TL -style $ST/nox_density.txt $T/nope.tif $O
printf '0 0 0 0\n10 255 0\n' > $T/bad.txt
expect_fail "bad style line" 1 "bad.txt:2: want 'VALUE R G B \[A\]'" $O $TL -style $T/bad.txt $T/nox.tif $O
expect_fail "bad -z" 2 "-z: '13-10' is not MIN-MAX" $O $TL -z 13-10 -style $ST/nox_density.txt $T/nox.tif $O
expect_fail "no such band" 2 "has 1 band\(s\), no band 2" $O $TL -b 2 -style $ST/nox_density.txt $T/nox.tif $O
expect_fail "-fill without a field" 2 "-fill needs -fill_field" $O $TL -z 10 -fill $T/z.gpkg $O
expect_fail "nothing to draw" 2 "need \[RASTER\] OUT" "" $TL
# the legend says the data's range and stops at the first break at or above its maximum:
# a change of at most 0.53 ug/m3 on the 0.03-30 ramp is shown to 1, not to 30 (oracle: the
# band's range from GDAL, the breaks parsed from the style file here)
$PY - $T/nox.tif $T/small.tif <<'PYEOF'
import sys
from osgeo import gdal
src = gdal.Open(sys.argv[1]); a = src.GetRasterBand(1).ReadAsArray().astype(float)
d = gdal.GetDriverByName('GTiff').CreateCopy(sys.argv[2], src); d.GetRasterBand(1).WriteArray(a / a.max() * 0.53)
d.GetRasterBand(1).SetUnitType('ug/m3'); d = None
PYEOF
check "sp-tiles on a small change" $TL -q -z 10-11 -style $ST/pm25_change.txt $T/small.tif $T/tsmall
# a style for another unit is refused (its legend would name the wrong unit): the density
# ramp on the ug/m3 band, the ug/m3 ramp on the t/km2/yr one; a style without a unit passes
expect_fail "a t/km2/yr style on a ug/m3 band" 2 "style 'nox_density' is for t/km2/yr, and band 1 of '.*small.tif' is in ug/m3" $T/tu1 $TL -q -z 10 -style nox_density $T/small.tif $T/tu1
expect_fail "a ug/m3 style on a t/km2/yr band" 2 "style 'pm25_conc' is for ug/m3, and band 1 of '.*nox.tif' is in t/km2/yr" $T/tu2 $TL -q -z 10 -style pm25_conc $T/nox.tif $T/tu2
check "the monthly ramp by name on a ug/m3 band: its legend says monthly mean" sh -c "$TL -q -z 10 -style pm25_conc_month $T/small.tif $T/tmon && grep -q 'monthly mean' $T/tmon/legend.svg && ! grep -q 'annual mean' $T/tmon/legend.svg"
grep -v '^# unit' $ST/nox_density.txt > $T/nounit.txt
check "  a style without '# unit:' is not checked" $TL -q -z 10 -style $T/nounit.txt $T/small.tif $T/tu3
check "  its legend: the data's range, the ramp up to the first break above it" $PY - $T $ST/pm25_change.txt <<'PYEOF'
import re, sys
from osgeo import gdal
d, style = sys.argv[1], sys.argv[2]
ds = gdal.Open(d + '/small.tif'); st = ds.GetRasterBand(1).ComputeRasterMinMax(False)
svg = open(d + '/tsmall/legend.svg').read()
m = re.search(r'data: (\S+) to (\S+)</text>', svg)
assert m and float(m.group(2)) == float('%.4g' % st[1]) and float(m.group(1)) == float('%.4g' % st[0]), (m and m.groups(), st)
breaks = [float(l.split()[0]) for l in open(style) if l.strip() and l[0] not in '#n']
top = min(b for b in breaks if b >= st[1])
labels = [float(x) for x in re.findall(r'<text x="42" y="\d+">([^<]+)</text>', svg)]
assert max(labels) == top == 1 and labels == [b for b in breaks if b <= top], (labels, top)
PYEOF
check "  a grid that reaches the top break keeps the whole ramp" sh -c "$TL -q -z 10 -style $ST/nox_density.txt $T/nox.tif $T/tfull && grep -q '>1000</text>' $T/tfull/legend.svg"
expect_fail "overlays only, no zooms" 2 "without a raster, give the zooms" $O $TL -outline $S/streets.shp $O
expect_fail "points as outline" 1 "is not a polygon" $O $TL -z 10 -outline $S/stations.shp $O
expect_fail "-leaflet without leaflet.js" 2 "-leaflet: no leaflet.js in" $O $TL -z 10 -leaflet $T -style $ST/nox_density.txt $T/nox.tif $O
expect_fail "unknown -of" 2 "-of: 'png' is not xyz" $O $TL -of png -style $ST/nox_density.txt $T/nox.tif $O
end
