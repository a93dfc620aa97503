/* sp-tiles: web map tiles (XYZ, MBTiles, TileJSON, legend, Leaflet preview) of an
 * emission grid with street boundaries and score choropleths drawn over it. Parses
 * Its flag table, one call (sp_tiles_run), what was made printed. */
#include "cli/sp_cli.h"
#include "tiles/sp_tiles_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const sp_tool_desc TOOL = {
    .synopsis = "[options] [RASTER] OUT",
    .about =
        "Renders a single-band raster (any CRS, reprojected through PROJ) with a colour\n"
        "style, and polygon overlays above it, into 256 px WebMercatorQuad tiles (EPSG:3857)\n"
        "or Tianditu's CGCS2000 lon/lat tiles (EPSG:4490, -tiling cgcs2000), or Baidu's own\n"
        "tiles (-t_coord bd09).\n"
        "OUT is a folder: {z}/{x}/{y}.png (XYZ), tiles.mbtiles (MBTiles 1.3) and/or\n"
        "tiles.pmtiles (PMTiles v3) as -of asks, tiles.json (TileJSON 3.0.0), legend.svg and\n"
        "index.html (a Leaflet preview that works from disk). OUT ending in .mbtiles or\n"
        ".pmtiles: that one file only. An existing OUT is\n"
        "replaced as a whole when the run succeeds, and only if it is empty or onemap wrote it\n"
        "(it holds .onemap-output): never '.', '..', '/', your own folder or one with an input.\n",
    .notes =
        "Tiles are 8-bit palette PNGs with transparency when they have at most 256 colours\n"
        "(raster tiles always do), RGBA otherwise; the same inputs give the same bytes.\n",
    .examples =
        "sp-tiles -style styles/pm25_density.txt -z 10-15 -outline streets.shp pm25_km2.tif tiles_pm25\n"
        "sp-tiles -style nox_density -of xyz,mbtiles,pmtiles nox_km2.tif tiles_nox\n"
        "sp-tiles -style nox_density -values -z 10-15 nox_km2.tif tiles_nox   # + values.js\n"
        "sp-tiles -style nox_density nox_km2.tif nox.pmtiles\n"
        "sp-tiles -style nox_density -tiling cgcs2000 -z 10-16 nox_km2.tif tiles_nox_tianditu\n"
        "sp-tiles -style nox_density -t_coord bd09 -z 10-16 nox_km2.tif tiles_nox_baidu\n"
        "sp-tiles -fill score.gpkg -fill_field score -fill_style styles/score.txt -z 11-14 "
        "tiles_score",
    .npos_min = 1,
    .npos_max = 2,
    .pos_error = "need [RASTER] OUT",
};

static int opt_resample(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    if (!sp_resample_parse(v[0], user))
        return sp_cli_usage(c, "-r: '%s' is not near, bilinear or average", v[0]);
    return 0;
}

static int opt_zooms(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    sp_tiles_options *t = user;
    int n1, n2, used = 0;
    if (sscanf(v[0], "%d-%d%n", &n1, &n2, &used) == 2 && !v[0][used] && n1 >= 0 && n2 >= n1) {
        t->minz = n1;
        t->maxz = n2;
    } else if (sp_cli_int(v[0], &n1) && n1 >= 0) {
        t->minz = t->maxz = n1;
    } else {
        return sp_cli_usage(c, "-z: '%s' is not MIN-MAX or N (e.g. 10-16)", v[0]);
    }
    return 0;
}

/* "xyz, mbtiles, pmtiles": the sinks' names, from the table */
static const char *sink_names(void)
{
    static char buf[256];
    buf[0] = 0;
    for (int k = 0; k < SP_NSINKS; k++) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s", k ? ", " : "", SP_TILES_SINKS[k]->name);
    }
    return buf;
}

