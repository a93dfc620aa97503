/* sp_sector_petrol: petrol stations' evaporative VOCs (加油站油气): the litres of
 * gasoline sold x the VOCs lost per litre in unloading, tank breathing, refuelling and
 * spillage, by vapour-recovery class (none, stage I, stage I+II, ...); the recovery
 * measure. Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PET_GASOLINE, PET_CLASS, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {
    [PET_GASOLINE] = {"petrol.gasoline", "gasoline_t"}, [PET_CLASS] = {"petrol.vr_class", "vr_class"},
};

/* petrol,<class>,VOCs,V,mg/L or petrol,gasoline,density,V,t/m3 */
static sp_status petrol_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                            sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    if (!strcmp(r->pollutant, "density")) {
        if (strcmp(r->cls, "gasoline") || !sp_inv_unit_is(r, "t/m3") || !(r->value > 0.5) ||
            r->value > 1)
            FAIL("%s:%d: expected 'petrol,gasoline,density,VALUE,t/m3,SOURCE' (0.5-1)", f->path,
                 r->line);
        m->petrol_density = r->value;
        return SP_OK;
    }
    int p;
    if ((rc = sp_inv_row_check(ctx, f, r, false, &p)))
        return rc;
    if (p != SP_VOCS || !sp_inv_unit_is(r, "mg/L"))
        FAIL("%s:%d: petrol rows are VOCs in mg/L of gasoline sold, not %s in '%s'", f->path,
             r->line, r->pollutant, r->unit);
    int k = sp_inv_class_add(&m->petrol, &m->npetrol, r->cls);
    if (k < 0)
        NOMEM();
    m->petrol[k].v[p] = r->value;
    m->petrol[k].has[p] = true;
fail:
    return rc;
}

/* After every row: the density, and the classes the measures name. */
static sp_status petrol_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    char known[1024];
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind == SP_M_PETROL && sp_inv_class_find(m->petrol, m->npetrol, x->cls) < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown vapour-recovery class '%s' "
                            "(known: %s)", ms->path, x->line, x->cls,
                            sp_inv_class_list(m->petrol, m->npetrol, known, sizeof known));
    }
    if (m->npetrol && !(m->petrol_density > 0))
        return sp_error(ctx, SP_ERR_DATA, "%s: petrol rows need "
                        "'petrol,gasoline,density,VALUE,t/m3,SOURCE'", m->factors->path);
    return SP_OK;
}

void sp_inventory_petrol(const sp_inventory_model *m, const sp_petrol_src *s,
                         double E[SP_NPOL], uint64_t *applied)
{
    *applied = 0;
    int cls = sp_inv_upgrade(m, SP_M_PETROL, s->gasoline_t, m->petrol, m->npetrol, s->cls,
                             SP_VOCS, false, applied);
    double litres = s->gasoline_t / m->petrol_density * 1000;
    for (int p = 0; p < SP_NPOL; p++)
        E[p] = litres * m->petrol[cls].v[p] / 1e9; /* mg -> t */
    sp_inv_finish(m, SP_SEC_PETROL, E, applied);
}

/* "petrol recovery CLASS [min_t X]" (w[0] is "petrol") */
static sp_status petrol_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    m->kind = SP_M_PETROL;
    char *end = NULL;
    if (nw < 3 || strcmp(w[1], "recovery") || (nw != 3 && nw != 5) ||
        (nw == 5 && strcmp(w[3], "min_t")))
        return sp_error(ctx, SP_ERR_DATA, "%s: expected 'petrol recovery CLASS [min_t X]'", where);
    if (nw == 5 && ((m->min = strtod(w[4], &end)), end == w[4] || *end || !(m->min >= 0)))
        return sp_error(ctx, SP_ERR_DATA, "%s: min_t '%s' is not a non-negative number", where,
                        w[4]);
    if (!(m->cls = strdup(w[2])))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return SP_OK;
}
SP_INV_EMIT(sp_inventory_petrol, sp_petrol_src)

/* Petrol stations: gasoline sold (t/yr) and the vapour-recovery class. */
static sp_status prepare_petrol(sp_inv_reader *r)
{
    sp_status rc;
    if (!sp_invr_base(r)->npetrol)
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "the factor table has no petrol rows");
    if ((rc = sp_invr_find_field(r, PET_GASOLINE, true)) || (rc = sp_invr_find_field(r, PET_CLASS, true)))
        return rc;
    return SP_OK;
}

static sp_status read_petrol(sp_inv_reader *r, void *src)
{
    sp_petrol_src *s = src;
    sp_status rc = sp_invr_class_of(r, PET_CLASS, sp_invr_base(r)->petrol, sp_invr_base(r)->npetrol,
                            "vapour-recovery class", &s->cls);
    return rc ? rc : sp_invr_num(r, PET_GASOLINE, &s->gasoline_t);
}

const sp_sector_desc sp_sector_petrol = {
    .name = "petrol", .geom = SP_GEOM_POINT,
    .help = "petrol stations (points): gasoline_t (t sold per year),\n"
            "vr_class (vapour recovery: none, stage1, stage2, stage3)",
    .rows = {"petrol"}, .fields = FIELDS, .nfields = NFIELDS,
    .measure = petrol_measure, .measures = "petrol recovery",
    .row = petrol_row, .end = petrol_end,
    .emit = sp_inventory_petrol_emit, .src_size = sizeof(sp_petrol_src),
    .prepare = prepare_petrol, .read = read_petrol,
};
