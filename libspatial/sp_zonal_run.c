/* sp_zonal_run: zones through OGR (reprojected to the raster's CRS with PROJ), rasters
 * through GDAL, exact cell weights and statistics from sp_zonal, overlaps and gaps of the
 * zones from their union, the vector mode with GEOS intersections, and the output
 * table (CSV written here for a fixed number format; GeoPackage/GeoJSON through OGR). */
#include "sp_convert.h"
#include "sp_gdalio.h"
#include "sp_output.h"
#include "sp_raster.h"
#include "sp_table.h"
#include "sp_zonal_run.h"
#include "sp_pool.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <geos_c.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void sp_zonal_options_init(sp_zonal_options *o)
{
    memset(o, 0, sizeof *o);
    sp_vector_options_init(&o->zones);
    sp_vector_options_init(&o->inv);
}

void sp_zonal_report_free(sp_zonal_report *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->ncols; i++)
        free(r->label[i]);
    free(r->label);
    free(r->total);
    free(r->in_zones);
    memset(r, 0, sizeof *r);
}

typedef struct {
    OGRFeatureH feat;  /* the zone as read (its geometry in the zones' CRS) */
    OGRGeometryH geom; /* in the computing CRS */
    char *id;
    double idnum;
    long long fid;
} zone;

typedef struct {
    zone *z;
    int n;
    bool numeric;
    OGRFeatureDefnH defn; /* the zones layer's (borrowed from the dataset) */
    int id_idx;           /* -1: FID */
    int *inc_idx;
    int ninc;
} zones;

static void zones_free(zones *zs)
{
    for (int i = 0; i < zs->n; i++) {
        OGR_F_Destroy(zs->z[i].feat);
        OGR_G_DestroyGeometry(zs->z[i].geom);
        free(zs->z[i].id);
    }
    free(zs->z);
    free(zs->inc_idx);
}

static int cmp_zone_num(const void *a, const void *b)
{
    const zone *x = a, *y = b;
    return (x->idnum > y->idnum) - (x->idnum < y->idnum);
}
static int cmp_zone_str(const void *a, const void *b)
{
    return strcmp(((const zone *)a)->id, ((const zone *)b)->id);
}

static bool is_polygonal(OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon || t == wkbMultiSurface;
}

static int list_len(char **l)
{
    int n = 0;
    while (l && l[n])
        n++;
    return n;
}

/* Reads every zone, its id and its geometry in the computing CRS (target_wkt). */
static sp_status load_zones(sp_ctx *ctx, sp_vector *v, const sp_zonal_options *o,
                            const char *target_wkt, zones *zs)
{
    sp_status rc = SP_OK;
    const char *lname = sp_vector_layer_name(v, 0);
    zs->defn = OGR_L_GetLayerDefn(sp_vector_layer(v, 0));
    zs->id_idx = -1;
    if (o->id && (rc = sp_vector_field(ctx, v, 0, o->id, &zs->id_idx)))
        return sp_error_prefix(ctx, rc, "-id: ");
    zs->ninc = list_len(o->include);
    if (zs->ninc && !(zs->inc_idx = calloc((size_t)zs->ninc, sizeof *zs->inc_idx)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int i = 0; i < zs->ninc; i++)
        if ((rc = sp_vector_field(ctx, v, 0, o->include[i], &zs->inc_idx[i])))
            return sp_error_prefix(ctx, rc, "-include: ");
    OGRSpatialReferenceH src = OSRNewSpatialReference(sp_vector_wkt(v));
    OGRSpatialReferenceH dst = OSRNewSpatialReference(target_wkt);
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
    bool need_ct = !OSRIsSame(src, dst);
    OGRCoordinateTransformationH ct = need_ct ? OCTNewCoordinateTransformation(src, dst) : NULL;
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(dst);
    if (need_ct && !ct)
        return sp_error_gdal(ctx, SP_ERR_DATA, "cannot reproject the zones to the raster's CRS");
    int cap = 0;
    sp_feature f;
    int got;
    zs->numeric = true;
    while ((got = sp_vector_next(ctx, v, &f)) == 1) {
        if (!f.geom || OGR_G_IsEmpty(f.geom)) {
            sp_warn(ctx, "zones layer '%s', feature %lld: empty geometry, skipped", lname, f.fid);
            continue;
        }
        if (!is_polygonal(f.geom)) {
            rc = sp_error(ctx, SP_ERR_DATA, "zones layer '%s', feature %lld: zones must be "
                          "polygons, not %s", lname, f.fid,
                          OGRGeometryTypeToName(OGR_G_GetGeometryType(f.geom)));
            break;
        }
        if (zs->n == cap) {
            cap = cap ? cap * 2 : 64;
            zone *nz = realloc(zs->z, (size_t)cap * sizeof *nz);
            if (!nz) {
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
                break;
            }
            zs->z = nz;
        }
        zone *z = &zs->z[zs->n];
        memset(z, 0, sizeof *z);
        z->fid = f.fid;
        char buf[32];
        if (zs->id_idx >= 0 && !OGR_F_IsFieldSetAndNotNull(f.feat, zs->id_idx)) {
            rc = sp_error(ctx, SP_ERR_DATA, "zones layer '%s', feature %lld, field '%s': the "
                          "zone id is missing", lname, f.fid, o->id);
            break;
        }
        if (zs->id_idx < 0)
            snprintf(buf, sizeof buf, "%lld", f.fid);
        z->id = strdup(zs->id_idx >= 0 ? OGR_F_GetFieldAsString(f.feat, zs->id_idx) : buf);
        z->feat = OGR_F_Clone(f.feat);
        z->geom = OGR_G_Clone(f.geom);
        zs->n++;
        if (!z->id || !z->feat || !z->geom) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            break;
        }
        char *end;
        z->idnum = strtod(z->id, &end);
        zs->numeric &= end != z->id && !*end && isfinite(z->idnum);
        if (ct && OGR_G_Transform(z->geom, ct) != OGRERR_NONE) {
            rc = sp_error_gdal(ctx, SP_ERR_DATA, "zones layer '%s', feature %lld: cannot "
                               "reproject it to the raster's CRS", lname, f.fid);
            break;
        }
    }
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (rc)
        return rc;
    if (got < 0)
        return (sp_status)got;
    if (!zs->n)
        return sp_error(ctx, SP_ERR_DATA, "zones layer '%s' has no polygons", lname);
    qsort(zs->z, (size_t)zs->n, sizeof *zs->z, zs->numeric ? cmp_zone_num : cmp_zone_str);
    for (int i = 1; i < zs->n; i++)
        if (zs->numeric ? zs->z[i].idnum == zs->z[i - 1].idnum
                        : !strcmp(zs->z[i].id, zs->z[i - 1].id))
            return sp_error(ctx, SP_ERR_DATA, "zones layer '%s': id '%s' is used by features "
                            "%lld and %lld; ids must be unique (-id FIELD)", lname,
                            zs->z[i].id, zs->z[i - 1].fid, zs->z[i].fid);
    return SP_OK;
}