/* -of FORMAT[,FORMAT...]: the tile sinks by name ("both" = xyz,mbtiles) */
static int opt_format(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    sp_tiles_options *t = user;
    t->sinks = 0;
    char **l = sp_cli_keep(c, sp_cli_split(v[0]));
    for (int k = 0; l && l[k]; k++) {
        int s = sp_tiles_sink_by_name(l[k]);
        if (s >= 0)
            t->sinks |= 1u << s;
        else if (!strcasecmp(l[k], "both"))
            t->sinks |= 1u << SP_SINK_XYZ | 1u << SP_SINK_MBTILES;
        else
            return sp_cli_usage(c, "-of: '%s' is not %s or both", l[k], sink_names());
    }
    if (!t->sinks)
        return sp_cli_usage(c, "-of: give one or more of %s", sink_names());
    return 0;
}

/* -t_coord and -tiling both name the one target grid (sp_tiles_grid): each is kept as
 * given, then combined (grid_of) so that a contradiction is named with both flags */
typedef struct {
    int coord;  /* sp_coord_kind, -1: not given */
    int tiling; /* sp_tiling, -1: not given */
} grid_flags;

static int opt_tcoord(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    sp_coord_kind k;
    if (!sp_coord_parse(v[0], &k))
        return sp_cli_usage(c, "-t_coord: '%s' is not wgs84, gcj02 or bd09", v[0]);
    ((grid_flags *)user)->coord = (int)k;
    return 0;
}

static int opt_tiling(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    sp_tiling t;
    if (!sp_tiling_parse(v[0], &t))
        return sp_cli_usage(c, "-tiling: '%s' is not webmercator, cgcs2000 or bd09", v[0]);
    ((grid_flags *)user)->tiling = (int)t;
    return 0;
}

/* The target grid of -t_coord and -tiling; a usage error (nonzero) when they contradict. */
static int grid_of(sp_cli *c, const grid_flags *g, sp_tiles_grid *out)
{
    bool gcj = g->coord == SP_COORD_GCJ02, bd = g->coord == SP_COORD_BD09;
    if (gcj && g->tiling == SP_TILING_CGCS2000)
        return sp_cli_usage(c, "-t_coord gcj02 is for Web Mercator base maps (Amap, Tencent); "
                            "Tianditu's CGCS2000 grid is not shifted");
    if (gcj && g->tiling == SP_TILING_BD09)
        return sp_cli_usage(c, "-t_coord gcj02 is for Web Mercator base maps (Amap, Tencent): "
                            "not with Baidu's grid");
    if (bd && g->tiling == SP_TILING_CGCS2000)
        return sp_cli_usage(c, "-t_coord bd09 makes Baidu's own tiles: not with -tiling cgcs2000");
    *out = bd || g->tiling == SP_TILING_BD09 ? SP_GRID_BD09
           : g->tiling == SP_TILING_CGCS2000 ? SP_GRID_CGCS2000
           : gcj                             ? SP_GRID_GCJ02
                                             : SP_GRID_WEBMERCATOR;
    return 0;
}

static void print_report(const sp_tiles_options *o, const sp_tiles_report *rep, const char *dst)
{
    printf("zooms %d-%d, bounds %.6f,%.6f,%.6f,%.6f\n", rep->minz, rep->maxz, rep->west,
           rep->south, rep->east, rep->north);
    printf("tiles: %lld in the pyramid, %lld written (%lld empty%s), %lld palette PNG, "
           "%.1f MB\n", rep->tiles, rep->written, rep->empty, o->skip_empty ? ", skipped" : "",
           rep->palette, rep->bytes / 1e6);
    if (rep->reduced_from >= 0)
        printf("zooms %d-%d made from their children (2x2 average; -direct: from the raster)\n",
               rep->reduced_from, rep->maxz - 1);
    if (rep->values_w)
        printf("values: values.js, a %d x %d lon/lat grid\n", rep->values_w, rep->values_h);
    if (rep->cell_index_bytes)
        printf("zoomed in past the cells: each cell coloured once (%.1f MB)\n",
               rep->cell_index_bytes / 1e6);
    for (int k = 0; k < SP_NSINKS; k++)
        if (o->sinks & 1u << k && SP_TILES_SINKS[k]->suffix) { /* a file sink knows them */
            printf("%s: %lld distinct images\n", SP_TILES_SINKS[k]->label, rep->unique);
            break;
        }
    if (rep->preview)
        printf("preview: open %s/index.html in a browser\n", dst);
}

/* OUT<suffix> (OUT.mbtiles, OUT.pmtiles): that one file (a -of naming another format is
 * an error, returned as nonzero after the usage message). */
