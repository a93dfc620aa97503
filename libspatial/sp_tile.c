/* sp_tile: Web Mercator tile arithmetic (spherical Mercator on the WGS84 semi-major
 * axis, as EPSG:3857 and the OGC WebMercatorQuad tile matrix set define it). */
#include "sp_tile.h"

#include <math.h>

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

double sp_tile_resolution(int z)
{
    return 2 * SP_MERC_HALF / SP_TILE_SIZE / ldexp(1.0, z);
}

void sp_tile_of_merc(double x, double y, int z, int *tx, int *ty)
{
    double n = ldexp(1.0, z), size = 2 * SP_MERC_HALF / n;
    double fx = floor((x + SP_MERC_HALF) / size), fy = floor((SP_MERC_HALF - y) / size);
    *tx = (int)fmax(0, fmin(n - 1, fx));
    *ty = (int)fmax(0, fmin(n - 1, fy));
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
    double size = 2 * SP_MERC_HALF / ldexp(1.0, z);
    *xmin = -SP_MERC_HALF + x * size;
    *xmax = -SP_MERC_HALF + (x + 1) * size;
    *ymax = SP_MERC_HALF - y * size;
    *ymin = SP_MERC_HALF - (y + 1) * size;
}

int sp_tile_tms_row(int z, int y)
{
    return (1 << z) - 1 - y;
}

int sp_tile_zoom_for_pixel(double ps)
{
    for (int z = 0; z <= 30; z++)
        if (ps > sp_tile_resolution(z))
            return z > 0 ? z - 1 : 0;
    return 30;
}

void sp_tile_range(double xmin, double ymin, double xmax, double ymax, int z, int *x0,
                   int *y0, int *x1, int *y1)
{
    /* the max corner is exclusive: a box ending on a tile edge does not take the next tile */
    double size = 2 * SP_MERC_HALF / ldexp(1.0, z), n = ldexp(1.0, z);
    *x0 = (int)fmax(0, fmin(n - 1, floor((xmin + SP_MERC_HALF) / size)));
    *x1 = (int)fmax(0, fmin(n - 1, ceil((xmax + SP_MERC_HALF) / size) - 1));
    *y0 = (int)fmax(0, fmin(n - 1, floor((SP_MERC_HALF - ymax) / size)));
    *y1 = (int)fmax(0, fmin(n - 1, ceil((SP_MERC_HALF - ymin) / size) - 1));
}
