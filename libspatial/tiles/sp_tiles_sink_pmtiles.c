/* sp_tiles_sink_pmtiles: a PMTiles v3 archive (sp_pmtiles); order does not matter, the
 * archive is written at close. */
#include "tiles/sp_tiles_sink.h"
#include "tiles/sp_pmtiles.h"

static sp_status pmtiles_open(sp_ctx *ctx, const char *path, const sp_tiles_meta *meta,
                              sp_tiles_sink **out)
{
    sp_pmtiles *pm = NULL;
    sp_status rc = sp_pmtiles_open(ctx, path, meta, &pm);
    *out = (sp_tiles_sink *)pm;
    return rc;
}

static sp_status pmtiles_put(sp_ctx *ctx, sp_tiles_sink *s, long long index, int z, int x,
                             int y, const uint8_t *data, size_t size)
{
    (void)index;
    return sp_pmtiles_put(ctx, (sp_pmtiles *)s, z, x, y, data, size);
}

static sp_status pmtiles_close(sp_ctx *ctx, sp_tiles_sink *s, long long *unique)
{
    return sp_pmtiles_close(ctx, (sp_pmtiles *)s, unique);
}

static void pmtiles_abort(sp_tiles_sink *s)
{
    sp_pmtiles_abort((sp_pmtiles *)s);
}

const sp_tiles_sink_kind sp_tiles_sink_pmtiles = {
    .name = "pmtiles", .label = "PMTiles", .suffix = ".pmtiles", .webmercator_only = true,
    .open = pmtiles_open, .put = pmtiles_put, .close = pmtiles_close, .abort = pmtiles_abort,
};
