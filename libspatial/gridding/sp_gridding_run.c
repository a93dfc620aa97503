/* sp_gridding_run: reading features (sp_vector, OGR) into a grid with sp_gridding, on
 * one or two reader threads whose result is the same to the bit; the output grid from
 * GDAL-style flags; the whole sp-grid run in one call (sp_gridding_file). */
#include "gridding/sp_gridding_run.h"
#include "io/sp_gdalio.h"
#include "io/sp_ctx_io.h"
#include "core/sp_factors.h"

#include <cpl_string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <ogr_srs_api.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef sp_gridding_chunk chunk;
typedef sp_gridding_sink sink;
#define CHUNK_RECORDS ((size_t)1 << 18)
sp_status sp_gridding_grid(sp_ctx *ctx, sp_vector *v, const sp_gridding_spec *sp, sp_grid *g)
{
    memset(g, 0, sizeof *g);
    sp_status rc;
    if (sp->like) {
        if ((rc = sp_raster_grid_of(ctx, sp->like, g)))
            return rc;
        OGRSpatialReferenceH a = OSRNewSpatialReference(g->wkt);
        OGRSpatialReferenceH b = OSRNewSpatialReference(sp_vector_wkt(v));
        bool same = a && b && OSRIsSame(a, b);
        OSRDestroySpatialReference(a);
        OSRDestroySpatialReference(b);
        if (!same) {
            sp_grid_clear(g);
            return sp_error(ctx, SP_ERR_USAGE, "template '%s' is not in the CRS of the data; "
                                               "add -t_srs with the template's CRS", sp->like);
        }
        return SP_OK;
    }
    if (sp->has_tr && sp->has_ts)
        return sp_error(ctx, SP_ERR_USAGE, "-tr and -ts cannot be used together");
    if (!sp->has_tr && !sp->has_ts)
        return sp_error(ctx, SP_ERR_USAGE, "give the output resolution with -tr (or a size "
                                           "with -ts and -te, or a template with -like)");
    if (sp->tap && !sp->has_tr)
        return sp_error(ctx, SP_ERR_USAGE, "-tap needs -tr");
    if (sp->has_te) {
        rc = sp->has_tr ? sp_grid_from_res(ctx, g, sp->te[0], sp->te[1], sp->te[2], sp->te[3],
                                           sp->tr[0], sp->tr[1], sp->tap)
                        : sp_grid_from_size(ctx, g, sp->te[0], sp->te[1], sp->te[2], sp->te[3],
                                            sp->ts[0], sp->ts[1]);
    } else {
        double e[4];
        if ((rc = sp_vector_extent(ctx, v, &e[0], &e[1], &e[2], &e[3])))
            return rc;
        if (sp->has_tr) {
            rc = sp_grid_from_data(ctx, g, e[0], e[1], e[2], e[3], sp->tr[0], sp->tr[1]);
        } else { /* -ts alone: stretch a hair so that the max edges stay inside */
            double px = (e[2] - e[0]) * 1e-9 + 1e-9, py = (e[3] - e[1]) * 1e-9 + 1e-9;
            rc = sp_grid_from_size(ctx, g, e[0], e[1] - py, e[2] + px, e[3], sp->ts[0],
                                   sp->ts[1]);
        }
    }
    if (!rc)
        rc = sp_grid_set_crs(ctx, g, sp_vector_wkt(v));
    return rc;
}

void sp_gridding_options_init(sp_gridding_options *o)
{
    memset(o, 0, sizeof *o);
    o->units = NULL; /* t/yr for emission columns, none for others */
}

void sp_gridding_report_free(sp_gridding_report *r)
{
    if (!r)
        return;
    sp_grid_clear(&r->grid);
    CSLDestroy(r->names);
    r->names = NULL;
    if (!r)
        return;
    free(r->input);
    free(r->outside);
    free(r->gridded);
    memset(r, 0, sizeof *r);
}

