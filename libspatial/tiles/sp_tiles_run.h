/* sp_tiles_run: the sp-tiles operation: plan the pyramid over a raster (and/or polygon
 * overlays), render and encode tiles on several threads, and write the XYZ tree, an
 * MBTiles file, TileJSON, an SVG legend and a Leaflet preview page, atomically. */
#ifndef SP_TILES_RUN_H
#define SP_TILES_RUN_H

#include "tiles/sp_render.h"
#include "tiles/sp_tile_sink.h"

typedef struct {
    const char *raster;        /* single-band raster (may be NULL with overlays only) */
    int band;                  /* default 1 */
    const char *style;         /* color-relief style of the raster (required with it) */
    sp_resample resample;      /* default average (as gdal2tiles) */
    const char *outline;       /* polygons drawn as outlines (e.g. streets) */
    const char *outline_style; /* width/color file (NULL: defaults) */
    const char *fill;          /* polygons filled by an attribute (a choropleth) */
    const char *fill_field;
    const char *fill_style;    /* color-relief style of the fill values */
    int minz, maxz;            /* -1: from the raster resolution, as gdal2tiles */
    unsigned sinks;            /* outputs, a bit (1u << SP_SINK_ID) per tile sink (default
                                * XYZ): in folder OUT, tiles<suffix> beside the XYZ tree;
                                * OUT<suffix> (OUT.mbtiles...): that one file only */
    bool skip_empty;           /* -x: leave out fully transparent tiles */
    bool gcj02;                /* -t_coord gcj02: tiles for GCJ-02 base maps (Amap,
                                * Tencent): each WGS84 position drawn where they show it */
    sp_tiling tiling;          /* -tiling: Web Mercator (default), Tianditu's CGCS2000
                                * lon/lat grid or Baidu's (-t_coord bd09): XYZ tree only,
                                * MBTiles and PMTiles are Web Mercator by their specs */
    bool bd09;                 /* -t_coord bd09: Baidu's tiles (tiling SP_TILING_BD09) */
    bool values;               /* -values: values.js beside the tiles (a folder output) */
    bool direct;               /* -direct: every zoom drawn from the raster (default: with
                                * average over a colour ramp, the zooms below the maximum
                                * are reduced from their children, as gdal2tiles does) */
    int threads;               /* default 2 */
    int level;                 /* DEFLATE level of the PNGs (default 1: docs/benchmarks.md) */
    const char *name, *description, *attribution;
    const char *url;           /* tile URL prefix for TileJSON (default: relative) */
    const char *leaflet;       /* folder with leaflet.js/.css (NULL: the installed copy) */
    int64_t max_mem;
    sp_progress_fn progress;
    void *progress_user;
} sp_tiles_options;
/* Sets the defaults: band 1, average resampling, zooms from the raster, XYZ, 2 threads,
 * DEFLATE level 1. */
void sp_tiles_options_init(sp_tiles_options *o);

typedef struct {
    int minz, maxz;
    long long tiles, written, empty, palette, unique;
    long long bytes;             /* PNG bytes written (each tile once) */
    double west, south, east, north;
    bool preview;                /* index.html written */
    int64_t cell_index_bytes;    /* cells coloured once (zoomed in past them); 0: not */
    int values_w, values_h;      /* the grid of values.js (-values) */
    int reduced_from;            /* zooms reduced_from..maxz-1 made from their children;
                                  * -1: every zoom drawn from the raster */
} sp_tiles_report;

/* Renders the tile set to dst (a folder, or one .mbtiles/.pmtiles file) with o: checks the
 * options, reads the raster and overlays, draws every tile on o->threads threads into
 * the sinks, writes the side files. Atomic: on failure dst is untouched; rep holds what
 * was made. */
sp_status sp_tiles_run(sp_ctx *ctx, const char *dst, const sp_tiles_options *o,
                       sp_tiles_report *rep);

#endif
