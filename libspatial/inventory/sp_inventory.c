/* sp_inventory: the emission model. The factor table is resolved once into arrays
 * (classes, vehicles x standards, speed bins) so that a source costs a few
 * multiplications; measures are applied either to the model (fleet mixes, reductions)
 * or to the source (boiler retrofits, purifiers). Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sp_sector_index(const char *name)
{
    for (int i = 0; i < SP_NSEC; i++)
        if (!strcasecmp(name, SP_SECTORS[i]->name))
            return i;
    return -1;
}

/* ---- measures ---------------------------------------------------------------- */

void sp_measures_free(sp_measures *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++) {
        free(m->m[i].text);
        free(m->m[i].cls);
        free(m->m[i].vehicle);
        free(m->m[i].standard);
    }
    free(m->m);
    free(m->path);
    free(m);
}



/* A finite number, optionally followed by '%'. */
static bool parse_num_pct(const char *s, double *v, bool *percent)
{
    char buf[64], *end;
    size_t n = strlen(s);
    *percent = n && s[n - 1] == '%';
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n - *percent);
    buf[n - *percent] = 0;
    *v = strtod(buf, &end);
    return end != buf && !*end && isfinite(*v);
}

/* "reduce SECTOR POLLUTANT|all PERCENT" */
static sp_status parse_reduce(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    m->kind = SP_M_REDUCE;
    if (nw != 4)
        return sp_error(ctx, SP_ERR_DATA, "%s: expected 'reduce SECTOR POLLUTANT|all PERCENT'",
                        where);
    int s = sp_sector_index(w[1]);
    if (s < 0) {
        char known[512] = "";
        for (int k = 0; k < SP_NSEC; k++) {
            size_t l = strlen(known);
            snprintf(known + l, sizeof known - l, "%s%s", k ? ", " : "", SP_SECTORS[k]->name);
        }
        return sp_error(ctx, SP_ERR_DATA, "%s: unknown sector '%s' (known: %s)", where, w[1],
                        known);
    }
    m->sector = (sp_sector)s;
    m->pollutant = strcmp(w[2], "all") ? sp_pollutant_index(w[2]) : -1;
    if (strcmp(w[2], "all") && m->pollutant < 0)
        return sp_error(ctx, SP_ERR_DATA, "%s: unknown pollutant '%s' (known: NOx, VOCs, PM2.5, "
                        "PM10, SO2, CO, CO2, fume, CO2_scope2, all)", where, w[2]);
    bool pct;
    if (!parse_num_pct(w[3], &m->percent, &pct) || m->percent < 0 || m->percent > 100)
        return sp_error(ctx, SP_ERR_DATA, "%s: percent '%s' must be between 0 and 100", where,
                        w[3]);
    return SP_OK;
}

/* Whether the measure line w names one of a sector's measures: an entry of its list
 * that is w[0] alone ("facility": every facility line is its) or "w[0] w[1]". */
static bool names_measure(const sp_sector_desc *d, char **w, int nw)
{
    if (!d->measure || strcmp(w[0], d->name))
        return false;
    for (const char *p = d->measures; *p;) {
        size_t n = strcspn(p, ",");
        size_t l0 = strlen(w[0]);
        if ((n == l0 && !strncmp(p, w[0], n)) ||
            (nw > 1 && n == l0 + 1 + strlen(w[1]) && !strncmp(p, w[0], l0) && p[l0] == ' ' &&
             !strncmp(p + l0 + 1, w[1], n - l0 - 1)))
            return true;
        p += n;
        p += strspn(p, ", ");
    }
    return false;
}

/* A line to the sector whose measure it names (or `reduce`); else the known ones. */
static sp_status parse_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    if (!strcmp(w[0], "reduce"))
        return parse_reduce(ctx, w, nw, m, where);
    for (int s = 0; s < SP_NSEC; s++)
        if (names_measure(SP_SECTORS[s], w, nw)) {
            m->sector = (sp_sector)s;
            m->kind = SP_M_SECTOR;
            return SP_SECTORS[s]->measure(ctx, w, nw, m, where);
        }
    char known[512] = "";
    for (int s = 0; s < SP_NSEC; s++)
        if (SP_SECTORS[s]->measures) {
            size_t l = strlen(known);
            snprintf(known + l, sizeof known - l, "%s, ", SP_SECTORS[s]->measures);
        }
    return sp_error(ctx, SP_ERR_DATA, "%s: unknown measure '%s%s%s' (known: %sreduce)", where,
                    w[0], nw > 1 ? " " : "", nw > 1 ? w[1] : "", known);
}

