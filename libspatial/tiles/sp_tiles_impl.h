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

/* The files a tile set is made from (the raster, the overlays, their styles), for a part's
 * sidecar: into in[0..] and a NULL; in must hold 8. */
void sp_tiles_inputs(const sp_tiles_options *o, const char **in);

/* Merges o->from_parts: checks they are the parts of this run (sp-tiles, the same options
 * and inputs, total tiles, every shard once, each its own range and contents) and hands
 * their tiles to the nsinks sinks in index order, as rendering would; sets rep's counts. */
sp_status sp_tiles_feed_parts(sp_ctx *ctx, const sp_tiles_options *o, long long total,
                              const sp_tiles_sink_kind *const *kind, sp_tiles_sink *const *sink,
                              int nsinks, sp_tiles_report *rep);

#endif
