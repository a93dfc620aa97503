/* sp_tiles_run: the pyramid (zooms from the raster's resolution as gdal2tiles picks
 * them), a pool of pthreads pulling tiles from a shared counter (each with its own PROJ
 * transformation), PNGs written into a temporary tree, then the MBTiles built from that
 * tree in (z, x, y) order so the file is the same every run, and the side files. */
#include "sp_text.h"
#include "sp_mbtiles.h"
#include "sp_output.h"
#include "sp_png.h"
#include "sp_tile.h"
#include "sp_tiles_run.h"
#include "sp_pool.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SP_LEAFLET_DIR
#define SP_LEAFLET_DIR "/usr/local/share/onemap/leaflet"
#endif

void sp_tiles_options_init(sp_tiles_options *o)
{
    memset(o, 0, sizeof *o);
    o->band = 1;
    o->resample = SP_RESAMPLE_AVERAGE;
    o->minz = o->maxz = -1;
    o->xyz = true;
    o->threads = 2;
    o->level = 1; /* measured on the benchmark raster (palette tiles, libdeflate): level 1
                   * 3.25 s for 54.5 MB of tiles, 3 3.60 s for 54.2 MB, 6 3.90 s for 53.0 MB */
    o->max_mem = (int64_t)4 << 30;
}

typedef struct {
    int z, x, y;
} tile_id;

typedef struct {
    const sp_tiles_options *o;
    const sp_render_raster *r;
    const sp_style_lut *lut;
    const sp_render_vector *outline, *fill;
    double width;
    uint8_t color[4];
    const tile_id *tiles;
    long long ntiles;
    const char *tree;
    uint8_t *state;          /* per tile: 0 not done, 1 written, 2 skipped (empty) */
    atomic_llong next, done, bytes, palette, empty;
    atomic_bool stop;
    pthread_mutex_t lock;    /* error message and progress */
    sp_ctx *ctx;             /* the caller's: errors copied in under the lock */
    sp_status rc;
} job;

static void job_fail(job *j, sp_status rc, const char *msg)
{
    pthread_mutex_lock(&j->lock);
    if (!j->rc) {
        j->rc = rc;
        sp_error(j->ctx, rc, "%s", msg);
    }
    atomic_store(&j->stop, true);
    pthread_mutex_unlock(&j->lock);
}

