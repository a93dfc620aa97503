/* sp_zonal_impl: what the parts of sp_zonal_run share (the zones as read, the raster
 * and vector statistics). Private to libspatial: not installed. */
#ifndef SP_ZONAL_IMPL_H
#define SP_ZONAL_IMPL_H
#include "io/sp_output.h"
#include "io/sp_part.h"
#include "io/sp_raster.h"
#include "zonal/sp_zonal_run.h"

#include <stdio.h>

typedef struct {
    OGRFeatureH feat;  /* the zone as read (its geometry in the zones' CRS) */
    OGRGeometryH geom; /* in the computing CRS */
    char *id;
    double idnum;
    long long fid;
} zone;

/* A sharded run's part (sp_zonal_shard_io.c): the one a shard writes, or the parts a
 * merge reads, each pass's (zone, strip) accumulators in turn. */
typedef struct {
    bool writing;
    sp_shard me;      /* writing: this shard */
    FILE *out;        /* writing */
    uint64_t sum;     /* writing: the checksum of what was written */
    int n;            /* reading: the parts, by shard */
    FILE **in;
    sp_shard *ids;
    char **paths;
} sp_zonal_shard;

typedef struct {
    zone *z;
    int n;
    bool numeric;
    sp_zonal_shard *shard; /* -shard or -from_parts (NULL: neither) */
    OGRFeatureDefnH defn; /* the zones layer's (borrowed from the dataset) */
    int id_idx;           /* -1: FID */
    int *inc_idx;
    int ninc;
} zones;


static inline int sp_zonal_list_len(char **l)
{
    int n = 0;
    while (l && l[n])
        n++;
    return n;
}

/* Raster mode (sp_zonal_raster.c): values[z * ncols + c] for c = raster x band x stat,
 * the report's totals and parts inside the zones. */
sp_status sp_zonal_raster_stats(sp_ctx *ctx, const sp_zonal_options *o, sp_raster **rs,
                                const zones *zs, double *values, int ncols,
                                sp_zonal_report *rep);
/* weighted_mean columns from o->weights (sp_zonal_raster.c). */
sp_status sp_zonal_weighted_means(sp_ctx *ctx, const sp_zonal_options *o, sp_raster **rs,
                                  const zones *zs, double *values, int ncols);
/* Vector mode (sp_zonal_vector.c): sums of o->fields per zone in the CRS target_wkt. */
sp_status sp_zonal_vector_stats(sp_ctx *ctx, const sp_zonal_options *o, const zones *zs,
                                const char *target_wkt, double *values, int ncols,
                                sp_zonal_report *rep);

/* Writes n bytes of a part (checksummed); false on a write error. */
bool sp_zonal_shard_write(sp_zonal_shard *sh, const void *p, size_t n);
/* Reads n bytes of part k; false at its end or on an error. */
bool sp_zonal_shard_read(sp_zonal_shard *sh, int k, void *p, size_t n);
/* Before the statistics: -shard opens the part dst (under a held temporary name, out);
 * -from_parts reads and checks the parts' sidecars against this run (tool, options, the
 * inputs' checksums, every shard once, each file's checksum) and opens them in shard
 * order. Neither: nothing. */
sp_status sp_zonal_shard_setup(sp_ctx *ctx, const sp_zonal_options *o, const char *zones_path,
                               const char *dst, sp_zonal_shard *sh, sp_output *out);
/* After them (rc, theirs): -shard closes the part and commits it with its sidecar (or
 * nothing when rc); -from_parts closes the parts, refusing bytes left over (a part of
 * another run). Returns rc or the first error. */
sp_status sp_zonal_shard_finish(sp_ctx *ctx, const sp_zonal_options *o, const char *zones_path,
                                const char *dst, sp_zonal_shard *sh, sp_output *out,
                                sp_status rc);

#endif
