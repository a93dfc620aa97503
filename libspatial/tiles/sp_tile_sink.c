/* sp_tile_sink: the XYZ tree and the MBTiles file. */
#include "tiles/sp_tile_sink.h"
#include "tiles/sp_mbtiles.h"
#include "tiles/sp_pmtiles.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct sp_tile_sink {
    char *path;
    /* mbtiles: the writer, and the tiles that came before their turn */
    sp_mbtiles *m;
    pthread_mutex_t lock;
    long long next; /* the index stored next */
    struct pending {
        long long index;
        int z, x, y;
        uint8_t *data; /* NULL: a skipped tile */
        size_t size;
    } *pend;
    int npend, cap;
    sp_pmtiles *pm; /* pmtiles */
};

static sp_tile_sink *sink_new(sp_ctx *ctx, const char *path)
{
    sp_tile_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

static void sink_free(sp_tile_sink *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->npend; i++)
        free(s->pend[i].data);
    free(s->pend);
    pthread_mutex_destroy(&s->lock);
    free(s->path);
    free(s);
}

/* ---- XYZ: {z}/{x}/{y}.png under a folder ------------------------------------------ */

static sp_status xyz_open(sp_ctx *ctx, const char *path, const sp_tile_meta *meta,
                          sp_tile_sink **out)
{
    (void)meta;
    return (*out = sink_new(ctx, path)) ? SP_OK : SP_ERR_NOMEM;
}

/* The folders z and z/x under the sink's folder (other threads may make the same ones:
 * EEXIST is fine). Never the sink's folder itself: if it was removed (a signal cleaning
 * up the temporaries), the tile fails rather than bringing the folder back. */
static bool make_dirs(const char *root, int z, int x)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%d", root, z);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return false;
    snprintf(dir, sizeof dir, "%s/%d/%d", root, z, x);
    return mkdir(dir, 0777) == 0 || errno == EEXIST;
}

static sp_status xyz_put(sp_ctx *ctx, sp_tile_sink *s, long long index, int z, int x, int y,
                         const uint8_t *data, size_t size)
{
    (void)index;
    if (!data)
        return SP_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s/%d/%d/%d." SP_TILE_EXT, s->path, z, x, y);
    FILE *fp = fopen(path, "wb");
    if (!fp && errno == ENOENT && make_dirs(s->path, z, x)) /* first tile of its column */
        fp = fopen(path, "wb");
    bool ok = fp && fwrite(data, 1, size, fp) == size;
    if (fp && fclose(fp))
        ok = false;
    return ok ? SP_OK
              : sp_error(ctx, SP_ERR_IO, "cannot write tile '%s': %s", path, strerror(errno));
}

static sp_status xyz_close(sp_ctx *ctx, sp_tile_sink *s, long long *unique)
{
    (void)ctx, (void)unique;
    sink_free(s);
    return SP_OK;
}

/* ---- MBTiles 1.3 (sp_mbtiles), tiles stored in index order ----------------------- */

static sp_status mbtiles_open(sp_ctx *ctx, const char *path, const sp_tile_meta *mt,
                              sp_tile_sink **out)
{
    sp_tile_sink *s = sink_new(ctx, path);
    if (!s)
        return SP_ERR_NOMEM;
    sp_status rc = sp_mbtiles_create(ctx, path, &s->m);
    struct {
        const char *k;
        char *v;
    } meta[10];
    int nm = 0;
#define META(key, ...)                                                                 \
    do {                                                                               \
        meta[nm].k = key;                                                              \
        if (asprintf(&meta[nm].v, __VA_ARGS__) < 0)                                    \
            meta[nm].v = NULL;                                                         \
        nm++;                                                                          \
    } while (0)
    META("name", "%s", mt->name ? mt->name : "onemap");
    META("format", "%s", SP_TILE_EXT);
    META("type", "overlay");
    META("version", "1.3");
    META("description", "%s", mt->description ? mt->description : "");
    META("attribution", "%s", mt->attribution ? mt->attribution : "");
    META("bounds", "%.8f,%.8f,%.8f,%.8f", mt->west, mt->south, mt->east, mt->north);
    META("center", "%.8f,%.8f,%d", (mt->west + mt->east) / 2, (mt->south + mt->north) / 2,
         mt->minz + (mt->maxz - mt->minz) / 2);
    META("minzoom", "%d", mt->minz);
    META("maxzoom", "%d", mt->maxz);
#undef META
    for (int i = 0; i < nm && !rc; i++)
        rc = meta[i].v ? sp_mbtiles_meta(ctx, s->m, meta[i].k, meta[i].v)
                       : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int i = 0; i < nm; i++)
        free(meta[i].v);
    if (rc) {
        sp_mbtiles_abort(s->m);
        sink_free(s);
        return rc;
    }
    *out = s;
    return SP_OK;
}

