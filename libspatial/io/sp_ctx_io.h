/* sp_ctx_io: the full context: a core context (core/sp_ctx.h) with GDAL's drivers
 * registered, GDAL's errors captured into it, and a GEOS handle and a PROJ context of
 * its own. Every tool and every library worker thread makes its context here. */
#ifndef SP_CTX_IO_H
#define SP_CTX_IO_H

#include "core/sp_ctx.h"

/* Creates a full context. Returns NULL when out of memory or when GEOS/PROJ cannot be
 * initialised. While it lives, GDAL errors raised on this thread are captured into it
 * instead of being printed. Free with sp_ctx_free on the same thread. */
sp_ctx *sp_ctx_new(void);

/* Records every file of an open GDAL dataset (GDALDatasetH ds; a shapefile's .shp,
 * .shx, .dbf, .prj...) and path itself as inputs. Returns SP_ERR_NOMEM only. */
sp_status sp_ctx_add_dataset(sp_ctx *ctx, void *ds, const char *path);

#endif