/* Sum of the zones' areas, the overlap (sum - union) and the holes of the union. */
static void overlaps(const zones *zs, sp_zonal_report *rep)
{
    OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon);
    double sum = 0;
    for (int i = 0; i < zs->n; i++) {
        OGRGeometryH g = OGR_G_ForceToMultiPolygon(OGR_G_Clone(zs->z[i].geom));
        sum += OGR_G_Area(g);
        for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
            OGR_G_AddGeometry(mp, OGR_G_GetGeometryRef(g, k));
        OGR_G_DestroyGeometry(g);
    }
    OGRGeometryH u = OGR_G_UnionCascaded(mp);
    rep->zones_area = sum;
    if (u) {
        rep->overlap = fmax(0, sum - OGR_G_Area(u));
        OGRGeometryH um = OGR_G_ForceToMultiPolygon(u);
        for (int k = 0; k < OGR_G_GetGeometryCount(um); k++) {
            OGRGeometryH p = OGR_G_GetGeometryRef(um, k);
            for (int r = 1; r < OGR_G_GetGeometryCount(p); r++) {
                OGRGeometryH ring = OGR_G_GetGeometryRef(p, r);
                OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
                OGR_G_AddGeometry(poly, ring);
                rep->gaps += OGR_G_Area(poly);
                OGR_G_DestroyGeometry(poly);
            }
        }
        OGR_G_DestroyGeometry(um);
    }
    OGR_G_DestroyGeometry(mp);
}

static char *band_label(const sp_raster *r, int b, int number)
{
    char buf[256];
    if (r->name[b] && r->name[b][0]) {
        snprintf(buf, sizeof buf, "%s", r->name[b]);
        for (char *p = buf; *p; p++)
            if (*p == ' ' || *p == ',' || *p == '"')
                *p = '_';
    } else {
        snprintf(buf, sizeof buf, "b%d", number);
    }
    return strdup(buf);
}

/* Raster mode: values[z * ncols + c] for c = raster x band x stat. */
/* Raster mode streams each raster in strips of rows: a zone's cells are kept as runs of
 * equal weight along a row, each strip is read once (all bands) into a buffer that is
 * reused, and every zone crossing the strip adds to its own accumulator for that strip.
 * The accumulators are merged in strip order at the end, so the results do not depend
 * on how many threads ran or which strip each took. Nothing of the size of the raster
 * is held: fresh memory is what a whole-raster read costs most (page zeroing). */
typedef struct {
    int64_t cell; /* first cell (row * ncols + col) */
    int32_t len;
    double w;
} run;

typedef struct {
    run *run;        /* ascending, disjoint */
    int n, cap;
    long long ncells;
    double area;     /* the zone's exact area inside the grid */
    int s0, s1;      /* first and last strip it touches (s1 < s0: none) */
    size_t slot;     /* its first (zone, strip) accumulator */
    size_t vw_off;   /* its (value, weight) pairs for quantiles */
    bool unsorted, oom;
    int ncols;
    double cell_area;
    bool touched;    /* all_touched: weight 1 */
} zone_runs;

static void zone_runs_free(zone_runs *z) { free(z->run); }

/* Appends a cell, extending the last run when it continues it along the row. */
static void add_cell(zone_runs *z, int64_t cell, double w)
{
    z->ncells++;
    run *last = z->n ? &z->run[z->n - 1] : NULL;
    if (last && w == last->w && cell == last->cell + last->len && cell % z->ncols != 0) {
        last->len++;
        return;
    }
    if (last && cell < last->cell + last->len)
        z->unsorted = true;
    if (z->n == z->cap) {
        int nc = z->cap ? 2 * z->cap : 64;
        run *r = realloc(z->run, (size_t)nc * sizeof *r);
        if (!r) {
            z->oom = true;
            return;
        }
        z->run = r;
        z->cap = nc;
    }
    z->run[z->n++] = (run){cell, 1, w};
}

static void on_run_cell(int col, int row, double area, void *user)
{
    zone_runs *z = user;
    add_cell(z, (int64_t)row * z->ncols + col, z->touched ? 1.0 : area / z->cell_area);
}

static int cmp_run(const void *a, const void *b)
{
    int64_t x = ((const run *)a)->cell, y = ((const run *)b)->cell;
    return (x > y) - (x < y);
}

