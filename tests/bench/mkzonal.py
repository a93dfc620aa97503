"""Benchmark data of sp-zonal: a 4000x4000 float64 raster of 100 m in EPSG:32650 (four
bands, random, uncompressed) and 1,600 zones tiling it (a 40 x 40 lattice of jittered
shared vertices). Deterministic. Usage: mkzonal.py DIR"""
import random, sys
import numpy as np
from osgeo import gdal, ogr, osr
d = sys.argv[1]
srs = osr.SpatialReference(); srs.ImportFromEPSG(32650)
x0, y1, n, res = 440000.0, 4800000.0, 4000, 100.0
rng = np.random.default_rng(1)
ds = gdal.GetDriverByName('GTiff').Create(d + '/zonal.tif', n, n, 4, gdal.GDT_Float64, ['TILED=YES'])
ds.SetGeoTransform((x0, res, 0, y1, 0, -res)); ds.SetProjection(srs.ExportToWkt())
for b in range(4):
    ds.GetRasterBand(b + 1).WriteArray(rng.random((n, n)))
    ds.GetRasterBand(b + 1).SetDescription('b%d' % (b + 1))
ds = None
k, x1, y0 = 40, x0 + n * res, y1 - n * res
def v(i, j):
    x = x0 + (x1 - x0) * i / k; y = y0 + (y1 - y0) * j / k
    if 0 < i < k: x += random.Random(i * 1000 + j).uniform(-3000, 3000)
    if 0 < j < k: y += random.Random(j * 100000 + i).uniform(-3000, 3000)
    return x, y
out = ogr.GetDriverByName('GPKG').CreateDataSource(d + '/zones.gpkg')
l = out.CreateLayer('zones', srs, ogr.wkbPolygon); l.CreateField(ogr.FieldDefn('zid', ogr.OFTInteger))
l.StartTransaction()
for i in range(k):
    for j in range(k):
        r = ogr.Geometry(ogr.wkbLinearRing)
        for p in (v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)): r.AddPoint_2D(*p)
        g = ogr.Geometry(ogr.wkbPolygon); g.AddGeometry(r)
        f = ogr.Feature(l.GetLayerDefn()); f['zid'] = i * k + j + 1; f.SetGeometry(g); l.CreateFeature(f)
l.CommitTransaction()
out = None
