/* sp_sector_area: the area sector (扬尘): construction sites and other area sources as polygons; by
 * the class's unit, t per m2-month x months, t per m2-yr, or t per source-yr.
 * Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { AREA_CLASS, MONTHS, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {
    [AREA_CLASS] = {"area.class", "stage"}, [MONTHS] = {"area.months", "months"},
};

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

static sp_status area_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    (void)ctx, (void)ms;
    sp_inv_apply_star(m->area, &m->narea);
    return SP_OK;
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
SP_INV_EMIT(sp_inventory_area, sp_area_src)

static sp_status prepare_area(sp_inv_reader *r)
{
    sp_status rc;
    if (!sp_invr_base(r)->narea)
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "the factor table has no area rows");
    if ((rc = sp_invr_find_field(r, AREA_CLASS, false)) || (rc = sp_invr_find_field(r, MONTHS, false)))
        return rc;
    return SP_OK;
}

static sp_status read_area(sp_inv_reader *r, void *src)
{
    sp_area_src *s = src;
    const sp_inventory_model *m = sp_invr_base(r);
    sp_status rc;
    if ((rc = sp_invr_size(r, &s->area_m2)))
        return rc;
    if (sp_invr_has(r, AREA_CLASS)) {
        if ((rc = sp_invr_class_of(r, AREA_CLASS, m->area, m->narea, "area class", &s->cls)))
            return rc;
    } else if ((s->cls = sp_inv_class_find(m->area, m->narea, "*")) < 0) {
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s' has no class field '%s' and the "
                        "factor table has no 'area,*' rows", sp_invr_layer(r),
                        sp_invr_field_name(r, AREA_CLASS));
    }
    s->months = 12;
    bool per_month = false;
    for (int p = 0; p < SP_NPOL; p++)
        per_month |= m->area[s->cls].unit[p] == SP_AREA_PER_M2_MONTH;
    if (per_month) {
        if (!sp_invr_has(r, MONTHS))
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s': the area factors are per month "
                            "but there is no field '%s' (-map area.months=FIELD)",
                            sp_invr_layer(r), sp_invr_field_name(r, MONTHS));
        if ((rc = sp_invr_num(r, MONTHS, &s->months)))
            return rc;
        if (s->months > 12)
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld, field '%s': %g "
                            "months in a year", sp_invr_layer(r), sp_invr_fid(r),
                            sp_invr_field_name(r, MONTHS), s->months);
    }
    return SP_OK;
}

const sp_sector_desc sp_sector_area = {
    .name = "area", .geom = SP_GEOM_POLYGON,
    .help = "area sources (polygons): class (stage) and months active",
    .rows = {"area"}, .fields = FIELDS, .nfields = NFIELDS,
    .row = area_row, .end = area_end,
    .emit = sp_inventory_area_emit, .src_size = sizeof(sp_area_src),
    .prepare = prepare_area, .read = read_area,
};
