/* sp_tile: tile math of two tilings, 256 px tiles: Web Mercator (EPSG:3857,
 * WebMercatorQuad, the default) and Tianditu's CGCS2000 lon/lat grid (EPSG:4490, the "c"
 * matrix set). Tile numbers of a point, tile bounds, the TMS row flip of MBTiles, zoom
 * levels chosen from a pixel size the way gdal2tiles does. Pure arithmetic. */
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

/* A tiling: where tile (z, x, y) lies, in the tiling's own CRS units.
 * - SP_TILING_WEBMERCATOR: EPSG:3857 metres; 2^z x 2^z tiles at zoom z, from 0.
 * - SP_TILING_CGCS2000: EPSG:4490 degrees (lon, lat); tiles of 360/2^z degrees, 2^z x
 *   2^(z-1) of them at level z, from 1; x = floor((lon + 180) / (360 / 2^z)),
 *   y = floor((90 - lat) / (360 / 2^z)), as Tianditu's vec_c/img_c services number them.
 * - SP_TILING_BD09: Baidu's tiles (sp-tiles -t_coord bd09): BD-09 Mercator metres
 *   (sp_bd09_to_bd09mc); tiles of 256 x 2^(18-z) m from (0, 0), y growing northward: x =
 *   floor(X / size), y = floor(Y / size) (negative west and south), as Baidu numbers them
 *   (Tian'an Men: 3, 1 at level 4; 50617, 18851 at 18). "lon/lat" is BD-09 there. */
typedef enum { SP_TILING_WEBMERCATOR = 0, SP_TILING_CGCS2000, SP_TILING_BD09 } sp_tiling;

/* "webmercator" (or "3857"), "cgcs2000" (or "4490"), "bd09" (or "baidu"); false when
 * unknown. */
bool sp_tiling_parse(const char *s, sp_tiling *t);
const char *sp_tiling_name(sp_tiling t);
/* 3857 or 4490; for BD09, 4326: the CRS PROJ takes its points to and from (through
 * sp_tiling_to_wgs84 / sp_tiling_from_wgs84). */
int sp_tiling_epsg(sp_tiling t);
/* Whether tile rows grow northward (BD09). */
bool sp_tiling_y_up(sp_tiling t);
/* The first zoom (level) of the tiling: 0 or 1. */
int sp_tiling_minz(sp_tiling t);
/* Columns and rows of tiles at zoom z. */
void sp_tiling_counts(sp_tiling t, int z, double *cols, double *rows);
/* Tiling units (metres or degrees) per pixel at zoom z. */
double sp_tiling_resolution(sp_tiling t, int z);
/* Bounds of tile (z, x, y) in the tiling's units. */
void sp_tiling_bounds(sp_tiling t, int z, int x, int y, double *xmin, double *ymin,
                      double *xmax, double *ymax);
/* Tile holding the point (x, y) (tiling units) at zoom z, clamped to the world; a point on
 * a tile edge belongs to the tile east/south of it. */
void sp_tiling_tile_of(sp_tiling t, double x, double y, int z, int *tx, int *ty);
/* Tiles x0..x1, y0..y1 (inclusive) covering the box at zoom z (the max corner exclusive). */
void sp_tiling_range(sp_tiling t, double xmin, double ymin, double xmax, double ymax, int z,
                     int *x0, int *y0, int *x1, int *y1);
/* gdal2tiles' rule for a pixel size in the tiling's units: the zoom just before the first
 * zoom whose resolution is finer (the first zoom at least, 30 at most). */
int sp_tiling_zoom_for_pixel(sp_tiling t, double pixel_size);
/* A point in the tiling's units to lon/lat degrees. */
void sp_tiling_to_lonlat(sp_tiling t, double x, double y, double *lon, double *lat);
/* lon/lat degrees to the tiling's units. */
void sp_tiling_from_lonlat(sp_tiling t, double lon, double lat, double *x, double *y);
/* The OGC WMTS scale denominator of zoom z (0.28 mm pixels; a degree is 2 pi 6378137 / 360
 * metres, as OGC's WorldCRS84Quad defines it). */
double sp_tiling_scale_denominator(sp_tiling t, int z);

#endif
