/* sp_coverage: exact coverage of grid cells by polygons (area of cell ∩ polygon) and
 * by lines (length of line inside each cell). Pure geometry on sp_geom + sp_grid, no
 * I/O, so it is checked cell by cell against GEOS intersections in the unit tests.
 *
 * Rules on edges (documented in docs/sp-grid.md, the edge rule): cells are half-open as in sp_grid_col/row.
 * A line piece lying exactly on a cell edge is given to one cell only: the cell that
 * contains its midpoint under the half-open rule (east of a vertical edge, south of
 * a horizontal edge). Polygon coverage has no such ambiguity (edges have no area). */
#ifndef SP_COVERAGE_H
#define SP_COVERAGE_H

#include "core/sp_geom.h"
#include "core/sp_grid.h"

/* Called for each cell touched; amount is the covered area (world units²) for
 * polygons, or the length inside the cell (world units) for lines. */
typedef void (*sp_cell_fn)(int col, int row, double amount, void *user);

/* Reusable scratch memory, so that millions of small features cost no allocation. */
typedef struct {
    double *acc;
    size_t cap;
    size_t max_cells; /* strip buffer limit in cells; 0 = default (4 Mi cells, 32 MiB) */
    int row0, row1;   /* polygons: only rows [row0, row1) (row1 0: all). Each row's
                         coverage comes from the edges alone, so a row gets the same bits
                         however the rows are split (a shard's) */
} sp_cover_ws;

/* Frees the workspace's arrays (the struct itself is the caller's); accepts NULL. */
void sp_cover_ws_free(sp_cover_ws *ws);

/* Exact polygon coverage. Rings are oriented by the hole flags, not by their vertex
 * order; rings need not be closed explicitly. Calls fn for every cell inside the grid
 * whose covered area is not zero. Returns the area inside the grid in *inside (may be
 * NULL). Memory: a buffer of the polygon's bounding box clipped to the grid, processed
 * in strips of at most ws->max_cells cells. */
sp_status sp_cover_polygon(sp_ctx *ctx, const sp_grid *grid, const sp_geom *poly,
                           sp_cover_ws *ws, sp_cell_fn fn, void *user, double *inside);

/* Exact line coverage: calls fn with the length of each piece of the line inside a
 * cell (a cell may be called more than once when the line re-enters it). *inside gets
 * the total length inside the grid. */
void sp_cover_line(const sp_grid *grid, const sp_geom *line, sp_cell_fn fn, void *user,
                   double *inside);

/* Cell of a point by the half-open rule; false when the point is outside the grid. */
bool sp_cover_point(const sp_grid *grid, double x, double y, int *col, int *row);

#endif
