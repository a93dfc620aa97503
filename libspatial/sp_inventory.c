/* sp_inventory: the emission model. The factor table is resolved once into arrays
 * (classes, vehicles x standards, speed bins) so that a source costs a few
 * multiplications; measures are applied either to the model (fleet mixes, reductions)
 * or to the source (boiler retrofits, purifiers). Formulas: README.md, sp-inventory. */
#include "sp_inventory.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const SP_SECTOR_NAME[SP_NSEC] = {"catering", "boiler", "road", "area"};

int sp_sector_index(const char *name)
{
    for (int i = 0; i < SP_NSEC; i++)
        if (!strcasecmp(name, SP_SECTOR_NAME[i]))
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

static bool parse_num(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && !*end && isfinite(*v);
}

/* A number, optionally followed by '%'; *percent tells which. */
static bool parse_num_pct(const char *s, double *v, bool *percent)
{
    char buf[64];
    size_t n = strlen(s);
    *percent = n && s[n - 1] == '%';
    if (!*percent)
        return parse_num(s, v);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n - 1);
    buf[n - 1] = 0;
    return parse_num(buf, v);
}

/* a share written 0.85 or 85% */
static bool parse_share(const char *s, double *v)
{
    bool pct;
    if (!parse_num_pct(s, v, &pct))
        return false;
    if (pct)
        *v /= 100;
    return *v >= 0 && *v <= 1;
}

static sp_status parse_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    const char *usage = NULL;
    if (nw >= 2 && !strcmp(w[0], "boiler") && !strcmp(w[1], "retrofit")) {
        m->kind = SP_M_RETROFIT;
        m->cls = strdup("low");
        for (int i = 2; i < nw; i += 2) {
            if (i + 1 >= nw) {
                usage = "boiler retrofit [min_mw X] [to CLASS]";
                break;
            }
            if (!strcmp(w[i], "min_mw")) {
                if (!parse_num(w[i + 1], &m->min) || m->min < 0)
                    return sp_error(ctx, SP_ERR_DATA, "%s: min_mw '%s' is not a "
                                    "non-negative number", where, w[i + 1]);
            } else if (!strcmp(w[i], "to")) {
                free(m->cls);
                m->cls = strdup(w[i + 1]);
            } else {
                usage = "boiler retrofit [min_mw X] [to CLASS]";
                break;
            }
        }
    } else if (nw >= 2 && !strcmp(w[0], "catering") && !strcmp(w[1], "purifier")) {
        m->kind = SP_M_PURIFIER;
        m->cls = strdup("high");
        for (int i = 2; i < nw; i += 2) {
            if (i + 1 >= nw) {
                usage = "catering purifier [min_stoves N] [class CLASS]";
                break;
            }
            if (!strcmp(w[i], "min_stoves")) {
                if (!parse_num(w[i + 1], &m->min) || m->min < 0)
                    return sp_error(ctx, SP_ERR_DATA, "%s: min_stoves '%s' is not a "
                                    "non-negative number", where, w[i + 1]);
            } else if (!strcmp(w[i], "class")) {
                free(m->cls);
                m->cls = strdup(w[i + 1]);
            } else {
                usage = "catering purifier [min_stoves N] [class CLASS]";
                break;
            }
        }
    } else if (nw >= 1 && !strcmp(w[0], "road") && nw >= 2 && !strcmp(w[1], "remove")) {
        m->kind = SP_M_REMOVE;
        if (nw != 4)
            usage = "road remove VEHICLE STANDARD";
        else {
            m->vehicle = strdup(w[2]);
            m->standard = strdup(w[3]);
        }
    } else if (nw >= 2 && !strcmp(w[0], "road") && !strcmp(w[1], "nev")) {
        m->kind = SP_M_NEV;
        if (nw != 4)
            usage = "road nev VEHICLE SHARE";
        else {
            m->vehicle = strdup(w[2]);
            if (!parse_share(w[3], &m->share))
                return sp_error(ctx, SP_ERR_DATA, "%s: share '%s' must be between 0 and 1 "
                                "(or 0%% and 100%%)", where, w[3]);
        }
    } else if (nw >= 1 && !strcmp(w[0], "reduce")) {
        m->kind = SP_M_REDUCE;
        if (nw != 4) {
            usage = "reduce SECTOR POLLUTANT|all PERCENT";
        } else {
            int s = sp_sector_index(w[1]);
            if (s < 0)
                return sp_error(ctx, SP_ERR_DATA, "%s: unknown sector '%s' (known: catering, "
                                "boiler, road, area)", where, w[1]);
            m->sector = (sp_sector)s;
            m->pollutant = strcmp(w[2], "all") ? sp_pollutant_index(w[2]) : -1;
            if (strcmp(w[2], "all") && m->pollutant < 0)
                return sp_error(ctx, SP_ERR_DATA, "%s: unknown pollutant '%s' (known: NOx, "
                                "VOCs, PM2.5, PM10, SO2, CO, CO2, fume, all)", where, w[2]);
            bool pct;
            if (!parse_num_pct(w[3], &m->percent, &pct) || m->percent < 0 || m->percent > 100)
                return sp_error(ctx, SP_ERR_DATA, "%s: percent '%s' must be between 0 and "
                                "100", where, w[3]);
        }
    } else {
        return sp_error(ctx, SP_ERR_DATA,
                        "%s: unknown measure '%s%s%s' (known: boiler retrofit, catering "
                        "purifier, road remove, road nev, reduce)",
                        where, w[0], nw > 1 ? " " : "", nw > 1 ? w[1] : "");
    }
    if (usage)
        return sp_error(ctx, SP_ERR_DATA, "%s: expected '%s'", where, usage);
    if ((m->kind == SP_M_RETROFIT || m->kind == SP_M_PURIFIER) && !m->cls)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if ((m->kind == SP_M_REMOVE && (!m->vehicle || !m->standard)) ||
        (m->kind == SP_M_NEV && !m->vehicle))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return SP_OK;
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
        if ((rc = parse_measure(ctx, w, nw, m, where)))
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
    free_classes(m->cuisine, m->ncuisine);
    free_classes(m->removal, m->nremoval);
    free_classes(m->boiler, m->nboiler);
    free_classes(m->area, m->narea);
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
    free(m->fleet);
    free(m);
}