/* Sets OGR to skip the fields not needed: reading 1M features is otherwise dominated
 * by decoding attributes nobody asked for. */
static void ignore_other_fields(sp_vector *v, int layer, char **fields)
{
    OGRLayerH l = sp_vector_layer(v, layer);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    char **ign = NULL;
    const char *where = sp_vector_where(v);
    for (int k = 0; k < OGR_FD_GetFieldCount(d); k++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, k));
        /* a field the -where filter may read must stay (a name found anywhere in it is
         * kept: cheap and safe) */
        if (CSLFindString(fields, name) < 0 && !(where && strcasestr(where, name)))
            ign = CSLAddString(ign, name);
    }
    ign = CSLAddString(ign, "OGR_STYLE");
    OGR_L_SetIgnoredFields(l, (const char **)ign);
    CSLDestroy(ign);
}

/* Chunks recorded by the second reader, in order; the reader waits when more than
 * max_bytes are queued, so memory stays bounded whatever the input. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    chunk **items;
    size_t head, n, cap, bytes, max_bytes;
    bool done, stop;
} queue;

static size_t chunk_bytes(const chunk *c, int nb) { return c->cap * (8 + 8 * (size_t)nb); }

static void chunk_free(chunk *c)
{
    if (c) {
        free(c->cell);
        free(c->amt);
        free(c);
    }
}

/* A chunk with room for a full chunk's records (put grows it past that if a feature
 * needs it): sized once, so that recording does not copy itself while it doubles. */
static chunk *chunk_new(int nb)
{
    chunk *c = calloc(1, sizeof *c);
    size_t cap = CHUNK_RECORDS + 4096;
    if (c && (c->cell = malloc(cap * sizeof *c->cell)) &&
        (c->amt = malloc(cap * (size_t)nb * sizeof *c->amt)))
        c->cap = cap;
    return c; /* cap 0 when the arrays failed: put grows it, or reports out of memory */
}

