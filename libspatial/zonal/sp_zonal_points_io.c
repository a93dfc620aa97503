/* sp_zonal_points: sp-zonal's point mode: the value of every band of every raster at
 * each point (the cell that holds it), e.g. the modelled concentration at the monitoring
 * stations. No coverage: a point is in one cell. */
#include "io/sp_raster.h"
#include "io/sp_table.h"
#include "zonal/sp_zonal_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sp_status point_table(sp_ctx *ctx, sp_vector *v, sp_raster **rs, const sp_zonal_options *o,
                             int id_idx, sp_table *t)
{
    int nb = rs[0]->nbands, cid = sp_table_add_text(t, o->id ? o->id : "fid", OFTString);
    int *cols = malloc((size_t)(o->nrasters * nb) * sizeof *cols);
    sp_status rc = cid >= 0 && cols ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int k = 0; !rc && k < o->nrasters; k++)
        for (int b = 0; !rc && b < nb; b++) {
            char name[300];
            const char *bn = rs[k]->name && rs[k]->name[b] ? rs[k]->name[b] : NULL;
            char num[16];
            snprintf(num, sizeof num, "b%d", o->bands && o->nbands ? o->bands[b] : b + 1);
            snprintf(name, sizeof name, "%s%s%s", o->rasters[k].name ? o->rasters[k].name : "",
                     o->rasters[k].name ? "_" : "", bn ? bn : num);
            if ((cols[k * nb + b] = sp_table_add_number(t, name)) < 0)
                rc = sp_error(ctx, SP_ERR_USAGE, "column '%s' is given twice", name);
        }
    sp_feature f;
    int got, r = 0;
    while (!rc && (got = sp_vector_next(ctx, v, &f)) == 1) {
        if (!f.geom || wkbFlatten(OGR_G_GetGeometryType(f.geom)) != wkbPoint) {
            rc = sp_error(ctx, SP_ERR_DATA, "-points: feature %lld is not a point", f.fid);
            break;
        }
        if (r == t->nrows) {
            rc = sp_error(ctx, SP_ERR_DATA, "-points: more points than counted");
            break;
        }
        char fid[32];
        snprintf(fid, sizeof fid, "%lld", f.fid);
        const char *id = id_idx < 0 ? fid : OGR_F_GetFieldAsString(f.feat, id_idx);
        if (!sp_table_set_text(t, cid, r, id)) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            break;
        }
        double x = OGR_G_GetX(f.geom, 0), y = OGR_G_GetY(f.geom, 0);
        for (int k = 0; k < o->nrasters; k++) {
            const sp_grid *g = &rs[k]->grid;
            int c = (int)floor((x - g->xmin) / g->dx), rr = (int)floor((g->ymax - y) / g->dy);
            bool in = c >= 0 && rr >= 0 && c < g->ncols && rr < g->nrows;
            if (!in)
                sp_warn(ctx, "-points: point %s is outside '%s': no value", id, o->rasters[k].path);
            for (int b = 0; b < nb; b++) {
                double val = in ? rs[k]->band[b][(size_t)rr * g->ncols + c] : NAN;
                if (rs[k]->has_nodata && val == rs[k]->nodata)
                    val = NAN;
                t->cols[cols[k * nb + b]].num[r] = val;
            }
        }
        r++;
    }
    if (!rc && got < 0)
        rc = (sp_status)got;
    t->nrows = r;
    free(cols);
    return rc;
}

sp_status sp_zonal_points(sp_ctx *ctx, const char *points_path, const char *dst,
                          const sp_zonal_options *o)
{
    if (o->inventory || o->weights)
        return sp_error(ctx, SP_ERR_USAGE, "-points samples rasters: no -v or -weights");
    sp_raster **rs = calloc((size_t)o->nrasters, sizeof *rs);
    sp_vector *v = NULL;
    sp_table *t = NULL;
    if (!rs)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = SP_OK;
    for (int k = 0; !rc && k < o->nrasters; k++) {
        rc = sp_raster_read(ctx, o->rasters[k].path, o->bands, o->nbands, &rs[k]);
        if (!rc && rs[k]->nbands != rs[0]->nbands)
            rc = sp_error(ctx, SP_ERR_DATA, "'%s' has %d band(s), '%s' %d: the rasters must have "
                          "the same bands", o->rasters[k].path, rs[k]->nbands, o->rasters[0].path,
                          rs[0]->nbands);
        if (!rc && (!rs[k]->grid.wkt || !rs[k]->grid.wkt[0]))
            rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no CRS", o->rasters[k].path);
    }
    sp_vector_options vo = o->zones;
    if (!rc) {
        vo.t_srs = rs[0]->grid.wkt;
        rc = sp_vector_open(ctx, points_path, &vo, &v);
    }
    int id_idx = -1;
    if (!rc && o->id)
        rc = sp_vector_field(ctx, v, 0, o->id, &id_idx);
    long long n = rc ? 0 : sp_vector_count(v);
    if (!rc && (n < 0 || n > 10000000))
        rc = sp_error(ctx, SP_ERR_LIMIT, "-points: cannot count the points of '%s'", points_path);
    if (!rc && !(t = sp_table_new((int)n)))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = point_table(ctx, v, rs, o, id_idx, t);
    if (!rc)
        rc = sp_table_write(ctx, t, dst, o->format);
    sp_table_free(t);
    sp_vector_close(v);
    for (int k = 0; k < o->nrasters; k++)
        sp_raster_free(rs[k]);
    free(rs);
    return rc;
}
