/* Unit tests of sp_coverage: hand-checkable 3x3 cases, named edge cases, and random
 * polygons and lines checked cell by cell against GEOS intersections (the oracle). */
#include "check.h"
#include "core/sp_coverage.h"

#include <geos_c.h>
#include <stdlib.h>

#define MAXC 4096
typedef struct {
    double v[MAXC];
    int ncols;
    int calls;
} cells;

static void collect(int col, int row, double amount, void *user)
{
    cells *c = user;
    c->v[row * c->ncols + col] += amount;
    c->calls++;
}

static sp_grid grid(double xmin, double ymax, double dx, double dy, int nc, int nr)
{
    sp_grid g = {0};
    g.xmin = xmin;
    g.ymax = ymax;
    g.dx = dx;
    g.dy = dy;
    g.ncols = nc;
    g.nrows = nr;
    g.xmax = xmin + nc * dx;
    g.ymin = ymax - nr * dy;
    return g;
}

/* GEOS, the independent oracle of the polygon cases (core itself links no GEOS) */
static GEOSContextHandle_t oracle;

static void ring(sp_ctx *ctx, sp_geom *g, bool hole, const double *xy, int n)
{
    sp_geom_begin_part(ctx, g, hole);
    for (int i = 0; i < n; i++)
        sp_geom_add(ctx, g, xy[2 * i], xy[2 * i + 1]);
}

static void test_square_3x3(sp_ctx *ctx)
{
    sp_grid g = grid(0, 3, 1, 1, 3, 3);
    sp_geom p = {0};
    sp_geom_reset(&p, SP_GEOM_POLYGON);
    double sq[] = {0.5, 0.5, 2.5, 0.5, 2.5, 2.5, 0.5, 2.5};
    ring(ctx, &p, false, sq, 4);
    cells c = {.ncols = 3};
    sp_cover_ws ws = {0};
    double inside;
    CHECK(sp_cover_polygon(ctx, &g, &p, &ws, collect, &c, &inside) == SP_OK);
    double want[9] = {0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25};
    for (int i = 0; i < 9; i++)
        CHECK_REL(c.v[i], want[i], 1e-15);
    CHECK_REL(inside, 4.0, 1e-15);
    /* same ring clockwise gives the same result: orientation comes from the hole flag */
    sp_geom_reset(&p, SP_GEOM_POLYGON);
    double cw[] = {0.5, 0.5, 0.5, 2.5, 2.5, 2.5, 2.5, 0.5};
    ring(ctx, &p, false, cw, 4);
    memset(c.v, 0, sizeof c.v);
    sp_cover_polygon(ctx, &g, &p, &ws, collect, &c, &inside);
    CHECK_REL(c.v[4], 1.0, 1e-15);
    CHECK_REL(c.v[0], 0.25, 1e-15);
    /* hole: the centre cell removed */
    double hole[] = {1, 1, 2, 1, 2, 2, 1, 2};
    ring(ctx, &p, true, hole, 4);
    memset(c.v, 0, sizeof c.v);
    sp_cover_polygon(ctx, &g, &p, &ws, collect, &c, &inside);
    CHECK_REL(c.v[4], 0.0, 1e-15);
    CHECK_REL(c.v[1], 0.5, 1e-15);
    CHECK_REL(inside, 3.0, 1e-15);
    CHECK_REL(sp_geom_measure(&p), 3.0, 1e-15);
    /* polygon inside one cell */
    sp_geom_reset(&p, SP_GEOM_POLYGON);
    double tiny[] = {1.1, 1.1, 1.3, 1.1, 1.2, 1.4};
    ring(ctx, &p, false, tiny, 3);
    memset(c.v, 0, sizeof c.v);
    c.calls = 0;
    sp_cover_polygon(ctx, &g, &p, &ws, collect, &c, &inside);
    CHECK(c.calls == 1);
    CHECK_REL(c.v[1 * 3 + 1], 0.5 * 0.2 * 0.3, 1e-15);
    /* half outside the grid: only the inside part is reported */
    sp_geom_reset(&p, SP_GEOM_POLYGON);
    double half[] = {-1, 0.5, 1, 0.5, 1, 1.5, -1, 1.5};
    ring(ctx, &p, false, half, 4);
    memset(c.v, 0, sizeof c.v);
    sp_cover_polygon(ctx, &g, &p, &ws, collect, &c, &inside);
    CHECK_REL(inside, 1.0, 1e-15);
    CHECK_REL(c.v[1 * 3 + 0], 0.5, 1e-15);
    CHECK_REL(c.v[2 * 3 + 0], 0.5, 1e-15);
    /* entirely outside */
    sp_geom_reset(&p, SP_GEOM_POLYGON);
    double out[] = {-5, 0, -4, 0, -4, 1};
    ring(ctx, &p, false, out, 3);
    c.calls = 0;
    sp_cover_polygon(ctx, &g, &p, &ws, collect, &c, &inside);
    CHECK(c.calls == 0 && inside == 0);
    sp_geom_free(&p);
    sp_cover_ws_free(&ws);
}

