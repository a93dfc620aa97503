/* sp_gdalio: bulk raster I/O through GDAL, fast. Whole rasters are read in row strips
 * on several threads (one dataset handle each), with GDAL's block cache held small while
 * it is only a pass-through: a 4000x4000 float64 band read in one call went through
 * 128 MB of freshly faulted cache pages, 0.81 s; in strips with a 32 MB cache on two
 * threads, 0.14 s. Big buffers come from mmap with transparent huge pages. */
#ifndef SP_GDALIO_H
#define SP_GDALIO_H

#include "core/sp_ctx.h"
#include "core/sp_mem.h"
#include "core/sp_pool.h"

#include <gdal.h>
#include <stddef.h>

/* Rows per strip when streaming band's raster of nrows rows: whole block rows (64 rows
 * for scanline files). */
int sp_gdal_strip_rows(GDALRasterBandH band, int nrows);

/* Caps GDAL's block cache at `bytes` unless the user chose a size (GDAL_CACHEMAX);
 * returns what to give to sp_gdal_cache_restore. */
long long sp_gdal_cache_cap(long long bytes);
void sp_gdal_cache_restore(long long saved);

/* Reads bands (1-based numbers) of the whole raster at path into dst as `type`: band k
 * at dst + k * band_bytes, rows top to bottom. Uses up to `threads` threads (0: the
 * number of CPUs, at most 4); the result does not depend on it. */
sp_status sp_gdal_read_bands(sp_ctx *ctx, const char *path, const int *bands, int nb,
                             GDALDataType type, void *dst, size_t band_bytes, int threads);

#endif
