/* sp_tiles_sink: where encoded tiles go. One file per output format (an XYZ tree of files,
 * an MBTiles file, a PMTiles v3 archive), each a descriptor behind the same four calls and
 * one line of sp_tiles_sinks.def, so that sp_tiles_run renders once and hands every tile to
 * every sink.
 * Tiles arrive from the render threads in any order; a sink that stores them in a file
 * (MBTiles) puts them back in tile-index order, so its bytes do not depend on the
 * threads. */
#ifndef SP_TILES_SINK_H
#define SP_TILES_SINK_H

#include "core/sp_ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SP_TILE_EXT "png" /* the tile image format of every sink (8-bit palette or RGBA PNG) */

/* What a sink may record about the tile set (MBTiles metadata). Strings borrowed. */
typedef struct {
    const char *name, *description, *attribution;
    double west, south, east, north; /* lon/lat */
    int minz, maxz;
    const char *crs; /* the grid when it is not plain Web Mercator (sp_tiles_grid_crs) */
} sp_tiles_meta;

/* A sink's state: each kind has its own struct behind this opaque handle. */
typedef struct sp_tiles_sink sp_tiles_sink;
typedef struct {
    const char *name;      /* "xyz", "mbtiles": what -of names it */
    const char *label;     /* "MBTiles": how reports name it */
    const char *suffix;    /* ".mbtiles": a one-file output OUT<suffix>, and tiles<suffix> in
                            * a folder output; NULL: the sink is the folder itself (XYZ) */
    bool webmercator_only; /* its spec holds Web Mercator tiles only (MBTiles, PMTiles) */
    /* Opens the sink at path (a folder for xyz, a new file otherwise); *out owned by the
     * caller until close or abort. */
    sp_status (*open)(sp_ctx *ctx, const char *path, const sp_tiles_meta *meta,
                      sp_tiles_sink **out);
    /* Tile number index (0, 1, 2... in the pyramid's order, each exactly once) at z/x/y;
     * data NULL for a tile that is not stored (skipped as empty). Called from any
     * thread; errors go to ctx (the calling thread's). */
    sp_status (*put)(sp_ctx *ctx, sp_tiles_sink *s, long long index, int z, int x, int y,
                     const uint8_t *data, size_t size);
    /* Finishes (commits); frees s whatever happens. *unique: distinct images stored, when
     * the sink knows (else left as it is). */
    sp_status (*close)(sp_ctx *ctx, sp_tiles_sink *s, long long *unique);
    /* Frees s without finishing (after an error); accepts NULL. */
    void (*abort)(sp_tiles_sink *s);
} sp_tiles_sink_kind;

/* SP_SINK_XYZ, SP_SINK_MBTILES, ...: the kinds, in the list's order */
enum {
#define SP_SINK(ID, var) SP_SINK_##ID,
#include "tiles/sp_tiles_sinks.def"
#undef SP_SINK
    SP_NSINKS
};
#define SP_SINK(ID, var) extern const sp_tiles_sink_kind var;
#include "tiles/sp_tiles_sinks.def"
#undef SP_SINK
/* The table, indexed by SP_SINK_ID; each entry borrowed for the program's life. */
extern const sp_tiles_sink_kind *const SP_TILES_SINKS[SP_NSINKS];
/* The sink -of calls name (any case), or -1. */
int sp_tiles_sink_by_name(const char *name);
/* The sink whose suffix ends path (any case): a one-file output; -1 for a folder. */
int sp_tiles_sink_by_suffix(const char *path);

#endif
