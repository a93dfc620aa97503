/* sp_sector_catering: the catering sector (餐饮油烟): restaurants as points; stove-hours x (the cuisine's
 * cooking-fume factor x (1 - the purifier's removal) + the kitchen gas burnt x its
 * combustion factors); the purifier measure. Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STOVES, CUISINE, HOURS, DAYS, PURIFIER, PUR_CLASS, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {
    [STOVES] = {"catering.stoves", "stoves"},   [CUISINE] = {"catering.cuisine", "cuisine"},
    [HOURS] = {"catering.hours", "hours"},      [DAYS] = {"catering.days", "days"},
    [PURIFIER] = {"catering.purifier", "purifier"},
    [PUR_CLASS] = {"catering.pur_class", "pur_class"},
};

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

/* "catering purifier [min_stoves N] [class CLASS]" */
static sp_status catering_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    return sp_inv_parse_upgrade(ctx, w, nw, m, where, SP_M_PURIFIER, "purifier", "min_stoves", "class", "high",
                                "catering purifier [min_stoves N] [class CLASS]");
}

/* The purifier classes the measures name are in the table. */
static sp_status catering_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    char known[1024];
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind == SP_M_PURIFIER && sp_inv_class_find(m->removal, m->nremoval, x->cls) < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown purifier class '%s' (known: %s)",
                            ms->path, x->line, x->cls,
                            sp_inv_class_list(m->removal, m->nremoval, known, sizeof known));
    }
    return SP_OK;
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
SP_INV_EMIT(sp_inventory_catering, sp_catering_src)

static sp_status prepare_catering(sp_inv_reader *r)
{
    sp_ctx *ctx = sp_invr_ctx(r);
    sp_status rc;
    if (!sp_invr_base(r)->ncuisine)
        return sp_error(ctx, SP_ERR_DATA, "the factor table has no catering rows");
    if ((rc = sp_invr_find_field(r, STOVES, true)) || (rc = sp_invr_find_field(r, CUISINE, true)) ||
        (rc = sp_invr_find_field(r, HOURS, true)) || (rc = sp_invr_find_field(r, DAYS, true)) ||
        (rc = sp_invr_find_field(r, PURIFIER, false)) || (rc = sp_invr_find_field(r, PUR_CLASS, false)))
        return rc;
    if (!sp_invr_has(r, PURIFIER))
        sp_warn(ctx, "catering: no field '%s': every restaurant is taken as having no "
                "purifier", sp_invr_field_name(r, PURIFIER));
    return SP_OK;
}

static sp_status read_catering(sp_inv_reader *r, void *src)
{
    sp_catering_src *s = src;
    const sp_inventory_model *m = sp_invr_base(r);
    sp_status rc;
    if ((rc = sp_invr_num(r, STOVES, &s->stoves)) || (rc = sp_invr_num(r, HOURS, &s->hours)) ||
        (rc = sp_invr_num(r, DAYS, &s->days)) ||
        (rc = sp_invr_class_of(r, CUISINE, m->cuisine, m->ncuisine, "cuisine", &s->cuisine)))
        return rc;
    if (s->hours > 24 || s->days > 366)
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld: %s > 24 h/day or %s "
                        "> 366 days/yr", sp_invr_layer(r), sp_invr_fid(r), sp_invr_field_name(r, HOURS),
                        sp_invr_field_name(r, DAYS));
    s->removal = -1;
    double pur = 0;
    if (sp_invr_has(r, PURIFIER) &&
        (rc = sp_invr_num_or_zero(r, PURIFIER, &pur)))
        return rc;
    if (pur != 0 && pur != 1)
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld, field '%s': %g is "
                        "not 0 (no purifier) or 1", sp_invr_layer(r), sp_invr_fid(r),
                        sp_invr_field_name(r, PURIFIER), pur);
    if (pur == 1) {
        if (!sp_invr_has(r, PUR_CLASS))
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s' has purifiers but no field '%s' "
                            "for their class (-map catering.pur_class=FIELD, or -default "
                            "catering.pur_class=CLASS)",
                            sp_invr_layer(r), sp_invr_field_name(r, PUR_CLASS));
        if ((rc = sp_invr_class_of(r, PUR_CLASS, m->removal, m->nremoval, "purifier class",
                           &s->removal)))
            return rc;
    }
    return SP_OK;
}

const sp_sector_desc sp_sector_catering = {
    .name = "catering", .geom = SP_GEOM_POINT,
    .help = "restaurants (points): stoves, cuisine, hours/day, days/yr,\n"
            "purifier 0/1, pur_class",
    .rows = {"catering"}, .fields = FIELDS, .nfields = NFIELDS,
    .measure = catering_measure, .measures = "catering purifier",
    .row = catering_row, .end = catering_end,
    .emit = sp_inventory_catering_emit, .src_size = sizeof(sp_catering_src),
    .prepare = prepare_catering, .read = read_catering,
};
