/* sp_tiles_impl: what the parts of sp_tiles_run share. Private to libspatial. */
#ifndef SP_TILES_IMPL_H
#define SP_TILES_IMPL_H
#include "tiles/sp_tiles_run.h"

/* Writes tiles.json, legend.svg (legend_style may be NULL) and, with an XYZ tree,
 * index.html and its Leaflet copy into dir; sets rep->preview. */
sp_status sp_tiles_side_files(sp_ctx *ctx, const char *dir, const sp_tiles_options *o,
                              const sp_style *legend_style, sp_tiles_report *rep);

/* Writes dir/values.js (-values): the raster's values on a lon/lat grid about as fine as
 * its cells (at most 2^20 cells), for the number under the cursor of the one map; sets
 * rep->values_w, values_h. */
sp_status sp_tiles_values(sp_ctx *ctx, const char *dir, const sp_tiles_options *o,
                          const sp_render_raster *r, const sp_style *style,
                          sp_tiles_report *rep);

/* The file:// URL of path made absolute (its folder resolved; percent-encoded but for
 * A-Z a-z 0-9 / . _ ~ -), for TileJSON and WMTS; NULL when out of memory or the folder
 * cannot be resolved (malloc'd). */
char *sp_tiles_file_url(const char *path);

#endif