/* First run of z at or after cell `from`. */
static int first_run(const zone_runs *z, int64_t from)
{
    int lo = 0, hi = z->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (z->run[mid].cell < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct {
    sp_ctx *ctx; /* the worker's own (worker 0: the caller's) */
    const sp_zonal_options *o;
    const char *path;
    const sp_raster *r; /* grid, bands, nodata; no pixels */
    const int *bands;
    const zones *zs;
    zone_runs *zr;
    int strip, nstrips;
    const int *sz_start, *sz_list; /* zones of each strip (CSR) */
    sp_zonal_acc *acc;              /* (zone, strip) x band */
    double *vw;                     /* quantile pairs, or NULL */
    double *stotal, *scorr;         /* per strip x band: total, overlap correction */
    bool var, cov;
    atomic_int *next, *stop, *done;
    double prog0, prog1; /* progress range of this phase */
    bool progress;
    sp_status rc;
} zonal_worker;

static bool report(zonal_worker *w, int total)
{
    int d = atomic_fetch_add(w->done, 1) + 1;
    const sp_zonal_options *o = w->o;
    if (!w->progress || !o->progress)
        return true;
    if (o->progress(w->prog0 + (w->prog1 - w->prog0) * d / total, NULL, o->progress_user))
        return true;
    w->rc = sp_error(w->ctx, SP_ERR_CANCEL, "cancelled");
    return false;
}

static void *cover_work(void *user)
{
    zonal_worker *w = user;
    sp_geom g = {0};
    sp_cover_ws ws = {0};
    sp_zone_cells cells = {0};
    const sp_grid *grid = &w->r->grid;
    while (!atomic_load(w->stop)) {
        int z = atomic_fetch_add(w->next, 1);
        if (z >= w->zs->n)
            break;
        zone_runs *q = &w->zr[z];
        q->ncols = grid->ncols;
        q->cell_area = sp_grid_cell_area(grid);
        q->touched = w->o->method == SP_METHOD_ALL_TOUCHED;
        if ((w->rc = sp_vector_flatten(w->ctx, w->zs->z[z].geom, &g)))
            break;
        if (w->o->method == SP_METHOD_CENTRE) { /* the cells are not a coverage */
            if ((w->rc = sp_zonal_cells(w->ctx, grid, &g, w->o->method, &ws, &cells)))
                break;
            q->area = cells.area;
            for (int i = 0; i < cells.n; i++)
                add_cell(q, cells.cell[i], cells.w[i]);
        } else if ((w->rc = sp_cover_polygon(w->ctx, grid, &g, &ws, on_run_cell, q, &q->area))) {
            break;
        }
        if (q->oom) {
            w->rc = sp_error(w->ctx, SP_ERR_NOMEM, "out of memory");
            break;
        }
        if (q->unsorted)
            qsort(q->run, (size_t)q->n, sizeof *q->run, cmp_run);
        if (!report(w, w->zs->n))
            break;
    }
    if (w->rc)
        atomic_store(w->stop, 1);
    sp_zone_cells_free(&cells);
    sp_cover_ws_free(&ws);
    sp_geom_free(&g);
    return NULL;
}

static void *strip_work(void *user)
{
    zonal_worker *w = user;
    const sp_raster *r = w->r;
    int nb = r->nbands, nc = r->grid.ncols;
    size_t plane = (size_t)w->strip * nc;
    double *buf = malloc(plane * nb * sizeof *buf);
    float *cov = w->cov ? malloc(plane * sizeof *cov) : NULL;
    GDALDatasetH ds = GDALOpenEx(w->path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!buf || (w->cov && !cov) || !ds) {
        w->rc = ds ? sp_error(w->ctx, SP_ERR_NOMEM, "out of memory")
                   : sp_error_gdal(w->ctx, SP_ERR_IO, "cannot open raster '%s'", w->path);
        goto done;
    }
    bool nd = r->has_nodata;
    double ndv = r->nodata;
    while (!atomic_load(w->stop)) {
        int s = atomic_fetch_add(w->next, 1);
        if (s >= w->nstrips)
            break;
        int y0 = s * w->strip, h = r->grid.nrows - y0 < w->strip ? r->grid.nrows - y0 : w->strip;
        size_t n = (size_t)h * nc;
        if (GDALDatasetRasterIO(ds, GF_Read, 0, y0, nc, h, buf, nc, h, GDT_Float64, nb,
                                (int *)w->bands, 8, (GSpacing)nc * 8,
                                (GSpacing)(plane * 8)) != CE_None) {
            w->rc = sp_error_gdal(w->ctx, SP_ERR_IO, "cannot read '%s'", w->path);
            break;
        }
        for (int b = 0; b < nb; b++)
            w->stotal[(size_t)s * nb + b] = sp_sum_valid(buf + b * plane, n, nd, ndv);
        int64_t first = (int64_t)y0 * nc, end = first + (int64_t)n;
        if (cov)
            memset(cov, 0, n * sizeof *cov);
        for (int k = w->sz_start[s]; k < w->sz_start[s + 1]; k++) {
            int z = w->sz_list[k];
            const zone_runs *zr = &w->zr[z];
            int r0 = first_run(zr, first), r1 = first_run(zr, end);
            sp_zonal_acc *acc = w->acc + (zr->slot + (size_t)(s - zr->s0)) * nb;
            long long before = 0; /* the zone's cells in earlier strips (quantile pairs) */
            for (int i = 0; w->vw && i < r0; i++)
                before += zr->run[i].len;
            for (int b = 0; b < nb; b++) {
                const double *v = buf + b * plane - first;
                sp_zonal_acc a = acc[b];
                double *vw = NULL;
                if (w->vw) /* the zone's pairs, band b, after its earlier strips' */
                    vw = w->vw + 2 * ((size_t)zr->vw_off * nb + (size_t)b * zr->ncells +
                                      (size_t)before);
                for (int i = r0; i < r1; i++) {
                    double wt = zr->run[i].w;
                    const double *p = v + zr->run[i].cell;
                    int len = zr->run[i].len;
                    if (vw || w->var) { /* cell by cell */
                        for (int j = 0; j < len; j++) {
                            double x = p[j];
                            bool ok = !isnan(x) && !(nd && x == ndv) && wt > 0;
                            if (vw) {
                                *vw++ = ok ? x : NAN;
                                *vw++ = wt;
                            }
                            if (ok)
                                sp_zonal_acc_add(&a, x, wt, w->var);
                        }
                        continue;
                    }
                    sp_zonal_acc_add_run(&a, p, len, wt, nd, ndv); /* one weight */
                }
                acc[b] = a;
            }
            if (cov)
                for (int i = r0; i < r1; i++)
                    for (int j = 0; j < zr->run[i].len; j++)
                        cov[zr->run[i].cell - first + j] += (float)zr->run[i].w;
        }
        for (int b = 0; cov && b < nb; b++) {
            double corr = 0;
            const double *v = buf + b * plane;
            for (size_t i = 0; i < n; i++)
                if (cov[i] > 1 + 1e-6f && !isnan(v[i]) && !(nd && v[i] == ndv))
                    corr += (cov[i] - 1) * v[i];
            w->scorr[(size_t)s * nb + b] = corr;
        }
        if (!report(w, w->nstrips))
            break;
    }
done:
    if (w->rc)
        atomic_store(w->stop, 1);
    if (ds)
        GDALClose(ds);
    free(buf);
    free(cov);
    return NULL;
}

/* Runs fn on nt workers (worker 0 on this thread) and returns the first failure. */
static sp_status run_workers(sp_ctx *ctx, zonal_worker *ws, int nt, void *(*fn)(void *))
{
    sp_pool_run(nt, fn, ws, sizeof *ws);
    for (int t = 0; t < nt; t++)
        if (ws[t].rc)
            return t == 0 ? ws[0].rc : sp_error(ctx, ws[t].rc, "%s", sp_ctx_message(ws[t].ctx));
    return SP_OK;
}

static sp_status raster_stats(sp_ctx *ctx, const sp_zonal_options *o, sp_raster **rs,
                              const zones *zs, double *values, int ncols,
                              sp_zonal_report *rep)
{
    sp_status rc = SP_OK;
    int nb = rs[0]->nbands, ns = o->nstats;
    int nt = sp_threads(o->threads);
    bool quant = false;
    for (int s = 0; s < ns; s++)
        quant |= (SP_STATS[o->stats[s].kind].needs & SP_NEED_PAIRS) != 0;
    /* zones overlapping beyond rounding: count what they share once in "in zones" */
    bool cov = rep->overlap > 1e-9 * rep->zones_area;
    int bands[nb];
    for (int b = 0; b < nb; b++)
        bands[b] = o->bands && o->nbands ? o->bands[b] : b + 1;
    zonal_worker *ws = calloc((size_t)nt, sizeof *ws);
    zone_runs *zr = NULL;
    int *sz_start = NULL, *sz_list = NULL;
    sp_zonal_acc *acc = NULL;
    double *vw = NULL, *stotal = NULL, *scorr = NULL;
    if (!ws)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    ws[0].ctx = ctx;
    for (int t = 1; t < nt; t++)
        if (!(ws[t].ctx = sp_ctx_new())) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
    for (int k = 0; k < o->nrasters && !rc; k++) {
        const sp_raster *r = rs[k];
        int nc = r->grid.ncols, nrows = r->grid.nrows;
        int strip = nrows < 256 ? nrows : 256, nfile = nb, native = 8;
        GDALDatasetH ds = GDALOpenEx(o->rasters[k].path, GDAL_OF_RASTER | GDAL_OF_READONLY,
                                     NULL, NULL, NULL);
        if (ds) {
            GDALRasterBandH b1 = GDALGetRasterBand(ds, bands[0]);
            strip = sp_gdal_strip_rows(b1, nrows);
            nfile = GDALGetRasterCount(ds);
            native = GDALGetDataTypeSizeBytes(GDALGetRasterDataType(b1));
            GDALClose(ds);
        }
        int nstrips = (nrows + strip - 1) / strip;
        if (!(zr = calloc((size_t)zs->n + 1, sizeof *zr)) ||
            !(sz_start = calloc((size_t)nstrips + 1, sizeof *sz_start)) ||
            !(stotal = calloc((size_t)nstrips * nb, sizeof *stotal)) ||
            !(scorr = calloc((size_t)nstrips * nb, sizeof *scorr))) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        atomic_int next = 0, stop = 0, count = 0;
        double p0 = (double)k / o->nrasters, p1 = (k + 1.0) / o->nrasters;
        for (int t = 0; t < nt; t++)
            ws[t] = (zonal_worker){ws[t].ctx, o, o->rasters[k].path, r, bands, zs, zr, strip,
                                   nstrips, NULL, NULL, NULL, NULL, NULL, NULL,
                                   sp_zonal_need_var(o->stats, ns), cov, &next, &stop, &count,
                                   p0, p0 + 0.3 * (p1 - p0), t == 0, SP_OK};
        if ((rc = run_workers(ctx, ws, nt, cover_work)))
            goto done;
        /* the strips of each zone, its accumulators, the zones of each strip */
        size_t slots = 0, pairs_vw = 0;
        double inside = 0;
        for (int z = 0; z < zs->n; z++) {
            zone_runs *q = &zr[z];
            inside += q->area;
            q->s0 = q->n ? (int)(q->run[0].cell / nc / strip) : 0;
            q->s1 = q->n ? (int)(q->run[q->n - 1].cell / nc / strip) : -1;
            q->slot = slots;
            q->vw_off = pairs_vw;
            slots += q->s1 >= q->s0 ? (size_t)(q->s1 - q->s0 + 1) : 0;
            pairs_vw += (size_t)q->ncells;
            for (int s = q->s0; s <= q->s1; s++)
                sz_start[s + 1]++;
        }
        if (!(inside > 0)) {
            rc = sp_error(ctx, SP_ERR_DATA, "the zones and the raster '%s' do not overlap "
                          "(raster extent %.6g %.6g %.6g %.6g in its CRS)", o->rasters[k].path,
                          r->grid.xmin, r->grid.ymin, r->grid.xmax, r->grid.ymax);
            goto done;
        }
        for (int s = 0; s < nstrips; s++)
            sz_start[s + 1] += sz_start[s];
        int fill[nstrips + 1];
        memcpy(fill, sz_start, sizeof fill);
        if (!(sz_list = malloc((size_t)(sz_start[nstrips] + 1) * sizeof *sz_list)) ||
            !(acc = malloc((slots + 1) * nb * sizeof *acc)) ||
            (quant && !(vw = malloc((pairs_vw + 1) * nb * 2 * sizeof *vw)))) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < slots * nb; i++)
            sp_zonal_acc_init(&acc[i]);
        for (int z = 0; z < zs->n; z++)
            for (int s = zr[z].s0; s <= zr[z].s1; s++)
                sz_list[fill[s]++] = z;
        /* every strip read once; the GDAL cache only passes blocks through */
        long long saved = sp_gdal_cache_cap((nt + 1LL) * strip * nc * native * nfile +
                                            (16LL << 20));
        atomic_store(&next, 0);
        atomic_store(&count, 0);
        for (int t = 0; t < nt; t++) {
            ws[t].sz_start = sz_start;
            ws[t].sz_list = sz_list;
            ws[t].acc = acc;
            ws[t].vw = vw;
            ws[t].stotal = stotal;
            ws[t].scorr = scorr;
            ws[t].prog0 = p0 + 0.3 * (p1 - p0);
            ws[t].prog1 = p1;
        }
        rc = run_workers(ctx, ws, nt, strip_work);
        sp_gdal_cache_restore(saved);
        if (rc)
            goto done;
        /* merge in strip order, then the statistics */
        for (int b = 0; b < nb; b++) {
            double tot = 0, c = 0, corr = 0;
            for (int s = 0; s < nstrips; s++) {
                double x = stotal[(size_t)s * nb + b], t = tot + x;
                c += fabs(tot) >= fabs(x) ? (tot - t) + x : (x - t) + tot;
                tot = t;
                corr += scorr[(size_t)s * nb + b];
            }
            tot += c;
            double in = 0;
            for (int z = 0; z < zs->n; z++) {
                sp_zonal_acc a;
                sp_zonal_acc_init(&a);
                for (int s = zr[z].s0; s <= zr[z].s1; s++)
                    sp_zonal_acc_merge(&a, &acc[(zr[z].slot + (size_t)(s - zr[z].s0)) * nb + b]);
                double *pv = NULL;
                if (vw) { /* the zone's valid pairs, in cell order */
                    pv = vw + 2 * ((size_t)zr[z].vw_off * nb + (size_t)b * zr[z].ncells);
                    long long m = 0;
                    for (long long i = 0; i < zr[z].ncells; i++)
                        if (!isnan(pv[2 * i])) {
                            pv[2 * m] = pv[2 * i];
                            pv[2 * m + 1] = pv[2 * i + 1];
                            m++;
                        }
                }
                sp_zonal_acc_finish(&a, zr[z].area, tot, o->stats, ns,
                                    values + (size_t)z * ncols + ((size_t)k * nb + b) * ns, pv);
                in += a.S;
            }
            rep->total[k * nb + b] = tot;
            rep->in_zones[k * nb + b] = in - corr;
        }
        for (int z = 0; z < zs->n; z++)
            zone_runs_free(&zr[z]);
        free(zr);
        free(sz_start);
        free(sz_list);
        free(acc);
        free(vw);
        free(stotal);
        free(scorr);
        zr = NULL;
        sz_start = sz_list = NULL;
        acc = NULL;
        vw = stotal = scorr = NULL;
    }
done:
    for (int z = 0; zr && z < zs->n; z++)
        zone_runs_free(&zr[z]);
    free(zr);
    free(sz_start);
    free(sz_list);
    free(acc);
    free(vw);
    free(stotal);
    free(scorr);
    for (int t = 1; t < nt; t++)
        sp_ctx_free(ws[t].ctx);
    free(ws);
    return rc;
}

/* weighted_mean = sum(cov w v) / sum(cov w) over the valid cells: the sums are the
 * existing exact "sum" statistic of a raster in GDAL's memory file system holding, for
 * each band, v w and w (w only where v is valid), so the coverage rules stay one. */
static sp_status weighted_means(sp_ctx *ctx, const sp_zonal_options *o, sp_raster **rs,
                                const zones *zs, double *values, int ncols)
{
    int nb = rs[0]->nbands, ns = o->nstats;
    sp_raster *w = NULL, *v = NULL, *info = NULL;
    sp_status rc = sp_raster_read(ctx, o->weights, NULL, 0, &w);
    if (!rc && w->nbands != 1)
        rc = sp_error(ctx, SP_ERR_USAGE, "-weights '%s' has %d bands: give one", o->weights,
                      w->nbands);
    double *tv = malloc((size_t)zs->n * 2 * nb * sizeof *tv);
    if (!rc && !tv)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    char path[64];
    snprintf(path, sizeof path, "/vsimem/sp_zonal_weights_%p.tif", (void *)zs);
    for (int k = 0; !rc && k < o->nrasters; k++) {
        if ((rc = sp_raster_read(ctx, o->rasters[k].path, o->bands, o->nbands, &v)))
            break;
        const sp_grid *a = &v->grid, *b = &w->grid;
        if (a->ncols != b->ncols || a->nrows != b->nrows || fabs(a->xmin - b->xmin) > 1e-6 * a->dx ||
            fabs(a->ymax - b->ymax) > 1e-6 * a->dy || fabs(a->dx - b->dx) > 1e-9 * a->dx) {
            rc = sp_error(ctx, SP_ERR_DATA, "-weights '%s' is not on the grid of '%s' (warp it "
                          "there first, e.g. sp-grid -like)", o->weights, o->rasters[k].path);
            break;
        }
        GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path, a->ncols, a->nrows,
                                     2 * nb, GDT_Float64, NULL);
        size_t cells = (size_t)a->ncols * a->nrows;
        double *buf = malloc(cells * sizeof *buf);
        if (!ds || !buf)
            rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot make the weighted raster in memory");
        double gt[6];
        sp_grid_geotransform(a, gt);
        if (!rc)
            GDALSetGeoTransform(ds, gt);
        if (!rc && a->wkt)
            GDALSetProjection(ds, a->wkt);
        for (int bb = 0; !rc && bb < 2 * nb; bb++) {
            const double *x = v->band[bb % nb], *ww = w->band[0];
            for (size_t q = 0; q < cells; q++) {
                bool ok = !isnan(x[q]) && !(v->has_nodata && x[q] == v->nodata) && !isnan(ww[q]) &&
                          !(w->has_nodata && ww[q] == w->nodata);
                buf[q] = !ok ? 0 : bb < nb ? x[q] * ww[q] : ww[q];
            }
            if (GDALRasterIO(GDALGetRasterBand(ds, bb + 1), GF_Write, 0, 0, a->ncols, a->nrows, buf,
                             a->ncols, a->nrows, GDT_Float64, 0, 0) != CE_None)
                rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot make the weighted raster in memory");
        }
        free(buf);
        if (ds)
            GDALClose(ds);
        sp_zonal_options so = *o;
        sp_zonal_raster one = {NULL, path};
        sp_stat sum = {SP_ST_SUM, 0, "sum"};
        so.rasters = &one;
        so.nrasters = 1;
        so.bands = NULL;
        so.nbands = 0;
        so.stats = &sum;
        so.nstats = 1;
        so.progress = NULL;
        sp_zonal_report tmp = {0};
        tmp.total = calloc((size_t)2 * nb, sizeof *tmp.total);
        tmp.in_zones = calloc((size_t)2 * nb, sizeof *tmp.in_zones);
        if (!rc && (!tmp.total || !tmp.in_zones))
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        if (!rc)
            rc = sp_raster_read_info(ctx, path, NULL, 0, &info);
        if (!rc)
            rc = raster_stats(ctx, &so, &info, zs, tv, 2 * nb, &tmp);
        free(tmp.total);
        free(tmp.in_zones);
        sp_raster_free(info);
        info = NULL;
        VSIUnlink(path);
        for (int z = 0; !rc && z < zs->n; z++)
            for (int bb = 0; bb < nb; bb++)
                for (int s = 0; s < ns; s++)
                    if (o->stats[s].kind == SP_ST_WMEAN) {
                        double sw = tv[(size_t)z * 2 * nb + nb + bb];
                        values[(size_t)z * ncols + ((size_t)k * nb + bb) * ns + s] =
                            sw > 0 ? tv[(size_t)z * 2 * nb + bb] / sw : NAN;
                    }
        sp_raster_free(v);
        v = NULL;
    }
    sp_raster_free(v);
    sp_raster_free(w);
    free(tv);
    return rc;
}