int sp_inv_class_find(const sp_inv_class *c, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(c[i].name, name))
            return i;
    return -1;
}

const char *sp_inv_class_list(const sp_inv_class *c, int n, char *buf, size_t size)
{
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "%s%s", i ? ", " : "", c[i].name);
    }
    if (!n)
        snprintf(buf, size, "none in the factor table");
    return buf;
}

/* Adds class name to the list if new; returns its index or -1 when out of memory. */
static int add_class(sp_inv_class **c, int *n, const char *name)
{
    int i = sp_inv_class_find(*c, *n, name);
    if (i >= 0)
        return i;
    sp_inv_class *nc = realloc(*c, (size_t)(*n + 1) * sizeof *nc);
    if (!nc)
        return -1;
    *c = nc;
    memset(&nc[*n], 0, sizeof nc[*n]);
    if (!(nc[*n].name = strdup(name)))
        return -1;
    return (*n)++;
}

static int vehicle_find(const sp_inventory_model *m, const char *name)
{
    for (int i = 0; i < m->nveh; i++)
        if (!strcmp(m->veh[i].name, name))
            return i;
    return -1;
}

static int std_find(const sp_inv_vehicle *v, const char *name)
{
    for (int i = 0; i < v->nstd; i++)
        if (!strcmp(v->std[i], name))
            return i;
    return -1;
}

static const char *vehicle_list(const sp_inventory_model *m, char *buf, size_t size)
{
    buf[0] = 0;
    for (int i = 0; i < m->nveh; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "%s%s", i ? ", " : "", m->veh[i].name);
    }
    if (!m->nveh)
        snprintf(buf, size, "none: the factor table has no fleet rows");
    return buf;
}

static const char *std_list(const sp_inv_vehicle *v, char *buf, size_t size)
{
    buf[0] = 0;
    for (int i = 0; i < v->nstd; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "%s%s", i ? ", " : "", v->std[i]);
    }
    return buf;
}

