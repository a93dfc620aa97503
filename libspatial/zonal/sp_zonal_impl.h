/* sp_zonal_impl: what the parts of sp_zonal_run share (the zones as read, the raster
 * and vector statistics). Private to libspatial: not installed. */
#ifndef SP_ZONAL_IMPL_H
#define SP_ZONAL_IMPL_H
#include "io/sp_raster.h"
#include "zonal/sp_zonal_run.h"

typedef struct {
    OGRFeatureH feat;  /* the zone as read (its geometry in the zones' CRS) */
    OGRGeometryH geom; /* in the computing CRS */
    char *id;
    double idnum;
    long long fid;
} zone;

typedef struct {
    zone *z;
    int n;
    bool numeric;
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

#endif
