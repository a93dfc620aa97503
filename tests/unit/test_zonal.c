/* Unit tests of sp_zonal: hand-checkable 3x3 cases for every statistic and method,
 * GEOS intersection areas as the oracle of the cell weights on random zones, and random
 * zones tiling a grid adding up to its total. */
#include "check.h"
#include <math.h>
#include "zonal/sp_zonal.h"
#include "io/sp_ctx_io.h"

#include <geos_c.h>
#include <stdlib.h>

static void ring(sp_ctx *ctx, sp_geom *g, const double *xy, int n, bool hole)
{
    sp_geom_begin_part(ctx, g, hole);
    for (int i = 0; i < n; i++)
        sp_geom_add(ctx, g, xy[2 * i], xy[2 * i + 1]);
}

static void box(sp_ctx *ctx, sp_geom *g, double x0, double y0, double x1, double y1)
{
    sp_geom_reset(g, SP_GEOM_POLYGON);
    double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1};
    ring(ctx, g, xy, 4, false);
}

static void test_parse(sp_ctx *ctx)
{
    sp_stat *st;
    int n;
    CHECK(sp_stats_parse(ctx, "sum,median,q90,stdev", &st, &n) == SP_OK && n == 4);
    CHECK(st[1].kind == SP_ST_QUANTILE && st[1].q == 0.5 && st[2].q == 0.9);
    CHECK_STR(st[2].name, "q90");
    free(st);
    CHECK(sp_stats_parse(ctx, "sum,avg", &st, &n) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "unknown statistic 'avg'");
    CHECK(sp_stats_parse(ctx, "q101", &st, &n) == SP_ERR_USAGE);
    CHECK(sp_stats_parse(ctx, "sum,sum", &st, &n) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "'sum' is given twice");
    CHECK(sp_stats_parse(ctx, "sum,,mean", &st, &n) == SP_ERR_USAGE);
    sp_zonal_method m;
    CHECK(sp_zonal_method_parse("center", &m) && m == SP_METHOD_CENTRE);
    CHECK(!sp_zonal_method_parse("fast", &m));
}

