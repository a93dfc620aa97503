/* sp_render: drawing one 256 px tile of a tiling (sp_tile: Web Mercator, or CGCS2000
 * lon/lat). A raster band is read once, then each
 * tile's pixel centres are taken to the raster's CRS through PROJ (exactly every 16 px,
 * linearly in between), resampled (near, bilinear, average) and coloured through a style
 * lookup table. Vector overlays (choropleth fills, anti-aliased outlines) are drawn above
 * with cairo. The tile is straight (not premultiplied) RGBA. */
#ifndef SP_RENDER_H
#define SP_RENDER_H

#include "tiles/sp_style.h"
#include "core/sp_tile.h"

#include <stdint.h>

typedef enum { SP_RESAMPLE_NEAR, SP_RESAMPLE_BILINEAR, SP_RESAMPLE_AVERAGE } sp_resample;
/* "near"/"nearest", "bilinear", "average"; false when unknown. */
bool sp_resample_parse(const char *s, sp_resample *r);

typedef struct {
    int w, h;
    double gt[6];
    float *v;            /* w x h values (owned: v_bytes) */
    size_t v_bytes;
    bool has_nodata;
    double nodata;
    double min, max;     /* over the valid cells; NaN when none */
    char *wkt;           /* CRS (owned) */
    sp_tiling tiling;    /* whose tiles are drawn (0: Web Mercator) */
    double mxmin, mymin, mxmax, mymax; /* bounds in the tiling's CRS (EPSG:3857 or 4490);
                                        * for GCJ-02 tiles, where they show the raster */
    double pixel_size;   /* pixel size once in the tiling's CRS (sqrt of area per cell) */
    char *desc;          /* band description (owned, may be "") */
    char unit[64];       /* the band's unit type (GDAL), "" when none */
    uint8_t *k;          /* per cell: style LUT index, 0 where invalid (owned: k_bytes);
                          * NULL until sp_render_raster_index */
    size_t k_bytes;
    uint16_t *uk;        /* per block of SP_RENDER_UB x SP_RENDER_UB cells: its cells' common
                          * index, SP_RENDER_MIXED when they differ (owned: uk_bytes; with k) */
    size_t uk_bytes;
    int ub_w, ub_h;      /* blocks per row, per column */
} sp_render_raster;
#define SP_RENDER_UB 8
#define SP_RENDER_MIXED 0xFFFF

/* Reads band (1-based) of path, to be drawn in tiles of tiling t. Errors: cannot open, no
 * such band, rotated geotransform, no CRS, more than max_bytes of memory. Free with
 * sp_render_raster_free. */
sp_status sp_render_raster_open(sp_ctx *ctx, const char *path, int band, int64_t max_bytes,
                                sp_tiling t, sp_render_raster **out);
void sp_render_raster_free(sp_render_raster *r);

/* Whether average over style s blends colours along its ramp (an interpolated style with
 * two or more entries) rather than averaging the values (class styles). */
static inline bool sp_render_ramp_average(const sp_style *s, sp_resample rs)
{
    return rs == SP_RESAMPLE_AVERAGE && s->mode == SP_STYLE_INTERPOLATE && s->n > 1;
}

/* Colours every cell once (its LUT index into r->k, on up to `threads` threads), so
 * that tiles where a pixel is no larger than a cell (nearest, or average zoomed in) read
 * one byte per pixel instead of looking a value up; and marks the blocks of 8 x 8 cells
 * of one colour (r->uk), so that a 16 x 16 px stretch of a tile over such blocks is filled
 * at once. The tiles are the same either way. Memory: 1 + 1/32 bytes per cell. */
sp_status sp_render_raster_index(sp_ctx *ctx, sp_render_raster *r, const sp_style_lut *lut,
                                 int threads);

/* Per-thread state: a transformation from the tiling's CRS to the raster's CRS (PROJ objects
 * must not be shared between threads) and scratch arrays. */
typedef struct sp_render_worker sp_render_worker;
/* Takes n points of the tiling's CRS (x, y in place) to the raster's CRS; ok[i] = 0 where a point
 * cannot be transformed. */
typedef void (*sp_render_transform_fn)(void *user, int n, double *x, double *y, int *ok);
/* A worker with PROJ's transformation (sp_render_raster_io.c); with gcj02, tile pixels are in
 * GCJ-02 Web Mercator: each is first taken back to WGS84 (sp_gcj02_to_wgs84). Free with
 * sp_render_worker_free. */
sp_status sp_render_worker_new(sp_ctx *ctx, const sp_render_raster *r, bool gcj02,
                               sp_render_worker **out);
/* A worker with any transformation (the pure core's entry: unit tests draw in-memory
 * rasters with an identity); free_user(user) is called by sp_render_worker_free (may be
 * NULL). NULL when out of memory (user is then not freed). */
