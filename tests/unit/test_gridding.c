/* Unit tests of sp_gridding_add: named cases and the mass-balance property over
 * thousands of random points, lines and polygons, several bands at once. */
#include "check.h"
#include "gridding/sp_gridding_run.h"
#include "io/sp_ctx_io.h"

#include <math.h>
#include <stdlib.h>

static sp_grid grid3(void)
{
    sp_grid g = {0};
    g.xmin = 0;
    g.ymax = 3;
    g.dx = g.dy = 1;
    g.ncols = g.nrows = 3;
    g.xmax = 3;
    g.ymin = 0;
    return g;
}

/* ---- an independent oracle: clipping to the grid's rectangle, written here ---------- */

/* Length of segment a-b inside [x0,x1] x [y0,y1] (Liang-Barsky). */
static double clip_len(double ax, double ay, double bx, double by, double x0, double y0,
                       double x1, double y1)
{
    double t0 = 0, t1 = 1, dx = bx - ax, dy = by - ay;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {ax - x0, x1 - ax, ay - y0, y1 - ay};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0 && t > t0)
            t0 = t;
        if (p[i] > 0 && t < t1)
            t1 = t;
    }
    return t1 > t0 ? (t1 - t0) * hypot(dx, dy) : 0;
}

/* Area of polygon (x, y, n vertices, not closed) inside the rectangle
 * (Sutherland-Hodgman, then the shoelace formula). */
static double clip_area(const double *x, const double *y, int n, double x0, double y0,
                        double x1, double y1)
{
    double ax[64], ay[64], bx[64], by[64];
    int m = n;
    for (int i = 0; i < n; i++)
        ax[i] = x[i], ay[i] = y[i];
    for (int e = 0; e < 4; e++) {
        int k = 0;
        for (int i = 0; i < m; i++) {
            double px = ax[i], py = ay[i], qx = ax[(i + 1) % m], qy = ay[(i + 1) % m];
            double dp = e == 0 ? px - x0 : e == 1 ? x1 - px : e == 2 ? py - y0 : y1 - py;
            double dq = e == 0 ? qx - x0 : e == 1 ? x1 - qx : e == 2 ? qy - y0 : y1 - qy;
            if (dp >= 0)
                bx[k] = px, by[k++] = py;
            if ((dp >= 0) != (dq >= 0)) {
                double t = dp / (dp - dq);
                bx[k] = px + t * (qx - px), by[k++] = py + t * (qy - py);
            }
        }
        m = k;
        for (int i = 0; i < m; i++)
            ax[i] = bx[i], ay[i] = by[i];
    }
    double a = 0;
    for (int i = 0; i < m; i++)
        a += ax[i] * ay[(i + 1) % m] - ax[(i + 1) % m] * ay[i];
    return fabs(a) / 2;
}

