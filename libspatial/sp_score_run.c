/* sp_score_run: reads the zone table(s) and the spec, adds the station and synergy
 * columns, resolves every value of the spec against the columns (errors name the spec
 * line), scores with sp_score and writes the ranked table with readable reasons. */
#include "sp_text.h"
#include "sp_score_run.h"

#include <cpl_conv.h>
#include <fnmatch.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void sp_score_options_init(sp_score_options *o)
{
    memset(o, 0, sizeof *o);
    sp_vector_options_init(&o->st);
    o->station_field = "pm25";
    o->idw_power = 2;
    o->draws = 1000;
    o->perturb = 0.2;
    o->seed = 1;
    o->smaa_kappa = 100;
}

void sp_score_report_free(sp_score_report *r)
{
    if (!r)
        return;
    sp_table_free(r->table);
    memset(r, 0, sizeof *r);
}

/* The table with its zone ids. */
typedef struct {
    sp_table *t;
    int idc;
    char **id; /* nrows (owned) */
    int *idorder;
} zones;

static void zones_free(zones *z)
{
    if (z->id)
        for (int r = 0; r < z->t->nrows; r++)
            free(z->id[r]);
    free(z->id);
    free(z->idorder);
    sp_table_free(z->t);
}

static int find_id(const zones *z, const char *id)
{
    for (int r = 0; r < z->t->nrows; r++)
        if (!strcmp(z->id[r], id))
            return r;
    return -1;
}

static int cmp_id(const void *a, const void *b, void *user)
{
    const zones *z = user;
    const char *x = z->id[*(const int *)a], *y = z->id[*(const int *)b];
    char *ex, *ey;
    double dx = strtod(x, &ex), dy = strtod(y, &ey);
    bool nx = *x && !*ex, ny = *y && !*ey;
    if (nx && ny && dx != dy)
        return (dx > dy) - (dx < dy);
    return strcmp(x, y);
}

static sp_status load_ids(sp_ctx *ctx, const sp_score_spec *s, const char *path, zones *z)
{
    sp_table *t = z->t;
    if (t->ncols == 0)
        return sp_error(ctx, SP_ERR_DATA, "'%s' has no columns", path);
    z->idc = s->id ? sp_table_find(t, s->id) : 0;
    if (z->idc < 0)
        return sp_error(ctx, SP_ERR_USAGE, "'%s' has no id column '%s' (from the spec's 'id' "
                        "line)", path, s->id);
    z->id = calloc((size_t)(t->nrows ? t->nrows : 1), sizeof *z->id);
    z->idorder = malloc((size_t)(t->nrows ? t->nrows : 1) * sizeof *z->idorder);
    int *perm = malloc((size_t)(t->nrows ? t->nrows : 1) * sizeof *perm);
    if (!z->id || !z->idorder || !perm) {
        free(perm);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    char buf[64];
    for (int r = 0; r < t->nrows; r++) {
        const char *v = sp_table_text(t, z->idc, r, buf, sizeof buf);
        if (!v[0]) {
            free(perm);
            return sp_error(ctx, SP_ERR_DATA, "'%s': row %d has no id ('%s' is empty)", path,
                            r + 1, t->cols[z->idc].name);
        }
        if (!(z->id[r] = strdup(v))) {
            free(perm);
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        }
        perm[r] = r;
    }
    qsort_r(perm, (size_t)t->nrows, sizeof *perm, cmp_id, z);
    for (int k = 0; k < t->nrows; k++) {
        z->idorder[perm[k]] = k;
        if (k && !strcmp(z->id[perm[k]], z->id[perm[k - 1]])) {
            const char *dup = z->id[perm[k]];
            free(perm);
            return sp_error(ctx, SP_ERR_DATA, "'%s': id '%s' appears more than once in column "
                            "'%s'", path, dup, t->cols[z->idc].name);
        }
    }
    free(perm);
    return SP_OK;
}

/* Adds the columns of another table (joined by id). A column already present must hold
 * the same values (e.g. the zone name carried by both), else it is an error. */
static sp_status join(sp_ctx *ctx, const sp_score_spec *s, const char *arg, zones *z)
{
    const char *eq = strchr(arg, '=');
    char prefix[64] = "";
    const char *path = arg;
    if (eq && eq > arg && eq - arg < 60 && strcspn(arg, "/\\:") > (size_t)(eq - arg)) {
        snprintf(prefix, sizeof prefix, "%.*s_", (int)(eq - arg), arg);
        path = eq + 1;
    }
    zones j = {0};
    sp_status rc = sp_table_read(ctx, path, NULL, &j.t);
    if (!rc)
        rc = load_ids(ctx, s, path, &j);
    char buf[64], buf2[64], name[300];
    for (int c = 0; c < (rc ? 0 : j.t->ncols); c++) {
        if (c == j.idc)
            continue;
        snprintf(name, sizeof name, "%s%s", prefix, j.t->cols[c].name);
        int dc = sp_table_find(z->t, name);
        if (dc >= 0) {
            for (int r = 0; r < z->t->nrows && !rc; r++) {
                int jr = find_id(&j, z->id[r]);
                if (jr >= 0 && strcmp(sp_table_text(z->t, dc, r, buf, sizeof buf),
                                      sp_table_text(j.t, c, jr, buf2, sizeof buf2)))
                    rc = sp_error(ctx, SP_ERR_DATA, "'%s': column '%s' is also in the table, "
                                  "with another value for zone '%s'; join it as NAME=%s to "
                                  "prefix its columns", path, name, z->id[r], path);
            }
            continue;
        }
        dc = j.t->cols[c].numeric ? sp_table_add_number(z->t, name)
                                  : sp_table_add_text(z->t, name, j.t->cols[c].type);
        if (dc < 0) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            break;
        }
        for (int r = 0; r < z->t->nrows; r++) {
            int jr = find_id(&j, z->id[r]);
            if (jr < 0)
                continue;
            if (j.t->cols[c].numeric)
                z->t->cols[dc].num[r] = j.t->cols[c].num[jr];
            else if (!sp_table_set_text(z->t, dc, r, j.t->cols[c].str[jr]))
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        }
    }
    int missing = 0;
    for (int r = 0; r < (rc ? 0 : z->t->nrows); r++)
        missing += find_id(&j, z->id[r]) < 0;
    if (missing)
        sp_warn(ctx, "'%s' has no row for %d zone(s): their values from it are empty", path,
                missing);
    zones_free(&j);
    return rc;
}

