/* sp_inventory_readers: the activity readers of the facility, petrol and nonroad sectors
 * (the older sectors' readers live in sp_inventory_run.c). */
#include "inventory/sp_inventory_run_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Key energy-using units: every carrier field is optional (absent or null: 0), but a
 * layer needs one of them. */
sp_status sp_invr_prepare_facility(sector_run *r)
{
    sp_status rc;
    if (!r->base->fac_rows)
        return sp_error(r->ctx, SP_ERR_DATA, "the factor table has no facility rows");
    bool any = false;
    for (int c = 0; c < SP_NCARRIER; c++) {
        if ((rc = sp_invr_find_field(r, SP_F_FAC_GAS + c, false)))
            return rc;
        any |= sp_invr_has(r, SP_F_FAC_GAS + c);
    }
    if (!any)
        return sp_error(r->ctx, SP_ERR_USAGE, "facility: no energy-use field (gas_m3, "
                        "elec_kwh, heat_gj, diesel_t, coal_t, lpg_t; or -map "
                        "facility.gas=FIELD ...)");
    return SP_OK;
}

sp_status sp_invr_read_facility(sector_run *r, const sp_feature *f, void *src)
{
    sp_facility_src *s = src;
    sp_status rc;
    for (int c = 0; c < SP_NCARRIER; c++) {
        int k = SP_F_FAC_GAS + c;
        s->use[c] = 0;
        bool set = r->idx[k] >= 0 ? OGR_F_IsFieldSetAndNotNull(f->feat, r->idx[k])
                                  : r->o->defaults[k] != NULL;
        if (set && (rc = sp_invr_num(r, f, k, &s->use[c])))
            return rc;
    }
    return SP_OK;
}

/* Petrol stations: gasoline sold (t/yr) and the vapour-recovery class. */
sp_status sp_invr_prepare_petrol(sector_run *r)
{
    sp_status rc;
    if (!r->base->npetrol)
        return sp_error(r->ctx, SP_ERR_DATA, "the factor table has no petrol rows");
    if ((rc = sp_invr_find_field(r, SP_F_PET_GASOLINE, true)) || (rc = sp_invr_find_field(r, SP_F_PET_CLASS, true)))
        return rc;
    return SP_OK;
}

sp_status sp_invr_read_petrol(sector_run *r, const sp_feature *f, void *src)
{
    sp_petrol_src *s = src;
    sp_status rc = sp_invr_class_of(r, f, SP_F_PET_CLASS, r->base->petrol, r->base->npetrol,
                            "vapour-recovery class", &s->cls);
    return rc ? rc : sp_invr_num(r, f, SP_F_PET_GASOLINE, &s->gasoline_t);
}

/* Non-road machinery: kW, hours, stage; the load factor from a field or the table. */
sp_status sp_invr_prepare_nonroad(sector_run *r)
{
    sp_status rc;
    if (!r->base->nnonroad)
        return sp_error(r->ctx, SP_ERR_DATA, "the factor table has no nonroad rows");
    if ((rc = sp_invr_find_field(r, SP_F_NR_KW, true)) || (rc = sp_invr_find_field(r, SP_F_NR_HOURS, true)) ||
        (rc = sp_invr_find_field(r, SP_F_NR_STAGE, true)) || (rc = sp_invr_find_field(r, SP_F_NR_LOAD, false)))
        return rc;
    if (r->idx[SP_F_NR_LOAD] < 0 && !r->o->defaults[SP_F_NR_LOAD] && !(r->base->nonroad_load > 0))
        return sp_error(r->ctx, SP_ERR_DATA, "nonroad: no field '%s' and no "
                        "'nonroad,load,factor' row in the factor table",
                        r->o->field[SP_F_NR_LOAD]);
    return SP_OK;
}

sp_status sp_invr_read_nonroad(sector_run *r, const sp_feature *f, void *src)
{
    sp_nonroad_src *s = src;
    sp_status rc;
    if ((rc = sp_invr_class_of(r, f, SP_F_NR_STAGE, r->base->nonroad, r->base->nnonroad,
                       "machinery stage", &s->cls)) ||
        (rc = sp_invr_num(r, f, SP_F_NR_KW, &s->kw)) || (rc = sp_invr_num(r, f, SP_F_NR_HOURS, &s->hours)))
        return rc;
    return sp_invr_fraction(r, f, SP_F_NR_LOAD, r->base->nonroad_load, "load factor",
                            &s->load);
}

/* Auto-repair shops: coatings used (kg/yr), the control class, and the VOC fraction from a
 * field or the table's default. */
sp_status sp_invr_prepare_autorepair(sector_run *r)
{
    sp_status rc;
    if (!r->base->nrepair)
        return sp_error(r->ctx, SP_ERR_DATA, "the factor table has no autorepair rows");
    if ((rc = sp_invr_find_field(r, SP_F_AR_KG, true)) ||
        (rc = sp_invr_find_field(r, SP_F_AR_CLASS, true)) ||
        (rc = sp_invr_find_field(r, SP_F_AR_VOC, false)))
        return rc;
    if (r->idx[SP_F_AR_VOC] < 0 && !r->o->defaults[SP_F_AR_VOC] && !(r->base->repair_voc > 0))
        return sp_error(r->ctx, SP_ERR_DATA, "autorepair: no field '%s' and no "
                        "'autorepair,coating,voc_content' row in the factor table",
                        r->o->field[SP_F_AR_VOC]);
    return SP_OK;
}

sp_status sp_invr_read_autorepair(sector_run *r, const sp_feature *f, void *src)
{
    sp_autorepair_src *s = src;
    sp_status rc;
    if ((rc = sp_invr_class_of(r, f, SP_F_AR_CLASS, r->base->repair, r->base->nrepair,
                               "VOC control class", &s->cls)) ||
        (rc = sp_invr_num(r, f, SP_F_AR_KG, &s->coating_kg)))
        return rc;
    return sp_invr_fraction(r, f, SP_F_AR_VOC, r->base->repair_voc, "VOC fraction",
                            &s->voc);
}
