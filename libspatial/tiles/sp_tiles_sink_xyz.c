/* sp_tiles_sink_xyz: the XYZ tree, {z}/{x}/{y}.png under a folder (the tile output every
 * web map reads; written as tiles come, in any order). */
#include "tiles/sp_tiles_sink.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    char *path;
} xyz_sink;

static sp_status xyz_open(sp_ctx *ctx, const char *path, const sp_tiles_meta *meta,
                          sp_tiles_sink **out)
{
    (void)meta;
    xyz_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    *out = (sp_tiles_sink *)s;
    return SP_OK;
}

static void xyz_abort(sp_tiles_sink *sink)
{
    xyz_sink *s = (xyz_sink *)sink;
    if (!s)
        return;
    free(s->path);
    free(s);
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

static sp_status xyz_put(sp_ctx *ctx, sp_tiles_sink *sink, long long index, int z, int x,
                         int y, const uint8_t *data, size_t size)
{
    (void)index;
    xyz_sink *s = (xyz_sink *)sink;
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

static sp_status xyz_close(sp_ctx *ctx, sp_tiles_sink *s, long long *unique)
{
    (void)ctx, (void)unique;
    xyz_abort(s);
    return SP_OK;
}

const sp_tiles_sink_kind sp_tiles_sink_xyz = {
    .name = "xyz", .label = "XYZ", .suffix = NULL, .webmercator_only = false,
    .open = xyz_open, .put = xyz_put, .close = xyz_close, .abort = xyz_abort,
};