/* Zone polygons from another source, joined by id. */
static sp_status zone_geometry(sp_ctx *ctx, const sp_score_spec *s, const char *path,
                               zones *z)
{
    zones g = {0};
    sp_status rc = sp_table_read(ctx, path, NULL, &g.t);
    if (!rc && !g.t->geom)
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no geometry", path);
    if (!rc)
        rc = load_ids(ctx, s, path, &g);
    if (!rc && !(z->t->geom = calloc((size_t)(z->t->nrows ? z->t->nrows : 1), sizeof(OGRGeometryH))))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int r = 0; r < (rc ? 0 : z->t->nrows); r++) {
        int gr = find_id(&g, z->id[r]);
        if (gr < 0) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no zone '%s'", path, z->id[r]);
            break;
        }
        z->t->geom[r] = g.t->geom[gr];
        g.t->geom[gr] = NULL;
    }
    if (!rc) {
        free(z->t->wkt);
        z->t->wkt = g.t->wkt;
        g.t->wkt = NULL;
    }
    zones_free(&g);
    return rc;
}

/* station_<field>: mean of the stations inside a zone, else IDW from the zone centroid
 * over every station (distances in a metric CRS: the zones' if projected, else UTM). */
static sp_status stations(sp_ctx *ctx, const sp_score_options *o, zones *z)
{
    sp_table *t = z->t;
    if (!t->geom || !t->wkt)
        return sp_error(ctx, SP_ERR_USAGE, "-stations needs the zone polygons: give a table "
                        "with geometry (sp-zonal .gpkg) or -zones");
    OGRSpatialReferenceH zs = OSRNewSpatialReference(t->wkt), ms = NULL;
    OSRSetAxisMappingStrategy(zs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = NULL;
    if (OSRIsGeographic(zs)) {
        OGREnvelope e = {0}, ge;
        bool first = true;
        for (int r = 0; r < t->nrows; r++)
            if (t->geom[r]) {
                OGR_G_GetEnvelope(t->geom[r], &ge);
                if (first) e = ge; else {
                    e.MinX = fmin(e.MinX, ge.MinX); e.MaxX = fmax(e.MaxX, ge.MaxX);
                    e.MinY = fmin(e.MinY, ge.MinY); e.MaxY = fmax(e.MaxY, ge.MaxY);
                }
                first = false;
            }
        ms = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(ms, sp_vector_utm_epsg((e.MinX + e.MaxX) / 2, (e.MinY + e.MaxY) / 2));
        OSRSetAxisMappingStrategy(ms, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(zs, ms);
    }
    char *mwkt = NULL;
    OSRExportToWkt(ms ? ms : zs, &mwkt);
    sp_vector_options vo = o->st;
    vo.t_srs = mwkt;
    sp_vector *v = NULL;
    sp_status rc = sp_vector_open(ctx, o->stations, &vo, &v);
    double *sx = NULL, *sy = NULL, *sv = NULL, *d = NULL;
    int ns = 0, cap = 0, fidx = -1;
    char col[200], how[200];
    snprintf(col, sizeof col, "station_%s", o->station_field);
    snprintf(how, sizeof how, "station_%s_from", o->station_field);
    if (!rc)
        rc = sp_vector_field(ctx, v, 0, o->station_field, &fidx);
    sp_feature f;
    int k;
    while (!rc && (k = sp_vector_next(ctx, v, &f)) != 0) {
        if (k < 0) {
            rc = (sp_status)k;
            break;
        }
        if (!f.geom || wkbFlatten(OGR_G_GetGeometryType(f.geom)) != wkbPoint) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s': feature %lld is not a point", o->stations,
                          f.fid);
            break;
        }
        double val;
        if ((rc = sp_vector_number(ctx, v, &f, fidx, 0, &val)))
            break;
        if (ns == cap) {
            cap = cap ? 2 * cap : 16;
            double *a = realloc(sx, cap * sizeof *a); if (a) sx = a;
            double *b = realloc(sy, cap * sizeof *b); if (b) sy = b;
            double *c = realloc(sv, cap * sizeof *c); if (c) sv = c;
            if (!a || !b || !c) {
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
                break;
            }
        }
        sx[ns] = OGR_G_GetX(f.geom, 0);
        sy[ns] = OGR_G_GetY(f.geom, 0);
        sv[ns++] = val;
    }
    if (!rc && ns == 0)
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no stations", o->stations);
    int vc = -1, hc = -1;
    if (!rc && ((vc = sp_table_add_number(t, col)) < 0 ||
                (hc = sp_table_add_text(t, how, OFTString)) < 0))
        rc = sp_error(ctx, SP_ERR_DATA, "cannot add column '%s': the table has it already", col);
    if (!rc && !(d = malloc((size_t)ns * sizeof *d)))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int r = 0; r < (rc ? 0 : t->nrows); r++) {
        if (!t->geom[r])
            continue;
        OGRGeometryH g = OGR_G_Clone(t->geom[r]);
        if (ct)
            OGR_G_Transform(g, ct);
        OGRGeometryH c = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_Centroid(g, c);
        double cx = OGR_G_GetX(c, 0), cy = OGR_G_GetY(c, 0), sum = 0;
        int in = 0;
        for (int i = 0; i < ns; i++) {
            OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_AddPoint_2D(p, sx[i], sy[i]);
            if (OGR_G_Contains(g, p)) {
                sum += sv[i];
                in++;
            }
            OGR_G_DestroyGeometry(p);
            d[i] = hypot(sx[i] - cx, sy[i] - cy);
        }
        char b[96];
        if (in) {
            t->cols[vc].num[r] = sum / in;
            snprintf(b, sizeof b, "mean of %d station(s) in the zone", in);
        } else {
            t->cols[vc].num[r] = sp_score_idw(d, sv, ns, o->idw_power);
            snprintf(b, sizeof b, "IDW of %d stations (power %g)", ns, o->idw_power);
        }
        OGR_G_DestroyGeometry(c);
        OGR_G_DestroyGeometry(g);
        if (!sp_table_set_text(t, hc, r, b))
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    free(sx); free(sy); free(sv); free(d);
    sp_vector_close(v);
    CPLFree(mwkt);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (ms)
        OSRDestroySpatialReference(ms);
    OSRDestroySpatialReference(zs);
    return rc;
}