typedef struct {
    int *list;
    int n;
} candidates;
static void on_candidate(void *item, void *user)
{
    candidates *c = user;
    c->list[c->n++] = (int)(intptr_t)item;
}
static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Vector mode: each feature's value split between zones by containment (points: the
 * first zone in id order that covers it), length share (lines) or area share
 * (polygons), with GEOS. values[z * ncols + f * nstats + s]. */
static sp_status vector_stats(sp_ctx *ctx, const sp_zonal_options *o, const zones *zs,
                              const char *target_wkt, double *values, int ncols,
                              sp_zonal_report *rep)
{
    GEOSContextHandle_t gh = sp_ctx_geos(ctx);
    int nf = list_len(o->fields);
    sp_status rc = SP_OK;
    GEOSGeometry **zg = calloc((size_t)zs->n, sizeof *zg);
    const GEOSPreparedGeometry **zp = calloc((size_t)zs->n, sizeof *zp);
    double *sums = calloc((size_t)zs->n * (size_t)nf, sizeof *sums);
    double *zarea = calloc((size_t)zs->n, sizeof *zarea);
    int *idx = calloc((size_t)nf, sizeof *idx);
    int *hits = calloc((size_t)zs->n, sizeof *hits);
    GEOSSTRtree *tree = GEOSSTRtree_create_r(gh, 10);
    sp_vector *v = NULL;
    if (!zg || !zp || !sums || !zarea || !idx || !hits || !tree) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int z = 0; z < zs->n; z++) {
        size_t len = (size_t)OGR_G_WkbSize(zs->z[z].geom);
        unsigned char *wkb = malloc(len);
        if (!wkb) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        OGR_G_ExportToWkb(zs->z[z].geom, wkbNDR, wkb);
        zg[z] = GEOSGeomFromWKB_buf_r(gh, wkb, len);
        free(wkb);
        if (!zg[z] || !(zp[z] = GEOSPrepare_r(gh, zg[z]))) {
            rc = sp_error(ctx, SP_ERR_INTERNAL, "GEOS cannot read zone '%s'", zs->z[z].id);
            goto done;
        }
        GEOSArea_r(gh, zg[z], &zarea[z]);
        GEOSSTRtree_insert_r(gh, tree, zg[z], (void *)(intptr_t)z);
    }
    sp_vector_options vo = o->inv;
    vo.t_srs = target_wkt;
    if ((rc = sp_vector_open(ctx, o->inventory, &vo, &v)))
        goto done;
    double *total = rep->total, *in = rep->in_zones;
    sp_feature f;
    int got;
    int cur_layer = -1;
    while ((got = sp_vector_next(ctx, v, &f)) == 1) {
        if (f.layer != cur_layer) {
            cur_layer = f.layer;
            for (int i = 0; i < nf; i++)
                if ((rc = sp_vector_field(ctx, v, f.layer, o->fields[i], &idx[i])))
                    goto done;
        }
        double val[nf];
        bool any = false;
        for (int i = 0; i < nf; i++) {
            if ((rc = sp_vector_number(ctx, v, &f, idx[i],
                                       o->allow_negative ? SP_NUM_ALLOW_NEGATIVE : 0, &val[i])))
                goto done;
            total[i] += val[i];
            any |= val[i] != 0;
        }
        if (!f.geom || OGR_G_IsEmpty(f.geom) || !any)
            continue;
        size_t len = (size_t)OGR_G_WkbSize(f.geom);
        unsigned char *wkb = malloc(len);
        if (!wkb) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        OGR_G_ExportToWkb(f.geom, wkbNDR, wkb);
        GEOSGeometry *fg = GEOSGeomFromWKB_buf_r(gh, wkb, len);
        free(wkb);
        if (!fg) {
            rc = sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: GEOS cannot read the "
                          "geometry", sp_vector_layer_name(v, f.layer), f.fid);
            goto done;
        }
        int dim = GEOSGeom_getDimensions_r(gh, fg);
        double whole = 0;
        if (dim == 1)
            GEOSLength_r(gh, fg, &whole);
        else if (dim == 2)
            GEOSArea_r(gh, fg, &whole);
        /* candidate zones by bounding box, in id order for the point rule */
        candidates cand = {hits, 0};
        GEOSSTRtree_query_r(gh, tree, fg, on_candidate, &cand);
        qsort(cand.list, (size_t)cand.n, sizeof *cand.list, cmp_int);
        for (int c = 0; c < cand.n; c++) {
            int z = cand.list[c];
            double share = 0;
            if (dim == 0 || !(whole > 0)) {
                if (GEOSPreparedCovers_r(gh, zp[z], fg) == 1 ||
                    (dim > 0 && GEOSPreparedIntersects_r(gh, zp[z], fg) == 1))
                    share = 1;
            } else if (GEOSPreparedIntersects_r(gh, zp[z], fg) == 1) {
                GEOSGeometry *x = GEOSIntersection_r(gh, zg[z], fg);
                double m = 0;
                if (x) {
                    if (dim == 1)
                        GEOSLength_r(gh, x, &m);
                    else
                        GEOSArea_r(gh, x, &m);
                    GEOSGeom_destroy_r(gh, x);
                }
                share = m / whole;
            }
            if (share > 0)
                for (int i = 0; i < nf; i++) {
                    sums[(size_t)z * nf + i] += share * val[i];
                    in[i] += share * val[i];
                }
            if (share > 0 && (dim == 0 || !(whole > 0)))
                break; /* a point counts once: the first zone in id order */
        }
        GEOSGeom_destroy_r(gh, fg);
    }
    if (got < 0) {
        rc = (sp_status)got;
        goto done;
    }
    for (int z = 0; z < zs->n; z++)
        for (int i = 0; i < nf; i++)
            for (int s = 0; s < o->nstats; s++) {
                /* a zone's sum with no cells: the statistics marked SP_NEED_VECTOR */
                sp_zonal_acc a;
                sp_zonal_acc_init(&a);
                a.S = sums[(size_t)z * nf + i];
                bool sorted = false;
                sp_zonal_fin f = {&a, zarea[z], total[i], NULL, &sorted};
                values[(size_t)z * ncols + (size_t)i * o->nstats + s] =
                    SP_STATS[o->stats[s].kind].finish(&f, &o->stats[s]);
            }
