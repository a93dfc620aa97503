/* sp_score_run: reads the zone table(s) and the spec, adds the station and synergy
 * columns, resolves every value of the spec against the columns (errors name the spec
 * line), scores with sp_score and writes the ranked table with readable reasons. */
#include "core/sp_text.h"
#include "score/sp_score_impl.h"

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
            bool flat = fabs(rco2) < 100 * s->els_threshold; /* CO2 hardly moves */
            t->cols[cco2].num[r] = rco2;
            t->cols[c1].num[r] = ra;
            t->cols[c2].num[r] = flat ? NAN : els;
            t->cols[c3].num[r] = q;
            if (!sp_table_set_text(t, c4, r, flat && q ? "carbon-neutral (|dCO2| under "
                                   "els_threshold)" : sp_score_quadrant_name(q)))
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
    int *ec = malloc((size_t)(t->ncols ? t->ncols : 1) * sizeof *ec), ne = 0;
    if (!rc && !ec)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int c = 0; !rc && c < t->ncols; c++) {
        if (!fnmatch(s->ug_members, t->cols[c].name, 0))
            mc[nm++] = c;
        else if (s->ug_exposure && !fnmatch(s->ug_exposure, t->cols[c].name, 0))
            ec[ne++] = c;
    }
    if (!rc && !nm)
        rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: no column matches '%s' (sp-zonal -stats mean "
                      "of sp-disperse -ensemble's delta_pm25_mNN bands)", spec, s->ug_line,
                      s->ug_members);
    if (!rc && s->ug_exposure && ne != nm)
        rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: exposure= matches %d columns, the members %d "
                      "(the same members, population-weighted)", spec, s->ug_line, ne, nm);
    for (int k = 0; !rc && k < s->ncontrib; k++)
        if ((cc[k] = sp_table_find(t, s->contrib[k].col)) < 0)
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: contrib: no column '%s'", spec,
                          s->contrib[k].line, s->contrib[k].col);
    static const char *const NAMES[6] = {"dc_pm25_ugm3", "dc_pm25_lo", "dc_pm25_hi", "p_1ug",
                                         "one_microgram", "dc_pm25_exposure"};
    int out[6] = {-1, -1, -1, -1, -1, -1}, creason = -1;
    for (int i = 0; !rc && i < (s->ug_exposure ? 6 : 5); i++)
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
        char buf[1024], expo[96] = "";
        if (s->ug_exposure) {
            for (int i = 0; i < ne; i++)
                v[i] = cell_number(t, ec[i], r);
            double em, el, eh, ep;
            sp_score_ensemble(v, ne, s->ug_threshold, &em, &el, &eh, &ep);
            t->cols[out[5]].num[r] = em;
            snprintf(expo, sizeof expo, "; %.2f where people live", em);
        }
        /* one sign everywhere: a cut, positive = cleaner */
        int k = snprintf(buf, sizeof buf, "PM2.5 cut %.2f ug/m3 %s (p(>= %g) = %.2f; 10-90 %%: "
                         "%.2f to %.2f, %d members)%s", med, s->ug_exposure ? "street mean"
                         : "where people live", s->ug_threshold, p, lo, hi, nm, expo);
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
    free(ec);
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
/* The zone table, the joins, the zone polygons and the made columns (stations,
 * synergy, microgram). */
static sp_status load_inputs(sp_ctx *ctx, const sp_score_options *o, const sp_score_spec *s,
                             const char *table_path, zones *z)
{
    sp_status rc = sp_table_read(ctx, table_path, o->layer, &z->t);
    if (!rc)
        rc = load_ids(ctx, s, table_path, z);
    for (int j = 0; j < o->njoins && !rc; j++)
        rc = join(ctx, s, o->joins[j], z);
    if (!rc && o->zones) {
        if (z->t->geom) {
            sp_warn(ctx, "the table has geometry; -zones replaces it");
            for (int r = 0; r < z->t->nrows; r++)
                if (z->t->geom[r])
                    OGR_G_DestroyGeometry(z->t->geom[r]);
            free(z->t->geom);
            z->t->geom = NULL;
        }
        rc = zone_geometry(ctx, s, o->zones, z);
    }
    if (!rc && o->stations)
        rc = sp_score_stations(ctx, o, z);
    if (!rc && s->nsyn)
        rc = synergy_columns(ctx, s, o->spec, z);
    if (!rc && s->ug_members)
        rc = microgram_columns(ctx, s, o->spec, z);
    if (!rc && o->members)
        rc = sp_score_spread(ctx, s, o->members, z->t);
    if (!rc && z->t->nrows == 0)
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no rows", table_path);
    return rc;
}

/* Every zone's filters, indicator values and tie keys, from the spec bound to the
 * table's columns. */