#define FAIL(...)                                                                      \
    do {                                                                               \
        rc = sp_error(ctx, SP_ERR_DATA, __VA_ARGS__);                                  \
        goto fail;                                                                     \
    } while (0)
#define NOMEM()                                                                        \
    do {                                                                               \
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");                             \
        goto fail;                                                                     \
    } while (0)

static bool unit_is(const sp_factor *r, const char *unit) { return !strcmp(r->unit, unit); }

/* First pass: fleet rows create the vehicles and their standards. */
static sp_status build_fleet(sp_ctx *ctx, const sp_factors *f, sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    for (int i = 0; i < f->n; i++) {
        const sp_factor *r = &f->rows[i];
        if (strcmp(r->sector, "fleet"))
            continue;
        const char *slash = strchr(r->cls, '/');
        if (!slash || slash == r->cls || !slash[1] || strcmp(r->pollutant, "share") ||
            !unit_is(r, "fraction"))
            FAIL("%s:%d: fleet rows are 'fleet,VEHICLE/STANDARD,share,VALUE,fraction,SOURCE'",
                 f->path, r->line);
        if (r->value < 0 || r->value > 1)
            FAIL("%s:%d: a fleet share must be between 0 and 1", f->path, r->line);
        char vname[128];
        snprintf(vname, sizeof vname, "%.*s", (int)(slash - r->cls), r->cls);
        int vi = vehicle_find(m, vname);
        if (vi < 0) {
            sp_inv_vehicle *nv = realloc(m->veh, (size_t)(m->nveh + 1) * sizeof *nv);
            if (!nv)
                NOMEM();
            m->veh = nv;
            memset(&nv[m->nveh], 0, sizeof nv[m->nveh]);
            if (!(nv[m->nveh].name = strdup(vname)))
                NOMEM();
            vi = m->nveh++;
        }
        sp_inv_vehicle *v = &m->veh[vi];
        char **ns = realloc(v->std, (size_t)(v->nstd + 1) * sizeof *ns);
        if (!ns)
            NOMEM();
        v->std = ns;
        double *nm = realloc(v->mix, (size_t)(v->nstd + 1) * sizeof *nm);
        if (!nm)
            NOMEM();
        v->mix = nm;
        double(*ne)[SP_NPOL] = realloc(v->ef, (size_t)(v->nstd + 1) * sizeof *ne);
        if (!ne)
            NOMEM();
        v->ef = ne;
        memset(ne[v->nstd], 0, sizeof ne[v->nstd]);
        if (!(v->std[v->nstd] = strdup(slash + 1)))
            NOMEM();
        v->mix[v->nstd++] = r->value;
    }
    for (int i = 0; i < m->nveh; i++) {
        double s = 0;
        for (int k = 0; k < m->veh[i].nstd; k++)
            s += m->veh[i].mix[k];
        if (fabs(s - 1) > 1e-6)
            FAIL("%s: the fleet shares of '%s' sum to %.6g, not 1", f->path, m->veh[i].name, s);
    }
fail:
    return rc;
}

/* Second pass: every other row. */
static sp_status build_rows(sp_ctx *ctx, const sp_factors *f, sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    char known[1024];
    for (int i = 0; i < f->n; i++) {
        const sp_factor *r = &f->rows[i];
        int p = sp_pollutant_index(r->pollutant);
        const char *s = r->sector, *c = r->cls;
        if (!strcmp(s, "fleet"))
            continue;
        if (!strcmp(s, "catering") && !strcmp(c, "gas")) {
            if (strcmp(r->pollutant, "gas_use") || !unit_is(r, "m3/stove-h"))
                FAIL("%s:%d: expected 'catering,gas,gas_use,VALUE,m3/stove-h,SOURCE'",
                     f->path, r->line);
            m->stove_gas = r->value;
            continue;
        }
        if (!strcmp(s, "boiler") && !strcmp(c, "gas")) {
            if (strcmp(r->pollutant, "gas_rate") || !unit_is(r, "m3/MW-h"))
                FAIL("%s:%d: expected 'boiler,gas,gas_rate,VALUE,m3/MW-h,SOURCE'", f->path,
                     r->line);
            m->boiler_gas_rate = r->value;
            continue;
        }
        bool speed_row = !strcmp(s, "road") && !strncmp(c, "speed:", 6);
        if (p < 0 && !(speed_row && !strcmp(r->pollutant, "*")))
            FAIL("%s:%d: unknown pollutant '%s' (known: NOx, VOCs, PM2.5, PM10, SO2, CO, CO2, "
                 "fume)", f->path, r->line, r->pollutant);
        if (r->value < 0)
            FAIL("%s:%d: a factor cannot be negative", f->path, r->line);
        if (!strcmp(s, "catering")) {
            bool rem = !strncmp(c, "removal:", 8);
            const char *want = rem ? "fraction" : !strcmp(c, "combustion") ? "g/m3" : "g/stove-h";
            if (!unit_is(r, want))
                FAIL("%s:%d: catering/%s rows are in %s, not '%s'", f->path, r->line, c, want,
                     r->unit);
            if (rem) {
                if (r->value > 1)
                    FAIL("%s:%d: a removal fraction must be between 0 and 1", f->path, r->line);
                int k = add_class(&m->removal, &m->nremoval, c + 8);
                if (k < 0)
                    NOMEM();
                m->removal[k].v[p] = r->value;
            } else if (!strcmp(c, "combustion")) {
                m->comb[p] = r->value;
            } else {
                int k = add_class(&m->cuisine, &m->ncuisine, c);
                if (k < 0)
                    NOMEM();
                m->cuisine[k].v[p] = r->value;
            }
        } else if (!strcmp(s, "boiler")) {
            if (!unit_is(r, "g/m3"))
                FAIL("%s:%d: boiler rows are in g/m3 (of natural gas), not '%s'", f->path,
                     r->line, r->unit);
            int k = add_class(&m->boiler, &m->nboiler, c);
            if (k < 0)
                NOMEM();
            m->boiler[k].v[p] = r->value;
            m->boiler[k].has[p] = true;
        } else if (!strcmp(s, "road") && speed_row) {
            double lo, hi;
            char tail;
            if (sscanf(c + 6, "%lf-%lf%c", &lo, &hi, &tail) != 2 || !(lo < hi) || lo < 0)
                FAIL("%s:%d: a speed bin is 'speed:LOW-HIGH' in km/h, LOW < HIGH", f->path,
                     r->line);
            if (!unit_is(r, "factor"))
                FAIL("%s:%d: speed corrections are in 'factor', not '%s'", f->path, r->line,
                     r->unit);
            int k = 0;
            while (k < m->nspeed && !(m->speed[k].lo == lo && m->speed[k].hi == hi))
                k++;
            if (k == m->nspeed) {
                for (int j = 0; j < m->nspeed; j++)
                    if (lo < m->speed[j].hi && m->speed[j].lo < hi)
                        FAIL("%s:%d: speed bin %g-%g overlaps %g-%g", f->path, r->line, lo,
                             hi, m->speed[j].lo, m->speed[j].hi);
                sp_inv_speed *ns = realloc(m->speed, (size_t)(m->nspeed + 1) * sizeof *ns);
                if (!ns)
                    NOMEM();
                m->speed = ns;
                ns[k].lo = lo;
                ns[k].hi = hi;
                for (int q = 0; q < SP_NPOL; q++)
                    ns[k].f[q] = NAN; /* NAN: not given yet */
                m->nspeed++;
            }
            if (p < 0) {
                for (int q = 0; q < SP_NPOL; q++)
                    if (isnan(m->speed[k].f[q]))
                        m->speed[k].f[q] = r->value;
            } else {
                m->speed[k].f[p] = r->value;
            }
        } else if (!strcmp(s, "road")) {
            const char *slash = strchr(c, '/');
            char vname[128];
            snprintf(vname, sizeof vname, "%.*s", slash ? (int)(slash - c) : 0, c);
            int vi = slash ? vehicle_find(m, vname) : -1;
            if (vi < 0)
                FAIL("%s:%d: road rows are 'road,VEHICLE/STANDARD|*|nonexhaust,...' with a "
                     "vehicle of the fleet rows (known: %s)", f->path, r->line,
                     vehicle_list(m, known, sizeof known));
            if (!unit_is(r, "g/km"))
                FAIL("%s:%d: road rows are in g/km, not '%s'", f->path, r->line, r->unit);
            sp_inv_vehicle *v = &m->veh[vi];
            const char *st = slash + 1;
            if (!strcmp(st, "nonexhaust")) {
                v->ne[p] = r->value;
            } else if (!strcmp(st, "*")) {
                /* the default of every combustion standard; new-energy vehicles have no
                 * exhaust, so it never applies to NEV */
                for (int k = 0; k < v->nstd; k++)
                    if (strcmp(v->std[k], "NEV")) {
                        char cls[256];
                        snprintf(cls, sizeof cls, "%s/%s", v->name, v->std[k]);
                        if (!sp_factors_find(f, "road", cls, r->pollutant)) /* explicit wins */
                            v->ef[k][p] = r->value;
                    }
            } else {
                int k = std_find(v, st);
                if (k < 0)
                    FAIL("%s:%d: '%s' has no fleet row for standard '%s' (known: %s)", f->path,
                         r->line, v->name, st, std_list(v, known, sizeof known));
                v->ef[k][p] = r->value;
            }
        } else if (!strcmp(s, "area")) {
            int u = unit_is(r, "t/m2-month") ? SP_AREA_PER_M2_MONTH
                    : unit_is(r, "t/m2-yr")  ? SP_AREA_PER_M2_YR
                    : unit_is(r, "t/source-yr") ? SP_AREA_PER_SOURCE_YR
                                                : SP_AREA_NONE;
            if (u == SP_AREA_NONE)
                FAIL("%s:%d: area rows are in t/m2-month, t/m2-yr or t/source-yr, not '%s'",
                     f->path, r->line, r->unit);
            int k = add_class(&m->area, &m->narea, c);
            if (k < 0)
                NOMEM();
            m->area[k].v[p] = r->value;
            m->area[k].unit[p] = u;
            m->area[k].has[p] = true;
        } else {
            FAIL("%s:%d: unknown sector '%s' (known: catering, boiler, road, fleet, area)",
                 f->path, r->line, s);
        }
    }
fail:
    return rc;
}

/* '*' classes of boilers and areas give the pollutants a class does not name. */
static void apply_star(sp_inv_class *c, int *n)
{
    int star = sp_inv_class_find(c, *n, "*");
    if (star < 0)
        return;
    for (int i = 0; i < *n; i++) {
        if (i == star)
            continue;
        for (int p = 0; p < SP_NPOL; p++)
            if (!c[i].has[p]) {
                c[i].v[p] = c[star].v[p];
                c[i].unit[p] = c[star].unit[p];
            }
    }
}

static sp_status apply_fleet_measures(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    char known[1024];
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind != SP_M_REMOVE && x->kind != SP_M_NEV)
            continue;
        int vi = vehicle_find(m, x->vehicle);
        if (vi < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown vehicle class '%s' (known: %s)",
                            ms->path, x->line, x->vehicle, vehicle_list(m, known, sizeof known));
        sp_inv_vehicle *v = &m->veh[vi];
        const char *st = x->kind == SP_M_NEV ? "NEV" : x->standard;
        int k = std_find(v, st);
        if (k < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: '%s' has no standard '%s' in the fleet "
                            "rows (known: %s)", ms->path, x->line, v->name, st,
                            std_list(v, known, sizeof known));
        double target = x->kind == SP_M_NEV ? x->share : 0, old = v->mix[k];
        if (x->kind == SP_M_NEV && target < old) {
            sp_warn(ctx, "%s:%d: the new-energy share of '%s' is already %.3g, above %.3g: "
                    "left as it is", ms->path, x->line, v->name, old, target);
            continue;
        }
        if (old >= 1 - 1e-12 && target < 1)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: every '%s' is '%s': no other standard "
                            "can take its share", ms->path, x->line, v->name, st);
        if (old == target)
            continue; /* nothing to change (e.g. a standard already gone) */
        m->fleet_active |= (uint64_t)1 << i;
        double scale = old < 1 ? (1 - target) / (1 - old) : 0;
        for (int j = 0; j < v->nstd; j++)
            v->mix[j] = j == k ? target : v->mix[j] * scale;
    }
    return SP_OK;
}

