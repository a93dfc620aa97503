/* sp_tiles_run: the sp-tiles operation: plan the pyramid over a raster (and/or polygon
 * overlays), render and encode tiles on several threads, and write the XYZ tree, an
 * MBTiles file, TileJSON, an SVG legend and a Leaflet preview page, atomically. */
#ifndef SP_TILES_RUN_H
#define SP_TILES_RUN_H

#include "core/sp_coord.h"
#include "tiles/sp_render.h"
#include "tiles/sp_tiles_sink.h"
#include "io/sp_part.h"

/* The grid the tiles are cut on, one of:
 * - SP_GRID_WEBMERCATOR: EPSG:3857 (OSM, Tianditu's Web Mercator), the default;
 * - SP_GRID_GCJ02: Web Mercator for GCJ-02 base maps (Amap, Tencent; -t_coord gcj02): each
 *   WGS84 position drawn where they show it, ~500 m off in Beijing;
 * - SP_GRID_BD09: Baidu's own Mercator and tile numbers (-t_coord bd09, -tiling bd09);
 * - SP_GRID_CGCS2000: Tianditu's lon/lat grid, EPSG:4490 (-tiling cgcs2000). */
typedef enum { SP_GRID_WEBMERCATOR = 0, SP_GRID_GCJ02, SP_GRID_BD09, SP_GRID_CGCS2000 } sp_tiles_grid;
/* The tiling of a grid (its tile arithmetic, core/sp_tile.h): GCJ-02 is Web Mercator's. */
static inline sp_tiling sp_tiles_grid_tiling(sp_tiles_grid g)
{
    return g == SP_GRID_BD09 ? SP_TILING_BD09 : g == SP_GRID_CGCS2000 ? SP_TILING_CGCS2000
                                                                       : SP_TILING_WEBMERCATOR;
}
/* How the metadata name a grid that is not plain Web Mercator (so that an importing
 * platform does not place shifted tiles ~500 m off): the TileJSON "crs" and MBTiles "crs"
 * values; NULL for Web Mercator. */
static inline const char *sp_tiles_grid_crs(sp_tiles_grid g)
{
    return g == SP_GRID_GCJ02 ? SP_CRS_NAME_GCJ02
           : g == SP_GRID_BD09 ? SP_CRS_NAME_BD09
           : g == SP_GRID_CGCS2000 ? SP_CRS_NAME_CGCS2000
                                   : NULL;
}

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
    sp_tiles_grid grid;        /* the target grid (default Web Mercator); any but Web
                                * Mercator and GCJ-02 makes an XYZ tree only: MBTiles and
                                * PMTiles hold Web Mercator tiles by their specs */
    bool values;               /* -values: values.js beside the tiles (a folder output) */
    bool direct;               /* -direct: every zoom drawn from the raster (default: with
                                * average over a colour ramp, the zooms below the maximum
                                * are reduced from their children, as gdal2tiles does) */
    int threads;               /* default 2 */
    int level;                 /* DEFLATE level of the PNGs (default 1: docs/benchmarks.md) */
    const char *name, *description, *attribution;
    const char *qml;           /* a QGIS style of the raster's ramp (NAME.qml beside
                                * NAME.tif: QGIS opens the GeoTIFF styled); NULL: none */
    const char *url;           /* tile URL prefix for TileJSON and WMTS (default: the XYZ
                                * tree's own absolute file:// address) */
    const char *leaflet;       /* folder with leaflet.js/.css (NULL: the installed copy) */
    int64_t max_mem;
    sp_part_run part;          /* -shard I/N: dst is a part (name.sqlite) holding the tiles
                                * of the shard's range of indices (the sinks' order) and its
                                * sidecar; no side files (the merge writes them) */
    char **from_parts;         /* the parts of a sharded run with these options (sp-merge
                                * runs sp-tiles so): their tiles, not a rendering, go to the
                                * sinks; borrowed, NULL-terminated */
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
    double data_min, data_max;   /* the raster's values (NaN: no raster, or no value): the
                                  * legend says them and stops at the first break above */
} sp_tiles_report;

/* Renders the tile set to dst (a folder, or one .mbtiles/.pmtiles file) with o: checks the
 * options, reads the raster and overlays, draws every tile on o->threads threads into
 * the sinks, writes the side files. Atomic: on failure dst is untouched; rep holds what
 * was made. */
sp_status sp_tiles_run(sp_ctx *ctx, const char *dst, const sp_tiles_options *o,
                       sp_tiles_report *rep);

#endif
