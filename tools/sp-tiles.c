/* sp-tiles: web map tiles (XYZ, MBTiles, TileJSON, legend, Leaflet preview) of an
 * emission grid with street boundaries and score choropleths drawn over it. Parses
 * arguments, runs sp_tiles_run, prints what was made. */
#include "sp_cli.h"
#include "sp_tiles_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
    "Usage: sp-tiles [options] [RASTER] OUT\n"
    "\n"
    "Renders a single-band raster (any CRS, reprojected to EPSG:3857 through PROJ) with a\n"
    "colour style, and polygon overlays above it, into 256 px WebMercatorQuad tiles.\n"
    "OUT is a folder: {z}/{x}/{y}.png (XYZ), tiles.mbtiles (with -of mbtiles|both),\n"
    "tiles.json (TileJSON 3.0.0), legend.svg and index.html (a Leaflet preview that works\n"
    "from disk). OUT ending in .mbtiles: one MBTiles 1.3 file only. An existing OUT is\n"
    "replaced as a whole when the run succeeds, and only if it is empty or onemap wrote it\n"
    "(it holds .onemap-output): never '.', '..', '/', your own folder or one with an input.\n"
    "\n"
    "  -style FILE        colours of the raster: GDAL color-relief format (value R G B [A],\n"
    "                     nv, N%%; '# mode: exact|nearest' for classes); see styles/\n"
    "  -b N               band (default 1)\n"
    "  -r near|bilinear|average  resampling (default average, as gdal2tiles)\n"
    "  -z MIN-MAX | -z N  zooms (default: from the raster resolution, as gdal2tiles)\n"
    "  -of xyz|mbtiles|both  (default xyz)\n"
    "  -x                 skip fully transparent tiles (default: every tile of the\n"
    "                     pyramid over the data's extent is written, even if empty)\n"
    "  -outline FILE      polygons drawn as anti-aliased outlines (e.g. streets)\n"
    "  -outline_style F   'width PX' and 'color R G B [A]' (styles/boundaries.txt)\n"
    "  -fill FILE -fill_field FIELD -fill_style STYLE  polygons filled by an attribute\n"
    "                     (a choropleth, e.g. sp-score's score), under the outlines\n"
    "  -name, -description, -attribution TEXT  metadata (MBTiles, TileJSON, page)\n"
    "  -url PREFIX        tile URL prefix in tiles.json (default: relative; with -of\n"
    "                     mbtiles, tiles.json is written only when -url is given)\n"
    "  -leaflet DIR       folder with leaflet.js and leaflet.css (default: $ONEMAP_LEAFLET,\n"
    "                     else the copy fetched from npm at build time; none: no page)\n"
    "  -j N               threads (default 2)   -zlevel N  PNG DEFLATE level 0-9 (default 1)\n"
    "  -q  -max_mem SIZE  --config KEY VALUE  --help  --version\n"
    "\n"
    "Tiles are 8-bit palette PNGs with transparency when they have at most 256 colours\n"
    "(raster tiles always do), RGBA otherwise; the same inputs give the same bytes.\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error. OUT appears only when complete.\n";

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-tiles", USAGE);
    sp_tiles_options o;
    sp_tiles_options_init(&o);
    const char *pos[2] = {NULL, NULL};
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = sp_cli_common(&cli, argc, argv, &i);
        if (c == 1)
            continue;
        if (c > 1) {
            rc = c == 3 ? 0 : 2;
            goto out;
        }
        if (!strcmp(a, "-x")) {
            o.skip_empty = true;
            continue;
        }
        const char *opts[] = {"-style", "-b", "-r", "-z", "-of", "-outline", "-outline_style",
                              "-fill", "-fill_field", "-fill_style", "-name", "-description",
                              "-attribution", "-url", "-leaflet", "-j", "-zlevel", NULL};
        int k = 0;
        while (opts[k] && strcmp(opts[k], a))
            k++;
        if (opts[k] && !sp_cli_has(&cli, argc, argv, i, 1)) {
            rc = 2;
            goto out;
        }
        const char *v = opts[k] ? argv[++i] : NULL;
        if (!strcmp(a, "-style")) {
            o.style = v;
        } else if (!strcmp(a, "-b")) {
            if (!sp_cli_int(v, &o.band) || o.band < 1) {
                rc = sp_cli_usage(&cli, "-b: '%s' is not a band number", v);
                goto out;
            }
        } else if (!strcmp(a, "-r")) {
            if (!sp_resample_parse(v, &o.resample)) {
                rc = sp_cli_usage(&cli, "-r: '%s' is not near, bilinear or average", v);
                goto out;
            }
        } else if (!strcmp(a, "-z")) {
            int n1, n2, used = 0;
            if (sscanf(v, "%d-%d%n", &n1, &n2, &used) == 2 && !v[used] && n1 >= 0 && n2 >= n1) {
                o.minz = n1;
                o.maxz = n2;
            } else if (sp_cli_int(v, &n1) && n1 >= 0) {
                o.minz = o.maxz = n1;
            } else {
                rc = sp_cli_usage(&cli, "-z: '%s' is not MIN-MAX or N (e.g. 10-16)", v);
                goto out;
            }
        } else if (!strcmp(a, "-of")) {
            if (!strcasecmp(v, "xyz"))
                o.xyz = true, o.mbtiles = false;
            else if (!strcasecmp(v, "mbtiles"))
                o.xyz = false, o.mbtiles = true;
            else if (!strcasecmp(v, "both"))
                o.xyz = o.mbtiles = true;
            else {
                rc = sp_cli_usage(&cli, "-of: '%s' is not xyz, mbtiles or both", v);
                goto out;
            }
        } else if (!strcmp(a, "-outline")) {
            o.outline = v;
        } else if (!strcmp(a, "-outline_style")) {
            o.outline_style = v;
        } else if (!strcmp(a, "-fill")) {
            o.fill = v;
        } else if (!strcmp(a, "-fill_field")) {
            o.fill_field = v;
        } else if (!strcmp(a, "-fill_style")) {
            o.fill_style = v;
        } else if (!strcmp(a, "-name")) {
            o.name = v;
        } else if (!strcmp(a, "-description")) {
            o.description = v;
        } else if (!strcmp(a, "-attribution")) {
            o.attribution = v;
        } else if (!strcmp(a, "-url")) {
            o.url = v;
        } else if (!strcmp(a, "-leaflet")) {
            o.leaflet = v;
        } else if (!strcmp(a, "-j") || !strcmp(a, "-zlevel")) {
            int n;
            if (!sp_cli_int(v, &n) || n < (a[1] == 'j' ? 1 : 0) || n > (a[1] == 'j' ? 64 : 9)) {
                rc = sp_cli_usage(&cli, "%s: '%s' is out of range (%s)", a, v,
                                  a[1] == 'j' ? "1-64" : "0-9");
                goto out;
            }
            *(a[1] == 'j' ? &o.threads : &o.level) = n;
        } else if ((rc = sp_cli_positional(&cli, a, pos, 2))) {
            goto out;
        }
    }
    if (!pos[0]) {
        rc = sp_cli_usage(&cli, "need [RASTER] OUT");
        goto out;
    }
    const char *dst = pos[1] ? pos[1] : pos[0];
    o.raster = pos[1] ? pos[0] : NULL;
    if (strlen(dst) > 8 && !strcasecmp(dst + strlen(dst) - 8, ".mbtiles") && o.xyz && !o.mbtiles)
        o.xyz = false, o.mbtiles = true; /* OUT.mbtiles means MBTiles */
    o.max_mem = cli.max_mem;
    o.progress = sp_cli_progress;
    o.progress_user = &cli;
    sp_ctx *ctx = sp_ctx_new();
    sp_tiles_report rep;
    if (!ctx) {
        rc = 1;
    } else if (sp_tiles_run(ctx, dst, &o, &rep)) {
        rc = sp_cli_fail(&cli, ctx);
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet) {
            printf("zooms %d-%d, bounds %.6f,%.6f,%.6f,%.6f\n", rep.minz, rep.maxz, rep.west,
                   rep.south, rep.east, rep.north);
            printf("tiles: %lld in the pyramid, %lld written (%lld empty%s), %lld palette PNG, "
                   "%.1f MB\n", rep.tiles, rep.written, rep.empty, o.skip_empty ? ", skipped" : "",
                   rep.palette, rep.bytes / 1e6);
            if (rep.cell_index_bytes)
                printf("zoomed in past the cells: each cell coloured once (%.1f MB)\n",
                       rep.cell_index_bytes / 1e6);
            if (o.mbtiles)
                printf("MBTiles: %lld distinct images\n", rep.unique);
            if (rep.preview)
                printf("preview: open %s/index.html in a browser\n", dst);
        }
    }
    sp_ctx_free(ctx);
out:
    sp_cli_free(&cli);
    return rc;
}