static void *worker(void *arg)
{
    job *j = arg;
    sp_ctx *ctx = sp_ctx_new();
    sp_render_worker *rw = NULL;
    uint8_t *rgba = malloc((size_t)SP_TILE_SIZE * SP_TILE_SIZE * 4);
    uint8_t *idx = malloc((size_t)SP_TILE_SIZE * SP_TILE_SIZE);
    sp_png_encoder *enc = sp_png_encoder_new(j->o->level);
    bool overlays = j->fill || j->outline;
    if (!ctx || !rgba || !idx || !enc) {
        job_fail(j, SP_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (j->r && sp_render_worker_new(ctx, j->r, &rw)) {
        job_fail(j, sp_ctx_status(ctx), sp_ctx_message(ctx));
        goto out;
    }
    long long step = j->ntiles / 100 + 1;
    for (;;) {
        if (atomic_load(&j->stop))
            break;
        long long i = atomic_fetch_add(&j->next, 1);
        if (i >= j->ntiles)
            break;
        const tile_id *t = &j->tiles[i];
        bool any = false;
        /* the raster as style indices; RGBA only when overlays are drawn over it */
        if (rw)
            any = sp_render_tile_index(rw, j->r, j->lut, j->o->resample, t->z, t->x, t->y, idx);
        if (rw && overlays)
            sp_render_index_rgba(j->lut, idx, rgba);
        else if (!rw)
            memset(rgba, 0, (size_t)SP_TILE_SIZE * SP_TILE_SIZE * 4);
        int d1 = j->fill ? sp_render_tile_vector(j->fill, true, 0, j->color, t->z, t->x, t->y,
                                                 rgba) : 0;
        int d2 = j->outline ? sp_render_tile_vector(j->outline, false, j->width, j->color, t->z,
                                                    t->x, t->y, rgba) : 0;
        if (d1 < 0 || d2 < 0) {
            job_fail(j, SP_ERR_NOMEM, "out of memory drawing the overlays");
            break;
        }
        any |= d1 > 0 || d2 > 0;
        if (!any && j->o->skip_empty) {
            j->state[i] = 2;
            atomic_fetch_add(&j->empty, 1);
        } else {
            sp_buf png;
            bool pal = true;
            if (rw && !overlays
                    ? sp_png_encode_indexed(ctx, enc, idx, (const uint8_t(*)[4])j->lut->rgba,
                                            SP_TILE_SIZE, SP_TILE_SIZE, &png)
                    : sp_png_encode(ctx, rgba, SP_TILE_SIZE, SP_TILE_SIZE, j->o->level, &png,
                                    &pal)) {
                job_fail(j, sp_ctx_status(ctx), sp_ctx_message(ctx));
                break;
            }
            char path[4200];
            snprintf(path, sizeof path, "%s/%d/%d/%d.png", j->tree, t->z, t->x, t->y);
            FILE *fp = fopen(path, "wb");
            bool ok = fp && fwrite(png.data, 1, png.size, fp) == png.size;
            if (fp && fclose(fp))
                ok = false;
            if (!ok) {
                char msg[4400];
                snprintf(msg, sizeof msg, "cannot write tile '%s': %s", path, strerror(errno));
                sp_buf_free(&png);
                job_fail(j, SP_ERR_IO, msg);
                break;
            }
            atomic_fetch_add(&j->bytes, (long long)png.size);
            if (pal)
                atomic_fetch_add(&j->palette, 1);
            if (!any)
                atomic_fetch_add(&j->empty, 1);
            sp_buf_free(&png);
            j->state[i] = 1;
        }
        long long d = atomic_fetch_add(&j->done, 1) + 1;
        if (j->o->progress && (d % step == 0 || d == j->ntiles)) {
            pthread_mutex_lock(&j->lock);
            if (!j->o->progress((double)d / j->ntiles, NULL, j->o->progress_user)) {
                if (!j->rc) {
                    j->rc = SP_ERR_CANCEL;
                    sp_error(j->ctx, SP_ERR_CANCEL, "cancelled");
                }
                atomic_store(&j->stop, true);
            }
            pthread_mutex_unlock(&j->lock);
        }
    }
out:
    free(rgba);
    free(idx);
    sp_png_encoder_free(enc);
    sp_render_worker_free(rw);
    sp_ctx_free(ctx);
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcasecmp(s + a - b, suffix);
}

static sp_status mkdir_p(sp_ctx *ctx, const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return sp_error(ctx, SP_ERR_IO, "cannot create folder '%s': %s", path, strerror(errno));
    return SP_OK;
}

static sp_status write_text(sp_ctx *ctx, const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (!fp || fputs(text, fp) < 0) {
        if (fp)
            fclose(fp);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s'", path);
    }
    bool bad = ferror(fp);
    return (fclose(fp) || bad) ? sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", path, strerror(errno)) : SP_OK;
}

static sp_status copy_file(sp_ctx *ctx, const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return sp_error(ctx, SP_ERR_IO, "cannot read '%s'", from);
    FILE *out = fopen(to, "wb");
    sp_status rc = out ? SP_OK : sp_error(ctx, SP_ERR_IO, "cannot write '%s'", to);
    char buf[65536];
    size_t n;
    while (!rc && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = sp_error(ctx, SP_ERR_IO, "cannot write '%s'", to);
    fclose(in);
    if (out && fclose(out) && !rc)
        rc = sp_error(ctx, SP_ERR_IO, "cannot write '%s'", to);
    return rc;
}

/* JSON string body (quotes and backslashes escaped, control characters dropped) */
/* JSON string content (" and \ escaped, control characters dropped; apostrophes too
 * with js, for a single-quoted JavaScript string); malloc'd, never cut: NULL when out of
 * memory */
static char *json_dup(const char *s, bool js)
{
    char *out = malloc(2 * strlen(s) + 1), *k = out;
    for (; out && *s; s++) {
        if (*s == '"' || *s == '\\' || (js && *s == '\''))
            *k++ = '\\';
        if ((unsigned char)*s >= 0x20)
            *k++ = *s;
    }
    if (out)
        *k = 0;
    return out;
}

/* XML/HTML text (& < > " escaped) */
static char *xml_dup(const char *s)
{
    char *out = malloc(6 * strlen(s) + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (; *s; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                        : *s == '"' ? "&quot;" : NULL;
        if (e) {
            memcpy(out + k, e, strlen(e));
            k += strlen(e);
        } else {
            out[k++] = *s;
        }
    }
    out[k] = 0;
    return out;
}

static void fmt_value(char *b, size_t n, double v)
{
    snprintf(b, n, "%.4g", v);
}

/* A vertical legend: the ramp's entries from top (highest) to bottom, a gradient (or
 * boxes for exact/nearest styles), numbers and the unit. */
static sp_status write_legend(sp_ctx *ctx, const char *path, const sp_style *s)
{
    size_t cap = 8192 + (size_t)s->n * 400;
    char *svg = malloc(cap), *title = xml_dup(s->title[0] ? s->title : "legend"),
         *unit = xml_dup(s->unit);
    if (!svg || !title || !unit) {
        free(svg);
        free(title);
        free(unit);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    int rowh = 22, top = 40, height = top + rowh * (s->n > 1 ? s->n - 1 : 1) + 30;
    size_t k = (size_t)snprintf(svg, cap,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"220\" height=\"%d\" "
        "font-family=\"sans-serif\" font-size=\"12\">\n"
        "<rect width=\"220\" height=\"%d\" fill=\"white\" fill-opacity=\"0.85\" rx=\"4\"/>\n"
        "<text x=\"10\" y=\"18\" font-weight=\"bold\">%s</text>\n"
        "<text x=\"10\" y=\"32\" fill=\"#444\">%s</text>\n",
        height, height, title, unit);
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
    sp_status rc = write_text(ctx, path, svg);
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
    "var map = L.map('map');\n"
    "var layer = L.tileLayer('{z}/{x}/{y}.png', {minZoom: %d, maxZoom: %d, maxNativeZoom: %d,\n"
    "  minNativeZoom: %d, bounds: [[%.8f, %.8f], [%.8f, %.8f]], attribution: '%s'}).addTo(map);\n"
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

static sp_status side_files(sp_ctx *ctx, const char *dir, const sp_tiles_options *o,
                            const sp_style *legend_style, sp_tiles_report *rep)
{
    char path[4096];
    char *name = json_dup(o->name ? o->name : "onemap", false),
         *desc = json_dup(o->description ? o->description : "", false),
         *attr = json_dup(o->attribution ? o->attribution : "", false),
         *url = json_dup(o->url ? o->url : "", false);
    double clon = (rep->west + rep->east) / 2, clat = (rep->south + rep->north) / 2;
    int cz = rep->minz + (rep->maxz - rep->minz) / 2;
    char *json = NULL;
    if (name && desc && attr && url && asprintf(&json,
             "{\n  \"tilejson\": \"3.0.0\",\n  \"name\": \"%s\",\n  \"description\": \"%s\",\n"
             "  \"attribution\": \"%s\",\n  \"scheme\": \"xyz\",\n"
             "  \"tiles\": [\"%s%s{z}/{x}/{y}.png\"],\n  \"minzoom\": %d,\n  \"maxzoom\": %d,\n"
             "  \"bounds\": [%.8f, %.8f, %.8f, %.8f],\n  \"center\": [%.8f, %.8f, %d]\n}\n",
             name, desc, attr, url, url[0] && url[strlen(url) - 1] != '/' ? "/" : "", rep->minz,
             rep->maxz, rep->west, rep->south, rep->east, rep->north, clon, clat, cz) < 0)
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
    if (o->xyz || o->url) {
        snprintf(path, sizeof path, "%s/tiles.json", dir);
        rc = write_text(ctx, path, json);
    }
    free(json);
    if (!rc && legend_style) {
        snprintf(path, sizeof path, "%s/legend.svg", dir);
        rc = write_legend(ctx, path, legend_style);
    }
    if (rc || !o->xyz)
        return rc;
    /* the preview page, with Leaflet copied next to it */
    const char *ldir = o->leaflet ? o->leaflet : getenv("ONEMAP_LEAFLET");
    if (!ldir)
        ldir = SP_LEAFLET_DIR;
    char from[4096], to[4096];
    snprintf(from, sizeof from, "%s/leaflet.js", ldir);
    if (!sp_path_exists(from)) {
        if (o->leaflet)
            return sp_error(ctx, SP_ERR_USAGE, "-leaflet: no leaflet.js in '%s'", ldir);
        sp_warn(ctx, "no Leaflet in '%s' (make fetches it from npm; or give -leaflet DIR): the "
                "preview page index.html was not written", ldir);
        return SP_OK;
    }
    snprintf(path, sizeof path, "%s/leaflet", dir);
    if ((rc = mkdir_p(ctx, path)))
        return rc;
    snprintf(path, sizeof path, "%s/leaflet/images", dir);
    if ((rc = mkdir_p(ctx, path)))
        return rc;
    const char *files[] = {"leaflet.js", "leaflet.css", "images/layers.png",
                           "images/layers-2x.png", "images/marker-icon.png"};
    for (int i = 0; i < 5 && !rc; i++) {
        snprintf(from, sizeof from, "%s/%s", ldir, files[i]);
        snprintf(to, sizeof to, "%s/leaflet/%s", dir, files[i]);
        if (i < 2 || sp_path_exists(from))
            rc = copy_file(ctx, from, to);
    }
    if (rc)
        return rc;
    char *title = xml_dup(o->name ? o->name : "onemap tiles"),
         *hattr = json_dup(o->attribution ? o->attribution : "", true);
    size_t cap = strlen(PAGE) + 4096 + (title ? strlen(title) : 0) + (hattr ? strlen(hattr) : 0);
    char *page = title && hattr ? malloc(cap) : NULL;
    if (!page) {
        free(title);
        free(hattr);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    snprintf(page, cap, PAGE, title, rep->minz > 0 ? rep->minz - 1 : 0, rep->maxz + 2, rep->maxz,
             rep->minz, rep->south, rep->west, rep->north, rep->east, hattr, rep->south, rep->west,
             rep->north, rep->east, legend_style ? LEGEND_JS : "");
    free(title);
    free(hattr);
    snprintf(path, sizeof path, "%s/index.html", dir);
    rc = write_text(ctx, path, page);
    free(page);
    rep->preview = !rc;
    return rc;
}

static sp_status build_mbtiles(sp_ctx *ctx, const char *path, const char *tree,
                               const tile_id *tiles, const uint8_t *state, long long n,
                               const sp_tiles_options *o, sp_tiles_report *rep)
{
    sp_mbtiles *m = NULL;
    sp_status rc = sp_mbtiles_create(ctx, path, &m);
    struct { const char *k; char *v; } meta[10];
    int nm = 0;
#define META(key, ...) do { meta[nm].k = key; if (asprintf(&meta[nm].v, __VA_ARGS__) < 0) meta[nm].v = NULL; nm++; } while (0)
    META("name", "%s", o->name ? o->name : "onemap");
    META("format", "png");
    META("type", "overlay");
    META("version", "1.3");
    META("description", "%s", o->description ? o->description : "");
    META("attribution", "%s", o->attribution ? o->attribution : "");
    META("bounds", "%.8f,%.8f,%.8f,%.8f", rep->west, rep->south, rep->east, rep->north);
    META("center", "%.8f,%.8f,%d", (rep->west + rep->east) / 2, (rep->south + rep->north) / 2,
         rep->minz + (rep->maxz - rep->minz) / 2);
    META("minzoom", "%d", rep->minz);
    META("maxzoom", "%d", rep->maxz);
#undef META
    for (int i = 0; i < nm && !rc; i++)
        rc = meta[i].v ? sp_mbtiles_meta(ctx, m, meta[i].k, meta[i].v)
                       : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int i = 0; i < nm; i++)
        free(meta[i].v);
    uint8_t *buf = NULL;
    size_t cap = 0;
    for (long long i = 0; i < n && !rc; i++) {
        if (state[i] != 1)
            continue;
        char p[4200];
        snprintf(p, sizeof p, "%s/%d/%d/%d.png", tree, tiles[i].z, tiles[i].x, tiles[i].y);
        FILE *fp = fopen(p, "rb");
        if (!fp) {
            rc = sp_error(ctx, SP_ERR_IO, "cannot read tile '%s'", p);
            break;
        }
        fseek(fp, 0, SEEK_END);
        long size = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        if (size > 0 && (size_t)size > cap) {
            uint8_t *b = realloc(buf, (size_t)size);
            if (!b) {
                fclose(fp);
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
                break;
            }
            buf = b;
            cap = (size_t)size;
        }
        size_t got = size > 0 ? fread(buf, 1, (size_t)size, fp) : 0;
        fclose(fp);
        if (size <= 0 || got != (size_t)size)
            rc = sp_error(ctx, SP_ERR_IO, "cannot read tile '%s'", p);
        else
            rc = sp_mbtiles_add(ctx, m, tiles[i].z, tiles[i].x, tiles[i].y, buf, got);
    }
    free(buf);
    if (rc)
        sp_mbtiles_abort(m);
    else
        rc = sp_mbtiles_close(ctx, m, &rep->unique);
    return rc;
}

sp_status sp_tiles_run(sp_ctx *ctx, const char *dst, const sp_tiles_options *o,
                       sp_tiles_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (!o->raster && !o->outline && !o->fill)
        return sp_error(ctx, SP_ERR_USAGE, "nothing to draw: give a raster, -outline or -fill");
    if (o->raster && !o->style)
        return sp_error(ctx, SP_ERR_USAGE, "a raster needs -style FILE (e.g. styles/nox_density.txt)");
    if (o->fill && (!o->fill_field || !o->fill_style))
        return sp_error(ctx, SP_ERR_USAGE, "-fill needs -fill_field FIELD and -fill_style FILE");
    const char *texts[][2] = {{"-name", o->name}, {"-description", o->description},
                              {"-attribution", o->attribution}, {"-url", o->url}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i][1] && !sp_utf8_valid(texts[i][1], strlen(texts[i][1])))
            return sp_error(ctx, SP_ERR_USAGE, "%s: the text is not UTF-8 (set the terminal or "
                            "the script to UTF-8)", texts[i][0]);
    bool single = ends_with(dst, ".mbtiles");
    if (single && o->xyz && o->mbtiles)
        return sp_error(ctx, SP_ERR_USAGE, "'%s' is one MBTiles file: -of both needs a folder", dst);
    if (o->threads < 1 || o->threads > 64 || o->level < 0 || o->level > 9)
        return sp_error(ctx, SP_ERR_USAGE, "-j must be 1-64 and -zlevel 0-9");
    sp_status rc = SP_OK;
    sp_style *style = NULL, *fstyle = NULL;
    sp_render_raster *r = NULL;
    sp_render_vector *vo = NULL, *vf = NULL;
    tile_id *tiles = NULL;
    uint8_t *state = NULL;
    char *text = NULL, tree[4096] = "";
    sp_output out = {0};
    bool began = false;
    sp_style_lut lut;
    job j;
    memset(&j, 0, sizeof j);
    if (o->raster) {
        if ((rc = sp_style_read(ctx, o->style, &style)) ||
            (rc = sp_render_raster_open(ctx, o->raster, o->band, o->max_mem, &r)))
            goto done;
        sp_style_resolve(style, r->min, r->max);
        sp_style_lut_build(style, &lut);
    }
    if (o->fill) {
        if ((rc = sp_style_read(ctx, o->fill_style, &fstyle)))
            goto done;
        if (sp_style_has_pct(fstyle)) {
            rc = sp_error(ctx, SP_ERR_USAGE, "%s: percentages are for rasters; give the fill "
                          "style's breaks as values", o->fill_style);
            goto done;
        }
        sp_style_resolve(fstyle, 0, 0);
        if ((rc = sp_render_vector_open(ctx, o->fill, NULL, o->fill_field, fstyle, &vf)))
            goto done;
    }
    j.width = 1.5;
    j.color[0] = j.color[1] = j.color[2] = 40;
    j.color[3] = 255;
    if (o->outline) {
        if (o->outline_style && ((rc = sp_text_read_file(ctx, o->outline_style, "style", &text)) ||
                                 (rc = sp_style_outline_parse(ctx, text, o->outline_style,
                                                              &j.width, j.color))))
            goto done;
        if ((rc = sp_render_vector_open(ctx, o->outline, NULL, NULL, NULL, &vo)))
            goto done;
    }
    /* extent and zooms */
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    if (r) {
        x0 = r->mxmin; y0 = r->mymin; x1 = r->mxmax; y1 = r->mymax;
    }
    const sp_render_vector *vs[2] = {vo, vf};
    for (int k = 0; k < 2; k++)
        if (vs[k]) {
            x0 = fmin(x0, vs[k]->mxmin); y0 = fmin(y0, vs[k]->mymin);
            x1 = fmax(x1, vs[k]->mxmax); y1 = fmax(y1, vs[k]->mymax);
        }
    rep->maxz = o->maxz;
    rep->minz = o->minz;
    if (rep->maxz < 0 || rep->minz < 0) {
        if (!r) {
            rc = sp_error(ctx, SP_ERR_USAGE, "without a raster, give the zooms with -z MIN-MAX");
            goto done;
        }
        if (rep->maxz < 0)
            rep->maxz = sp_tile_zoom_for_pixel(r->pixel_3857);
        if (rep->minz < 0)
            rep->minz = sp_tile_zoom_for_pixel(r->pixel_3857 * (r->w > r->h ? r->w : r->h) /
                                               SP_TILE_SIZE);
        if (rep->minz > rep->maxz)
            rep->minz = rep->maxz;
    }
    if (rep->minz > rep->maxz || rep->maxz > 24) {
        rc = sp_error(ctx, SP_ERR_USAGE, "zooms %d-%d: want MIN <= MAX <= 24", rep->minz, rep->maxz);
        goto done;
    }
    sp_merc_to_lonlat(x0, y0, &rep->west, &rep->south);
    sp_merc_to_lonlat(x1, y1, &rep->east, &rep->north);
    long long n = 0;
    for (int z = rep->minz; z <= rep->maxz; z++) {
        int a, b, c, d;
        sp_tile_range(x0, y0, x1, y1, z, &a, &b, &c, &d);
        n += (long long)(c - a + 1) * (d - b + 1);
    }
    if (n > 20000000) {
        rc = sp_error(ctx, SP_ERR_LIMIT, "%lld tiles: lower the max zoom (-z)", n);
        goto done;
    }
    tiles = malloc((size_t)n * sizeof *tiles);
    state = calloc((size_t)(n ? n : 1), 1);
    if (!tiles || !state) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    rep->tiles = n;
    /* outputs: a folder, or one .mbtiles file; the tree goes to a scratch folder when
     * only MBTiles is wanted */
    if ((rc = single ? sp_output_begin(ctx, &out, dst) : sp_output_begin_folder(ctx, &out, dst)))
        goto done;
    began = true;
    if (!single && (rc = mkdir_p(ctx, out.path)))
        goto done;
    if (single || !o->xyz)
        snprintf(tree, sizeof tree, "%s/tree", out.tmpdir);
    else
        snprintf(tree, sizeof tree, "%s", out.path);
    if ((rc = mkdir_p(ctx, tree)))
        goto done;
    long long k = 0;
    for (int z = rep->minz; z <= rep->maxz && !rc; z++) {
        int a, b, c, d;
        sp_tile_range(x0, y0, x1, y1, z, &a, &b, &c, &d);
        char p[4200];
        snprintf(p, sizeof p, "%s/%d", tree, z);
        rc = mkdir_p(ctx, p);
        for (int x = a; x <= c && !rc; x++) {
            snprintf(p, sizeof p, "%s/%d/%d", tree, z, x);
            rc = mkdir_p(ctx, p);
            for (int y = b; y <= d; y++)
                tiles[k++] = (tile_id){z, x, y};
        }
    }
    if (rc)
        goto done;
    /* colour each cell once where tiles read cells' colours: nearest zoomed in past the
     * cells, or average over a colour ramp (see sp_render_tile_index); cheaper than a
     * look-up per pixel or per cell read, the same tiles either way. A byte per cell on
     * top of the float32 values: skipped, not refused, past -max_mem. */
    if (r && ((o->resample == SP_RESAMPLE_NEAR &&
               sp_tile_resolution(rep->maxz) < r->pixel_3857) ||
              sp_render_ramp_average(style, o->resample)) &&
        (int64_t)r->w * r->h * 5 <= o->max_mem) {
        if ((rc = sp_render_raster_index(ctx, r, &lut, o->threads)))
            goto done;
        rep->cell_index_bytes = (int64_t)r->k_bytes;
    }
    /* render on the threads */
    j.o = o; j.r = r; j.lut = &lut; j.outline = vo; j.fill = vf;
    j.tiles = tiles; j.ntiles = n; j.tree = tree; j.state = state; j.ctx = ctx;
    pthread_mutex_init(&j.lock, NULL);
    int nt = o->threads < n ? o->threads : (int)(n ? n : 1);
    sp_pool_run(nt, worker, &j, 0);
    pthread_mutex_destroy(&j.lock);
    if ((rc = j.rc))
        goto done;
    rep->bytes = atomic_load(&j.bytes);
    rep->palette = atomic_load(&j.palette);
    rep->empty = atomic_load(&j.empty);
    rep->written = n - (o->skip_empty ? rep->empty : 0);
    if (o->mbtiles || single) {
        char p[4200];
        if (single)
            snprintf(p, sizeof p, "%s", out.path);
        else
            snprintf(p, sizeof p, "%s/tiles.mbtiles", out.path);
        if ((rc = build_mbtiles(ctx, p, tree, tiles, state, n, o, rep)))
            goto done;
    }
    if (!single && (rc = side_files(ctx, out.path, o, style ? style : fstyle, rep)))
        goto done;
    if ((single || !o->xyz) && sp_remove_tree(tree) != 0) {
        rc = sp_error(ctx, SP_ERR_IO, "cannot remove the scratch folder '%s'", tree);
        goto done;
    }
    rc = sp_output_commit(ctx, &out);
    began = false;
done:
    if (began)
        sp_output_abort(&out);
    free(tiles);
    free(state);
    free(text);
    sp_style_free(style);
    sp_style_free(fstyle);
    sp_render_raster_free(r);
    sp_render_vector_free(vo);
    sp_render_vector_free(vf);
    return rc;
}
