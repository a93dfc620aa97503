/* sp_inventory_sectors: one entry per emission sector (SP_SECTORS): its factor rows,
 * the model it builds from them and its emission function. Adding a sector is one entry
 * here, its reader in sp_inventory_run.c (READERS) and its activity fields in
 * SP_INV_FIELDS; sp_inventory_check_sectors() names any piece left out. Formulas:
 * docs/methods.md, "sp-inventory". No GDAL here. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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


/* road,VEHICLE/in_use,POLLUTANT|*,X,factor (the real-world multiplier of the vehicle's
 * type-approval limits) and road,VEHICLE/work,*,X,kWh/km (engine work per km, for limits
 * in g/kWh), read before the limit rows that use them, wherever they are in the table. */
static sp_status road_multipliers(sp_ctx *ctx, const sp_factors *f, sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    for (int i = 0; i < m->nveh; i++) {
        for (int q = 0; q < SP_NPOL; q++)
            m->veh[i].in_use[q] = NAN;
        m->veh[i].work = NAN;
    }
    for (int i = 0; i < f->n; i++) {
        const sp_factor *r = &f->rows[i];
        const char *slash = strchr(r->cls, '/');
        if (strcmp(r->sector, "road") || !slash ||
            (strcmp(slash + 1, "in_use") && strcmp(slash + 1, "work")))
            continue;
        char vname[128], known[1024];
        snprintf(vname, sizeof vname, "%.*s", (int)(slash - r->cls), r->cls);
        int vi = vehicle_find(m, vname);
        if (vi < 0)
            FAIL("%s:%d: '%s' is not a vehicle of the fleet rows (known: %s)", f->path, r->line,
                 vname, vehicle_list(m, known, sizeof known));
        sp_inv_vehicle *v = &m->veh[vi];
        if (!strcmp(slash + 1, "work")) {
            if (strcmp(r->pollutant, "*") || !sp_inv_unit_is(r, "kWh/km") || !(r->value > 0))
                FAIL("%s:%d: expected 'road,%s/work,*,VALUE,kWh/km,SOURCE' with a value above 0: "
                     "the engine work per km that turns g/kWh limits into g/km", f->path,
                     r->line, vname);
            v->work = r->value;
            continue;
        }
        int p;
        if ((rc = sp_inv_row_check(ctx, f, r, true, &p)))
            return rc;
        if (!sp_inv_unit_is(r, "factor"))
            FAIL("%s:%d: in-use multipliers are in 'factor', not '%s'", f->path, r->line,
                 r->unit);
        for (int q = 0; q < SP_NPOL; q++)
            if (q == p || (p < 0 && !(v->in_use_set >> q & 1)))
                v->in_use[q] = r->value;
        if (p >= 0)
            v->in_use_set |= 1u << p;
    }
fail:
    return rc;
}

