/* sp_pmtiles: a PMTiles v3 writer (one file, Hilbert-clustered, deduplicated), the
 * PMTiles sink of sp-tiles. Tiles may come in any order and from any thread; the archive
 * is written at close. */
#ifndef SP_PMTILES_H
#define SP_PMTILES_H

#include "tiles/sp_tiles_sink.h"

#include <stdint.h>

/* The PMTiles tile id of z/x/y: the tiles of the lower zooms, then the position on the
 * zoom's Hilbert curve (spec v3: (1,0,0) -> 1, (1,1,0) -> 4, (2,0,0) -> 5). */
uint64_t sp_pmtiles_tileid(int z, uint32_t x, uint32_t y);

typedef struct sp_pmtiles sp_pmtiles;
/* Starts an archive at path (written at close; a scratch file path.tiles holds the images
 * meanwhile). meta is copied. Free with sp_pmtiles_close or sp_pmtiles_abort. */
sp_status sp_pmtiles_open(sp_ctx *ctx, const char *path, const sp_tiles_meta *meta,
                          sp_pmtiles **out);
/* Adds tile z/x/y (data NULL: no tile there). Thread-safe; identical images are stored
 * once. */
sp_status sp_pmtiles_put(sp_ctx *ctx, sp_pmtiles *p, int z, int x, int y, const uint8_t *data,
                         size_t size);
/* The most bytes header + root directory may take (default 16,384, the spec's limit);
 * beyond, the entries go to leaf directories. Smaller values are for tests. */
void sp_pmtiles_set_root_max(sp_pmtiles *p, size_t bytes);
/* Writes the archive and frees p whatever happens; *unique: distinct images (may be NULL).
 * An archive without tiles is an error (the spec wants a non-empty directory). */
sp_status sp_pmtiles_close(sp_ctx *ctx, sp_pmtiles *p, long long *unique);
/* Frees p and removes its scratch file, without writing; accepts NULL. */
void sp_pmtiles_abort(sp_pmtiles *p);

#endif