static int single_file(sp_cli *cli, const char *dst, bool of_given, sp_tiles_options *o)
{
    int k = sp_tiles_sink_by_suffix(dst);
    if (k < 0)
        return 0;
    if (of_given && o->sinks != 1u << k)
        return sp_cli_usage(cli, "'%s' is one %s file: -of names another format", dst,
                            SP_TILES_SINKS[k]->label);
    o->sinks = 1u << k;
    return 0;
}

/* The run with the parsed options: one library call. Returns the exit code. */
static int run(sp_cli *cli, const char *dst, sp_tiles_options *o)
{
    int rc = 0;
    o->max_mem = cli->max_mem;
    o->progress = sp_cli_progress;
    o->progress_user = cli;
    sp_ctx *ctx = sp_ctx_new();
    sp_tiles_report rep;
    if (!ctx || sp_tiles_run(ctx, dst, o, &rep)) {
        rc = ctx ? sp_cli_fail(cli, ctx) : 1;
    } else {
        sp_cli_warnings(cli, ctx);
        if (!cli->quiet)
            print_report(o, &rep, dst);
    }
    sp_ctx_free(ctx);
    return rc;
}

/* -j, -zlevel, -shard and -from_parts: how the run goes (o an sp_tiles_options) */
#define RUN_OPTS(o)                                                                        \
    SP_OPT(SP_OPT_INT, "-j", "N", &(o).threads, "threads (default 2)", .min = 1, .max = 64), \
    SP_OPT(SP_OPT_INT, "-zlevel", "N", &(o).level, "PNG DEFLATE level 0-9 (default 1)",      \
           .min = 0, .max = 9),                                                             \
    SP_SECTION("Sharding:"), SP_SHARD_OPT((o).part),                                        \
    SP_OPT(SP_OPT_STRS, "-from_parts", "PART.sqlite", &(o).from_parts,                        \
           "make the tile set from the parts of a sharded run with these\n"                  \
           "options instead of drawing it (repeatable; sp-merge runs this)")

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-tiles");
    sp_tiles_options o;
    sp_tiles_options_init(&o);
    bool of_given = false;
    grid_flags gf = {-1, -1}; /* -t_coord, -tiling: combined into o.grid after parsing */
    const sp_opt opts[] = {
        SP_SECTION("Raster:"),
        SP_OPT(SP_OPT_STR, "-style", "FILE|NAME",  &o.style,
               "colours of the raster: GDAL color-relief format (value R G B [A],\n"
               "nv, N%; '# mode: exact|nearest' for classes); a NAME is one of\n"
               "onemap's styles (nox_density, pm25_conc, no2_conc, score...); its\n"
               "'# unit:' must be the band's"),
        SP_OPT(SP_OPT_INT, "-b", "N", &o.band, "band (default 1)", .min = 1, .max = 65535),
        SP_OPT(SP_OPT_CALL, "-r", "near|bilinear|average", NULL,
               "resampling (default average, as gdal2tiles)", .fn = opt_resample,
               .user = &o.resample),
        SP_OPT(SP_OPT_CALL, "-z", "MIN-MAX|N", NULL,
               "zooms (default: from the raster resolution, as gdal2tiles)", .fn = opt_zooms,
               .user = &o),
        SP_OPT(SP_OPT_STR, "-qml", "FILE.qml", &o.qml,
               "also the raster's style for QGIS: name it like the GeoTIFF\n"
               "(conc.qml beside conc.tif) and QGIS opens it styled"),
        SP_OPT(SP_OPT_SWITCH, "-values", NULL, &o.values,
               "also write values.js: the raster's values on a lon/lat grid as\n"
               "fine as its cells (at most 2^20 cells), so that the one map\n"
               "(sp-onemap) shows the number under the cursor"),
        SP_OPT(SP_OPT_SWITCH, "-direct", NULL, &o.direct,
               "draw every zoom from the raster (slower). Default, with average\n"
               "over a colour ramp: the zooms below the maximum (up to 5) are made\n"
               "from their four children, 2x2 averaged along the ramp, as\n"
               "gdal2tiles makes its lower zooms (opaque where a pixel touches an\n"
               "opaque cell, as with -direct and GDAL's warp)"),
        SP_SECTION("Overlays:"),
        SP_OPT(SP_OPT_STR, "-outline", "FILE", &o.outline,
               "polygons drawn as anti-aliased outlines (e.g. streets)"),
        SP_OPT(SP_OPT_STR, "-outline_style", "FILE|NAME", &o.outline_style,
               "'width PX' and 'color R G B [A]' (a file, or boundaries)"),
        SP_OPT(SP_OPT_STR, "-fill", "FILE", &o.fill,
               "polygons filled by an attribute (a choropleth, e.g.\n"
               "sp-score's score), under the outlines"),
        SP_OPT(SP_OPT_STR, "-fill_field", "FIELD", &o.fill_field, "the attribute of -fill"),
        SP_OPT(SP_OPT_STR, "-fill_style", "FILE|NAME", &o.fill_style,
               "the colours of -fill (a file, or score, selected)"),
        SP_SECTION("Output:"),
        SP_OPT(SP_OPT_CALL, "-of", "LIST", NULL,
               "any of xyz, mbtiles, pmtiles, comma-separated (default xyz;\n"
               "both = xyz,mbtiles); OUT.mbtiles or OUT.pmtiles: that file only",
               .fn = opt_format, .user = &o, .seen = &of_given),
        SP_OPT(SP_OPT_CALL, "-t_coord", "wgs84|gcj02|bd09", NULL,
               "the base map's coordinates: gcj02 for Amap/Tencent (each WGS84\n"
               "position drawn where they show it, ~500 m off in Beijing);\n"
               "bd09 for Baidu: its own Mercator and tile numbers ({z}/{x}/{y}.png,\n"
               "y northward from the equator; XYZ tree only); default wgs84\n"
               "(OSM, Tianditu's Web Mercator)", .fn = opt_tcoord, .user = &gf),
        SP_OPT(SP_OPT_CALL, "-tiling", "webmercator|cgcs2000|bd09", NULL,
               "the tile grid: webmercator (EPSG:3857, default), cgcs2000:\n"
               "Tianditu's lon/lat grid (EPSG:4490, matrix set 'c', levels\n"
               "from 1; XYZ tree only), or bd09 (as -t_coord bd09)", .fn = opt_tiling,
               .user = &gf),
        SP_OPT(SP_OPT_SWITCH, "-x", NULL, &o.skip_empty,
               "skip fully transparent tiles (default: every tile of the\n"
               "pyramid over the data's extent is written, even if empty)"),
        SP_OPT(SP_OPT_STR, "-name", "TEXT", &o.name, "name (MBTiles, TileJSON, page)"),
        SP_OPT(SP_OPT_STR, "-description", "TEXT", &o.description, "description, likewise"),
        SP_OPT(SP_OPT_STR, "-attribution", "TEXT", &o.attribution, "attribution, likewise"),
        SP_OPT(SP_OPT_STR, "-url", "PREFIX", &o.url,
               "tile URL prefix in tiles.json and WMTSCapabilities.xml, e.g. a\n"
               "server's https://host/tiles/nox (default: the folder's absolute\n"
               "file:// address, which GDAL and QGIS read in place; with -of\n"
               "mbtiles, tiles.json is written only when -url is given)"),
        SP_OPT(SP_OPT_STR, "-leaflet", "DIR", &o.leaflet,
               "folder with leaflet.js and leaflet.css (default: $ONEMAP_LEAFLET,\n"
               "else the installed copy; none: no page)"),
        RUN_OPTS(o),
    };
    const char *pos[2];
    int rc = sp_cli_parse(&cli, &TOOL, opts, sizeof opts / sizeof *opts, argc, argv, pos);
    if (rc) {
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    const char *dst = pos[1] ? pos[1] : pos[0];
    o.raster = pos[1] ? pos[0] : NULL;
    sp_cli_run_args(&cli, argc, argv, dst, &o.part);
    if (grid_of(&cli, &gf, &o.grid) || single_file(&cli, dst, of_given, &o)) {
        sp_cli_free(&cli);
        return 2;
    }
    rc = run(&cli, dst, &o);
    sp_cli_free(&cli);
    return rc;
}
