/* sp_sector_boiler: the boiler sector (燃气锅炉): gas boilers as points; the gas burnt x the NOx class's
 * g/m3 (the gas from the registry, or capacity x full-load hours x the table's rate); the
 * low-NOx retrofit measure. Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GAS, CAP_MW, BOILER_HOURS, NOX_CLASS, FUEL, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {
    [GAS] = {"boiler.gas", "gas_10k"},          [CAP_MW] = {"boiler.cap_mw", "cap_mw"},
    [BOILER_HOURS] = {"boiler.hours", "full_hours"},
    [NOX_CLASS] = {"boiler.nox_class", "nox_class"}, [FUEL] = {"boiler.fuel", "fuel"},
};

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

/* "boiler retrofit [min_mw X] [to CLASS]" */
static sp_status boiler_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    return sp_inv_parse_upgrade(ctx, w, nw, m, where, SP_M_RETROFIT, "retrofit", "min_mw", "to", "low",
                                "boiler retrofit [min_mw X] [to CLASS]");
}

/* '*' gives the pollutants a class does not name; the retrofit classes are in the table. */
static sp_status boiler_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    sp_inv_apply_star(m->boiler, &m->nboiler);
    char known[1024];
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind == SP_M_RETROFIT && (sp_inv_class_find(m->boiler, m->nboiler, x->cls) < 0 ||
                                         !strcmp(x->cls, "*")))
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown boiler class '%s' (known: %s)",
                            ms->path, x->line, x->cls,
                            sp_inv_class_list(m->boiler, m->nboiler, known, sizeof known));
    }
    return SP_OK;
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
SP_INV_EMIT(sp_inventory_boiler, sp_boiler_src)

static sp_status prepare_boiler(sp_inv_reader *r)
{
    sp_ctx *ctx = sp_invr_ctx(r);
    sp_status rc;
    if (!sp_invr_base(r)->nboiler)
        return sp_error(ctx, SP_ERR_DATA, "the factor table has no boiler rows");
    if ((rc = sp_invr_find_field(r, NOX_CLASS, true)) || (rc = sp_invr_find_field(r, GAS, false)) ||
        (rc = sp_invr_find_field(r, CAP_MW, false)) ||
        (rc = sp_invr_find_field(r, BOILER_HOURS, false)) || (rc = sp_invr_find_field(r, FUEL, false)))
        return rc;
    const sp_measures *ms = sp_invr_measures(r);
    if (!sp_invr_has(r, CAP_MW) && ms)
        for (int i = 0; i < ms->n; i++)
            if (ms->m[i].kind == SP_M_RETROFIT && ms->m[i].min > 0)
                return sp_error(ctx, SP_ERR_DATA, "%s:%d: min_mw needs the boiler capacity, "
                                "but the layer has no field '%s' (-map boiler.cap_mw=FIELD)",
                                ms->path, ms->m[i].line,
                                sp_invr_field_name(r, CAP_MW));
    if (!sp_invr_has(r, GAS) && (!sp_invr_has(r, CAP_MW) || !sp_invr_has(r, BOILER_HOURS)))
        return sp_invr_find_field(r, GAS, true);
    return SP_OK;
}

/* Natural gas is the only fuel the boiler factors cover. */
static const char *const GAS_NAMES[] = {"gas", "natural_gas", "natural gas", "ng", "NG",
                                        "天然气"};




static sp_status read_boiler(sp_inv_reader *r, void *src)
{
    sp_boiler_src *s = src;
    const sp_inventory_model *m = sp_invr_base(r);
    sp_status rc;
    if ((rc = sp_invr_class_of(r, NOX_CLASS, m->boiler, m->nboiler, "NOx class", &s->cls)))
        return rc;
    if (sp_invr_has(r, FUEL)) {
        char fb[256];
        const char *fuel = sp_invr_text(r, FUEL, fb, sizeof fb);
        fuel = fuel ? fuel : "";
        bool gas = false;
        for (size_t i = 0; i < sizeof GAS_NAMES / sizeof *GAS_NAMES; i++)
            gas |= !strcmp(fuel, GAS_NAMES[i]);
        if (!gas)
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld, field '%s': fuel "
                            "'%s' is not covered (the boiler factors are for natural gas: "
                            "gas, natural_gas, ng, 天然气)", sp_invr_layer(r), sp_invr_fid(r),
                            sp_invr_field_name(r, FUEL), fuel);
    }
    s->cap_mw = -1;
    if (sp_invr_has(r, CAP_MW) && (rc = sp_invr_num(r, CAP_MW, &s->cap_mw)))
        return rc;
    if (sp_invr_is_set(r, GAS)) {
        double g;
        if ((rc = sp_invr_num(r, GAS, &g)))
            return rc;
        s->gas_m3 = g * 1e4; /* the field is in 10^4 m3, as Chinese registries give it */
        return SP_OK;
    }
    if (sp_invr_has(r, CAP_MW) && sp_invr_has(r, BOILER_HOURS)) {
        double h;
        if ((rc = sp_invr_num(r, BOILER_HOURS, &h)))
            return rc;
        if (m->boiler_gas_rate <= 0)
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld: no gas use, and "
                            "the factor table has no 'boiler,gas,gas_rate' row to derive it "
                            "from capacity x hours", sp_invr_layer(r), sp_invr_fid(r));
        s->gas_m3 = s->cap_mw * h * m->boiler_gas_rate;
        return SP_OK;
    }
    return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld, field '%s': missing gas "
                    "use (or give capacity and full-load hours: -map boiler.hours=FIELD)",
                    sp_invr_layer(r), sp_invr_fid(r), sp_invr_field_name(r, GAS));
}

const sp_sector_desc sp_sector_boiler = {
    .name = "boiler", .geom = SP_GEOM_POINT,
    .help = "gas boilers (points): gas_10k (10^4 m3/yr) or cap_mw x\n"
            "full-load hours, nox_class, fuel",
    .rows = {"boiler"}, .fields = FIELDS, .nfields = NFIELDS,
    .measure = boiler_measure, .measures = "boiler retrofit",
    .row = boiler_row, .end = boiler_end,
    .emit = sp_inventory_boiler_emit, .src_size = sizeof(sp_boiler_src),
    .prepare = prepare_boiler, .read = read_boiler,
};
