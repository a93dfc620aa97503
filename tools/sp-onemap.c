/* sp-onemap: the one map (一张图): one page with every tile layer, the streets named and
 * clickable, the selected candidates marked. Parses its flag table, one call
 * (sp_onemap_run), what was made printed. */
#include "cli/sp_cli.h"
#include "onemap/sp_onemap.h"

#include <stdio.h>
#include <string.h>

static const sp_tool_desc TOOL = {
    .synopsis = "[options] OUT",
    .about =
        "Assembles the one map: a folder OUT with index.html, which planners open from disk\n"
        "or any static web server. The tile sets that sp-tiles wrote (XYZ trees with\n"
        "tiles.json and legend.svg) become layers to switch, each with its legend; the\n"
        "street polygons (sp-score's output) become a clickable overlay labelled with their\n"
        "names, the selected candidates outlined, each popup showing the street's row and\n"
        "the rows of the -table files joined by the street code; a search box zooms to a\n"
        "street by name or code. No request leaves the page unless -basemap is given.\n"
        "An existing OUT is replaced as a whole when the run succeeds, and only if it is\n"
        "empty or onemap wrote it.\n",
    .notes =
        "Base maps (-basemap): none by default, since the machines running the page may be\n"
        "offline. The layers are Web Mercator in WGS84: an OSM-style or Tianditu Web Mercator\n"
        "(vec_w) base map fits them as they are; Amap/Tencent base maps are drawn in GCJ-02,\n"
        "so make every layer with sp-tiles -t_coord gcj02 and give the page -t_coord gcj02:\n"
        "the streets and points (WGS84, or any CRS they carry) are then shifted to match,\n"
        "and a layer in the other grid is refused. Tianditu needs a key:\n"
        "http://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY with\n"
        "-basemap_subdomains 01234567; Amap:\n"
        "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z} with\n"
        "-basemap_subdomains 1234. A published map of China must carry its review number\n"
        "(审图号): put it in -basemap_attribution.\n",
    .examples =
        "sp-onemap -layer NOx=tiles_nox -layer PM2.5=tiles_pm25 -overlay 'score'=tiles_score "
        "-streets candidates.gpkg onemap\n"
        "sp-onemap -layer NOx=tiles_nox -streets candidates.gpkg -table 排放=streets_emis.csv "
        "-title '朝阳区 一张图' onemap\n"
        "sp-onemap -layer NOx=tiles_nox -basemap 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' "
        "-basemap_attribution '© OpenStreetMap contributors' onemap\n"
        "sp-onemap -t_coord gcj02 -layer NOx=tiles_nox_gcj02 -streets candidates.gpkg "
        "-basemap 'https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}' "
        "-basemap_subdomains 1234 onemap_amap",
    .npos_min = 1,
    .npos_max = 1,
    .pos_error = "need OUT (the folder of the page)",
};

