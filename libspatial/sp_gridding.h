/* sp_gridding: mass-conserving allocation of feature values onto a grid. A point's
 * value goes to the cell containing it, a line's is split by the exact length in each
 * cell, a polygon's by the exact area in each cell; what falls outside the grid is
 * accounted for, so that per band sum(grid) + outside == sum(input). */
#ifndef SP_GRIDDING_H
#define SP_GRIDDING_H

#include "sp_coverage.h"
#include "sp_raster.h"
#include "sp_vector.h"

/* Adds one feature with nb values to the bands of a grid (pure, no I/O):
 * - multi-points split their value equally between their points;
 * - zero-length lines and zero-area polygons are placed as a point at their first
 *   vertex (and *degenerate is set);
 * - outside[b] receives the part of value b that falls outside the grid.
 * Returns SP_ERR_NOMEM only. An empty geometry adds its whole value to outside. */
sp_status sp_gridding_add(sp_ctx *ctx, const sp_grid *grid, double **bands, int nb,
                          const sp_geom *geom, const double *values, double *outside,
                          sp_cover_ws *ws, bool *degenerate);

/* How the user described the output grid (GDAL's -te/-tr/-ts/-tap/-like). */
typedef struct {
    bool has_te, has_tr, has_ts, tap;
    double te[4]; /* xmin ymin xmax ymax, in the target CRS */
    double tr[2]; /* xres yres */
    int ts[2];    /* ncols nrows */
    const char *like; /* template raster (its grid and CRS win) */
} sp_grid_spec;

/* Resolves the output grid: -like, else -te with -tr or -ts, else the data extent of
 * v snapped to -tr (sp_grid_from_data). The CRS is v's target CRS. Errors: neither
 * -tr nor -ts nor -like; -tr with -ts; -tap without -tr; a template in another CRS
 * than the data (reproject with -t_srs). */
sp_status sp_gridding_grid(sp_ctx *ctx, sp_vector *v, const sp_grid_spec *spec, sp_grid *g);

typedef struct {
    char **fields;      /* value fields, one band each (borrowed); NULL: one band "count"
                           where every feature weighs 1 */
    const char *units;  /* band unit, default "t/yr" ("count" for counts) */
    bool density;       /* divide by cell area in km² at the end (unit becomes .../km2) */
    bool null_is_zero;  /* null values count as 0 instead of an error */
    bool allow_negative;
    bool outside_is_error; /* fail when mass falls outside the grid (beyond rounding:
                              more than 1e-12 of the band's input) */
    int threads;        /* 0: as many as the CPUs; 1: one reader. The grid is the same */
    sp_progress_fn progress;
    void *progress_user;
} sp_gridding_options;

void sp_gridding_options_init(sp_gridding_options *o);

typedef struct {
    int nbands;
    double *input;    /* per band: total of the input values (owned) */
    double *outside;  /* per band: part outside the grid, or of empty geometries */
    double *gridded;  /* per band: sum of the grid */
    long long features, empty, degenerate;
} sp_gridding_report;

void sp_gridding_report_free(sp_gridding_report *r);

/* Reads every feature of v and allocates its field values onto r (whose bands must
 * be zero and number one per field). Band names are set to the field names. */
sp_status sp_gridding_run(sp_ctx *ctx, sp_vector *v, sp_raster *r,
                          const sp_gridding_options *o, sp_gridding_report *rep);

#endif
