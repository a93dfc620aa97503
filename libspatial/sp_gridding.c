/* sp_gridding: the gridding contract. Shares are exact (sp_coverage), and the part
 * outside the grid is computed as value minus what was placed, so the mass balance
 * holds to rounding whatever the geometry. */
#include "sp_gridding.h"

#include <cpl_string.h>
#include <ogr_srs_api.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double **bands;
    const double *values;
    int nb, ncols;
    double scale; /* 1 / total measure */
    double *placed;
} alloc_ctx;

static void add_share(int col, int row, double amount, void *user)
{
    alloc_ctx *a = user;
    double f = amount * a->scale;
    size_t i = (size_t)row * a->ncols + col;
    for (int b = 0; b < a->nb; b++) {
        double v = a->values[b] * f;
        a->bands[b][i] += v;
        a->placed[b] += v;
    }
}

static void add_point(const sp_grid *g, double **bands, int nb, double x, double y,
                      const double *values, double frac, double *outside)
{
    int c, r;
    bool in = sp_cover_point(g, x, y, &c, &r);
    for (int b = 0; b < nb; b++) {
        if (in)
            bands[b][(size_t)r * g->ncols + c] += values[b] * frac;
        else
            outside[b] += values[b] * frac;
    }
}

sp_status sp_gridding_add(sp_ctx *ctx, const sp_grid *g, double **bands, int nb,
                          const sp_geom *geom, const double *values, double *outside,
                          sp_cover_ws *ws, bool *degenerate)
{
    *degenerate = false;
    if (geom->npoints == 0 || geom->kind == SP_GEOM_NONE) {
        for (int b = 0; b < nb; b++)
            outside[b] += values[b];
        return SP_OK;
    }
    if (geom->kind == SP_GEOM_POINT) {
        double frac = 1.0 / geom->npoints;
        for (int i = 0; i < geom->npoints; i++)
            add_point(g, bands, nb, geom->x[i], geom->y[i], values, frac, outside);
        return SP_OK;
    }
    double total = sp_geom_measure(geom);
    if (!(total > 0)) {
        *degenerate = true;
        add_point(g, bands, nb, geom->x[0], geom->y[0], values, 1.0, outside);
        return SP_OK;
    }
    double placed[64], *pl = nb <= 64 ? placed : calloc((size_t)nb, sizeof *pl);
    if (!pl)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    memset(pl, 0, (size_t)nb * sizeof *pl);
    alloc_ctx a = {bands, values, nb, g->ncols, 1.0 / total, pl};
    sp_status rc = SP_OK;
    if (geom->kind == SP_GEOM_LINE)
        sp_cover_line(g, geom, add_share, &a, NULL);
    else
        rc = sp_cover_polygon(ctx, g, geom, ws, add_share, &a, NULL);
    for (int b = 0; b < nb; b++)
        outside[b] += values[b] - pl[b];
    if (pl != placed)
        free(pl);
    return rc;
}