/* "YYYY-MM-DD" or "YYYY-MM" (the 1st) into yyyymmdd; a real calendar day */
static sp_status parse_date(sp_ctx *ctx, const char *s, int *out, const char *where)
{
    int y, m, d = 1, n = 0;
    bool ok = (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && !s[n]) ||
              (sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && !s[n] && (d = 1));
    static const int DAYS[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    if (!ok || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > DAYS[m - 1] ||
        (m == 2 && d == 29 && !leap))
        return sp_error(ctx, SP_ERR_DATA, "%s: 'from %s': want a date YYYY-MM-DD (or YYYY-MM)",
                        where, s);
    *out = y * 10000 + m * 100 + d;
    return SP_OK;
}

/* The trailing `cost X yuan/source`, `cost X yuan/t POL` and `from DATE`, in any order,
 * into m; *nw: the words left for the measure itself. */
static sp_status parse_tail(sp_ctx *ctx, char **w, int *nw, sp_measure *m, const char *where)
{
    m->cost_pol = -1;
    m->reach = 1;
    for (bool more = true; more;) {
        more = false;
        if (*nw >= 3 && !strcmp(w[*nw - 2], "reach")) {
            if (!sp_inv_parse_share(w[*nw - 1], &m->reach))
                return sp_error(ctx, SP_ERR_DATA, "%s: 'reach %s': want a share of the sources "
                                "it reaches, 0-100%% (or 0-1)", where, w[*nw - 1]);
            *nw -= 2;
            more = true;
        }
        if (*nw >= 3 && !strcmp(w[*nw - 2], "from")) {
            sp_status rc = parse_date(ctx, w[*nw - 1], &m->since, where);
            if (rc)
                return rc;
            *nw -= 2;
            more = true;
        }
        int at = *nw >= 4 && !strcmp(w[*nw - 3], "cost") ? *nw - 3
                 : *nw >= 5 && !strcmp(w[*nw - 4], "cost") ? *nw - 4 : -1;
        if (at >= 0) {
            char *end;
            double v = strtod(w[at + 1], &end);
            bool per_t = !strcmp(w[at + 2], "yuan/t") && at + 4 == *nw;
            int p = per_t ? sp_pollutant_index(w[at + 3]) : -1;
            if (end == w[at + 1] || *end || !(v >= 0) || !isfinite(v) ||
                (per_t ? p < 0 : strcmp(w[at + 2], "yuan/source") || at + 3 != *nw))
                return sp_error(ctx, SP_ERR_DATA, "%s: want 'cost X yuan/source' or 'cost X "
                                "yuan/t POLLUTANT' (X >= 0)", where);
            m->cost = v;
            m->cost_pol = p;
            *nw = at;
            more = true;
        }
    }
    return SP_OK;
}

static int day_of_year(int y, int m, int d)
{
    static const int CUM[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    return CUM[m - 1] + d + (leap && m > 2);
}

double sp_measure_year_share(const sp_measure *m, int y)
{
    int fy = m->since / 10000, fm = m->since / 100 % 100, fd = m->since % 100;
    if (!m->since || fy < y)
        return 1;
    if (fy > y)
        return 0;
    int n = day_of_year(y, 12, 31);
    return (double)(n - day_of_year(fy, fm, fd) + 1) / n;
}

double sp_measure_share(const sp_measure *m, int y)
{
    return m->reach * (y ? sp_measure_year_share(m, y) : 1);
}

sp_status sp_measures_parse(sp_ctx *ctx, const char *text, const char *name, sp_measures **out)
{
    *out = NULL;
    sp_measures *ms = calloc(1, sizeof *ms);
    if (!ms || !(ms->path = strdup(name)) ||
        !(ms->m = calloc(SP_MAX_MEASURES, sizeof *ms->m))) {
        sp_measures_free(ms);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    sp_status rc = SP_OK;
    int line = 0;
    for (const char *p = text; *p;) {
        line++;
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char buf[1024];
        if (len >= sizeof buf) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: line too long", name, line);
            goto fail;
        }
        memcpy(buf, p, len);
        buf[len] = 0;
        p += len + (e ? 1 : 0);
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = 0;
        char *w[16];
        int nw = 0;
        for (char *s = strtok(buf, " \t\r"); s; s = strtok(NULL, " \t\r")) {
            if (nw == 16) {
                rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: too many words", name, line);
                goto fail;
            }
            w[nw++] = s;
        }
        if (!nw)
            continue;
        if (ms->n == SP_MAX_MEASURES) {
            rc = sp_error(ctx, SP_ERR_LIMIT, "%s:%d: more than %d measures", name, line,
                          SP_MAX_MEASURES);
            goto fail;
        }
        char where[512];
        snprintf(where, sizeof where, "%s:%d", name, line);
        sp_measure *m = &ms->m[ms->n++];
        m->line = line;
        int nm = nw; /* the words of the measure, trailing `from DATE` and `cost ...` apart */
        if ((rc = parse_tail(ctx, w, &nm, m, where)))
            goto fail;
        if ((rc = parse_measure(ctx, w, nm, m, where)))
            goto fail;
        char txt[1024] = "";
        for (int i = 0; i < nw; i++) {
            size_t l = strlen(txt);
            snprintf(txt + l, sizeof txt - l, "%s%s", i ? " " : "", w[i]);
        }
        if (!(m->text = strdup(txt))) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    if (!ms->n) {
        rc = sp_error(ctx, SP_ERR_DATA, "%s: no measures (an empty scenario is the "
                      "baseline: leave out -m)", name);
        goto fail;
    }
    *out = ms;
    return SP_OK;
fail:
    sp_measures_free(ms);
    return rc;
}

sp_status sp_measures_read(sp_ctx *ctx, const char *path, sp_measures **out)
{
    *out = NULL;
    char *buf;
    sp_status rc = sp_text_read_file(ctx, path, "measures file", &buf);
    if (rc)
        return rc;
    rc = sp_measures_parse(ctx, buf, path, out);
    free(buf);
    return rc;
}

/* ---- model ------------------------------------------------------------------- */

static void free_classes(sp_inv_class *c, int n)
{
    for (int i = 0; i < n; i++)
        free(c[i].name);
    free(c);
}

void sp_inventory_model_free(sp_inventory_model *m)
{
    if (!m)
        return;
    free(m->tsp.rows);
    free_classes(m->cuisine, m->ncuisine);
    free_classes(m->removal, m->nremoval);
    free_classes(m->boiler, m->nboiler);
    free_classes(m->area, m->narea);
    free_classes(m->petrol, m->npetrol);
    free_classes(m->nonroad, m->nnonroad);
    free_classes(m->repair, m->nrepair);
    for (int i = 0; i < m->nveh; i++) {
        sp_inv_vehicle *v = &m->veh[i];
        for (int k = 0; k < v->nstd; k++)
            free(v->std[k]);
        free(v->std);
        free(v->mix);
        free(v->ef);
        free(v->name);
    }
    free(m->veh);
    free(m->speed);
    for (int i = 0; i < m->nrclass; i++) {
        free(m->rclass[i].name);
        free(m->rclass[i].share);
    }
    free(m->rclass);
    free(m->fleet);
    for (int s = 0; s < SP_NSEC; s++)
        if (m->state[s] && SP_SECTORS[s]->state_free)
            SP_SECTORS[s]->state_free(m->state[s]);
    free(m);
}

/* The sector owning the rows of table sector name, or -1. */
static int row_owner(const char *name)
{
    for (int s = 0; s < SP_NSEC; s++)
        for (int k = 0; k < SP_SECTOR_MAX_ROWS && SP_SECTORS[s]->rows[k]; k++)
            if (!strcmp(name, SP_SECTORS[s]->rows[k]))
                return s;
    return -1;
}

/* Every row goes to the sector owning it, after each sector's first pass (begin). */
static sp_status build_rows(sp_ctx *ctx, const sp_factors *f, sp_inventory_model *m)
{
    sp_status rc;
    for (int s = 0; s < SP_NSEC; s++)
        if (SP_SECTORS[s]->begin && (rc = SP_SECTORS[s]->begin(ctx, f, m)))
            return rc;
    for (int i = 0; i < f->n; i++) {
        const sp_factor *r = &f->rows[i];
        int s = row_owner(r->sector);
        if (s < 0) {
            char known[256] = "";
            for (int k = 0; k < SP_NSEC; k++)
                for (int j = 0; j < SP_SECTOR_MAX_ROWS && SP_SECTORS[k]->rows[j]; j++) {
                    size_t l = strlen(known);
                    snprintf(known + l, sizeof known - l, "%s%s", l ? ", " : "",
                             SP_SECTORS[k]->rows[j]);
                }
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown sector '%s' (known: %s)", f->path,
                            r->line, r->sector, known);
        }
        if ((rc = SP_SECTORS[s]->row(ctx, f, r, m)))
            return rc;
    }
    return SP_OK;
}



/* The end-of-pipe reductions of the scenario: model->keep per sector and pollutant. */
static void reductions(const sp_measures *ms, sp_inventory_model *m)
{
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind == SP_M_REDUCE)
            for (int p = 0; p < SP_NPOL; p++)
                if (x->pollutant < 0 || x->pollutant == p)
                    m->keep[x->sector][p] *= 1 - x->percent / 100;
    }
}