static sp_status check_class_measures(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    char known[1024];
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind == SP_M_RETROFIT && (sp_inv_class_find(m->boiler, m->nboiler, x->cls) < 0 ||
                                         !strcmp(x->cls, "*")))
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown boiler class '%s' (known: %s)",
                            ms->path, x->line, x->cls,
                            sp_inv_class_list(m->boiler, m->nboiler, known, sizeof known));
        if (x->kind == SP_M_PURIFIER && sp_inv_class_find(m->removal, m->nremoval, x->cls) < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown purifier class '%s' (known: %s)",
                            ms->path, x->line, x->cls,
                            sp_inv_class_list(m->removal, m->nremoval, known, sizeof known));
        if (x->kind == SP_M_REDUCE)
            for (int p = 0; p < SP_NPOL; p++)
                if (x->pollutant < 0 || x->pollutant == p)
                    m->keep[x->sector][p] *= 1 - x->percent / 100;
    }
    return SP_OK;
}

/* Combined g/km of each vehicle at each speed bin, with the fleet mix applied. */
static sp_status build_fleet_factors(sp_ctx *ctx, sp_inventory_model *m)
{
    int nb = m->nspeed ? m->nspeed : 1;
    if (!m->nveh)
        return SP_OK;
    m->fleet = calloc((size_t)nb * (size_t)m->nveh, sizeof *m->fleet);
    if (!m->fleet)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int b = 0; b < nb; b++)
        for (int vi = 0; vi < m->nveh; vi++) {
            const sp_inv_vehicle *v = &m->veh[vi];
            for (int p = 0; p < SP_NPOL; p++) {
                double f = m->nspeed ? m->speed[b].f[p] : 1;
                if (isnan(f))
                    f = 1;
                double ex = 0;
                for (int k = 0; k < v->nstd; k++)
                    ex += v->mix[k] * v->ef[k][p];
                m->fleet[b * m->nveh + vi][p] = f * ex + v->ne[p];
            }
        }
    return SP_OK;
}

