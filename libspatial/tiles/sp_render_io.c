/* sp_render_io: what sp_render draws, read through GDAL (a raster band) and OGR (polygons
 * in the tiling's CRS), and the render workers' PROJ transformation. */
#include "tiles/sp_render.h"
#include "io/sp_gdalio.h"
#include "core/sp_tile.h"
#include "core/sp_coord.h"
#include "io/sp_vector.h"
#include "io/sp_ctx_io.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Capacities and fill of a growing sp_render_vector. */
typedef struct {
    int cap_f, cap_r, cap_p, nr, np;
} builder;

/* Appends polygon g's rings and bounding box as feature v->n (v->n itself is advanced
 * by the caller once its fill is set). false when out of memory. */
static bool append_polygon(sp_render_vector *v, const sp_geom *g, builder *b)
{
    if (v->n + 2 > b->cap_f) {
        b->cap_f = b->cap_f ? 2 * b->cap_f : 64;
        int *rs = realloc(v->ring_start, b->cap_f * sizeof *rs);
        if (rs) v->ring_start = rs;
        double (*bb)[4] = realloc(v->bbox, b->cap_f * sizeof *bb);
        if (bb) v->bbox = bb;
        uint8_t (*fl)[4] = realloc(v->fill, b->cap_f * sizeof *fl);
        if (fl) v->fill = fl;
        if (!rs || !bb || !fl)
            return false;
    }
    if (b->nr + g->nparts + 2 > b->cap_r) {
        b->cap_r = 2 * (b->nr + g->nparts + 2);
        int *ps = realloc(v->pt_start, b->cap_r * sizeof *ps);
        if (!ps)
            return false;
        v->pt_start = ps;
    }
    if (b->np + g->npoints > b->cap_p) {
        b->cap_p = 2 * (b->np + g->npoints);
        double *xs = realloc(v->x, b->cap_p * sizeof *xs);
        if (xs) v->x = xs;
        double *ys = realloc(v->y, b->cap_p * sizeof *ys);
        if (ys) v->y = ys;
        if (!xs || !ys)
            return false;
    }
    double *bb = v->bbox[v->n];
    bb[0] = bb[1] = INFINITY;
    bb[2] = bb[3] = -INFINITY;
    v->ring_start[v->n] = b->nr;
    for (int p = 0; p < g->nparts; p++) {
        v->pt_start[b->nr++] = b->np;
        int end = p + 1 < g->nparts ? g->part_start[p + 1] : g->npoints;
        for (int i = g->part_start[p]; i < end; i++) {
            v->x[b->np] = g->x[i];
            v->y[b->np++] = g->y[i];
            bb[0] = fmin(bb[0], g->x[i]);
            bb[1] = fmin(bb[1], g->y[i]);
            bb[2] = fmax(bb[2], g->x[i]);
            bb[3] = fmax(bb[3], g->y[i]);
        }
    }
    v->pt_start[b->nr] = b->np;
    return true;
}

sp_status sp_render_vector_open(sp_ctx *ctx, const char *path, const char *layer,
                                const char *field, const sp_style *style, sp_tiling t,
                                sp_render_vector **out)
{
    *out = NULL;
    sp_vector_options vo;
    sp_vector_options_init(&vo);
    vo.no_validity = true; /* drawn only: cairo fills any ring */
    vo.t_srs = t == SP_TILING_CGCS2000 ? "EPSG:4490" : t == SP_TILING_BD09 ? "EPSG:4326"
                                                                         : "EPSG:3857";
    if (layer) {
        vo.layers = &layer;
        vo.nlayers = 1;
    }
    sp_vector *sv = NULL;
    sp_status rc = sp_vector_open(ctx, path, &vo, &sv);
    if (rc)
        return rc;
    sp_render_vector *v = calloc(1, sizeof *v);
    sp_geom g = {0};
    int fidx = -1;
    builder bd = {0};
    if (!v) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (field && (rc = sp_vector_field(ctx, sv, 0, field, &fidx)))
        goto done;
    v->tiling = t;
    v->mxmin = v->mymin = INFINITY;
    v->mxmax = v->mymax = -INFINITY;
    sp_feature f;
    int k;
    while ((k = sp_vector_next(ctx, sv, &f)) > 0) {
        if (!f.geom)
            continue;
        if ((rc = sp_vector_flatten(ctx, f.geom, &g)))
            goto done;
        if (g.kind != SP_GEOM_POLYGON) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s': feature %lld is not a polygon", path, f.fid);
            goto done;
        }
        if (!append_polygon(v, &g, &bd)) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        memset(v->fill[v->n], 0, 4);
        double fv;
        if (style && fidx >= 0 && OGR_F_IsFieldSetAndNotNull(f.feat, fidx)) {
            if ((rc = sp_vector_number(ctx, sv, &f, fidx, SP_NUM_ALLOW_NEGATIVE, &fv)))
                goto done; /* text in the field is an error, not a colour of 0 */
            sp_style_color(style, fv, false, v->fill[v->n]);
        }
        double *bb = v->bbox[v->n];
        v->mxmin = fmin(v->mxmin, bb[0]);
        v->mymin = fmin(v->mymin, bb[1]);
        v->mxmax = fmax(v->mxmax, bb[2]);
        v->mymax = fmax(v->mymax, bb[3]);
        v->n++;
        v->ring_start[v->n] = bd.nr;
    }
    if (k < 0)
        rc = (sp_status)k;
    else if (v->n == 0)
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no polygons", path);
    if (!rc && t == SP_TILING_BD09) /* read in WGS84 lon/lat: to Baidu's Mercator */
        sp_render_vector_map(v, sp_render_wgs84_to_bd09mc);
done:
    sp_geom_free(&g);
    sp_vector_close(sv);
    if (rc)
        sp_render_vector_free(v);
    else
        *out = v;
    return rc;
}

