/* sp_render_vector_io: the polygons sp_render_vector draws, read through OGR in the
 * tiling's CRS. */
#include "tiles/sp_render.h"
#include "io/sp_vector.h"

#include <stdlib.h>
#include <string.h>


/* Capacities and fill of a growing sp_render_vector. */
typedef struct {
    int cap_f, cap_r, cap_p, nr, np;
} builder;

/* Appends polygon g's rings and bounding box as feature v->n (v->n itself is advanced
 * by the caller once its fill is set). false when out of memory. */
static bool append_polygon(sp_render_vector *v, const sp_geom *g, builder *b)
{
    if (v->n + 2 > b->cap_f) {
        b->cap_f = b->cap_f ? 2 * b->cap_f : 64;
        int *rs = realloc(v->ring_start, b->cap_f * sizeof *rs);
        if (rs) v->ring_start = rs;
        double (*bb)[4] = realloc(v->bbox, b->cap_f * sizeof *bb);
        if (bb) v->bbox = bb;
        uint8_t (*fl)[4] = realloc(v->fill, b->cap_f * sizeof *fl);
        if (fl) v->fill = fl;
        if (!rs || !bb || !fl)
            return false;
    }
    if (b->nr + g->nparts + 2 > b->cap_r) {
        b->cap_r = 2 * (b->nr + g->nparts + 2);
        int *ps = realloc(v->pt_start, b->cap_r * sizeof *ps);
        if (!ps)
            return false;
        v->pt_start = ps;
    }
    if (b->np + g->npoints > b->cap_p) {
        b->cap_p = 2 * (b->np + g->npoints);
        double *xs = realloc(v->x, b->cap_p * sizeof *xs);
        if (xs) v->x = xs;
        double *ys = realloc(v->y, b->cap_p * sizeof *ys);
        if (ys) v->y = ys;
        if (!xs || !ys)
            return false;
    }
    double *bb = v->bbox[v->n];
    bb[0] = bb[1] = INFINITY;
    bb[2] = bb[3] = -INFINITY;
    v->ring_start[v->n] = b->nr;
    for (int p = 0; p < g->nparts; p++) {
        v->pt_start[b->nr++] = b->np;
        int end = p + 1 < g->nparts ? g->part_start[p + 1] : g->npoints;
        for (int i = g->part_start[p]; i < end; i++) {
            v->x[b->np] = g->x[i];
            v->y[b->np++] = g->y[i];
            bb[0] = fmin(bb[0], g->x[i]);
            bb[1] = fmin(bb[1], g->y[i]);
            bb[2] = fmax(bb[2], g->x[i]);
            bb[3] = fmax(bb[3], g->y[i]);
        }
    }
    v->pt_start[b->nr] = b->np;
    return true;
}

sp_status sp_render_vector_open(sp_ctx *ctx, const char *path, const char *layer,
                                const char *field, const sp_style *style, sp_tiling t,
                                sp_render_vector **out)
{
    *out = NULL;
    sp_vector_options vo;
    sp_vector_options_init(&vo);
    vo.no_validity = true; /* drawn only: cairo fills any ring */
    vo.t_srs = t == SP_TILING_CGCS2000 ? "EPSG:4490" : t == SP_TILING_BD09 ? "EPSG:4326"
                                                                         : "EPSG:3857";
    if (layer) {
        vo.layers = &layer;
        vo.nlayers = 1;
    }
    sp_vector *sv = NULL;
    sp_status rc = sp_vector_open(ctx, path, &vo, &sv);
    if (rc)
        return rc;
    sp_render_vector *v = calloc(1, sizeof *v);
    sp_geom g = {0};
    int fidx = -1;
    builder bd = {0};
    if (!v) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (field && (rc = sp_vector_field(ctx, sv, 0, field, &fidx)))
        goto done;
    v->tiling = t;
    v->mxmin = v->mymin = INFINITY;
    v->mxmax = v->mymax = -INFINITY;
    sp_feature f;
    int k;
    while ((k = sp_vector_next(ctx, sv, &f)) > 0) {
        if (!f.geom)
            continue;
        if ((rc = sp_vector_flatten(ctx, f.geom, &g)))
            goto done;
        if (g.kind != SP_GEOM_POLYGON) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s': feature %lld is not a polygon", path, f.fid);
            goto done;
        }
        if (!append_polygon(v, &g, &bd)) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        memset(v->fill[v->n], 0, 4);
        double fv;
        if (style && fidx >= 0 && OGR_F_IsFieldSetAndNotNull(f.feat, fidx)) {
            if ((rc = sp_vector_number(ctx, sv, &f, fidx, SP_NUM_ALLOW_NEGATIVE, &fv)))
                goto done; /* text in the field is an error, not a colour of 0 */
            sp_style_color(style, fv, false, v->fill[v->n]);
        }
        double *bb = v->bbox[v->n];
        v->mxmin = fmin(v->mxmin, bb[0]);
        v->mymin = fmin(v->mymin, bb[1]);
        v->mxmax = fmax(v->mxmax, bb[2]);
        v->mymax = fmax(v->mymax, bb[3]);
        v->n++;
        v->ring_start[v->n] = bd.nr;
    }
    if (k < 0)
        rc = (sp_status)k;
    else if (v->n == 0)
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no polygons", path);
    if (!rc && t == SP_TILING_BD09) /* read in WGS84 lon/lat: to Baidu's Mercator */
        sp_render_vector_map(v, sp_render_wgs84_to_bd09mc);
done:
    sp_geom_free(&g);
    sp_vector_close(sv);
    if (rc)
        sp_render_vector_free(v);
    else
        *out = v;
    return rc;
}

