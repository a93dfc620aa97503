/* sp_sector_nonroad: non-road mobile machinery (非道路移动机械) at construction sites:
 * kW x hours x load factor x the emission stage's g/kWh; the NEV share measure (the
 * plan: new machinery 60/65/70 % electric in 2024-26) moves a share of the work to the
 * NEV class, whose electricity gives scope-2 CO2. Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NR_KW, NR_HOURS, NR_LOAD, NR_STAGE, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {
    [NR_KW] = {"nonroad.kw", "kw"},       [NR_HOURS] = {"nonroad.hours", "hours"},
    [NR_LOAD] = {"nonroad.load", "load"}, [NR_STAGE] = {"nonroad.stage", "stage"},
};

/* nonroad,<stage>,<pollutant>,V,g/kWh or nonroad,load,factor,V,fraction */
static sp_status nonroad_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                             sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    if (!strcmp(r->cls, "load")) {
        if (strcmp(r->pollutant, "factor") || !sp_inv_unit_is(r, "fraction") ||
            !(r->value > 0 && r->value <= 1))
            FAIL("%s:%d: expected 'nonroad,load,factor,VALUE,fraction,SOURCE' (0-1]", f->path,
                 r->line);
        m->nonroad_load = r->value;
        return SP_OK;
    }
    int p;
    if ((rc = sp_inv_row_check(ctx, f, r, false, &p)))
        return rc;
    if (!sp_inv_unit_is(r, "g/kWh"))
        FAIL("%s:%d: nonroad rows are in g/kWh of work, not '%s'", f->path, r->line, r->unit);
    int k = sp_inv_class_add(&m->nonroad, &m->nnonroad, r->cls);
    if (k < 0)
        NOMEM();
    m->nonroad[k].v[p] = r->value;
    m->nonroad[k].has[p] = true;
fail:
    return rc;
}

/* After every row: the NEV class that the nev measure needs. */
static sp_status nonroad_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    for (int i = 0; ms && i < ms->n; i++)
        if (ms->m[i].kind == SP_M_NONROAD_NEV &&
            sp_inv_class_find(m->nonroad, m->nnonroad, "NEV") < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: 'nonroad nev' needs the factor rows of "
                            "the NEV class (nonroad,NEV,CO2_scope2,...)", ms->path, ms->m[i].line);
    return SP_OK;
}

void sp_inventory_nonroad(const sp_inventory_model *m, const sp_nonroad_src *s,
                          double E[SP_NPOL], uint64_t *applied)
{
    *applied = 0;
    double kwh = s->kw * s->hours * s->load, share = 0; /* share of the work made electric */
    int nev = sp_inv_class_find(m->nonroad, m->nnonroad, "NEV");
    for (int i = 0; m->measures && i < m->measures->n; i++) {
        const sp_measure *x = &m->measures->m[i];
        if (x->kind == SP_M_NONROAD_NEV && s->cls != nev && x->share > share) {
            share = x->share;
            *applied |= (uint64_t)1 << i;
        }
    }
    for (int p = 0; p < SP_NPOL; p++) {
        double g = kwh * (1 - share) * m->nonroad[s->cls].v[p];
        if (share > 0)
            g += kwh * share * m->nonroad[nev].v[p];
        E[p] = g / 1e6;
    }
    sp_inv_finish(m, SP_SEC_NONROAD, E, applied);
}

/* "nonroad nev SHARE" (w[0] is "nonroad") */
static sp_status nonroad_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    m->kind = SP_M_NONROAD_NEV;
    if (nw != 3 || strcmp(w[1], "nev"))
        return sp_error(ctx, SP_ERR_DATA, "%s: expected 'nonroad nev SHARE' (0.6 or 60%%)", where);
    if (!sp_inv_parse_share(w[2], &m->share))
        return sp_error(ctx, SP_ERR_DATA, "%s: share '%s' must be between 0 and 1 (or 0%% and "
                        "100%%)", where, w[2]);
    return SP_OK;
}
SP_INV_EMIT(sp_inventory_nonroad, sp_nonroad_src)

/* Non-road machinery: kW, hours, stage; the load factor from a field or the table. */
static sp_status prepare_nonroad(sp_inv_reader *r)
{
    sp_status rc;
    if (!sp_invr_base(r)->nnonroad)
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "the factor table has no nonroad rows");
    if ((rc = sp_invr_find_field(r, NR_KW, true)) || (rc = sp_invr_find_field(r, NR_HOURS, true)) ||
        (rc = sp_invr_find_field(r, NR_STAGE, true)) || (rc = sp_invr_find_field(r, NR_LOAD, false)))
        return rc;
    if (!sp_invr_has(r, NR_LOAD) && !(sp_invr_base(r)->nonroad_load > 0))
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "nonroad: no field '%s' and no "
                        "'nonroad,load,factor' row in the factor table",
                        sp_invr_field_name(r, NR_LOAD));
    return SP_OK;
}

static sp_status read_nonroad(sp_inv_reader *r, void *src)
{
    sp_nonroad_src *s = src;
    sp_status rc;
    if ((rc = sp_invr_class_of(r, NR_STAGE, sp_invr_base(r)->nonroad, sp_invr_base(r)->nnonroad,
                       "machinery stage", &s->cls)) ||
        (rc = sp_invr_num(r, NR_KW, &s->kw)) || (rc = sp_invr_num(r, NR_HOURS, &s->hours)))
        return rc;
    return sp_invr_fraction(r, NR_LOAD, sp_invr_base(r)->nonroad_load, "load factor",
                            &s->load);
}

const sp_sector_desc sp_sector_nonroad = {
    .name = "nonroad", .geom = SP_GEOM_POINT,
    .help = "non-road machinery at sites (points): kw (rated power),\n"
            "hours (per year), stage (II, III, IV, NEV), load (0-1)",
    .rows = {"nonroad"}, .fields = FIELDS, .nfields = NFIELDS,
    .measure = nonroad_measure, .measures = "nonroad nev",
    .row = nonroad_row, .end = nonroad_end,
    .emit = sp_inventory_nonroad_emit, .src_size = sizeof(sp_nonroad_src),
    .prepare = prepare_nonroad, .read = read_nonroad,
};
