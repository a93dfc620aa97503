/* sp_tile: Web Mercator tile math (EPSG:3857, WebMercatorQuad, 256 px tiles): tile
 * numbers of a point, tile bounds, the TMS row flip of MBTiles, zoom levels chosen from a
 * pixel size the way gdal2tiles does. Pure arithmetic. */
#ifndef SP_TILE_H
#define SP_TILE_H

#include <stdbool.h>

#define SP_TILE_SIZE 256
#define SP_MERC_HALF 20037508.342789244 /* pi x 6378137 m: half the world's width */

/* lon/lat (degrees, WGS84) to EPSG:3857 metres and back. */
void sp_merc_from_lonlat(double lon, double lat, double *x, double *y);
void sp_merc_to_lonlat(double x, double y, double *lon, double *lat);

/* Metres per pixel at zoom z (at the equator). */
double sp_tile_resolution(int z);
/* XYZ tile (y from the north) holding the EPSG:3857 point (x, y) at zoom z, clamped to
 * the world; a point on a tile edge belongs to the tile east/south of it. */
void sp_tile_of_merc(double x, double y, int z, int *tx, int *ty);
void sp_tile_of_lonlat(double lon, double lat, int z, int *tx, int *ty);
/* EPSG:3857 bounds of XYZ tile (z, x, y). */
void sp_tile_bounds(int z, int x, int y, double *xmin, double *ymin, double *xmax,
                    double *ymax);
/* MBTiles/TMS row of XYZ row y: 2^z - 1 - y (its own inverse). */
int sp_tile_tms_row(int z, int y);
/* gdal2tiles' rule: the zoom just before the first zoom whose resolution is finer than
 * pixel_size (0 at least, 30 at most). */
int sp_tile_zoom_for_pixel(double pixel_size);
/* Tiles x0..x1, y0..y1 (inclusive) covering the EPSG:3857 box at zoom z. */
void sp_tile_range(double xmin, double ymin, double xmax, double ymax, int z, int *x0,
                   int *y0, int *x1, int *y1);

#endif