sp_status sp_inventory_model_new(sp_ctx *ctx, const sp_factors *f, const sp_measures *ms,
                                 sp_inventory_model **out)
{
    *out = NULL;
    sp_inventory_model *m = calloc(1, sizeof *m);
    if (!m)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    m->factors = f;
    m->measures = ms;
    for (int s = 0; s < SP_NSEC; s++)
        for (int p = 0; p < SP_NPOL; p++)
            m->keep[s][p] = 1;
    sp_status rc;
    if ((rc = build_fleet(ctx, f, m)) || (rc = build_rows(ctx, f, m)))
        goto fail;
    apply_star(m->boiler, &m->nboiler);
    apply_star(m->area, &m->narea);
    if ((rc = apply_fleet_measures(ctx, ms, m)) || (rc = check_class_measures(ctx, ms, m)) ||
        (rc = build_fleet_factors(ctx, m)))
        goto fail;
    *out = m;
    return SP_OK;
fail:
    sp_inventory_model_free(m);
    return rc;
}

int sp_inventory_speed_bin(const sp_inventory_model *m, double speed)
{
    if (!m->nspeed)
        return 0;
    for (int b = 0; b < m->nspeed; b++)
        if (speed >= m->speed[b].lo && speed < m->speed[b].hi)
            return b;
    return -1;
}

