"""GDAL-based zonal baseline (cell-centre): rasterize the zone ids with gdal.Rasterize,
then sum/mean/count per zone with numpy. Usage: zonal_baseline.py RASTER ZONES OUT.csv"""
import sys
import numpy as np
from osgeo import gdal
r, z, out = sys.argv[1:4]
src = gdal.Open(r)
ids = gdal.Rasterize('/vsimem/ids.tif', z, attribute='zid', outputType=gdal.GDT_Int32,
                     width=src.RasterXSize, height=src.RasterYSize,
                     outputBounds=(src.GetGeoTransform()[0], src.GetGeoTransform()[3] + src.GetGeoTransform()[5] * src.RasterYSize,
                                   src.GetGeoTransform()[0] + src.GetGeoTransform()[1] * src.RasterXSize, src.GetGeoTransform()[3]))
a = ids.GetRasterBand(1).ReadAsArray().ravel()
v = src.GetRasterBand(1).ReadAsArray().ravel()
s = np.bincount(a, weights=v); c = np.bincount(a)
with open(out, 'w') as f:
    f.write('zid,sum,mean,count\n')
    for i in range(1, len(s)):
        if c[i]: f.write('%d,%.12g,%.12g,%d\n' % (i, s[i], s[i] / c[i], c[i]))
