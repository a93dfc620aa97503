/* sp_coverage: exact cell coverage.
 *
 * Polygons use signed-area accumulation (the scheme of anti-aliasing font rasterisers,
 * made exact for straight edges): each edge piece inside a row adds its signed height
 * dv, split between its own cell (the part of that cell to the right of the piece) and
 * the next cell; a prefix sum along the row then yields, for every cell, the exact
 * area of the polygon inside it. Work is proportional to the cells the boundary
 * crosses plus the cells of the bounding box, and holes/multipolygons come for free
 * because contributions are signed.
 *
 * Lines are walked through the cells they cross by merging their column and row
 * crossings in parameter order, so each piece's length is exact. */
#include "core/sp_coverage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_CELLS (4u << 20)

void sp_cover_ws_free(sp_cover_ws *ws)
{
    if (!ws)
        return;
    free(ws->acc);
    ws->acc = NULL;
    ws->cap = 0;
}

bool sp_cover_point(const sp_grid *g, double x, double y, int *col, int *row)
{
    int64_t c = sp_grid_col(g, x), r = sp_grid_row(g, y);
    if (c < 0 || r < 0 || c >= g->ncols || r >= g->nrows || !isfinite(x) || !isfinite(y))
        return false;
    *col = (int)c;
    *row = (int)r;
    return true;
}

/* A strip of the accumulation buffer: rows [r0, r1] x columns [c0, c1] (+1 spill). */
typedef struct {
    double *acc;
    int c0, c1, r0, r1, w; /* w = c1 - c0 + 2 */
} strip;

/* Adds a piece inside one row (v in [row, row+1]) from (xs,ys) to (xe,ye), in cell
 * units and traversal order, scaled by sign. */
static void add_row_piece(strip *s, int row, double xs, double ys, double xe, double ye,
                          double sign)
{
    double *a = s->acc + (size_t)(row - s->r0) * s->w;
    double lo = s->c0, hi = s->c1 + 1; /* buffer covers x in [lo, hi) */
    double dvtot = (ye - ys) * sign;
    if (dvtot == 0)
        return;
    double x0 = fmin(xs, xe), x1 = fmax(xs, xe);
    if (x0 >= hi)
        return; /* entirely right of the buffer: affects no cell in it */
    if (x1 <= lo || xs == xe) {
        if (x1 <= lo) { /* entirely left: full height to every cell of the row */
            a[0] += dvtot;
            return;
        }
        int c = (int)floor(xs);
        double f = xs - c;
        a[c - s->c0] += dvtot * (1.0 - f);
        a[c - s->c0 + 1] += dvtot * f;
        return;
    }
    /* y as a function of x along the piece; dv of a sub-range keeps traversal sign */
    double slope = (ye - ys) / (xe - xs);
    double dir = xe > xs ? 1.0 : -1.0;
    if (x0 < lo) { /* part left of the buffer */
        a[0] += slope * (lo - x0) * dir * sign;
        x0 = lo;
    }
    if (x1 > hi)
        x1 = hi;
    int cfirst = (int)floor(x0), clast = (int)floor(x1);
    if (clast > s->c1)
        clast = s->c1;
    for (int c = cfirst; c <= clast; c++) {
        double xa = fmax(x0, c), xb = fmin(x1, c + 1.0);
        if (xb <= xa)
            continue;
        double dv = slope * (xb - xa) * dir * sign;
        double f = 0.5 * (xa + xb) - c; /* mean x offset of the piece within the cell */
        a[c - s->c0] += dv * (1.0 - f);
        a[c - s->c0 + 1] += dv * f;
    }
}

