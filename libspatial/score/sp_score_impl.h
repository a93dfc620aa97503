/* sp_score_impl: what the parts of sp_score_run share (the zone table, the spec's
 * values bound to its columns). Private to libspatial: not installed. */
#ifndef SP_SCORE_IMPL_H
#define SP_SCORE_IMPL_H
#include "score/sp_score_run.h"

#include <stdlib.h>
#include <string.h>

/* The table with its zone ids. */
typedef struct {
    sp_table *t;
    int idc;
    char **id; /* nrows (owned) */
    int *idorder;
} zones;

static inline void zones_free(zones *z)
{
    if (z->id)
        for (int r = 0; r < z->t->nrows; r++)
            free(z->id[r]);
    free(z->id);
    free(z->idorder);
    sp_table_free(z->t);
}

static inline int find_id(const zones *z, const char *id)
{
    for (int r = 0; r < z->t->nrows; r++)
        if (!strcmp(z->id[r], id))
            return r;
    return -1;
}

/* The spec's value references resolved to table columns (col index or -1 for numbers). */
typedef struct {
    const sp_score_expr *e;
    int c[2];
    int line;
} bound;

/* -stations: columns station_<field> (mean of the stations in the zone, else IDW from
 * its centroid) and station_<field>_from (sp_score_stations.c). */
sp_status sp_score_stations(sp_ctx *ctx, const sp_score_options *o, zones *z);
/* The output table in rank order with the result, reason, SMAA, station, synergy and
 * indicator columns, into rep (sp_score_output.c). */
sp_status sp_score_build_output(sp_ctx *ctx, const sp_score_spec *s, const sp_score_options *o,
                                const zones *z, const sp_score_input *in,
                                const sp_score_result *res, char **why, sp_score_report *rep);

/* The ensemble's spread explained (-members FILE, sp-disperse's DST.members.csv): for each
 * zone, the first-order share of its members' PM2.5 cut (the spec's microgram columns)
 * each dimension of the members file explains (sp_score_eta2), as columns spread_<dim>
 * and a text ug_spread naming the largest. */
sp_status sp_score_spread(sp_ctx *ctx, const sp_score_spec *s, const char *members, sp_table *t);

#endif
