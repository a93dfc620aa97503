/* sp_tiles_plan: the pyramid's plan, pure: which tile is drawn from the raster, which is
 * reduced from its four children, in what order (children before parents), each written
 * tile's index in the sinks' order, and the units of work the threads take. Unit-tested by
 * hand on a 3-zoom case (tests/unit/test_tiles.c). */
#ifndef SP_TILES_PLAN_H
#define SP_TILES_PLAN_H

#include <stdbool.h>
#include <stdint.h>

/* How a tile's raster indices are made: drawn from the raster, reduced from its four
 * children (the entries just before it), or blank (a child outside the bounds, drawn only
 * for its parent: nothing of the raster there). */
enum { TILE_DRAW, TILE_REDUCE, TILE_BLANK };
typedef struct {
    long long index; /* in the sinks' order; -1: not written (TILE_BLANK) */
    int x, y;
    uint8_t z, how;  /* 24 bytes a tile: 20 million tiles (the limit) take 480 MB */
} tile_id;
/* A worker's piece of work: entries [start, end) of the plan, one tile drawn from the
 * raster or the subtree of a tile, children before parents. */
typedef struct {
    long long start, end;
} tile_unit;
typedef struct {
    tile_id *t;
    long long n, cap;
    tile_unit *u;
    long long nu, ucap;
    long long index;   /* the next tile's index in the sinks' order */
    int range[25][4];  /* per zoom: the tiles over the bounds, x0 y0 x1 y1 */
    int maxz, zr;      /* zooms zr..maxz-1 are reduced from their children */
} tile_plan;

/* Plans zooms minz..maxz over p->range (filled by the caller; the rest of p zeroed). With
 * reduce (average over a colour ramp, not -direct), the zooms below the maximum down to zr
 * are reduced from their children, as gdal2tiles makes its lower zooms: zr is the lowest
 * zoom with at least 8 tiles per thread, at most 5 zooms below the maximum; each of its
 * tiles is a unit of work with its subtree, children outside the ranges blank. Zooms below
 * zr are drawn from the raster in units of up to 64 tiles (about 256 units per thread).
 * Sets p->maxz, p->zr; p->index ends at the number of tiles written. False when out of
 * memory (p keeps what it has; free with sp_tiles_plan_free). */
bool sp_tiles_plan_build(tile_plan *p, int minz, int maxz, bool reduce, int threads);
/* Frees the plan's arrays. Accepts a zeroed plan. */
void sp_tiles_plan_free(tile_plan *p);

#endif