/* 3x3 grid of 1 m cells over (0,0)-(3,3); values 1..9 row by row from the top. */
static void test_3x3(sp_ctx *ctx)
{
    sp_grid g = {0};
    CHECK(sp_grid_from_res(ctx, &g, 0, 0, 3, 3, 1, 1, false) == SP_OK);
    double band[9];
    for (int i = 0; i < 9; i++)
        band[i] = i + 1;
    sp_stat *st;
    int n;
    sp_stats_parse(ctx, "sum,mean,min,max,count,area_km2,density,share,stdev,median,q0,q100",
                   &st, &n);
    sp_geom p = {0};
    sp_cover_ws ws = {0};
    sp_zone_cells c = {0};
    double out[12], scratch[18];
    /* a 2x2 square centred on the grid: centre cell 1, edges 1/2, corners 1/4 */
    box(ctx, &p, 0.5, 0.5, 2.5, 2.5);
    CHECK(sp_zonal_cells(ctx, &g, &p, SP_METHOD_EXACT, &ws, &c) == SP_OK && c.n == 9);
    CHECK_REL(c.area, 4, 1e-15);
    sp_zonal_stats(&c, band, false, 0, 45, st, n, out, scratch);
    CHECK_REL(out[0], 20, 1e-14);       /* 5 + (2+4+6+8)/2 + (1+3+7+9)/4 */
    CHECK_REL(out[1], 5, 1e-14);        /* mean */
    CHECK(out[2] == 1 && out[3] == 9);  /* min, max */
    CHECK_REL(out[4], 4, 1e-14);        /* count: fractional cells */
    CHECK_REL(out[5], 4e-6, 1e-14);     /* area_km2 */
    CHECK_REL(out[6], 20 / 4e-6, 1e-14);/* density per km2 */
    CHECK_REL(out[7], 100 * 20 / 45.0, 1e-14);
    CHECK_REL(out[8], sqrt(5), 1e-14);  /* sum w (v-5)^2 = 20, / 4 */
    CHECK(out[9] == 5);                 /* weighted median */
    CHECK(out[10] == 1 && out[11] == 9);
    /* nodata: the centre cell left out of the values, not of the area */
    sp_zonal_stats(&c, band, true, 5, 45, st, n, out, scratch);
    CHECK_REL(out[0], 15, 1e-14);
    CHECK_REL(out[4], 3, 1e-14);
    CHECK_REL(out[5], 4e-6, 1e-14);
    /* all_touched: every cell the zone covers counts whole */
    CHECK(sp_zonal_cells(ctx, &g, &p, SP_METHOD_ALL_TOUCHED, &ws, &c) == SP_OK);
    sp_zonal_stats(&c, band, false, 0, 45, st, n, out, scratch);
    CHECK_REL(out[0], 45, 1e-14);
    CHECK_REL(out[4], 9, 1e-14);
    CHECK_REL(out[5], 4e-6, 1e-14); /* the area stays the zone's */
    /* centre: cells whose centre is inside (0.4..2.4): centres 0.5 and 1.5 */
    box(ctx, &p, 0.4, 0.4, 2.4, 2.4);
    CHECK(sp_zonal_cells(ctx, &g, &p, SP_METHOD_CENTRE, &ws, &c) == SP_OK && c.n == 4);
    sp_zonal_stats(&c, band, false, 0, 45, st, n, out, scratch);
    CHECK_REL(out[0], 4 + 5 + 7 + 8, 1e-14);
    CHECK_REL(c.area, 4, 1e-14);
    /* a polygon with a hole: the centre cell is out for every method */
    sp_geom_reset(&p, SP_GEOM_POLYGON);
    double outer[] = {0, 0, 3, 0, 3, 3, 0, 3}, hole[] = {1, 1, 2, 1, 2, 2, 1, 2};
    ring(ctx, &p, outer, 4, false);
    ring(ctx, &p, hole, 4, true);
    CHECK(sp_zonal_cells(ctx, &g, &p, SP_METHOD_EXACT, &ws, &c) == SP_OK);
    sp_zonal_stats(&c, band, false, 0, 45, st, n, out, scratch);
    CHECK_REL(out[0], 40, 1e-14);
    CHECK(sp_zonal_cells(ctx, &g, &p, SP_METHOD_CENTRE, &ws, &c) == SP_OK && c.n == 8);
    /* a zone outside the grid: no cells, undefined mean, zero sum */
    box(ctx, &p, 10, 10, 11, 11);
    CHECK(sp_zonal_cells(ctx, &g, &p, SP_METHOD_EXACT, &ws, &c) == SP_OK && c.n == 0);
    sp_zonal_stats(&c, band, false, 0, 45, st, n, out, scratch);
    CHECK(out[0] == 0 && isnan(out[1]) && isnan(out[9]));
    free(st);
    sp_zone_cells_free(&c);
    sp_cover_ws_free(&ws);
    sp_geom_free(&p);
    sp_grid_clear(&g);
}

typedef struct {
    double x, y;
} pt;

/* Random zones: 4 quadrilaterals sharing a jittered centre and jittered edge points,
 * tiling the grid; every cell weight checked against GEOS; sums add up to the total. */