/* Adds one edge (cell units) to the strip's rows. */
static void add_edge(strip *s, double ua, double va, double ub, double vb, double sign)
{
    if (va == vb)
        return; /* horizontal edges enclose no area */
    double vmin = fmin(va, vb), vmax = fmax(va, vb);
    if (vmax <= s->r0 || vmin >= s->r1 + 1)
        return;
    int rfirst = (int)floor(vmin), rlast = (int)floor(vmax);
    if (rfirst < s->r0)
        rfirst = s->r0;
    if (rlast > s->r1)
        rlast = s->r1;
    double k = (ub - ua) / (vb - va);
    bool down = vb > va;
    for (int r = rfirst; r <= rlast; r++) {
        double v0 = fmax(vmin, r), v1 = fmin(vmax, r + 1.0);
        if (v1 <= v0)
            continue;
        double vs = down ? v0 : v1, ve = down ? v1 : v0;
        double us = vs == va ? ua : ua + (vs - va) * k;
        double ue = ve == vb ? ub : ua + (ve - va) * k;
        add_row_piece(s, r, us, vs, ue, ve, sign);
    }
}


sp_status sp_cover_polygon(sp_ctx *ctx, const sp_grid *g, const sp_geom *poly,
                           sp_cover_ws *ws, sp_cell_fn fn, void *user, double *inside)
{
    if (inside)
        *inside = 0;
    double bx0, by0, bx1, by1;
    if (poly->kind != SP_GEOM_POLYGON || !sp_geom_bbox(poly, &bx0, &by0, &bx1, &by1))
        return SP_OK;
    /* bounding box in cell units, clipped to the grid */
    double u0 = (bx0 - g->xmin) / g->dx, u1 = (bx1 - g->xmin) / g->dx;
    double v0 = (g->ymax - by1) / g->dy, v1 = (g->ymax - by0) / g->dy;
    if (!(u1 > 0) || !(v1 > 0) || !(u0 < g->ncols) || !(v0 < g->nrows))
        return SP_OK;
    strip s;
    s.c0 = u0 < 0 ? 0 : (int)floor(u0);
    s.c1 = u1 >= g->ncols ? g->ncols - 1 : (int)floor(u1);
    int rtop = v0 < 0 ? 0 : (int)floor(v0);
    int rbot = v1 >= g->nrows ? g->nrows - 1 : (int)floor(v1);
    if (ws->row1 > 0 && (rtop = rtop < ws->row0 ? ws->row0 : rtop) >
                            (rbot = rbot >= ws->row1 ? ws->row1 - 1 : rbot))
        return SP_OK; /* none of a shard's rows */
    s.w = s.c1 - s.c0 + 2;
    size_t maxcells = ws->max_cells ? ws->max_cells : DEFAULT_MAX_CELLS;
    size_t hmax = maxcells / (size_t)s.w;
    if (hmax < 1)
        hmax = 1;
    size_t h = (size_t)(rbot - rtop + 1);
    if (h > hmax)
        h = hmax;
    if (ws->cap < h * (size_t)s.w) {
        free(ws->acc);
        ws->cap = h * (size_t)s.w;
        ws->acc = malloc(ws->cap * sizeof *ws->acc);
        if (!ws->acc) {
            ws->cap = 0;
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory for a coverage buffer of "
                                               "%zu cells", h * (size_t)s.w);
        }
    }
    s.acc = ws->acc;
    double cell_area = g->dx * g->dy, total = 0;
    for (int r0 = rtop; r0 <= rbot; r0 += (int)h) {
        s.r0 = r0;
        s.r1 = r0 + (int)h - 1 > rbot ? rbot : r0 + (int)h - 1;
        memset(s.acc, 0, (size_t)(s.r1 - s.r0 + 1) * s.w * sizeof *s.acc);
        for (int p = 0; p < poly->nparts; p++) {
            int st = poly->part_start[p], n = sp_geom_part_len(poly, p);
            if (n < 3)
                continue;
            const double *x = poly->x + st, *y = poly->y + st;
            /* orientation: the accumulation yields minus the (u,v) shoelace area, so a
             * ring counts positively when its sign is flipped accordingly */
            double sa = 0;
            double ua = (x[0] - g->xmin) / g->dx, va = (g->ymax - y[0]) / g->dy;
            double uf = ua, vf = va;
            for (int i = 1; i <= n; i++) {
                double ub, vb;
                if (i < n) {
                    ub = (x[i] - g->xmin) / g->dx;
                    vb = (g->ymax - y[i]) / g->dy;
                } else {
                    ub = uf;
                    vb = vf;
                }
                sa += (ua - uf) * (vb - vf) - (ub - uf) * (va - vf);
                ua = ub;
                va = vb;
            }
            if (sa == 0)
                continue;
            double sign = (sa > 0 ? -1.0 : 1.0) * (poly->hole[p] ? -1.0 : 1.0);
            ua = uf;
            va = vf;
            for (int i = 1; i <= n; i++) {
                double ub = i < n ? (x[i] - g->xmin) / g->dx : uf;
                double vb = i < n ? (g->ymax - y[i]) / g->dy : vf;
                add_edge(&s, ua, va, ub, vb, sign);
                ua = ub;
                va = vb;
            }
        }
        for (int r = s.r0; r <= s.r1; r++) {
            const double *a = s.acc + (size_t)(r - s.r0) * s.w;
            double cov = 0;
            for (int c = s.c0; c <= s.c1; c++) {
                cov += a[c - s.c0];
                if (cov != 0) {
                    double area = cov * cell_area;
                    total += area;
                    fn(c, r, area, user);
                }
            }
        }
    }
    if (inside)
        *inside = total;
    return SP_OK;
}