/* 0 when queued; 1 when the consumer stopped (it has its own error); -1 out of memory */
static int queue_push(queue *q, chunk *c, int nb)
{
    pthread_mutex_lock(&q->mu);
    while (q->bytes > q->max_bytes && !q->stop)
        pthread_cond_wait(&q->cv, &q->mu);
    bool stopped = q->stop, ok = !stopped;
    if (ok && q->head + q->n == q->cap) { /* full at the end: slide down, or grow */
        if (q->head) {
            memmove(q->items, q->items + q->head, q->n * sizeof *q->items);
            q->head = 0;
        } else {
            size_t nc = q->cap ? 2 * q->cap : 16;
            chunk **a = realloc(q->items, nc * sizeof *a);
            if (a) {
                q->items = a;
                q->cap = nc;
            } else {
                ok = false;
            }
        }
    }
    if (ok) {
        q->items[q->head + q->n++] = c;
        q->bytes += chunk_bytes(c, nb);
        pthread_cond_broadcast(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return ok ? 0 : stopped ? 1 : -1;
}

static chunk *queue_pop(queue *q, int nb)
{
    pthread_mutex_lock(&q->mu);
    while (q->n == 0 && !q->done)
        pthread_cond_wait(&q->cv, &q->mu);
    chunk *c = NULL;
    if (q->n) {
        c = q->items[q->head++];
        q->n--;
        q->bytes -= chunk_bytes(c, nb);
        pthread_cond_broadcast(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return c;
}

static void queue_end(queue *q, bool stop)
{
    pthread_mutex_lock(&q->mu);
    if (stop)
        q->stop = true;
    else
        q->done = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

/* One reader of features: the whole input, or one half of it. */
typedef struct {
    sp_ctx *ctx;
    sp_vector *v;
    const sp_gridding_options *o;
    const sp_grid *g;
    int nb;
    int *idx; /* field index per layer x band */
    double *input, *outside;
    long long features, empty, degenerate;
    sink s;
    queue *q;           /* second reader: where its chunks go */
    atomic_llong *read; /* features read by every reader (progress) */
    long long total;    /* for progress; -1 unknown */
    bool progress;      /* this reader reports progress */
    sp_status rc;
} reader;

static sp_status reader_init(sp_ctx *ctx, reader *rd, sp_vector *v,
                             const sp_gridding_options *o, const sp_grid *g, int nb)
{
    memset(rd, 0, sizeof *rd);
    rd->ctx = ctx;
    rd->v = v;
    rd->o = o;
    rd->g = g;
    rd->nb = nb;
    int nl = sp_vector_layer_count(v);
    rd->idx = calloc((size_t)nl * nb + 1, sizeof *rd->idx);
    rd->input = calloc((size_t)nb, sizeof(double));
    rd->outside = calloc((size_t)nb, sizeof(double));
    if (!rd->idx || !rd->input || !rd->outside)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc;
    for (int l = 0; l < nl && o->fields; l++) {
        for (int b = 0; b < nb; b++)
            if ((rc = sp_vector_field(ctx, v, l, o->fields[b], &rd->idx[l * nb + b])))
                return rc;
        ignore_other_fields(v, l, o->fields);
    }
    return SP_OK;
}

static void reader_free(reader *rd)
{
    free(rd->idx);
    free(rd->input);
    free(rd->outside);
    chunk_free(rd->s.rec);
}

static bool report_progress(reader *rd)
{
    const sp_gridding_options *o = rd->o;
    long long n = atomic_load(rd->read);
    if (!rd->progress || !o->progress || rd->total <= 0)
        return true;
    if (o->progress(0.95 * (double)n / (double)rd->total, NULL, o->progress_user))
        return true;
    rd->rc = sp_error(rd->ctx, SP_ERR_CANCEL, "cancelled");
    return false;
}

/* Reads the reader's features into its sink; sets rd->rc. */
static void *read_features(void *user)
{
    reader *rd = user;
    int nb = rd->nb;
    unsigned flags = (rd->o->null_is_zero ? SP_NUM_NULL_IS_ZERO : 0) |
                     (rd->o->allow_negative ? SP_NUM_ALLOW_NEGATIVE : 0);
    double vals[nb];
    sp_geom geom = {0};
    sp_cover_ws ws = {0};
    sp_feature f;
    int got;
    /* a plain GeoPackage layer of points or lines: read with SQLite directly, the same
     * rows, values and geometries (opened here, after any sp_vector_restrict) */
    sp_vector_direct *dv = NULL;
    if ((rd->rc = sp_vector_direct_open(rd->ctx, rd->v, (const char *const *)rd->o->fields,
                                        rd->o->fields ? nb : 0, &dv)))
        goto done;
    if (!dv)
        sp_vector_rewind(rd->v);
    for (;;) {
        if (dv) {
            long long fid;
            if ((got = sp_vector_direct_next(rd->ctx, dv, &geom, vals, flags, &fid)) != 1)
                break;
            for (int b = 0; b < nb; b++) {
                if (!rd->o->fields)
                    vals[b] = 1.0;
                rd->input[b] += vals[b];
            }
        } else {
            if ((got = sp_vector_next(rd->ctx, rd->v, &f)) != 1)
                break;
            for (int b = 0; b < nb; b++) {
                if (!rd->o->fields)
                    vals[b] = 1.0;
                else if ((rd->rc = sp_vector_number(rd->ctx, rd->v, &f,
                                                    rd->idx[f.layer * nb + b], flags, &vals[b])))
                    goto done;
                rd->input[b] += vals[b];
            }
            if ((rd->rc = sp_vector_flatten(rd->ctx, f.geom, &geom))) {
                sp_error_prefix(rd->ctx, rd->rc, "layer '%s', feature %lld: ",
                                sp_vector_layer_name(rd->v, f.layer), f.fid);
                goto done;
            }
        }
        bool degen;
        if (geom.npoints == 0)
            rd->empty++;
        if ((rd->rc = sp_gridding_sink_add(rd->ctx, rd->g, &rd->s, nb, &geom, vals, rd->outside, &ws,
                               &degen)))
            goto done;
        if (rd->s.oom) {
            rd->rc = sp_error(rd->ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        rd->degenerate += degen;
        rd->features++;
        if ((rd->features & 0x3ff) == 0) /* shared by the readers: not once per feature */
            atomic_fetch_add(rd->read, 0x400);
        if (rd->s.rec && rd->s.rec->n >= CHUNK_RECORDS) {
            chunk *c = rd->s.rec;
            int pushed = (rd->s.rec = chunk_new(nb)) ? queue_push(rd->q, c, nb) : -1;
            if (pushed) {
                chunk_free(c);
                if (pushed < 0)
                    rd->rc = sp_error(rd->ctx, SP_ERR_NOMEM, "out of memory");
                goto done;
            }
        }
        if ((rd->features & 0x3fff) == 0 && !report_progress(rd))
            goto done;
    }
    if (got < 0)
        rd->rc = (sp_status)got;
done:
    if (rd->q) { /* the last chunk, then the end */
        if (!rd->rc && rd->s.rec && rd->s.rec->n) {
            int pushed = queue_push(rd->q, rd->s.rec, nb);
            if (pushed == 0)
                rd->s.rec = NULL;
            else if (pushed < 0)
                rd->rc = sp_error(rd->ctx, SP_ERR_NOMEM, "out of memory");
        }
        queue_end(rd->q, false);
    }
    sp_vector_direct_close(dv);
    sp_geom_free(&geom);
    sp_cover_ws_free(&ws);
    return NULL;
}

/* The second half of the input is read on another thread when the input is large and
 * a single GeoPackage layer without -where (rows then come in FID order, and a FID range
 * is an index lookup). Its shares are recorded and added after the first half's, in
 * reading order, so every cell gets the same additions in the same order as with one
 * reader: the grid is the same to the bit. */
#define SPLIT_MIN_FEATURES 20000

/* The second reader of a split run: its own context and vector (the second half of the
 * rows), recording into chunks that the first reader's thread adds after its own. */
typedef struct {
    sp_ctx *ctx;
    sp_vector *v;
    queue q;
    pthread_t th;
    bool started;
} second_reader;

static sp_status second_start(sp_ctx *ctx, sp_vector *v, const sp_gridding_options *o,
                              const sp_grid *g, int nb, long long mid, reader *rd,
                              second_reader *sr)
{
    sp_status rc;
    if (!(sr->ctx = sp_ctx_new()))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if ((rc = sp_vector_reopen(sr->ctx, v, &sr->v)) ||
        (rc = sp_vector_restrict(sr->ctx, sr->v, 1, mid)) ||
        (rc = reader_init(sr->ctx, &rd[1], sr->v, o, g, nb)) ||
        (rc = sp_vector_restrict(ctx, v, 0, mid)))
        return sp_error(ctx, rc, "%s", sp_ctx_message(sr->ctx));
    rd[1].q = &sr->q;
    if (!(rd[1].s.rec = chunk_new(nb)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return SP_OK;
}

/* After the first half: the second half's chunks added in reading order (read here when
 * its thread could not start); the first error in reading order. */
static sp_status second_finish(sp_ctx *ctx, reader *rd, sp_raster *r, int nb,
                               second_reader *sr)
{
    if (!sr->started && !rd[0].rc) { /* no thread: read the second half here */
        sr->q.max_bytes = (size_t)-1;
        read_features(&rd[1]);
    }
    if (rd[0].rc)
        queue_end(&sr->q, true);
    chunk *c;
    while (!rd[0].rc && (c = queue_pop(&sr->q, nb))) {
        for (size_t k = 0; k < c->n; k++)
            for (int b = 0; b < nb; b++)
                r->band[b][c->cell[k]] += c->amt[k * nb + b];
        chunk_free(c);
    }
    if (sr->started)
        pthread_join(sr->th, NULL);
    if (!rd[0].rc && rd[1].rc)
        return sp_error(ctx, rd[1].rc, "%s", sp_ctx_message(sr->ctx));
    return SP_OK;
}

static void second_free(second_reader *sr)
{
    while (sr->q.n) /* chunks left after an error */
        chunk_free(sr->q.items[sr->q.head + --sr->q.n]);
    free(sr->q.items);
    pthread_mutex_destroy(&sr->q.mu);
    pthread_cond_destroy(&sr->q.cv);
    sp_vector_close(sr->v);
    sp_ctx_free(sr->ctx);
}

/* The balance checks, -density and the band unit, once every feature is in. */
static sp_status finish_bands(sp_ctx *ctx, const sp_gridding_options *o, sp_raster *r,
                              sp_gridding_report *rep)
{
    int nb = rep->nbands;
    if (rep->features == 0)
        return sp_error(ctx, SP_ERR_DATA, "no features to grid: the layers are empty or the "
                                          "filter (-where/-sql) selected none");
    for (int b = 0; b < nb; b++) {
        rep->gridded[b] = sp_raster_band_sum(r, b);
        /* value - placed leaves ~1e-16 relative residues per feature: not "outside" */
        if (o->outside_is_error && !o->part.shard.count && fabs(rep->outside[b]) > 1e-12 * fabs(rep->input[b]))
            return sp_error(ctx, SP_ERR_DATA, "%.17g of band '%s' (input %.17g) falls outside "
                                              "the grid; widen -te or drop -outside_error",
                            rep->outside[b], o->fields ? o->fields[b] : "count", rep->input[b]);
    }
    if (o->density) {
        double km2 = r->grid.dx * r->grid.dy / 1e6;
        size_t n = (size_t)sp_grid_cells(&r->grid);
        for (int b = 0; b < nb; b++)
            for (size_t i = 0; i < n; i++)
                r->band[b][i] /= km2;
    }
    /* the unit: -units; else t/yr for the inventory's emission columns (nox, pm25...),
     * none for other fields (stoves, AADT, persons: not t/yr), count for counts */
    bool emis = o->fields != NULL;
    for (int b = 0; o->fields && o->fields[b] && emis; b++) {
        int p = 0;
        while (p < SP_NPOL && strcasecmp(o->fields[b], SP_POL_COLUMN[p]))
            p++;
        emis = p < SP_NPOL;
    }
    const char *unit = !o->fields ? "count" : o->units ? o->units : emis ? "t/yr" : "";
    if (!unit[0])
        return SP_OK;
    char ubuf[128];
    if (o->density) {
        size_t ul = strlen(unit);
        if (ul > 3 && !strcmp(unit + ul - 3, "/yr"))
            snprintf(ubuf, sizeof ubuf, "%.*s/km2/yr", (int)(ul - 3), unit);
        else
            snprintf(ubuf, sizeof ubuf, "%s/km2", unit);
        unit = ubuf;
    }
    return sp_raster_set_unit(ctx, r, unit);
}

/* Grids v into r, which holds rows row0.. of the grid full (r's own grid when not a
 * shard): shares computed on full, kept for r's rows. */
static sp_status grid_rows(sp_ctx *ctx, sp_vector *v, sp_raster *r, const sp_grid *full,
                           int row0, const sp_gridding_options *o, sp_gridding_report *rep)
{
    memset(rep, 0, sizeof *rep);
    int nb = o->fields ? CSLCount(o->fields) : 1;
    if (nb != r->nbands)
        return sp_error(ctx, SP_ERR_INTERNAL, "raster has %d bands for %d fields", r->nbands, nb);
    sp_status rc = SP_OK;
    rep->nbands = nb;
    rep->input = calloc((size_t)nb, sizeof(double));
    rep->outside = calloc((size_t)nb, sizeof(double));
    rep->gridded = calloc((size_t)nb, sizeof(double));
    reader rd[2];
    memset(rd, 0, sizeof rd);
    second_reader sr;
    memset(&sr, 0, sizeof sr);
    pthread_mutex_init(&sr.q.mu, NULL);
    pthread_cond_init(&sr.q.cv, NULL);
    sr.q.max_bytes = (size_t)256 << 20;
    atomic_llong nread = 0;
    if (!rep->input || !rep->outside || !rep->gridded) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int b = 0; b < nb; b++)
        if ((rc = sp_raster_set_name(ctx, r, b, o->fields ? o->fields[b] : "count")))
            goto done;
    if ((rc = reader_init(ctx, &rd[0], v, o, full, nb)))
        goto done;
    long long total = sp_vector_count(v), mid;
    bool split = sp_threads(o->threads) > 1 && total >= SPLIT_MIN_FEATURES &&
                 !sp_vector_where(v) && sp_vector_split_point(v, &mid);
    if (split && (rc = second_start(ctx, v, o, full, nb, mid, rd, &sr)))
        goto done;
    for (int k = 0; k < 2; k++) {
        rd[k].read = &nread;
        rd[k].total = total;
        rd[k].s.bands = r->band;
        if (r->grid.nrows != full->nrows) { /* a shard */
            rd[k].s.row0 = row0;
            rd[k].s.row1 = row0 + r->grid.nrows;
            rd[k].s.ncols = full->ncols;
        }
    }
    rd[0].progress = true;
    /* a pipeline, not a fork-join (sp_pool): the first reader's thread adds the second
     * half's chunks after its own half, as they come */
    if (split)
        sr.started = pthread_create(&sr.th, NULL, read_features, &rd[1]) == 0;
    read_features(&rd[0]);
    if (split)
        rc = second_finish(ctx, rd, r, nb, &sr);
    if (rd[0].rc)
        rc = rd[0].rc;
    if (rc)
        goto done;
    for (int k = 0; k < (split ? 2 : 1); k++) {
        for (int b = 0; b < nb; b++) {
            rep->input[b] += rd[k].input[b];
            rep->outside[b] += rd[k].outside[b];
        }
        rep->features += rd[k].features;
        rep->empty += rd[k].empty;
        rep->degenerate += rd[k].degenerate;
    }
    if ((rc = finish_bands(ctx, o, r, rep)))
        goto done;
    if (o->progress)
        o->progress(1.0, NULL, o->progress_user);
done:
    second_free(&sr);
    reader_free(&rd[0]);
    reader_free(&rd[1]);
    if (rc)
        sp_gridding_report_free(rep);
    return rc;
}

sp_status sp_gridding_run(sp_ctx *ctx, sp_vector *v, sp_raster *r,
                          const sp_gridding_options *o, sp_gridding_report *rep)
{
    return grid_rows(ctx, v, r, &r->grid, 0, o, rep);
}

/* A shard's rows of g: the units (rows) of shard s, as a grid of its own in *win.
 * Refuses more shards than rows (a shard would be empty). */
static sp_status shard_window(sp_ctx *ctx, const sp_grid *g, const sp_shard *s, sp_grid *win,
                              int64_t *u0, int64_t *u1)
{
    if (s->count > g->nrows)
        return sp_error(ctx, SP_ERR_USAGE, "-shard %d/%d: the grid has %d rows, so at most %d "
                                           "shards", s->index, s->count, g->nrows, g->nrows);
    sp_shard_units(s, g->nrows, u0, u1);
    return sp_grid_window(ctx, win, g, (int)*u0, (int)*u1);
}

/* Writes the grid, or a shard's part with its sidecar (the inputs: src and -like). */
static sp_status write_grid(sp_ctx *ctx, const sp_raster *r, const char *dst, const char *src,
                            const sp_gridding_spec *spec, const sp_gridding_options *o,
                            const sp_grid *full, int64_t u0, const sp_raster_write_options *wo,
                            const sp_gridding_report *rep)
{
    if (!o->part.shard.count)
        return sp_raster_write(ctx, r, dst, wo);
    const char *inputs[] = {src, spec->like, NULL};
    sp_part_info pi = {.run = &o->part, .inputs = inputs, .full = full, .row0 = (int)u0,
                       .unit0 = u0, .unit1 = u0 + r->grid.nrows, .nunits = full->nrows,
                       .unit_rows = 1, .wo = wo, .input = rep->input};
    return sp_part_write(ctx, r, dst, &pi);
}

sp_status sp_gridding_file(sp_ctx *ctx, const char *src, const char *dst,
                           const sp_vector_options *vo, const sp_gridding_spec *spec,
                           const sp_gridding_options *o, const sp_raster_write_options *wo,
                           int64_t max_mem, sp_gridding_report *rep)
{
    memset(rep, 0, sizeof *rep);
    sp_vector *v = NULL;
    sp_raster *r = NULL;
    sp_grid g = {0};
    int nb = o->fields ? CSLCount(o->fields) : 1;
    sp_status rc;
    /* -like without -t_srs: the data go to the template's CRS (not a UTM zone of their
     * own, which the template would then refuse) */
    sp_vector_options vl = *vo;
    sp_grid tg = {0};
    if (spec->like && !vo->t_srs) {
        if ((rc = sp_raster_grid_of(ctx, spec->like, &tg)))
            goto done;
        vl.t_srs = tg.wkt;
    }
    sp_grid win = {0};
    int64_t u0 = 0, u1 = 0;
    if ((o->part.shard.count && (rc = sp_part_check_dst(ctx, dst))) ||
        (rc = sp_vector_open(ctx, src, &vl, &v)) || (rc = sp_gridding_grid(ctx, v, spec, &g)) ||
        (o->part.shard.count && (rc = shard_window(ctx, &g, &o->part.shard, &win, &u0, &u1))) ||
        (rc = sp_grid_check_size(ctx, win.nrows ? &win : &g, nb, 8, max_mem)))
        goto done;
    if (!(r = sp_raster_new(ctx, win.nrows ? &win : &g, nb))) {
        rc = sp_ctx_status(ctx);
        goto done;
    }
    /* one layer gridded: its name travels as LAYER (an inventory's sector, which sp-disperse
     * -classes gives its release height) */
    sp_raster_write_options w2 = *wo;
    char **meta = CSLDuplicate(wo->meta);
    if (sp_vector_layer_count(v) == 1)
        meta = CSLSetNameValue(meta, "LAYER", sp_vector_layer_name(v, 0));
    w2.meta = meta;
    rc = grid_rows(ctx, v, r, &g, (int)u0, o, rep);
    if (!rc)
        rc = write_grid(ctx, r, dst, src, spec, o, &g, u0, &w2, rep);
    CSLDestroy(meta);
    if (rc)
        goto done;
    if (rep->empty)
        sp_warn(ctx, "%lld feature(s) without geometry: their values are counted as outside",
                rep->empty);
    if (rep->degenerate)
        sp_warn(ctx, "%lld zero-length line(s) or zero-area polygon(s) placed as points",
                rep->degenerate);
    rep->grid = g;
    g.wkt = NULL; /* now the report's */
    for (int b = 0; b < nb; b++)
        rep->names = CSLAddString(rep->names, r->name[b]);
done:
    if (rc)
        sp_gridding_report_free(rep);
    sp_raster_free(r);
    sp_grid_clear(&g);
    sp_grid_clear(&win);
    sp_grid_clear(&tg);
    sp_vector_close(v);
    return rc;
}
