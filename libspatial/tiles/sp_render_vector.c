/* sp_render_vector: polygons onto 256 px tiles, and moved to where the Chinese web maps
 * show them (GCJ-02 Web Mercator for Amap and Tencent, Baidu's Mercator BD-09; the formulas
 * are sp_coord's). Anti-aliased drawing is cairo's, a well-kept 2D library, rather than a
 * rasteriser of ours. Pure: reading the polygons is in sp_render_vector_io.c. */
#include "tiles/sp_render.h"
#include "core/sp_coord.h"
#include "core/sp_tile.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N SP_TILE_SIZE

void sp_render_vector_free(sp_render_vector *v)
{
    if (!v)
        return;
    free(v->ring_start);
    free(v->pt_start);
    free(v->x);
    free(v->y);
    free(v->bbox);
    free(v->fill);
    free(v);
}

static void path_feature(cairo_t *cr, const sp_render_vector *v, int f, double x0, double y1,
                         double res)
{
    for (int r = v->ring_start[f]; r < v->ring_start[f + 1]; r++) {
        for (int i = v->pt_start[r]; i < v->pt_start[r + 1]; i++) {
            double px = (v->x[i] - x0) / res, py = (y1 - v->y[i]) / res;
            if (i == v->pt_start[r])
                cairo_move_to(cr, px, py);
            else
                cairo_line_to(cr, px, py);
        }
        cairo_close_path(cr);
    }
}

int sp_render_tile_vector(const sp_render_vector *v, bool fill, double width,
                          const uint8_t outline[4], int z, int x, int y, uint8_t *rgba)
{
    double xmin, ymin, xmax, ymax;
    sp_tiling_bounds(v->tiling, z, x, y, &xmin, &ymin, &xmax, &ymax);
    double res = (xmax - xmin) / N, pad = (width + 1) * res;
    if (xmax + pad < v->mxmin || xmin - pad > v->mxmax || ymax + pad < v->mymin ||
        ymin - pad > v->mymax)
        return 0;
    /* straight RGBA -> cairo's premultiplied native-endian ARGB32 */
    uint32_t *px = malloc((size_t)N * N * 4);
    if (!px)
        return -1;
    for (int i = 0; i < N * N; i++) {
        const uint8_t *p = rgba + 4 * i;
        uint32_t a = p[3];
        px[i] = a << 24 | (p[0] * a + 127) / 255 << 16 | (p[1] * a + 127) / 255 << 8 |
                (p[2] * a + 127) / 255;
    }
    cairo_surface_t *s = cairo_image_surface_create_for_data((unsigned char *)px,
                                                             CAIRO_FORMAT_ARGB32, N, N, N * 4);
    cairo_t *cr = cairo_create(s);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    bool drew = false;
    for (int f = 0; f < v->n; f++) {
        const double *bb = v->bbox[f];
        if (bb[2] < xmin - pad || bb[0] > xmax + pad || bb[3] < ymin - pad || bb[1] > ymax + pad)
            continue;
        if (fill && v->fill[f][3]) {
            path_feature(cr, v, f, xmin, ymax, res);
            cairo_set_source_rgba(cr, v->fill[f][0] / 255.0, v->fill[f][1] / 255.0,
                                  v->fill[f][2] / 255.0, v->fill[f][3] / 255.0);
            cairo_fill(cr);
            drew = true;
        }
    }
    if (width > 0 && outline[3])
        for (int f = 0; f < v->n; f++) {
            const double *bb = v->bbox[f];
            if (bb[2] < xmin - pad || bb[0] > xmax + pad || bb[3] < ymin - pad ||
                bb[1] > ymax + pad)
                continue;
            path_feature(cr, v, f, xmin, ymax, res);
            cairo_set_source_rgba(cr, outline[0] / 255.0, outline[1] / 255.0,
                                  outline[2] / 255.0, outline[3] / 255.0);
            cairo_set_line_width(cr, width);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            cairo_stroke(cr);
            drew = true;
        }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cairo_surface_destroy(s);
    for (int i = 0; drew && i < N * N; i++) { /* back to straight RGBA */
        uint32_t c = px[i], a = c >> 24;
        uint8_t *p = rgba + 4 * i;
        p[3] = (uint8_t)a;
        p[0] = a ? (uint8_t)((((c >> 16) & 255) * 255 + a / 2) / a) : 0;
        p[1] = a ? (uint8_t)((((c >> 8) & 255) * 255 + a / 2) / a) : 0;
        p[2] = a ? (uint8_t)(((c & 255) * 255 + a / 2) / a) : 0;
    }
    free(px);
    return drew ? 1 : 0;
}

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