/* First pass: fleet rows create the vehicles and their standards. */
static sp_status road_begin(sp_ctx *ctx, const sp_factors *f, sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    for (int i = 0; i < f->n; i++) {
        const sp_factor *r = &f->rows[i];
        if (strcmp(r->sector, "fleet"))
            continue;
        const char *slash = strchr(r->cls, '/');
        if (!slash || slash == r->cls || !slash[1] || strcmp(r->pollutant, "share") ||
            !sp_inv_unit_is(r, "fraction"))
            FAIL("%s:%d: fleet rows are 'fleet,VEHICLE/STANDARD,share,VALUE,fraction,SOURCE'",
                 f->path, r->line);
        if (r->value < 0 || r->value > 1)
            FAIL("%s:%d: a fleet share must be between 0 and 1", f->path, r->line);
        if (!strcmp(slash + 1, "in_use") || !strcmp(slash + 1, "work") ||
            !strcmp(slash + 1, "nonexhaust") || !strcmp(slash + 1, "*"))
            FAIL("%s:%d: '%s' is not a standard: in_use, work, nonexhaust and * name the "
                 "road rows of a vehicle", f->path, r->line, slash + 1);
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
    rc = road_multipliers(ctx, f, m);
fail:
    return rc;
}


/* ---- factor rows, one parser per sector ------------------------------------------
 * Each gets a row of its sector (or of the other table sectors it owns) and fills the
 * model; a bad row is an error naming the file and line. */

static sp_status catering_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                              sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    const char *c = r->cls;
    if (!strcmp(c, "gas")) {
        if (strcmp(r->pollutant, "gas_use") || !sp_inv_unit_is(r, "m3/stove-h"))
            FAIL("%s:%d: expected 'catering,gas,gas_use,VALUE,m3/stove-h,SOURCE'", f->path,
                 r->line);
        m->stove_gas = r->value;
        return SP_OK;
    }
    if (!strcmp(c, "activity")) {
        if (strcmp(r->pollutant, "utilisation") || !sp_inv_unit_is(r, "fraction"))
            FAIL("%s:%d: expected 'catering,activity,utilisation,VALUE,fraction,SOURCE'",
                 f->path, r->line);
        if (!(r->value > 0 && r->value <= 1))
            FAIL("%s:%d: the stoves' utilisation must be in (0, 1]: the share of the opening "
                 "hours a stove is in use", f->path, r->line);
        m->stove_util = r->value;
        return SP_OK;
    }
    int p;
    if ((rc = sp_inv_row_check(ctx, f, r, false, &p)))
        return rc;
    bool rem = !strncmp(c, "removal:", 8);
    const char *want = rem ? "fraction" : !strcmp(c, "combustion") ? "g/m3" : "g/stove-h";
    if (!sp_inv_unit_is(r, want))
        FAIL("%s:%d: catering/%s rows are in %s, not '%s'", f->path, r->line, c, want, r->unit);
    if (rem) {
        if (r->value > 1)
            FAIL("%s:%d: a removal fraction must be between 0 and 1", f->path, r->line);
        int k = sp_inv_class_add(&m->removal, &m->nremoval, c + 8);
        if (k < 0)
            NOMEM();
        m->removal[k].v[p] = r->value;
    } else if (!strcmp(c, "combustion")) {
        m->comb[p] = r->value;
    } else {
        int k = sp_inv_class_add(&m->cuisine, &m->ncuisine, c);
        if (k < 0)
            NOMEM();
        m->cuisine[k].v[p] = r->value;
    }
fail:
    return rc;
}

static sp_status boiler_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                            sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    if (!strcmp(r->cls, "gas")) {
        if (strcmp(r->pollutant, "gas_rate") || !sp_inv_unit_is(r, "m3/MW-h"))
            FAIL("%s:%d: expected 'boiler,gas,gas_rate,VALUE,m3/MW-h,SOURCE'", f->path, r->line);
        m->boiler_gas_rate = r->value;
        return SP_OK;
    }
    int p;
    if ((rc = sp_inv_row_check(ctx, f, r, false, &p)))
        return rc;
    if (!sp_inv_unit_is(r, "g/m3"))
        FAIL("%s:%d: boiler rows are in g/m3 (of natural gas), not '%s'", f->path, r->line,
             r->unit);
    int k = sp_inv_class_add(&m->boiler, &m->nboiler, r->cls);
    if (k < 0)
        NOMEM();
    m->boiler[k].v[p] = r->value;
    m->boiler[k].has[p] = true;
fail:
    return rc;
}

/* road,speed:LO-HI,POLLUTANT|*,FACTOR,factor */
static sp_status speed_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r, int p,
                           sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    double lo, hi;
    char tail;
    if (sscanf(r->cls + 6, "%lf-%lf%c", &lo, &hi, &tail) != 2 || !(lo < hi) || lo < 0)
        FAIL("%s:%d: a speed bin is 'speed:LOW-HIGH' in km/h, LOW < HIGH", f->path, r->line);
    if (!sp_inv_unit_is(r, "factor"))
        FAIL("%s:%d: speed corrections are in 'factor', not '%s'", f->path, r->line, r->unit);
    int k = 0;
    while (k < m->nspeed && !(m->speed[k].lo == lo && m->speed[k].hi == hi))
        k++;
    if (k == m->nspeed) {
        for (int j = 0; j < m->nspeed; j++)
            if (lo < m->speed[j].hi && m->speed[j].lo < hi)
                FAIL("%s:%d: speed bin %g-%g overlaps %g-%g", f->path, r->line, lo, hi,
                     m->speed[j].lo, m->speed[j].hi);
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
fail:
    return rc;
}