sp_status sp_gridding_grid(sp_ctx *ctx, sp_vector *v, const sp_grid_spec *sp, sp_grid *g)
{
    memset(g, 0, sizeof *g);
    sp_status rc;
    if (sp->like) {
        if ((rc = sp_raster_grid_of(ctx, sp->like, g)))
            return rc;
        OGRSpatialReferenceH a = OSRNewSpatialReference(g->wkt);
        OGRSpatialReferenceH b = OSRNewSpatialReference(sp_vector_wkt(v));
        bool same = a && b && OSRIsSame(a, b);
        OSRDestroySpatialReference(a);
        OSRDestroySpatialReference(b);
        if (!same) {
            sp_grid_clear(g);
            return sp_error(ctx, SP_ERR_USAGE, "template '%s' is not in the CRS of the data; "
                                               "add -t_srs with the template's CRS", sp->like);
        }
        return SP_OK;
    }
    if (sp->has_tr && sp->has_ts)
        return sp_error(ctx, SP_ERR_USAGE, "-tr and -ts cannot be used together");
    if (!sp->has_tr && !sp->has_ts)
        return sp_error(ctx, SP_ERR_USAGE, "give the output resolution with -tr (or a size "
                                           "with -ts and -te, or a template with -like)");
    if (sp->tap && !sp->has_tr)
        return sp_error(ctx, SP_ERR_USAGE, "-tap needs -tr");
    if (sp->has_te) {
        rc = sp->has_tr ? sp_grid_from_res(ctx, g, sp->te[0], sp->te[1], sp->te[2], sp->te[3],
                                           sp->tr[0], sp->tr[1], sp->tap)
                        : sp_grid_from_size(ctx, g, sp->te[0], sp->te[1], sp->te[2], sp->te[3],
                                            sp->ts[0], sp->ts[1]);
    } else {
        double e[4];
        if ((rc = sp_vector_extent(ctx, v, &e[0], &e[1], &e[2], &e[3])))
            return rc;
        if (sp->has_tr) {
            rc = sp_grid_from_data(ctx, g, e[0], e[1], e[2], e[3], sp->tr[0], sp->tr[1]);
        } else { /* -ts alone: stretch a hair so that the max edges stay inside */
            double px = (e[2] - e[0]) * 1e-9 + 1e-9, py = (e[3] - e[1]) * 1e-9 + 1e-9;
            rc = sp_grid_from_size(ctx, g, e[0], e[1] - py, e[2] + px, e[3], sp->ts[0],
                                   sp->ts[1]);
        }
    }
    if (!rc)
        rc = sp_grid_set_crs(ctx, g, sp_vector_wkt(v));
    return rc;
}

void sp_gridding_options_init(sp_gridding_options *o)
{
    memset(o, 0, sizeof *o);
    o->units = "t/yr";
}

void sp_gridding_report_free(sp_gridding_report *r)
{
    if (!r)
        return;
    free(r->input);
    free(r->outside);
    free(r->gridded);
    memset(r, 0, sizeof *r);
}

/* Sets OGR to skip the fields not needed: reading 1M features is otherwise dominated
 * by decoding attributes nobody asked for. */
static void ignore_other_fields(sp_vector *v, int layer, char **fields)
{
    OGRLayerH l = sp_vector_layer(v, layer);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    char **ign = NULL;
    const char *where = sp_vector_where(v);
    for (int k = 0; k < OGR_FD_GetFieldCount(d); k++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, k));
        /* a field the -where filter may read must stay (a name found anywhere in it is
         * kept: cheap and safe) */
        if (CSLFindString(fields, name) < 0 && !(where && strcasestr(where, name)))
            ign = CSLAddString(ign, name);
    }
    ign = CSLAddString(ign, "OGR_STYLE");
    OGR_L_SetIgnoredFields(l, (const char **)ign);
    CSLDestroy(ign);
}

