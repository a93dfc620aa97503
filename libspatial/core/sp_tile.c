/* sp_tile: tile arithmetic of Web Mercator (spherical Mercator on the WGS84 semi-major
 * axis, as EPSG:3857 and the OGC WebMercatorQuad tile matrix set define it) and of
 * Tianditu's CGCS2000 lon/lat grid. */
#include "core/sp_tile.h"
#include "core/sp_coord.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#define R 6378137.0

void sp_merc_from_lonlat(double lon, double lat, double *x, double *y)
{
    /* the square world stops at +-85.0511 degrees */
    lat = fmax(-85.05112877980659, fmin(85.05112877980659, lat));
    *x = R * lon * M_PI / 180;
    *y = R * log(tan(M_PI / 4 + lat * M_PI / 360));
}

void sp_merc_to_lonlat(double x, double y, double *lon, double *lat)
{
    *lon = x / R * 180 / M_PI;
    *lat = (2 * atan(exp(y / R)) - M_PI / 2) * 180 / M_PI;
}

/* Baidu's world in BD-09 Mercator: |X| to 180 degrees, |Y| to 74 (sp_bd09_to_bd09mc) */
#define BD_HALF_X 20037726.37
#define BD_HALF_Y 12474104.17

/* The world's top-left corner and width in the tiling's units (BD09: the origin of the
 * tile numbers, and the width of tile 0 at zoom 0). */
static void world(sp_tiling t, double *ox, double *oy, double *width)
{
    if (t == SP_TILING_BD09) {
        *ox = *oy = 0;
        *width = SP_TILE_SIZE * 262144.0; /* 2^18 m per pixel at zoom 0 */
    } else if (t == SP_TILING_CGCS2000) {
        *ox = -180;
        *oy = 90;
        *width = 360;
    } else {
        *ox = -SP_MERC_HALF;
        *oy = SP_MERC_HALF;
        *width = 2 * SP_MERC_HALF;
    }
}

bool sp_tiling_parse(const char *s, sp_tiling *t)
{
    if (!strcasecmp(s, "webmercator") || !strcmp(s, "3857") || !strcasecmp(s, "EPSG:3857"))
        *t = SP_TILING_WEBMERCATOR;
    else if (!strcasecmp(s, "cgcs2000") || !strcmp(s, "4490") || !strcasecmp(s, "EPSG:4490"))
        *t = SP_TILING_CGCS2000;
    else if (!strcasecmp(s, "bd09") || !strcasecmp(s, "baidu"))
        *t = SP_TILING_BD09;
    else
        return false;
    return true;
}

const char *sp_tiling_name(sp_tiling t)
{
    return t == SP_TILING_CGCS2000 ? "cgcs2000" : t == SP_TILING_BD09 ? "bd09" : "webmercator";
}

int sp_tiling_epsg(sp_tiling t)
{
    return t == SP_TILING_CGCS2000 ? 4490 : t == SP_TILING_BD09 ? 4326 : 3857;
}

bool sp_tiling_y_up(sp_tiling t) { return t == SP_TILING_BD09; }

int sp_tiling_minz(sp_tiling t) { return t == SP_TILING_CGCS2000 ? 1 : 0; }

void sp_tiling_counts(sp_tiling t, int z, double *cols, double *rows)
{
    if (t == SP_TILING_BD09) { /* from -ceil(half / size) to ceil(half / size) - 1 */
        double size = SP_TILE_SIZE * ldexp(1.0, 18 - z);
        *cols = 2 * ceil(BD_HALF_X / size);
        *rows = 2 * ceil(BD_HALF_Y / size);
        return;
    }
    *cols = ldexp(1.0, z);
    *rows = t == SP_TILING_CGCS2000 ? ldexp(1.0, z - 1) : *cols;
}

/* The first tile numbers (x, y) at zoom z: 0, or Baidu's negative ones */
static void first_tile(sp_tiling t, int z, double *fx, double *fy)
{
    double cols, rows;
    sp_tiling_counts(t, z, &cols, &rows);
    *fx = t == SP_TILING_BD09 ? -cols / 2 : 0;
    *fy = t == SP_TILING_BD09 ? -rows / 2 : 0;
}

static int clamp_tile(double v, double first, double count)
{
    return (int)fmax(first, fmin(first + count - 1, v));
}

double sp_tiling_resolution(sp_tiling t, int z)
{
    double ox, oy, width;
    world(t, &ox, &oy, &width);
    return width / SP_TILE_SIZE / ldexp(1.0, z);
}

