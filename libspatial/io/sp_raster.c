/* sp_raster: float64 bands and their GDAL input/output. GeoTIFFs are written tiled
 * (256x256), DEFLATE-compressed on every core, and without timestamps so equal inputs
 * give equal bytes. */
#include "io/sp_raster.h"
#include "io/sp_gdalio.h"
#include "io/sp_output.h"
#include "io/sp_ctx_io.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sp_raster *raster_new(sp_ctx *ctx, const sp_grid *g, int nbands, bool pixels)
{
    sp_raster *r = calloc(1, sizeof *r);
    if (!r) {
        sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (sp_grid_copy(ctx, &r->grid, g) != SP_OK) {
        free(r);
        return NULL;
    }
    size_t n = (size_t)g->ncols * (size_t)g->nrows;
    r->nbands = nbands;
    r->band = calloc((size_t)nbands, sizeof *r->band);
    r->name = calloc((size_t)nbands, sizeof *r->name);
    if (!r->band || !r->name)
        goto fail;
    if (!pixels)
        return r;
    /* one block for all bands, so readers and writers can step from band to band */
    r->data_bytes = n * sizeof(double) * (size_t)nbands;
    if (!(r->data = sp_big_alloc(r->data_bytes)))
        goto fail;
    for (int b = 0; b < nbands; b++)
        r->band[b] = r->data + (size_t)b * n;
    return r;
fail:
    sp_raster_free(r);
    char buf[32];
    sp_error(ctx, SP_ERR_NOMEM, "out of memory for %d band(s) of %d x %d cells (%s)", nbands,
             g->ncols, g->nrows, sp_format_bytes((double)n * 8 * nbands, buf, sizeof buf));
    return NULL;
}

sp_raster *sp_raster_new(sp_ctx *ctx, const sp_grid *g, int nbands)
{
    return raster_new(ctx, g, nbands, true);
}

void sp_raster_free(sp_raster *r)
{
    if (!r)
        return;
    for (int b = 0; b < r->nbands && r->name; b++)
        free(r->name[b]);
    sp_big_free(r->data, r->data_bytes);
    free(r->band);
    free(r->name);
    free(r->unit);
    sp_grid_clear(&r->grid);
    free(r);
}

static sp_status set_str(sp_ctx *ctx, char **slot, const char *s)
{
    free(*slot);
    *slot = s ? strdup(s) : NULL;
    return (!s || *slot) ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
}

sp_status sp_raster_set_name(sp_ctx *ctx, sp_raster *r, int b, const char *name)
{
    return set_str(ctx, &r->name[b], name);
}

sp_status sp_raster_set_unit(sp_ctx *ctx, sp_raster *r, const char *unit)
{
    return set_str(ctx, &r->unit, unit);
}

/* Plain sums over runs of 1024 cells on four accumulators (error ~1e-13 relative, and
 * fast), compensated (Neumaier) from run to run. */
double sp_sum_valid(const double *v, size_t n, bool has_nodata, double nodata)
{
    double s = 0, c = 0;
    double nd = has_nodata ? nodata : NAN;
    for (size_t i = 0; i < n; i += 1024) {
        size_t m = n - i < 1024 ? n - i : 1024, j = 0;
        double p[4] = {0, 0, 0, 0};
        /* NaN never equals itself, so one test drops NaN and nodata */
        for (; j + 4 <= m; j += 4)
            for (int k = 0; k < 4; k++) {
                double x = v[i + j + k];
                p[k] += (x == x && x != nd) ? x : 0.0;
            }
        for (; j < m; j++) {
            double x = v[i + j];
            p[0] += (x == x && x != nd) ? x : 0.0;
        }
        double x = (p[0] + p[1]) + (p[2] + p[3]), t = s + x;
        c += fabs(s) >= fabs(x) ? (s - t) + x : (x - t) + s;
        s = t;
    }
    return s + c;
}

double sp_raster_band_sum(const sp_raster *r, int b)
{
    return sp_sum_valid(r->band[b], (size_t)sp_grid_cells(&r->grid), r->has_nodata, r->nodata);
}

/* Fills g from an open dataset's geotransform, size and CRS (WKT borrowed from ds). */
static sp_status grid_of_ds(sp_ctx *ctx, GDALDatasetH ds, const char *path, sp_grid *g)
{
    double gt[6];
    if (GDALGetGeoTransform(ds, gt) != CE_None)
        return sp_error(ctx, SP_ERR_DATA, "raster '%s' has no geotransform", path);
    if (gt[2] != 0 || gt[4] != 0 || gt[1] <= 0 || gt[5] >= 0)
        return sp_error(ctx, SP_ERR_DATA, "raster '%s' is rotated or not north-up; warp it "
                                          "first (gdalwarp)", path);
    memset(g, 0, sizeof *g);
    g->xmin = gt[0];
    g->ymax = gt[3];
    g->dx = gt[1];
    g->dy = -gt[5];
    g->ncols = GDALGetRasterXSize(ds);
    g->nrows = GDALGetRasterYSize(ds);
    g->xmax = g->xmin + g->ncols * g->dx;
    g->ymin = g->ymax - g->nrows * g->dy;
    const char *wkt = GDALGetProjectionRef(ds);
    g->wkt = (wkt && *wkt) ? (char *)wkt : NULL;
    return SP_OK;
}

sp_status sp_raster_grid_of(sp_ctx *ctx, const char *path, sp_grid *g)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return sp_error_gdal(ctx, SP_ERR_IO, "cannot open raster '%s'", path);
    if (sp_ctx_add_dataset(ctx, ds, path)) {
        GDALClose(ds);
        return SP_ERR_NOMEM;
    }
    sp_grid tmp;
    sp_status rc = grid_of_ds(ctx, ds, path, &tmp);
    if (!rc)
        rc = sp_grid_copy(ctx, g, &tmp);
    GDALClose(ds);
    return rc;
}

