/* sp-grid: grid point, line and polygon inventories onto a raster without losing
 * mass. Its flag table, one call (sp_gridding_file), the mass balance printed. */
#include "cli/sp_cli.h"
#include "gridding/sp_gridding_run.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void print_balance(const sp_gridding_report *rep)
{
    const sp_grid *g = &rep->grid;
    printf("grid: %d x %d cells of %g x %g, extent %.17g %.17g %.17g %.17g\n", g->ncols,
           g->nrows, g->dx, g->dy, g->xmin, g->ymin, g->xmax, g->ymax);
    printf("features: %lld\n", rep->features);
    printf("%-16s %22s %22s %22s\n", "band", "input", "gridded", "outside");
    for (int b = 0; b < rep->nbands; b++)
        printf("%-16s %22.10f %22.10f %22.10f\n", rep->names[b], rep->input[b],
               rep->gridded[b], rep->outside[b]);
}

static const sp_tool_desc TOOL = {
    .synopsis = "[options] SRC DST.tif",
    .about =
        "Grids the numeric fields of a point, line or polygon layer (any OGR source) onto a\n"
        "raster, conserving mass: a point's value goes to the cell that contains it, a line's\n"
        "is split by its exact length in each cell, a polygon's by its exact area in each\n"
        "cell. Per band, sum(grid) + outside == sum(input); the balance is printed.\n",
    .notes =
        "Edges: cells are half-open; a point or a line lying exactly on a cell edge goes to\n"
        "the cell east of a vertical edge and south of a horizontal edge (GDAL's pixel\n"
        "convention), so it is counted once. Multi-points split their value equally between\n"
        "their points; zero-length lines and zero-area polygons count as a point at their\n"
        "first vertex.\n",
    .examples =
        "sp-grid -tr 100 100 -t_srs EPSG:32650 -a nox,pm25 -l road inventory.gpkg road.tif\n"
        "sp-grid -like road.tif -a stoves -enc GBK restaurants.shp stoves.tif\n"
        "sp-grid -tr 1000 1000 -tap -density -a pm25 -where \"pm25 > 0\" inv.gpkg pm25_km2.tif\n"
        "sp-grid -tr 10 10 -a nox -shard $SLURM_ARRAY_TASK_ID/4 inv.gpkg part$SLURM_ARRAY_TASK_ID.tif",
    .npos_min = 2,
    .npos_max = 2,
    .pos_error = "need SRC and DST",
};

/* -ot Float32|Float64 */
static int opt_ot(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    sp_raster_write_options *wo = user;
    if (!strcasecmp(v[0], "Float32"))
        wo->float32 = true;
    else if (!strcasecmp(v[0], "Float64"))
        wo->float32 = false;
    else
        return sp_cli_usage(c, "-ot: '%s' is not Float32 or Float64", v[0]);
    return 0;
}

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-grid");
    sp_gridding_spec spec = {0};
    sp_vector_options vo;
    sp_vector_options_init(&vo);
    vo.auto_utm = true;
    sp_gridding_options go;
    sp_gridding_options_init(&go);
    sp_raster_write_options wo;
    sp_raster_write_options_init(&wo);
    char **co = NULL;
    const sp_opt opts[] = {
        SP_SECTION("Grid:"),
        SP_OPT(SP_OPT_DOUBLE, "-tr", "XRES YRES", spec.tr, "cell size (in target CRS units, metres)",
         .seen = &spec.has_tr),
        SP_OPT(SP_OPT_DOUBLE, "-te", "XMIN YMIN XMAX YMAX", spec.te,
         "extent (default: the data's, snapped to -tr)", .seen = &spec.has_te),
        SP_OPT(SP_OPT_SWITCH, "-tap", NULL, &spec.tap, "align the extent to multiples of -tr"),
        SP_OPT(SP_OPT_INT, "-ts", "NCOLS NROWS", spec.ts, "grid size instead of -tr", .min = 1, .max = 1e9,
         .seen = &spec.has_ts),
        SP_OPT(SP_OPT_STR, "-like", "TEMPLATE", &spec.like, "take grid and CRS from a raster"),
        SP_OPT(SP_OPT_STR, "-t_srs", "CRS", &vo.t_srs,
         "target CRS (geographic input without -t_srs: the UTM zone of\n"
         "the data's centre is chosen and named in a warning)"),
        SP_SECTION("Values:"),
        SP_OPT(SP_OPT_LIST, "-a", "FIELD[,FIELD...]", &go.fields,
         "fields to grid, one band each (default: feature count)"),
        SP_OPT(SP_OPT_SWITCH, "-null_zero", NULL, &go.null_is_zero,
         "treat null values as 0 (default: error)"),
        SP_OPT(SP_OPT_SWITCH, "-allow_negative", NULL, &go.allow_negative,
         "accept negative values (default: error)"),
        SP_SECTION("Output:"),
        SP_OPT(SP_OPT_STR, "-of", "GTiff|COG", &wo.format,
         "format (default GTiff, tiled 256x256, ZSTD level 1;\n"
         "-co COMPRESS=DEFLATE for readers without ZSTD)"),
        SP_OPT(SP_OPT_STRS, "-co", "NAME=VALUE", &co, "creation option (repeatable)"),
        SP_OPT(SP_OPT_CALL, "-ot", "Float64|Float32", NULL, "cell type (default Float64)",
         .fn = opt_ot, .user = &wo),
        SP_OPT(SP_OPT_STR, "-units", "UNIT", &go.units, "unit written in band metadata (default: t/yr for the\n"
         "inventory's emission columns, none for other fields)"),
        SP_OPT(SP_OPT_SWITCH, "-density", NULL, &go.density,
         "write per-km2 values instead of per-cell mass"),
        SP_OPT(SP_OPT_SWITCH, "-outside_error", NULL, &go.outside_is_error,
         "fail if mass falls outside the grid (more than rounding:\n"
         "1e-12 of the band's input)"),
        SP_OPT(SP_OPT_INT, "-j", "N", &go.threads,
         "readers (default: 2 when there are 2 CPUs; a single\n"
         "GeoPackage layer of 20,000+ features without -where is read\n"
         "in two halves at once). The grid is the same to the bit", .min = 1, .max = 64),
        SP_SECTION("Sharding:"),
        SP_SHARD_OPT(go.part),
    };
    const char *pos[2];
    sp_cli_add_input(&cli, "src", &vo, NULL);
    int rc = sp_cli_parse(&cli, &TOOL, opts, sizeof opts / sizeof *opts, argc, argv, pos);
    if (rc) {
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    wo.co = co;
    sp_cli_run_args(&cli, argc, argv, pos[1], &go.part);
    go.progress = sp_cli_progress;
    go.progress_user = &cli;
    sp_ctx *ctx = sp_ctx_new();
    sp_gridding_report rep = {0};
    if (!ctx || sp_gridding_file(ctx, pos[0], pos[1], &vo, &spec, &go, &wo, cli.max_mem, &rep)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet)
            print_balance(&rep);
    }
    sp_gridding_report_free(&rep);
    sp_ctx_free(ctx);
    sp_cli_free(&cli);
    return rc;
}
