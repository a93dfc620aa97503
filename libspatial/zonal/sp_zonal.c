/* sp_zonal: cell weights of a zone and coverage-weighted statistics. The exact weights
 * come from sp_cover_polygon (area of cell ∩ zone / cell area), so a cell split
 * between two streets is split between them, and zones that tile the raster add up to
 * its total. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sp_status sp_stats_parse(sp_ctx *ctx, const char *list, sp_stat **out, int *n)
{
    *out = NULL;
    *n = 0;
    int cap = 1;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    sp_stat *st = calloc((size_t)cap, sizeof *st);
    if (!st)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    int k = 0;
    for (const char *p = list;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char w[24];
        if (!len || len >= sizeof w) {
            free(st);
            return sp_error(ctx, SP_ERR_USAGE, "-stats: empty or overlong name in '%s'", list);
        }
        memcpy(w, p, len);
        w[len] = 0;
        sp_stat s = {0};
        bool found = false;
        for (int i = 0; i < SP_NSTATS && !found; i++)
            found = SP_STATS[i].parse(w, &s);
        if (!found) {
            char known[256] = "";
            for (int i = 0; i < SP_NSTATS; i++) {
                size_t l = strlen(known);
                snprintf(known + l, sizeof known - l, "%s%s", i ? ", " : "", SP_STATS[i].names);
            }
            free(st);
            return sp_error(ctx, SP_ERR_USAGE, "-stats: unknown statistic '%s' (known: %s)", w,
                            known);
        }
        snprintf(s.name, sizeof s.name, "%s", w);
        for (int i = 0; i < k; i++)
            if (!strcmp(st[i].name, s.name)) {
                free(st);
                return sp_error(ctx, SP_ERR_USAGE, "-stats: '%s' is given twice", w);
            }
        st[k++] = s;
        if (!e)
            break;
        p = e + 1;
    }
    *out = st;
    *n = k;
    return SP_OK;
}

bool sp_zonal_method_parse(const char *s, sp_zonal_method *m)
{
    if (!strcmp(s, "exact"))
        *m = SP_METHOD_EXACT;
    else if (!strcmp(s, "centre") || !strcmp(s, "center"))
        *m = SP_METHOD_CENTRE;
    else if (!strcmp(s, "all_touched"))
        *m = SP_METHOD_ALL_TOUCHED;
    else
        return false;
    return true;
}

void sp_zone_cells_free(sp_zone_cells *c)
{
    if (!c)
        return;
    free(c->cell);
    free(c->w);
    memset(c, 0, sizeof *c);
}

static bool push(sp_zone_cells *c, int64_t cell, double w)
{
    if (c->n == c->cap) {
        int nc = c->cap ? c->cap * 2 : 1024;
        int64_t *a = realloc(c->cell, (size_t)nc * sizeof *a);
        if (!a)
            return false;
        c->cell = a;
        double *b = realloc(c->w, (size_t)nc * sizeof *b);
        if (!b)
            return false;
        c->w = b;
        c->cap = nc;
    }
    c->cell[c->n] = cell;
    c->w[c->n++] = w;
    return true;
}

typedef struct {
    sp_zone_cells *c;
    const sp_grid *g;
    double cell_area;
    bool touched; /* all_touched: weight 1 */
    bool oom;
} collect;

static void on_cell(int col, int row, double area, void *user)
{
    collect *k = user;
    double w = k->touched ? 1.0 : area / k->cell_area;
    if (!push(k->c, (int64_t)row * k->g->ncols + col, w))
        k->oom = true;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Cell centres inside the polygon (even-odd rule over every ring, so holes are out),
 * one scanline per row through the centres. */
static sp_status centre_cells(sp_ctx *ctx, const sp_grid *g, const sp_geom *p, sp_zone_cells *c)
{
    double x0, y0, x1, y1;
    if (!sp_geom_bbox(p, &x0, &y0, &x1, &y1))
        return SP_OK;
    int64_t r0 = sp_grid_row(g, y1), r1 = sp_grid_row(g, y0);
    if (r0 < 0)
        r0 = 0;
    if (r1 >= g->nrows)
        r1 = g->nrows - 1;
    double *xs = malloc((size_t)(p->npoints + 1) * sizeof *xs);
    if (!xs)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int64_t r = r0; r <= r1; r++) {
        double yc = g->ymax - (r + 0.5) * g->dy;
        int nx = 0;
        for (int k = 0; k < p->nparts; k++) {
            int s = p->part_start[k], n = sp_geom_part_len(p, k);
            for (int i = 0; i < n; i++) {
                double ax = p->x[s + i], ay = p->y[s + i];
                double bx = p->x[s + (i + 1) % n], by = p->y[s + (i + 1) % n];
                if ((ay > yc) != (by > yc))
                    xs[nx++] = ax + (yc - ay) * (bx - ax) / (by - ay);
            }
        }
        qsort(xs, (size_t)nx, sizeof *xs, cmp_double);
        for (int i = 0; i + 1 < nx; i += 2) {
            /* centres x = xmin + (col + 0.5) dx with xs[i] <= x < xs[i+1] */
            double a = ceil((xs[i] - g->xmin) / g->dx - 0.5);
            double b = ceil((xs[i + 1] - g->xmin) / g->dx - 0.5) - 1;
            if (a < 0)
                a = 0;
            if (b > g->ncols - 1)
                b = g->ncols - 1;
            for (int64_t col = (int64_t)a; col <= (int64_t)b; col++)
                if (!push(c, r * g->ncols + col, 1.0)) {
                    free(xs);
                    return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
                }
        }
    }
    free(xs);
    return SP_OK;
}

