/* sp_zonal_vector: the vector mode of sp-zonal: an inventory's fields summed per zone
 * without a grid (points by containment, lines by length share, polygons by area share)
 * with GEOS prepared geometries and an STR tree. */
#include "zonal/sp_zonal_impl.h"

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

/* The zones in GEOS: prepared geometries in an STR tree, and their areas. */
typedef struct {
    GEOSContextHandle_t gh;
    int n;
    GEOSGeometry **g;
    const GEOSPreparedGeometry **p;
    double *area;
    int *hits; /* scratch: candidate zones of a feature */
    GEOSSTRtree *tree;
} geos_zones;

static void geos_zones_free(geos_zones *gz)
{
    if (gz->tree)
        GEOSSTRtree_destroy_r(gz->gh, gz->tree);
    for (int z = 0; gz->g && z < gz->n; z++) {
        if (gz->p[z])
            GEOSPreparedGeom_destroy_r(gz->gh, gz->p[z]);
        if (gz->g[z])
            GEOSGeom_destroy_r(gz->gh, gz->g[z]);
    }
    free(gz->g);
    free(gz->p);
    free(gz->area);
    free(gz->hits);
}

static GEOSGeometry *to_geos(GEOSContextHandle_t gh, OGRGeometryH g)
{
    size_t len = (size_t)OGR_G_WkbSize(g);
    unsigned char *wkb = malloc(len ? len : 1);
    if (!wkb)
        return NULL;
    OGR_G_ExportToWkb(g, wkbNDR, wkb);
    GEOSGeometry *out = GEOSGeomFromWKB_buf_r(gh, wkb, len);
    free(wkb);
    return out;
}

static sp_status geos_zones_build(sp_ctx *ctx, const zones *zs, geos_zones *gz)
{
    gz->gh = sp_ctx_geos(ctx);
    gz->n = zs->n;
    gz->g = calloc((size_t)zs->n, sizeof *gz->g);
    gz->p = calloc((size_t)zs->n, sizeof *gz->p);
    gz->area = calloc((size_t)zs->n, sizeof *gz->area);
    gz->hits = calloc((size_t)zs->n + 1, sizeof *gz->hits);
    gz->tree = GEOSSTRtree_create_r(gz->gh, 10);
    if (!gz->g || !gz->p || !gz->area || !gz->hits || !gz->tree)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int z = 0; z < zs->n; z++) {
        if (!(gz->g[z] = to_geos(gz->gh, zs->z[z].geom)) ||
            !(gz->p[z] = GEOSPrepare_r(gz->gh, gz->g[z])))
            return sp_error(ctx, SP_ERR_INTERNAL, "GEOS cannot read zone '%s'", zs->z[z].id);
        GEOSArea_r(gz->gh, gz->g[z], &gz->area[z]);
        GEOSSTRtree_insert_r(gz->gh, gz->tree, gz->g[z], (void *)(intptr_t)z);
    }
    return SP_OK;
}

/* Splits one feature's values val[0..nf-1] between the zones: sums per zone and the
 * part inside the zones (in). */