void sp_tiling_bounds(sp_tiling t, int z, int x, int y, double *xmin, double *ymin,
                      double *xmax, double *ymax)
{
    double ox, oy, width;
    world(t, &ox, &oy, &width);
    double size = width / ldexp(1.0, z);
    *xmin = ox + x * size;
    *xmax = ox + (x + 1) * size;
    if (sp_tiling_y_up(t)) {
        *ymin = oy + y * size;
        *ymax = oy + (y + 1) * size;
    } else {
        *ymax = oy - y * size;
        *ymin = oy - (y + 1) * size;
    }
}

void sp_tiling_tile_of(sp_tiling t, double x, double y, int z, int *tx, int *ty)
{
    double ox, oy, width, cols, rows, fx, fy;
    world(t, &ox, &oy, &width);
    sp_tiling_counts(t, z, &cols, &rows);
    first_tile(t, z, &fx, &fy);
    double size = width / ldexp(1.0, z);
    *tx = clamp_tile(floor((x - ox) / size), fx, cols);
    *ty = clamp_tile(floor((sp_tiling_y_up(t) ? y - oy : oy - y) / size), fy, rows);
}

void sp_tiling_range(sp_tiling t, double xmin, double ymin, double xmax, double ymax, int z,
                     int *x0, int *y0, int *x1, int *y1)
{
    /* the max corner is exclusive: a box ending on a tile edge does not take the next tile */
    double ox, oy, width, cols, rows, fx, fy;
    world(t, &ox, &oy, &width);
    sp_tiling_counts(t, z, &cols, &rows);
    first_tile(t, z, &fx, &fy);
    double size = width / ldexp(1.0, z);
    *x0 = clamp_tile(floor((xmin - ox) / size), fx, cols);
    *x1 = clamp_tile(ceil((xmax - ox) / size) - 1, fx, cols);
    if (sp_tiling_y_up(t)) { /* y0 the southern row */
        *y0 = clamp_tile(floor((ymin - oy) / size), fy, rows);
        *y1 = clamp_tile(ceil((ymax - oy) / size) - 1, fy, rows);
    } else {
        *y0 = clamp_tile(floor((oy - ymax) / size), fy, rows);
        *y1 = clamp_tile(ceil((oy - ymin) / size) - 1, fy, rows);
    }
}

int sp_tiling_zoom_for_pixel(sp_tiling t, double ps)
{
    int z0 = sp_tiling_minz(t);
    for (int z = z0; z <= 30; z++)
        if (ps > sp_tiling_resolution(t, z))
            return z > z0 ? z - 1 : z0;
    return 30;
}

void sp_tiling_to_lonlat(sp_tiling t, double x, double y, double *lon, double *lat)
{
    if (t == SP_TILING_CGCS2000) {
        *lon = x;
        *lat = y;
    } else if (t == SP_TILING_BD09) {
        sp_bd09mc_to_bd09(x, y, lon, lat);
    } else {
        sp_merc_to_lonlat(x, y, lon, lat);
    }
}

void sp_tiling_from_lonlat(sp_tiling t, double lon, double lat, double *x, double *y)
{
    if (t == SP_TILING_CGCS2000) {
        *x = lon;
        *y = lat;
    } else if (t == SP_TILING_BD09) {
        sp_bd09_to_bd09mc(lon, lat, x, y);
    } else {
        sp_merc_from_lonlat(lon, lat, x, y);
    }
}

double sp_tiling_scale_denominator(sp_tiling t, int z)
{
    double unit = t == SP_TILING_CGCS2000 ? 2 * M_PI * R / 360 : 1;
    return sp_tiling_resolution(t, z) * unit / 0.00028;
}

double sp_tile_resolution(int z) { return sp_tiling_resolution(SP_TILING_WEBMERCATOR, z); }

void sp_tile_of_merc(double x, double y, int z, int *tx, int *ty)
{
    sp_tiling_tile_of(SP_TILING_WEBMERCATOR, x, y, z, tx, ty);
}

void sp_tile_of_lonlat(double lon, double lat, int z, int *tx, int *ty)
{
    double x, y;
    sp_merc_from_lonlat(lon, lat, &x, &y);
    sp_tile_of_merc(x, y, z, tx, ty);
}

void sp_tile_bounds(int z, int x, int y, double *xmin, double *ymin, double *xmax,
                    double *ymax)
{
    sp_tiling_bounds(SP_TILING_WEBMERCATOR, z, x, y, xmin, ymin, xmax, ymax);
}

int sp_tile_tms_row(int z, int y)
{
    return (1 << z) - 1 - y;
}

int sp_tile_zoom_for_pixel(double ps) { return sp_tiling_zoom_for_pixel(SP_TILING_WEBMERCATOR, ps); }

void sp_tile_range(double xmin, double ymin, double xmax, double ymax, int z, int *x0,
                   int *y0, int *x1, int *y1)
{
    sp_tiling_range(SP_TILING_WEBMERCATOR, xmin, ymin, xmax, ymax, z, x0, y0, x1, y1);
}
