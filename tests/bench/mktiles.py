"""Benchmark data of sp-tiles: a 4000x4000 float32 raster of 10 m in EPSG:32650 near
116.45E 39.95N, a smooth emission-density-like field (10-92) with noise, as the issue
describes. Deterministic. Usage: mktiles.py DIR"""
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