sp_status sp_zonal_cells(sp_ctx *ctx, const sp_grid *g, const sp_geom *poly,
                         sp_zonal_method method, sp_cover_ws *ws, sp_zone_cells *out)
{
    out->n = 0;
    out->area = 0;
    collect k = {out, g, sp_grid_cell_area(g), method == SP_METHOD_ALL_TOUCHED, false};
    sp_status rc;
    if (method == SP_METHOD_CENTRE) {
        /* the area stays exact: it is the zone's, not the method's */
        collect none = {out, g, k.cell_area, false, false};
        int keep = out->n;
        if ((rc = sp_cover_polygon(ctx, g, poly, ws, on_cell, &none, &out->area)))
            return rc;
        out->n = keep;
        if (none.oom)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        return centre_cells(ctx, g, poly, out);
    }
    if ((rc = sp_cover_polygon(ctx, g, poly, ws, on_cell, &k, &out->area)))
        return rc;
    return k.oom ? sp_error(ctx, SP_ERR_NOMEM, "out of memory") : SP_OK;
}

static int cmp_pair(const void *a, const void *b) { return cmp_double(a, b); }

void sp_zonal_acc_init(sp_zonal_acc *a)
{
    memset(a, 0, sizeof *a);
    a->mn = INFINITY;
    a->mx = -INFINITY;
}

void sp_zonal_acc_merge(sp_zonal_acc *a, const sp_zonal_acc *b)
{
    if (b->W > 0) { /* Chan et al.: combined weighted mean and sum of squares */
        double W = a->W + b->W, d = b->mean - a->mean;
        a->M2 += b->M2 + d * d * a->W * b->W / W;
        a->mean += d * b->W / W;
    }
    a->W += b->W;
    a->S += b->S;
    a->mn = fmin(a->mn, b->mn);
    a->mx = fmax(a->mx, b->mx);
    a->nv += b->nv;
}

/* ---- the statistics: one entry each ---------------------------------------------- */

/* By name: the plain names, then median and qNN. */
#define NAMED(fn, word, k)                                                             \
    static bool fn(const char *w, sp_stat *s)                                          \
    {                                                                                  \
        s->kind = (k);                                                                 \
        return !strcmp(w, word);                                                       \
    }
NAMED(parse_sum, "sum", SP_ST_SUM)
NAMED(parse_mean, "mean", SP_ST_MEAN)
NAMED(parse_min, "min", SP_ST_MIN)
NAMED(parse_max, "max", SP_ST_MAX)
NAMED(parse_count, "count", SP_ST_COUNT)
NAMED(parse_area, "area_km2", SP_ST_AREA)
NAMED(parse_density, "density", SP_ST_DENSITY)
NAMED(parse_share, "share", SP_ST_SHARE)
NAMED(parse_stdev, "stdev", SP_ST_STDEV)
NAMED(parse_wmean, "weighted_mean", SP_ST_WMEAN)
NAMED(parse_majority, "majority", SP_ST_MAJORITY)
static bool parse_quantile(const char *w, sp_stat *s)
{
    s->kind = SP_ST_QUANTILE;
    if (!strcmp(w, "median")) {
        s->q = 0.5;
        return true;
    }
    char *end;
    if (w[0] != 'q' || w[1] < '0' || w[1] > '9')
        return false;
    long v = strtol(w + 1, &end, 10);
    s->q = v / 100.0;
    return !*end && v >= 0 && v <= 100;
}

#define FIN(fn, expr)                                                                  \
    static double fn(const sp_zonal_fin *f, const sp_stat *st)                         \
    {                                                                                  \
        (void)st;                                                                      \
        const sp_zonal_acc *a = f->a;                                                  \
        (void)a;                                                                       \
        return (expr);                                                                 \
    }
FIN(fin_sum, a->S)
FIN(fin_mean, a->W > 0 ? a->S / a->W : NAN)
FIN(fin_min, a->nv ? a->mn : NAN)
FIN(fin_max, a->nv ? a->mx : NAN)
FIN(fin_count, a->W)
FIN(fin_area, f->area / 1e6)
FIN(fin_density, f->area > 0 ? a->S / (f->area / 1e6) : NAN)
FIN(fin_share, f->total != 0 ? 100 * a->S / f->total : NAN)
FIN(fin_stdev, a->W > 0 ? sqrt(fmax(0, a->M2 / a->W)) : NAN)
FIN(fin_wmean, NAN) /* filled by sp_zonal_run from the weights raster */

