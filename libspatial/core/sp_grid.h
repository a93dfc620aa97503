/* sp_grid: a north-up regular grid (extent, resolution, size, CRS as WKT) and the
 * transforms between world coordinates and cells. Pure arithmetic, no I/O.
 * Cells are half-open: column c covers [xmin + c*dx, xmin + (c+1)*dx) and row r
 * (counted from the top) covers (ymax - (r+1)*dy, ymax - r*dy]: see sp_grid_row. */
#ifndef SP_GRID_H
#define SP_GRID_H

#include "core/sp_ctx.h"
#include <stdint.h>

typedef struct {
    double xmin, ymin, xmax, ymax; /* extent; xmax = xmin + ncols*dx exactly as stored */
    double dx, dy;                 /* cell size, both > 0 (rows go down from ymax) */
    int ncols, nrows;
    char *wkt;                     /* CRS as WKT, owned (may be NULL: unknown CRS) */
} sp_grid;

/* GDAL's -tap: snap xmin/ymin down and xmax/ymax up to multiples of the resolution. */
void sp_grid_snap_extent(double *xmin, double *ymin, double *xmax, double *ymax,
                         double dx, double dy);

/* Sets grid from an extent and a resolution (-te + -tr). The size is rounded the way
 * gdalwarp does (nearest whole number of cells, at least 1) and xmax/ymin are then
 * recomputed from it. With tap, the extent is first snapped outward. */
sp_status sp_grid_from_res(sp_ctx *ctx, sp_grid *g, double xmin, double ymin, double xmax,
                           double ymax, double dx, double dy, bool tap);
/* Sets grid from an extent and a size in cells (-te + -ts). */
sp_status sp_grid_from_size(sp_ctx *ctx, sp_grid *g, double xmin, double ymin, double xmax,
                            double ymax, int ncols, int nrows);
/* Sets grid covering a data extent at a resolution: snapped outward to multiples of
 * the resolution, and one cell larger where data lies exactly on the upper x or
 * lower y edge, so that every input coordinate falls inside a half-open cell. */
sp_status sp_grid_from_data(sp_ctx *ctx, sp_grid *g, double xmin, double ymin, double xmax,
                            double ymax, double dx, double dy);

/* Copies the CRS WKT (NULL clears it). Returns SP_ERR_NOMEM on failure. */
sp_status sp_grid_set_crs(sp_ctx *ctx, sp_grid *g, const char *wkt);
/* Deep copy of src into dst (dst's previous WKT is not freed: dst must be fresh). */
sp_status sp_grid_copy(sp_ctx *ctx, sp_grid *dst, const sp_grid *src);
/* Rows [row0, row1) of g as a grid of their own in dst (fresh; the WKT copied): a shard's
 * window, cells on the same edges as g's. */
sp_status sp_grid_window(sp_ctx *ctx, sp_grid *dst, const sp_grid *g, int row0, int row1);
/* Frees the WKT; the struct itself belongs to the caller. Accepts NULL. */
void sp_grid_clear(sp_grid *g);

/* Cell column of world x: floor((x - xmin)/dx); may be outside [0, ncols). */
int64_t sp_grid_col(const sp_grid *g, double x);
/* Cell row of world y, counted from the top: floor((ymax - y)/dy). A point on a
 * horizontal cell edge therefore belongs to the cell below it, and a point on a
 * vertical edge to the cell east of it (GDAL's pixel/line convention). */
int64_t sp_grid_row(const sp_grid *g, double y);
/* World coordinates of a cell's centre. */
void sp_grid_cell_center(const sp_grid *g, int col, int row, double *x, double *y);
/* The 6-term GDAL geotransform of the grid. */
void sp_grid_geotransform(const sp_grid *g, double gt[6]);
/* Area of one cell (dx*dy). */
double sp_grid_cell_area(const sp_grid *g);
/* ncols * nrows as a 64-bit count. */
int64_t sp_grid_cells(const sp_grid *g);

/* Refuses a grid whose nbands bands of bytes_per_cell would need more than
 * limit_bytes, with a message saying how large it would be and how to raise the
 * limit (the -max_mem option of the tools). */
sp_status sp_grid_check_size(sp_ctx *ctx, const sp_grid *g, int nbands, int bytes_per_cell,
                             int64_t limit_bytes);

/* Formats a byte count as "1.5 GiB" into buf. Returns buf. */
const char *sp_format_bytes(double bytes, char *buf, size_t n);

#endif
