/* sp_render_raster: a raster band onto 256 px tiles: a per-tile transform grid,
 * resampling (nearest, bilinear, average over the pixel's footprint), the colour lookup
 * table, and the reduction of four child tiles into their parent. Pure: no GDAL here;
 * reading the band and the PROJ transformation are in sp_render_raster_io.c. */
#include "tiles/sp_render.h"
#include "core/sp_mem.h"
#include "core/sp_pool.h"
#include "core/sp_tile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N SP_TILE_SIZE
#define STEP 16
#define G (N / STEP + 1) /* transform grid points per side */
/* average over a ramp takes the cell under a pixel's centre where pixels are less than a
 * quarter of a cell (half-footprint < 1/8): few straddle an edge, and blending them cost
 * more than all the rest (see sp_render_tile_index) */
#define FINE 0.125

bool sp_resample_parse(const char *s, sp_resample *r)
{
    if (!strcmp(s, "near") || !strcmp(s, "nearest"))
        *r = SP_RESAMPLE_NEAR;
    else if (!strcmp(s, "bilinear"))
        *r = SP_RESAMPLE_BILINEAR;
    else if (!strcmp(s, "average"))
        *r = SP_RESAMPLE_AVERAGE;
    else
        return false;
    return true;
}

void sp_render_raster_free(sp_render_raster *r)
{
    if (!r)
        return;
    sp_big_free(r->v, r->v_bytes);
    sp_big_free(r->k, r->k_bytes);
    sp_big_free(r->uk, r->uk_bytes);
    free(r->wkt);
    free(r->desc);
    free(r);
}

struct sp_render_worker {
    sp_render_transform_fn fn;
    void *user;
    void (*free_user)(void *);
    double gx[G * G], gy[G * G]; /* source pixel coordinates of the grid points */
};

sp_render_worker *sp_render_worker_with(sp_render_transform_fn fn, void *user,
                                        void (*free_user)(void *))
{
    sp_render_worker *w = calloc(1, sizeof *w);
    if (w) {
        w->fn = fn;
        w->user = user;
        w->free_user = free_user;
    }
    return w;
}

void sp_render_worker_free(sp_render_worker *w)
{
    if (!w)
        return;
    if (w->free_user)
        w->free_user(w->user);
    free(w);
}

static inline bool valid(const sp_render_raster *r, float v)
{
    return !isnan(v) && !(r->has_nodata && v == (float)r->nodata);
}

/* value at fractional source pixel (c, r) (pixel centres at .5); false when none */
static bool sample(const sp_render_raster *r, sp_resample rs, double c, double rr, double hc,
                   double hr, double *out)
{
    if (c < 0 || rr < 0 || c >= r->w || rr >= r->h)
        return false;
    if (rs == SP_RESAMPLE_AVERAGE && (hc > 0.5 || hr > 0.5)) {
        /* cells whose centres lie inside the output pixel's footprint */
        int c0 = (int)ceil(c - hc - 0.5), c1 = (int)ceil(c + hc - 0.5) - 1;
        int r0 = (int)ceil(rr - hr - 0.5), r1 = (int)ceil(rr + hr - 0.5) - 1;
        c0 = c0 < 0 ? 0 : c0;
        r0 = r0 < 0 ? 0 : r0;
        c1 = c1 >= r->w ? r->w - 1 : c1;
        r1 = r1 >= r->h ? r->h - 1 : r1;
        double s = 0;
        int n = 0;
        for (int j = r0; j <= r1; j++) {
            const float *row = r->v + (size_t)j * r->w;
            for (int i = c0; i <= c1; i++)
                if (valid(r, row[i])) {
                    s += row[i];
                    n++;
                }
        }
        if (n) {
            *out = s / n;
            return true;
        }
        if (c1 >= c0 && r1 >= r0)
            return false; /* all nodata */
    }
    if (rs == SP_RESAMPLE_BILINEAR) {
        double fc = c - 0.5, fr = rr - 0.5;
        int i0 = (int)floor(fc), j0 = (int)floor(fr);
        double tx = fc - i0, ty = fr - j0, s = 0, ws = 0;
        for (int dj = 0; dj < 2; dj++)
            for (int di = 0; di < 2; di++) {
                int i = i0 + di, j = j0 + dj;
                if (i < 0 || j < 0 || i >= r->w || j >= r->h)
                    continue;
                float v = r->v[(size_t)j * r->w + i];
                double w = (di ? tx : 1 - tx) * (dj ? ty : 1 - ty);
                if (w > 0 && valid(r, v)) {
                    s += w * v;
                    ws += w;
                }
            }
        if (ws <= 0)
            return false;
        *out = s / ws;
        return true;
    }
    float v = r->v[(size_t)(int)rr * r->w + (int)c];
    if (!valid(r, v))
        return false;
    *out = v;
    return true;
}

