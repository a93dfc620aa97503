# The scipy anchor of sp-disperse: the same emission grid convolved with the same kernel
# (written by sp-disperse -kernel_out) by scipy.signal.fftconvolve, read and written with
# GDAL like the tool. Prints the time of the convolution alone on stderr.
import sys, time
import numpy as np
from osgeo import gdal
from scipy.signal import fftconvolve
src, kern, dst = sys.argv[1:4]
e = gdal.Open(src).ReadAsArray().astype(np.float64) * (1e6 / 31536000.0)   # t/yr -> g/s
k = gdal.Open(kern).ReadAsArray().astype(np.float64)
t0 = time.perf_counter()
# the tool sums src[r + dr][c + dc] k(dr, dc): a correlation, i.e. a convolution with the
# kernel flipped
c = fftconvolve(e, k[::-1, ::-1], mode='same')
sys.stderr.write('fftconvolve alone: %.3f s\n' % (time.perf_counter() - t0))
ds = gdal.GetDriverByName('GTiff').Create(dst, e.shape[1], e.shape[0], 1, gdal.GDT_Float64,
                                          ['TILED=YES', 'COMPRESS=ZSTD', 'ZSTD_LEVEL=1'])
ds.GetRasterBand(1).WriteArray(c); ds = None
