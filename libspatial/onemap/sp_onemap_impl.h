/* sp_onemap_impl: the one map's private parts shared between its files. */
#ifndef SP_ONEMAP_IMPL_H
#define SP_ONEMAP_IMPL_H

#include <stdbool.h>

/* The grid a tile set says it is in (TileJSON "crs": SP_CRS_NAME_*; none: plain Web
 * Mercator; another: GRID_OTHER). */
typedef enum { GRID_WEBMERCATOR, GRID_GCJ02, GRID_BD09, GRID_CGCS2000, GRID_OTHER } sp_onemap_grid;

/* minzoom, maxzoom, bounds and the grid of a TileJSON text, read as JSON (json-c: a name
 * or description may hold any text); false when one is missing or not a number. */
bool sp_onemap_parse_tilejson(const char *text, double *z0, double *z1, double b[4],
                              sp_onemap_grid *grid);

#endif
