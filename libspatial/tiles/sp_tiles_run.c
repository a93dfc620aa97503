/* sp_tiles_run: the pyramid (zooms from the raster's resolution as gdal2tiles picks
 * them), workers on sp_pool pulling tiles from a shared counter (each with its own PROJ
 * transformation), every encoded tile handed to every sink (sp_tiles_sink: the XYZ tree,
 * the MBTiles file), and the side files (sp_tiles_side.c). */
#include "core/sp_text.h"
#include "io/sp_output.h"
#include "tiles/sp_tiles_sink.h"
#include "tiles/sp_tiles_impl.h"
#include "tiles/sp_tiles_part.h"
#include "tiles/sp_tiles_plan.h"
#include "tiles/sp_png.h"
#include "core/sp_tile.h"
#include "tiles/sp_tiles_run.h"
#include "core/sp_pool.h"
#include "io/sp_ctx_io.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void sp_tiles_options_init(sp_tiles_options *o)
{
    memset(o, 0, sizeof *o);
    o->band = 1;
    o->resample = SP_RESAMPLE_AVERAGE;
    o->minz = o->maxz = -1;
    o->sinks = 1u << SP_SINK_XYZ;
    o->threads = 2;
    o->level = 1; /* measured on the benchmark raster (palette tiles, libdeflate): level 1
                   * 3.25 s for 54.5 MB of tiles, 3 3.60 s for 54.2 MB, 6 3.90 s for 53.0 MB */
    o->max_mem = (int64_t)4 << 30;
}