static sp_status raster_open(sp_ctx *ctx, const char *path, const int *bands, int nbands,
                             bool pixels, sp_raster **out)
{
    *out = NULL;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return sp_error_gdal(ctx, SP_ERR_IO, "cannot open raster '%s'", path);
    if (sp_ctx_add_dataset(ctx, ds, path)) {
        GDALClose(ds);
        return SP_ERR_NOMEM;
    }
    sp_status rc = SP_OK;
    sp_raster *r = NULL;
    int total = GDALGetRasterCount(ds);
    sp_grid g;
    if ((rc = grid_of_ds(ctx, ds, path, &g)))
        goto done;
    if (nbands == 0)
        nbands = total;
    for (int i = 0; bands && i < nbands; i++)
        if (bands[i] < 1 || bands[i] > total) {
            rc = sp_error(ctx, SP_ERR_USAGE, "raster '%s' has %d band(s): there is no band %d",
                          path, total, bands[i]);
            goto done;
        }
    r = raster_new(ctx, &g, nbands, pixels);
    if (!r) {
        rc = sp_ctx_status(ctx);
        goto done;
    }
    int *list = malloc((size_t)nbands * sizeof *list);
    if (!list) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < nbands; i++)
        list[i] = bands ? bands[i] : i + 1;
    if (pixels)
        rc = sp_gdal_read_bands(ctx, path, list, nbands, GDT_Float64, r->data,
                                (size_t)sp_grid_cells(&g) * sizeof(double), 0);
    for (int i = 0; i < nbands && !rc; i++) {
        GDALRasterBandH bh = GDALGetRasterBand(ds, list[i]);
        const char *d = GDALGetDescription(bh);
        if (d && *d && (rc = sp_raster_set_name(ctx, r, i, d)))
            break;
        const char *u = GDALGetRasterUnitType(bh);
        if (i == 0 && u && *u && (rc = sp_raster_set_unit(ctx, r, u)))
            break;
        int has;
        double nd = GDALGetRasterNoDataValue(bh, &has);
        if (i == 0 && has) {
            r->has_nodata = true;
            r->nodata = nd;
        }
    }
    free(list);
done:
    GDALClose(ds);
    if (rc)
        sp_raster_free(r);
    else
        *out = r;
    return rc;
}

sp_status sp_raster_read(sp_ctx *ctx, const char *path, const int *bands, int nbands,
                         sp_raster **out)
{
    return raster_open(ctx, path, bands, nbands, true, out);
}

