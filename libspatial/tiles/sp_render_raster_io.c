/* sp_render_raster_io: the raster band sp_render_raster draws, read through GDAL, and the
 * render workers' transformation (PROJ, or the GCJ-02 / BD-09 shift). */
#include "tiles/sp_render.h"
#include "io/sp_gdalio.h"
#include "core/sp_coord.h"
#include "io/sp_ctx_io.h"
#include "core/sp_tile.h"

#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* The tiling's CRS, lon/lat in that order for EPSG:4490 */
static OGRSpatialReferenceH tiling_srs(sp_tiling t)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(s, sp_tiling_epsg(t));
    OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

/* The valid values' range (NaN, NaN when none). */
static void value_range(sp_render_raster *r)
{
    float nd = (float)r->nodata;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < (size_t)r->w * r->h; i++) {
        float v = r->v[i];
        if (isnan(v) || (r->has_nodata && v == nd))
            continue;
        lo = fmin(lo, v);
        hi = fmax(hi, v);
    }
    r->min = lo <= hi ? lo : NAN;
    r->max = lo <= hi ? hi : NAN;
}

/* The bounds in the tiling's CRS from the densified edges, and the pixel size there. */
static sp_status merc_bounds(sp_ctx *ctx, sp_render_raster *r, const char *wkt,
                             const char *path)
{
    OGRSpatialReferenceH src = OSRNewSpatialReference(wkt), merc = tiling_srs(r->tiling);
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(src, merc);
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(merc);
    if (!ct)
        return sp_error_gdal(ctx, SP_ERR_DATA, "cannot transform '%s' to EPSG:%d", path,
                             sp_tiling_epsg(r->tiling));
    double px[84], py[84];
    int k = 0;
    for (int i = 0; i <= 20; i++) {
        double f = i / 20.0;
        double xs[4] = {f * r->w, f * r->w, 0, r->w}, ys[4] = {0, r->h, f * r->h, f * r->h};
        for (int e = 0; e < 4; e++, k++) {
            px[k] = r->gt[0] + xs[e] * r->gt[1];
            py[k] = r->gt[3] + ys[e] * r->gt[5];
        }
    }
    bool ok = OCTTransform(ct, k, px, py, NULL);
    OCTDestroyCoordinateTransformation(ct);
    if (!ok)
        return sp_error(ctx, SP_ERR_DATA, "'%s' lies outside the %s world", path,
                        r->tiling == SP_TILING_CGCS2000 ? "CGCS2000"
                        : r->tiling == SP_TILING_BD09   ? "lon/lat"
                                                        : "Web Mercator");
    for (int i = 0; r->tiling == SP_TILING_BD09 && i < k; i++) /* WGS84 -> Baidu's */
        sp_render_wgs84_to_bd09mc(&px[i], &py[i]);
    r->mxmin = r->mymin = INFINITY;
    r->mxmax = r->mymax = -INFINITY;
    for (int i = 0; i < k; i++) {
        r->mxmin = fmin(r->mxmin, px[i]);
        r->mxmax = fmax(r->mxmax, px[i]);
        r->mymin = fmin(r->mymin, py[i]);
        r->mymax = fmax(r->mymax, py[i]);
    }
    r->pixel_size = sqrt((r->mxmax - r->mxmin) * (r->mymax - r->mymin) / ((double)r->w * r->h));
    return SP_OK;
}