typedef struct {
    const sp_tiles_options *o;
    const sp_render_raster *r;
    const sp_style_lut *lut;
    const sp_render_vector *outline, *fill;
    double width;
    uint8_t color[4];
    const tile_plan *plan;
    long long ntiles;    /* written (entries with an index) */
    const sp_tiles_sink_kind *kind[SP_NSINKS];
    sp_tiles_sink *sink[SP_NSINKS];
    int nsinks;
    atomic_llong next, done, bytes, palette, empty; /* next: the next unit */
    atomic_bool stop;
    sp_tiles_part *part;     /* -shard: the tiles go here, those of [i0, i1) only */
    long long i0, i1;
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

/* Hands tile i to every sink (a shard: to its part); false (the job failed) on an error. */
static bool put_tile(job *j, sp_ctx *ctx, long long i, const tile_id *t, const uint8_t *data,
                     size_t size, bool empty, bool pal)
{
    if (j->part) {
        sp_tiles_part_tile pt = {i, t->z, t->x, t->y, data, size, empty, pal};
        if (!sp_tiles_part_put(ctx, j->part, &pt))
            return true;
        job_fail(j, sp_ctx_status(ctx), sp_ctx_message(ctx));
        return false;
    }
    for (int k = 0; k < j->nsinks; k++)
        if (j->kind[k]->put(ctx, j->sink[k], i, t->z, t->x, t->y, data, size)) {
            job_fail(j, sp_ctx_status(ctx), sp_ctx_message(ctx));
            return false;
        }
    return true;
}

/* Encodes tile t (its raster indices idx, any: not fully transparent) with the overlays
 * drawn over it, hands it to the sinks and reports progress; false when the job stops. */
static bool emit(job *j, sp_ctx *ctx, const tile_id *t, const uint8_t *idx, bool any,
                 sp_png_encoder *enc, uint8_t *rgba)
{
    bool overlays = j->fill || j->outline;
    if (j->r && overlays)
        sp_render_index_rgba(j->lut, idx, rgba);
    else if (!j->r)
        memset(rgba, 0, (size_t)SP_TILE_SIZE * SP_TILE_SIZE * 4);
    int d1 = j->fill ? sp_render_tile_vector(j->fill, true, 0, j->color, t->z, t->x, t->y,
                                             rgba) : 0;
    int d2 = j->outline ? sp_render_tile_vector(j->outline, false, j->width, j->color, t->z,
                                                t->x, t->y, rgba) : 0;
    if (d1 < 0 || d2 < 0) {
        job_fail(j, SP_ERR_NOMEM, "out of memory drawing the overlays");
        return false;
    }
    any |= d1 > 0 || d2 > 0;
    if (!any && j->o->skip_empty) {
        atomic_fetch_add(&j->empty, 1);
        if (!put_tile(j, ctx, t->index, t, NULL, 0, true, false))
            return false;
    } else {
        sp_buf png;
        bool pal = true;
        if (j->r && !overlays
                ? sp_png_encode_indexed(ctx, enc, idx, (const uint8_t(*)[4])j->lut->rgba,
                                        SP_TILE_SIZE, SP_TILE_SIZE, &png)
                : sp_png_encode(ctx, rgba, SP_TILE_SIZE, SP_TILE_SIZE, j->o->level, &png,
                                &pal)) {
            job_fail(j, sp_ctx_status(ctx), sp_ctx_message(ctx));
            return false;
        }
        bool ok = put_tile(j, ctx, t->index, t, png.data, png.size, !any, pal);
        if (ok) {
            atomic_fetch_add(&j->bytes, (long long)png.size);
            if (pal)
                atomic_fetch_add(&j->palette, 1);
            if (!any)
                atomic_fetch_add(&j->empty, 1);
        }
        sp_buf_free(&png);
        if (!ok)
            return false;
    }
    long long d = atomic_fetch_add(&j->done, 1) + 1, step = j->ntiles / 100 + 1;
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
    return true;
}

/* The raster indices of entry t into its slot of lv (per level below zr, per child
 * position): drawn, reduced from the four slots of the level below, or blank. A leaf of a
 * pyramid is drawn into leaf (*slot then points there) and its edge plane into its slot
 * (see sp_render_tile_leaf). */
static bool tile_indices(job *j, sp_render_worker *rw, const tile_id *t, uint8_t *lv,
                         uint8_t *leaf, uint8_t **slot)
{
    const size_t T = (size_t)SP_TILE_SIZE * SP_TILE_SIZE;
    int level = t->z < j->plan->zr ? 0 : t->z - j->plan->zr;
    /* the child's quarter of its parent: rows grow southward, or northward (Baidu's) */
    int row = (t->y & 1) ^ sp_tiling_y_up(sp_tiles_grid_tiling(j->o->grid));
    uint8_t *idx = *slot = lv + ((size_t)level * 4 + (t->x & 1) + 2 * row) * T;
    if (t->how == TILE_REDUCE) {
        const uint8_t *child[4];
        for (int q = 0; q < 4; q++)
            child[q] = lv + ((size_t)(level + 1) * 4 + q) * T;
        return sp_render_reduce(j->lut, child, idx);
    }
    if (t->how == TILE_DRAW && rw && t->z > j->plan->zr) { /* a leaf of a pyramid */
        *slot = leaf;
        return sp_render_tile_leaf(rw, j->r, j->lut, j->o->resample, t->z, t->x, t->y, leaf,
                                   idx);
    }
    if (t->how == TILE_DRAW && rw)
        return sp_render_tile_index(rw, j->r, j->lut, j->o->resample, t->z, t->x, t->y, idx);
    memset(idx, 0, T);
    return false;
}

/* Whether unit u of the plan writes a tile of [i0, i1) (a shard draws only those units;
 * a tile reduced from its children needs their whole unit). */
static bool unit_in_range(const tile_plan *p, long long u, long long i0, long long i1)
{
    for (long long e = p->u[u].start; e < p->u[u].end; e++)
        if (p->t[e].index >= i0 && p->t[e].index < i1)
            return true;
    return false;
}

static void *worker(void *arg)
{
    job *j = arg;
    sp_ctx *ctx = sp_ctx_new();
    sp_render_worker *rw = NULL;
    const tile_plan *p = j->plan;
    uint8_t *rgba = malloc((size_t)SP_TILE_SIZE * SP_TILE_SIZE * 4);
    uint8_t *lv = malloc((size_t)(p->maxz - p->zr + 1) * 4 * SP_TILE_SIZE * SP_TILE_SIZE);
    uint8_t *leaf = malloc((size_t)SP_TILE_SIZE * SP_TILE_SIZE);
    sp_png_encoder *enc = sp_png_encoder_new(j->o->level);
    if (!ctx || !rgba || !lv || !leaf || !enc) {
        job_fail(j, SP_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (j->r && sp_render_worker_new(ctx, j->r, (j->o->grid == SP_GRID_GCJ02), &rw)) {
        job_fail(j, sp_ctx_status(ctx), sp_ctx_message(ctx));
        goto out;
    }
    for (;;) {
        long long u = atomic_fetch_add(&j->next, 1);
        if (u >= p->nu)
            break;
        if (j->part && !unit_in_range(p, u, j->i0, j->i1))
            continue; /* another shard's */
        for (long long e = p->u[u].start; e < p->u[u].end; e++) {
            if (atomic_load(&j->stop))
                goto out;
            const tile_id *t = &p->t[e];
            uint8_t *idx;
            bool any = tile_indices(j, rw, t, lv, leaf, &idx);
            bool mine = !j->part || (t->index >= j->i0 && t->index < j->i1);
            if (t->index >= 0 && mine && !emit(j, ctx, t, idx, any, enc, rgba))
                goto out;
        }
    }
out:
    free(rgba);
    free(lv);
    free(leaf);
    sp_png_encoder_free(enc);
    sp_render_worker_free(rw);
    sp_ctx_free(ctx);
    return NULL;
}

static sp_status check_options(sp_ctx *ctx, const char *dst, const sp_tiles_options *o)
{
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
    int nsinks = __builtin_popcount(o->sinks & ((1u << SP_NSINKS) - 1));
    if (!nsinks || o->sinks >> SP_NSINKS)
        return sp_error(ctx, SP_ERR_USAGE, "no tile format, or an unknown one, is asked for");
    int single = sp_tiles_sink_by_suffix(dst);
    if (single >= 0 && nsinks > 1)
        return sp_error(ctx, SP_ERR_USAGE, "'%s' is one file: several -of formats need a folder",
                        dst);
    sp_tiling t = sp_tiles_grid_tiling(o->grid);
    for (int k = 0; k < SP_NSINKS; k++)
        if (t != SP_TILING_WEBMERCATOR && (single >= 0 ? k == single : (o->sinks & 1u << k)) &&
            SP_TILES_SINKS[k]->webmercator_only)
            return sp_error(ctx, SP_ERR_USAGE, "%s makes an XYZ tree only: %s holds Web Mercator "
                            "tiles by its spec", t == SP_TILING_BD09 ? "-t_coord bd09"
                            : "-tiling cgcs2000", SP_TILES_SINKS[k]->label);
    if (o->threads < 1 || o->threads > 64 || o->level < 0 || o->level > 9)
        return sp_error(ctx, SP_ERR_USAGE, "-j must be 1-64 and -zlevel 0-9");
    if (o->values && (!o->raster || sp_tiles_sink_by_suffix(dst) >= 0))
        return sp_error(ctx, SP_ERR_USAGE, "-values writes values.js of the raster beside the "
                        "tiles: it needs a raster and a folder OUT");
    return SP_OK;
}

/* What is drawn: the raster with its style, the fill and the outline overlays. */
typedef struct {
    sp_style *style, *fstyle;
    sp_render_raster *r;
    sp_render_vector *vo, *vf;
    sp_style_lut lut;
    double width;
    uint8_t color[4];
} layers;

static void layers_free(layers *l)
{
    sp_style_free(l->style);
    sp_style_free(l->fstyle);
    sp_render_raster_free(l->r);
    sp_render_vector_free(l->vo);
    sp_render_vector_free(l->vf);
}

/* The raster's style as QGIS reads it (sp_style_qml), to path. */
static sp_status write_qml(sp_ctx *ctx, const char *path, const sp_style *s, int band)
{
    char *text = sp_style_qml(s, band);
    if (!text)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_output q = {0};
    sp_status rc = sp_output_begin(ctx, &q, path);
    FILE *fp = rc ? NULL : fopen(q.path, "w");
    if (!rc) {
        bool bad = !fp || fputs(text, fp) < 0;
        if (fp && fclose(fp) != 0)
            bad = true;
        if (bad)
            rc = sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    free(text);
    if (rc) {
        sp_output_abort(&q);
        return rc;
    }
    return sp_output_commit(ctx, &q);
}

/* The first word of a unit, comparable: "ug/m3, annual mean" -> "ug/m3"; µg -> ug, ² -> 2,
 * ³ -> 3, lower case. */
static void unit_word(const char *u, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = u; *p && *p != ',' && *p != ' ' && *p != '(' && k + 1 < n;) {
        if (!strncmp(p, "\xC2\xB5", 2) || !strncmp(p, "\xCE\xBC", 2)) { /* µ (micro, mu) */
            out[k++] = 'u';
            p += 2;
        } else if (!strncmp(p, "\xC2\xB2", 2) || !strncmp(p, "\xC2\xB3", 2)) { /* ² ³ */
            out[k++] = p[1] == '\xB2' ? '2' : '3';
            p += 2;
        } else {
            out[k++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
            p++;
        }
    }
    out[k] = 0;
}

/* A style made for one unit on a band of another (a t/km2/yr ramp on ug/m3, whose legend
 * would then say t/km2/yr) is refused; either side without a unit passes. */
static sp_status check_unit(sp_ctx *ctx, const sp_tiles_options *o, const sp_style *s,
                            const sp_render_raster *r)
{
    char su[64], bu[64];
    unit_word(s->unit, su, sizeof su);
    unit_word(r->unit, bu, sizeof bu);
    if (!su[0] || !bu[0] || !strcmp(su, bu))
        return SP_OK;
    return sp_error(ctx, SP_ERR_USAGE, "style '%s' is for %s, and band %d of '%s' is in %s: "
                    "give a style for %s (styles/README.md lists onemap's), or one without a "
                    "'# unit:' line", o->style, su, o->band, o->raster, bu, bu);
}

static sp_status open_layers(sp_ctx *ctx, const sp_tiles_options *o, layers *l)
{
    sp_status rc;
    if (o->raster) {
        if ((rc = sp_style_read(ctx, o->style, &l->style)) ||
            (rc = sp_render_raster_open(ctx, o->raster, o->band, o->max_mem, sp_tiles_grid_tiling(o->grid),
                                         &l->r)))
            return rc;
        if ((rc = check_unit(ctx, o, l->style, l->r)))
            return rc;
        sp_style_resolve(l->style, l->r->min, l->r->max);
        sp_style_lut_build(l->style, &l->lut);
    }
    if (o->fill) {
        if ((rc = sp_style_read(ctx, o->fill_style, &l->fstyle)))
            return rc;
        if (sp_style_has_pct(l->fstyle))
            return sp_error(ctx, SP_ERR_USAGE, "%s: percentages are for rasters; give the fill "
                            "style's breaks as values", o->fill_style);
        sp_style_resolve(l->fstyle, 0, 0);
        if ((rc = sp_render_vector_open(ctx, o->fill, NULL, o->fill_field, l->fstyle, sp_tiles_grid_tiling(o->grid),
                                         &l->vf)))
            return rc;
    }
    l->width = 1.5;
    l->color[0] = l->color[1] = l->color[2] = 40;
    l->color[3] = 255;
    if (o->outline) {
        char *text = NULL;
        rc = SP_OK;
        char found[4096];
        const char *op = o->outline_style;
        if (op && !(rc = sp_style_locate(ctx, op, found, sizeof found, &op)) &&
            !(rc = sp_text_read_file(ctx, op, "style", &text)))
            rc = sp_style_outline_parse(ctx, text, op, &l->width, l->color);
        free(text);
        if (rc || (rc = sp_render_vector_open(ctx, o->outline, NULL, NULL, NULL, sp_tiles_grid_tiling(o->grid),
                                                          &l->vo)))
            return rc;
    }
    if ((o->grid == SP_GRID_GCJ02)) { /* the raster's box and the overlays where GCJ-02 base maps show them */
        if (l->r) /* (a tile outside the box is not drawn: the box must be the tiles') */
            sp_render_box_to_gcj02(&l->r->mxmin, &l->r->mymin, &l->r->mxmax, &l->r->mymax);
        if (l->vo)
            sp_render_vector_to_gcj02(l->vo);
        if (l->vf)
            sp_render_vector_to_gcj02(l->vf);
    }
    return SP_OK;
}

/* The extent (in the tiling's CRS), the zooms and the ranges of tiles over it (of the
 * raster and the overlays). */
static sp_status plan_zooms(sp_ctx *ctx, const sp_tiles_options *o, const layers *l,
                            tile_plan *p, sp_tiles_report *rep)
{
    const sp_render_raster *r = l->r;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    if (r) {
        x0 = r->mxmin; y0 = r->mymin; x1 = r->mxmax; y1 = r->mymax;
    }
    const sp_render_vector *vs[2] = {l->vo, l->vf};
    for (int k = 0; k < 2; k++)
        if (vs[k]) {
            x0 = fmin(x0, vs[k]->mxmin); y0 = fmin(y0, vs[k]->mymin);
            x1 = fmax(x1, vs[k]->mxmax); y1 = fmax(y1, vs[k]->mymax);
        }
    rep->maxz = o->maxz;
    rep->minz = o->minz;
    if (rep->maxz < 0 || rep->minz < 0) {
        if (!r)
            return sp_error(ctx, SP_ERR_USAGE, "without a raster, give the zooms with -z MIN-MAX");
        if (rep->maxz < 0)
            rep->maxz = sp_tiling_zoom_for_pixel(sp_tiles_grid_tiling(o->grid), r->pixel_size);
        if (rep->minz < 0)
            rep->minz = sp_tiling_zoom_for_pixel(sp_tiles_grid_tiling(o->grid), r->pixel_size *
                                                 (r->w > r->h ? r->w : r->h) / SP_TILE_SIZE);
        if (rep->minz > rep->maxz)
            rep->minz = rep->maxz;
    }
    if (rep->minz > rep->maxz || rep->maxz > 24)
        return sp_error(ctx, SP_ERR_USAGE, "zooms %d-%d: want MIN <= MAX <= 24", rep->minz,
                        rep->maxz);
    if (rep->minz < sp_tiling_minz(sp_tiles_grid_tiling(o->grid)))
        return sp_error(ctx, SP_ERR_USAGE, "zoom %d: the %s tiling starts at level %d",
                        rep->minz, sp_tiling_name(sp_tiles_grid_tiling(o->grid)), sp_tiling_minz(sp_tiles_grid_tiling(o->grid)));
    sp_tiling_to_lonlat(sp_tiles_grid_tiling(o->grid), x0, y0, &rep->west, &rep->south);
    sp_tiling_to_lonlat(sp_tiles_grid_tiling(o->grid), x1, y1, &rep->east, &rep->north);
    long long n = 0;
    for (int z = rep->minz; z <= rep->maxz; z++) {
        int *g = p->range[z];
        sp_tiling_range(sp_tiles_grid_tiling(o->grid), x0, y0, x1, y1, z, &g[0], &g[1], &g[2], &g[3]);
        n += (long long)(g[2] - g[0] + 1) * (g[3] - g[1] + 1);
    }
    if (n > 20000000)
        return sp_error(ctx, SP_ERR_LIMIT, "%lld tiles: lower the max zoom (-z)", n);
    rep->tiles = n;
    return SP_OK;
}

/* The tiles in the order they are drawn and written (sp_tiles_plan_build), checked to give
 * every tile of the pyramid one index. */
static sp_status plan_tiles(sp_ctx *ctx, const sp_tiles_options *o, const layers *l,
                            tile_plan *p, sp_tiles_report *rep)
{
    sp_status rc = plan_zooms(ctx, o, l, p, rep);
    if (rc)
        return rc;
    if (!sp_tiles_plan_build(p, rep->minz, rep->maxz,
                            l->r && !o->direct && sp_render_ramp_average(l->style, o->resample),
                            o->threads))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    rep->reduced_from = p->zr < p->maxz ? p->zr : -1;
    if (p->index != rep->tiles) /* the sinks take the indices 0..tiles-1, each once */
        return sp_error(ctx, SP_ERR_INTERNAL, "internal error: %lld of %lld tiles planned",
                        p->index, rep->tiles);
    return SP_OK;
}

/* The sinks of the run: the XYZ tree in the output folder, an MBTiles and a PMTiles file
 * (tiles.mbtiles, tiles.pmtiles in the folder), or the one file OUT is (single >= 0). */
static sp_status open_sinks(sp_ctx *ctx, const sp_tiles_options *o, int single,
                            const char *path, const sp_tiles_report *rep, job *j)
{
    sp_tiles_meta meta = {o->name, o->description, o->attribution, rep->west, rep->south,
                         rep->east, rep->north, rep->minz, rep->maxz, sp_tiles_grid_crs(o->grid)};
    char p[4200];
    for (int k = 0; k < SP_NSINKS; k++) {
        const sp_tiles_sink_kind *kind = SP_TILES_SINKS[k];
        if (single >= 0 ? k != single : !(o->sinks & 1u << k))
            continue;
        if (single >= 0 || !kind->suffix)
            snprintf(p, sizeof p, "%s", path);
        else
            snprintf(p, sizeof p, "%s/tiles%s", path, kind->suffix);
        j->kind[j->nsinks] = kind;
        sp_status rc = kind->open(ctx, p, &meta, &j->sink[j->nsinks]);
        if (rc)
            return rc;
        j->nsinks++;
    }
    return SP_OK;
}

static sp_status close_sinks(sp_ctx *ctx, job *j, bool ok, sp_tiles_report *rep)
{
    sp_status rc = SP_OK;
    for (int k = 0; k < j->nsinks; k++) {
        if (ok && !rc)
            rc = j->kind[k]->close(ctx, j->sink[k], &rep->unique);
        else
            j->kind[k]->abort(j->sink[k]);
        j->sink[k] = NULL;
    }
    j->nsinks = 0;
    return rc;
}

/* Renders every tile on the threads into the sinks. */
static sp_status render(sp_ctx *ctx, const sp_tiles_options *o, const layers *l,
                        const tile_plan *plan, job *j, sp_tiles_report *rep)
{
    long long n = j->part ? j->i1 - j->i0 : rep->tiles;
    /* colour each cell once where tiles read cells' colours: nearest zoomed in past the
     * cells, or average over a colour ramp (see sp_render_tile_index); cheaper than a
     * look-up per pixel or per cell read, the same tiles either way. A byte per cell on
     * top of the float32 values: skipped, not refused, past -max_mem. */
    const sp_render_raster *r = l->r;
    if (r && ((o->resample == SP_RESAMPLE_NEAR && sp_tiling_resolution(sp_tiles_grid_tiling(o->grid), rep->maxz) <
                                                    r->pixel_size) ||
              sp_render_ramp_average(l->style, o->resample)) &&
        (int64_t)r->w * r->h * 5 + (int64_t)r->w * r->h / 32 <= o->max_mem) {
        sp_status rc = sp_render_raster_index(ctx, l->r, &l->lut, o->threads);
        if (rc)
            return rc;
        rep->cell_index_bytes = (int64_t)(r->k_bytes + r->uk_bytes);
    }
    j->o = o; j->r = r; j->lut = &l->lut; j->outline = l->vo; j->fill = l->vf;
    j->width = l->width;
    memcpy(j->color, l->color, sizeof j->color);
    j->plan = plan; j->ntiles = n; j->ctx = ctx;
    pthread_mutex_init(&j->lock, NULL);
    int nt = o->threads < plan->nu ? o->threads : (int)(plan->nu ? plan->nu : 1);
    sp_pool_run(nt, worker, j, 0);
    pthread_mutex_destroy(&j->lock);
    if (j->rc)
        return j->rc;
    /* every tile handed to the sinks, or nothing is committed (a sink that stores tiles in
     * turn cannot tell that the last ones never came) */
    if (atomic_load(&j->done) != n)
        return sp_error(ctx, SP_ERR_INTERNAL, "internal error: %lld of %lld tiles were drawn",
                        (long long)atomic_load(&j->done), n);
    rep->bytes = atomic_load(&j->bytes);
    rep->palette = atomic_load(&j->palette);
    rep->empty = atomic_load(&j->empty);
    rep->written = n - (o->skip_empty ? rep->empty : 0);
    return SP_OK;
}

/* -shard I/N: the tiles of the shard's range of indices drawn into a part, with its
 * sidecar, both committed together. */
static sp_status shard_run(sp_ctx *ctx, const char *dst, const sp_tiles_options *o,
                           const layers *l, const tile_plan *plan, job *j, sp_tiles_report *rep)
{
    if (o->part.shard.count > rep->tiles)
        return sp_error(ctx, SP_ERR_USAGE, "-shard %d/%d: the pyramid has %lld tiles",
                        o->part.shard.index, o->part.shard.count, rep->tiles);
    int64_t i0, i1;
    sp_shard_units(&o->part.shard, rep->tiles, &i0, &i1);
    sp_output out;
    sp_output_hold(ctx);
    sp_status rc = sp_output_begin(ctx, &out, dst);
    uint64_t sum = 0;
    if (!rc && !(rc = sp_tiles_part_create(ctx, out.path, &j->part))) {
        j->i0 = i0;
        j->i1 = i1;
        rc = render(ctx, o, l, plan, j, rep);
        rc = rc ? (sp_tiles_part_close(j->part), rc) : sp_tiles_part_finish(ctx, j->part, &sum);
        j->part = NULL;
    }
    if (!rc)
        rc = sp_output_commit(ctx, &out);
    else if (out.path)
        sp_output_abort(&out);
    const char *in[8];
    sp_tiles_inputs(o, in);
    sp_part_units t = {.shard = o->part.shard, .index0 = i0, .index1 = i1, .total = rep->tiles,
                       .bytes = rep->bytes, .palette = rep->palette, .empty = rep->empty,
                       .sum = sum};
    if (!rc)
        rc = sp_part_write_units(ctx, dst, SP_PART_TILES, &o->part, in, &t);
    sp_status rel = sp_output_release(ctx, rc == SP_OK);
    return rc ? rc : rel;
}

sp_status sp_tiles_run(sp_ctx *ctx, const char *dst, const sp_tiles_options *o,
                       sp_tiles_report *rep)
{
    memset(rep, 0, sizeof *rep);
    size_t dl = strlen(dst);
    if (o->part.shard.count && (dl < 7 || strcmp(dst + dl - 7, ".sqlite")))
        return sp_error(ctx, SP_ERR_USAGE, "a shard's tiles are a part: name it .sqlite, not "
                                           "'%s' (sp-merge writes the tile set)", dst);
    if (o->part.shard.count && o->from_parts)
        return sp_error(ctx, SP_ERR_USAGE, "-shard and -from_parts: give one");
    sp_status rc = check_options(ctx, dst, o);
    if (rc)
        return rc;
    int single = sp_tiles_sink_by_suffix(dst);
    if (o->qml && !o->raster)
        return sp_error(ctx, SP_ERR_USAGE, "-qml is the raster's style: give a raster");
    bool held = o->qml != NULL && !o->part.shard.count; /* the tiles and the .qml together */
    if (held)
        sp_output_hold(ctx);
    layers l;
    memset(&l, 0, sizeof l);
    tile_plan plan;
    memset(&plan, 0, sizeof plan);
    sp_output out = {0};
    bool began = false;
    job j;
    memset(&j, 0, sizeof j);
    if ((rc = open_layers(ctx, o, &l)) || (rc = plan_tiles(ctx, o, &l, &plan, rep)))
        goto done;
    rep->data_min = l.r ? l.r->min : NAN;
    rep->data_max = l.r ? l.r->max : NAN;
    if (o->part.shard.count) { /* a shard: its part, nothing else */
        rc = shard_run(ctx, dst, o, &l, &plan, &j, rep);
        goto done;
    }
    /* outputs: a folder, or one .mbtiles/.pmtiles file */
    if ((rc = single >= 0 ? sp_output_begin(ctx, &out, dst)
                          : sp_output_begin_folder(ctx, &out, dst)))
        goto done;
    began = true;
    if (single < 0 && mkdir(out.path, 0755) != 0 && errno != EEXIST) {
        rc = sp_error(ctx, SP_ERR_IO, "cannot create folder '%s': %s", out.path, strerror(errno));
        goto done;
    }
    if ((rc = open_sinks(ctx, o, single, out.path, rep, &j)) ||
        (rc = o->from_parts ? sp_tiles_feed_parts(ctx, o, rep->tiles, j.kind, j.sink, j.nsinks, rep)
                            : render(ctx, o, &l, &plan, &j, rep)) ||
        (rc = close_sinks(ctx, &j, true, rep)))
        goto done;
    if (single < 0) {
        /* TileJSON 3.0.0 and WMTS clients want absolute tile addresses: without -url, the
         * output's own file:// URL (where the folder will be), so that GDAL and QGIS read
         * it in place; a server's base is -url's */
        sp_tiles_options so = *o;
        bool tree = (o->sinks & 1u << SP_SINK_XYZ) != 0;
        char *url = o->url || !tree ? NULL : sp_tiles_file_url(dst);
        if (!o->url && tree && !url) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        if (url)
            so.url = url;
        rc = sp_tiles_side_files(ctx, out.path, &so, l.style ? l.style : l.fstyle, rep);
        free(url);
        if (rc)
            goto done;
    }
    if (o->values && (rc = sp_tiles_values(ctx, out.path, o, l.r, l.style, rep)))
        goto done;
    rc = sp_output_commit(ctx, &out);
    began = false;
    if (!rc && o->qml)
        rc = write_qml(ctx, o->qml, l.style, o->band);
done:
    close_sinks(ctx, &j, false, rep);
    if (began)
        sp_output_abort(&out);
    if (held) {
        sp_status r2 = sp_output_release(ctx, rc == SP_OK);
        rc = rc ? rc : r2;
    }
    sp_tiles_plan_free(&plan);
    layers_free(&l);
    return rc;
}