typedef struct {
    sp_render_raster *r;
    const sp_style_lut *lut;
    size_t from, to;
} index_part;

static void *index_cells(void *arg)
{
    index_part *p = arg;
    const sp_render_raster *r = p->r;
    double last_v = NAN;
    uint8_t last_k = 0;
    for (size_t i = p->from; i < p->to; i++) {
        float v = r->v[i];
        if (!valid(r, v)) {
            r->k[i] = 0;
            continue;
        }
        if (v != last_v) {
            last_v = v;
            last_k = (uint8_t)sp_style_lut_index(p->lut, v, false);
        }
        r->k[i] = last_k;
    }
    return NULL;
}

/* r->uk from r->k: each block's common index or SP_RENDER_MIXED */
static sp_status uniform_blocks(sp_ctx *ctx, sp_render_raster *r)
{
    const int B = SP_RENDER_UB;
    r->ub_w = (r->w + B - 1) / B;
    r->ub_h = (r->h + B - 1) / B;
    size_t nb = (size_t)r->ub_w * r->ub_h;
    if (!(r->uk = sp_big_alloc(nb * sizeof *r->uk)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    r->uk_bytes = nb * sizeof *r->uk;
    for (int j = 0; j < r->h; j++) {
        const uint8_t *row = r->k + (size_t)j * r->w;
        uint16_t *u = r->uk + (size_t)(j / B) * r->ub_w;
        for (int bi = 0; bi < r->ub_w; bi++) {
            int i0 = bi * B, i1 = i0 + B < r->w ? i0 + B : r->w;
            uint16_t k = row[i0];
            for (int i = i0 + 1; i < i1 && k != SP_RENDER_MIXED; i++)
                if (row[i] != k)
                    k = SP_RENDER_MIXED;
            if (j % B == 0)
                u[bi] = k;
            else if (u[bi] != k)
                u[bi] = SP_RENDER_MIXED;
        }
    }
    return SP_OK;
}

sp_status sp_render_raster_index(sp_ctx *ctx, sp_render_raster *r, const sp_style_lut *lut,
                                 int threads)
{
    if (r->k)
        return SP_OK;
    size_t n = (size_t)r->w * r->h;
    if (!(r->k = sp_big_alloc(n)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    r->k_bytes = n;
    if (threads < 1)
        threads = 1;
    if (threads > 16)
        threads = 16;
    index_part parts[16];
    for (int t = 0; t < threads; t++)
        parts[t] = (index_part){r, lut, n * t / threads, n * (t + 1) / threads};
    sp_pool_run(threads, index_cells, parts, sizeof *parts);
    return uniform_blocks(ctx, r);
}

/* the style index of cell i: precomputed, or looked up (the same either way) */
static inline int cell_k(const sp_render_raster *r, const sp_style_lut *lut, size_t i)
{
    if (r->k)
        return r->k[i];
    return valid(r, r->v[i]) ? sp_style_lut_index(lut, r->v[i], false) : 0;
}

/* average on a colour ramp, as GDAL averages a coloured raster: the area-weighted mean,
 * along the ramp, of the opaque cells under the footprint [c - hc, c + hc] x
 * [rr - hr, rr + hr] (source pixels); fully transparent cells do not count, as GDAL
 * takes the alpha band for a mask. A pixel inside one cell is that cell's colour. */
static inline __attribute__((always_inline)) int
average_index(const sp_render_raster *r, const sp_style_lut *lut, const bool *opaque, double c,
              double rr, double hc, double hr, double inv_area)
{
    /* (no libm calls, and no division unless clipped: this runs for every pixel) */
    double x0 = c - hc, x1 = c + hc, y0 = rr - hr, y1 = rr + hr;
    if (x0 < 0 || y0 < 0 || x1 > r->w || y1 > r->h)
        inv_area = 0; /* clipped at the raster's edge */
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > r->w ? r->w : x1;
    y1 = y1 > r->h ? r->h : y1;
    int i0 = (int)x0, i1 = (int)x1, j0 = (int)y0, j1 = (int)y1;
    if (i0 == i1 && j0 == j1) /* inside one cell */
        return cell_k(r, lut, (size_t)j0 * r->w + i0);
    /* overlaps under 1e-9 of a cell are rounding, not coverage (a footprint computed to
     * end on a cell edge) */
    if (i1 > i0 && x1 - i1 < 1e-9)
        i1--;
    if (i1 > i0 && i0 + 1 - x0 < 1e-9)
        i0++;
    if (j1 > j0 && y1 - j1 < 1e-9)
        j1--;
    if (j1 > j0 && j0 + 1 - y0 < 1e-9)
        j0++;
    x0 = x0 < i0 ? i0 : x0;
    y0 = y0 < j0 ? j0 : y0;
    x1 = x1 > i1 + 1 ? i1 + 1 : x1;
    y1 = y1 > j1 + 1 ? j1 + 1 : y1;
    if (i0 == i1 && j0 == j1)
        return cell_k(r, lut, (size_t)j0 * r->w + i0);
    if (r->k && i1 - i0 <= 1 && j1 - j0 <= 1) { /* zoomed in: up to 2 x 2 cells */
        const uint8_t *p = r->k + (size_t)j0 * r->w + i0;
        size_t dx = (size_t)(i1 - i0), dy = (size_t)(j1 - j0) * r->w;
        int k00 = p[0], k01 = p[dx], k10 = p[dy], k11 = p[dy + dx];
        double ax = i1 > i0 ? (i0 + 1 - x0) : x1 - x0, bx = i1 > i0 ? x1 - i1 : 0;
        double ay = j1 > j0 ? (j0 + 1 - y0) : y1 - y0, by = j1 > j0 ? y1 - j1 : 0;
        if (opaque[k00] & opaque[k01] & opaque[k10] & opaque[k11]) { /* the usual case */
            double sum = ay * (ax * k00 + bx * k01) + by * (ax * k10 + bx * k11);
            return (int)((inv_area > 0 ? sum * inv_area : sum / ((ax + bx) * (ay + by))) + 0.5);
        }
        /* an edge of the coloured cells (a road, a plume's rim): the opaque ones only, as
         * below, or the last see-through colour when none is opaque */
        double w00 = opaque[k00] ? ay * ax : 0, w01 = opaque[k01] ? ay * bx : 0;
        double w10 = opaque[k10] ? by * ax : 0, w11 = opaque[k11] ? by * bx : 0;
        double ws = w00 + w01 + w10 + w11;
        if (ws > 0)
            return (int)((w00 * k00 + w01 * k01 + w10 * k10 + w11 * k11) / ws + 0.5);
        return k11 && by > 0 && bx > 0 ? k11 : k10 && by > 0 ? k10 : k01 && bx > 0 ? k01 : k00;
    }
    double s = 0, ws = 0;
    int clear = 0;
    for (int j = j0; j <= j1; j++) {
        double wy = (j + 1 < y1 ? j + 1 : y1) - (j > y0 ? j : y0);
        for (int i = i0; i <= i1; i++) {
            int k = cell_k(r, lut, (size_t)j * r->w + i);
            if (!k)
                continue;
            if (!opaque[k]) {
                clear = k;
                continue;
            }
            double wgt = wy * ((i + 1 < x1 ? i + 1 : x1) - (i > x0 ? i : x0));
            s += wgt * k;
            ws += wgt;
        }
    }
    return ws > 0 ? (int)(s / ws + 0.5) : clear;
}

static inline double min2(double a, double b) { return a < b ? a : b; }
static inline double max2(double a, double b) { return a > b ? a : b; }

/* The source pixels any footprint (half-size hc x hr) of a block of the transform grid
 * (corners ax, ay, none NaN) can reach: columns c0..c1, rows r0..r1 (fmin and fmax are
 * calls to libm: this runs for every block) */
static inline void block_hull(const double *ax, const double *ay, double hc, double hr,
                              double *c0, double *c1, double *r0, double *r1)
{
    *c0 = min2(min2(ax[0], ax[1]), min2(ax[G], ax[G + 1])) - hc;
    *c1 = max2(max2(ax[0], ax[1]), max2(ax[G], ax[G + 1])) + hc;
    *r0 = min2(min2(ay[0], ay[1]), min2(ay[G], ay[G + 1])) - hr;
    *r1 = max2(max2(ay[0], ay[1]), max2(ay[G], ay[G + 1])) + hr;
}

/* The one index of every cell any pixel of a block of the transform grid (corners ax, ay
 * in source pixels, footprints of half-size hc x hr) can read, or -1: when the cells
 * under the block's hull all lie in blocks of r->uk of the same index. Then near, and
 * average over a ramp, give that index to every pixel (the mean of equal indices).
 * Blocks touching the raster's edge take the pixel-by-pixel path. */
static int uniform_index(const sp_render_raster *r, const double *ax, const double *ay,
                         double hc, double hr)
{
    double c0, c1, r0, r1;
    block_hull(ax, ay, hc, hr, &c0, &c1, &r0, &r1);
    if (!(c0 >= 0 && r0 >= 0 && c1 < r->w && r1 < r->h))
        return -1;
    int b0 = (int)c0 / SP_RENDER_UB, b1 = (int)c1 / SP_RENDER_UB;
    int d0 = (int)r0 / SP_RENDER_UB, d1 = (int)r1 / SP_RENDER_UB;
    int k = r->uk[(size_t)d0 * r->ub_w + b0];
    if (k == SP_RENDER_MIXED)
        return -1;
    for (int j = d0; j <= d1; j++)
        for (int i = b0; i <= b1; i++)
            if (r->uk[(size_t)j * r->ub_w + i] != k)
                return -1;
    return k;
}

/* w->gx, w->gy: the tile's transform grid (every STEP px from the top-left pixel's
 * centre) in fractional source pixels; NAN where PROJ cannot take a point. */
static void transform_grid(sp_render_worker *w, const sp_render_raster *r, double xmin,
                           double ymax, double res)
{
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) {
            w->gx[j * G + i] = xmin + (i * STEP + 0.5) * res;
            w->gy[j * G + i] = ymax - (j * STEP + 0.5) * res;
        }
    int ok[G * G];
    w->fn(w->user, G * G, w->gx, w->gy, ok);
    for (int i = 0; i < G * G; i++)
        if (!ok[i])
            w->gx[i] = w->gy[i] = NAN;
    for (int i = 0; i < G * G; i++) { /* to fractional source pixels */
        w->gx[i] = (w->gx[i] - r->gt[0]) / r->gt[1];
        w->gy[i] = (w->gy[i] - r->gt[3]) / r->gt[5];
    }
}

/* average_index where it runs rarely (edge planes): a call, so that its hot caller keeps
 * it inlined */
static __attribute__((noinline)) int average_index_call(const sp_render_raster *r,
                                                        const sp_style_lut *lut,
                                                        const bool *opaque, double c, double rr,
                                                        double hc, double hr, double inv_area)
{
    return average_index(r, lut, opaque, c, rr, hc, hr, inv_area);
}

/* A row of a leaf's edge plane (see sp_render_tile_leaf): each pixel's index where it is
 * opaque, else what the footprint rule gives where its footprint straddles a cell edge
 * (or the raster's), else its own (see-through or none). */
static void edge_row(const sp_render_raster *r, const sp_style_lut *lut, const bool *opaque,
                     double c0, double r0, double dc, double dr, double hc, double hr,
                     double inv_area, const uint8_t *out, uint8_t *e)
{
    for (int xx = 0; xx < STEP; xx++) {
        int k = e[xx] = out[xx];
        if (opaque[k])
            continue;
        double c = c0 + xx * dc, rr = r0 + xx * dr;
        double x0 = c - hc, x1 = c + hc, y0 = rr - hr, y1 = rr + hr;
        if (x1 <= 0 || y1 <= 0 || x0 >= r->w || y0 >= r->h)
            continue; /* off the raster */
        if (x0 >= 0 && y0 >= 0 && x1 < r->w && y1 < r->h) {
            int i0 = (int)x0, i1 = (int)x1, j0 = (int)y0, j1 = (int)y1;
            if (i0 == i1 && j0 == j1)
                continue; /* inside one cell */
            if (r->k && i1 - i0 <= 1 && j1 - j0 <= 1) { /* up to 2 x 2 cells: any opaque? */
                const uint8_t *p = r->k + (size_t)j0 * r->w + i0;
                size_t dx = (size_t)(i1 - i0), dy = (size_t)(j1 - j0) * r->w;
                if (!(opaque[p[0]] | opaque[p[dx]] | opaque[p[dy]] | opaque[p[dy + dx]]))
                    continue;
            }
        }
        e[xx] = (uint8_t)average_index_call(r, lut, opaque, c, rr, hc, hr, inv_area);
    }
}

/* The cells any footprint of a block of the transform grid (corners ax, ay; half-footprint
 * hc x hr) can touch, where pixels are small (centre rule): their one index when they
 * share it (>= 0); -1 when all are opaque or none is (the block's edge plane is then its
 * own); -2 when some are opaque and some not, the block runs off the raster, or its hull
 * holds over 256 cells (not looked at). */
static int hull_cells(const sp_render_raster *r, const bool *opaque, const double *ax,
                      const double *ay, double hc, double hr)
{
    double c0, c1, r0, r1;
    block_hull(ax, ay, hc, hr, &c0, &c1, &r0, &r1);
    if (!r->k || !(c0 >= 0 && r0 >= 0 && c1 < r->w && r1 < r->h))
        return -2;
    int i0 = (int)c0, i1 = (int)c1, j0 = (int)r0, j1 = (int)r1, n = 0;
    if ((i1 - i0 + 1) * (j1 - j0 + 1) > 256) /* (near zoomed out): no cheaper than the pixels */
        return -2;
    int k = r->k[(size_t)j0 * r->w + i0];
    bool same = true;
    for (int j = j0; j <= j1; j++) {
        const uint8_t *row = r->k + (size_t)j * r->w;
        for (int i = i0; i <= i1; i++) {
            n += opaque[row[i]];
            same &= row[i] == k;
        }
    }
    return same ? k : n > 0 && n < (i1 - i0 + 1) * (j1 - j0 + 1) ? -2 : -1;
}

/* One block of the transform grid (corners ax, ay; half-footprint hc x hr) of average over
 * a ramp, or near: the cell under each pixel's centre (centre), else the ramp average.
 * With edge, the edge plane too (see sp_render_tile_leaf). */
static void ramp_block(const sp_render_raster *r, const sp_style_lut *lut, const bool *opaque,
                       const double *ax, const double *ay, double hc, double hr, bool centre,
                       bool ramp_average, uint8_t *out0, uint8_t *edge0)
{
    double inv_area = 1 / (4 * hc * hr);
    int hull = centre ? hull_cells(r, opaque, ax, ay, hc, hr) : -1;
    if (hull >= 0) { /* one colour under the block */
        for (int yy = 0; yy < STEP; yy++) {
            memset(out0 + (size_t)yy * N, hull, STEP);
            if (edge0)
                memset(edge0 + (size_t)yy * N, hull, STEP);
        }
        return;
    }
    bool fix = edge0 && centre && ramp_average && hull == -2;
    for (int yy = 0; yy < STEP; yy++) { /* along a row the position is linear */
        double fy = (double)yy / STEP;
        double c0 = (1 - fy) * ax[0] + fy * ax[G], c1 = (1 - fy) * ax[1] + fy * ax[G + 1];
        double r0 = (1 - fy) * ay[0] + fy * ay[G], r1 = (1 - fy) * ay[1] + fy * ay[G + 1];
        double dc = (c1 - c0) / STEP, dr = (r1 - r0) / STEP;
        uint8_t *out = out0 + (size_t)yy * N;
        double ce = c0 + (STEP - 1) * dc, re = r0 + (STEP - 1) * dr;
        if (centre && r->k && c0 >= 0 && ce >= 0 && r0 >= 0 && re >= 0 && c0 < r->w &&
            ce < r->w && r0 < r->h && re < r->h) {
            /* the whole row inside the raster: a byte per pixel (the raster's fields
             * in locals: a store to out may alias them, and they would be read again) */
            const uint8_t *k = r->k;
            size_t w = (size_t)r->w;
            if ((int)r0 == (int)re) { /* one source row (r0 + xx dr rounds monotonically) */
                const uint8_t *kr = k + (size_t)(int)r0 * w;
                for (int xx = 0; xx < STEP; xx++)
                    out[xx] = kr[(size_t)(int)(c0 + xx * dc)];
            } else
                for (int xx = 0; xx < STEP; xx++)
                    out[xx] = k[(size_t)(int)(r0 + xx * dr) * w + (size_t)(int)(c0 + xx * dc)];
        } else
            for (int xx = 0; xx < STEP; xx++) {
                double c = c0 + xx * dc, rr = r0 + xx * dr;
                if (c >= 0 && rr >= 0 && c < r->w && rr < r->h)
                    out[xx] = (uint8_t)(centre ? cell_k(r, lut, (size_t)(int)rr * r->w + (int)c)
                                               : average_index(r, lut, opaque, c, rr, hc, hr,
                                                               inv_area));
            }
        if (fix)
            edge_row(r, lut, opaque, c0, r0, dc, dr, hc, hr, inv_area, out,
                     edge0 + (size_t)yy * N);
    }
    /* copied once the block is drawn: a row read back right after its byte stores waits
     * for them (store forwarding), which cost more than drawing the row */
    for (int yy = 0; edge0 && !fix && yy < STEP; yy++)
        memcpy(edge0 + (size_t)yy * N, out0 + (size_t)yy * N, STEP);
}

/* One block of the values path (bilinear; average over classes): the style's index of
 * the resampled value. */
static void value_block(const sp_render_raster *r, const sp_style_lut *lut, sp_resample rs,
                        const double *ax, const double *ay, double hc, double hr,
                        uint8_t *out0)
{
    /* neighbouring pixels often sample the same value (zoomed in past the source cells):
     * reuse the last colour look-up */
    double last_v = NAN;
    int last_k = 0;
    for (int yy = 0; yy < STEP; yy++) {
        double fy = (double)yy / STEP;
        uint8_t *out = out0 + (size_t)yy * N;
        for (int xx = 0; xx < STEP; xx++) {
            double fx = (double)xx / STEP;
            double c = (1 - fy) * ((1 - fx) * ax[0] + fx * ax[1]) + fy * ((1 - fx) * ax[G] + fx * ax[G + 1]);
            double rr = (1 - fy) * ((1 - fx) * ay[0] + fx * ay[1]) + fy * ((1 - fx) * ay[G] + fx * ay[G + 1]);
            double v;
            if (!sample(r, rs, c, rr, hc, hr, &v))
                continue;
            int k = v == last_v ? last_k : sp_style_lut_index(lut, v, false);
            last_v = v;
            last_k = k;
            out[xx] = (uint8_t)k;
        }
    }
}

static bool any_colour(const sp_style_lut *lut, const uint8_t *idx)
{
    for (size_t i = 0; i < (size_t)N * N; i++)
        if (lut->rgba[idx[i]][3])
            return true;
    return false;
}

bool sp_render_tile_leaf(sp_render_worker *w, const sp_render_raster *r,
                         const sp_style_lut *lut, sp_resample rs, int z, int x, int y,
                         uint8_t *idx, uint8_t *edge)
{
    double xmin, ymin, xmax, ymax;
    sp_tiling_bounds(r->tiling, z, x, y, &xmin, &ymin, &xmax, &ymax);
    double res = (xmax - xmin) / N;
    memset(idx, 0, (size_t)N * N);
    if (edge)
        memset(edge, 0, (size_t)N * N);
    if (xmax <= r->mxmin || xmin >= r->mxmax || ymax <= r->mymin || ymin >= r->mymax)
        return false;
    transform_grid(w, r, xmin, ymax, res);
    /* average over a colour ramp averages along the ramp (the colours, as GDAL does);
     * over classes it averages the values */
    bool ramp_average = sp_render_ramp_average(lut->s, rs);
    bool opaque[256];
    for (int k = 0; k < 256; k++)
        opaque[k] = k > 0 && lut->rgba[k][3] != 0;
    /* block by block of the transform grid: the footprint (hence the sampling rule) is
     * the same over a block, and a corner outside the CRS blanks the whole block */
    for (int gj = 0; gj < N / STEP; gj++)
        for (int gi = 0; gi < N / STEP; gi++) {
            const double *ax = w->gx + gj * G + gi, *ay = w->gy + gj * G + gi;
            if (isnan(ax[0]) || isnan(ax[1]) || isnan(ax[G]) || isnan(ax[G + 1]) ||
                isnan(ay[0]) || isnan(ay[1]) || isnan(ay[G]) || isnan(ay[G + 1]))
                continue;
            double hc = 0, hr = 0;
            if (rs == SP_RESAMPLE_AVERAGE) { /* half the footprint, in source pixels */
                hc = 0.5 * (fabs(ax[1] - ax[0]) + fabs(ax[G] - ax[0])) / STEP;
                hr = 0.5 * (fabs(ay[1] - ay[0]) + fabs(ay[G] - ay[0])) / STEP;
            }
            size_t at = (size_t)gj * STEP * N + (size_t)gi * STEP;
            /* the cell under the pixel's centre (near; average over a ramp with pixels
             * under a quarter of a cell), the ramp average, or the values */
            bool centre = rs == SP_RESAMPLE_NEAR || (ramp_average && hc < FINE && hr < FINE);
            int uk = (centre || ramp_average) && r->uk ? uniform_index(r, ax, ay, hc, hr) : -1;
            if (uk >= 0) { /* every cell a footprint can touch is of this colour */
                for (int yy = 0; yy < STEP; yy++) {
                    memset(idx + at + (size_t)yy * N, uk, STEP);
                    if (edge)
                        memset(edge + at + (size_t)yy * N, uk, STEP);
                }
            } else if (centre || ramp_average)
                ramp_block(r, lut, opaque, ax, ay, hc, hr, centre, ramp_average, idx + at,
                           edge ? edge + at : NULL);
            else {
                value_block(r, lut, rs, ax, ay, hc, hr, idx + at);
                for (int yy = 0; edge && yy < STEP; yy++)
                    memcpy(edge + at + (size_t)yy * N, idx + at + (size_t)yy * N, STEP);
            }
        }
    return any_colour(lut, idx);
}

bool sp_render_tile_index(sp_render_worker *w, const sp_render_raster *r,
                          const sp_style_lut *lut, sp_resample rs, int z, int x, int y,
                          uint8_t *idx)
{
    return sp_render_tile_leaf(w, r, lut, rs, z, x, y, idx, NULL);
}

bool sp_render_reduce(const sp_style_lut *lut, const uint8_t *const child[4], uint8_t *idx)
{
    bool opaque[256];
    for (int k = 0; k < 256; k++)
        opaque[k] = k > 0 && lut->rgba[k][3] != 0;
    const int H = N / 2;
    for (int q = 0; q < 4; q++)
        for (int py = 0; py < H; py++) {
            const uint8_t *r0 = child[q] + (size_t)(2 * py) * N, *r1 = r0 + N;
            uint8_t *out = idx + (size_t)((q >> 1) * H + py) * N + (q & 1) * H;
            for (int px = 0; px < H; px++) {
                if (!(px & 3)) { /* 4 pixels of one colour (or none) at once */
                    uint64_t u0, u1;
                    memcpy(&u0, r0 + 2 * px, 8);
                    memcpy(&u1, r1 + 2 * px, 8);
                    if (u0 == u1 && u0 == (u0 & 255) * 0x0101010101010101ULL) {
                        memset(out + px, (int)(u0 & 255), 4);
                        px += 3;
                        continue;
                    }
                }
                int a = r0[2 * px], b = r0[2 * px + 1], c = r1[2 * px], d = r1[2 * px + 1];
                if (a == b && a == c && a == d) { /* one colour (or none) */
                    out[px] = (uint8_t)a;
                    continue;
                }
                int n = opaque[a] + opaque[b] + opaque[c] + opaque[d];
                int s = opaque[a] * a + opaque[b] * b + opaque[c] * c + opaque[d] * d;
                /* (2s + n) / 2n: s / n rounded half up, in integers (each n its own
                 * constant: no division instruction) */
                out[px] = (uint8_t)(n == 4 ? (s + 2) >> 2 : n == 2 ? (s + 1) >> 1 : n == 1 ? s
                                    : n == 3 ? (2 * s + 3) / 6 : d ? d : c ? c : b ? b : a);
            }
        }
    return any_colour(lut, idx);
}

bool sp_render_sample_grid(sp_render_worker *w, const sp_render_raster *r, double west,
                           double north, double dx, double dy, int gw, int gh, float *out)
{
    double *x = malloc((size_t)gw * sizeof *x), *y = malloc((size_t)gw * sizeof *y);
    int *ok = malloc((size_t)gw * sizeof *ok);
    bool good = x && y && ok;
    for (int j = 0; good && j < gh; j++) {
        for (int i = 0; i < gw; i++)
            sp_tiling_from_lonlat(r->tiling, west + (i + 0.5) * dx, north - (j + 0.5) * dy,
                                  &x[i], &y[i]);
        w->fn(w->user, gw, x, y, ok);
        for (int i = 0; i < gw; i++) {
            double c = (x[i] - r->gt[0]) / r->gt[1], rr = (y[i] - r->gt[3]) / r->gt[5], v;
            out[(size_t)j * gw + i] =
                ok[i] && isfinite(c) && isfinite(rr) && sample(r, SP_RESAMPLE_NEAR, c, rr, 0, 0, &v)
                    ? (float)v : NAN;
        }
    }
    free(x);
    free(y);
    free(ok);
    return good;
}

void sp_render_index_rgba(const sp_style_lut *lut, const uint8_t *idx, uint8_t *rgba)
{
    for (size_t i = 0; i < (size_t)N * N; i++) /* lut->rgba[0] is (0, 0, 0, 0) */
        memcpy(rgba + 4 * i, lut->rgba[idx[i]], 4);
}

bool sp_render_tile_raster(sp_render_worker *w, const sp_render_raster *r,
                           const sp_style_lut *lut, sp_resample rs, int z, int x, int y,
                           uint8_t *rgba)
{
    uint8_t idx[N * N];
    bool any = sp_render_tile_index(w, r, lut, rs, z, x, y, idx);
    sp_render_index_rgba(lut, idx, rgba);
    return any;
}
