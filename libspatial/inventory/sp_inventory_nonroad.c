/* sp_inventory_nonroad: non-road mobile machinery (非道路移动机械) at construction sites:
 * kW x hours x load factor x the emission stage's g/kWh; the NEV share measure (the
 * plan: new machinery 60/65/70 % electric in 2024-26) moves a share of the work to the
 * NEV class, whose electricity gives scope-2 CO2. Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* nonroad,<stage>,<pollutant>,V,g/kWh or nonroad,load,factor,V,fraction */
sp_status sp_inv_nonroad_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
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
sp_status sp_inv_nonroad_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
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
sp_status sp_inv_nonroad_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    m->kind = SP_M_NONROAD_NEV;
    if (nw != 3 || strcmp(w[1], "nev"))
        return sp_error(ctx, SP_ERR_DATA, "%s: expected 'nonroad nev SHARE' (0.6 or 60%%)", where);
    if (!sp_inv_parse_share(w[2], &m->share))
        return sp_error(ctx, SP_ERR_DATA, "%s: share '%s' must be between 0 and 1 (or 0%% and "
                        "100%%)", where, w[2]);
    return SP_OK;
}