done:
    sp_vector_close(v);
    if (tree)
        GEOSSTRtree_destroy_r(gh, tree);
    for (int z = 0; zg && z < zs->n; z++) {
        if (zp[z])
            GEOSPreparedGeom_destroy_r(gh, zp[z]);
        if (zg[z])
            GEOSGeom_destroy_r(gh, zg[z]);
    }
    free(zg);
    free(zp);
    free(sums);
    free(zarea);
    free(idx);
    free(hits);
    return rc;
}

/* CSV cell: quoted when it holds a comma, a quote or a line break. */
/* The output as an sp_table: id (the FID when there is no -id: "fid" in a CSV,
 * "fid_zone" where OGR keeps "fid" for itself), the included fields with their types,
 * the value columns, and the zone polygons as read. */
static sp_status make_table(sp_ctx *ctx, const zones *zs, bool csv, const char *zone_wkt,
                            char **cols, const double *values, int ncols, sp_table **out)
{
    sp_table *t = *out = sp_table_new(zs->n);
    if (!t || !(t->geom = calloc((size_t)(zs->n ? zs->n : 1), sizeof *t->geom)) ||
        !(t->wkt = strdup(zone_wkt)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    int nin = 1 + zs->ninc;
    for (int i = 0; i < nin; i++) {
        int fi = i == 0 ? zs->id_idx : zs->inc_idx[i - 1];
        int c = fi < 0 ? sp_table_add_text(t, csv ? "fid" : "fid_zone", OFTInteger64)
                       : sp_table_add_text(t, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(zs->defn, fi)),
                                           OGR_Fld_GetType(OGR_FD_GetFieldDefn(zs->defn, fi)));
        if (c < 0)
            return sp_error(ctx, SP_ERR_USAGE, "column '%s' is given twice",
                            fi < 0 ? "fid" : OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(zs->defn, fi)));
        for (int z = 0; z < zs->n; z++) {
            const char *v = fi < 0 ? zs->z[z].id
                            : OGR_F_IsFieldSetAndNotNull(zs->z[z].feat, fi)
                                ? OGR_F_GetFieldAsString(zs->z[z].feat, fi) : NULL;
            if (!sp_table_set_text(t, c, z, i == 0 ? zs->z[z].id : v))
                return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        }
    }
    for (int k = 0; k < ncols; k++) {
        int c = sp_table_add_number(t, cols[k]);
        if (c < 0)
            return sp_error(ctx, SP_ERR_USAGE, "column '%s' is given twice", cols[k]);
        for (int z = 0; z < zs->n; z++)
            t->cols[c].num[z] = values[(size_t)z * ncols + k];
    }
    for (int z = 0; z < zs->n; z++)
        t->geom[z] = OGR_G_Clone(OGR_F_GetGeometryRef(zs->z[z].feat));
    return SP_OK;
}