/* -t_coord: wgs84 (the default) or gcj02; Baidu's grid is not Web Mercator, so no page. */
static int opt_tcoord(sp_cli *c, const sp_opt *opt, char **v, void *user)
{
    (void)opt;
    if (!strcmp(v[0], "gcj02") || !strcmp(v[0], "wgs84")) {
        ((sp_onemap_options *)user)->gcj02 = v[0][0] == 'g';
        return 0;
    }
    if (!strcmp(v[0], "bd09"))
        return sp_cli_usage(c, "-t_coord bd09: Baidu's grid is not Web Mercator, and the page "
                            "is; use wgs84 or gcj02");
    return sp_cli_usage(c, "-t_coord: '%s' is not wgs84 or gcj02", v[0]);
}

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-onemap");
    sp_onemap_options o;
    sp_onemap_options_init(&o);
    o.id_field = "code";
    const sp_opt opts[] = {
        SP_SECTION("Layers:"),
        SP_OPT(SP_OPT_STRS, "-layer", "NAME=DIR", &o.layers,
               "a tile set sp-tiles wrote, as a base layer (one shown at a\n"
               "time; the first at start); repeat for each"),
        SP_OPT(SP_OPT_STRS, "-overlay", "NAME=DIR", &o.overlays,
               "a tile set shown as an overlay (a check box), e.g. the score"),
        SP_OPT(SP_OPT_STR, "-scenario", "CUTS.csv=RESP.csv", &o.scenario,
               "the scenario explorer: each measure's tonnes (sp-inventory\n"
               "-marginal_out) and each street's PM2.5 cut by each (columns\n"
               "...cutNN_pm25...): a slider per measure recomputes the streets"),
        SP_OPT(SP_OPT_STRS, "-months", "NAME=DIR", &o.months,
               "twelve tile sets DIR/month01..month12 (sp-tiles of each band of\n"
               "sp-disperse -monthly) as one base layer with a month slider"),
        SP_SECTION("Streets:"),
        SP_OPT(SP_OPT_STR, "-streets", "FILE", &o.streets,
               "street polygons with their attributes (sp-score's GPKG)"),
        SP_OPT(SP_OPT_STR, "-sl", "LAYER", &o.streets_layer, "their layer (default: the first)"),
        SP_OPT(SP_OPT_STR, "-id", "FIELD", &o.id_field, "the street code (default code)"),
        SP_OPT(SP_OPT_STR, "-label", "FIELD", &o.label_field, "the street name (default: name, Name, NAME,\n"
               "名称, 街道名称, street_name or 乡镇街道, the first there)"),
        SP_OPT(SP_OPT_STR, "-select", "FIELD", &o.select_field,
               "non-zero for the selected candidates, outlined (default:\n"
               "selected, when the streets have it)"),
        SP_OPT(SP_OPT_STRS, "-table", "TITLE=FILE", &o.tables,
               "a table (CSV, GPKG...) with the -id field, shown in the popups\n"
               "under TITLE (e.g. the emissions by sector); repeat for each"),
        SP_OPT(SP_OPT_STRS, "-points", "TITLE=FILE", &o.points,
               "points shown as clickable markers with all their fields, e.g.\n"
               "the key energy units of sp-inventory -facility; repeat for each;\n"
               "a CSV of lon/lat: -oo points=X_POSSIBLE_NAMES=lon\n"
               "-oo points=Y_POSSIBLE_NAMES=lat -s_srs points=EPSG:4326"),
        SP_OPT(SP_OPT_INT, "-label_zoom", "Z", &o.label_zoom,
               "street names shown from zoom Z (default 12)", .min = 0, .max = 24),
        SP_SECTION("Page:"),
        SP_OPT(SP_OPT_STR, "-title", "TEXT", &o.title, "the page's title"),
        SP_OPT(SP_OPT_STR, "-attribution", "TEXT", &o.attribution, "the data's attribution"),
        SP_OPT(SP_OPT_STR, "-basemap", "URL", &o.basemap,
               "a base map's XYZ URL template ({z}, {x}, {y}, {s}); none by\n"
               "default (see below)"),
        SP_OPT(SP_OPT_STR, "-basemap_attribution", "TEXT", &o.basemap_attribution,
               "the base map's attribution and review number (审图号)"),
        SP_OPT(SP_OPT_STR, "-basemap_subdomains", "CHARS", &o.basemap_subdomains,
               "the values of {s} (e.g. 01234567)"),
        SP_OPT(SP_OPT_CALL, "-t_coord", "wgs84|gcj02", NULL,
               "the layers' grid: gcj02 when they were made with sp-tiles\n"
               "-t_coord gcj02 (Amap/Tencent base maps); the streets and points\n"
               "are shifted to it; default wgs84", .fn = opt_tcoord, .user = &o),
        SP_OPT(SP_OPT_STR, "-leaflet", "DIR", &o.leaflet,
               "folder with leaflet.js and leaflet.css (default: the installed\n"
               "copy)"),
    };
    /* -streets and -points take -oo, -s_srs and -s_coord like every vector input (a CSV
     * of key energy units with lon/lat; GCJ-02 coordinates from a web map) */
    sp_cli_add_input(&cli, "streets", &o.streets_in, &o.streets);
    sp_cli_add_input(&cli, "points", &o.points_in, (const char *const *)&o.points);
    const char *pos[1];
    int rc = sp_cli_parse(&cli, &TOOL, opts, sizeof opts / sizeof *opts, argc, argv, pos);
    if (rc) {
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    sp_ctx *ctx = sp_ctx_new();
    sp_onemap_report rep;
    if (!ctx || sp_onemap_run(ctx, pos[0], &o, &rep)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet) {
            printf("layers: %d base, %d overlay (%lld tiles, zooms %d-%d)\n", rep.layers,
                   rep.overlays, rep.tiles, rep.minz, rep.maxz);
            if (o.streets)
                printf("streets: %lld (%lld selected)\n", rep.streets, rep.selected);
            printf("open %s/index.html in a browser\n", pos[0]);
        }
    }
    sp_ctx_free(ctx);
    sp_cli_free(&cli);
    return rc;
}
