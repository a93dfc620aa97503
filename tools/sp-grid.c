/* sp-grid: grid point, line and polygon inventories onto a raster without losing
 * mass. Parses arguments, runs sp_gridding_run, writes the GeoTIFF, prints the mass
 * balance. */
#include "sp_cli.h"
#include "sp_gridding.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
    "Usage: sp-grid [options] SRC DST.tif\n"
    "\n"
    "Grids the numeric fields of a point, line or polygon layer (any OGR source) onto a\n"
    "raster, conserving mass: a point's value goes to the cell that contains it, a line's\n"
    "is split by its exact length in each cell, a polygon's by its exact area in each\n"
    "cell. Per band, sum(grid) + outside == sum(input); the balance is printed.\n"
    "\n"
    "Grid:\n"
    "  -tr XRES YRES         cell size (in target CRS units, metres)\n"
    "  -te XMIN YMIN XMAX YMAX  extent (default: the data's, snapped to -tr)\n"
    "  -tap                  align the extent to multiples of -tr\n"
    "  -ts NCOLS NROWS       grid size instead of -tr\n"
    "  -like TEMPLATE        take grid and CRS from a raster\n"
    "  -t_srs CRS            target CRS (geographic input without -t_srs: the UTM zone of\n"
    "                        the data's centre is chosen and named in a warning)\n"
    "  -s_srs CRS            override the source CRS\n"
    "  -s_coord gcj02|bd09   input lon/lat are Chinese web-map coordinates: undo first\n"
    "Input:\n"
    "  -l LAYER              layer to read (repeatable; default all layers)\n"
    "  -where EXPR           attribute filter    -sql STATEMENT   SQL instead of layers\n"
    "  -a FIELD[,FIELD...]   fields to grid, one band each (default: feature count)\n"
    "  -enc ENCODING         shapefile .dbf encoding when there is no .cpg (e.g. GBK)\n"
    "  -makevalid            repair invalid polygons (GEOS MakeValid) instead of refusing\n"
    "  -null_zero            treat null values as 0 (default: error)\n"
    "  -allow_negative       accept negative values (default: error)\n"
    "Output:\n"
    "  -of GTiff|COG         format (default GTiff, tiled 256x256, ZSTD level 1;\n"
    "                        -co COMPRESS=DEFLATE for readers without ZSTD)\n"
    "  -co NAME=VALUE        creation option (repeatable)\n"
    "  -ot Float64|Float32   cell type (default Float64)\n"
    "  -units UNIT           unit written in band metadata (default t/yr)\n"
    "  -density              write per-km2 values instead of per-cell mass\n"
    "  -outside_error        fail if mass falls outside the grid (more than rounding:\n"
    "                        1e-12 of the band's input)\n"
    "  -max_mem SIZE         refuse grids needing more memory (default 4G)\n"
    "  -j N                  readers (default: 2 when there are 2 CPUs; a single\n"
    "                        GeoPackage layer of 20,000+ features without -where is read\n"
    "                        in two halves at once). The grid is the same to the bit\n"
    "  -q                    quiet: no progress, no balance\n"
    "  --config KEY VALUE    GDAL configuration option\n"
    "  --help, --version\n"
    "\n"
    "Edges: cells are half-open; a point or a line lying exactly on a cell edge goes to\n"
    "the cell east of a vertical edge and south of a horizontal edge (GDAL's pixel\n"
    "convention), so it is counted once. Multi-points split their value equally between\n"
    "their points; zero-length lines and zero-area polygons count as a point at their\n"
    "first vertex. Exit codes: 0 ok, 1 failure, 2 usage error.\n";

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-grid", USAGE);
    sp_grid_spec spec = {0};
    sp_vector_options vo;
    sp_vector_options_init(&vo);
    vo.auto_utm = true;
    sp_gridding_options go;
    sp_gridding_options_init(&go);
    sp_raster_write_options wo;
    sp_raster_write_options_init(&wo);
    char **fields = NULL, **co = NULL;
    const char *pos[2] = {NULL, NULL}; /* SRC DST */
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = sp_cli_common(&cli, argc, argv, &i);
        if (c == 1)
            continue;
        if (c == 0)
            c = sp_cli_vector_option(&cli, argc, argv, &i, &vo);
        if (c == 1)
            continue;
        if (c > 1) {
            rc = c == 3 ? 0 : 2;
            goto out;
        }
#define NEED(n)                                                                        \
    if (!sp_cli_has(&cli, argc, argv, i, n)) {                                         \
        rc = 2;                                                                        \
        goto out;                                                                      \
    }