static void test_tiling(sp_ctx *ctx)
{
    GEOSContextHandle_t h = sp_ctx_geos(ctx);
    unsigned long long seed = 42;
    double worst = 0, worst_tile = 0;
    for (int trial = 0; trial < 50; trial++) {
        int nc = 3 + (int)check_rand(&seed, 0, 6), nr = 3 + (int)check_rand(&seed, 0, 6);
        double dx = check_rand(&seed, 0.5, 3), x0 = check_rand(&seed, -5, 5), y0 = check_rand(&seed, -5, 5);
        sp_grid g = {0};
        sp_grid_from_res(ctx, &g, x0, y0, x0 + nc * dx, y0 + nr * dx, dx, dx, false);
        double *band = malloc((size_t)nc * nr * sizeof *band), total = 0;
        for (int i = 0; i < nc * nr; i++)
            total += band[i] = check_rand(&seed, 0, 10);
        double X1 = x0 + nc * dx, Y1 = y0 + nr * dx;
        pt C = {check_rand(&seed, x0 + dx, X1 - dx), check_rand(&seed, y0 + dx, Y1 - dx)};
        pt S = {check_rand(&seed, x0 + 0.1, X1 - 0.1), y0}, N = {check_rand(&seed, x0 + 0.1, X1 - 0.1), Y1};
        pt W = {x0, check_rand(&seed, y0 + 0.1, Y1 - 0.1)}, E = {X1, check_rand(&seed, y0 + 0.1, Y1 - 0.1)};
        pt quads[4][4] = {{{x0, y0}, S, C, W}, {S, {X1, y0}, E, C}, {C, E, {X1, Y1}, N},
                          {W, C, N, {x0, Y1}}};
        sp_stat *st;
        int n;
        sp_stats_parse(ctx, "sum", &st, &n);
        double sum = 0;
        sp_geom p = {0};
        sp_cover_ws ws = {0};
        sp_zone_cells c = {0};
        for (int q = 0; q < 4; q++) {
            sp_geom_reset(&p, SP_GEOM_POLYGON);
            ring(ctx, &p, &quads[q][0].x, 4, false);
            CHECK(sp_zonal_cells(ctx, &g, &p, SP_METHOD_EXACT, &ws, &c) == SP_OK);
            double out;
            sp_zonal_stats(&c, band, false, 0, total, st, n, &out, NULL);
            sum += out;
            /* GEOS oracle for every cell weight */
            GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 5, 2);
            for (int i = 0; i <= 4; i++) {
                GEOSCoordSeq_setX_r(h, cs, i, quads[q][i % 4].x);
                GEOSCoordSeq_setY_r(h, cs, i, quads[q][i % 4].y);
            }
            GEOSGeometry *zg = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
            for (int i = 0; i < c.n; i++) {
                int col = (int)(c.cell[i] % nc), row = (int)(c.cell[i] / nc);
                double cx0 = x0 + col * dx, cy1 = Y1 - row * dx;
                GEOSCoordSequence *bs = GEOSCoordSeq_create_r(h, 5, 2);
                double bx[] = {cx0, cx0 + dx, cx0 + dx, cx0, cx0}, by[] = {cy1 - dx, cy1 - dx, cy1, cy1, cy1 - dx};
                for (int k = 0; k < 5; k++) {
                    GEOSCoordSeq_setX_r(h, bs, k, bx[k]);
                    GEOSCoordSeq_setY_r(h, bs, k, by[k]);
                }
                GEOSGeometry *cell = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, bs), NULL, 0);
                GEOSGeometry *x = GEOSIntersection_r(h, zg, cell);
                double a = 0;
                GEOSArea_r(h, x, &a);
                double err = fabs(c.w[i] - a / (dx * dx));
                if (err > worst)
                    worst = err;
                GEOSGeom_destroy_r(h, x);
                GEOSGeom_destroy_r(h, cell);
            }
            GEOSGeom_destroy_r(h, zg);
        }
        double e = fabs(sum - total) / total;
        if (e > worst_tile)
            worst_tile = e;
        free(st);
        free(band);
        sp_zone_cells_free(&c);
        sp_cover_ws_free(&ws);
        sp_geom_free(&p);
        sp_grid_clear(&g);
    }
    CHECK(worst < 1e-12);
    CHECK(worst_tile < 1e-12);
    printf("zonal: worst cell weight error vs GEOS %.3g, worst tiling error %.3g\n", worst,
           worst_tile);
}

/* majority by hand: the 2x2 square over the 3x3 grid weighs corners 1/4, edges 1/2 and
 * the centre 1. Classes 1 1 2 / 2 2 3 / 3 3 3: class 1 has 0.25 + 0.5 = 0.75, class 2
 * 0.25 + 0.5 + 1 = 1.75, class 3 0.5 + 0.25 + 0.5 + 0.25 = 1.5 -> 2. */
static void test_majority(sp_ctx *ctx)
{
    sp_grid g = {0};
    sp_grid_from_res(ctx, &g, 0, 0, 3, 3, 1, 1, false);
    double band[9] = {1, 1, 2, 2, 2, 3, 3, 3, 3}, out[2], scratch[18];
    sp_stat *st;
    int n;
    CHECK(sp_stats_parse(ctx, "majority,mean", &st, &n) == SP_OK && n == 2);
    sp_geom p = {0};
    sp_cover_ws ws = {0};
    sp_zone_cells c = {0};
    box(ctx, &p, 0.5, 0.5, 2.5, 2.5);
    CHECK(sp_zonal_cells(ctx, &g, &p, SP_METHOD_EXACT, &ws, &c) == SP_OK);
    sp_zonal_stats(&c, band, false, 0, 21, st, n, out, scratch);
    CHECK(out[0] == 2);
    /* 1 1 3 / 1 2 3 / 3 3 9: 1 has 1.25, 2 has 1, 3 has 1.5, 9 has 0.25 -> 3 */
    double b2[9] = {1, 1, 3, 1, 2, 3, 3, 3, 9};
    sp_zonal_stats(&c, b2, false, 0, 26, st, n, out, scratch);
    CHECK(out[0] == 3);
    double b3[9] = {1, 1, 3, 3, 1, 1, 3, 3, 9}; /* 1: .25+.5+1+.5 = 2.25; 3: .25+.5+.25+.5 = 1.5 */
    sp_zonal_stats(&c, b3, false, 0, 25, st, n, out, scratch);
    CHECK(out[0] == 1);
    double b4[9] = {1, 3, 5, 3, 5, 1, 5, 1, 3}; /* 1: .25+.5+.5 = 1.25; 3: .5+.5+.25 = 1.25; 5: .25+1+.25 = 1.5 */
    sp_zonal_stats(&c, b4, false, 0, 27, st, n, out, scratch);
    CHECK(out[0] == 5);
    double b5[9] = {1, 3, 9, 3, 7, 1, 9, 1, 3}; /* 1: 1.25, 3: 1.25, 7: 1, 9: .5 -> tie: 1 */
    sp_zonal_stats(&c, b5, false, 0, 37, st, n, out, scratch);
    CHECK(out[0] == 1);
    free(st);
    sp_zone_cells_free(&c);
    sp_cover_ws_free(&ws);
    sp_geom_free(&p);
    sp_grid_clear(&g);
}