/* The spec's value references resolved to table columns (col index or -1 for numbers). */
typedef struct {
    const sp_score_expr *e;
    int c[2];
    int line;
} bound;

static sp_status bind(sp_ctx *ctx, const char *spec, const zones *z, const sp_score_expr *e,
                      int line, bound *b)
{
    b->e = e;
    b->line = line;
    for (int k = 0; k < 2; k++) {
        b->c[k] = -1;
        if (!e->col[k])
            continue;
        if ((b->c[k] = sp_table_find(z->t, e->col[k])) >= 0)
            continue;
        size_t len = 0, cap = 4096;
        char *list = malloc(cap);
        if (list) {
            list[0] = 0;
            for (int c = 0; c < z->t->ncols && len + 80 < cap; c++)
                len += (size_t)snprintf(list + len, cap - len, "%s%s", c ? ", " : "",
                                        z->t->cols[c].name);
        }
        sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown column '%s' (the table has: %s)", spec,
                 line, e->col[k], list ? list : "?");
        free(list);
        return SP_ERR_DATA;
    }
    return SP_OK;
}

/* Value of a bound expression for row r; a text that is not a number is an error. */
static sp_status value(sp_ctx *ctx, const char *spec, const zones *z, const bound *b, int r,
                       double *out)
{
    double v[2];
    for (int k = 0; k < 2; k++) {
        v[k] = b->e->num[k];
        if (b->c[k] < 0)
            continue;
        bool ok;
        v[k] = sp_table_number(z->t, b->c[k], r, &ok);
        if (!ok)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: zone '%s': column '%s' holds '%s', not a "
                            "number", spec, b->line, z->id[r], z->t->cols[b->c[k]].name,
                            z->t->cols[b->c[k]].str[r]);
    }
    *out = sp_score_expr_eval(b->e, v[0], v[1]);
    return SP_OK;
}