/* The g/km of a road row: as given (g/km), or a type-approval limit times the vehicle's
 * in-use multiplier (g/km-limit), and for engine limits also its kWh per km
 * (g/kWh-limit). */
static sp_status road_value(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                            const sp_inv_vehicle *v, int p, double *val)
{
    sp_status rc = SP_OK;
    bool km = sp_inv_unit_is(r, "g/km-limit"), kwh = sp_inv_unit_is(r, "g/kWh-limit");
    *val = r->value;
    if (!km && !kwh && !sp_inv_unit_is(r, "g/km"))
        FAIL("%s:%d: road rows are in g/km, g/km-limit or g/kWh-limit, not '%s'", f->path,
             r->line, r->unit);
    if (!km && !kwh)
        return SP_OK;
    if (isnan(v->in_use[p]))
        FAIL("%s:%d: a type-approval limit (%s) needs the in-use multiplier of '%s': a row "
             "'road,%s/in_use,%s|*,VALUE,factor,SOURCE'", f->path, r->line, r->unit, v->name,
             v->name, r->pollutant);
    if (kwh && isnan(v->work))
        FAIL("%s:%d: an engine limit in g/kWh needs the work per km of '%s': a row "
             "'road,%s/work,*,VALUE,kWh/km,SOURCE'", f->path, r->line, v->name, v->name);
    *val = r->value * v->in_use[p] * (kwh ? v->work : 1);
fail:
    return rc;
}

static sp_status road_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                          sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    const char *c = r->cls;
    if (!strcmp(r->sector, "fleet"))
        return SP_OK; /* read by road_begin */
    if (!strncmp(c, "speed:", 6)) {
        int p;
        if ((rc = sp_inv_row_check(ctx, f, r, true, &p)))
            return rc;
        return speed_row(ctx, f, r, p, m);
    }
    const char *slash = strchr(c, '/');
    if (slash && (!strcmp(slash + 1, "in_use") || !strcmp(slash + 1, "work")))
        return SP_OK; /* read by road_multipliers */
    int p;
    if ((rc = sp_inv_row_check(ctx, f, r, false, &p)))
        return rc;
    char known[1024];
    char vname[128];
    snprintf(vname, sizeof vname, "%.*s", slash ? (int)(slash - c) : 0, c);
    int vi = slash ? vehicle_find(m, vname) : -1;
    if (vi < 0)
        FAIL("%s:%d: road rows are 'road,VEHICLE/STANDARD|*|nonexhaust,...' with a vehicle of "
             "the fleet rows (known: %s)", f->path, r->line, vehicle_list(m, known, sizeof known));
    sp_inv_vehicle *v = &m->veh[vi];
    const char *st = slash + 1;
    if (!strcmp(st, "nonexhaust") && !sp_inv_unit_is(r, "g/km"))
        FAIL("%s:%d: non-exhaust rows are in g/km, not '%s'", f->path, r->line, r->unit);
    double val;
    if ((rc = road_value(ctx, f, r, v, p, &val)))
        return rc;
    if (!strcmp(st, "nonexhaust")) {
        v->ne[p] = val;
    } else if (!strcmp(st, "*")) {
        /* the default of every combustion standard; new-energy vehicles have no exhaust,
         * so it never applies to NEV */
        for (int k = 0; k < v->nstd; k++)
            if (strcmp(v->std[k], "NEV")) {
                char cls[256];
                snprintf(cls, sizeof cls, "%s/%s", v->name, v->std[k]);
                if (!sp_factors_find(f, "road", cls, r->pollutant)) /* explicit wins */
                    v->ef[k][p] = val;
            }
    } else {
        int k = std_find(v, st);
        if (k < 0)
            FAIL("%s:%d: '%s' has no fleet row for standard '%s' (known: %s)", f->path, r->line,
                 v->name, st, std_list(v, known, sizeof known));
        v->ef[k][p] = val;
    }