/* Reads rows [row0, row0 + n) of the bands in list into dst[k] (n x ncols each). */
static sp_status read_window(sp_ctx *ctx, GDALDatasetH ds, const char *path, const int *list,
                             int nb, int row0, int n, double *const *dst)
{
    int nc = GDALGetRasterXSize(ds);
    for (int k = 0; k < nb; k++) {
        GDALRasterBandH bh = GDALGetRasterBand(ds, list[k]);
        if (GDALRasterIO(bh, GF_Read, 0, row0, nc, n, dst[k], nc, n, GDT_Float64, 0, 0) != CE_None)
            return sp_error_gdal(ctx, SP_ERR_IO, "cannot read rows %d-%d of '%s'", row0,
                                 row0 + n, path);
    }
    return SP_OK;
}

sp_status sp_raster_read_rows(sp_ctx *ctx, const char *path, const int *bands, int nbands,
                              int row0, int row1, sp_raster **out)
{
    *out = NULL;
    sp_raster *info = NULL, *r = NULL;
    sp_status rc = raster_open(ctx, path, bands, nbands, false, &info);
    if (rc)
        return rc;
    if (row0 < 0 || row1 > info->grid.nrows || row1 <= row0) {
        sp_raster_free(info);
        return sp_error(ctx, SP_ERR_INTERNAL, "rows %d-%d of '%s' (%d rows)", row0, row1, path,
                        info->grid.nrows);
    }
    sp_grid win = {0};
    GDALDatasetH ds = NULL;
    int *list = calloc((size_t)info->nbands, sizeof *list);
    if (!list)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc && !(rc = sp_grid_window(ctx, &win, &info->grid, row0, row1)) &&
        !(r = raster_new(ctx, &win, info->nbands, true)))
        rc = sp_ctx_status(ctx);
    for (int k = 0; !rc && k < info->nbands; k++) {
        list[k] = bands && nbands ? bands[k] : k + 1;
        if (info->name[k])
            rc = sp_raster_set_name(ctx, r, k, info->name[k]);
    }
    if (!rc && info->unit)
        rc = sp_raster_set_unit(ctx, r, info->unit);
    if (!rc && !(ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL)))
        rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot open raster '%s'", path);
    if (!rc)
        rc = read_window(ctx, ds, path, list, info->nbands, row0, row1 - row0, r->band);
    if (ds)
        GDALClose(ds);
    if (!rc) {
        r->has_nodata = info->has_nodata;
        r->nodata = info->nodata;
        *out = r;
        r = NULL;
    }
    free(list);
    sp_grid_clear(&win);
    sp_raster_free(r);
    sp_raster_free(info);
    return rc;
}

sp_status sp_raster_nonneg(sp_ctx *ctx, const char *path, const int *bands, int nbands,
                           bool *nonneg)
{
    sp_raster *info = NULL;
    sp_status rc = raster_open(ctx, path, bands, nbands, false, &info);
    if (rc)
        return rc;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    int nb = info->nbands, nc = info->grid.ncols, nr = info->grid.nrows;
    int strip = ds ? sp_gdal_strip_rows(GDALGetRasterBand(ds, 1), nr) : 1;
    double *buf = ds ? malloc((size_t)strip * nc * sizeof *buf) : NULL;
    if (!ds)
        rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot open raster '%s'", path);
    else if (!buf)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    double nd = info->has_nodata ? info->nodata : NAN;
    for (int k = 0; !rc && k < nb; k++) {
        int band = bands && nbands ? bands[k] : k + 1;
        nonneg[k] = true;
        for (int r0 = 0; !rc && r0 < nr && nonneg[k]; r0 += strip) {
            int n = nr - r0 < strip ? nr - r0 : strip;
            rc = read_window(ctx, ds, path, &band, 1, r0, n, &buf);
            for (size_t q = 0; !rc && q < (size_t)n * nc; q++)
                if (buf[q] < 0 && buf[q] != nd)
                    nonneg[k] = false;
        }
    }
    free(buf);
    if (ds)
        GDALClose(ds);
    sp_raster_free(info);
    return rc;
}

sp_status sp_raster_read_info(sp_ctx *ctx, const char *path, const int *bands, int nbands,
                              sp_raster **out)
{
    return raster_open(ctx, path, bands, nbands, false, out);
}

