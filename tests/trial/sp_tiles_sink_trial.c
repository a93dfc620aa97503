/* A trial tile sink, added by tests/cli/test_extend.sh to a copy of the tree with this
 * file and one line of sp_tiles_sinks.def, to show that a tile format is one file and one
 * list line: it writes a text listing, one line "z/x/y bytes fnv1a" per stored tile, in
 * the pyramid's index order. Not part of the library. */
#include "tiles/sp_tiles_sink.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *path;
    pthread_mutex_t lock;
    struct line { long long index; int z, x, y; size_t size; uint64_t hash; } *l;
    size_t n, cap;
} trial_sink;

static sp_status trial_open(sp_ctx *ctx, const char *path, const sp_tiles_meta *meta,
                            sp_tiles_sink **out)
{
    (void)meta;
    trial_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    pthread_mutex_init(&s->lock, NULL);
    *out = (sp_tiles_sink *)s;
    return SP_OK;
}

static sp_status trial_put(sp_ctx *ctx, sp_tiles_sink *sink, long long index, int z, int x,
                           int y, const uint8_t *data, size_t size)
{
    trial_sink *s = (trial_sink *)sink;
    if (!data)
        return SP_OK;
    uint64_t h = 14695981039346656037ULL; /* FNV-1a, 64 bits (offset basis) */
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ULL;
    sp_status rc = SP_OK;
    pthread_mutex_lock(&s->lock);
    if (s->n == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 256;
        struct line *nl = realloc(s->l, nc * sizeof *nl);
        if (nl)
            s->l = nl, s->cap = nc;
        else
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    if (!rc)
        s->l[s->n++] = (struct line){index, z, x, y, size, h};
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int by_index(const void *a, const void *b)
{
    long long x = ((const struct line *)a)->index, y = ((const struct line *)b)->index;
    return (x > y) - (x < y);
}

static void trial_abort(sp_tiles_sink *sink)
{
    trial_sink *s = (trial_sink *)sink;
    if (!s)
        return;
    pthread_mutex_destroy(&s->lock);
    free(s->l);
    free(s->path);
    free(s);
}

static sp_status trial_close(sp_ctx *ctx, sp_tiles_sink *sink, long long *unique)
{
    trial_sink *s = (trial_sink *)sink;
    (void)unique;
    qsort(s->l, s->n, sizeof *s->l, by_index);
    FILE *fp = fopen(s->path, "w");
    for (size_t i = 0; fp && i < s->n; i++)
        fprintf(fp, "%d/%d/%d %zu %016llx\n", s->l[i].z, s->l[i].x, s->l[i].y, s->l[i].size,
                (unsigned long long)s->l[i].hash);
    sp_status rc = fp && !fclose(fp) ? SP_OK
                                     : sp_error(ctx, SP_ERR_IO, "cannot write '%s'", s->path);
    trial_abort(sink);
    return rc;
}

const sp_tiles_sink_kind sp_tiles_sink_trial = {
    .name = "tilelist", .label = "tile list", .suffix = ".tilelist", .webmercator_only = true,
    .open = trial_open, .put = trial_put, .close = trial_close, .abort = trial_abort,
};
