/* sp_mbtiles: MBTiles 1.3 writer (SQLite): metadata, and the images/map layout so that
 * identical tiles (empty, uniform) are stored once, with the `tiles` view readers use.
 * Rows are TMS (tile_row = 2^z - 1 - y): callers give XYZ rows. */
#ifndef SP_MBTILES_H
#define SP_MBTILES_H

#include "core/sp_ctx.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sp_mbtiles sp_mbtiles;

/* Creates path (which must not exist) with the schema. Free with sp_mbtiles_close. */
sp_status sp_mbtiles_create(sp_ctx *ctx, const char *path, sp_mbtiles **out);
/* Sets one metadata entry (name, format, bounds, center, minzoom, maxzoom, ...). */
sp_status sp_mbtiles_meta(sp_ctx *ctx, sp_mbtiles *m, const char *name, const char *value);
/* Adds tile (z, x, y) in XYZ addressing. */
sp_status sp_mbtiles_add(sp_ctx *ctx, sp_mbtiles *m, int z, int x, int y, const uint8_t *data,
                         size_t size);
/* Commits and closes; returns the number of distinct images in *unique (may be NULL). */
sp_status sp_mbtiles_close(sp_ctx *ctx, sp_mbtiles *m, long long *unique);
/* Closes without committing (after an error). Accepts NULL. */
void sp_mbtiles_abort(sp_mbtiles *m);

#endif