sp_status sp_gridding_run(sp_ctx *ctx, sp_vector *v, sp_raster *r,
                          const sp_gridding_options *o, sp_gridding_report *rep)
{
    memset(rep, 0, sizeof *rep);
    int nb = o->fields ? CSLCount(o->fields) : 1;
    if (nb != r->nbands)
        return sp_error(ctx, SP_ERR_INTERNAL, "raster has %d bands for %d fields", r->nbands, nb);
    int nl = sp_vector_layer_count(v);
    sp_status rc = SP_OK;
    int *idx = calloc((size_t)nl * nb, sizeof *idx);
    double *vals = calloc((size_t)nb, sizeof *vals);
    rep->nbands = nb;
    rep->input = calloc((size_t)nb, sizeof(double));
    rep->outside = calloc((size_t)nb, sizeof(double));
    rep->gridded = calloc((size_t)nb, sizeof(double));
    sp_geom geom = {0};
    sp_cover_ws ws = {0};
    if (!idx || !vals || !rep->input || !rep->outside || !rep->gridded) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int l = 0; l < nl && o->fields; l++) {
        for (int b = 0; b < nb; b++)
            if ((rc = sp_vector_field(ctx, v, l, o->fields[b], &idx[l * nb + b])))
                goto done;
        ignore_other_fields(v, l, o->fields);
    }
    for (int b = 0; b < nb; b++)
        if ((rc = sp_raster_set_name(ctx, r, b, o->fields ? o->fields[b] : "count")))
            goto done;
    unsigned flags = (o->null_is_zero ? SP_NUM_NULL_IS_ZERO : 0) |
                     (o->allow_negative ? SP_NUM_ALLOW_NEGATIVE : 0);
    long long total = o->progress ? sp_vector_count(v) : -1;
    sp_feature f;
    int got;
    sp_vector_rewind(v);
    while ((got = sp_vector_next(ctx, v, &f)) == 1) {
        for (int b = 0; b < nb; b++) {
            if (!o->fields)
                vals[b] = 1.0;
            else if ((rc = sp_vector_number(ctx, v, &f, idx[f.layer * nb + b], flags, &vals[b])))
                goto done;
            rep->input[b] += vals[b];
        }
        if ((rc = sp_vector_flatten(ctx, f.geom, &geom))) {
            sp_error_prefix(ctx, rc, "layer '%s', feature %lld: ",
                            sp_vector_layer_name(v, f.layer), f.fid);
            goto done;
        }
        bool degen;
        if (geom.npoints == 0)
            rep->empty++;
        if ((rc = sp_gridding_add(ctx, &r->grid, r->band, nb, &geom, vals, rep->outside, &ws,
                                  &degen)))
            goto done;
        rep->degenerate += degen;
        rep->features++;
        if (o->progress && total > 0 && (rep->features & 0x3fff) == 0 &&
            !o->progress(0.95 * rep->features / (double)total, NULL, o->progress_user)) {
            rc = sp_error(ctx, SP_ERR_CANCEL, "cancelled");
            goto done;
        }
    }
    if (got < 0) {
        rc = (sp_status)got;
        goto done;
    }
    if (rep->features == 0) {
        rc = sp_error(ctx, SP_ERR_DATA, "no features to grid: the layers are empty or the "
                                        "filter (-where/-sql) selected none");
        goto done;
    }
    for (int b = 0; b < nb; b++) {
        rep->gridded[b] = sp_raster_band_sum(r, b);
        /* value - placed leaves ~1e-16 relative residues per feature: not "outside" */
        if (o->outside_is_error && fabs(rep->outside[b]) > 1e-12 * fabs(rep->input[b])) {
            rc = sp_error(ctx, SP_ERR_DATA, "%.17g of band '%s' (input %.17g) falls outside "
                                            "the grid; widen -te or drop -outside_error",
                          rep->outside[b], o->fields ? o->fields[b] : "count", rep->input[b]);
            goto done;
        }
    }
    if (o->density) {
        double km2 = r->grid.dx * r->grid.dy / 1e6;
        size_t n = (size_t)sp_grid_cells(&r->grid);
        for (int b = 0; b < nb; b++)
            for (size_t i = 0; i < n; i++)
                r->band[b][i] /= km2;
    }
    const char *unit = o->fields ? (o->units ? o->units : "t/yr") : "count";
    char ubuf[128];
    if (o->density) {
        size_t ul = strlen(unit);
        if (ul > 3 && !strcmp(unit + ul - 3, "/yr"))
            snprintf(ubuf, sizeof ubuf, "%.*s/km2/yr", (int)(ul - 3), unit);
        else
            snprintf(ubuf, sizeof ubuf, "%s/km2", unit);
        unit = ubuf;
    }
    rc = sp_raster_set_unit(ctx, r, unit);
    if (o->progress)
        o->progress(1.0, NULL, o->progress_user);
done:
    free(idx);
    free(vals);
    sp_geom_free(&geom);
    sp_cover_ws_free(&ws);
    if (rc)
        sp_gridding_report_free(rep);
    return rc;
}
