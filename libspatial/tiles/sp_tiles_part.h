/* sp_tiles_part: a shard's tiles (sp-tiles -shard I/N): every tile of its range of indices
 * (the sinks' order) with z/x/y, its PNG (none: a tile not stored, -x) and whether it was
 * empty and a palette image, in one SQLite file; read back in index order when the parts
 * are merged, so that the sinks get exactly what one run hands them. */
#ifndef SP_TILES_PART_H
#define SP_TILES_PART_H

#include "core/sp_ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sp_tiles_part sp_tiles_part;

/* One tile as stored; data borrowed until the next read. */
typedef struct {
    long long index;
    int z, x, y;
    const uint8_t *data; /* NULL: not stored */
    size_t size;
    bool empty, palette;
} sp_tiles_part_tile;

/* Creates a part at path (a new file). */
sp_status sp_tiles_part_create(sp_ctx *ctx, const char *path, sp_tiles_part **out);
/* Stores a tile; called from any thread. */
sp_status sp_tiles_part_put(sp_ctx *ctx, sp_tiles_part *p, const sp_tiles_part_tile *t);
/* Commits and closes (frees p); *sum: sp_tiles_part_sum of the tiles in index order. */
sp_status sp_tiles_part_finish(sp_ctx *ctx, sp_tiles_part *p, uint64_t *sum);
/* Opens a part to read its tiles in index order. */
sp_status sp_tiles_part_open(sp_ctx *ctx, const char *path, sp_tiles_part **out);
/* The next tile into *t: 1, 0 at the end, < 0 on an error (message in ctx). */
int sp_tiles_part_next(sp_ctx *ctx, sp_tiles_part *p, sp_tiles_part_tile *t);
/* Closes a part being read, or drops one being written; accepts NULL. */
void sp_tiles_part_close(sp_tiles_part *p);
/* The checksum of tile t added to s (its index, place, flags and bytes). */
uint64_t sp_tiles_part_sum(uint64_t s, const sp_tiles_part_tile *t);

#endif