/* The metric CRS of the vector mode: the zones' own when projected, else their UTM
 * zone. Returns a malloc'd WKT. */
static char *vector_crs(sp_ctx *ctx, sp_vector *zv)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(sp_vector_wkt(zv));
    char *wkt = NULL;
    if (!OSRIsGeographic(s)) {
        wkt = strdup(sp_vector_wkt(zv));
    } else {
        double x0, y0, x1, y1;
        if (sp_vector_extent(ctx, zv, &x0, &y0, &x1, &y1) == SP_OK) {
            int epsg = sp_vector_utm_epsg((x0 + x1) / 2, (y0 + y1) / 2);
            OGRSpatialReferenceH u = OSRNewSpatialReference(NULL);
            OSRImportFromEPSG(u, epsg);
            char *w = NULL;
            OSRExportToWkt(u, &w);
            wkt = w ? strdup(w) : NULL;
            CPLFree(w);
            OSRDestroySpatialReference(u);
            sp_warn(ctx, "the zones are in a geographic CRS: measuring in EPSG:%d (UTM zone "
                    "%d%s)", epsg, epsg % 100, epsg < 32700 ? "N" : "S");
        }
    }
    OSRDestroySpatialReference(s);
    return wkt;
}

sp_status sp_zonal_run(sp_ctx *ctx, const char *zones_path, const char *dst,
                       const sp_zonal_options *o, sp_zonal_report *rep)
{
    memset(rep, 0, sizeof *rep);
    /* by extension, as sp-convert; only formats that keep long field names */
    const char *fmt = o->format ? o->format : sp_convert_driver_for(dst);
    if (!o->format && fmt && strcmp(fmt, "CSV") && strcmp(fmt, "GPKG") && strcmp(fmt, "GeoJSON"))
        fmt = NULL;
    if (!fmt)
        return sp_error(ctx, SP_ERR_USAGE, "cannot tell the output format of '%s' from its "
                        "extension (.csv, .gpkg, .geojson); give -of", dst);
    GDALDriverH drv = strcasecmp(fmt, "CSV") ? GDALGetDriverByName(fmt) : NULL;
    if (strcasecmp(fmt, "CSV") && !drv)
        return sp_error(ctx, SP_ERR_USAGE, "unknown output format '%s'", fmt);
    bool vec = o->inventory != NULL, wmean = false;
    for (int s = 0; s < o->nstats; s++)
        wmean |= (SP_STATS[o->stats[s].kind].needs & SP_NEED_WEIGHTS) != 0;
    if (wmean && (!o->weights || vec))
        return sp_error(ctx, SP_ERR_USAGE, "weighted_mean needs -weights RASTER (e.g. a "
                        "population grid) and a raster to weigh");
    if (o->weights && !wmean)
        return sp_error(ctx, SP_ERR_USAGE, "-weights is for -stats weighted_mean");
    if (vec)
        for (int s = 0; s < o->nstats; s++)
            if (!(SP_STATS[o->stats[s].kind].needs & SP_NEED_VECTOR))
                return sp_error(ctx, SP_ERR_USAGE, "-stats '%s' needs a raster; the vector "
                                "mode gives sum, area_km2, density and share", o->stats[s].name);
    sp_status rc = SP_OK;
    sp_raster **rs = NULL;
    sp_vector *zv = NULL;
    zones zs = {0};
    char *target = NULL, **cols = NULL;
    double *values = NULL;
    int ncols = 0, nvals = 0;
    sp_table *table = NULL;
    if (!vec) {
        if (!(rs = calloc((size_t)o->nrasters, sizeof *rs)))
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        for (int k = 0; k < o->nrasters; k++) {
            if ((rc = sp_raster_read_info(ctx, o->rasters[k].path, o->bands, o->nbands, &rs[k])))
                goto done;
            if (rs[k]->nbands != rs[0]->nbands) {
                rc = sp_error(ctx, SP_ERR_DATA, "'%s' has %d band(s), '%s' %d: the rasters must "
                              "have the same bands", o->rasters[k].path, rs[k]->nbands,
                              o->rasters[0].path, rs[0]->nbands);
                goto done;
            }
        }
        if (!rs[0]->grid.wkt || !rs[0]->grid.wkt[0]) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no CRS", o->rasters[0].path);
            goto done;
        }
    }
    sp_vector_options zo = o->zones;
    zo.keep_crs = true;
    zo.t_srs = NULL;
    if ((rc = sp_vector_open(ctx, zones_path, &zo, &zv)))
        goto done;
    if (sp_vector_layer_count(zv) != 1) {
        rc = sp_error(ctx, SP_ERR_USAGE, "'%s' has %d layers; name the zones layer with -zl",
                      zones_path, sp_vector_layer_count(zv));
        goto done;
    }
    target = vec ? vector_crs(ctx, zv) : strdup(rs[0]->grid.wkt);
    if (!target) {
        rc = sp_error(ctx, SP_ERR_DATA, "cannot set up the CRS to compute in");
        goto done;
    }
    if ((rc = load_zones(ctx, zv, o, target, &zs)))
        goto done;
    rep->nzones = zs.n;
    overlaps(&zs, rep);
    /* real boundaries overlap and leave gaps at the 1e-7 level; more is a data error */
    if (rep->overlap > 1e-6 * rep->zones_area)
        sp_warn(ctx, "the zones overlap by %.6g m2 (%.3g %% of their area): the overlapping "
                "parts are counted in each zone", rep->overlap,
                100 * rep->overlap / rep->zones_area);
    if (rep->gaps > 1e-6 * rep->zones_area)
        sp_warn(ctx, "the zones leave gaps of %.6g m2 inside them", rep->gaps);
    /* value columns and their names */
    int nb = vec ? list_len(o->fields) : rs[0]->nbands, nr = vec ? 1 : o->nrasters;
    nvals = nr * nb * o->nstats;
    bool delta = !vec && o->nrasters == 2;
    ncols = nvals + (delta ? 2 * nb * o->nstats : 0);
    rep->ncols = nr * nb;
    cols = calloc((size_t)ncols, sizeof *cols);
    values = malloc((size_t)zs.n * (size_t)(ncols ? ncols : 1) * sizeof *values);
    rep->label = calloc((size_t)rep->ncols, sizeof *rep->label);
    rep->total = calloc((size_t)rep->ncols, sizeof *rep->total);
    rep->in_zones = calloc((size_t)rep->ncols, sizeof *rep->in_zones);
    if (!cols || !values || !rep->label || !rep->total || !rep->in_zones) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int k = 0; k < nr; k++)
        for (int b = 0; b < nb; b++) {
            char *bl = vec ? strdup(o->fields[b]) : band_label(rs[k], b, o->bands && o->nbands ? o->bands[b] : b + 1);
            char lab[300];
            snprintf(lab, sizeof lab, "%s%s%s", !vec && o->rasters[k].name ? o->rasters[k].name : "",
                     !vec && o->rasters[k].name ? "_" : "", bl ? bl : "");
            rep->label[k * nb + b] = strdup(lab);
            for (int s = 0; s < o->nstats; s++) {
                char c[340];
                snprintf(c, sizeof c, "%s_%s", lab, o->stats[s].name);
                cols[(k * nb + b) * o->nstats + s] = strdup(c);
                if (delta && k == 0) {
                    snprintf(c, sizeof c, "delta_%s_%s", bl ? bl : "", o->stats[s].name);
                    cols[nvals + b * o->nstats + s] = strdup(c);
                    snprintf(c, sizeof c, "delta_pct_%s_%s", bl ? bl : "", o->stats[s].name);
                    cols[nvals + (nb + b) * o->nstats + s] = strdup(c);
                }
            }
            free(bl);
        }
    for (int c = 0; c < ncols; c++)
        if (!cols[c]) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
    rc = vec ? vector_stats(ctx, o, &zs, target, values, ncols, rep)
             : raster_stats(ctx, o, rs, &zs, values, ncols, rep);
    if (!rc && wmean)
        rc = weighted_means(ctx, o, rs, &zs, values, ncols);
    if (rc)
        goto done;
    if (delta)
        for (int z = 0; z < zs.n; z++) {
            double *row = values + (size_t)z * ncols;
            for (int i = 0; i < nb * o->nstats; i++) {
                double a = row[i], b = row[nb * o->nstats + i];
                row[nvals + i] = b - a;
                row[nvals + nb * o->nstats + i] = a != 0 ? 100 * (b - a) / a : NAN;
            }
        }
    if (!(rc = make_table(ctx, &zs, !drv, sp_vector_wkt(zv), cols, values, ncols, &table)))
        rc = sp_table_write(ctx, table, dst, drv ? fmt : "CSV");
done:
    sp_table_free(table);
    for (int c = 0; cols && c < ncols; c++)
        free(cols[c]);
    free(cols);
    free(values);
    free(target);
    zones_free(&zs);
    sp_vector_close(zv);
    for (int k = 0; rs && k < o->nrasters; k++)
        sp_raster_free(rs[k]);
    free(rs);
    return rc;
}
