/* sp_disperse_eval: the model against monitors. The stations are read like every vector
 * input (a CSV with -oo X_POSSIBLE_NAMES=lon ..., -s_srs, -l), each compared at the cell
 * holding it; with a background station, urban minus background is compared with the
 * modelled local increment (the model has no regional transport). Every station gets a
 * row of DST.eval.csv, so that a figure can be traced to its stations. */
#include "disperse/sp_disperse_impl.h"
#include "disperse/sp_disperse_design.h"

#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char id[64];
    double x, y, obs, mod;
    bool on_grid;
} station;

/* Reads every station: its id, place, observation and the model's value there. */
static sp_status read_stations(sp_ctx *ctx, const sp_disperse_options *o, const sp_raster *out,
                               int band, station **st, int *n)
{
    sp_vector_options vo = o->eval_in;
    vo.t_srs = out->grid.wkt;
    sp_vector *v = NULL;
    sp_status rc = sp_vector_open(ctx, o->stations, &vo, &v);
    int fi = -1, ii = -1, cap = 0;
    if (!rc)
        rc = sp_vector_field(ctx, v, 0, o->obs_field ? o->obs_field : "obs", &fi);
    if (!rc && o->eval_id)
        rc = sp_vector_field(ctx, v, 0, o->eval_id, &ii);
    sp_feature f;
    int got = 0;
    while (!rc && (got = sp_vector_next(ctx, v, &f)) == 1) {
        double ob;
        if ((rc = sp_vector_number(ctx, v, &f, fi, 0, &ob)))
            break;
        if (!f.geom) {
            rc = sp_error(ctx, SP_ERR_DATA, "stations: feature %lld has no place (a CSV: -oo "
                          "X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326)", f.fid);
            break;
        }
        if (wkbFlatten(OGR_G_GetGeometryType(f.geom)) != wkbPoint) {
            rc = sp_error(ctx, SP_ERR_DATA, "stations: feature %lld is not a point", f.fid);
            break;
        }
        if (*n == cap) {
            station *ns = realloc(*st, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *ns);
            if (!ns) {
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
                break;
            }
            *st = ns;
        }
        station *s = &(*st)[(*n)++];
        if (ii >= 0)
            snprintf(s->id, sizeof s->id, "%s", OGR_F_GetFieldAsString(f.feat, ii));
        else
            snprintf(s->id, sizeof s->id, "%lld", f.fid);
        s->x = OGR_G_GetX(f.geom, 0);
        s->y = OGR_G_GetY(f.geom, 0);
        s->obs = ob;
        const sp_grid *g = &out->grid;
        int c = (int)floor((s->x - g->xmin) / g->dx), r = (int)floor((g->ymax - s->y) / g->dy);
        s->on_grid = c >= 0 && r >= 0 && c < g->ncols && r < g->nrows;
        s->mod = s->on_grid ? out->band[band][(size_t)r * g->ncols + c] : NAN;
        if (!s->on_grid)
            sp_warn(ctx, "station %s is outside the grid%s", s->id,
                    o->eval_bg && !strcmp(o->eval_bg, s->id) ? "" : ": not compared");
    }
    if (!rc && got < 0)
        rc = (sp_status)got;
    sp_vector_close(v);
    return rc;
}

/* The background station's index (o->eval_bg), checked. A regional background station is
 * often off the grid, far from the sources: its modelled local increment is then taken as
 * 0, and said. */
static sp_status find_background(sp_ctx *ctx, const sp_disperse_options *o, station *st, int n,
                                 int *bg)
{
    *bg = -1;
    if (!o->eval_bg)
        return SP_OK;
    for (int i = 0; i < n; i++)
        if (!strcmp(st[i].id, o->eval_bg))
            *bg = i;
    if (*bg < 0)
        return sp_error(ctx, SP_ERR_USAGE, "-eval_bg '%s': no station has that id%s", o->eval_bg,
                        o->eval_id ? "" : " (ids are FIDs: name a field with -eval_id)");
    if (!st[*bg].on_grid) {
        st[*bg].mod = 0;
        sp_warn(ctx, "-eval_bg '%s' is outside the grid: its modelled local increment is taken "
                "as 0 (true when it is farther than -rmax from every source)", o->eval_bg);
    }
    return SP_OK;
}

/* DST.eval.csv: one row per station. */
static char *eval_table(const station *st, int n, int bg, const double *oi, const double *mi)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return NULL;
    fprintf(fp, "station,x,y,observed,modelled%s,ratio,role\n",
            bg >= 0 ? ",observed_minus_background,modelled_minus_background" : "");
    for (int i = 0; i < n; i++) {
        const station *s = &st[i];
        double ob = bg >= 0 ? oi[i] : s->obs, md = bg >= 0 ? mi[i] : s->mod;
        const char *role = i == bg ? "background" : !s->on_grid ? "off_grid" : "compared";
        fputc('"', fp);
        for (const char *c = s->id; *c; c++) /* a quote in an id is doubled (RFC 4180) */
            fputs(*c == '"' ? "\"\"" : (char[2]){*c, 0}, fp);
        fprintf(fp, "\",%.3f,%.3f,%.9g,%.9g", s->x, s->y, s->obs, s->mod);
        if (bg >= 0)
            fprintf(fp, ",%.9g,%.9g", oi[i], mi[i]);
        if (i != bg && s->on_grid && ob != 0)
            fprintf(fp, ",%.6g,%s\n", md / ob, role);
        else
            fprintf(fp, ",,%s\n", role);
    }
    return fclose(fp) ? (free(text), NULL) : text;
}

sp_status sp_disperse_evaluate(sp_ctx *ctx, const sp_disperse_options *o, const sp_raster *out,
                               int band, sp_disperse_report *rep)
{
    station *st = NULL;
    int n = 0, bg = -1;
    double *oi = NULL, *mi = NULL;
    sp_status rc = read_stations(ctx, o, out, band, &st, &n);
    if (!rc)
        rc = find_background(ctx, o, st, n, &bg);
    if (!rc && (!(oi = calloc((size_t)n + 1, sizeof *oi)) || !(mi = calloc((size_t)n + 1, sizeof *mi))))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_eval_acc acc = {0};
    if (!rc) {
        double *obs = oi, *mod = mi; /* the raw values, then their increments in place */
        for (int i = 0; i < n; i++)
            obs[i] = st[i].obs, mod[i] = st[i].mod;
        sp_eval_increments(obs, mod, n, bg, oi, mi);
        for (int i = 0; i < n; i++)
            if (st[i].on_grid && i != bg)
                sp_eval_add(&acc, oi[i], mi[i]);
        if (acc.n < 2)
            rc = sp_error(ctx, SP_ERR_DATA, "-eval: %d station(s) on the grid%s; at least 2 "
                          "are needed", acc.n, bg >= 0 ? " besides the background" : "");
    }
    if (!rc && !(rep->eval_csv = eval_table(st, n, bg, oi, mi)))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc) {
        sp_eval_stats s;
        sp_eval_finish(&acc, &s);
        rep->nstations = s.n;
        rep->fb = s.fb;
        rep->nmse = s.nmse;
        rep->fac2 = s.fac2;
        rep->r = s.r;
        rep->eval_why = s.why;
        if (s.why)
            sp_warn(ctx, "-eval: %s", s.why);
    }
    free(st);
    free(oi);
    free(mi);
    return rc;
}
