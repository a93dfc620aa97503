/* sp_render_shift: what is drawn moved to where the Chinese web maps show it: polygons and
 * boxes from WGS84 to GCJ-02 Web Mercator (Amap, Tencent) or to Baidu's Mercator (BD-09).
 * Pure: the formulas are sp_coord's. */
#include "tiles/sp_render.h"
#include "core/sp_coord.h"
#include "core/sp_tile.h"

#include <math.h>

/* one EPSG:3857 point from WGS84 to GCJ-02 Web Mercator */
static void merc_to_gcj02(double *x, double *y)
{
    double lon, lat, glon, glat;
    sp_merc_to_lonlat(*x, *y, &lon, &lat);
    sp_wgs84_to_gcj02(lon, lat, &glon, &glat);
    sp_merc_from_lonlat(glon, glat, x, y);
}

void sp_render_wgs84_to_bd09mc(double *x, double *y)
{
    double blon, blat;
    sp_wgs84_to_bd09(*x, *y, &blon, &blat);
    sp_bd09_to_bd09mc(blon, blat, x, y);
}

void sp_render_vector_map(sp_render_vector *v, void (*fn)(double *x, double *y))
{
    v->mxmin = v->mymin = INFINITY;
    v->mxmax = v->mymax = -INFINITY;
    for (int f = 0; f < v->n; f++) {
        double *bb = v->bbox[f];
        bb[0] = bb[1] = INFINITY;
        bb[2] = bb[3] = -INFINITY;
        for (int i = v->pt_start[v->ring_start[f]]; i < v->pt_start[v->ring_start[f + 1]]; i++) {
            fn(&v->x[i], &v->y[i]);
            bb[0] = fmin(bb[0], v->x[i]);
            bb[1] = fmin(bb[1], v->y[i]);
            bb[2] = fmax(bb[2], v->x[i]);
            bb[3] = fmax(bb[3], v->y[i]);
        }
        v->mxmin = fmin(v->mxmin, bb[0]);
        v->mymin = fmin(v->mymin, bb[1]);
        v->mxmax = fmax(v->mxmax, bb[2]);
        v->mymax = fmax(v->mymax, bb[3]);
    }
}

void sp_render_vector_to_gcj02(sp_render_vector *v) { sp_render_vector_map(v, merc_to_gcj02); }

void sp_render_box_to_gcj02(double *xmin, double *ymin, double *xmax, double *ymax)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i <= 20; i++) {
        double f = i / 20.0;
        double xs[4] = {*xmin + f * (*xmax - *xmin), *xmin + f * (*xmax - *xmin), *xmin, *xmax};
        double ys[4] = {*ymin, *ymax, *ymin + f * (*ymax - *ymin), *ymin + f * (*ymax - *ymin)};
        for (int e = 0; e < 4; e++) {
            merc_to_gcj02(&xs[e], &ys[e]);
            x0 = fmin(x0, xs[e]);
            y0 = fmin(y0, ys[e]);
            x1 = fmax(x1, xs[e]);
            y1 = fmax(y1, ys[e]);
        }
    }
    *xmin = x0, *ymin = y0, *xmax = x1, *ymax = y1;
}
