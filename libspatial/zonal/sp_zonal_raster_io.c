/* sp_zonal_raster: the raster mode of sp-zonal. Each raster is streamed in strips of
 * rows (GDAL), the zones' cells kept as runs of equal weight, statistics accumulated per
 * (zone, strip) on the sp_pool workers and merged in strip order. */
#include "zonal/sp_zonal_impl.h"
#include "io/sp_gdalio.h"
#include "core/sp_pool.h"
#include "io/sp_raster.h"
#include "io/sp_ctx_io.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    int row0, row1;      /* a shard: the zones' cells of these rows only (row1 0: all) */
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
    sp_cover_ws ws = {.row0 = w->row0, .row1 = w->row1}; /* a row's cells: the same bits */
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

/* The bands of one strip are read and added a group at a time: a buffer of ~32 MB per
 * worker stays in the caches and is not paged in afresh (32 bands of a 4000-column strip
 * would be 260 MB per worker, most of the time of a many-band run). */
#define STRIP_GROUP_BYTES (32u << 20)

/* How many bands of a strip of plane cells are read at once. */
static int group_size(size_t plane, int nb)
{
    int group = (int)(STRIP_GROUP_BYTES / (plane * sizeof(double)));
    const char *forced = CPLGetConfigOption("SP_ZONAL_GROUP_BANDS", NULL); /* tests, tuning */
    if (forced && atoi(forced) > 0)
        group = atoi(forced);
    return group < 1 ? 1 : group > nb ? nb : group;
}

/* Adds bands [g0, g0 + gn) of strip s, read into buf (gn planes), to the zones'
 * accumulators, and the strip's totals and overlap corrections. */