static sp_status synergy_columns(sp_ctx *ctx, const sp_score_spec *s, const char *spec,
                                 zones *z)
{
    sp_table *t = z->t;
    bound bb[2];
    sp_score_expr eb = {{s->syn[0].base, NULL}, {0, 0}, 0}, es = {{s->syn[0].scen, NULL}, {0, 0}, 0};
    sp_status rc = bind(ctx, spec, z, &eb, s->syn[0].line, &bb[0]);
    if (!rc)
        rc = bind(ctx, spec, z, &es, s->syn[0].line, &bb[1]);
    int cco2 = rc ? -1 : sp_table_add_number(t, "syn_co2_red_pct");
    if (!rc && cco2 < 0)
        return sp_error(ctx, SP_ERR_DATA, "cannot add column 'syn_co2_red_pct'");
    for (int p = 1; p < s->nsyn && !rc; p++) {
        bound ab[2];
        sp_score_expr ea = {{s->syn[p].base, NULL}, {0, 0}, 0}, esa = {{s->syn[p].scen, NULL}, {0, 0}, 0};
        if ((rc = bind(ctx, spec, z, &ea, s->syn[p].line, &ab[0])) ||
            (rc = bind(ctx, spec, z, &esa, s->syn[p].line, &ab[1])))
            break;
        char n1[160], n2[160], n3[160], n4[160];
        const char *pn = s->syn[p].pollutant;
        snprintf(n1, sizeof n1, "syn_%s_red_pct", pn);
        snprintf(n2, sizeof n2, "syn_%s_els", pn);
        snprintf(n3, sizeof n3, "syn_%s_quadrant", pn);
        snprintf(n4, sizeof n4, "syn_%s_effect", pn);
        int c1 = sp_table_add_number(t, n1), c2 = sp_table_add_number(t, n2);
        int c3 = sp_table_add_number(t, n3), c4 = sp_table_add_text(t, n4, OFTString);
        if (c1 < 0 || c2 < 0 || c3 < 0 || c4 < 0)
            return sp_error(ctx, SP_ERR_DATA, "cannot add the synergy columns of '%s'", pn);
        for (int r = 0; r < t->nrows && !rc; r++) {
            double bc, sc, ba, sa;
            if ((rc = value(ctx, spec, z, &bb[0], r, &bc)) || (rc = value(ctx, spec, z, &bb[1], r, &sc)) ||
                (rc = value(ctx, spec, z, &ab[0], r, &ba)) || (rc = value(ctx, spec, z, &ab[1], r, &sa)))
                break;
            if (isnan(bc) || isnan(sc) || isnan(ba) || isnan(sa))
                continue;
            double ra, rco2, els;
            int q;
            sp_score_synergy(ba, sa, bc, sc, &ra, &rco2, &els, &q);
            t->cols[cco2].num[r] = rco2;
            t->cols[c1].num[r] = ra;
            t->cols[c2].num[r] = els;
            t->cols[c3].num[r] = q;
            if (!sp_table_set_text(t, c4, r, sp_score_quadrant_name(q)))
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        }
    }
    return rc;
}

/* The one-microgram columns: the ensemble members' PM2.5 change per zone summarised as
 * dc_pm25_ugm3 (median), dc_pm25_lo / _hi (10th / 90th percentiles), p_1ug (share of
 * members >= the threshold), one_microgram (p_1ug >= p), and ug_reason, which names
 * what delivers the change (the contrib columns, largest first). */
/* a cell as a number: numeric columns as they are, text (a joined CSV) parsed; NaN when
 * empty or not a number */
static double cell_number(const sp_table *t, int c, int r)
{
    if (t->cols[c].numeric)
        return t->cols[c].num[r];
    const char *s = t->cols[c].str[r];
    char *end;
    double v = s && *s ? strtod(s, &end) : NAN;
    return s && *s && !*end ? v : NAN;
}

