/* sp-convert: copy features between OGR formats, reprojecting and undoing the GCJ-02 /
 * BD-09 offsets of Chinese web-map coordinates. Argument parsing only. */
#include "sp_cli.h"
#include "sp_convert.h"

#include <cpl_string.h>
#include <stdio.h>
#include <string.h>

static const char *USAGE =
    "Usage: sp-convert [options] SRC DST\n"
    "\n"
    "Copies the features of any OGR source to DST (format from its extension: .gpkg,\n"
    ".shp, .geojson, .csv, .fgb, .kml; or -of), keeping every field. Source first, as in\n"
    "ogr2ogr's reading order but with SRC before DST.\n"
    "\n"
    "  -t_srs CRS            reproject to CRS (default: keep the source CRS)\n"
    "  -s_srs CRS            override the source CRS\n"
    "  -s_coord gcj02|bd09   the source lon/lat are GCJ-02 (Amap, Tencent) or BD-09\n"
    "                        (Baidu) coordinates: convert them to WGS84 first, with an\n"
    "                        iterative inverse accurate to well under 1 cm\n"
    "  -l LAYER              layer to copy (repeatable; default all)\n"
    "  -where EXPR           attribute filter    -sql STATEMENT   SQL instead of layers\n"
    "  -enc ENCODING         shapefile .dbf encoding when there is no .cpg (e.g. GBK)\n"
    "  -makevalid            repair invalid polygons (GEOS MakeValid) instead of refusing\n"
    "  -of FORMAT            OGR driver name (GPKG, \"ESRI Shapefile\", GeoJSON, ...)\n"
    "  -q                    quiet\n"
    "  --config KEY VALUE    GDAL configuration option\n"
    "  --help, --version\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error. The output appears only when complete.\n";

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-convert", USAGE);
    sp_convert_options o;
    sp_convert_options_init(&o);
    const char *pos[2] = {NULL, NULL}; /* SRC DST */
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = sp_cli_common(&cli, argc, argv, &i);
        if (c == 0)
            c = sp_cli_vector_option(&cli, argc, argv, &i, &o.in);
        if (c == 1)
            continue;
        if (c > 1) {
            rc = c == 3 ? 0 : 2;
            goto out;
        }
        if (!strcmp(a, "-of") || !strcmp(a, "-f")) {
            if (!sp_cli_has(&cli, argc, argv, i, 1)) {
                rc = 2;
                goto out;
            }
            o.format = argv[++i];
        } else if ((rc = sp_cli_positional(&cli, a, pos, 2))) {
            goto out;
        }
    }
    const char *src = pos[0], *dst = pos[1];
    if (!src || !dst) {
        rc = sp_cli_usage(&cli, "need SRC and DST");
        goto out;
    }
    o.progress = sp_cli_progress;
    o.progress_user = &cli;
    sp_ctx *ctx = sp_ctx_new();
    long long n = 0;
    if (!ctx || sp_convert_run(ctx, src, dst, &o, &n)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet)
            printf("%lld feature(s) written to %s\n", n, dst);
    }
    sp_ctx_free(ctx);
out:
    sp_cli_free(&cli);
    return rc;
}
