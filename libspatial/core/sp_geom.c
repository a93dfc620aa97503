/* sp_geom: growable flat geometry buffers, reused across features to avoid an
 * allocation per feature in the gridding loop. */
#include "core/sp_geom.h"

#include <math.h>
#include <stdlib.h>

void sp_geom_reset(sp_geom *g, sp_geom_kind kind)
{
    g->kind = kind;
    g->npoints = 0;
    g->nparts = 0;
}

sp_status sp_geom_begin_part(sp_ctx *ctx, sp_geom *g, bool hole)
{
    if (g->nparts + 1 >= g->cap_parts) {
        int cap = g->cap_parts ? g->cap_parts * 2 : 16;
        int *ps = realloc(g->part_start, (size_t)cap * sizeof *ps);
        if (!ps)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        g->part_start = ps;
        signed char *h = realloc(g->hole, (size_t)cap);
        if (!h)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        g->hole = h;
        g->cap_parts = cap;
    }
    g->part_start[g->nparts] = g->npoints;
    g->hole[g->nparts] = hole ? 1 : 0;
    g->nparts++;
    return SP_OK;
}

sp_status sp_geom_add(sp_ctx *ctx, sp_geom *g, double x, double y)
{
    if (g->npoints >= g->cap_points) {
        int cap = g->cap_points ? g->cap_points * 2 : 64;
        double *nx = realloc(g->x, (size_t)cap * sizeof *nx);
        if (!nx)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        g->x = nx;
        double *ny = realloc(g->y, (size_t)cap * sizeof *ny);
        if (!ny)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        g->y = ny;
        g->cap_points = cap;
    }
    g->x[g->npoints] = x;
    g->y[g->npoints] = y;
    g->npoints++;
    return SP_OK;
}

void sp_geom_free(sp_geom *g)
{
    if (!g)
        return;
    free(g->x);
    free(g->y);
    free(g->part_start);
    free(g->hole);
    g->x = g->y = NULL;
    g->part_start = NULL;
    g->hole = NULL;
    g->cap_points = g->cap_parts = g->npoints = g->nparts = 0;
}

/* Shoelace area, taken relative to the first vertex to keep precision with large
 * projected coordinates (UTM eastings ~ 5e5, northings ~ 4.4e6). */
static double ring_area(const double *x, const double *y, int n)
{
    double s = 0, x0 = x[0], y0 = y[0];
    for (int i = 1; i + 1 < n; i++)
        s += (x[i] - x0) * (y[i + 1] - y0) - (x[i + 1] - x0) * (y[i] - y0);
    return 0.5 * s;
}

double sp_geom_measure(const sp_geom *g)
{
    double m = 0;
    for (int p = 0; p < g->nparts; p++) {
        int s = g->part_start[p], n = sp_geom_part_len(g, p);
        if (g->kind == SP_GEOM_POLYGON && n >= 3) {
            double a = fabs(ring_area(g->x + s, g->y + s, n));
            m += g->hole[p] ? -a : a;
        } else if (g->kind == SP_GEOM_LINE) {
            for (int i = s; i + 1 < s + n; i++)
                m += hypot(g->x[i + 1] - g->x[i], g->y[i + 1] - g->y[i]);
        }
    }
    return m;
}

bool sp_geom_bbox(const sp_geom *g, double *xmin, double *ymin, double *xmax, double *ymax)
{
    if (g->npoints == 0)
        return false;
    double a = INFINITY, b = INFINITY, c = -INFINITY, d = -INFINITY;
    for (int i = 0; i < g->npoints; i++) {
        a = fmin(a, g->x[i]);
        b = fmin(b, g->y[i]);
        c = fmax(c, g->x[i]);
        d = fmax(d, g->y[i]);
    }
    *xmin = a;
    *ymin = b;
    *xmax = c;
    *ymax = d;
    return true;
}
