/* sp_gridding: the gridding contract. Shares are exact (sp_coverage), and the part
 * outside the grid is computed as value minus what was placed, so the mass balance
 * holds to rounding whatever the geometry. Pure: no GDAL, no threads (the reading and
 * the threads are in sp_gridding_run.c). */
#include "gridding/sp_gridding.h"

#include <stdlib.h>
#include <string.h>

typedef sp_gridding_chunk chunk;
typedef sp_gridding_sink sink;

static void put(sink *s, int nb, size_t i, const double *values, double f, double *placed)
{
    if (s->row1) { /* a shard: its rows only, counted from its first */
        size_t ncols = s->ncols, lo = (size_t)s->row0 * ncols, hi = (size_t)s->row1 * ncols;
        if (i < lo || i >= hi)
            return;
        i -= lo;
    }
    if (!s->rec) {
        for (int b = 0; b < nb; b++) {
            double v = values[b] * f;
            s->bands[b][i] += v;
            if (placed)
                placed[b] += v;
        }
        return;
    }
    chunk *c = s->rec;
    if (c->n == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 4096;
        int64_t *a = realloc(c->cell, nc * sizeof *a);
        double *m = a ? realloc(c->amt, nc * nb * sizeof *m) : NULL;
        if (a)
            c->cell = a;
        if (!a || !m) {
            s->oom = true;
            return;
        }
        c->amt = m;
        c->cap = nc;
    }
    c->cell[c->n] = (int64_t)i;
    for (int b = 0; b < nb; b++) {
        double v = values[b] * f;
        c->amt[c->n * nb + b] = v;
        if (placed)
            placed[b] += v;
    }
    c->n++;
}

typedef struct {
    sink *s;
    const double *values;
    int nb, ncols;
    double scale; /* 1 / total measure */
    double *placed;
} alloc_ctx;

static void add_share(int col, int row, double amount, void *user)
{
    alloc_ctx *a = user;
    put(a->s, a->nb, (size_t)row * a->ncols + col, a->values, amount * a->scale, a->placed);
}

static void add_point(const sp_grid *g, sink *s, int nb, double x, double y,
                      const double *values, double frac, double *outside)
{
    int c, r;
    if (sp_cover_point(g, x, y, &c, &r))
        put(s, nb, (size_t)r * g->ncols + c, values, frac, NULL);
    else
        for (int b = 0; b < nb; b++)
            outside[b] += values[b] * frac;
}

/* Whether geom's rows (by its y range, a row's margin each side) meet the shard's. */
static bool in_rows(const sp_grid *g, const sink *s, const sp_geom *geom)
{
    double y0 = geom->y[0], y1 = geom->y[0];
    for (int i = 1; i < geom->npoints; i++) {
        y0 = geom->y[i] < y0 ? geom->y[i] : y0;
        y1 = geom->y[i] > y1 ? geom->y[i] : y1;
    }
    int64_t top = sp_grid_row(g, y1) - 1, bottom = sp_grid_row(g, y0) + 1;
    return bottom >= s->row0 && top < s->row1;
}

sp_status sp_gridding_sink_add(sp_ctx *ctx, const sp_grid *g, sp_gridding_sink *s, int nb,
                               const sp_geom *geom, const double *values, double *outside,
                               sp_cover_ws *ws, bool *degenerate)
{
    *degenerate = false;
    if (geom->npoints == 0 || geom->kind == SP_GEOM_NONE) {
        for (int b = 0; b < nb; b++)
            outside[b] += values[b];
        return SP_OK;
    }
    if (geom->kind == SP_GEOM_POINT) {
        double frac = 1.0 / geom->npoints;
        for (int i = 0; i < geom->npoints; i++)
            add_point(g, s, nb, geom->x[i], geom->y[i], values, frac, outside);
        return SP_OK;
    }
    double total = sp_geom_measure(geom);
    if (!(total > 0)) {
        *degenerate = true;
        add_point(g, s, nb, geom->x[0], geom->y[0], values, 1.0, outside);
        return SP_OK;
    }
    if (s->row1 && !in_rows(g, s, geom)) { /* nothing of it in the shard's rows */
        for (int b = 0; b < nb; b++)
            outside[b] += values[b];
        return SP_OK;
    }
    double placed[64], *pl = nb <= 64 ? placed : calloc((size_t)nb, sizeof *pl);
    if (!pl)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    memset(pl, 0, (size_t)nb * sizeof *pl);
    alloc_ctx a = {s, values, nb, g->ncols, 1.0 / total, pl};
    sp_status rc = SP_OK;
    if (geom->kind == SP_GEOM_LINE)
        sp_cover_line(g, geom, add_share, &a, NULL);
    else {
        ws->row0 = s->row0; /* a shard: its rows only (row1 0: all) */
        ws->row1 = s->row1;
        rc = sp_cover_polygon(ctx, g, geom, ws, add_share, &a, NULL);
    }
    for (int b = 0; b < nb; b++)
        outside[b] += values[b] - pl[b];
    if (pl != placed)
        free(pl);
    return rc;
}

sp_status sp_gridding_add(sp_ctx *ctx, const sp_grid *g, double **bands, int nb,
                          const sp_geom *geom, const double *values, double *outside,
                          sp_cover_ws *ws, bool *degenerate)
{
    sink s = {.bands = bands};
    return sp_gridding_sink_add(ctx, g, &s, nb, geom, values, outside, ws, degenerate);
}

