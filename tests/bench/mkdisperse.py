# Benchmark data of sp-disperse: a 4000 x 4000 emission grid of 100 m (EPSG:32650), t/yr
# per cell: 2 % of the cells emitting (roads, plumes of points), a smooth background,
# zeros elsewhere; fixed seed. And a STAR table of an urban climate (every sector,
# speed class and stability, Beijing-like weights).
import sys
import numpy as np
from osgeo import gdal, osr
d = sys.argv[1]
rng = np.random.default_rng(42)
n = 4000
a = np.zeros((n, n))
m = rng.random((n, n)) < 0.02
a[m] = rng.lognormal(0, 1.5, m.sum())
a += 0.01 * np.outer(np.hanning(n), np.hanning(n))
ds = gdal.GetDriverByName('GTiff').Create(d + '/disperse_emis.tif', n, n, 1, gdal.GDT_Float64,
                                          ['TILED=YES', 'COMPRESS=ZSTD'])
ds.SetGeoTransform([440000, 100, 0, 4800000, 0, -100])
s = osr.SpatialReference(); s.ImportFromEPSG(32650); ds.SetProjection(s.ExportToWkt())
b = ds.GetRasterBand(1); b.SetDescription('pm25'); b.WriteArray(a); ds = None
speeds = [1.5, 2.5, 4.3, 6.8, 9.5, 12.5]
stab = {'A': 0.02, 'B': 0.2, 'C': 0.12, 'D': 0.2, 'E': 0.06, 'F': 0.4}
sw = [0.3, 0.3, 0.2, 0.12, 0.05, 0.03]
rows = []
for i in range(16):
    secw = 1 + 0.8 * np.cos(np.radians(22.5 * i - 45))
    for j, u in enumerate(speeds):
        for k, p in stab.items():
            rows.append((22.5 * i, u, k, secw * sw[j] * p))
t = sum(r[3] for r in rows)
with open(d + '/disperse.star', 'w') as f:
    f.write('sector_from_deg,speed_ms,stability,freq\n')
    for r in rows:
        f.write('%.1f,%.1f,%s,%.17g\n' % (r[0], r[1], r[2], r[3] / t))
