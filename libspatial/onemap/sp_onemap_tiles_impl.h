/* sp_onemap_tiles_impl: the one map's tile sets, shared by the run and the tile-set reader
 * (GDAL side). Private to libspatial: not installed. */
#ifndef SP_ONEMAP_TILES_IMPL_H
#define SP_ONEMAP_TILES_IMPL_H

#include "onemap/sp_onemap.h"

/* A tile set: its name, folder, what its tiles.json says, and its legend. */
typedef struct {
    char *name;
    const char *dir;
    char *group, *mdir; /* -months: the layer it is a month of (month 1-12), its folder */
    int month;
    bool overlay, legend, values; /* values: values.js (sp-tiles -values) */
    int minz, maxz;
    double b[4]; /* west south east north */
} tileset;
/* Reads and checks every tile set of -layer, -overlay and -months into ts (*n of them;
 * room for all); the zooms and bounds over all of them into rep (sp_onemap_tilesets_run.c). */
sp_status sp_onemap_read_tilesets(sp_ctx *ctx, const sp_onemap_options *o, tileset *ts, int *n,
                                  sp_onemap_report *rep);

/* scenario.js in dir from o->scenario (sp_onemap_scenario_run.c). */
sp_status sp_onemap_write_scenario(sp_ctx *ctx, const char *dir, const sp_onemap_options *o);

#endif