/* ---- sources ----------------------------------------------------------------- */

static void finish(const sp_inventory_model *m, sp_sector s, double E[SP_NPOL],
                   uint64_t *applied)
{
    for (int p = 0; p < SP_NPOL; p++) {
        if (m->keep[s][p] != 1 && E[p] > 0 && m->measures)
            for (int i = 0; i < m->measures->n; i++) {
                const sp_measure *x = &m->measures->m[i];
                if (x->kind == SP_M_REDUCE && x->sector == s && x->percent > 0 &&
                    (x->pollutant < 0 || x->pollutant == p))
                    *applied |= (uint64_t)1 << i;
            }
        E[p] *= m->keep[s][p];
    }
}

void sp_inventory_catering(const sp_inventory_model *m, const sp_catering_src *s,
                           double E[SP_NPOL], uint64_t *applied)
{
    *applied = 0;
    int rem = s->removal;
    for (int i = 0; m->measures && i < m->measures->n; i++) {
        const sp_measure *x = &m->measures->m[i];
        if (x->kind != SP_M_PURIFIER || s->stoves < x->min)
            continue;
        int to = sp_inv_class_find(m->removal, m->nremoval, x->cls);
        /* compared on PM2.5, the pollutant the demonstration streets are about */
        if (rem < 0 || m->removal[rem].v[SP_PM25] < m->removal[to].v[SP_PM25]) {
            rem = to;
            *applied |= (uint64_t)1 << i;
        }
    }
    /* stove-hours per year; factors are g per stove-hour -> t = g / 1e6 */
    double act = s->stoves * s->hours * s->days;
    const sp_inv_class *c = &m->cuisine[s->cuisine];
    for (int p = 0; p < SP_NPOL; p++) {
        double cook = act * c->v[p] * (rem >= 0 ? 1 - m->removal[rem].v[p] : 1);
        double comb = act * m->stove_gas * m->comb[p];
        E[p] = (cook + comb) / 1e6;
    }
    finish(m, SP_SEC_CATERING, E, applied);
}

