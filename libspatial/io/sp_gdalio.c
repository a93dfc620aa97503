/* sp_gdalio: bulk raster I/O through GDAL (see the header for the measurements). */
#include "io/sp_gdalio.h"
#include "core/sp_pool.h"
#include "io/sp_ctx_io.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_multiproc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int sp_gdal_strip_rows(GDALRasterBandH band, int nrows)
{
    int bx, by;
    GDALGetBlockSize(band, &bx, &by);
    int strip = by >= 16 ? by : 64; /* whole block rows: no block is decoded twice */
    return strip < nrows ? strip : nrows > 0 ? nrows : 1;
}

long long sp_gdal_cache_cap(long long bytes)
{
    if (CPLGetConfigOption("GDAL_CACHEMAX", NULL))
        return -1;
    long long saved = (long long)GDALGetCacheMax64();
    if (bytes < saved)
        GDALSetCacheMax64(bytes);
    return saved;
}

void sp_gdal_cache_restore(long long saved)
{
    if (saved >= 0)
        GDALSetCacheMax64(saved);
}

typedef struct {
    const char *path;
    GDALDatasetH ds; /* the caller's handle (worker 0) or NULL: open its own */
    const int *bands;
    int nb, ncols, nrows, strip;
    GDALDataType type;
    unsigned char *dst;
    size_t band_bytes;
    atomic_int *next; /* next strip to claim */
    atomic_int *failed;
    char msg[512];
} reader;

static void *read_strips(void *user)
{
    reader *j = user;
    GDALDatasetH ds = j->ds ? j->ds
                            : GDALOpenEx(j->path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL,
                                         NULL);
    if (!ds) /* the other readers take its strips */
        return NULL;
    int ts = GDALGetDataTypeSizeBytes(j->type);
    int nstrips = (j->nrows + j->strip - 1) / j->strip;
    for (;;) {
        if (atomic_load(j->failed))
            break;
        int s = atomic_fetch_add(j->next, 1);
        if (s >= nstrips)
            break;
        int y = s * j->strip, h = j->nrows - y < j->strip ? j->nrows - y : j->strip;
        unsigned char *at = j->dst + (size_t)y * j->ncols * ts;
        if (GDALDatasetRasterIO(ds, GF_Read, 0, y, j->ncols, h, at, j->ncols, h, j->type, j->nb,
                                (int *)j->bands, ts, (GSpacing)j->ncols * ts,
                                (GSpacing)j->band_bytes) != CE_None) {
            snprintf(j->msg, sizeof j->msg, "%s", CPLGetLastErrorMsg());
            atomic_store(j->failed, 1);
            break;
        }
    }
    if (!j->ds)
        GDALClose(ds);
    return NULL;
}

sp_status sp_gdal_read_bands(sp_ctx *ctx, const char *path, const int *bands, int nb,
                             GDALDataType type, void *dst, size_t band_bytes, int threads)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return sp_error_gdal(ctx, SP_ERR_IO, "cannot open raster '%s'", path);
    if (sp_ctx_add_dataset(ctx, ds, path)) {
        GDALClose(ds);
        return SP_ERR_NOMEM;
    }
    int nc = GDALGetRasterXSize(ds), nr = GDALGetRasterYSize(ds), total = GDALGetRasterCount(ds);
    for (int k = 0; k < nb; k++)
        if (bands[k] < 1 || bands[k] > total) {
            GDALClose(ds);
            return sp_error(ctx, SP_ERR_USAGE, "raster '%s' has %d band(s): there is no band %d",
                            path, total, bands[k]);
        }
    GDALRasterBandH b1 = GDALGetRasterBand(ds, bands[0]);
    int strip = sp_gdal_strip_rows(b1, nr);
    int nstrips = (nr + strip - 1) / strip;
    threads = sp_threads(threads);
    if ((long long)nc * nr < (1 << 20)) /* not worth a thread */
        threads = 1;
    if (threads > nstrips)
        threads = nstrips;
    if (threads < 1)
        threads = 1;
    /* the cache holds the strips being read (every band of the file: pixel-interleaved
     * blocks carry them all) and one more; a bigger cache only faults in fresh pages */
    long long native = GDALGetDataTypeSizeBytes(GDALGetRasterDataType(b1));
    long long need = (threads + 1LL) * strip * (long long)nc * native * total;
    long long saved = sp_gdal_cache_cap(need > (16LL << 20) ? need : (16LL << 20));
    atomic_int next = 0, failed = 0;
    reader *rd = calloc((size_t)threads, sizeof *rd);
    sp_status rc = SP_OK;
    if (!rd) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int t = 0; t < threads; t++)
        rd[t] = (reader){path, t == 0 ? ds : NULL, bands, nb, nc, nr, strip, type, dst,
                         band_bytes, &next, &failed, {0}};
    sp_pool_run(threads, read_strips, rd, sizeof *rd);
    if (atomic_load(&failed)) {
        for (int t = 0; t < threads; t++)
            if (rd[t].msg[0]) {
                rc = sp_error(ctx, SP_ERR_IO, "cannot read '%s': %s", path, rd[t].msg);
                break;
            }
        if (!rc)
            rc = sp_error(ctx, SP_ERR_IO, "cannot read '%s'", path);
    }
done:
    free(rd);
    GDALClose(ds);
    sp_gdal_cache_restore(saved);
    return rc;
}
