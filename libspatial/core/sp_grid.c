/* sp_grid: grid geometry and cell transforms. Everything here is arithmetic on the
 * extent and resolution so that it can be unit-tested on hand-made grids. */
#include "core/sp_grid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIM 2000000000.0

void sp_grid_snap_extent(double *xmin, double *ymin, double *xmax, double *ymax, double dx,
                         double dy)
{
    *xmin = floor(*xmin / dx) * dx;
    *ymin = floor(*ymin / dy) * dy;
    *xmax = ceil(*xmax / dx) * dx;
    *ymax = ceil(*ymax / dy) * dy;
}

static sp_status check_extent(sp_ctx *ctx, double xmin, double ymin, double xmax, double ymax)
{
    if (!isfinite(xmin) || !isfinite(ymin) || !isfinite(xmax) || !isfinite(ymax))
        return sp_error(ctx, SP_ERR_USAGE, "grid extent is not finite");
    if (!(xmax > xmin) || !(ymax > ymin))
        return sp_error(ctx, SP_ERR_USAGE,
                        "empty grid extent: xmin %.17g xmax %.17g ymin %.17g ymax %.17g "
                        "(need xmin < xmax and ymin < ymax)",
                        xmin, xmax, ymin, ymax);
    return SP_OK;
}

static sp_status set_dims(sp_ctx *ctx, sp_grid *g, double fcols, double frows)
{
    if (!(fcols >= 1 && frows >= 1) || fcols > MAX_DIM || frows > MAX_DIM)
        return sp_error(ctx, SP_ERR_LIMIT,
                        "grid of %.0f x %.0f cells is not possible (each side must be "
                        "1 to 2e9 cells)",
                        fcols, frows);
    g->ncols = (int)fcols;
    g->nrows = (int)frows;
    g->xmax = g->xmin + g->ncols * g->dx;
    g->ymin = g->ymax - g->nrows * g->dy;
    return SP_OK;
}

sp_status sp_grid_from_res(sp_ctx *ctx, sp_grid *g, double xmin, double ymin, double xmax,
                           double ymax, double dx, double dy, bool tap)
{
    if (!(dx > 0) || !(dy > 0) || !isfinite(dx) || !isfinite(dy))
        return sp_error(ctx, SP_ERR_USAGE, "resolution must be positive, got %g x %g", dx, dy);
    sp_status st = check_extent(ctx, xmin, ymin, xmax, ymax);
    if (st)
        return st;
    if (tap)
        sp_grid_snap_extent(&xmin, &ymin, &xmax, &ymax, dx, dy);
    g->xmin = xmin;
    g->ymax = ymax;
    g->dx = dx;
    g->dy = dy;
    double fc = floor((xmax - xmin) / dx + 0.5), fr = floor((ymax - ymin) / dy + 0.5);
    return set_dims(ctx, g, fc < 1 ? 1 : fc, fr < 1 ? 1 : fr);
}

sp_status sp_grid_from_size(sp_ctx *ctx, sp_grid *g, double xmin, double ymin, double xmax,
                            double ymax, int ncols, int nrows)
{
    sp_status st = check_extent(ctx, xmin, ymin, xmax, ymax);
    if (st)
        return st;
    if (ncols < 1 || nrows < 1)
        return sp_error(ctx, SP_ERR_USAGE, "grid size must be at least 1 x 1, got %d x %d",
                        ncols, nrows);
    g->xmin = xmin;
    g->ymax = ymax;
    g->dx = (xmax - xmin) / ncols;
    g->dy = (ymax - ymin) / nrows;
    g->ncols = ncols;
    g->nrows = nrows;
    g->xmax = xmax;
    g->ymin = ymin;
    return SP_OK;
}