static void split_feature(const geos_zones *gz, GEOSGeometry *fg, const double *val, int nf,
                          double *sums, double *in)
{
    GEOSContextHandle_t gh = gz->gh;
    int dim = GEOSGeom_getDimensions_r(gh, fg);
    double whole = 0;
    if (dim == 1)
        GEOSLength_r(gh, fg, &whole);
    else if (dim == 2)
        GEOSArea_r(gh, fg, &whole);
    /* candidate zones by bounding box, in id order for the point rule */
    candidates cand = {gz->hits, 0};
    GEOSSTRtree_query_r(gh, gz->tree, fg, on_candidate, &cand);
    qsort(cand.list, (size_t)cand.n, sizeof *cand.list, cmp_int);
    bool whole_rule = dim == 0 || !(whole > 0);
    for (int c = 0; c < cand.n; c++) {
        int z = cand.list[c];
        double share = 0;
        if (whole_rule) {
            if (GEOSPreparedCovers_r(gh, gz->p[z], fg) == 1 ||
                (dim > 0 && GEOSPreparedIntersects_r(gh, gz->p[z], fg) == 1))
                share = 1;
        } else if (GEOSPreparedIntersects_r(gh, gz->p[z], fg) == 1) {
            GEOSGeometry *x = GEOSIntersection_r(gh, gz->g[z], fg);
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
        if (share > 0 && whole_rule)
            break; /* a point counts once: the first zone in id order */
    }
}

/* Reads every inventory feature and splits its values. */
static sp_status read_inventory(sp_ctx *ctx, const sp_zonal_options *o, const geos_zones *gz,
                                const char *target_wkt, double *sums, sp_zonal_report *rep)
{
    int nf = sp_zonal_list_len(o->fields);
    int *idx = calloc((size_t)nf, sizeof *idx);
    double *val = calloc((size_t)nf, sizeof *val);
    sp_vector_options vo = o->inv;
    vo.t_srs = target_wkt;
    sp_vector *v = NULL;
    sp_status rc = !idx || !val ? sp_error(ctx, SP_ERR_NOMEM, "out of memory")
                                : sp_vector_open(ctx, o->inventory, &vo, &v);
    sp_feature f;
    int got = 0, cur_layer = -1;
    while (!rc && (got = sp_vector_next(ctx, v, &f)) == 1) {
        if (f.layer != cur_layer) {
            cur_layer = f.layer;
            for (int i = 0; i < nf && !rc; i++)
                rc = sp_vector_field(ctx, v, f.layer, o->fields[i], &idx[i]);
        }
        bool any = false;
        for (int i = 0; i < nf && !rc; i++) {
            rc = sp_vector_number(ctx, v, &f, idx[i],
                                  o->allow_negative ? SP_NUM_ALLOW_NEGATIVE : 0, &val[i]);
            rep->total[i] += rc ? 0 : val[i];
            any |= val[i] != 0;
        }
        if (rc || !f.geom || OGR_G_IsEmpty(f.geom) || !any)
            continue;
        GEOSGeometry *fg = to_geos(gz->gh, f.geom);
        if (!fg) {
            rc = sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: GEOS cannot read the "
                          "geometry", sp_vector_layer_name(v, f.layer), f.fid);
            break;
        }
        split_feature(gz, fg, val, nf, sums, rep->in_zones);
        GEOSGeom_destroy_r(gz->gh, fg);
    }
    if (!rc && got < 0)
        rc = (sp_status)got;
    sp_vector_close(v);
    free(idx);
    free(val);
    return rc;
}

/* Vector mode: each feature's value split between zones by containment (points: the
 * first zone in id order that covers it), length share (lines) or area share
 * (polygons), with GEOS. values[z * ncols + f * nstats + s]. */
sp_status sp_zonal_vector_stats(sp_ctx *ctx, const sp_zonal_options *o, const zones *zs,
                                const char *target_wkt, double *values, int ncols,
                                sp_zonal_report *rep)
{
    int nf = sp_zonal_list_len(o->fields);
    geos_zones gz = {0};
    double *sums = calloc((size_t)zs->n * (size_t)nf + 1, sizeof *sums);
    sp_status rc = !sums ? sp_error(ctx, SP_ERR_NOMEM, "out of memory")
                         : geos_zones_build(ctx, zs, &gz);
    if (!rc)
        rc = read_inventory(ctx, o, &gz, target_wkt, sums, rep);
    for (int z = 0; !rc && z < zs->n; z++)
        for (int i = 0; i < nf; i++)
            for (int s = 0; s < o->nstats; s++) {
                /* a zone's sum with no cells: the statistics marked SP_NEED_VECTOR */
                sp_zonal_acc a;
                sp_zonal_acc_init(&a);
                a.S = sums[(size_t)z * nf + i];
                bool sorted = false;
                sp_zonal_fin f = {&a, gz.area[z], rep->total[i], NULL, &sorted};
                values[(size_t)z * ncols + (size_t)i * o->nstats + s] =
                    SP_STATS[o->stats[s].kind]->finish(&f, &o->stats[s]);
            }
    geos_zones_free(&gz);
    free(sums);
    return rc;
}