fail:
    return rc;
}

static sp_status area_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                          sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    int p;
    if ((rc = sp_inv_row_check(ctx, f, r, false, &p)))
        return rc;
    int u = sp_inv_unit_is(r, "t/m2-month")    ? SP_AREA_PER_M2_MONTH
            : sp_inv_unit_is(r, "t/m2-yr")     ? SP_AREA_PER_M2_YR
            : sp_inv_unit_is(r, "t/source-yr") ? SP_AREA_PER_SOURCE_YR
                                               : SP_AREA_NONE;
    if (u == SP_AREA_NONE)
        FAIL("%s:%d: area rows are in t/m2-month, t/m2-yr or t/source-yr, not '%s'", f->path,
             r->line, r->unit);
    int k = sp_inv_class_add(&m->area, &m->narea, r->cls);
    if (k < 0)
        NOMEM();
    m->area[k].v[p] = r->value;
    m->area[k].unit[p] = u;
    m->area[k].has[p] = true;
fail:
    return rc;
}


/* ---- model hooks ------------------------------------------------------------------ */

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

static sp_status boiler_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    (void)ctx, (void)ms;
    apply_star(m->boiler, &m->nboiler);
    return SP_OK;
}

static sp_status area_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    (void)ctx, (void)ms;
    apply_star(m->area, &m->narea);
    return SP_OK;
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

static sp_status road_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    sp_status rc = apply_fleet_measures(ctx, ms, m);
    return rc ? rc : build_fleet_factors(ctx, m);
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
    /* stove-hours in use per year (the opening hours x the utilisation); factors are g
     * per stove-hour -> t = g / 1e6 */
    double act = s->stoves * s->hours * s->days * (m->stove_util > 0 ? m->stove_util : 1);
    const sp_inv_class *c = &m->cuisine[s->cuisine];
    for (int p = 0; p < SP_NPOL; p++) {
        double cook = act * c->v[p] * (rem >= 0 ? 1 - m->removal[rem].v[p] : 1);
        double comb = act * m->stove_gas * m->comb[p];
        E[p] = (cook + comb) / 1e6;
    }
    sp_inv_finish(m, SP_SEC_CATERING, E, applied);
}

void sp_inventory_boiler(const sp_inventory_model *m, const sp_boiler_src *s,
                         double E[SP_NPOL], uint64_t *applied)
{
    *applied = 0;
    int cls = sp_inv_upgrade(m, SP_M_RETROFIT, s->cap_mw, m->boiler, m->nboiler, s->cls, SP_NOX,
                             false, applied);
    for (int p = 0; p < SP_NPOL; p++)
        E[p] = s->gas_m3 * m->boiler[cls].v[p] / 1e6;
    sp_inv_finish(m, SP_SEC_BOILER, E, applied);
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
    sp_inv_finish(m, SP_SEC_ROAD, E, applied);
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
        case SP_AREA_NONE: E[p] = 0; break; /* the class has no row for p */
        default: E[p] = NAN; /* not reached: every unit is listed */
        }
    }
    sp_inv_finish(m, SP_SEC_AREA, E, applied);
}

/* The table's emission functions take the source as the reader filled it. */
static void catering_emit(const sp_inventory_model *m, const void *s, double E[SP_NPOL],
                          uint64_t *applied)
{
    sp_inventory_catering(m, s, E, applied);
}
static void boiler_emit(const sp_inventory_model *m, const void *s, double E[SP_NPOL],
                        uint64_t *applied)
{
    sp_inventory_boiler(m, s, E, applied);
}
static void road_emit(const sp_inventory_model *m, const void *s, double E[SP_NPOL],
                      uint64_t *applied)
{
    sp_inventory_road(m, s, E, applied);
}
static void area_emit(const sp_inventory_model *m, const void *s, double E[SP_NPOL],
                      uint64_t *applied)
{
    sp_inventory_area(m, s, E, applied);
}
static void facility_emit(const sp_inventory_model *m, const void *s, double E[SP_NPOL],
                          uint64_t *applied)
{
    sp_inventory_facility(m, s, E, applied);
}
static void petrol_emit(const sp_inventory_model *m, const void *s, double E[SP_NPOL],
                        uint64_t *applied)
{
    sp_inventory_petrol(m, s, E, applied);
}
static void nonroad_emit(const sp_inventory_model *m, const void *s, double E[SP_NPOL],
                         uint64_t *applied)
{
    sp_inventory_nonroad(m, s, E, applied);
}
static void autorepair_emit(const sp_inventory_model *m, const void *s, double E[SP_NPOL],
                            uint64_t *applied)
{
    sp_inventory_autorepair(m, s, E, applied);
}