static void test_lines_named(sp_ctx *ctx)
{
    sp_grid g = grid(0, 3, 1, 1, 3, 3);
    sp_geom l = {0};
    cells c = {.ncols = 3};
    double inside;
    /* along the horizontal edge y = 2 (between rows 0 and 1): counted once, south */
    sp_geom_reset(&l, SP_GEOM_LINE);
    sp_geom_begin_part(ctx, &l, false);
    sp_geom_add(ctx, &l, 0.25, 2);
    sp_geom_add(ctx, &l, 2.75, 2);
    sp_cover_line(&g, &l, collect, &c, &inside);
    CHECK_REL(inside, 2.5, 1e-15);
    CHECK_REL(c.v[3 + 0], 0.75, 1e-15);
    CHECK_REL(c.v[3 + 1], 1.0, 1e-15);
    CHECK_REL(c.v[3 + 2], 0.75, 1e-15);
    CHECK(c.v[0] == 0 && c.v[1] == 0 && c.v[2] == 0);
    /* along the vertical edge x = 1: counted once, east (column 1) */
    memset(c.v, 0, sizeof c.v);
    sp_geom_reset(&l, SP_GEOM_LINE);
    sp_geom_begin_part(ctx, &l, false);
    sp_geom_add(ctx, &l, 1, 0.5);
    sp_geom_add(ctx, &l, 1, 3);
    sp_cover_line(&g, &l, collect, &c, &inside);
    CHECK_REL(inside, 2.5, 1e-15);
    CHECK_REL(c.v[0 * 3 + 1], 1, 1e-15);
    CHECK_REL(c.v[2 * 3 + 1], 0.5, 1e-15);
    CHECK(c.v[0] == 0 && c.v[3] == 0);
    /* along the grid's top border (inside: top edges are closed) and bottom border
     * (outside: the row below the grid would own it) */
    memset(c.v, 0, sizeof c.v);
    sp_geom_reset(&l, SP_GEOM_LINE);
    sp_geom_begin_part(ctx, &l, false);
    sp_geom_add(ctx, &l, 0, 3);
    sp_geom_add(ctx, &l, 3, 3);
    sp_geom_begin_part(ctx, &l, false);
    sp_geom_add(ctx, &l, 0, 0);
    sp_geom_add(ctx, &l, 3, 0);
    sp_cover_line(&g, &l, collect, &c, &inside);
    CHECK_REL(inside, 3.0, 1e-15);
    CHECK_REL(c.v[0] + c.v[1] + c.v[2], 3.0, 1e-15);
    CHECK_REL(sp_geom_measure(&l), 6.0, 1e-15);
    /* diagonal through a corner, half outside */
    memset(c.v, 0, sizeof c.v);
    sp_geom_reset(&l, SP_GEOM_LINE);
    sp_geom_begin_part(ctx, &l, false);
    sp_geom_add(ctx, &l, -1, 4);
    sp_geom_add(ctx, &l, 2, 1);
    sp_cover_line(&g, &l, collect, &c, &inside);
    CHECK_REL(inside, 2 * sqrt(2.0), 1e-15);
    CHECK_REL(c.v[0], sqrt(2.0), 1e-15);
    CHECK_REL(c.v[4], sqrt(2.0), 1e-15);
    sp_geom_free(&l);
    /* a point on a cell corner goes to the cell south-east of it */
    int col, row;
    CHECK(sp_cover_point(&g, 1, 2, &col, &row) && col == 1 && row == 1);
    CHECK(!sp_cover_point(&g, 3, 1, &col, &row));
    CHECK(!sp_cover_point(&g, 1, 0, &col, &row));
    CHECK(sp_cover_point(&g, 0, 3, &col, &row) && col == 0 && row == 0);
}

