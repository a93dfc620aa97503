/* sp_zonal_vector: the vector mode of sp-zonal: an inventory's fields summed per zone
 * without a grid (points by containment, lines by length share, polygons by area share)
 * with GEOS prepared geometries and an STR tree. */
#include "sp_zonal_impl.h"

#include <geos_c.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int *list;
    int n;
} candidates;
static void on_candidate(void *item, void *user)
{
    candidates *c = user;
    c->list[c->n++] = (int)(intptr_t)item;
}
static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Vector mode: each feature's value split between zones by containment (points: the
 * first zone in id order that covers it), length share (lines) or area share
 * (polygons), with GEOS. values[z * ncols + f * nstats + s]. */
sp_status sp_zonal_vector_stats(sp_ctx *ctx, const sp_zonal_options *o, const zones *zs,
                              const char *target_wkt, double *values, int ncols,
                              sp_zonal_report *rep)
{
    GEOSContextHandle_t gh = sp_ctx_geos(ctx);
    int nf = sp_zonal_list_len(o->fields);
    sp_status rc = SP_OK;
    GEOSGeometry **zg = calloc((size_t)zs->n, sizeof *zg);
    const GEOSPreparedGeometry **zp = calloc((size_t)zs->n, sizeof *zp);
    double *sums = calloc((size_t)zs->n * (size_t)nf, sizeof *sums);
    double *zarea = calloc((size_t)zs->n, sizeof *zarea);
    int *idx = calloc((size_t)nf, sizeof *idx);
    int *hits = calloc((size_t)zs->n, sizeof *hits);
    GEOSSTRtree *tree = GEOSSTRtree_create_r(gh, 10);
    sp_vector *v = NULL;
    if (!zg || !zp || !sums || !zarea || !idx || !hits || !tree) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int z = 0; z < zs->n; z++) {
        size_t len = (size_t)OGR_G_WkbSize(zs->z[z].geom);
        unsigned char *wkb = malloc(len);
        if (!wkb) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        OGR_G_ExportToWkb(zs->z[z].geom, wkbNDR, wkb);
        zg[z] = GEOSGeomFromWKB_buf_r(gh, wkb, len);
        free(wkb);
        if (!zg[z] || !(zp[z] = GEOSPrepare_r(gh, zg[z]))) {
            rc = sp_error(ctx, SP_ERR_INTERNAL, "GEOS cannot read zone '%s'", zs->z[z].id);
            goto done;
        }
        GEOSArea_r(gh, zg[z], &zarea[z]);
        GEOSSTRtree_insert_r(gh, tree, zg[z], (void *)(intptr_t)z);
    }
    sp_vector_options vo = o->inv;
    vo.t_srs = target_wkt;
    if ((rc = sp_vector_open(ctx, o->inventory, &vo, &v)))
        goto done;
    double *total = rep->total, *in = rep->in_zones;
    sp_feature f;
    int got;
    int cur_layer = -1;
    while ((got = sp_vector_next(ctx, v, &f)) == 1) {
        if (f.layer != cur_layer) {
            cur_layer = f.layer;
            for (int i = 0; i < nf; i++)
                if ((rc = sp_vector_field(ctx, v, f.layer, o->fields[i], &idx[i])))
                    goto done;
        }
        double val[nf];
        bool any = false;
        for (int i = 0; i < nf; i++) {
            if ((rc = sp_vector_number(ctx, v, &f, idx[i],
                                       o->allow_negative ? SP_NUM_ALLOW_NEGATIVE : 0, &val[i])))
                goto done;
            total[i] += val[i];
            any |= val[i] != 0;
        }
        if (!f.geom || OGR_G_IsEmpty(f.geom) || !any)
            continue;
        size_t len = (size_t)OGR_G_WkbSize(f.geom);
        unsigned char *wkb = malloc(len);
        if (!wkb) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        OGR_G_ExportToWkb(f.geom, wkbNDR, wkb);
        GEOSGeometry *fg = GEOSGeomFromWKB_buf_r(gh, wkb, len);
        free(wkb);
        if (!fg) {
            rc = sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: GEOS cannot read the "
                          "geometry", sp_vector_layer_name(v, f.layer), f.fid);
            goto done;
        }
        int dim = GEOSGeom_getDimensions_r(gh, fg);
        double whole = 0;
        if (dim == 1)
            GEOSLength_r(gh, fg, &whole);
        else if (dim == 2)
            GEOSArea_r(gh, fg, &whole);
        /* candidate zones by bounding box, in id order for the point rule */
        candidates cand = {hits, 0};
        GEOSSTRtree_query_r(gh, tree, fg, on_candidate, &cand);
        qsort(cand.list, (size_t)cand.n, sizeof *cand.list, cmp_int);
        for (int c = 0; c < cand.n; c++) {
            int z = cand.list[c];
            double share = 0;
            if (dim == 0 || !(whole > 0)) {
                if (GEOSPreparedCovers_r(gh, zp[z], fg) == 1 ||
                    (dim > 0 && GEOSPreparedIntersects_r(gh, zp[z], fg) == 1))
                    share = 1;
            } else if (GEOSPreparedIntersects_r(gh, zp[z], fg) == 1) {
                GEOSGeometry *x = GEOSIntersection_r(gh, zg[z], fg);
                double m = 0;
                if (x) {
                    if (dim == 1)
                        GEOSLength_r(gh, x, &m);
                    else
                        GEOSArea_r(gh, x, &m);
                    GEOSGeom_destroy_r(gh, x);
                }
                share = m / whole;
            }
            if (share > 0)
                for (int i = 0; i < nf; i++) {
                    sums[(size_t)z * nf + i] += share * val[i];
                    in[i] += share * val[i];
                }
            if (share > 0 && (dim == 0 || !(whole > 0)))
                break; /* a point counts once: the first zone in id order */
        }
        GEOSGeom_destroy_r(gh, fg);
    }
    if (got < 0) {
        rc = (sp_status)got;
        goto done;
    }
    for (int z = 0; z < zs->n; z++)
        for (int i = 0; i < nf; i++)
            for (int s = 0; s < o->nstats; s++) {
                /* a zone's sum with no cells: the statistics marked SP_NEED_VECTOR */
                sp_zonal_acc a;
                sp_zonal_acc_init(&a);
                a.S = sums[(size_t)z * nf + i];
                bool sorted = false;
                sp_zonal_fin f = {&a, zarea[z], total[i], NULL, &sorted};
                values[(size_t)z * ncols + (size_t)i * o->nstats + s] =
                    SP_STATS[o->stats[s].kind].finish(&f, &o->stats[s]);
            }
done:
    sp_vector_close(v);
    if (tree)
        GEOSSTRtree_destroy_r(gh, tree);
    for (int z = 0; zg && z < zs->n; z++) {
        if (zp[z])
            GEOSPreparedGeom_destroy_r(gh, zp[z]);
        if (zg[z])
            GEOSGeom_destroy_r(gh, zg[z]);
    }
    free(zg);
    free(zp);
    free(sums);
    free(zarea);
    free(idx);
    free(hits);
    return rc;
}

