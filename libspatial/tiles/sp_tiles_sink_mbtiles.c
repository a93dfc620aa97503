/* sp_tiles_sink_mbtiles: an MBTiles 1.3 file (sp_mbtiles), tiles stored in the pyramid's
 * index order whatever order the threads finish them in, so that the file's bytes do not
 * depend on the threads. */
#include "tiles/sp_tiles_sink.h"
#include "tiles/sp_mbtiles.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
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
} mb_sink;

static void sink_free(mb_sink *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->npend; i++)
        free(s->pend[i].data);
    free(s->pend);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static sp_status mbtiles_open(sp_ctx *ctx, const char *path, const sp_tiles_meta *mt,
                              sp_tiles_sink **out)
{
    mb_sink *s = calloc(1, sizeof *s);
    if (!s)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    pthread_mutex_init(&s->lock, NULL);
    sp_status rc = sp_mbtiles_create(ctx, path, &s->m);
    struct {
        const char *k;
        char *v;
    } meta[12];
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
    META("version", "1.0.0"); /* the tileset's own version (MBTiles 1.3), not the spec's */
    META("description", "%s", mt->description ? mt->description : "");
    META("attribution", "%s", mt->attribution ? mt->attribution : "");
    META("bounds", "%.8f,%.8f,%.8f,%.8f", mt->west, mt->south, mt->east, mt->north);
    META("center", "%.8f,%.8f,%d", (mt->west + mt->east) / 2, (mt->south + mt->north) / 2,
         mt->minz + (mt->maxz - mt->minz) / 2);
    META("minzoom", "%d", mt->minz);
    META("maxzoom", "%d", mt->maxz);
    if (mt->crs) /* not plain Web Mercator: said, so that no importer places it off */
        META("crs", "%s", mt->crs);
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
    *out = (sp_tiles_sink *)s;
    return SP_OK;
}

/* Stores the pending tiles that are now in turn (under the lock). */
static sp_status flush(sp_ctx *ctx, mb_sink *s)
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

static sp_status mbtiles_put(sp_ctx *ctx, sp_tiles_sink *sink, long long index, int z, int x,
                             int y, const uint8_t *data, size_t size)
{
    mb_sink *s = (mb_sink *)sink;
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

static sp_status mbtiles_close(sp_ctx *ctx, sp_tiles_sink *sink, long long *unique)
{
    mb_sink *s = (mb_sink *)sink;
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

static void mbtiles_abort(sp_tiles_sink *sink)
{
    mb_sink *s = (mb_sink *)sink;
    if (!s)
        return;
    sp_mbtiles_abort(s->m);
    sink_free(s);
}

const sp_tiles_sink_kind sp_tiles_sink_mbtiles = {
    .name = "mbtiles", .label = "MBTiles", .suffix = ".mbtiles", .webmercator_only = true,
    .open = mbtiles_open, .put = mbtiles_put, .close = mbtiles_close, .abort = mbtiles_abort,
};