static GEOSGeometry *geos_box(GEOSContextHandle_t h, double x0, double y0, double x1, double y1)
{
    GEOSCoordSequence *s = GEOSCoordSeq_create_r(h, 5, 2);
    double xs[] = {x0, x1, x1, x0, x0}, ys[] = {y0, y0, y1, y1, y0};
    for (int i = 0; i < 5; i++) {
        GEOSCoordSeq_setX_r(h, s, i, xs[i]);
        GEOSCoordSeq_setY_r(h, s, i, ys[i]);
    }
    return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, s), NULL, 0);
}

static GEOSGeometry *geos_ring_poly(GEOSContextHandle_t h, const sp_geom *p)
{
    GEOSGeometry *shell = NULL, *holes[8];
    int nh = 0;
    for (int r = 0; r < p->nparts; r++) {
        int s = p->part_start[r], n = sp_geom_part_len(p, r);
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, n + 1, 2);
        for (int i = 0; i <= n; i++) {
            GEOSCoordSeq_setX_r(h, cs, i, p->x[s + i % n]);
            GEOSCoordSeq_setY_r(h, cs, i, p->y[s + i % n]);
        }
        GEOSGeometry *lr = GEOSGeom_createLinearRing_r(h, cs);
        if (p->hole[r])
            holes[nh++] = lr;
        else
            shell = lr;
    }
    return GEOSGeom_createPolygon_r(h, shell, holes, nh);
}

/* Random star-shaped polygons (optionally with a hole) over random small grids. */
static void test_polygons_vs_geos(sp_ctx *ctx, double ox, double oy, double tol)
{
    GEOSContextHandle_t h = oracle;
    unsigned long long seed = 42;
    sp_cover_ws ws = {.max_cells = 7}; /* force several strips */
    int bad = 0, total = 0, rows_same = 1;
    double worst = 0;
    for (int it = 0; it < 300; it++) {
        int nc = 2 + (int)check_rand(&seed, 0, 9), nr = 2 + (int)check_rand(&seed, 0, 9);
        double dx = check_rand(&seed, 0.3, 3), dy = check_rand(&seed, 0.3, 3);
        double x0 = ox + check_rand(&seed, -50, 50), y1 = oy + check_rand(&seed, -50, 50);
        sp_grid g = grid(x0, y1, dx, dy, nc, nr);
        double cx = x0 + check_rand(&seed, -0.2, 1.2) * nc * dx;
        double cy = y1 - check_rand(&seed, -0.2, 1.2) * nr * dy;
        double rad = check_rand(&seed, 0.2, 0.7) * fmax(nc * dx, nr * dy);
        int nv = 3 + (int)check_rand(&seed, 0, 20);
        sp_geom p = {0};
        sp_geom_reset(&p, SP_GEOM_POLYGON);
        sp_geom_begin_part(ctx, &p, false);
        for (int i = 0; i < nv; i++) {
            double a = 2 * M_PI * i / nv, r = rad * check_rand(&seed, 0.6, 1.0);
            sp_geom_add(ctx, &p, cx + r * cos(a), cy + r * sin(a));
        }
        if (it % 3 == 0) { /* a hole: small ring inside the inner radius */
            sp_geom_begin_part(ctx, &p, true);
            for (int i = 0; i < 5; i++) {
                double a = -2 * M_PI * i / 5;
                sp_geom_add(ctx, &p, cx + 0.3 * rad * cos(a), cy + 0.3 * rad * sin(a));
            }
        }
        cells c = {.ncols = nc};
        double inside;
        sp_cover_polygon(ctx, &g, &p, &ws, collect, &c, &inside);
        /* a shard's rows, in strips of another height: the same bits there, nothing else */
        int ra = (int)check_rand(&seed, 0, nr), rb = ra + 1 + (int)check_rand(&seed, 0, nr - ra);
        sp_cover_ws wr = {.max_cells = 5, .row0 = ra, .row1 = rb};
        cells cr = {.ncols = nc};
        sp_cover_polygon(ctx, &g, &p, &wr, collect, &cr, NULL);
        for (int q = 0; q < nc * nr; q++)
            rows_same &= q / nc >= ra && q / nc < rb ? cr.v[q] == c.v[q] : cr.v[q] == 0;
        sp_cover_ws_free(&wr);
        GEOSGeometry *gp = geos_ring_poly(h, &p);
        double parea;
        GEOSArea_r(h, gp, &parea);
        double gsum = 0;
        for (int r = 0; r < nr; r++)
            for (int col = 0; col < nc; col++) {
                GEOSGeometry *b = geos_box(h, x0 + col * dx, y1 - (r + 1) * dy,
                                           x0 + (col + 1) * dx, y1 - r * dy);
                GEOSGeometry *in = GEOSIntersection_r(h, gp, b);
                double a = 0;
                if (in)
                    GEOSArea_r(h, in, &a);
                gsum += a;
                double err = fabs(c.v[r * nc + col] - a) / parea;
                worst = fmax(worst, err);
                total++;
                if (err > tol)
                    bad++;
                GEOSGeom_destroy_r(h, in);
                GEOSGeom_destroy_r(h, b);
            }
        CHECK_REL(sp_geom_measure(&p) / parea, 1.0, 1e-12);
        CHECK(fabs(inside - gsum) <= tol * parea);
        GEOSGeom_destroy_r(h, gp);
        sp_geom_free(&p);
    }
    CHECK(bad == 0);
    CHECK(rows_same); /* a shard's rows: the whole run's bits */
    printf("  polygons near (%g, %g): %d cells compared with GEOS, worst share error %.3g\n", ox, oy, total, worst);
    sp_cover_ws_free(&ws);
}

