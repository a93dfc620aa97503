/* sp_zonal_run: the sp-zonal operation: zones through OGR (reprojected with PROJ),
 * rasters through GDAL or an inventory through OGR + GEOS (vector mode), statistics from
 * sp_zonal, and the table out as CSV, GeoPackage or GeoJSON. */
#ifndef SP_ZONAL_RUN_H
#define SP_ZONAL_RUN_H

#include "io/sp_part.h"
#include "io/sp_table.h"
#include "io/sp_vector.h"
#include "zonal/sp_zonal.h"

typedef struct {
    const char *name; /* column prefix ("base"); NULL for a single positional raster */
    const char *path;
} sp_zonal_raster;

typedef struct {
    const sp_zonal_raster *rasters; /* raster mode: one or more */
    int nrasters;
    const int *bands;  /* 1-based band numbers; NULL/0: every band */
    int nbands;
    const char *inventory;     /* vector mode (-v): an OGR source instead of rasters */
    const char *weights;       /* -weights: a raster on the rasters' grid for weighted_mean
                                * (e.g. population: a street's population-weighted mean) */
    char **fields;             /* vector mode: fields to sum (NULL-terminated) */
    bool allow_negative;       /* vector mode: accept negative values (default: error) */
    sp_vector_options zones;   /* -zl, -where, -s_coord, -s_srs of the zones */
    sp_vector_options inv;     /* the inventory's (vector mode) */
    const char *id;            /* zone id field (NULL: the feature id, column "fid") */
    char **include;            /* zone fields copied to the output (NULL-terminated) */
    const sp_stat *stats;      /* NULL/0: sum,mean,count,area_km2,density,share (rasters),
                                * sum,area_km2,density,share (vector mode) */
    int nstats;
    bool points;               /* ZONES are points: values at them (sp_zonal_points) */
    bool no_delta;             /* two rasters: no delta_ columns (e.g. two sectors, whose
                                * difference means nothing) */
    sp_zonal_method method;
    sp_table_write_options write; /* -lco, -dsco, -nln of the output */
    const char *format;        /* OGR driver or "CSV"; NULL: from dst's extension */
    int threads;               /* 0: CPUs (at most 4); the results do not depend on it */
    sp_part_run part;          /* -shard I/N (raster mode): dst is a part, name.zonal, with
                                * the (zone, strip) sums of the shard's strips of each raster,
                                * and a sidecar; no table */
    char **from_parts;         /* the parts of a sharded run with these options (sp-merge
                                * runs sp-zonal so): their sums, not the rasters' strips, make
                                * the table; borrowed, NULL-terminated */
    sp_progress_fn progress;
    void *progress_user;
} sp_zonal_options;
/* Sets the defaults: exact weights, the default statistics, threads from the CPUs. */
void sp_zonal_options_init(sp_zonal_options *o);

typedef struct {
    int nzones;
    double zones_area;   /* sum of zone areas, m² (computing CRS) */
    double overlap;      /* sum of areas - area of their union, m² */
    double gaps;         /* holes inside the union of the zones, m² */
    int ncols;           /* value columns: one per raster x band (or field) */
    char **label;        /* "base_nox" or "nox" (owned) */
    double *total;       /* raster total / inventory total per column */
    double *in_zones;    /* part of the total inside the union of the zones */
} sp_zonal_report;
/* Frees what the report owns and zeroes it; accepts NULL. */
void sp_zonal_report_free(sp_zonal_report *r);

/* Zonal statistics of every zone of zones_path, written to dst (CSV, GeoPackage or
 * GeoJSON, by extension or o->format). Zones sorted by id (numerically when every id
 * is a number); duplicate ids are an error. Checks the options among themselves first
 * (SP_ERR_USAGE: -v with rasters, -a without -v, a raster name given twice, a statistic
 * the mode cannot give...). With o->points, runs sp_zonal_points instead. Atomic,
 * deterministic; on failure dst is untouched and rep empty. */
sp_status sp_zonal_run(sp_ctx *ctx, const char *zones_path, const char *dst,
                       const sp_zonal_options *o, sp_zonal_report *rep);

/* The point mode: the value of every band of every raster at each point of points_path
 * (the cell holding it; NaN outside the raster or on nodata, with a warning), with the
 * point's id (o->id, else its fid), written to dst like sp_zonal_run's table (no
 * geometry). o->zones gives the points' layer, filter and CRS options. */
sp_status sp_zonal_points(sp_ctx *ctx, const char *points_path, const char *dst,
                          const sp_zonal_options *o);

#endif