typedef struct {
    bound *bi, *bf, *bt;
    double *raw, *tiekey;
    bool *eligible;
    char **why; /* per zone: why it is not eligible (owned) */
    int nz;
} evaluation;

static void evaluation_free(evaluation *e)
{
    for (int r = 0; e->why && r < e->nz; r++)
        free(e->why[r]);
    free(e->why);
    free(e->bi); free(e->bf); free(e->bt); free(e->raw); free(e->tiekey); free(e->eligible);
}

static sp_status evaluation_bind(sp_ctx *ctx, const sp_score_spec *s, const char *spec,
                                 const zones *z, evaluation *e)
{
    int nz = e->nz = z->t->nrows, ni = s->nind;
    e->bi = calloc((size_t)(ni ? ni : 1), sizeof *e->bi);
    e->bf = calloc((size_t)(s->nflt ? s->nflt : 1), sizeof *e->bf);
    e->bt = calloc((size_t)(s->ntie ? s->ntie : 1), sizeof *e->bt);
    e->raw = malloc((size_t)nz * (ni ? ni : 1) * sizeof *e->raw);
    e->tiekey = malloc((size_t)nz * (s->ntie ? s->ntie : 1) * sizeof *e->tiekey);
    e->eligible = calloc((size_t)nz, sizeof *e->eligible);
    e->why = calloc((size_t)nz, sizeof *e->why);
    if (!e->bi || !e->bf || !e->bt || !e->raw || !e->tiekey || !e->eligible || !e->why)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = SP_OK;
    for (int f = 0; f < s->nflt && !rc; f++)
        rc = bind(ctx, spec, z, &s->flt[f].expr, s->flt[f].line, &e->bf[f]);
    for (int i = 0; i < ni && !rc; i++)
        rc = bind(ctx, spec, z, &s->ind[i].expr, s->ind[i].line, &e->bi[i]);
    for (int k = 0; k < s->ntie && !rc; k++)
        rc = bind(ctx, spec, z, &s->tie[k].expr, s->tie[k].line, &e->bt[k]);
    if (!rc && s->label && sp_table_find_name(z->t, s->label) < 0)
        rc = sp_error(ctx, SP_ERR_USAGE, "%s: unknown label column '%s'", spec, s->label);
    return rc;
}

/* The filters of zone r: e->eligible[r], and e->why[r] for the first that fails. */
static sp_status zone_filters(sp_ctx *ctx, const sp_score_spec *s, const char *spec,
                              const zones *z, evaluation *e, int r)
{
    e->eligible[r] = true;
    for (int f = 0; f < s->nflt && e->eligible[r]; f++) {
        const sp_score_filter *fl = &s->flt[f];
        double v = 0;
        bool pass;
        sp_status rc;
        if (fl->str) { /* a text filter on one column */
            int c = fl->expr.col[0] && !fl->expr.op ? sp_table_find(z->t, fl->expr.col[0]) : -1;
            if (c < 0)
                return sp_error(ctx, SP_ERR_DATA, "%s:%d: a text filter needs one column of the "
                                "table", spec, fl->line);
            char tb[64];
            bool same = !strcmp(sp_table_text(z->t, c, r, tb, sizeof tb), fl->str);
            pass = fl->cmp == SP_CMP_EQ ? same : !same;
        } else {
            if ((rc = value(ctx, spec, z, &e->bf[f], r, &v)))
                return rc;
            pass = sp_score_filter_pass(fl, v);
        }
        if (pass)
            continue;
        char b[600];
        if (fl->str)
            snprintf(b, sizeof b, "%s fails (spec line %d)", fl->text, fl->line);
        else if (isnan(v))
            snprintf(b, sizeof b, "no value for %.*s (spec line %d)",
                     (int)strcspn(fl->text, " "), fl->text, fl->line);
        else
            snprintf(b, sizeof b, "%s fails, value %.6g (spec line %d)", fl->text, v, fl->line);
        e->eligible[r] = false;
        if (!(e->why[r] = strdup(b)))
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    return SP_OK;
}

/* The indicator values and tie keys of zone r; an eligible zone's must be finite. */
static sp_status zone_values(sp_ctx *ctx, const sp_score_spec *s, const char *spec,
                             const zones *z, evaluation *e, int r)
{
    int ni = s->nind;
    sp_status rc;
    for (int i = 0; i < ni; i++) {
        double v;
        if ((rc = value(ctx, spec, z, &e->bi[i], r, &v)))
            return rc;
        v *= s->ind[i].scale;
        e->raw[(size_t)r * ni + i] = v;
        if (e->eligible[r] && !isfinite(v))
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: indicator '%s' of zone '%s' is %s: leave "
                            "such zones out with a filter line (e.g. 'filter COLUMN present' "
                            "or 'filter COLUMN > 0')", spec, s->ind[i].line, s->ind[i].name,
                            z->id[r], isnan(v) ? "not a number (an empty or NaN value)"
                                               : "infinite (a division by zero)");
    }
    for (int k = 0; k < s->ntie; k++)
        if ((rc = value(ctx, spec, z, &e->bt[k], r, &e->tiekey[(size_t)r * s->ntie + k])))
            return rc;
    return SP_OK;
}