static void test_lines_vs_geos(sp_ctx *ctx, double ox, double oy, double tol)
{
    GEOSContextHandle_t h = oracle;
    unsigned long long seed = 7;
    int bad = 0, total = 0;
    double worst = 0;
    for (int it = 0; it < 300; it++) {
        int nc = 2 + (int)check_rand(&seed, 0, 9), nr = 2 + (int)check_rand(&seed, 0, 9);
        double dx = check_rand(&seed, 0.3, 3), dy = check_rand(&seed, 0.3, 3);
        double x0 = ox + check_rand(&seed, -50, 50), y1 = oy + check_rand(&seed, -50, 50);
        sp_grid g = grid(x0, y1, dx, dy, nc, nr);
        sp_geom l = {0};
        sp_geom_reset(&l, SP_GEOM_LINE);
        sp_geom_begin_part(ctx, &l, false);
        int nv = 2 + (int)check_rand(&seed, 0, 6);
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, nv, 2);
        for (int i = 0; i < nv; i++) {
            double x = x0 + check_rand(&seed, -0.3, 1.3) * nc * dx;
            double y = y1 - check_rand(&seed, -0.3, 1.3) * nr * dy;
            sp_geom_add(ctx, &l, x, y);
            GEOSCoordSeq_setX_r(h, cs, i, x);
            GEOSCoordSeq_setY_r(h, cs, i, y);
        }
        GEOSGeometry *gl = GEOSGeom_createLineString_r(h, cs);
        double len;
        GEOSLength_r(h, gl, &len);
        cells c = {.ncols = nc};
        double inside;
        sp_cover_line(&g, &l, collect, &c, &inside);
        for (int r = 0; r < nr; r++)
            for (int col = 0; col < nc; col++) {
                GEOSGeometry *b = geos_box(h, x0 + col * dx, y1 - (r + 1) * dy,
                                           x0 + (col + 1) * dx, y1 - r * dy);
                GEOSGeometry *in = GEOSIntersection_r(h, gl, b);
                double a = 0;
                if (in)
                    GEOSLength_r(h, in, &a);
                double err = fabs(c.v[r * nc + col] - a) / len;
                worst = fmax(worst, err);
                total++;
                if (err > tol)
                    bad++;
                GEOSGeom_destroy_r(h, in);
                GEOSGeom_destroy_r(h, b);
            }
        CHECK_REL(sp_geom_measure(&l), len, 1e-12);
        GEOSGeom_destroy_r(h, gl);
        sp_geom_free(&l);
    }
    CHECK(bad == 0);
    printf("  lines near (%g, %g): %d cells compared with GEOS, worst share error %.3g\n", ox, oy, total, worst);
}

int main(void)
{
    sp_ctx *ctx = sp_ctx_new_core();
    oracle = GEOS_init_r();
    test_square_3x3(ctx);
    test_lines_named(ctx);
    /* near the origin shares agree to 1e-12; at UTM magnitudes (4.4e6 m) a coordinate
     * itself is only known to ~1e-9 m, which bounds what any method (GEOS included)
     * can agree on for metre-sized cells */
    test_polygons_vs_geos(ctx, 0, 0, 1e-12);
    test_lines_vs_geos(ctx, 0, 0, 1e-12);
    test_polygons_vs_geos(ctx, 500000, 4400000, 1e-8);
    test_lines_vs_geos(ctx, 500000, 4400000, 1e-8);
    sp_ctx_free(ctx);
    GEOS_finish_r(oracle);
    return check_done();
}
