/* sp_sector_road: the road sector (机动车): road links as lines; vehicle-km (length x AADT x 365) x the
 * fleet's g/km at the link's speed: per vehicle class, the mix of its emission standards x
 * their exhaust factors (given, or type-approval limits x in-use multipliers) x the speed
 * correction, plus non-exhaust; the fleet measures (a standard removed, a new-energy share).
 * Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

enum { AADT, SPEED, SHARE_PREFIX, CLASS, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {
    [AADT] = {"road.aadt", "aadt"}, [SPEED] = {"road.speed", "speed"},
    [SHARE_PREFIX] = {"road.share_prefix", "f_"},
    [CLASS] = {"road.class", "highway"}, /* OSM's key; 道路等级 and the like by -map */
};

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
        for (int q = 0; q < SP_NPOL; q++) {
            m->veh[i].in_use[q] = NAN;
            m->veh[i].clim_mult[q] = 1;
            for (int k = 0; k < SP_CLIM_NCOND; k++)
                m->veh[i].clim[k][q] = 1;
        }
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

/* The road class called name, added when new (NULL: out of memory). */
static sp_inv_roadclass *roadclass(sp_inventory_model *m, const char *name)
{
    for (int i = 0; i < m->nrclass; i++)
        if (!strcmp(m->rclass[i].name, name))
            return &m->rclass[i];
    sp_inv_roadclass *n = realloc(m->rclass, (size_t)(m->nrclass + 1) * sizeof *n);
    if (!n)
        return NULL;
    m->rclass = n;
    n += m->nrclass;
    *n = (sp_inv_roadclass){strdup(name), NAN, NAN, NULL};
    if (!n->name)
        return NULL;
    m->nrclass++;
    return n;
}

/* roadclass,CLASS,aadt,V,veh/day | roadclass,CLASS,speed,V,km/h |
 * roadclass,CLASS/VEHICLE,share,V,fraction: what a link of a class carries when its own
 * fields do not say (the fleet rows, read first, give the vehicles). */
static sp_status roadclass_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                               sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    char name[128], known[1024];
    const char *slash = strchr(r->cls, '/');
    bool share = !strcmp(r->pollutant, "share");
    snprintf(name, sizeof name, "%.*s", slash ? (int)(slash - r->cls) : (int)strlen(r->cls),
             r->cls);
    if (share ? !slash || !sp_inv_unit_is(r, "fraction") || r->value < 0 || r->value > 1
              : slash || !((!strcmp(r->pollutant, "aadt") && sp_inv_unit_is(r, "veh/day")) ||
                           (!strcmp(r->pollutant, "speed") && sp_inv_unit_is(r, "km/h"))) ||
                    !(r->value > 0))
        FAIL("%s:%d: roadclass rows are 'roadclass,CLASS,aadt,V,veh/day', "
             "'roadclass,CLASS,speed,V,km/h' or 'roadclass,CLASS/VEHICLE,share,V,fraction'",
             f->path, r->line);
    sp_inv_roadclass *c = roadclass(m, name);
    if (!c)
        NOMEM();
    if (!share) {
        *(!strcmp(r->pollutant, "aadt") ? &c->aadt : &c->speed) = r->value;
        return SP_OK;
    }
    int vi = vehicle_find(m, slash + 1);
    if (vi < 0)
        FAIL("%s:%d: '%s' is not a vehicle of the fleet rows (known: %s)", f->path, r->line,
             slash + 1, vehicle_list(m, known, sizeof known));
    if (!c->share) {
        if (!(c->share = malloc((size_t)m->nveh * sizeof *c->share)))
            NOMEM();
        for (int i = 0; i < m->nveh; i++)
            c->share[i] = 0;
    }
    c->share[vi] = r->value;
fail:
    return rc;
}