/* The (value, weight) pairs sorted by value, once per zone. */
static bool sorted_pairs(const sp_zonal_fin *f)
{
    if (!f->a->nv || !f->vw)
        return false;
    if (!*f->sorted)
        qsort(f->vw, (size_t)f->a->nv, 2 * sizeof *f->vw, cmp_pair);
    *f->sorted = true;
    return true;
}

static double fin_majority(const sp_zonal_fin *f, const sp_stat *st)
{
    (void)st;
    /* equal values are adjacent once sorted: sum their weights, keep the largest (the
     * first, i.e. smallest value, on a tie) */
    if (!sorted_pairs(f))
        return NAN;
    const double *vw = f->vw;
    long long nv = f->a->nv;
    double bestw = -1, r = NAN;
    for (long long i = 0; i < nv;) {
        double val = vw[2 * i], wsum = 0;
        while (i < nv && vw[2 * i] == val)
            wsum += vw[2 * i++ + 1];
        if (wsum > bestw * (1 + 1e-12)) { /* a rounding tie keeps the smaller */
            bestw = wsum;
            r = val;
        }
    }
    return r;
}

static double fin_quantile(const sp_zonal_fin *f, const sp_stat *st)
{
    /* weighted quantile: the smallest value whose cumulative weight reaches q W */
    if (!sorted_pairs(f))
        return NAN;
    const double *vw = f->vw;
    long long nv = f->a->nv;
    double target = st->q * f->a->W, cum = 0;
    for (long long i = 0; i < nv; i++) {
        cum += vw[2 * i + 1];
        if (cum >= target * (1 - 1e-12))
            return vw[2 * i];
    }
    return vw[2 * (nv - 1)];
}

const sp_stat_desc SP_STATS[SP_NSTATS] = {
    [SP_ST_SUM] = {"sum", parse_sum, fin_sum, SP_NEED_VECTOR},
    [SP_ST_MEAN] = {"mean", parse_mean, fin_mean, 0},
    [SP_ST_MIN] = {"min", parse_min, fin_min, 0},
    [SP_ST_MAX] = {"max", parse_max, fin_max, 0},
    [SP_ST_COUNT] = {"count", parse_count, fin_count, 0},
    [SP_ST_AREA] = {"area_km2", parse_area, fin_area, SP_NEED_VECTOR},
    [SP_ST_DENSITY] = {"density", parse_density, fin_density, SP_NEED_VECTOR},
    [SP_ST_SHARE] = {"share", parse_share, fin_share, SP_NEED_VECTOR},
    [SP_ST_STDEV] = {"stdev", parse_stdev, fin_stdev, SP_NEED_VAR},
    [SP_ST_QUANTILE] = {"median, q0..q100", parse_quantile, fin_quantile, SP_NEED_PAIRS},
    [SP_ST_WMEAN] = {"weighted_mean", parse_wmean, fin_wmean, SP_NEED_WEIGHTS},
    [SP_ST_MAJORITY] = {"majority", parse_majority, fin_majority, SP_NEED_PAIRS},
};

unsigned sp_zonal_needs(const sp_stat *st, int nst)
{
    unsigned n = 0;
    for (int s = 0; s < nst; s++)
        n |= SP_STATS[st[s].kind].needs;
    return n;
}

bool sp_zonal_need_var(const sp_stat *st, int nst)
{
    return sp_zonal_needs(st, nst) & SP_NEED_VAR;
}

sp_status sp_zonal_check_stats(sp_ctx *ctx, const sp_stat_desc *table)
{
    if (!table)
        table = SP_STATS;
    for (int k = 0; k < SP_NSTATS; k++)
        if (!table[k].names || !table[k].parse || !table[k].finish)
            return sp_error(ctx, SP_ERR_INTERNAL, "statistic %d lacks its %s in SP_STATS", k,
                            !table[k].names ? "name" : !table[k].parse ? "parser" : "finish");
    return SP_OK;
}

void sp_zonal_acc_finish(const sp_zonal_acc *a, double area, double total, const sp_stat *st,
                         int nst, double *out, double *vw)
{
    bool sorted = false;
    sp_zonal_fin f = {a, area, total, vw, &sorted};
    for (int s = 0; s < nst; s++)
        out[s] = SP_STATS[st[s].kind].finish(&f, &st[s]);
}

double sp_zonal_stats(const sp_zone_cells *c, const double *band, bool has_nodata,
                      double nodata, double total, const sp_stat *st, int nst, double *out,
                      double *scratch)
{
    sp_zonal_acc a;
    sp_zonal_acc_init(&a);
    bool var = sp_zonal_need_var(st, nst);
    for (int i = 0; i < c->n; i++) {
        double w = c->w[i], v = band[c->cell[i]];
        if (isnan(v) || (has_nodata && v == nodata) || !(w > 0))
            continue;
        if (scratch) {
            scratch[2 * a.nv] = v;
            scratch[2 * a.nv + 1] = w;
        }
        sp_zonal_acc_add(&a, v, w, var);
    }
    sp_zonal_acc_finish(&a, c->area, total, st, nst, out, scratch);
    return a.S;
}