/* The statistics table: complete; a missing piece is named. The run-sum fast path gives
 * what cell-by-cell adds give (NaN and nodata left out), checked on a hand-made run. */
static void test_stat_table(sp_ctx *ctx)
{
    CHECK(sp_zonal_check_stats(ctx, NULL) == SP_OK);
    sp_stat_desc d[SP_NSTATS];
    const sp_stat_desc *t[SP_NSTATS];
    for (int k = 0; k < SP_NSTATS; k++)
        d[k] = *SP_STATS[k], t[k] = &d[k];
    CHECK(sp_zonal_check_stats(ctx, t) == SP_OK);
    d[SP_ST_STDEV].finish = NULL;
    CHECK(sp_zonal_check_stats(ctx, t) == SP_ERR_INTERNAL);
    CHECK_HAS(sp_ctx_message(ctx), "statistic 8 lacks its finish");
    for (int k = 0; k < SP_NSTATS; k++) { /* every statistic parses its own name */
        sp_stat s = {0};
        char w[24];
        snprintf(w, sizeof w, "%.*s", (int)strcspn(SP_STATS[k]->names, ","), SP_STATS[k]->names);
        CHECK(SP_STATS[k]->parse(w, &s) && s.kind == (sp_stat_kind)k);
    }
    const double p[] = {3, NAN, -9999, 1.5, 7, -2};
    sp_zonal_acc a, b;
    sp_zonal_acc_init(&a);
    sp_zonal_acc_init(&b);
    sp_zonal_acc_add_run(&a, p, 6, 0.25, true, -9999);
    for (int j = 0; j < 6; j++)
        if (!isnan(p[j]) && p[j] != -9999)
            sp_zonal_acc_add(&b, p[j], 0.25, false);
    /* by hand: 4 valid cells of weight 0.25, sum 9.5 */
    CHECK(a.nv == 4 && b.nv == 4 && a.W == 1 && b.W == 1);
    CHECK(a.S == 0.25 * 9.5 && b.S == a.S && a.mn == -2 && a.mx == 7 && b.mn == a.mn);
    sp_zonal_acc_add_run(&a, p, 6, 0, true, -9999); /* weight 0: nothing */
    CHECK(a.nv == 4 && a.W == 1);
    /* the vector mode's statistics from a sum alone: 12 t over 4 km2, total 48 t */
    sp_stat *st;
    int n;
    CHECK(sp_stats_parse(ctx, "sum,area_km2,density,share", &st, &n) == SP_OK && n == 4);
    sp_zonal_acc v;
    sp_zonal_acc_init(&v);
    v.S = 12;
    double out[4];
    sp_zonal_acc_finish(&v, 4e6, 48, st, n, out, NULL);
    CHECK(out[0] == 12 && out[1] == 4 && out[2] == 3 && out[3] == 25);
    for (int k = 0; k < n; k++)
        CHECK(SP_STATS[st[k].kind]->needs & SP_NEED_VECTOR);
    free(st);
    CHECK(sp_stats_parse(ctx, "mean,q90", &st, &n) == SP_OK);
    CHECK(!(sp_zonal_needs(st, n) & SP_NEED_VECTOR) || !(SP_STATS[st[0].kind]->needs & SP_NEED_VECTOR));
    CHECK(sp_zonal_needs(st, n) & SP_NEED_PAIRS);
    free(st);
}

int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    test_majority(ctx);
    test_parse(ctx);
    test_stat_table(ctx);
    test_3x3(ctx);
    test_tiling(ctx);
    sp_ctx_free(ctx);
    return check_done();
}
