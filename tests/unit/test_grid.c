/* Unit tests of sp_grid: sizes, -tap snapping, data-derived extents, cell lookup on
 * edges, the memory guard's message. */
#include "check.h"
#include "core/sp_grid.h"
#include "io/sp_raster.h"
#include "io/sp_ctx_io.h"

#include <math.h>

int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    /* band totals leave nodata and NaN cells out: 1 + 2 + 4, by hand */
    const double vals[] = {1, -9999, 2, NAN, 4};
    CHECK(sp_sum_valid(vals, 5, true, -9999) == 7);
    CHECK(sp_sum_valid(vals, 5, false, 0) == -9992); /* no nodata: -9999 counts, NaN not */
    /* a shard's window, rows 3-7 of a 10-row grid of 100 m from ymax 1000: its row 0 is the
     * grid's row 3 (centre y 650 by hand), its extent y 200-700 */
    sp_grid full = {0}, win = {0};
    CHECK(sp_grid_from_res(ctx, &full, 0, 0, 500, 1000, 100, 100, false) == SP_OK);
    CHECK(sp_grid_window(ctx, &win, &full, 3, 8) == SP_OK);
    double cx, cy;
    sp_grid_cell_center(&win, 2, 0, &cx, &cy);
    CHECK(win.nrows == 5 && win.ncols == 5 && win.ymax == 700 && win.ymin == 200);
    CHECK(cx == 250 && cy == 650);
    sp_grid_clear(&full);
    sp_grid_clear(&win);
    sp_grid g = {0};
    CHECK(sp_grid_from_res(ctx, &g, 0, 0, 300, 300, 100, 100, false) == SP_OK);
    CHECK(g.ncols == 3 && g.nrows == 3);
    /* -tap snaps outward to multiples of the resolution */
    CHECK(sp_grid_from_res(ctx, &g, 1050, 2020, 1290, 2390, 100, 100, true) == SP_OK);
    CHECK_REL(g.xmin, 1000, 0);
    CHECK_REL(g.ymax, 2400, 0);
    CHECK(g.ncols == 3 && g.nrows == 4);
    CHECK_REL(g.ymin, 2000, 0);
    /* data on the upper x / lower y edge stays inside the half-open cells */
    CHECK(sp_grid_from_data(ctx, &g, 0, 0, 300, 300, 100, 100) == SP_OK);
    CHECK(g.ncols == 4 && g.nrows == 4);
    CHECK(sp_grid_col(&g, 300) == 3 && sp_grid_row(&g, 0) == 3);
    /* cells: east of a vertical edge, south of a horizontal edge */
    CHECK(sp_grid_from_res(ctx, &g, 0, 0, 3, 3, 1, 1, false) == SP_OK);
    CHECK(sp_grid_col(&g, 1.0) == 1);
    CHECK(sp_grid_row(&g, 2.0) == 1);
    CHECK(sp_grid_col(&g, -0.5) == -1);
    double x, y;
    sp_grid_cell_center(&g, 0, 0, &x, &y);
    CHECK_REL(x, 0.5, 0);
    CHECK_REL(y, 2.5, 0);
    double gt[6];
    sp_grid_geotransform(&g, gt);
    CHECK(gt[0] == 0 && gt[1] == 1 && gt[3] == 3 && gt[5] == -1);
    /* -ts */
    CHECK(sp_grid_from_size(ctx, &g, 0, 0, 10, 5, 4, 2) == SP_OK);
    CHECK_REL(g.dx, 2.5, 0);
    CHECK_REL(g.dy, 2.5, 0);
    /* bad inputs */
    CHECK(sp_grid_from_res(ctx, &g, 0, 0, 10, 10, 0, 1, false) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "resolution must be positive");
    CHECK(sp_grid_from_res(ctx, &g, 10, 0, 0, 10, 1, 1, false) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "empty grid extent");
    CHECK(sp_grid_from_res(ctx, &g, 0, 0, 1e7, 1e7, 0.001, 0.001, false) == SP_ERR_LIMIT);
    /* memory guard: 40000 x 40000 x 2 bands of float64 = 23.8 GiB */
    CHECK(sp_grid_from_res(ctx, &g, 0, 0, 4e6, 4e6, 100, 100, false) == SP_OK);
    CHECK(sp_grid_check_size(ctx, &g, 2, 8, (int64_t)4 << 30) == SP_ERR_LIMIT);
    CHECK_HAS(sp_ctx_message(ctx), "23.8 GiB");
    CHECK_HAS(sp_ctx_message(ctx), "-max_mem");
    CHECK(sp_grid_check_size(ctx, &g, 2, 8, (int64_t)32 << 30) == SP_OK);
    CHECK(sp_grid_set_crs(ctx, &g, "EPSG:32650") == SP_OK && g.wkt);
    sp_grid c;
    CHECK(sp_grid_copy(ctx, &c, &g) == SP_OK && c.wkt != g.wkt && !strcmp(c.wkt, g.wkt));
    sp_grid_clear(&c);
    sp_grid_clear(&g);
    sp_grid_clear(NULL);
    char buf[32];
    CHECK_STR(sp_format_bytes(1536, buf, sizeof buf), "1.5 KiB");
    sp_ctx_free(ctx);
    return check_done();
}