/* Every road class has its AADT, and shares that sum to 1. */
static sp_status check_roadclasses(sp_ctx *ctx, const sp_inventory_model *m)
{
    for (int i = 0; i < m->nrclass; i++) {
        const sp_inv_roadclass *c = &m->rclass[i];
        double sum = 0;
        for (int v = 0; c->share && v < m->nveh; v++)
            sum += c->share[v];
        if (isnan(c->aadt))
            return sp_error(ctx, SP_ERR_DATA, "%s: road class '%s' has no "
                            "'roadclass,%s,aadt,V,veh/day' row", m->factors->path, c->name, c->name);
        if (c->share && fabs(sum - 1) > 1e-6)
            return sp_error(ctx, SP_ERR_DATA, "%s: the vehicle shares of road class '%s' sum to "
                            "%.6g, not 1", m->factors->path, c->name, sum);
    }
    return SP_OK;
}

/* road,VEHICLE/climate:COND,POLLUTANT|*,X,factor: the guideline's exhaust correction in
 * the hours of COND (sp_inventory.h, "climate"); a '*' row does not override a named one */
static sp_status climate_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                             sp_inventory_model *m, const char *slash)
{
    sp_status rc = SP_OK;
    char vname[128], known[1024];
    snprintf(vname, sizeof vname, "%.*s", (int)(slash - r->cls), r->cls);
    int vi = vehicle_find(m, vname), k = sp_inv_climate_cond(slash + 9), p;
    if (vi < 0)
        FAIL("%s:%d: '%s' is not a vehicle of the fleet rows (known: %s)", f->path, r->line,
             vname, vehicle_list(m, known, sizeof known));
    if (k < 0)
        FAIL("%s:%d: unknown climate condition '%s' (known: cold, hot, dry, humid, hot_dry, "
             "hot_humid)", f->path, r->line, slash + 9);
    if ((rc = sp_inv_row_check(ctx, f, r, true, &p)))
        return rc;
    if (!sp_inv_unit_is(r, "factor") || !(r->value > 0))
        FAIL("%s:%d: climate rows are factors above 0 in 'factor', not %g '%s'", f->path,
             r->line, r->value, r->unit);
    m->climate_rows = true;
    for (int q = 0; q < SP_NPOL; q++)
        if (q == p || (p < 0 && !sp_factors_find(f, "road", r->cls, SP_POL_NAME[q])))
            m->veh[vi].clim[k][q] = r->value;
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
    if (!strcmp(r->sector, "roadclass"))
        return roadclass_row(ctx, f, r, m);
    if (!strncmp(c, "speed:", 6)) {
        int p;
        if ((rc = sp_inv_row_check(ctx, f, r, true, &p)))
            return rc;
        return speed_row(ctx, f, r, p, m);
    }
    const char *slash = strchr(c, '/');
    if (slash && (!strcmp(slash + 1, "in_use") || !strcmp(slash + 1, "work")))
        return SP_OK; /* read by road_multipliers */
    if (slash && !strncmp(slash + 1, "climate:", 8))
        return climate_row(ctx, f, r, m, slash);
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


/* "road remove VEHICLE STANDARD" or "road nev VEHICLE SHARE" */
static sp_status road_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    bool nev = nw > 1 && !strcmp(w[1], "nev");
    if (nw != 4 || (!nev && strcmp(w[1], "remove")))
        return sp_error(ctx, SP_ERR_DATA, "%s: expected '%s'", where,
                        nev ? "road nev VEHICLE SHARE" : "road remove VEHICLE STANDARD");
    m->kind = nev ? SP_M_NEV : SP_M_REMOVE;
    if (nev && !sp_inv_parse_share(w[3], &m->share))
        return sp_error(ctx, SP_ERR_DATA, "%s: share '%s' must be between 0 and 1 "
                        "(or 0%% and 100%%)", where, w[3]);
    if (!(m->vehicle = strdup(w[2])) || (!nev && !(m->standard = strdup(w[3]))))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
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
                m->fleet[b * m->nveh + vi][p] = f * v->clim_mult[p] * ex + v->ne[p];
            }
        }
    return SP_OK;
}