void sp_raster_write_options_init(sp_raster_write_options *o)
{
    memset(o, 0, sizeof *o);
    o->format = "GTiff";
    o->compress = "ZSTD";
}

/* The creation options: ZSTD level 1 by default. Measured on the benchmark's 4000x4000
 * float64 grids (2 cores): the 100,000-segment grid took 0.28 s to write as DEFLATE
 * level 1 (libdeflate) and 0.15 s as ZSTD level 1, 13.9 MB vs 13.5 MB; the 1,000,000-point
 * grid 0.23 s vs 0.13 s, 9.8 MB vs 9.5 MB. Every GDAL >= 2.3 reads it; -co COMPRESS=DEFLATE
 * for readers without ZSTD. Blocks are compressed independently and written in order, so
 * the bytes do not depend on the thread count. NULL after a usage error. */
static char **creation_options(sp_ctx *ctx, const sp_raster *r,
                               const sp_raster_write_options *opt, bool cog)
{
    char **co = NULL;
    const char *comp = CSLFetchNameValue(opt->co, "COMPRESS");
    if (!comp)
        comp = opt->compress ? opt->compress : "ZSTD";
    co = CSLSetNameValue(co, "COMPRESS", comp);
    /* no predictor: emission grids are mostly zeros and sharp peaks, and the
     * floating-point predictor doubled their size (samples: 280 KB -> 524 KB; the
     * benchmark's point grid 9.8 MB -> 20.8 MB). -co PREDICTOR=3 for smooth fields.
     * Level 1 either way (also for a codec chosen by -co COMPRESS=; -co ZLEVEL= etc.
     * win): DEFLATE level 6 on one thread took 1.4 s of a 2.7 s run, level 1 on both
     * cores ~0.2 s for a file 4 % larger; ZSTD's GDAL default (9) took 0.6 s */
    if (!strcasecmp(comp, "DEFLATE"))
        co = CSLSetNameValue(co, cog ? "LEVEL" : "ZLEVEL", "1");
    else if (!strcasecmp(comp, "ZSTD"))
        co = CSLSetNameValue(co, cog ? "LEVEL" : "ZSTD_LEVEL", "1");
    co = CSLSetNameValue(co, "NUM_THREADS", "ALL_CPUS");
    if (!cog) {
        co = CSLSetNameValue(co, "TILED", "YES");
        co = CSLSetNameValue(co, "BLOCKXSIZE", "256");
        co = CSLSetNameValue(co, "BLOCKYSIZE", "256");
        co = CSLSetNameValue(co, "BIGTIFF", "IF_SAFER");
        if (r->nbands > 1)
            co = CSLSetNameValue(co, "INTERLEAVE", "BAND");
    }
    for (char **c = opt->co; c && *c; c++) {
        char *key = NULL;
        const char *val = CPLParseNameValue(*c, &key);
        if (!key || !val) {
            CPLFree(key);
            CSLDestroy(co);
            sp_error(ctx, SP_ERR_USAGE, "creation option '%s' is not NAME=VALUE", *c);
            return NULL;
        }
        co = CSLSetNameValue(co, key, val);
        CPLFree(key);
    }
    return co;
}

/* Georeferencing, metadata and every band (name, unit, total, nodata, values). */
static sp_status fill_dataset(sp_ctx *ctx, GDALDatasetH ds, const sp_raster *r,
                              const sp_raster_write_options *opt, const char *dst)
{
    const sp_grid *g = &r->grid;
    double gt[6];
    sp_grid_geotransform(g, gt);
    GDALSetGeoTransform(ds, gt);
    if (g->wkt)
        GDALSetProjection(ds, g->wkt);
    for (char **m = opt->meta; m && *m; m++) {
        char *key = NULL;
        const char *val = CPLParseNameValue(*m, &key);
        if (key && val)
            GDALSetMetadataItem(ds, key, val, NULL);
        CPLFree(key);
    }
    for (int b = 0; b < r->nbands; b++) {
        GDALRasterBandH bh = GDALGetRasterBand(ds, b + 1);
        char buf[64];
        if (r->name[b])
            GDALSetDescription(bh, r->name[b]);
        if (r->unit) {
            GDALSetRasterUnitType(bh, r->unit);
            GDALSetMetadataItem(bh, "unit", r->unit, NULL);
        }
        snprintf(buf, sizeof buf, "%.17g", sp_raster_band_sum(r, b));
        GDALSetMetadataItem(bh, "total", buf, NULL);
        if (r->has_nodata)
            GDALSetRasterNoDataValue(bh, r->nodata);
        if (GDALRasterIO(bh, GF_Write, 0, 0, g->ncols, g->nrows, r->band[b], g->ncols, g->nrows,
                         GDT_Float64, 0, 0) != CE_None)
            return sp_error_gdal(ctx, SP_ERR_IO, "cannot write band %d of '%s'", b + 1, dst);
    }
    return SP_OK;
}