static sp_status microgram_columns(sp_ctx *ctx, const sp_score_spec *s, const char *spec,
                                   zones *z)
{
    sp_table *t = z->t;
    int *mc = malloc((size_t)(t->ncols ? t->ncols : 1) * sizeof *mc), nm = 0;
    int *cc = malloc((size_t)(s->ncontrib ? s->ncontrib : 1) * sizeof *cc);
    double *v = malloc((size_t)(t->ncols ? t->ncols : 1) * sizeof *v);
    sp_status rc = mc && cc && v ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int c = 0; !rc && c < t->ncols; c++)
        if (!fnmatch(s->ug_members, t->cols[c].name, 0))
            mc[nm++] = c;
    if (!rc && !nm)
        rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: no column matches '%s' (sp-zonal -stats "
                      "weighted_mean of sp-disperse -ensemble's delta_pm25_mNN bands)", spec,
                      s->ug_line, s->ug_members);
    for (int k = 0; !rc && k < s->ncontrib; k++)
        if ((cc[k] = sp_table_find(t, s->contrib[k].col)) < 0)
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: contrib: no column '%s'", spec,
                          s->contrib[k].line, s->contrib[k].col);
    static const char *const NAMES[5] = {"dc_pm25_ugm3", "dc_pm25_lo", "dc_pm25_hi", "p_1ug",
                                         "one_microgram"};
    int out[5], creason = -1;
    for (int i = 0; !rc && i < 5; i++)
        if ((out[i] = i == 4 ? sp_table_add_integer(t, NAMES[i]) : sp_table_add_number(t, NAMES[i])) < 0)
            rc = sp_error(ctx, SP_ERR_DATA, "cannot add column '%s'", NAMES[i]);
    if (!rc && (creason = sp_table_add_text(t, "ug_reason", OFTString)) < 0)
        rc = sp_error(ctx, SP_ERR_DATA, "cannot add column 'ug_reason'");
    for (int r = 0; !rc && r < t->nrows; r++) {
        for (int i = 0; i < nm; i++)
            v[i] = cell_number(t, mc[i], r);
        double med, lo, hi, p;
        sp_score_ensemble(v, nm, s->ug_threshold, &med, &lo, &hi, &p);
        t->cols[out[0]].num[r] = med;
        t->cols[out[1]].num[r] = lo;
        t->cols[out[2]].num[r] = hi;
        t->cols[out[3]].num[r] = p;
        t->cols[out[4]].num[r] = p >= s->ug_p;
        char buf[1024];
        int k = snprintf(buf, sizeof buf, "PM2.5 %+.2f ug/m3 where people live (p(>= %g) = %.2f; "
                         "10-90 %%: %.2f to %.2f, %d members)", -med, s->ug_threshold, p, lo, hi, nm);
        /* contributions, largest first */
        bool used[64] = {false};
        for (int n = 0; n < s->ncontrib && n < 64 && k < (int)sizeof buf - 64; n++) {
            int best = -1;
            for (int q = 0; q < s->ncontrib && q < 64; q++)
                if (!used[q] && (best < 0 || cell_number(t, cc[q], r) > cell_number(t, cc[best], r)))
                    best = q;
            used[best] = true;
            k += snprintf(buf + k, sizeof buf - k, "%s %s %.2f", n ? "," : ":",
                          s->contrib[best].label, cell_number(t, cc[best], r));
        }
        if (!sp_table_set_text(t, creason, r, buf))
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    free(mc);
    free(cc);
    free(v);
    return rc;
}

typedef struct {
    int src;    /* column of z->t copied, or -1 */
    char *name;
} outcol;

/* The output table: id, label, include columns, eligibility and scores, reasons, the
 * station and synergy columns, and per indicator raw / normalised / points. Rows in
 * rank order, the ineligible zones last in id order. */
