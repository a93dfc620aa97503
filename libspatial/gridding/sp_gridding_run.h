/* sp_gridding_run: gridding a vector source (sp_vector) onto a raster with
 * sp_gridding, the output grid from GDAL's flags, and the whole sp-grid run. */
#ifndef SP_GRIDDING_RUN_H
#define SP_GRIDDING_RUN_H

#include "gridding/sp_gridding.h"
#include "io/sp_part.h"
#include "io/sp_raster.h"
#include "io/sp_vector.h"

/* How the user described the output grid (GDAL's -te/-tr/-ts/-tap/-like). */
typedef struct {
    bool has_te, has_tr, has_ts, tap;
    double te[4]; /* xmin ymin xmax ymax, in the target CRS */
    double tr[2]; /* xres yres */
    int ts[2];    /* ncols nrows */
    const char *like; /* template raster (its grid and CRS win) */
} sp_gridding_spec;

/* Resolves the output grid: -like, else -te with -tr or -ts, else the data extent of
 * v snapped to -tr (sp_grid_from_data). The CRS is v's target CRS. Errors: neither
 * -tr nor -ts nor -like; -tr with -ts; -tap without -tr; a template in another CRS
 * than the data (reproject with -t_srs). */
sp_status sp_gridding_grid(sp_ctx *ctx, sp_vector *v, const sp_gridding_spec *spec, sp_grid *g);

typedef struct {
    char **fields;      /* value fields, one band each (borrowed); NULL: one band "count"
                           where every feature weighs 1 */
    const char *units;  /* band unit; NULL: t/yr for the inventory's emission columns (nox,
                         * pm25...), none for other fields, "count" for counts */
    bool density;       /* divide by cell area in km² at the end (unit becomes .../km2) */
    bool null_is_zero;  /* null values count as 0 instead of an error */
    bool allow_negative;
    bool outside_is_error; /* fail when mass falls outside the grid (beyond rounding:
                              more than 1e-12 of the band's input) */
    int threads;        /* 0: as many as the CPUs; 1: one reader. The grid is the same */
    sp_part_run part;   /* -shard I/N: sp_gridding_file grids and writes the shard's rows
                           (a part and its sidecar, for sp-merge); -outside_error is then
                           sp-merge's to check */
    sp_progress_fn progress;
    void *progress_user;
} sp_gridding_options;

/* Sets every option to its default (see each field). */
void sp_gridding_options_init(sp_gridding_options *o);

typedef struct {
    int nbands;
    sp_grid grid;     /* the output grid (sp_gridding_file; its WKT owned) */
    char **names;     /* band names (sp_gridding_file; owned) */
    double *input;    /* per band: total of the input values (owned) */
    double *outside;  /* per band: part outside the grid, or of empty geometries */
    double *gridded;  /* per band: sum of the grid */
    long long features, empty, degenerate;
} sp_gridding_report;

/* Frees what the report owns and zeroes it; accepts NULL. */
void sp_gridding_report_free(sp_gridding_report *r);

/* Reads every feature of v and allocates its field values onto r (whose bands must
 * be zero and number one per field). Band names are set to the field names. */
sp_status sp_gridding_run(sp_ctx *ctx, sp_vector *v, sp_raster *r,
                          const sp_gridding_options *o, sp_gridding_report *rep);

/* The whole sp-grid run: opens src with vo, resolves the grid from spec, checks that
 * the bands fit in max_mem bytes, grids, writes dst atomically with wo. Features without
 * geometry and degenerate ones are reported as warnings. On success rep holds the grid,
 * the band names and the balance (free with sp_gridding_report_free); on failure dst is
 * untouched and rep is empty. */
sp_status sp_gridding_file(sp_ctx *ctx, const char *src, const char *dst,
                           const sp_vector_options *vo, const sp_gridding_spec *spec,
                           const sp_gridding_options *o, const sp_raster_write_options *wo,
                           int64_t max_mem, sp_gridding_report *rep);

#endif
