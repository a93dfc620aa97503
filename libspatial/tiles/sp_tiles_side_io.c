/* sp_tiles_side: the files beside the tiles of sp-tiles: TileJSON 3.0.0, the legend
 * (SVG), and the Leaflet preview page with Leaflet copied next to it. */
#include "tiles/sp_tiles_impl.h"
#include "io/sp_page.h"
#include "io/sp_output.h"
#include "core/sp_share.h"
#include "tiles/sp_tiles_sink.h"
#include "core/sp_tile.h"

#include <cpl_string.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static void fmt_value(char *b, size_t n, double v)
{
    snprintf(b, n, "%.4g", v);
}

/* A vertical legend: the ramp's entries from top (highest) to bottom, a gradient (or
 * boxes for exact/nearest styles), numbers and the unit. With the data's range (finite
 * lo, hi) it says it, and an interpolated ramp stops at its first entry at or above hi:
 * breaks no cell reaches would only stretch the scale. */
static sp_status write_legend(sp_ctx *ctx, const char *path, const sp_style *full, double lo,
                              double hi)
{
    sp_style trimmed = *full;
    const sp_style *s = &trimmed;
    if (full->mode == SP_STYLE_INTERPOLATE && isfinite(hi))
        for (int i = 0; i < full->n; i++)
            if (full->e[i].value >= hi) {
                trimmed.n = i + 1 > 2 ? i + 1 : (full->n < 2 ? full->n : 2);
                break;
            }
    size_t cap = 8192 + (size_t)s->n * 400;
    char *svg = malloc(cap), *title = sp_page_xml(s->title[0] ? s->title : "legend"),
         *unit = sp_page_xml(s->unit);
    if (!svg || !title || !unit) {
        free(svg);
        free(title);
        free(unit);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    bool range = isfinite(lo) && isfinite(hi);
    int rowh = 22, top = range ? 54 : 40, height = top + rowh * (s->n > 1 ? s->n - 1 : 1) + 30;
    size_t k = (size_t)snprintf(svg, cap,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"220\" height=\"%d\" "
        "font-family=\"sans-serif\" font-size=\"12\">\n"
        "<rect width=\"220\" height=\"%d\" fill=\"white\" fill-opacity=\"0.85\" rx=\"4\"/>\n"
        "<text x=\"10\" y=\"18\" font-weight=\"bold\">%s</text>\n"
        "<text x=\"10\" y=\"32\" fill=\"#444\">%s</text>\n",
        height, height, title, unit);
    if (range) {
        char a[32], b[32];
        fmt_value(a, sizeof a, fabs(lo) < 1e-9 * fabs(hi) ? 0 : lo); /* float noise: 0 */
        fmt_value(b, sizeof b, hi);
        k += (size_t)snprintf(svg + k, cap - k, "<text x=\"10\" y=\"46\" fill=\"#444\" "
                              "class=\"range\">data: %s to %s</text>\n", a, b);
    }
    int span = rowh * (s->n > 1 ? s->n - 1 : 1);
    if (s->mode == SP_STYLE_INTERPOLATE && s->n > 1) {
        k += (size_t)snprintf(svg + k, cap - k, "<defs><linearGradient id=\"ramp\" x1=\"0\" "
                              "y1=\"1\" x2=\"0\" y2=\"0\">\n");
        for (int i = 0; i < s->n; i++)
            k += (size_t)snprintf(svg + k, cap - k, "<stop offset=\"%.4f\" stop-color=\"rgb(%d,%d,%d)\" "
                                  "stop-opacity=\"%.3f\"/>\n", (double)i / (s->n - 1), s->e[i].rgba[0],
                                  s->e[i].rgba[1], s->e[i].rgba[2], s->e[i].rgba[3] / 255.0);
        k += (size_t)snprintf(svg + k, cap - k, "</linearGradient></defs>\n<rect x=\"10\" y=\"%d\" "
                              "width=\"24\" height=\"%d\" fill=\"url(#ramp)\" stroke=\"#666\"/>\n",
                              top, span);
    }
    for (int i = 0; i < s->n; i++) {
        int yy = top + span - (s->n > 1 ? rowh * i : 0);
        char v[64];
        fmt_value(v, sizeof v, s->e[i].value);
        if (s->mode != SP_STYLE_INTERPOLATE || s->n == 1)
            k += (size_t)snprintf(svg + k, cap - k, "<rect x=\"10\" y=\"%d\" width=\"24\" height=\"16\" "
                                  "fill=\"rgb(%d,%d,%d)\" fill-opacity=\"%.3f\" stroke=\"#666\"/>\n",
                                  yy - 8, s->e[i].rgba[0], s->e[i].rgba[1], s->e[i].rgba[2],
                                  s->e[i].rgba[3] / 255.0);
        k += (size_t)snprintf(svg + k, cap - k, "<text x=\"42\" y=\"%d\">%s</text>\n", yy + 4, v);
    }
    snprintf(svg + k, cap - k, "</svg>\n");
    sp_status rc = sp_page_write(ctx, path, svg);
    free(svg);
    free(title);
    free(unit);
    return rc;
}

static const char *PAGE =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>%s</title>\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<link rel=\"stylesheet\" href=\"leaflet/leaflet.css\">\n"
    "<script src=\"leaflet/leaflet.js\"></script>\n"
    "<style>html, body, #map { height: 100%%; margin: 0; }\n"
    "#status { position: absolute; bottom: 4px; left: 4px; z-index: 1000; background: #fffd;"
    " font: 12px sans-serif; padding: 2px 6px; }\n.legend img { display: block; }</style>\n"
    "</head>\n<body>\n<div id=\"map\"></div>\n"
    "<div id=\"status\" data-loaded=\"0\" data-failed=\"0\">tiles loaded 0, failed 0</div>\n"
    "<script>\n"
    "// Preview of the sp-tiles output; works when opened from disk (no server needed).\n"
    "var map = L.map('map'%s);\n"
    "var layer = L.tileLayer('{z}/{x}/{%s}." SP_TILE_EXT "', {minZoom: %d, maxZoom: %d, maxNativeZoom: %d,\n"
    "  minNativeZoom: %d,%s bounds: [[%.8f, %.8f], [%.8f, %.8f]], attribution: '%s'}).addTo(map);\n"
    "map.fitBounds([[%.8f, %.8f], [%.8f, %.8f]]);\n"
    "var st = document.getElementById('status'), loaded = 0, failed = 0;\n"
    "function show() { st.dataset.loaded = loaded; st.dataset.failed = failed;\n"
    "  st.textContent = 'tiles loaded ' + loaded + ', failed ' + failed + ', zoom ' + map.getZoom(); }\n"
    "layer.on('tileload', function () { loaded++; show(); });\n"
    "layer.on('tileerror', function () { failed++; show(); });\n"
    "%s"
    "</script>\n</body>\n</html>\n";

static const char *LEGEND_JS =
    "var legend = L.control({position: 'topright'});\n"
    "legend.onAdd = function () { var d = L.DomUtil.create('div', 'legend');\n"
    "  d.innerHTML = '<img src=\"legend.svg\" alt=\"legend\">'; return d; };\n"
    "legend.addTo(map);\n";

/* WMTSCapabilities.xml (OGC WMTS 1.0.0, RESTful): one layer in the WebMercatorQuad
 * matrix set (the well-known GoogleMapsCompatible scale set: scale denominator
 * 559082264.0287178 / 2^z at 0.28 mm pixels, top-left corner -20037508.3427892
 * 20037508.3427892, 256 px tiles) or, with -tiling cgcs2000, in Tianditu's "c" set
 * (EPSG:4490, top-left 90 N 180 W, 2^z x 2^(z-1) tiles from level 1), its bounds and
 * per-zoom tile limits, and a ResourceURL template over the XYZ tree
 * ({TileMatrix}/{TileCol}/{TileRow}.png after -url). GCJ-02 tiles: the same matrices
 * under their own identifier, GCJ02WebMercatorQuad, titled with SP_CRS_NAME_GCJ02. */
static sp_status write_wmts(sp_ctx *ctx, const char *dir, const sp_tiles_options *o,
                            const sp_tiles_report *rep)
{
    char *name = sp_page_xml(o->name ? o->name : "onemap"),
         *desc = sp_page_xml(o->description ? o->description : ""),
         *url = sp_page_xml(o->url ? o->url : "");
    char *x = NULL;
    size_t n = 0;
    FILE *fp = name && desc && url ? open_memstream(&x, &n) : NULL;
    if (!fp) {
        free(name), free(desc), free(url);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    /* GCJ-02 tiles have Web Mercator's matrices over shifted positions: a set of their own
     * name and title, so that a client does not take them for EPSG:3857's */
    sp_tiling t = sp_tiles_grid_tiling(o->grid);
    bool geo = t == SP_TILING_CGCS2000, gcj = o->grid == SP_GRID_GCJ02;
    const char *set = geo ? "c" : gcj ? "GCJ02WebMercatorQuad" : "WebMercatorQuad";
    double x0, y0, x1, y1;
    fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<Capabilities xmlns=\"http://www.opengis.net/wmts/1.0\" "
            "xmlns:ows=\"http://www.opengis.net/ows/1.1\" "
            "xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.0.0\">\n"
            " <ows:ServiceIdentification><ows:Title>%s</ows:Title>"
            "<ows:ServiceType>OGC WMTS</ows:ServiceType>"
            "<ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion></ows:ServiceIdentification>\n"
            " <Contents>\n  <Layer>\n   <ows:Title>%s</ows:Title><ows:Abstract>%s</ows:Abstract>\n"
            "   <ows:WGS84BoundingBox><ows:LowerCorner>%.8f %.8f</ows:LowerCorner>"
            "<ows:UpperCorner>%.8f %.8f</ows:UpperCorner></ows:WGS84BoundingBox>\n"
            "   <ows:Identifier>onemap</ows:Identifier>\n"
            "   <Style isDefault=\"true\"><ows:Identifier>default</ows:Identifier></Style>\n"
            "   <Format>image/png</Format>\n"
            "   <TileMatrixSetLink><TileMatrixSet>%s</TileMatrixSet>"
            "<TileMatrixSetLimits>\n", name, name, desc, rep->west, rep->south, rep->east,
            rep->north, set);
    sp_tiling_from_lonlat(t, rep->west, rep->south, &x0, &y0);
    sp_tiling_from_lonlat(t, rep->east, rep->north, &x1, &y1);
    for (int z = rep->minz; z <= rep->maxz; z++) {
        int a, b, c, d;
        sp_tiling_range(t, x0, y0, x1, y1, z, &a, &b, &c, &d);
        fprintf(fp, "    <TileMatrixLimits><TileMatrix>%d</TileMatrix><MinTileRow>%d</MinTileRow>"
                "<MaxTileRow>%d</MaxTileRow><MinTileCol>%d</MinTileCol><MaxTileCol>%d"
                "</MaxTileCol></TileMatrixLimits>\n", z, b, d, a, c);
    }
    /* EPSG:4490's axes are latitude, longitude: so is its TopLeftCorner */
    fprintf(fp, "   </TileMatrixSetLimits></TileMatrixSetLink>\n"
            "   <ResourceURL format=\"image/png\" resourceType=\"tile\" "
            "template=\"%s%s{TileMatrix}/{TileCol}/{TileRow}.png\"/>\n  </Layer>\n"
            "  <TileMatrixSet>\n   <ows:Identifier>%s</ows:Identifier>%s%s%s\n"
            "   <ows:SupportedCRS>urn:ogc:def:crs:EPSG::%d</ows:SupportedCRS>\n%s",
            url, url[0] && url[strlen(url) - 1] != '/' ? "/" : "", set,
            gcj ? "<ows:Title>" : "", gcj ? SP_CRS_NAME_GCJ02 : "", gcj ? "</ows:Title>" : "",
            sp_tiling_epsg(t), geo ? "" : "   <WellKnownScaleSet>urn:ogc:def:wkss:OGC:1.0:"
            "GoogleMapsCompatible</WellKnownScaleSet>\n");
    for (int z = sp_tiling_minz(t); z <= rep->maxz; z++) {
        double cols, rows;
        sp_tiling_counts(t, z, &cols, &rows);
        fprintf(fp, "   <TileMatrix><ows:Identifier>%d</ows:Identifier>"
                "<ScaleDenominator>%.10f</ScaleDenominator><TopLeftCorner>%s</TopLeftCorner>"
                "<TileWidth>256</TileWidth><TileHeight>256</TileHeight>"
                "<MatrixWidth>%.0f</MatrixWidth><MatrixHeight>%.0f</MatrixHeight></TileMatrix>\n",
                z, sp_tiling_scale_denominator(t, z),
                geo ? "90 -180" : "-20037508.3427892 20037508.3427892", cols, rows);
    }
    fprintf(fp, "  </TileMatrixSet>\n </Contents>\n</Capabilities>\n");
    bool bad = ferror(fp);
    fclose(fp);
    free(name), free(desc), free(url);
    char path[4200];
    snprintf(path, sizeof path, "%s/WMTSCapabilities.xml", dir);
    sp_status rc = bad || !x ? sp_error(ctx, SP_ERR_NOMEM, "out of memory")
                             : sp_page_write(ctx, path, x);
    free(x);
    return rc;
}

sp_status sp_tiles_side_files(sp_ctx *ctx, const char *dir, const sp_tiles_options *o,
                              const sp_style *legend_style, sp_tiles_report *rep)
{
    char path[4096];
    char *name = sp_page_json(o->name ? o->name : "onemap", false),
         *desc = sp_page_json(o->description ? o->description : "", false),
         *attr = sp_page_json(o->attribution ? o->attribution : "", false),
         *url = sp_page_json(o->url ? o->url : "", false);
    double clon = (rep->west + rep->east) / 2, clat = (rep->south + rep->north) / 2;
    int cz = rep->minz + (rep->maxz - rep->minz) / 2;
    char *json = NULL;
    if (name && desc && attr && url && asprintf(&json,
             "{\n  \"tilejson\": \"3.0.0\",\n  \"name\": \"%s\",\n  \"description\": \"%s\",\n"
             "  \"attribution\": \"%s\",\n  \"scheme\": \"xyz\",\n"
             "  \"tiles\": [\"%s%s{z}/{x}/{y}." SP_TILE_EXT "\"],\n  \"minzoom\": %d,\n  \"maxzoom\": %d,\n"
             "  \"bounds\": [%.8f, %.8f, %.8f, %.8f],\n  \"center\": [%.8f, %.8f, %d]%s%s%s\n}\n",
             name, desc, attr, url, url[0] && url[strlen(url) - 1] != '/' ? "/" : "", rep->minz,
             rep->maxz, rep->west, rep->south, rep->east, rep->north, clon, clat, cz,
             /* TileJSON assumes Web Mercator: the other grids say so (a key of their own;
              * Baidu's bounds and centre are BD-09 lon/lat) */
             sp_tiles_grid_crs(o->grid) ? ",\n  \"crs\": \"" : "",
             sp_tiles_grid_crs(o->grid) ? sp_tiles_grid_crs(o->grid) : "",
             sp_tiles_grid_crs(o->grid) ? "\"" : "") < 0)
        json = NULL;
    free(name);
    free(desc);
    free(attr);
    free(url);
    if (!json)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    /* TileJSON points at the XYZ tree: without one (MBTiles only) only an explicit -url
     * can say where the tiles will be served */
    sp_status rc = SP_OK;
    if ((o->sinks & 1u << SP_SINK_XYZ) || o->url) {
        snprintf(path, sizeof path, "%s/tiles.json", dir);
        rc = sp_page_write(ctx, path, json);
    }
    free(json);
    if (!rc && legend_style) {
        snprintf(path, sizeof path, "%s/legend.svg", dir);
        rc = write_legend(ctx, path, legend_style, rep->data_min, rep->data_max);
    }
    /* like TileJSON: over the XYZ tree; Baidu's grid is no WMTS matrix set (its CRS has no
     * EPSG code, its rows grow northward) */
    if (!rc && ((o->sinks & 1u << SP_SINK_XYZ) || o->url) && sp_tiles_grid_tiling(o->grid) != SP_TILING_BD09)
        rc = write_wmts(ctx, dir, o, rep);
    if (rc || !(o->sinks & 1u << SP_SINK_XYZ))
        return rc;
    /* the preview page, with Leaflet copied next to it */
    bool copied;
    if ((rc = sp_page_leaflet(ctx, dir, o->leaflet, "the preview page index.html", &copied)) ||
        !copied)
        return rc;
    char *title = sp_page_xml(o->name ? o->name : "onemap tiles"),
         *hattr = sp_page_json(o->attribution ? o->attribution : "", true);
    size_t cap = strlen(PAGE) + 4096 + (title ? strlen(title) : 0) + (hattr ? strlen(hattr) : 0);
    char *page = title && hattr ? malloc(cap) : NULL;
    if (!page) {
        free(title);
        free(hattr);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    /* Leaflet's EPSG4326 CRS has 2 x 1 tiles at its zoom 0: Tianditu's level 1. Baidu's
     * tiles: a plane CRS in Baidu's Mercator metres ("lat" Y, "lng" X) whose zoom z has
     * 2^(18 - z) m pixels; Leaflet's rows grow southward from the equator, Baidu's
     * northward: Baidu's row is -row - 1 */
    bool geo = sp_tiles_grid_tiling(o->grid) == SP_TILING_CGCS2000, bd = sp_tiles_grid_tiling(o->grid) == SP_TILING_BD09;
    int off = geo ? 1 : 0, minz = rep->minz - off, maxz = rep->maxz - off;
    double b[4] = {rep->south, rep->west, rep->north, rep->east};
    if (bd) {
        sp_tiling_from_lonlat(sp_tiles_grid_tiling(o->grid), rep->west, rep->south, &b[1], &b[0]);
        sp_tiling_from_lonlat(sp_tiles_grid_tiling(o->grid), rep->east, rep->north, &b[3], &b[2]);
    }
    snprintf(page, cap, PAGE, title,
             geo  ? ", {crs: L.CRS.EPSG4326}"
             : bd ? ", {crs: L.extend({}, L.CRS.Simple, {transformation: new "
                    "L.Transformation(1, 0, -1, 0),\n  scale: function (z) { return "
                    "Math.pow(2, z - 18); },\n  zoom: function (s) { return Math.log(s) / "
                    "Math.LN2 + 18; }})}"
                  : "",
             bd ? "by" : "y", minz > 0 ? minz - 1 : 0, maxz + 2, maxz, minz,
             geo  ? " zoomOffset: 1,"
             : bd ? " by: function (d) { return -d.y - 1; },"
                  : "",
             b[0], b[1], b[2], b[3], hattr, b[0], b[1], b[2], b[3],
             legend_style ? LEGEND_JS : "");
    free(title);
    free(hattr);
    snprintf(path, sizeof path, "%s/index.html", dir);
    rc = sp_page_write(ctx, path, page);
    free(page);
    rep->preview = !rc;
    return rc;
}


/* ---- values.js: the number under the cursor ------------------------------------ */

/* The grid: the raster's box (where the tiles show it) in lon/lat, cells as fine as the
 * raster's and square on the ground, coarser past 2^20 cells. */
static void values_grid(const sp_render_raster *r, double g[4],
                        int *gw, int *gh)
{
    double x0 = r->mxmin, y0 = r->mymin, x1 = r->mxmax, y1 = r->mymax, s, n;
    sp_tiling_to_lonlat(r->tiling, x0, y0, &g[0], &s);
    sp_tiling_to_lonlat(r->tiling, x1, y1, &g[1], &n);
    /* metres (Web Mercator, or Baidu's: 111320.7 m a degree) or degrees */
    double dx = r->tiling != SP_TILING_CGCS2000 ? r->pixel_size / 6378137 * 180 / M_PI
                                                : r->pixel_size;
    double dy = dx * cos((s + n) / 2 * M_PI / 180);
    double w = ceil((g[1] - g[0]) / dx), h = ceil((n - s) / dy);
    if (w * h > 1 << 20) {
        double f = sqrt(w * h / (1 << 20));
        dx *= f, dy *= f;
        w = ceil((g[1] - g[0]) / dx), h = ceil((n - s) / dy);
    }
    g[1] = n, g[2] = dx, g[3] = dy; /* west, north, dx, dy */
    *gw = w < 1 ? 1 : (int)w;
    *gh = h < 1 ? 1 : (int)h;
}

sp_status sp_tiles_values(sp_ctx *ctx, const char *dir, const sp_tiles_options *o,
                          const sp_render_raster *r, const sp_style *style,
                          sp_tiles_report *rep)
{
    double g[4];
    int gw, gh;
    values_grid(r, g, &gw, &gh);
    size_t n = (size_t)gw * gh;
    float *v = malloc(n * sizeof *v);
    uint8_t *le = malloc(n * 4);
    sp_render_worker *w = NULL;
    sp_status rc = sp_render_worker_new(ctx, r, (o->grid == SP_GRID_GCJ02), &w);
    if (!rc && (!v || !le || !sp_render_sample_grid(w, r, g[0], g[1], g[2], g[3], gw, gh, v)))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) { /* little-endian whatever the machine */
        uint32_t u;
        memcpy(&u, &v[i], 4);
        for (int b = 0; b < 4; b++)
            le[4 * i + b] = (uint8_t)(u >> (8 * b));
    }
    char *b64 = rc ? NULL : CPLBase64Encode((int)(n * 4), le), *js = NULL;
    char *title = sp_page_json(style->title, false), *unit = sp_page_json(style->unit, false);
    const char *crs = (o->grid == SP_GRID_GCJ02)                           ? "GCJ-02"
                      : r->tiling == SP_TILING_BD09       ? "BD-09"
                      : r->tiling == SP_TILING_WEBMERCATOR ? "EPSG:4326"
                                                           : "EPSG:4490";
    if (!rc && (!b64 || !title || !unit ||
                asprintf(&js,
                         "// sp-tiles -values: the raster's values for the number under the "
                         "cursor of the one map\n// (sp-onemap): a lon/lat grid (%s) of w x h "
                         "cells of dx x dy degrees from (west, north),\n// row by row from the "
                         "north-west, each the value of the raster cell under its centre;\n"
                         "// float32 little-endian in base64, NaN where there is none.\n"
                         "(window.ONEMAP_VALUES = window.ONEMAP_VALUES || {})[((document."
                         "currentScript && document.currentScript.getAttribute('src')) || '')"
                         ".replace(/\\/?values\\.js$/, '')] = {\"title\": \"%s\", \"unit\": "
                         "\"%s\", \"crs\": \"%s\", \"west\": %.10f, \"north\": %.10f, \"dx\": "
                         "%.12g, \"dy\": %.12g, \"w\": %d, \"h\": %d, \"data\": \"%s\"};\n",
                         crs, title, unit, crs, g[0], g[1], g[2], g[3], gw, gh, b64) < 0))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    char path[4200];
    snprintf(path, sizeof path, "%s/values.js", dir);
    if (!rc)
        rc = sp_page_write(ctx, path, js);
    if (!rc)
        rep->values_w = gw, rep->values_h = gh;
    free(js);
    free(title);
    free(unit);
    CPLFree(b64);
    sp_render_worker_free(w);
    free(v);
    free(le);
    return rc;
}

char *sp_tiles_file_url(const char *path)
{
    char *copy = strdup(path), *dir = NULL, *abs = NULL, *out = NULL;
    if (!copy)
        return NULL;
    char *slash = strrchr(copy, '/');
    const char *base = slash ? slash + 1 : copy;
    if (slash)
        *slash = 0;
    dir = realpath(slash ? (copy[0] ? copy : "/") : ".", NULL);
    if (dir && asprintf(&abs, "%s/%s", strcmp(dir, "/") ? dir : "", base) < 0)
        abs = NULL;
    size_t n = abs ? strlen(abs) : 0;
    if (abs && (out = malloc(8 + 3 * n))) {
        size_t k = (size_t)sprintf(out, "file://");
        for (const unsigned char *c = (const unsigned char *)abs; *c; c++)
            if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
                strchr("/._~-", *c))
                out[k++] = (char)*c;
            else
                k += (size_t)sprintf(out + k, "%%%02X", *c);
        out[k] = 0;
    }
    free(copy);
    free(dir);
    free(abs);
    return out;
}
