/* sp_gridding: mass-conserving allocation of feature values onto a grid. A point's
 * value goes to the cell containing it, a line's is split by the exact length in each
 * cell, a polygon's by the exact area in each cell; what falls outside the grid is
 * accounted for, so that per band sum(grid) + outside == sum(input). */
#ifndef SP_GRIDDING_H
#define SP_GRIDDING_H

#include "core/sp_coverage.h"

#include <stdint.h>

/* Where shares go: straight into the bands, or recorded (cell, amount per band) by a
 * second reader, to be added after the first reader's features (sp_gridding_run). */
typedef struct {
    int64_t *cell;
    double *amt; /* n * nb */
    size_t n, cap;
} sp_gridding_chunk;
typedef struct {
    double **bands;
    sp_gridding_chunk *rec; /* recording when not NULL (then bands are not touched) */
    bool oom;           /* set when a record could not be stored */
    int row0, row1, ncols; /* a shard's rows of a grid of ncols (row1 0: every row): shares are
                           computed on the whole grid (the same bits whatever the shard),
                           kept for these rows only, bands holding just them */
} sp_gridding_sink;

/* Adds one feature with nb values to the bands of a grid (pure, no I/O):
 * - multi-points split their value equally between their points;
 * - zero-length lines and zero-area polygons are placed as a point at their first
 *   vertex (and *degenerate is set);
 * - outside[b] receives the part of value b that falls outside the grid.
 * Returns SP_ERR_NOMEM only. An empty geometry adds its whole value to outside. */
sp_status sp_gridding_add(sp_ctx *ctx, const sp_grid *grid, double **bands, int nb,
                          const sp_geom *geom, const double *values, double *outside,
                          sp_cover_ws *ws, bool *degenerate);
/* The same into a sink (recording grows s->rec; out of memory sets s->oom). */
sp_status sp_gridding_sink_add(sp_ctx *ctx, const sp_grid *g, sp_gridding_sink *s, int nb,
                               const sp_geom *geom, const double *values, double *outside,
                               sp_cover_ws *ws, bool *degenerate);

#endif