static double sum(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    sp_grid g = grid3();
    double b0[9] = {0}, b1[9] = {0}, *bands[2] = {b0, b1}, out[2] = {0}, vals[2] = {10, 1};
    sp_cover_ws ws = {0};
    sp_geom p = {0};
    bool deg;
    /* a point on a cell corner: the cell south-east of it */
    sp_geom_reset(&p, SP_GEOM_POINT);
    sp_geom_begin_part(ctx, &p, false);
    sp_geom_add(ctx, &p, 1, 2);
    CHECK(sp_gridding_add(ctx, &g, bands, 2, &p, vals, out, &ws, &deg) == SP_OK);
    CHECK(b0[1 * 3 + 1] == 10 && b1[4] == 1);
    /* a multipoint: half in, half out */
    sp_geom_reset(&p, SP_GEOM_POINT);
    sp_geom_begin_part(ctx, &p, false);
    sp_geom_add(ctx, &p, 0.5, 0.5);
    sp_geom_begin_part(ctx, &p, false);
    sp_geom_add(ctx, &p, 5, 5);
    memset(b0, 0, sizeof b0);
    out[0] = out[1] = 0;
    sp_gridding_add(ctx, &g, bands, 2, &p, vals, out, &ws, &deg);
    CHECK(b0[6] == 5 && out[0] == 5);
    /* a polygon half outside the grid */
    sp_geom_reset(&p, SP_GEOM_POLYGON);
    sp_geom_begin_part(ctx, &p, false);
    double sq[] = {2, 1, 4, 1, 4, 2, 2, 2};
    for (int i = 0; i < 4; i++)
        sp_geom_add(ctx, &p, sq[2 * i], sq[2 * i + 1]);
    memset(b0, 0, sizeof b0);
    out[0] = 0;
    sp_gridding_add(ctx, &g, bands, 2, &p, vals, out, &ws, &deg);
    CHECK_REL(b0[1 * 3 + 2], 5, 1e-15);
    CHECK_REL(out[0], 5, 1e-15);
    /* a line along the grid's right border x = 3 belongs to the column east of it:
     * outside, reported, not lost */
    sp_geom_reset(&p, SP_GEOM_LINE);
    sp_geom_begin_part(ctx, &p, false);
    sp_geom_add(ctx, &p, 3, 0.5);
    sp_geom_add(ctx, &p, 3, 2.5);
    memset(b0, 0, sizeof b0);
    out[0] = 0;
    sp_gridding_add(ctx, &g, bands, 2, &p, vals, out, &ws, &deg);
    CHECK(sum(b0, 9) == 0 && out[0] == 10);
    /* zero-length line: a point at its vertex */
    sp_geom_reset(&p, SP_GEOM_LINE);
    sp_geom_begin_part(ctx, &p, false);
    sp_geom_add(ctx, &p, 0.2, 0.2);
    sp_geom_add(ctx, &p, 0.2, 0.2);
    memset(b0, 0, sizeof b0);
    out[0] = 0;
    sp_gridding_add(ctx, &g, bands, 2, &p, vals, out, &ws, &deg);
    CHECK(deg && b0[6] == 10);
    /* empty geometry: all outside */
    sp_geom_reset(&p, SP_GEOM_NONE);
    out[0] = 0;
    sp_gridding_add(ctx, &g, bands, 2, &p, vals, out, &ws, &deg);
    CHECK(out[0] == 10);

    /* property: random features on a 50 x 40 grid, sum(grid) + outside == input */
    enum { NC = 50, NR = 40 };
    sp_grid G = {0};
    G.xmin = 440000;
    G.ymax = 4420000;
    G.dx = G.dy = 100;
    G.ncols = NC;
    G.nrows = NR;
    G.xmax = G.xmin + NC * 100;
    G.ymin = G.ymax - NR * 100;
    double *B[3];
    for (int b = 0; b < 3; b++)
        B[b] = calloc(NC * NR, sizeof(double));
    double outside[3] = {0}, input[3] = {0}, worst = 0;
    int nchecked = 0;
    unsigned long long s = 99;
    for (int i = 0; i < 6000; i++) {
        double v[3] = {check_rand(&s, 0, 100), check_rand(&s, 0, 1e-3), check_rand(&s, 0, 1e4)};
        int kind = i % 3;
        sp_geom_reset(&p, kind == 0 ? SP_GEOM_POINT : kind == 1 ? SP_GEOM_LINE : SP_GEOM_POLYGON);
        sp_geom_begin_part(ctx, &p, false);
        double cx = check_rand(&s, G.xmin - 500, G.xmax + 500);
        double cy = check_rand(&s, G.ymin - 500, G.ymax + 500);
        if (kind == 0) {
            /* some points exactly on cell corners and edges */
            if (i % 7 == 0) {
                cx = G.xmin + 100 * (int)check_rand(&s, 0, NC + 1);
                cy = G.ymin + 100 * (int)check_rand(&s, 0, NR + 1);
            }
            sp_geom_add(ctx, &p, cx, cy);
        } else if (kind == 1) {
            int nv = 2 + (int)check_rand(&s, 0, 5);
            for (int k = 0; k < nv; k++) {
                if (i % 5 == 1) /* axis-parallel on cell edges */
                    sp_geom_add(ctx, &p, k % 2 ? cx + 300 * k : round(cx / 100) * 100,
                                round(cy / 100) * 100);
                else
                    sp_geom_add(ctx, &p, cx + check_rand(&s, -3000, 3000),
                                cy + check_rand(&s, -3000, 3000));
            }
        } else {
            int nv = 3 + (int)check_rand(&s, 0, 12);
            double r = check_rand(&s, 5, 2000);
            for (int k = 0; k < nv; k++) {
                double a = 2 * M_PI * k / nv;
                sp_geom_add(ctx, &p, cx + r * cos(a), cy + r * sin(a));
            }
        }
        double before = sum(B[0], NC * NR);
        sp_gridding_add(ctx, &G, B, 3, &p, v, outside, &ws, &deg);
        for (int b = 0; b < 3; b++)
            input[b] += v[b];
        /* the oracle, for the features off the cell edges: the share inside the grid's
         * rectangle by independent clipping */
        double share = NAN;
        if (kind == 0 && i % 7 != 0)
            share = p.x[0] >= G.xmin && p.x[0] < G.xmax && p.y[0] > G.ymin && p.y[0] <= G.ymax;
        else if (kind == 1 && i % 5 != 1) {
            double in = 0, all = 0;
            for (int k = 0; k + 1 < p.npoints; k++) {
                in += clip_len(p.x[k], p.y[k], p.x[k + 1], p.y[k + 1], G.xmin, G.ymin, G.xmax,
                               G.ymax);
                all += hypot(p.x[k + 1] - p.x[k], p.y[k + 1] - p.y[k]);
            }
            share = all > 0 ? in / all : NAN;
        } else if (kind == 2) {
            int n = p.npoints; /* a closing vertex repeats the first */
            if (n > 1 && p.x[n - 1] == p.x[0] && p.y[n - 1] == p.y[0])
                n--;
            share = clip_area(p.x, p.y, n, G.xmin, G.ymin, G.xmax, G.ymax) /
                    clip_area(p.x, p.y, n, -1e12, -1e12, 1e12, 1e12);
        }
        if (!isnan(share)) {
            double placed = sum(B[0], NC * NR) - before;
            nchecked++;
            /* relative to the value (at least 1): placed is a difference of two sums of the
             * whole grid (up to 3e5 over 2,000 cells), which rounds at ~1e-8 */
            worst = fmax(worst, fabs(placed - share * v[0]) / fmax(v[0], 1));
        }
    }
    CHECK(nchecked > 4000 && worst < 1e-7);
    printf("  independent clipping: %d features, worst relative error %.3g\n", nchecked, worst);
    for (int b = 0; b < 3; b++) {
        double gs = sum(B[b], NC * NR);
        CHECK(fabs(gs + outside[b] - input[b]) <= 1e-9 * input[b]);
        CHECK(outside[b] > 0 && gs > 0);
        printf("  band %d: input %.17g, grid+outside relative error %.3g\n", b, input[b],
               fabs(gs + outside[b] - input[b]) / input[b]);
        free(B[b]);
    }
    sp_geom_free(&p);
    sp_cover_ws_free(&ws);
    sp_ctx_free(ctx);
    return check_done();
}