#define NUM(s, dst)                                                                    \
    if (!sp_cli_double(s, dst)) {                                                      \
        rc = sp_cli_usage(&cli, "%s: '%s' is not a number", a, s);                     \
        goto out;                                                                      \
    }
        if (!strcmp(a, "-tr")) {
            NEED(2);
            NUM(argv[i + 1], &spec.tr[0]);
            NUM(argv[i + 2], &spec.tr[1]);
            spec.has_tr = true;
            i += 2;
        } else if (!strcmp(a, "-te")) {
            NEED(4);
            for (int k = 0; k < 4; k++)
                NUM(argv[i + 1 + k], &spec.te[k]);
            spec.has_te = true;
            i += 4;
        } else if (!strcmp(a, "-ts")) {
            NEED(2);
            if (!sp_cli_int(argv[i + 1], &spec.ts[0]) || !sp_cli_int(argv[i + 2], &spec.ts[1])) {
                rc = sp_cli_usage(&cli, "-ts: need two whole numbers");
                goto out;
            }
            spec.has_ts = true;
            i += 2;
        } else if (!strcmp(a, "-tap")) {
            spec.tap = true;
        } else if (!strcmp(a, "-like")) {
            NEED(1);
            spec.like = argv[++i];
        } else if (!strcmp(a, "-a")) {
            NEED(1);
            sp_cli_free_list(fields);
            fields = sp_cli_split(argv[++i]);
            if (sp_cli_list_len(fields) == 0) {
                rc = sp_cli_usage(&cli, "-a: no field names given");
                goto out;
            }
        } else if (!strcmp(a, "-null_zero")) {
            go.null_is_zero = true;
        } else if (!strcmp(a, "-allow_negative")) {
            go.allow_negative = true;
        } else if (!strcmp(a, "-of")) {
            NEED(1);
            wo.format = argv[++i];
        } else if (!strcmp(a, "-co")) {
            NEED(1);
            co = CSLAddString(co, argv[++i]);
        } else if (!strcmp(a, "-ot")) {
            NEED(1);
            i++;
            if (!strcasecmp(argv[i], "Float32"))
                wo.float32 = true;
            else if (strcasecmp(argv[i], "Float64")) {
                rc = sp_cli_usage(&cli, "-ot: '%s' is not Float32 or Float64", argv[i]);
                goto out;
            }
        } else if (!strcmp(a, "-units")) {
            NEED(1);
            go.units = argv[++i];
        } else if (!strcmp(a, "-density")) {
            go.density = true;
        } else if (!strcmp(a, "-outside_error")) {
            go.outside_is_error = true;
        } else if (!strcmp(a, "-j")) {
            NEED(1);
            if (!sp_cli_int(argv[++i], &go.threads) || go.threads < 1 || go.threads > 64) {
                rc = sp_cli_usage(&cli, "-j: '%s' is not a number of threads (1-64)", argv[i]);
                goto out;
            }
        } else if ((rc = sp_cli_positional(&cli, a, pos, 2))) {
            goto out;
        }
    }
    const char *src = pos[0], *dst = pos[1];
    if (!src || !dst) {
        rc = sp_cli_usage(&cli, "need SRC and DST");
        goto out;
    }
    go.fields = fields;
    wo.co = co;
    go.progress = sp_cli_progress;
    go.progress_user = &cli;

    sp_ctx *ctx = sp_ctx_new();
    if (!ctx) {
        fprintf(stderr, "sp-grid: error: out of memory\n");
        rc = 1;
        goto out;
    }
    sp_vector *v = NULL;
    sp_raster *r = NULL;
    sp_grid g = {0};
    sp_gridding_report rep = {0};
    int nb = fields ? CSLCount(fields) : 1;
    if (sp_vector_open(ctx, src, &vo, &v) || sp_gridding_grid(ctx, v, &spec, &g) ||
        sp_grid_check_size(ctx, &g, nb, 8, cli.max_mem) || !(r = sp_raster_new(ctx, &g, nb)) ||
        sp_gridding_run(ctx, v, r, &go, &rep)) {
        rc = sp_cli_fail(&cli, ctx);
        goto done;
    }
    if (sp_raster_write(ctx, r, dst, &wo)) {
        rc = sp_cli_fail(&cli, ctx);
        goto done;
    }
    sp_cli_warnings(&cli, ctx);
    if (rep.empty)
        fprintf(stderr, "sp-grid: warning: %lld feature(s) without geometry: their values are "
                        "counted as outside\n", rep.empty);
    if (rep.degenerate)
        fprintf(stderr, "sp-grid: warning: %lld zero-length line(s) or zero-area polygon(s) "
                        "placed as points\n", rep.degenerate);
    if (!cli.quiet) {
        printf("grid: %d x %d cells of %g x %g, extent %.17g %.17g %.17g %.17g\n", g.ncols,
               g.nrows, g.dx, g.dy, g.xmin, g.ymin, g.xmax, g.ymax);
        printf("features: %lld\n", rep.features);
        printf("%-16s %22s %22s %22s\n", "band", "input", "gridded", "outside");
        for (int b = 0; b < nb; b++)
            printf("%-16s %22.10f %22.10f %22.10f\n", r->name[b], rep.input[b], rep.gridded[b],
                   rep.outside[b]);
    }
done:
    sp_gridding_report_free(&rep);
    sp_raster_free(r);
    sp_grid_clear(&g);
    sp_vector_close(v);
    sp_ctx_free(ctx);
out:
    sp_cli_free(&cli);
    sp_cli_free_list(fields);
    CSLDestroy(co);
    return rc;
}