/* Stores the pending tiles that are now in turn (under the lock). */
static sp_status flush(sp_ctx *ctx, sp_tile_sink *s)
{
    for (bool moved = true; moved;) {
        moved = false;
        for (int i = 0; i < s->npend; i++) {
            struct pending *p = &s->pend[i];
            if (p->index != s->next)
                continue;
            sp_status rc = p->data ? sp_mbtiles_add(ctx, s->m, p->z, p->x, p->y, p->data,
                                                    p->size)
                                   : SP_OK;
            free(p->data);
            s->pend[i] = s->pend[--s->npend];
            s->next++;
            if (rc)
                return rc;
            moved = true;
            break;
        }
    }
    return SP_OK;
}

static sp_status mbtiles_put(sp_ctx *ctx, sp_tile_sink *s, long long index, int z, int x,
                             int y, const uint8_t *data, size_t size)
{
    sp_status rc = SP_OK;
    pthread_mutex_lock(&s->lock);
    if (index == s->next) { /* its turn: straight in */
        if (data)
            rc = sp_mbtiles_add(ctx, s->m, z, x, y, data, size);
        s->next++;
    } else { /* an earlier tile is still being drawn: keep a copy until its turn */
        if (s->npend == s->cap) {
            int nc = s->cap ? 2 * s->cap : 16;
            struct pending *np = realloc(s->pend, (size_t)nc * sizeof *np);
            if (!np)
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            else
                s->pend = np, s->cap = nc;
        }
        uint8_t *copy = !rc && data ? malloc(size ? size : 1) : NULL;
        if (!rc && data && !copy)
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        if (!rc) {
            if (copy)
                memcpy(copy, data, size);
            s->pend[s->npend++] = (struct pending){index, z, x, y, copy, size};
        }
    }
    if (!rc)
        rc = flush(ctx, s);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static sp_status mbtiles_close(sp_ctx *ctx, sp_tile_sink *s, long long *unique)
{
    sp_status rc = s->npend ? sp_error(ctx, SP_ERR_INTERNAL, "%d tiles never came in turn",
                                       s->npend)
                            : SP_OK;
    if (rc)
        sp_mbtiles_abort(s->m);
    else
        rc = sp_mbtiles_close(ctx, s->m, unique);
    sink_free(s);
    return rc;
}

static void mbtiles_abort(sp_tile_sink *s)
{
    if (!s)
        return;
    sp_mbtiles_abort(s->m);
    sink_free(s);
}

/* ---- PMTiles v3 (sp_pmtiles): order does not matter, the archive is written at close */

static sp_status pmtiles_open(sp_ctx *ctx, const char *path, const sp_tile_meta *meta,
                              sp_tile_sink **out)
{
    sp_tile_sink *s = sink_new(ctx, path);
    if (!s)
        return SP_ERR_NOMEM;
    sp_status rc = sp_pmtiles_open(ctx, path, meta, &s->pm);
    if (rc) {
        sink_free(s);
        return rc;
    }
    *out = s;
    return SP_OK;
}

static sp_status pmtiles_put(sp_ctx *ctx, sp_tile_sink *s, long long index, int z, int x,
                             int y, const uint8_t *data, size_t size)
{
    (void)index;
    return sp_pmtiles_put(ctx, s->pm, z, x, y, data, size);
}

static sp_status pmtiles_close(sp_ctx *ctx, sp_tile_sink *s, long long *unique)
{
    sp_status rc = sp_pmtiles_close(ctx, s->pm, unique);
    s->pm = NULL;
    sink_free(s);
    return rc;
}

static void pmtiles_abort(sp_tile_sink *s)
{
    if (!s)
        return;
    sp_pmtiles_abort(s->pm);
    sink_free(s);
}

const sp_tile_sink_kind SP_TILE_SINKS[SP_NSINKS] = {
    [SP_SINK_XYZ] = {"xyz", xyz_open, xyz_put, xyz_close, sink_free},
    [SP_SINK_MBTILES] = {"mbtiles", mbtiles_open, mbtiles_put, mbtiles_close, mbtiles_abort},
    [SP_SINK_PMTILES] = {"pmtiles", pmtiles_open, pmtiles_put, pmtiles_close, pmtiles_abort},
};
