"""Benchmark data of sp-tiles: a 4000x4000 float32 raster of 10 m in EPSG:32650 near
116.45E 39.95N, a smooth emission-density-like field (10-92) with noise, as the issue
describes, and an emission-like one (below). Deterministic. Usage: mktiles.py DIR"""
import sys
import numpy as np
from osgeo import gdal, osr
d = sys.argv[1]
n, res, x0, y1 = 4000, 10.0, 433000.0, 4442000.0
rng = np.random.default_rng(3)
y, x = np.mgrid[0:n, 0:n].astype(np.float32)
v = 10 + 35 * (1 + np.sin(x / 310.0)) * (1 + np.cos(y / 520.0)) / 2
v += rng.uniform(0, 12, (n, n)).astype(np.float32)
srs = osr.SpatialReference(); srs.ImportFromEPSG(32650)
ds = gdal.GetDriverByName('GTiff').Create(d + '/tiles10m.tif', n, n, 1, gdal.GDT_Float32,
                                          ['TILED=YES', 'COMPRESS=DEFLATE'])
ds.SetGeoTransform((x0, res, 0, y1, 0, -res)); ds.SetProjection(srs.ExportToWkt())
ds.GetRasterBand(1).WriteArray(v.astype(np.float32))
ds = None

# The emission-like raster (tiles_emis10m.tif): what sp-grid makes of an inventory, with
# zeros almost everywhere, ~400 road lines (1-3 cells wide, 20-600), ~300 Gaussian plumes
# of point sources (sigma 3-40 cells), and a 700x500 block of nodata (outside the
# district). Same size, CRS and place as the smooth one.
e = np.zeros((n, n), np.float32)
for _ in range(400):
    xa, ya, xb, yb = rng.uniform(0, n, 4)
    k = int(max(abs(xb - xa), abs(yb - ya))) + 1
    xs = np.linspace(xa, xb, k).astype(int).clip(0, n - 1)
    ys = np.linspace(ya, yb, k).astype(int).clip(0, n - 1)
    w = int(rng.integers(1, 4))
    val = np.float32(rng.uniform(20, 600))
    for o in range(w):
        e[(ys + o).clip(0, n - 1), xs] += val
for _ in range(300):
    cx, cy = rng.uniform(0, n, 2)
    s = rng.uniform(3, 40)
    r = int(4 * s) + 1
    x0i, x1i = max(0, int(cx) - r), min(n, int(cx) + r)
    y0i, y1i = max(0, int(cy) - r), min(n, int(cy) + r)
    yy, xx = np.mgrid[y0i:y1i, x0i:x1i].astype(np.float32)
    e[y0i:y1i, x0i:x1i] += np.float32(rng.uniform(50, 2000)) * np.exp(
        -((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * s * s))
e[e < 0.05] = 0
e[3200:3700, 200:900] = -9999
ds = gdal.GetDriverByName('GTiff').Create(d + '/tiles_emis10m.tif', n, n, 1, gdal.GDT_Float32,
                                          ['TILED=YES', 'COMPRESS=DEFLATE'])
ds.SetGeoTransform((x0, res, 0, y1, 0, -res)); ds.SetProjection(srs.ExportToWkt())
b = ds.GetRasterBand(1)
b.SetNoDataValue(-9999)
b.WriteArray(e)
ds = None
