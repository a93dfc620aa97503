/* sp-convert: copy features between OGR formats, reprojecting and undoing the GCJ-02 /
 * BD-09 offsets of Chinese web-map coordinates. Its flag table and one call. */
#include "cli/sp_cli.h"
#include "convert/sp_convert.h"
#include "core/sp_secret.h"

#include <stdio.h>

static const sp_tool_desc TOOL = {
    .synopsis = "[options] SRC DST",
    .about =
        "Copies the features of any OGR source to DST (format from its extension: .gpkg,\n"
        ".shp, .geojson, .csv, .fgb, .kml; or -of), keeping every field. Source first, as in\n"
        "ogr2ogr's reading order but with SRC before DST. -s_coord gcj02|bd09 converts Amap/\n"
        "Tencent (GCJ-02) or Baidu (BD-09) lon/lat to WGS84 with an iterative inverse\n"
        "accurate to well under 1 cm. DST appears only when complete.\n",
    .examples =
        "sp-convert -s_coord gcj02 -enc GBK restaurants_amap.shp restaurants.gpkg\n"
        "sp-convert -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326 "
        "boilers.csv boilers.gpkg\n"
        "sp-convert -t_srs EPSG:32650 -where \"area_km2 > 1\" streets.shp streets_utm.gpkg",
    .npos_min = 2,
    .npos_max = 2,
    .pos_error = "need SRC and DST",
};

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-convert");
    sp_convert_options o;
    sp_convert_options_init(&o);
    const sp_opt opts[] = {
        SP_OPT(SP_OPT_STR, "-t_srs", "CRS", &o.in.t_srs,
               "reproject to CRS (default: keep the source CRS)"),
        SP_OPT(SP_OPT_STR, "-of|-f", "FORMAT", &o.format,
               "OGR driver name (GPKG, \"ESRI Shapefile\", GeoJSON, ...)"),
        SP_DEST_OPTS(o.write),
    };
    const char *pos[2];
    sp_cli_add_input(&cli, "src", &o.in, NULL);
    int rc = sp_cli_parse(&cli, &TOOL, opts, sizeof opts / sizeof *opts, argc, argv, pos);
    if (rc) {
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    o.progress = sp_cli_progress;
    o.progress_user = &cli;
    sp_ctx *ctx = sp_ctx_new();
    long long n = 0;
    if (!ctx || sp_convert_run(ctx, pos[0], pos[1], &o, &n)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    } else {
        sp_cli_warnings(&cli, ctx);
        char shown[1024]; /* a PG: output's password as *** */
        snprintf(shown, sizeof shown, "%s", pos[1]);
        sp_secret_mask(shown, sizeof shown);
        if (!cli.quiet)
            printf("%lld feature(s) written to %s\n", n, shown);
    }
    sp_ctx_free(ctx);
    sp_cli_free(&cli);
    return rc;
}