void sp_inventory_boiler(const sp_inventory_model *m, const sp_boiler_src *s,
                         double E[SP_NPOL], uint64_t *applied)
{
    *applied = 0;
    int cls = s->cls;
    for (int i = 0; m->measures && i < m->measures->n; i++) {
        const sp_measure *x = &m->measures->m[i];
        if (x->kind != SP_M_RETROFIT || s->cap_mw < x->min)
            continue;
        int to = sp_inv_class_find(m->boiler, m->nboiler, x->cls);
        if (to != cls && m->boiler[to].v[SP_NOX] < m->boiler[cls].v[SP_NOX]) {
            cls = to;
            *applied |= (uint64_t)1 << i;
        }
    }
    for (int p = 0; p < SP_NPOL; p++)
        E[p] = s->gas_m3 * m->boiler[cls].v[p] / 1e6;
    finish(m, SP_SEC_BOILER, E, applied);
}

void sp_inventory_road(const sp_inventory_model *m, const sp_road_src *s, double E[SP_NPOL],
                       uint64_t *applied)
{
    *applied = 0;
    /* vehicle-km per year */
    double vkt = s->length_m / 1000 * s->aadt * 365;
    const double(*fl)[SP_NPOL] = m->fleet ? m->fleet + s->speed_bin * m->nveh : NULL;
    for (int p = 0; p < SP_NPOL; p++) {
        double ef = 0;
        for (int v = 0; v < m->nveh; v++)
            ef += s->share[v] * fl[v][p];
        E[p] = vkt * ef / 1e6;
    }
    for (int i = 0; m->measures && i < m->measures->n; i++) {
        const sp_measure *x = &m->measures->m[i];
        if (!(m->fleet_active >> i & 1))
            continue;
        for (int v = 0; v < m->nveh; v++)
            if (!strcmp(m->veh[v].name, x->vehicle) && s->share[v] > 0 && s->aadt > 0)
                *applied |= (uint64_t)1 << i;
    }
    finish(m, SP_SEC_ROAD, E, applied);
}

void sp_inventory_area(const sp_inventory_model *m, const sp_area_src *s, double E[SP_NPOL],
                       uint64_t *applied)
{
    *applied = 0;
    const sp_inv_class *c = &m->area[s->cls];
    for (int p = 0; p < SP_NPOL; p++) {
        switch (c->unit[p]) {
        case SP_AREA_PER_M2_MONTH: E[p] = s->area_m2 * s->months * c->v[p]; break;
        case SP_AREA_PER_M2_YR: E[p] = s->area_m2 * c->v[p]; break;
        case SP_AREA_PER_SOURCE_YR: E[p] = c->v[p]; break;
        default: E[p] = 0;
        }
    }
    finish(m, SP_SEC_AREA, E, applied);
}