static sp_status build_output(sp_ctx *ctx, const sp_score_spec *s, const sp_score_options *o,
                              const zones *z, const sp_score_input *in,
                              const sp_score_result *res, char **why, sp_score_report *rep)
{
    sp_table *t = z->t;
    int nz = t->nrows, ni = s->nind;
    int *order = malloc((size_t)(nz ? nz : 1) * sizeof *order);
    sp_table *out = sp_table_new(nz);
    if (!order || !out) {
        free(order);
        sp_table_free(out);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    /* eligible by rank, then the others by id */
    int k = 0;
    for (int rk = 1; rk <= res->neligible; rk++)
        for (int r = 0; r < nz; r++)
            if (res->rank[r] == rk)
                order[k++] = r;
    for (int pos = 0; pos < nz; pos++)
        for (int r = 0; r < nz; r++)
            if (!res->rank[r] && in->idorder[r] == pos)
                order[k++] = r;
    sp_status rc = SP_OK;
    /* copied columns: id, label, include, station, synergy */
    int ncopy = 0, copy[512];
    copy[ncopy++] = z->idc;
    int lc = s->label ? sp_table_find(t, s->label) : -1;
    if (s->label && lc < 0) {
        rc = sp_error(ctx, SP_ERR_USAGE, "%s: no label column '%s' in the table", o->spec,
                      s->label);
        goto fail;
    }
    if (lc >= 0 && lc != z->idc)
        copy[ncopy++] = lc;
    for (char **inc = o->include; inc && *inc && ncopy < 500; inc++) {
        int c = sp_table_find(t, *inc);
        if (c < 0) {
            rc = sp_error(ctx, SP_ERR_USAGE, "-include: no column '%s' in the table", *inc);
            goto fail;
        }
        copy[ncopy++] = c;
    }
    int c_elig = -1, c_rank, c_sel, c_score, c_stab, c_reason;
    for (int i = 0; i < ncopy; i++) {
        const sp_table_col *sc = &t->cols[copy[i]];
        if (sp_table_find(out, sc->name) >= 0)
            continue;
        int c = sc->numeric ? (sc->type == OFTInteger64 ? sp_table_add_integer(out, sc->name)
                                                        : sp_table_add_number(out, sc->name))
                            : sp_table_add_text(out, sc->name, sc->type);
        if (c < 0)
            goto nomem;
        for (int j = 0; j < nz; j++) {
            if (sc->numeric)
                out->cols[c].num[j] = sc->num[order[j]];
            else if (!sp_table_set_text(out, c, j, sc->str[order[j]]))
                goto nomem;
        }
    }
    if ((c_rank = sp_table_add_integer(out, "rank")) < 0 ||
        (c_sel = sp_table_add_integer(out, "selected")) < 0 ||
        (c_score = sp_table_add_number(out, "score")) < 0 ||
        (c_stab = sp_table_add_number(out, "stability")) < 0 ||
        (c_elig = sp_table_add_integer(out, "eligible")) < 0 ||
        (c_reason = sp_table_add_text(out, "reason", OFTString)) < 0)
        goto nomem;
    for (int j = 0; j < nz; j++) {
        int r = order[j];
        bool el = in->eligible[r];
        out->cols[c_rank].num[j] = el ? res->rank[r] : NAN;
        out->cols[c_sel].num[j] = res->selected[r];
        out->cols[c_score].num[j] = res->score[r];
        out->cols[c_stab].num[j] = res->stability[r];
        out->cols[c_elig].num[j] = el;
        char buf[1024];
        if (el)
            sp_score_reason(s, in, res, r, s->reasons, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "not eligible: %s", why[r]);
        if (!sp_table_set_text(out, c_reason, j, buf))
            goto nomem;
    }
    if (res->smaa_best) { /* rank acceptability: best / median / worst rank in 90 % of draws */
        static const char *const SN[4] = {"smaa_rank_best", "smaa_rank_median", "smaa_rank_worst",
                                          "smaa_selected"};
        const double *src[4] = {res->smaa_best, res->smaa_median, res->smaa_worst, res->smaa_top};
        for (int q = 0; q < 4; q++) {
            int c = sp_table_add_number(out, SN[q]);
            if (c < 0)
                goto nomem;
            for (int j = 0; j < nz; j++)
                out->cols[c].num[j] = src[q][order[j]];
        }
    }
    /* virtual columns made from the table: stations, synergy */
    for (int c = 0; c < t->ncols; c++) {
        const sp_table_col *sc = &t->cols[c];
        if (strncmp(sc->name, "station_", 8) && strncmp(sc->name, "syn_", 4) &&
            strncmp(sc->name, "dc_pm25_", 8) && strcmp(sc->name, "p_1ug") &&
            strcmp(sc->name, "one_microgram") && strcmp(sc->name, "ug_reason"))
            continue;
        if (sp_table_find(out, sc->name) >= 0)
            continue;
        int oc = sc->numeric ? (sc->type == OFTInteger64 ? sp_table_add_integer(out, sc->name)
                                                         : sp_table_add_number(out, sc->name))
                             : sp_table_add_text(out, sc->name, sc->type);
        if (oc < 0)
            goto nomem;
        for (int j = 0; j < nz; j++) {
            if (sc->numeric)
                out->cols[oc].num[j] = sc->num[order[j]];
            else if (!sp_table_set_text(out, oc, j, sc->str[order[j]]))
                goto nomem;
        }
    }
    for (int i = 0; i < ni; i++) {
        static const char *suffix[] = {"raw", "norm", "pts"};
        for (int q = 0; q < 3; q++) {
            char name[300];
            snprintf(name, sizeof name, "%s_%s", s->ind[i].name, suffix[q]);
            int c = sp_table_add_number(out, name);
            if (c < 0) {
                rc = sp_error(ctx, SP_ERR_USAGE, "%s:%d: output column '%s' clashes with "
                              "another; rename the indicator", o->spec, s->ind[i].line, name);
                goto fail;
            }
            const double *src = q == 0 ? in->raw : q == 1 ? res->norm : res->pts;
            for (int j = 0; j < nz; j++)
                out->cols[c].num[j] = src[(size_t)order[j] * ni + i];
        }
    }
    if (t->geom) {
        if (!(out->geom = calloc((size_t)(nz ? nz : 1), sizeof *out->geom)))
            goto nomem;
        for (int j = 0; j < nz; j++)
            out->geom[j] = t->geom[order[j]] ? OGR_G_Clone(t->geom[order[j]]) : NULL;
        out->wkt = t->wkt ? strdup(t->wkt) : NULL;
    }
    rep->table = out;
    rep->c_id = 0;
    rep->c_label = lc >= 0 && lc != z->idc ? 1 : -1;
    rep->c_rank = c_rank;
    rep->c_selected = c_sel;
    rep->c_score = c_score;
    rep->c_stability = c_stab;
    rep->c_reason = c_reason;
    free(order);
    return SP_OK;
nomem:
    rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
fail:
    free(order);
    sp_table_free(out);
    return rc;
}

sp_status sp_score_run(sp_ctx *ctx, const char *table_path, const char *dst,
                       const sp_score_options *o, sp_score_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->c_id = rep->c_label = -1;
    if (!o->spec)
        return sp_error(ctx, SP_ERR_USAGE, "a spec is required (-spec FILE)");
    if (o->draws < 0 || !(o->perturb >= 0 && o->perturb < 1) || !(o->idw_power > 0))
        return sp_error(ctx, SP_ERR_USAGE, "-draws must be >= 0, -perturb in [0, 1), "
                        "-idw_power > 0");
    char *text = NULL;
    sp_score_spec *s = NULL;
    zones z = {0};
    bound *bi = NULL, *bf = NULL, *bt = NULL;
    double *raw = NULL, *tiekey = NULL;
    bool *eligible = NULL;
    char **why = NULL;
    sp_score_result res = {0};
    sp_status rc = sp_text_read_file(ctx, o->spec, "spec", &text);
    if (!rc)
        rc = sp_score_spec_parse(ctx, text, o->spec, &s);
    if (!rc)
        rc = sp_table_read(ctx, table_path, o->layer, &z.t);
    if (!rc)
        rc = load_ids(ctx, s, table_path, &z);
    for (int j = 0; j < o->njoins && !rc; j++)
        rc = join(ctx, s, o->joins[j], &z);
    if (!rc && o->zones) {
        if (z.t->geom)
            sp_warn(ctx, "the table has geometry; -zones replaces it");
        if (z.t->geom) {
            for (int r = 0; r < z.t->nrows; r++)
                if (z.t->geom[r])
                    OGR_G_DestroyGeometry(z.t->geom[r]);
            free(z.t->geom);
            z.t->geom = NULL;
        }
        rc = zone_geometry(ctx, s, o->zones, &z);
    }
    if (!rc && o->stations)
        rc = stations(ctx, o, &z);
    if (!rc && s->nsyn)
        rc = synergy_columns(ctx, s, o->spec, &z);
    if (!rc && s->ug_members)
        rc = microgram_columns(ctx, s, o->spec, &z);
    if (rc)
        goto done;
    int nz = z.t->nrows, ni = s->nind;
    if (nz == 0) {
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no rows", table_path);
        goto done;
    }
    bi = calloc((size_t)ni, sizeof *bi);
    bf = calloc((size_t)(s->nflt ? s->nflt : 1), sizeof *bf);
    bt = calloc((size_t)(s->ntie ? s->ntie : 1), sizeof *bt);
    raw = malloc((size_t)nz * ni * sizeof *raw);
    tiekey = malloc((size_t)nz * (s->ntie ? s->ntie : 1) * sizeof *tiekey);
    eligible = calloc((size_t)nz, sizeof *eligible);
    why = calloc((size_t)nz, sizeof *why);
    if (!bi || !bf || !bt || !raw || !tiekey || !eligible || !why) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int f = 0; f < s->nflt && !rc; f++)
        rc = bind(ctx, o->spec, &z, &s->flt[f].expr, s->flt[f].line, &bf[f]);
    for (int i = 0; i < ni && !rc; i++)
        rc = bind(ctx, o->spec, &z, &s->ind[i].expr, s->ind[i].line, &bi[i]);
    for (int k = 0; k < s->ntie && !rc; k++)
        rc = bind(ctx, o->spec, &z, &s->tie[k].expr, s->tie[k].line, &bt[k]);
    if (!rc && s->label && sp_table_find(z.t, s->label) < 0)
        rc = sp_error(ctx, SP_ERR_USAGE, "%s: unknown label column '%s'", o->spec, s->label);
    for (int r = 0; r < nz && !rc; r++) {
        eligible[r] = true;
        for (int f = 0; f < s->nflt && eligible[r] && !rc; f++) {
            double v = 0;
            bool pass;
            if (s->flt[f].str) { /* a text filter on one column */
                int c = s->flt[f].expr.col[0] && !s->flt[f].expr.op
                            ? sp_table_find(z.t, s->flt[f].expr.col[0]) : -1;
                if (c < 0) {
                    rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: a text filter needs one column of "
                                  "the table", o->spec, s->flt[f].line);
                    break;
                }
                char tb[64];
                bool same = !strcmp(sp_table_text(z.t, c, r, tb, sizeof tb), s->flt[f].str);
                pass = s->flt[f].cmp == SP_CMP_EQ ? same : !same;
            } else {
                if ((rc = value(ctx, o->spec, &z, &bf[f], r, &v)))
                    break;
                pass = sp_score_filter_pass(&s->flt[f], v);
            }
            if (!pass) {
                char b[600];
                if (s->flt[f].str)
                    snprintf(b, sizeof b, "%s fails (spec line %d)", s->flt[f].text, s->flt[f].line);
                else if (isnan(v))
                    snprintf(b, sizeof b, "no value for %.*s (spec line %d)",
                             (int)strcspn(s->flt[f].text, " "), s->flt[f].text, s->flt[f].line);
                else
                    snprintf(b, sizeof b, "%s fails, value %.6g (spec line %d)", s->flt[f].text,
                             v, s->flt[f].line);
                eligible[r] = false;
                if (!(why[r] = strdup(b)))
                    rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            }
        }
        for (int i = 0; i < ni && !rc; i++) {
            double v;
            if ((rc = value(ctx, o->spec, &z, &bi[i], r, &v)))
                break;
            v *= s->ind[i].scale;
            raw[(size_t)r * ni + i] = v;
            if (eligible[r] && !isfinite(v)) {
                rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: indicator '%s' of zone '%s' is %s: leave "
                              "such zones out with a filter line (e.g. 'filter COLUMN present' "
                              "or 'filter COLUMN > 0')", o->spec, s->ind[i].line, s->ind[i].name,
                              z.id[r], isnan(v) ? "not a number (an empty or NaN value)"
                                                : "infinite (a division by zero)");
            }
        }
        for (int k = 0; k < s->ntie && !rc; k++)
            rc = value(ctx, o->spec, &z, &bt[k], r, &tiekey[(size_t)r * s->ntie + k]);
    }
    if (rc)
        goto done;
    sp_score_input in = {nz, raw, eligible, tiekey, z.idorder};
    if ((rc = sp_score_compute(ctx, s, &in, o->draws, o->perturb, o->seed, &res)))
        goto done;
    if (o->draws > 0) {
        size_t n = (size_t)nz;
        res.smaa_best = malloc(n * sizeof(double));
        res.smaa_median = malloc(n * sizeof(double));
        res.smaa_worst = malloc(n * sizeof(double));
        res.smaa_top = malloc(n * sizeof(double));
        rc = !res.smaa_best || !res.smaa_median || !res.smaa_worst || !res.smaa_top
                 ? sp_error(ctx, SP_ERR_NOMEM, "out of memory")
                 : sp_score_smaa(ctx, s, &in, &res, o->draws, o->smaa_kappa, o->seed,
                                 res.smaa_best, res.smaa_median, res.smaa_worst, res.smaa_top);
        if (rc)
            goto done;
    }
    rep->nzones = nz;
    rep->n_ug = -1;
    rep->select = s->select;
    rep->ug_p = s->ug_p;
    rep->ug_threshold = s->ug_threshold;
    int cug = s->ug_members ? sp_table_find(z.t, "one_microgram") : -1;
    for (int r = 0; cug >= 0 && r < nz; r++)
        rep->n_ug += (r == 0) + (z.t->cols[cug].num[r] == 1);
    rep->neligible = res.neligible;
    rep->nselected = res.nselected;
    rep->cut_ties = res.cut_ties;
    if (res.neligible < s->select)
        sp_warn(ctx, "only %d zone(s) are eligible, fewer than the %d to select", res.neligible,
                s->select);
    if (res.cut_ties && !s->ties_include)
        sp_warn(ctx, "%d zone(s) tie on score with the last selected one and were left out by "
                "the tie rules ('tie' lines, then id); 'ties include' selects them too",
                res.cut_ties);
    if ((rc = build_output(ctx, s, o, &z, &in, &res, why, rep)))
        goto done;
    const char *fmt = o->format ? o->format : NULL;
    bool wants_geom = fmt ? strcasecmp(fmt, "CSV") != 0
                          : !(strlen(dst) > 4 && !strcasecmp(dst + strlen(dst) - 4, ".csv"));
    if (wants_geom && !rep->table->geom) {
        rc = sp_error(ctx, SP_ERR_USAGE, "'%s' would have no zone geometry: the table has none; "
                      "give the zone polygons with -zones (or write .csv)", dst);
        goto done;
    }
    rc = sp_table_write(ctx, rep->table, dst, o->format);