sp_status sp_render_raster_open(sp_ctx *ctx, const char *path, int band, int64_t max_bytes,
                                sp_tiling t, sp_render_raster **out)
{
    *out = NULL;
    GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
    if (!ds)
        return sp_error_gdal(ctx, SP_ERR_IO, "cannot open '%s'", path);
    if (sp_ctx_add_dataset(ctx, ds, path)) {
        GDALClose(ds);
        return SP_ERR_NOMEM;
    }
    sp_status rc = SP_OK;
    sp_render_raster *r = calloc(1, sizeof *r);
    if (!r) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (band < 1 || band > GDALGetRasterCount(ds)) {
        rc = sp_error(ctx, SP_ERR_USAGE, "'%s' has %d band(s), no band %d", path,
                      GDALGetRasterCount(ds), band);
        goto done;
    }
    r->tiling = t;
    r->w = GDALGetRasterXSize(ds);
    r->h = GDALGetRasterYSize(ds);
    if (GDALGetGeoTransform(ds, r->gt) != CE_None || r->gt[2] != 0 || r->gt[4] != 0) {
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no north-up geotransform", path);
        goto done;
    }
    const char *wkt = GDALGetProjectionRef(ds);
    if (!wkt || !*wkt) {
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no CRS", path);
        goto done;
    }
    if ((int64_t)r->w * r->h * 4 > max_bytes) {
        rc = sp_error(ctx, SP_ERR_LIMIT, "'%s' needs %lld MB as float32, more than -max_mem",
                      path, (long long)((int64_t)r->w * r->h * 4 >> 20));
        goto done;
    }
    r->wkt = strdup(wkt);
    GDALRasterBandH b = GDALGetRasterBand(ds, band);
    r->desc = strdup(GDALGetDescription(b));
    snprintf(r->unit, sizeof r->unit, "%s", GDALGetRasterUnitType(b) ? GDALGetRasterUnitType(b) : "");
    int has;
    r->nodata = GDALGetRasterNoDataValue(b, &has);
    r->has_nodata = has != 0;
    r->v_bytes = (size_t)r->w * r->h * sizeof *r->v;
    r->v = sp_big_alloc(r->v_bytes);
    if (!r->wkt || !r->desc || !r->v) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((rc = sp_gdal_read_bands(ctx, path, &band, 1, GDT_Float32, r->v, r->v_bytes, 0)))
        goto done;
    value_range(r);
    rc = merc_bounds(ctx, r, wkt, path);
done:
    GDALClose(ds);
    if (rc)
        sp_render_raster_free(r);
    else
        *out = r;
    return rc;
}

static void oct_transform(void *user, int n, double *x, double *y, int *ok)
{
    if (OCTTransformEx(user, n, x, y, NULL, ok)) /* every point: ok[] may be left unset */
        for (int i = 0; i < n; i++)
            ok[i] = 1;
}

static void oct_free(void *user) { OCTDestroyCoordinateTransformation(user); }

/* GCJ-02 Web Mercator -> WGS84 Web Mercator (the inverse, iterated), then PROJ */
static void gcj_transform(void *user, int n, double *x, double *y, int *ok)
{
    for (int i = 0; i < n; i++) {
        double lon, lat, wlon, wlat;
        sp_merc_to_lonlat(x[i], y[i], &lon, &lat);
        sp_gcj02_to_wgs84(lon, lat, &wlon, &wlat);
        sp_merc_from_lonlat(wlon, wlat, &x[i], &y[i]);
    }
    oct_transform(user, n, x, y, ok);
}

/* Baidu's Mercator -> BD-09 -> WGS84 lon/lat (the inverse, iterated), then PROJ */
static void bd09_transform(void *user, int n, double *x, double *y, int *ok)
{
    for (int i = 0; i < n; i++) {
        double lon, lat;
        sp_bd09mc_to_bd09(x[i], y[i], &lon, &lat);
        sp_bd09_to_wgs84(lon, lat, &x[i], &y[i]);
    }
    oct_transform(user, n, x, y, ok);
}

sp_status sp_render_worker_new(sp_ctx *ctx, const sp_render_raster *r, bool gcj02,
                               sp_render_worker **out)
{
    *out = NULL;
    OGRSpatialReferenceH src = OSRNewSpatialReference(r->wkt), merc = tiling_srs(r->tiling);
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(merc, src);
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(merc);
    if (!ct)
        return sp_error_gdal(ctx, SP_ERR_DATA, "cannot transform EPSG:%d to the raster's CRS",
                             sp_tiling_epsg(r->tiling));
    sp_render_transform_fn fn = r->tiling == SP_TILING_BD09 ? bd09_transform
                                : gcj02                       ? gcj_transform
                                                              : oct_transform;
    if (!(*out = sp_render_worker_with(fn, ct, oct_free))) {
        OCTDestroyCoordinateTransformation(ct);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    return SP_OK;
}
