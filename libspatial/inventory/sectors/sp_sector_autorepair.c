/* sp_sector_autorepair: VOCs of auto-repair shops' painting (汽修喷涂): the coatings,
 * thinners and cleaning solvents used x their VOC mass fraction x (1 - the net removal of
 * the shop's control class: capture x treatment), and the upgrade measure (the plan: at
 * least 20 shops upgraded, centralised spray centres 集中式钣喷中心). Formulas: docs/methods.md,
 * sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { AR_KG, AR_VOC, AR_CLASS, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {
    [AR_KG] = {"autorepair.coating_kg", "coating_kg"}, [AR_VOC] = {"autorepair.voc", "voc"},
    [AR_CLASS] = {"autorepair.control", "control"},
};

/* autorepair,<class>,VOCs,V,fraction (net removal) or autorepair,coating,voc_content,V,fraction */
static sp_status autorepair_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                                sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    if (!strcmp(r->cls, "coating")) {
        if (strcmp(r->pollutant, "voc_content") || !sp_inv_unit_is(r, "fraction") ||
            !(r->value > 0 && r->value <= 1))
            FAIL("%s:%d: expected 'autorepair,coating,voc_content,VALUE,fraction,SOURCE' "
                 "(0-1]", f->path, r->line);
        m->repair_voc = r->value;
        return SP_OK;
    }
    int p;
    if ((rc = sp_inv_row_check(ctx, f, r, false, &p)))
        return rc;
    if (p != SP_VOCS || !sp_inv_unit_is(r, "fraction") || r->value > 1)
        FAIL("%s:%d: autorepair rows are the VOCs net removal of a control class, a fraction "
             "0-1 (capture x treatment), not %s in '%s'", f->path, r->line, r->pollutant, r->unit);
    int k = sp_inv_class_add(&m->repair, &m->nrepair, r->cls);
    if (k < 0)
        NOMEM();
    m->repair[k].v[p] = r->value;
    m->repair[k].has[p] = true;
fail:
    return rc;
}

/* After every row: the classes the measures name. */
static sp_status autorepair_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    char known[1024];
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind == SP_M_AUTOREPAIR && sp_inv_class_find(m->repair, m->nrepair, x->cls) < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown VOC control class '%s' (known: %s)",
                            ms->path, x->line, x->cls,
                            sp_inv_class_list(m->repair, m->nrepair, known, sizeof known));
    }
    return SP_OK;
}

void sp_inventory_autorepair(const sp_inventory_model *m, const sp_autorepair_src *s,
                             double E[SP_NPOL], uint64_t *applied)
{
    *applied = 0;
    int cls = sp_inv_upgrade(m, SP_M_AUTOREPAIR, s->coating_kg, m->repair, m->nrepair, s->cls,
                             SP_VOCS, true, applied);
    for (int p = 0; p < SP_NPOL; p++)
        E[p] = 0;
    E[SP_VOCS] = s->coating_kg * s->voc * (1 - m->repair[cls].v[SP_VOCS]) / 1000;
    sp_inv_finish(m, SP_SEC_AUTOREPAIR, E, applied);
}

/* "autorepair upgrade CLASS [min_kg X]" (w[0] is "autorepair") */
static sp_status autorepair_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m,
                                    const char *where)
{
    m->kind = SP_M_AUTOREPAIR;
    char *end = NULL;
    if (nw < 3 || strcmp(w[1], "upgrade") || (nw != 3 && nw != 5) ||
        (nw == 5 && strcmp(w[3], "min_kg")))
        return sp_error(ctx, SP_ERR_DATA, "%s: expected 'autorepair upgrade CLASS [min_kg X]'",
                        where);
    if (nw == 5 && ((m->min = strtod(w[4], &end)), end == w[4] || *end || !(m->min >= 0)))
        return sp_error(ctx, SP_ERR_DATA, "%s: min_kg '%s' is not a non-negative number", where,
                        w[4]);
    if (!(m->cls = strdup(w[2])))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return SP_OK;
}
SP_INV_EMIT(sp_inventory_autorepair, sp_autorepair_src)

/* Auto-repair shops: coatings used (kg/yr), the control class, and the VOC fraction from a
 * field or the table's default. */
static sp_status prepare_autorepair(sp_inv_reader *r)
{
    sp_status rc;
    if (!sp_invr_base(r)->nrepair)
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "the factor table has no autorepair rows");
    if ((rc = sp_invr_find_field(r, AR_KG, true)) ||
        (rc = sp_invr_find_field(r, AR_CLASS, true)) ||
        (rc = sp_invr_find_field(r, AR_VOC, false)))
        return rc;
    if (!sp_invr_has(r, AR_VOC) && !(sp_invr_base(r)->repair_voc > 0))
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "autorepair: no field '%s' and no "
                        "'autorepair,coating,voc_content' row in the factor table",
                        sp_invr_field_name(r, AR_VOC));
    return SP_OK;
}

static sp_status read_autorepair(sp_inv_reader *r, void *src)
{
    sp_autorepair_src *s = src;
    sp_status rc;
    if ((rc = sp_invr_class_of(r, AR_CLASS, sp_invr_base(r)->repair, sp_invr_base(r)->nrepair,
                               "VOC control class", &s->cls)) ||
        (rc = sp_invr_num(r, AR_KG, &s->coating_kg)))
        return rc;
    return sp_invr_fraction(r, AR_VOC, sp_invr_base(r)->repair_voc, "VOC fraction",
                            &s->voc);
}

const sp_sector_desc sp_sector_autorepair = {
    .name = "autorepair", .geom = SP_GEOM_POINT,
    .help = "auto-repair shops (points): coating_kg (paints, thinners,\n"
            "solvents per year), voc (mass fraction), control (class)",
    .rows = {"autorepair"}, .fields = FIELDS, .nfields = NFIELDS,
    .measure = autorepair_measure, .measures = "autorepair upgrade",
    .row = autorepair_row, .end = autorepair_end,
    .emit = sp_inventory_autorepair_emit, .src_size = sizeof(sp_autorepair_src),
    .prepare = prepare_autorepair, .read = read_autorepair,
};