/* Clips parameter range [*t0,*t1] of p + t*d to lo <= coordinate <= hi. */
static bool clip1(double p, double d, double lo, double hi, double *t0, double *t1)
{
    if (d == 0)
        return p >= lo && p <= hi;
    double a = (lo - p) / d, b = (hi - p) / d;
    if (a > b) {
        double t = a;
        a = b;
        b = t;
    }
    if (a > *t0)
        *t0 = a;
    if (b < *t1)
        *t1 = b;
    return *t0 <= *t1;
}

void sp_cover_line(const sp_grid *g, const sp_geom *line, sp_cell_fn fn, void *user,
                   double *inside)
{
    double total = 0;
    for (int p = 0; p < line->nparts; p++) {
        int st = line->part_start[p], n = sp_geom_part_len(line, p);
        for (int i = st; i + 1 < st + n; i++) {
            double len = hypot(line->x[i + 1] - line->x[i], line->y[i + 1] - line->y[i]);
            if (len == 0)
                continue;
            double ua = (line->x[i] - g->xmin) / g->dx, va = (g->ymax - line->y[i]) / g->dy;
            double ub = (line->x[i + 1] - g->xmin) / g->dx;
            double vb = (g->ymax - line->y[i + 1]) / g->dy;
            double du = ub - ua, dv = vb - va, t0 = 0, t1 = 1;
            if (!clip1(ua, du, 0, g->ncols, &t0, &t1) || !clip1(va, dv, 0, g->nrows, &t0, &t1))
                continue;
            /* next column / row boundary crossings after t0, in parameter order; the
             * crossing parameters are recomputed from the boundary index each time so
             * that no error accumulates along long segments */
            double tu = INFINITY, tv = INFINITY, nbu = 0, nbv = 0, su = 0, sv = 0;
            if (du != 0) {
                double u = ua + du * t0;
                su = du > 0 ? 1.0 : -1.0;
                nbu = du > 0 ? floor(u) + 1 : ceil(u) - 1;
                tu = (nbu - ua) / du;
            }
            if (dv != 0) {
                double v = va + dv * t0;
                sv = dv > 0 ? 1.0 : -1.0;
                nbv = dv > 0 ? floor(v) + 1 : ceil(v) - 1;
                tv = (nbv - va) / dv;
            }
            double t = t0;
            while (t < t1) {
                double tn = fmin(fmin(tu, tv), t1);
                if (tn > t) {
                    double tm = 0.5 * (t + tn);
                    double um = ua + du * tm, vm = va + dv * tm;
                    int c = (int)floor(um), r = (int)floor(vm);
                    if (c >= 0 && r >= 0 && c < g->ncols && r < g->nrows) {
                        double piece = len * (tn - t);
                        total += piece;
                        fn(c, r, piece, user);
                    }
                }
                if (tn == tu) {
                    nbu += su;
                    tu = (nbu - ua) / du;
                }
                if (tn == tv) {
                    nbv += sv;
                    tv = (nbv - va) / dv;
                }
                t = tn;
            }
        }
    }
    if (inside)
        *inside = total;
}