done:
    if (rc)
        sp_score_report_free(rep);
    if (why && z.t)
        for (int r = 0; r < z.t->nrows; r++)
            free(why[r]);
    free(why);
    free(bi); free(bf); free(bt); free(raw); free(tiekey); free(eligible);
    sp_score_result_free(&res);
    zones_free(&z);
    sp_score_spec_free(s);
    free(text);
    return rc;
}

int sp_score_ug_order(const sp_score_report *rep, int *rows, int max)
{
    const sp_table *t = rep->table;
    int cp = t ? sp_table_find(t, "p_1ug") : -1, cd = t ? sp_table_find(t, "dc_pm25_ugm3") : -1;
    if (rep->n_ug < 0 || cp < 0 || cd < 0)
        return 0;
    int n = t->nrows, want = rep->n_ug > rep->select ? rep->n_ug : rep->select, shown = 0;
    bool *done = calloc((size_t)(n ? n : 1), 1);
    for (int k = 0; done && k < n && shown < want && shown < max; k++) {
        int best = -1;
        for (int r = 0; r < n; r++)
            if (!done[r] && !isnan(t->cols[cp].num[r]) &&
                (best < 0 || t->cols[cp].num[r] > t->cols[cp].num[best] ||
                 (t->cols[cp].num[r] == t->cols[cp].num[best] &&
                  t->cols[cd].num[r] > t->cols[cd].num[best])))
                best = r;
        if (best < 0)
            break;
        done[best] = true;
        rows[shown++] = best;
    }
    free(done);
    return shown;
}