static void strip_group(zonal_worker *w, int s, int y0, size_t n, const double *buf,
                        size_t plane, int g0, int gn, float *cov)
{
    const sp_raster *r = w->r;
    int nb = r->nbands, nc = r->grid.ncols;
    bool nd = r->has_nodata;
    double ndv = r->nodata;
    for (int b = 0; b < gn; b++)
        w->stotal[(size_t)s * nb + g0 + b] = sp_sum_valid(buf + b * plane, n, nd, ndv);
    int64_t first = (int64_t)y0 * nc, end = first + (int64_t)n;
    if (cov && g0 == 0)
        memset(cov, 0, n * sizeof *cov);
    for (int k = w->sz_start[s]; k < w->sz_start[s + 1]; k++) {
        int z = w->sz_list[k];
        const zone_runs *zr = &w->zr[z];
        int r0 = first_run(zr, first), r1 = first_run(zr, end);
        sp_zonal_acc *acc = w->acc + (zr->slot + (size_t)(s - zr->s0)) * nb;
        long long before = 0; /* the zone's cells in earlier strips (quantile pairs) */
        for (int i = 0; w->vw && i < r0; i++)
            before += zr->run[i].len;
        for (int b = g0; b < g0 + gn; b++) {
            const double *v = buf + (b - g0) * plane - first;
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
        if (cov && g0 == 0)
            for (int i = r0; i < r1; i++)
                for (int j = 0; j < zr->run[i].len; j++)
                    cov[zr->run[i].cell - first + j] += (float)zr->run[i].w;
    }
    for (int b = 0; cov && b < gn; b++) {
        double corr = 0;
        const double *v = buf + b * plane;
        for (size_t i = 0; i < n; i++)
            if (cov[i] > 1 + 1e-6f && !isnan(v[i]) && !(nd && v[i] == ndv))
                corr += (cov[i] - 1) * v[i];
        w->scorr[(size_t)s * nb + g0 + b] = corr;
    }
}

static void *strip_work(void *user)
{
    zonal_worker *w = user;
    const sp_raster *r = w->r;
    int nb = r->nbands, nc = r->grid.ncols;
    size_t plane = (size_t)w->strip * nc;
    int group = group_size(plane, nb);
    double *buf = malloc(plane * (size_t)group * sizeof *buf);
    float *cov = w->cov ? malloc(plane * sizeof *cov) : NULL;
    GDALDatasetH ds = GDALOpenEx(w->path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!buf || (w->cov && !cov) || !ds) {
        w->rc = ds ? sp_error(w->ctx, SP_ERR_NOMEM, "out of memory")
                   : sp_error_gdal(w->ctx, SP_ERR_IO, "cannot open raster '%s'", w->path);
        goto done;
    }
    while (!atomic_load(w->stop)) {
        int s = atomic_fetch_add(w->next, 1);
        if (s >= w->nstrips)
            break;
        int y0 = s * w->strip, h = r->grid.nrows - y0 < w->strip ? r->grid.nrows - y0 : w->strip;
        size_t n = (size_t)h * nc;
        for (int g0 = 0; g0 < nb && !w->rc; g0 += group) {
            int gn = nb - g0 < group ? nb - g0 : group;
            if (GDALDatasetRasterIO(ds, GF_Read, 0, y0, nc, h, buf, nc, h, GDT_Float64, gn,
                                    (int *)w->bands + g0, 8, (GSpacing)nc * 8,
                                    (GSpacing)(plane * 8)) != CE_None)
                w->rc = sp_error_gdal(w->ctx, SP_ERR_IO, "cannot read '%s'", w->path);
            else
                strip_group(w, s, y0, n, buf, plane, g0, gn, cov);
        }
        if (w->rc || !report(w, w->nstrips))
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

/* One raster's pass: its strips, the zones' runs, the zones of each strip, the
 * (zone, strip) accumulators, the value pairs (quantiles) and per-strip totals. */
typedef struct {
    int strip, nstrips, nfile, native;
    zone_runs *zr;
    int *sz_start, *sz_list;
    sp_zonal_acc *acc;
    double *vw, *stotal, *scorr;
} raster_pass;

static void pass_free(raster_pass *p, int nzones)
{
    for (int z = 0; p->zr && z < nzones; z++)
        zone_runs_free(&p->zr[z]);
    free(p->zr);
    free(p->sz_start);
    free(p->sz_list);
    free(p->acc);
    free(p->vw);
    free(p->stotal);
    free(p->scorr);
    memset(p, 0, sizeof *p);
}

/* Strips of whole block rows, and the arrays sized by them. */
static sp_status pass_layout(sp_ctx *ctx, const char *path, const sp_raster *r, int band1,
                             int nb, int nzones, raster_pass *p)
{
    int nrows = r->grid.nrows;
    p->strip = nrows < 256 ? nrows : 256;
    p->nfile = nb;
    p->native = 8;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (ds) {
        GDALRasterBandH b1 = GDALGetRasterBand(ds, band1);
        p->strip = sp_gdal_strip_rows(b1, nrows);
        p->nfile = GDALGetRasterCount(ds);
        p->native = GDALGetDataTypeSizeBytes(GDALGetRasterDataType(b1));
        GDALClose(ds);
    }
    p->nstrips = (nrows + p->strip - 1) / p->strip;
    if (!(p->zr = calloc((size_t)nzones + 1, sizeof *p->zr)) ||
        !(p->sz_start = calloc((size_t)p->nstrips + 1, sizeof *p->sz_start)) ||
        !(p->stotal = calloc((size_t)p->nstrips * nb, sizeof *p->stotal)) ||
        !(p->scorr = calloc((size_t)p->nstrips * nb, sizeof *p->scorr)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return SP_OK;
}

/* After the cover pass: each zone's strips, accumulator slots and pairs, and the zones
 * of each strip (CSR). Errors when no zone touches the raster. */
static sp_status pass_index(sp_ctx *ctx, const char *path, const sp_raster *r, int nzones,
                            int nb, bool quant, bool shard, raster_pass *p)
{
    int nc = r->grid.ncols;
    size_t slots = 0, pairs_vw = 0;
    double inside = 0;
    for (int z = 0; z < nzones; z++) {
        zone_runs *q = &p->zr[z];
        inside += q->area;
        q->s0 = q->n ? (int)(q->run[0].cell / nc / p->strip) : 0;
        q->s1 = q->n ? (int)(q->run[q->n - 1].cell / nc / p->strip) : -1;
        q->slot = slots;
        q->vw_off = pairs_vw;
        slots += q->s1 >= q->s0 ? (size_t)(q->s1 - q->s0 + 1) : 0;
        pairs_vw += (size_t)q->ncells;
        for (int s = q->s0; s <= q->s1; s++)
            p->sz_start[s + 1]++;
    }
    if (!(inside > 0) && !shard) /* a shard's rows may hold no zone */
        return sp_error(ctx, SP_ERR_DATA, "the zones and the raster '%s' do not overlap "
                        "(raster extent %.6g %.6g %.6g %.6g in its CRS)", path, r->grid.xmin,
                        r->grid.ymin, r->grid.xmax, r->grid.ymax);
    for (int s = 0; s < p->nstrips; s++)
        p->sz_start[s + 1] += p->sz_start[s];
    if (!(p->sz_list = malloc((size_t)(p->sz_start[p->nstrips] + 1) * sizeof *p->sz_list)) ||
        !(p->acc = malloc((slots + 1) * nb * sizeof *p->acc)) ||
        (quant && !(p->vw = malloc((pairs_vw + 1) * nb * 2 * sizeof *p->vw))))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < slots * nb; i++)
        sp_zonal_acc_init(&p->acc[i]);
    int *fill = malloc((size_t)(p->nstrips + 1) * sizeof *fill);
    if (!fill)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    memcpy(fill, p->sz_start, (size_t)(p->nstrips + 1) * sizeof *fill);
    for (int z = 0; z < nzones; z++)
        for (int s = p->zr[z].s0; s <= p->zr[z].s1; s++)
            p->sz_list[fill[s]++] = z;
    free(fill);
    return SP_OK;
}

/* Merges each zone's strips in strip order and finishes its statistics into the value
 * columns of raster k; the band totals (compensated) and parts inside the zones. */
static void pass_merge(const sp_zonal_options *o, const zones *zs, raster_pass *p, int k,
                       int nb, double *values, int ncols, sp_zonal_report *rep)
{
    int ns = o->nstats;
    for (int b = 0; b < nb; b++) {
        double tot = 0, c = 0, corr = 0;
        for (int s = 0; s < p->nstrips; s++) {
            double x = p->stotal[(size_t)s * nb + b], t = tot + x;
            c += fabs(tot) >= fabs(x) ? (tot - t) + x : (x - t) + tot;
            tot = t;
            corr += p->scorr[(size_t)s * nb + b];
        }
        tot += c;
        double in = 0;
        for (int z = 0; z < zs->n; z++) {
            const zone_runs *q = &p->zr[z];
            sp_zonal_acc a;
            sp_zonal_acc_init(&a);
            for (int s = q->s0; s <= q->s1; s++)
                sp_zonal_acc_merge(&a, &p->acc[(q->slot + (size_t)(s - q->s0)) * nb + b]);
            double *pv = NULL;
            if (p->vw) { /* the zone's valid pairs, in cell order */
                pv = p->vw + 2 * ((size_t)q->vw_off * nb + (size_t)b * q->ncells);
                long long m = 0;
                for (long long i = 0; i < q->ncells; i++)
                    if (!isnan(pv[2 * i])) {
                        pv[2 * m] = pv[2 * i];
                        pv[2 * m + 1] = pv[2 * i + 1];
                        m++;
                    }
            }
            sp_zonal_acc_finish(&a, q->area, tot, o->stats, ns,
                                values + (size_t)z * ncols + ((size_t)k * nb + b) * ns, pv);
            in += a.S;
        }
        rep->total[k * nb + b] = tot;
        rep->in_zones[k * nb + b] = in - corr;
    }
}

/* Raster k: the zones' cells (cover pass), then every strip read once (strip pass),
 * then the merge. ws: nt workers with their contexts. */
/* The zones' cell runs of the last raster, kept for the next raster on the same grid: the
 * cover is computed once for all the rasters of a run (scenarios, ensemble members). */
typedef struct {
    zone_runs *zr; /* NULL: none kept */
    sp_grid grid;  /* its grid (the wkt is not kept: the rasters share one CRS) */
} runs_cache;

static bool same_grid(const sp_grid *a, const sp_grid *b)
{
    return a->ncols == b->ncols && a->nrows == b->nrows && a->xmin == b->xmin &&
           a->ymax == b->ymax && a->dx == b->dx && a->dy == b->dy;
}

/* ---- -shard and -from_parts: a pass's sums in a part ---------------------------------- */

#define PART_MAGIC 0x314c414e4f5aLL /* "ZONAL1" */

/* A zone's cells in strips before lo (its pairs' offset) and in [lo, hi). */
static void zone_cells(const zone_runs *q, int64_t from, int64_t to, long long *before,
                       long long *in)
{
    int r0 = first_run(q, from), r1 = first_run(q, to);
    *before = *in = 0;
    for (int i = 0; i < r1; i++)
        *(i < r0 ? before : in) += q->run[i].len;
}

/* The pass's arrays for strips [lo, hi), in one order: write (part != NULL) or read. */
static bool part_arrays(sp_zonal_shard *sh, int k, raster_pass *p, int nb, int nzones,
                        bool quant, int lo, int hi, int64_t row_cells)
{
    bool ok = true;
    for (int z = 0; z < nzones && ok; z++) {
        const zone_runs *q = &p->zr[z];
        int a = q->s0 > lo ? q->s0 : lo, b = q->s1 + 1 < hi ? q->s1 + 1 : hi;
        if (b <= a)
            continue;
        sp_zonal_acc *acc = p->acc + (q->slot + (size_t)(a - q->s0)) * nb;
        size_t n = (size_t)(b - a) * nb * sizeof *acc;
        ok = sh->writing ? sp_zonal_shard_write(sh, acc, n) : sp_zonal_shard_read(sh, k, acc, n);
    }
    double *tot[2] = {p->stotal + (size_t)lo * nb, p->scorr + (size_t)lo * nb};
    for (int t = 0; t < 2 && ok; t++) {
        size_t n = (size_t)(hi - lo) * nb * sizeof(double);
        ok = sh->writing ? sp_zonal_shard_write(sh, tot[t], n) : sp_zonal_shard_read(sh, k, tot[t], n);
    }
    for (int z = 0; quant && z < nzones && ok; z++) {
        const zone_runs *q = &p->zr[z];
        long long before, in;
        zone_cells(q, (int64_t)lo * row_cells, (int64_t)hi * row_cells, &before, &in);
        for (int b = 0; b < nb && ok && in; b++) {
            double *vw = p->vw + 2 * ((size_t)q->vw_off * nb + (size_t)b * q->ncells + before);
            size_t n = 2 * (size_t)in * sizeof *vw;
            ok = sh->writing ? sp_zonal_shard_write(sh, vw, n) : sp_zonal_shard_read(sh, k, vw, n);
        }
    }
    return ok;
}

/* A shard: the pass's sums of strips [lo, hi) to its part, after a header. */
static sp_status dump_part(sp_ctx *ctx, sp_zonal_shard *sh, raster_pass *p, int nb,
                           int nzones, bool quant, int lo, int hi, int64_t row_cells)
{
    int64_t head[7] = {PART_MAGIC, p->nstrips, lo, hi, nb, nzones, quant};
    if (!sp_zonal_shard_write(sh, head, sizeof head) ||
        !part_arrays(sh, 0, p, nb, nzones, quant, lo, hi, row_cells))
        return sp_error(ctx, SP_ERR_IO, "cannot write the part: %s", "write error");
    return SP_OK;
}

/* The merge: every part's sums of this pass, each at its own strips. */
static sp_status load_parts(sp_ctx *ctx, sp_zonal_shard *sh, raster_pass *p, int nb,
                            int nzones, bool quant, bool cov, int64_t row_cells)
{
    for (int k = 0; k < sh->n; k++) {
        int64_t head[7], lo, hi;
        sp_shard_units(&sh->ids[k], p->nstrips, &lo, &hi);
        if (!sp_zonal_shard_read(sh, k, head, sizeof head) || head[0] != PART_MAGIC ||
            head[1] != p->nstrips || head[2] != lo || head[3] != hi || head[4] != nb ||
            head[5] != nzones || head[6] != quant)
            return sp_error(ctx, SP_ERR_DATA, "'%s' does not hold this run's sums (its strips, "
                            "bands or zones differ): a part of another run", sh->paths[k]);
        if (!part_arrays(sh, k, p, nb, nzones, quant, (int)lo, (int)hi, row_cells))
            return sp_error(ctx, SP_ERR_DATA, "'%s' ends early: re-run its shard", sh->paths[k]);
        if (!cov) /* zones that do not overlap: no correction, as one run finds */
            memset(p->scorr + lo * nb, 0, (size_t)(hi - lo) * nb * sizeof *p->scorr);
    }
    return SP_OK;
}

static void cache_free(runs_cache *c, int nzones)
{
    for (int z = 0; c->zr && z < nzones; z++)
        zone_runs_free(&c->zr[z]);
    free(c->zr);
    c->zr = NULL;
}

static sp_status one_raster(sp_ctx *ctx, const sp_zonal_options *o, const sp_raster *r, int k,
                            const zones *zs, const int *bands, zonal_worker *ws, int nt,
                            double *values, int ncols, sp_zonal_report *rep, runs_cache *cache)
{
    int nb = r->nbands;
    bool quant = sp_zonal_needs(o->stats, o->nstats) & SP_NEED_PAIRS;
    /* zones overlapping beyond rounding: count what they share once in "in zones" */
    bool cov = rep->overlap > 1e-9 * rep->zones_area ||
               (zs->shard && zs->shard->writing); /* a shard cannot tell: as if they did */
    raster_pass p = {0};
    const char *path = o->rasters[k].path;
    sp_status rc = pass_layout(ctx, path, r, bands[0], nb, zs->n, &p);
    if (rc)
        goto done;
    atomic_int next = 0, stop = 0, count = 0;
    double p0 = (double)k / o->nrasters, p1 = (k + 1.0) / o->nrasters;
    sp_zonal_shard *sh = zs->shard;
    int64_t lo = 0, hi = p.nstrips, row_cells = (int64_t)p.strip * r->grid.ncols;
    bool writing = sh && sh->writing;
    if (writing)
        sp_shard_units(&sh->me, p.nstrips, &lo, &hi);
    for (int t = 0; t < nt; t++) {
        ws[t] = (zonal_worker){ws[t].ctx, o, path, r, bands, zs, p.zr, p.strip, p.nstrips,
                               NULL, NULL, NULL, NULL, NULL, NULL,
                               sp_zonal_need_var(o->stats, o->nstats), cov, &next, &stop,
                               &count, p0, p0 + 0.3 * (p1 - p0), t == 0, SP_OK, 0, 0};
        if (writing) { /* a shard: the zones' cells in its strips' rows (the same bits) */
            ws[t].row0 = (int)(lo * p.strip);
            ws[t].row1 = (int)(hi * p.strip < r->grid.nrows ? hi * p.strip : r->grid.nrows);
        }
    }
    for (int t = 0; writing && hi <= lo && t < nt; t++) /* no strip: no row to cover */
        ws[t].row0 = ws[t].row1 = r->grid.nrows;
    if (!writing && cache->zr && same_grid(&cache->grid, &r->grid)) { /* the last runs */
        free(p.zr);
        p.zr = cache->zr;
        cache->zr = NULL;
        for (int t = 0; t < nt; t++)
            ws[t].zr = p.zr;
        CPLDebug("SP", "zonal: the zones' cells of the previous raster reused for '%s'", path);
    } else if ((rc = run_workers(ctx, ws, nt, cover_work))) {
        goto done;
    }
    if ((rc = pass_index(ctx, path, r, zs->n, nb, quant, writing, &p)))
        goto done;
    /* every strip read once: the GDAL cache only passes blocks through, and a small one
     * recycles its memory (a large one is paged in afresh: 30 % of a one-band run); when
     * a strip's bands are read in groups, it keeps the strip's blocks for the next group */
    bool one_pass = group_size((size_t)p.strip * r->grid.ncols, nb) >= nb;
    long long strips = (nt + 1LL) * p.strip * r->grid.ncols * p.native * p.nfile;
    if (strips > (192LL << 20)) /* bounded: many bands must not mean a cache of gigabytes */
        strips = 192LL << 20;
    long long saved = sp_gdal_cache_cap(one_pass ? 16LL << 20 : strips + (16LL << 20));
    atomic_store(&next, 0);
    atomic_store(&count, 0);
    for (int t = 0; t < nt; t++) {
        ws[t].sz_start = p.sz_start;
        ws[t].sz_list = p.sz_list;
        ws[t].acc = p.acc;
        ws[t].vw = p.vw;
        ws[t].stotal = p.stotal;
        ws[t].scorr = p.scorr;
        ws[t].prog0 = p0 + 0.3 * (p1 - p0);
        ws[t].prog1 = p1;
    }
    atomic_store(&next, (int)lo);
    for (int t = 0; t < nt; t++)
        ws[t].nstrips = (int)hi; /* a shard: its strips only */
    rc = sh && !sh->writing ? load_parts(ctx, sh, &p, nb, zs->n, quant, cov, row_cells)
                            : run_workers(ctx, ws, nt, strip_work);
    sp_gdal_cache_restore(saved);
    if (!rc && sh && sh->writing)
        rc = dump_part(ctx, sh, &p, nb, zs->n, quant, (int)lo, (int)hi, row_cells);
    else if (!rc)
        pass_merge(o, zs, &p, k, nb, values, ncols, rep);
done:
    if (!rc && p.zr && !(zs->shard && zs->shard->writing)) { /* kept for the next raster */
        cache_free(cache, zs->n);
        cache->zr = p.zr;
        cache->grid = r->grid;
        p.zr = NULL;
    }
    pass_free(&p, zs->n);
    return rc;
}

sp_status sp_zonal_raster_stats(sp_ctx *ctx, const sp_zonal_options *o, sp_raster **rs,
                                const zones *zs, double *values, int ncols,
                                sp_zonal_report *rep)
{
    int nb = rs[0]->nbands, nt = sp_threads(o->threads);
    int *bands = malloc((size_t)nb * sizeof *bands);
    zonal_worker *ws = calloc((size_t)nt, sizeof *ws);
    sp_status rc = !bands || !ws ? sp_error(ctx, SP_ERR_NOMEM, "out of memory") : SP_OK;
    for (int b = 0; !rc && b < nb; b++)
        bands[b] = o->bands && o->nbands ? o->bands[b] : b + 1;
    if (ws)
        ws[0].ctx = ctx;
    for (int t = 1; !rc && t < nt; t++)
        if (!(ws[t].ctx = sp_ctx_new()))
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    runs_cache cache = {0};
    for (int k = 0; k < o->nrasters && !rc; k++)
        rc = one_raster(ctx, o, rs[k], k, zs, bands, ws, nt, values, ncols, rep, &cache);
    cache_free(&cache, zs->n);
    for (int t = 1; ws && t < nt; t++)
        sp_ctx_free(ws[t].ctx);
    free(ws);
    free(bands);
    return rc;
}

/* weighted_mean = sum(cov w v) / sum(cov w) over the valid cells: the sums are the
 * existing exact "sum" statistic of a raster in GDAL's memory file system holding, for
 * each band, v w and w (w only where v is valid), so the coverage rules stay one. */
sp_status sp_zonal_weighted_means(sp_ctx *ctx, const sp_zonal_options *o, sp_raster **rs,
                                const zones *zs, double *values, int ncols)
{
    int nb = rs[0]->nbands, ns = o->nstats;
    sp_raster *w = NULL, *v = NULL, *info = NULL;
    sp_status rc = sp_raster_read(ctx, o->weights, NULL, 0, &w);
    if (!rc && w->nbands != 1)
        rc = sp_error(ctx, SP_ERR_USAGE, "-weights '%s' has %d bands: give one", o->weights,
                      w->nbands);
    double *tv = calloc((size_t)zs->n * 2 * nb, sizeof *tv); /* a shard leaves it unset */
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
            rc = sp_zonal_raster_stats(ctx, &so, &info, zs, tv, 2 * nb, &tmp);
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