static sp_status road_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    sp_status rc = check_roadclasses(ctx, m);
    for (int vi = 0; vi < m->nveh && m->climate; vi++) /* the exhaust over the year's hours */
        for (int p = 0; p < SP_NPOL; p++) {
            double f[SP_CLIM_NCOND];
            for (int k = 0; k < SP_CLIM_NCOND; k++)
                f[k] = m->veh[vi].clim[k][p];
            m->veh[vi].clim_mult[p] = sp_inv_climate_mean(m->climate, f);
        }
    if (!rc)
        rc = apply_fleet_measures(ctx, ms, m);
    return rc ? rc : build_fleet_factors(ctx, m);
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
SP_INV_EMIT(sp_inventory_road, sp_road_src)

static int road_nveh(const sp_inventory_model *m)
{
    return m->nveh;
}

/* The registry's run: a share field per vehicle class (or none: the road class's), and
 * the shares of the feature. */
typedef struct {
    int *idx;
    double *share;
    bool class_shares; /* the layer has no share fields: each link's class gives them */
} road_run;

static sp_status prepare_road(sp_inv_reader *r)
{
    sp_ctx *ctx = sp_invr_ctx(r);
    const sp_inventory_model *m = sp_invr_base(r);
    bool classes = m->nrclass > 0;
    sp_status rc;
    if (!m->nveh)
        return sp_error(ctx, SP_ERR_DATA, "the factor table has no fleet rows");
    /* with road classes the link's own traffic fields are optional: they win where given */
    if ((rc = sp_invr_find_field(r, AADT, !classes)) ||
        (m->nspeed && (rc = sp_invr_find_field(r, SPEED, !classes))) ||
        (rc = sp_invr_find_field(r, CLASS, false)))
        return rc;
    size_t n = (size_t)m->nveh;
    road_run *rr = sp_invr_state(r, sizeof *rr + n * (sizeof *rr->share + sizeof *rr->idx));
    if (!rr)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    rr->share = (double *)(void *)(rr + 1);
    rr->idx = (int *)(void *)(rr->share + n);
    int found = 0;
    for (int i = 0; i < m->nveh; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s%s", sp_invr_field_name(r, SHARE_PREFIX), m->veh[i].name);
        found += (rr->idx[i] = sp_invr_field_lookup(r, name)) >= 0;
    }
    rr->class_shares = classes && found == 0;
    for (int i = 0; !rr->class_shares && i < m->nveh; i++)
        if (rr->idx[i] < 0) { /* the error that lists the layer's fields */
            char name[256];
            snprintf(name, sizeof name, "%s%s", sp_invr_field_name(r, SHARE_PREFIX), m->veh[i].name);
            rc = sp_invr_field_index(r, name, &rr->idx[i]);
            return sp_error_prefix(ctx, rc ? rc : SP_ERR_DATA, "share of vehicle class '%s'%s: ",
                                   m->veh[i].name, classes ? " (with road classes: all share "
                                   "fields or none)" : "");
        }
    return SP_OK;
}

/* The link's road class (its field, or -default road.class=..., or the '*' class), or -1
 * without road classes. */
static sp_status link_class(sp_inv_reader *r, const sp_inventory_model *m, int *out)
{
    *out = -1;
    if (!m->nrclass)
        return SP_OK;
    char buf[256], known[1024] = "";
    const char *v = sp_invr_text(r, CLASS, buf, sizeof buf);
    const char *want = v && *v ? v : "*";
    for (int i = 0; i < m->nrclass; i++)
        if (!strcmp(m->rclass[i].name, want))
            *out = i;
    if (*out >= 0)
        return SP_OK;
    for (int i = 0, l = 0; i < m->nrclass && l < (int)sizeof known - 1; i++)
        l += snprintf(known + l, sizeof known - (size_t)l, "%s%s", i ? ", " : "", m->rclass[i].name);
    if (!v || !*v)
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld: no road class "
                        "(field '%s') and no 'roadclass,*,...' rows for links without one (or "
                        "-default road.class=CLASS; known: %s)", sp_invr_layer(r), sp_invr_fid(r),
                        sp_invr_field_name(r, CLASS), known);
    return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld, field '%s': unknown "
                    "road class '%s' (known: %s; -values road.class=FROM=TO maps yours)",
                    sp_invr_layer(r), sp_invr_fid(r), sp_invr_field_name(r, CLASS), v, known);
}