sp_status sp_inventory_model_new(sp_ctx *ctx, const sp_factors *f, const sp_measures *ms,
                                 sp_inventory_model **out)
{
    return sp_inventory_model_new_climate(ctx, f, ms, NULL, out);
}

void sp_inventory_model_climate_note(const sp_inventory_model *m, char *buf, size_t size)
{
    size_t l = 0;
    buf[0] = 0;
    for (int vi = 0; m->climate && vi < m->nveh; vi++)
        for (int p = 0; p < SP_NPOL; p++)
            if (m->veh[vi].clim_mult[p] != 1 && l < size)
                l += (size_t)snprintf(buf + l, size - l, "%s%s %s x%.3f", l ? ", " : "",
                                      m->veh[vi].name, SP_POL_NAME[p], m->veh[vi].clim_mult[p]);
}

/* m->tsp: f's rows, then for each PM10 row whose sector and class have no TSP row the
 * same row as TSP (the strings shared with f, which outlives the model) */
static bool add_tsp_rows(const sp_factors *f, sp_inventory_model *m)
{
    m->tsp = *f;
    m->tsp.rows = malloc((size_t)(2 * f->n + 1) * sizeof *m->tsp.rows);
    if (!m->tsp.rows)
        return false;
    memcpy(m->tsp.rows, f->rows, (size_t)f->n * sizeof *f->rows);
    for (int i = 0; i < f->n; i++) {
        const sp_factor *r = &f->rows[i];
        if (!strcmp(r->pollutant, "PM10") && !sp_factors_find(f, r->sector, r->cls, "TSP")) {
            sp_factor t = *r;
            t.pollutant = (char *)SP_POL_NAME[SP_TSP];
            m->tsp.rows[m->tsp.n++] = t;
        }
    }
    return true;
}