/* SMAA rank acceptability over the draws (the result's smaa_* arrays). */
static sp_status robustness(sp_ctx *ctx, const sp_score_spec *s, const sp_score_options *o,
                            const sp_score_input *in, sp_score_result *res)
{
    if (o->draws <= 0)
        return SP_OK;
    size_t n = (size_t)in->nz;
    res->smaa_best = malloc(n * sizeof(double));
    res->smaa_median = malloc(n * sizeof(double));
    res->smaa_worst = malloc(n * sizeof(double));
    res->smaa_top = malloc(n * sizeof(double));
    if (!res->smaa_best || !res->smaa_median || !res->smaa_worst || !res->smaa_top)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return sp_score_smaa(ctx, s, in, res, o->draws, o->smaa_kappa, o->seed, res->smaa_best,
                         res->smaa_median, res->smaa_worst, res->smaa_top);
}

/* The report's counts, and the warnings about too few eligible zones and cut ties. */
static void fill_report(sp_ctx *ctx, const sp_score_spec *s, const zones *z,
                        const sp_score_result *res, sp_score_report *rep)
{
    rep->nzones = z->t->nrows;
    rep->n_ug = -1;
    rep->select = s->select;
    rep->ug_p = s->ug_p;
    rep->ug_threshold = s->ug_threshold;
    int cug = s->ug_members ? sp_table_find(z->t, "one_microgram") : -1;
    for (int r = 0; cug >= 0 && r < z->t->nrows; r++) {
        rep->n_ug += (r == 0) + (z->t->cols[cug].num[r] == 1);
        rep->n_ug_selected += z->t->cols[cug].num[r] == 1 && res->selected[r];
    }
    for (int i = 0; i < s->nind; i++)
        if (res->constant[i] && res->neligible > 1)
            sp_warn(ctx, "indicator '%s' is the same in every eligible zone (%g): it ranks "
                    "nothing and is never a reason", s->ind[i].name, res->median[i]);
    rep->neligible = res->neligible;
    rep->nselected = res->nselected;
    rep->cut_ties = res->cut_ties;
    if (res->neligible < s->select)
        sp_warn(ctx, "only %d zone(s) are eligible, fewer than the %d to select", res->neligible,
                s->select);
    if (res->cut_ties && !s->ties_include)
        sp_warn(ctx, "%d zone(s) tie on score with the last selected one and were left out by "
                "the tie rules ('tie' lines, then id); 'ties include' selects them too",
                res->cut_ties);
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
    const char *fmt;
    sp_status frc = sp_table_format(ctx, dst, o->format, &o->write, &fmt);
    if (frc)
        return frc;
    char *text = NULL;
    sp_score_spec *s = NULL;
    zones z = {0};
    evaluation e = {0};
    sp_score_result res = {0};
    sp_status rc = sp_text_read_file(ctx, o->spec, "spec", &text);
    if (!rc)
        rc = sp_score_spec_parse(ctx, text, o->spec, &s);
    if (rc || (rc = load_inputs(ctx, o, s, table_path, &z)) ||
        (rc = evaluation_bind(ctx, s, o->spec, &z, &e)))
        goto done;
    for (int r = 0; r < e.nz && !rc; r++)
        if (!(rc = zone_filters(ctx, s, o->spec, &z, &e, r)))
            rc = zone_values(ctx, s, o->spec, &z, &e, r);
    if (rc)
        goto done;
    sp_score_input in = {e.nz, e.raw, e.eligible, e.tiekey, z.idorder};
    if ((rc = sp_score_compute(ctx, s, &in, o->draws, o->perturb, o->seed, &res)) ||
        (rc = robustness(ctx, s, o, &in, &res)))
        goto done;
    fill_report(ctx, s, &z, &res, rep);
    if ((rc = sp_score_build_output(ctx, s, o, &z, &in, &res, e.why, rep)))
        goto done;
    bool wants_geom = strcasecmp(fmt, "CSV") != 0;
    if (wants_geom && !rep->table->geom) {
        rc = sp_error(ctx, SP_ERR_USAGE, "'%s' would have no zone geometry: the table has none; "
                      "give the zone polygons with -zones (or write .csv)", dst);
        goto done;
    }
    rc = sp_table_write_with(ctx, rep->table, dst, o->format, &o->write);
done:
    if (rc)
        sp_score_report_free(rep);
    evaluation_free(&e);
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