/* The TIFF read back before it is committed: it opens, with the grid's size and bands. */
static sp_status read_back(sp_ctx *ctx, const char *path, const char *dst, const sp_raster *r)
{
    const char *drivers[] = {"GTiff", NULL};
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, drivers, NULL, NULL);
    if (!ds)
        return sp_error_gdal(ctx, SP_ERR_IO, "'%s' was written but cannot be read back: not "
                             "committed", dst);
    bool ok = GDALGetRasterCount(ds) == r->nbands && GDALGetRasterXSize(ds) == r->grid.ncols &&
              GDALGetRasterYSize(ds) == r->grid.nrows;
    GDALClose(ds);
    return ok ? SP_OK
              : sp_error(ctx, SP_ERR_IO, "'%s' read back is not the grid written (%d bands of "
                         "%d x %d): not committed", dst, r->nbands, r->grid.ncols, r->grid.nrows);
}

sp_status sp_raster_write(sp_ctx *ctx, const sp_raster *r, const char *dst,
                          const sp_raster_write_options *opt)
{
    sp_raster_write_options def;
    if (!opt) {
        sp_raster_write_options_init(&def);
        opt = &def;
    }
    bool cog = opt->format && !strcasecmp(opt->format, "COG");
    if (opt->format && !cog && strcasecmp(opt->format, "GTiff"))
        return sp_error(ctx, SP_ERR_USAGE, "unsupported raster format '%s' (use GTiff or COG)",
                        opt->format);
    char **co = creation_options(ctx, r, opt, cog);
    if (!co)
        return SP_ERR_USAGE;
    GDALDriverH mem = GDALGetDriverByName("MEM");
    GDALDriverH drv = GDALGetDriverByName(cog ? "COG" : "GTiff");
    if (!drv || !mem) {
        CSLDestroy(co);
        return sp_error(ctx, SP_ERR_INTERNAL, "GDAL has no %s driver", cog ? "COG" : "GTiff");
    }
    sp_output out;
    sp_status rc = sp_output_begin(ctx, &out, dst);
    if (rc) {
        CSLDestroy(co);
        return rc;
    }
    const sp_grid *g = &r->grid;
    GDALDataType type = opt->float32 ? GDT_Float32 : GDT_Float64;
    /* the cache only passes blocks on to the compressors: a small one recycles its
     * memory instead of faulting in a copy of the whole grid */
    long long saved = sp_gdal_cache_cap(32LL << 20);
    /* COG can only be made by CreateCopy; GTiff is written directly */
    GDALDatasetH ds = cog ? GDALCreate(mem, "", g->ncols, g->nrows, r->nbands, type, NULL)
                          : GDALCreate(drv, out.path, g->ncols, g->nrows, r->nbands, type, co);
    if (!ds)
        rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot create '%s'", dst);
    else
        rc = fill_dataset(ctx, ds, r, opt, dst);
    if (ds && !rc && cog) {
        GDALDatasetH c = GDALCreateCopy(drv, out.path, ds, FALSE, co, NULL, NULL);
        rc = c ? sp_output_close(ctx, c, dst, rc)
               : sp_error_gdal(ctx, SP_ERR_IO, "cannot write COG '%s'", dst);
    }
    if (ds)
        rc = sp_output_close(ctx, ds, dst, rc);
    sp_gdal_cache_restore(saved);
    CSLDestroy(co);
    if (!rc)
        rc = read_back(ctx, out.path, dst, r);
    if (rc) {
        sp_output_abort(&out);
        return rc;
    }
    /* no .aux.xml side files: everything lives in the TIFF */
    return sp_output_commit(ctx, &out);
}