sp_status sp_inventory_model_new_climate(sp_ctx *ctx, const sp_factors *f,
                                         const sp_measures *ms, const sp_inv_climate *climate,
                                         sp_inventory_model **out)
{
    *out = NULL;
    sp_inventory_model *m = calloc(1, sizeof *m);
    if (!m || !add_tsp_rows(f, m)) {
        free(m);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    f = m->factors = &m->tsp;
    m->measures = ms;
    m->climate = climate;
    for (int s = 0; s < SP_NSEC; s++)
        for (int p = 0; p < SP_NPOL; p++)
            m->keep[s][p] = 1;
    sp_status rc;
    if ((rc = sp_inventory_check_sectors(ctx, NULL)) || (rc = build_rows(ctx, f, m)))
        goto fail;
    for (int s = 0; s < SP_NSEC; s++)
        if (SP_SECTORS[s]->end && (rc = SP_SECTORS[s]->end(ctx, ms, m)))
            goto fail;
    reductions(ms, m);
    *out = m;
    return SP_OK;
fail:
    sp_inventory_model_free(m);
    return rc;
}


sp_status sp_inv_dated_new(sp_ctx *ctx, const sp_factors *f, const sp_measures *ms,
                           const sp_inv_climate *climate, int y, sp_inv_dated *d)
{
    memset(d, 0, sizeof *d);
    bool part = false;
    for (int i = 0; ms && i < ms->n; i++)
        part |= sp_measure_share(&ms->m[i], y) < 1;
    if (!part)
        return SP_OK;
    d->step = calloc((size_t)ms->n, sizeof *d->step);
    d->share = calloc((size_t)ms->n, sizeof *d->share);
    d->sub = calloc((size_t)ms->n, sizeof *d->sub);
    if (!d->step || !d->share || !d->sub) {
        sp_inv_dated_free(d);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    sp_status rc = SP_OK;
    for (int k = 0; k < ms->n && !rc; k++) {
        d->sub[k] = *ms;
        d->sub[k].n = k + 1;
        d->share[k] = sp_measure_share(&ms->m[k], y);
        rc = sp_inventory_model_new_climate(ctx, f, &d->sub[k], climate, &d->step[k]);
        d->n = k + 1;
    }
    if (rc)
        sp_inv_dated_free(d);
    return rc;
}

void sp_inv_dated_free(sp_inv_dated *d)
{
    for (int k = 0; d->step && k < d->n; k++)
        sp_inventory_model_free(d->step[k]);
    free(d->step);
    free(d->share);
    free(d->sub);
    memset(d, 0, sizeof *d);
}

void sp_inv_dated_emit(const sp_inv_dated *d, const sp_sector_desc *desc, const void *src,
                       const double eb[SP_NPOL], double es[SP_NPOL])
{
    double prev[SP_NPOL], e[SP_NPOL];
    memcpy(prev, eb, sizeof prev);
    memcpy(es, eb, SP_NPOL * sizeof *es);
    for (int k = 0; k < d->n; k++) {
        uint64_t a;
        desc->emit(d->step[k], src, e, &a);
        for (int p = 0; p < SP_NPOL; p++) {
            es[p] += d->share[k] * (e[p] - prev[p]);
            prev[p] = e[p];
        }
    }
}
