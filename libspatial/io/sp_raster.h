/* sp_raster: in-memory float64 bands on an sp_grid, read from any GDAL raster and
 * written as tiled, compressed GeoTIFF (or COG) with band names, units and totals in
 * the metadata, atomically. float64 so that sums of millions of cells keep 1e-9. */
#ifndef SP_RASTER_H
#define SP_RASTER_H

#include "core/sp_grid.h"

typedef struct {
    sp_grid grid;   /* owned (its WKT too) */
    int nbands;
    double **band;  /* nbands arrays of ncols*nrows, row-major from the top, pointing
                     * into data one after the other */
    double *data;   /* owned: data_bytes of memory */
    size_t data_bytes;
    char **name;    /* band descriptions (entries may be NULL); owned */
    char *unit;     /* unit of every band, e.g. "t/yr" (may be NULL); owned */
    bool has_nodata;
    double nodata;
} sp_raster;

/* Allocates a zero-filled raster on a copy of grid. NULL on failure (message in ctx). */
sp_raster *sp_raster_new(sp_ctx *ctx, const sp_grid *grid, int nbands);
void sp_raster_free(sp_raster *r);
/* Copies name into band b's description / the unit. */
sp_status sp_raster_set_name(sp_ctx *ctx, sp_raster *r, int b, const char *name);
sp_status sp_raster_set_unit(sp_ctx *ctx, sp_raster *r, const char *unit);

/* Reads bands (1-based numbers, or all when nbands == 0) of any GDAL raster into
 * float64. The raster must be north-up. *out is owned by the caller. */
sp_status sp_raster_read(sp_ctx *ctx, const char *path, const int *bands, int nbands,
                         sp_raster **out);

/* The same for rows [row0, row1) only (a shard's window): the raster's grid is those
 * rows' (sp_grid_window), its memory theirs. */
sp_status sp_raster_read_rows(sp_ctx *ctx, const char *path, const int *bands, int nbands,
                              int row0, int row1, sp_raster **out);
/* Whether each band (1-based numbers, or all when nbands == 0) has no negative value
 * anywhere (NaN and nodata aside), read strip by strip: memory of a strip, not the grid.
 * nonneg[k] for the k-th band asked. */
sp_status sp_raster_nonneg(sp_ctx *ctx, const char *path, const int *bands, int nbands,
                           bool *nonneg);

/* The same without the pixels: grid, band names, unit and nodata; band[] and data are
 * NULL. For readers that stream the raster themselves (sp_gdalio). */
sp_status sp_raster_read_info(sp_ctx *ctx, const char *path, const int *bands, int nbands,
                              sp_raster **out);

/* Reads only the grid (extent, size, CRS) of a GDAL raster, for -like. g must be
 * fresh; its WKT is owned by the caller afterwards (sp_grid_clear). */
sp_status sp_raster_grid_of(sp_ctx *ctx, const char *path, sp_grid *g);

typedef struct {
    const char *format;   /* "GTiff" (default) or "COG" */
    bool float32;         /* store Float32 instead of Float64 */
    const char *compress; /* ZSTD (default, level 1), DEFLATE (level 1), LZW or NONE */
    char **co;            /* extra creation options NAME=VALUE, NULL-terminated; borrowed */
    char **meta;          /* extra dataset metadata NAME=VALUE; borrowed */
} sp_raster_write_options;

/* Sets the defaults: GTiff, Float64, ZSTD level 1, no extra options. */
void sp_raster_write_options_init(sp_raster_write_options *o);

/* Writes r to dst atomically. Band metadata: description = name, unit type = unit,
 * items "unit" and "total" (the band's sum, %.17g). Deterministic bytes. */
sp_status sp_raster_write(sp_ctx *ctx, const sp_raster *r, const char *dst,
                          const sp_raster_write_options *o);

/* Compensated (Neumaier) sum of a band, skipping nodata and NaN. */
double sp_raster_band_sum(const sp_raster *r, int b);
/* The same over n values (nodata only when has_nodata). */
double sp_sum_valid(const double *v, size_t n, bool has_nodata, double nodata);

#endif