/* A link's value of key k: its field (or -default), else its road class's (NAN: none). */
static sp_status link_value(sp_inv_reader *r, int k, const sp_inv_roadclass *c, double *out)
{
    if (sp_invr_is_set(r, k))
        return sp_invr_num(r, k, out);
    *out = c ? (k == AADT ? c->aadt : c->speed) : NAN;
    if (isnan(*out))
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld, field '%s': no "
                        "value%s", sp_invr_layer(r), sp_invr_fid(r), sp_invr_field_name(r, k),
                        c ? " and its road class has none" : "");
    sp_invr_from_class(r, k);
    return SP_OK;
}

static sp_status read_road(sp_inv_reader *r, void *src)
{
    sp_road_src *s = src;
    const sp_inventory_model *m = sp_invr_base(r);
    road_run *rr = sp_invr_state(r, 0);
    int ci;
    sp_status rc;
    if ((rc = sp_invr_size(r, &s->length_m)) || (rc = link_class(r, m, &ci)))
        return rc;
    const sp_inv_roadclass *c = ci >= 0 ? &m->rclass[ci] : NULL;
    if ((rc = link_value(r, AADT, c, &s->aadt)))
        return rc;
    s->speed_bin = 0;
    if (m->nspeed) {
        double v;
        if ((rc = link_value(r, SPEED, c, &v)))
            return rc;
        if ((s->speed_bin = sp_inventory_speed_bin(m, v)) < 0)
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld, field '%s': "
                            "speed %g km/h is in no speed bin of the factor table",
                            sp_invr_layer(r), sp_invr_fid(r), sp_invr_field_name(r, SPEED), v);
    }
    if (rr->class_shares) {
        if (!c->share)
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld: no vehicle "
                            "share fields (%s*) and road class '%s' has no share rows",
                            sp_invr_layer(r), sp_invr_fid(r), sp_invr_field_name(r, SHARE_PREFIX),
                            c->name);
        memcpy(rr->share, c->share, (size_t)m->nveh * sizeof *rr->share);
        sp_invr_from_class(r, SHARE_PREFIX);
        s->share = rr->share;
        return SP_OK;
    }
    double sum = 0, tol = sp_invr_share_tol(r);
    for (int i = 0; i < m->nveh; i++) {
        if ((rc = sp_invr_num_at(r, rr->idx[i], &rr->share[i])))
            return rc;
        sum += rr->share[i];
    }
    if (!(sum > 0) || (fabs(sum - 1) > tol && !sp_invr_renormalise(r)))
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld: the vehicle "
                        "shares (%s*) sum to %.6g, not 1 (tolerance %g; -renorm rescales them)",
                        sp_invr_layer(r), sp_invr_fid(r), sp_invr_field_name(r, SHARE_PREFIX),
                        sum, tol);
    /* shares within the tolerance (rounded registries) are rescaled so that the whole
     * AADT is counted exactly once */
    for (int i = 0; i < m->nveh; i++)
        rr->share[i] /= sum;
    s->share = rr->share;
    return SP_OK;
}

const sp_sector_desc sp_sector_road = {
    .name = "road", .geom = SP_GEOM_LINE,
    .help = "road links (lines): aadt (veh/day), speed (km/h), shares\n"
            "f_<vehicle> of the vehicle classes of the factor table; or a\n"
            "class (highway: OSM's, 快速路 ...) and the table's roadclass rows",
    .rows = {"road", "fleet", "roadclass"}, .fields = FIELDS, .nfields = NFIELDS,
    .measure = road_measure, .measures = "road remove, road nev",
    .begin = road_begin, .row = road_row, .end = road_end,
    .emit = sp_inventory_road_emit, .src_size = sizeof(sp_road_src),
    .ext_offset = offsetof(sp_road_src, share), .ext_count = road_nveh,
    .prepare = prepare_road, .read = read_road,
};