sp_render_worker *sp_render_worker_with(sp_render_transform_fn fn, void *user,
                                        void (*free_user)(void *));
void sp_render_worker_free(sp_render_worker *w);

/* Draws the raster as LUT indices into idx (256 x 256, all written; 0 = no colour).
 * Returns true when any pixel is not fully transparent. */
bool sp_render_tile_index(sp_render_worker *w, const sp_render_raster *r,
                          const sp_style_lut *lut, sp_resample rs, int z, int x, int y,
                          uint8_t *idx);
/* The same into idx and, into edge (may be NULL), the plane a pyramid's next zoom is
 * reduced from: where average over a ramp takes the cell under a pixel's centre (pixels
 * under a quarter of a cell), a see-through pixel whose footprint overlaps an opaque cell
 * takes the footprint rule's colour there; every other pixel is as in idx. A parent's
 * footprint is its four children's, so the pixels of the zooms reduced from edge planes
 * are opaque where their footprints touch an opaque cell, as GDAL's warp makes them. */
bool sp_render_tile_leaf(sp_render_worker *w, const sp_render_raster *r,
                         const sp_style_lut *lut, sp_resample rs, int z, int x, int y,
                         uint8_t *idx, uint8_t *edge);
/* Draws a tile from its four children (child[q] is tile (2x + (q & 1), 2y + (q >> 1)) of
 * the next zoom, 256 x 256 LUT indices each) as average over a colour ramp does, the way
 * gdal2tiles builds its lower zooms: each pixel is the rounded mean index of the opaque
 * ones among its 2 x 2 child pixels, else the last see-through one, else 0 (no colour).
 * Returns true when any pixel is not fully transparent. */
bool sp_render_reduce(const sp_style_lut *lut, const uint8_t *const child[4], uint8_t *idx);
/* The raster's values at the centres of a lon/lat grid of gw x gh cells of dx x dy
 * degrees from (west, north), row by row from the north-west, in the geographic
 * coordinates of the worker's tiles (GCJ-02 for a gcj02 worker): the value of the cell
 * under each centre, NaN where there is none (nodata, outside). False when out of
 * memory. */
bool sp_render_sample_grid(sp_render_worker *w, const sp_render_raster *r, double west,
                           double north, double dx, double dy, int gw, int gh, float *out);
/* idx (256 x 256 LUT indices) to straight RGBA; index 0 is (0, 0, 0, 0). */
void sp_render_index_rgba(const sp_style_lut *lut, const uint8_t *idx, uint8_t *rgba);
/* Draws the raster into rgba (256 x 256 x 4, all written). Returns true when any pixel is
 * not fully transparent. */
bool sp_render_tile_raster(sp_render_worker *w, const sp_render_raster *r,
                           const sp_style_lut *lut, sp_resample rs, int z, int x, int y,
                           uint8_t *rgba);

/* Polygons in the tiling's CRS with a fill colour each. */
typedef struct {
    sp_tiling tiling;
    int n;
    int *ring_start;     /* per feature: first ring (n + 1 entries) */
    int *pt_start;       /* per ring: first point (nrings + 1 entries) */
    double *x, *y;
    double (*bbox)[4];   /* per feature: xmin ymin xmax ymax */
    uint8_t (*fill)[4];  /* per feature (alpha 0: not filled) */
    double mxmin, mymin, mxmax, mymax;
} sp_render_vector;

/* Reads the polygons of path (layer NULL: the first) into the CRS of tiling t; with field
 * and style, each polygon's fill is the style's colour of its field value (null: not
 * filled). */
sp_status sp_render_vector_open(sp_ctx *ctx, const char *path, const char *layer,
                                const char *field, const sp_style *style, sp_tiling t,
                                sp_render_vector **out);
void sp_render_vector_free(sp_render_vector *v);
/* Moves every vertex of v from WGS84 to GCJ-02 Web Mercator (sp_wgs84_to_gcj02), with the
 * boxes: for tiles over GCJ-02 base maps. */
void sp_render_vector_to_gcj02(sp_render_vector *v);
/* Moves every vertex of v with fn, the boxes with them. */
void sp_render_vector_map(sp_render_vector *v, void (*fn)(double *x, double *y));
/* One point from WGS84 lon/lat to Baidu's Mercator (through BD-09), in place. */
void sp_render_wgs84_to_bd09mc(double *x, double *y);
/* The same for a box in EPSG:3857 (its corners and densified edges). */
void sp_render_box_to_gcj02(double *xmin, double *ymin, double *xmax, double *ymax);

/* Draws the fills (when fill) and/or outlines (width in px > 0) of v over rgba. Returns
 * 1 when anything was drawn, 0 when nothing, -1 when out of memory. */
int sp_render_tile_vector(const sp_render_vector *v, bool fill, double width,
                          const uint8_t outline[4], int z, int x, int y, uint8_t *rgba);

#endif