sp_status sp_grid_from_data(sp_ctx *ctx, sp_grid *g, double xmin, double ymin, double xmax,
                            double ymax, double dx, double dy)
{
    if (!(dx > 0) || !(dy > 0) || !isfinite(dx) || !isfinite(dy))
        return sp_error(ctx, SP_ERR_USAGE, "resolution must be positive, got %g x %g", dx, dy);
    if (!isfinite(xmin) || !isfinite(ymin) || !isfinite(xmax) || !isfinite(ymax) ||
        xmax < xmin || ymax < ymin)
        return sp_error(ctx, SP_ERR_DATA, "input has no usable extent");
    double x0 = xmin, y0 = ymin, x1 = xmax, y1 = ymax;
    sp_grid_snap_extent(&x0, &y0, &x1, &y1, dx, dy);
    /* half-open cells: a coordinate on the upper x or lower y edge would fall outside */
    if (x1 <= xmax)
        x1 += dx;
    if (y0 >= ymin)
        y0 -= dy;
    return sp_grid_from_res(ctx, g, x0, y0, x1, y1, dx, dy, false);
}

sp_status sp_grid_set_crs(sp_ctx *ctx, sp_grid *g, const char *wkt)
{
    free(g->wkt);
    g->wkt = NULL;
    if (!wkt)
        return SP_OK;
    g->wkt = strdup(wkt);
    return g->wkt ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
}

sp_status sp_grid_copy(sp_ctx *ctx, sp_grid *dst, const sp_grid *src)
{
    *dst = *src;
    dst->wkt = NULL;
    return sp_grid_set_crs(ctx, dst, src->wkt);
}

void sp_grid_clear(sp_grid *g)
{
    if (!g)
        return;
    free(g->wkt);
    g->wkt = NULL;
}

int64_t sp_grid_col(const sp_grid *g, double x) { return (int64_t)floor((x - g->xmin) / g->dx); }
int64_t sp_grid_row(const sp_grid *g, double y) { return (int64_t)floor((g->ymax - y) / g->dy); }

void sp_grid_cell_center(const sp_grid *g, int col, int row, double *x, double *y)
{
    *x = g->xmin + (col + 0.5) * g->dx;
    *y = g->ymax - (row + 0.5) * g->dy;
}

void sp_grid_geotransform(const sp_grid *g, double gt[6])
{
    gt[0] = g->xmin;
    gt[1] = g->dx;
    gt[2] = 0;
    gt[3] = g->ymax;
    gt[4] = 0;
    gt[5] = -g->dy;
}

double sp_grid_cell_area(const sp_grid *g) { return g->dx * g->dy; }
int64_t sp_grid_cells(const sp_grid *g) { return (int64_t)g->ncols * g->nrows; }

const char *sp_format_bytes(double b, char *buf, size_t n)
{
    const char *unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (b >= 1024 && u < 5) {
        b /= 1024;
        u++;
    }
    snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
    return buf;
}

sp_status sp_grid_check_size(sp_ctx *ctx, const sp_grid *g, int nbands, int bytes_per_cell,
                             int64_t limit)
{
    double need = (double)g->ncols * g->nrows * nbands * bytes_per_cell;
    if (need <= (double)limit)
        return SP_OK;
    char a[32], b[32];
    return sp_error(ctx, SP_ERR_LIMIT,
                    "a grid of %d x %d cells x %d band(s) would need %s of memory, over the "
                    "limit of %s; use a coarser -tr or a smaller -te, or raise the limit with "
                    "-max_mem",
                    g->ncols, g->nrows, nbands, sp_format_bytes(need, a, sizeof a),
                    sp_format_bytes((double)limit, b, sizeof b));
}

sp_status sp_grid_window(sp_ctx *ctx, sp_grid *dst, const sp_grid *g, int row0, int row1)
{
    sp_status rc = sp_grid_copy(ctx, dst, g);
    dst->nrows = row1 - row0;
    dst->ymax = g->ymax - (double)row0 * g->dy;
    dst->ymin = g->ymax - (double)row1 * g->dy;
    return rc;
}