/* ---- the table --------------------------------------------------------------------- */

const sp_sector_desc SP_SECTORS[SP_NSEC] = {
    [SP_SEC_CATERING] = {.name = "catering", .geom = SP_GEOM_POINT,
                         .help = "restaurants (points): stoves, cuisine, hours/day, days/yr,\n"
                                 "purifier 0/1, pur_class", .rows = {"catering"},
                         .row = catering_row, .emit = catering_emit,
                         .src_size = sizeof(sp_catering_src)},
    [SP_SEC_BOILER] = {.name = "boiler", .geom = SP_GEOM_POINT,
                       .help = "gas boilers (points): gas_10k (10^4 m3/yr) or cap_mw x\n"
                               "full-load hours, nox_class, fuel", .rows = {"boiler"},
                       .row = boiler_row, .end = boiler_end, .emit = boiler_emit,
                       .src_size = sizeof(sp_boiler_src)},
    [SP_SEC_ROAD] = {.name = "road", .geom = SP_GEOM_LINE,
                     .help = "road links (lines): aadt (veh/day), speed (km/h), shares\n"
                             "f_<vehicle> of the vehicle classes of the factor table", .rows = {"road", "fleet"},
                     .begin = road_begin, .row = road_row, .end = road_end, .emit = road_emit,
                     .src_size = sizeof(sp_road_src)},
    [SP_SEC_AREA] = {.name = "area", .geom = SP_GEOM_POLYGON,
                     .help = "area sources (polygons): class (stage) and months active", .rows = {"area"},
                     .row = area_row, .end = area_end, .emit = area_emit,
                     .src_size = sizeof(sp_area_src)},
    [SP_SEC_FACILITY] = {.name = "facility", .geom = SP_GEOM_POINT,
                         .help = "key energy-using units (points): annual use of gas_m3,\n"
                                 "elec_kwh, heat_gj, diesel_t, coal_t, lpg_t (absent: 0)",
                         .rows = {"facility"}, .row = sp_inv_facility_row,
                         .end = sp_inv_facility_end, .emit = facility_emit,
                         .src_size = sizeof(sp_facility_src)},
    [SP_SEC_PETROL] = {.name = "petrol", .geom = SP_GEOM_POINT,
                       .help = "petrol stations (points): gasoline_t (t sold per year),\n"
                               "vr_class (vapour recovery: none, stage1, stage2, stage3)",
                       .rows = {"petrol"}, .row = sp_inv_petrol_row, .end = sp_inv_petrol_end,
                       .emit = petrol_emit, .src_size = sizeof(sp_petrol_src)},
    [SP_SEC_NONROAD] = {.name = "nonroad", .geom = SP_GEOM_POINT,
                        .help = "non-road machinery at sites (points): kw (rated power),\n"
                                "hours (per year), stage (II, III, IV, NEV), load (0-1)",
                        .rows = {"nonroad"}, .row = sp_inv_nonroad_row,
                        .end = sp_inv_nonroad_end, .emit = nonroad_emit,
                        .src_size = sizeof(sp_nonroad_src)},
    [SP_SEC_AUTOREPAIR] = {.name = "autorepair", .geom = SP_GEOM_POINT,
                           .help = "auto-repair shops (points): coating_kg (paints, thinners,\n"
                                   "solvents per year), voc (mass fraction), control (class)",
                           .rows = {"autorepair"}, .row = sp_inv_autorepair_row,
                           .end = sp_inv_autorepair_end, .emit = autorepair_emit,
                           .src_size = sizeof(sp_autorepair_src)},
};
