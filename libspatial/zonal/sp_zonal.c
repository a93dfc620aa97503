/* sp_zonal: cell weights of a zone and coverage-weighted statistics. The exact weights
 * come from sp_cover_polygon (area of cell ∩ zone / cell area), so a cell split
 * between two streets is split between them, and zones that tile the raster add up to
 * its total. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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
