/* sp_sector_facility: key energy-using units (重点用能单位): annual energy use by
 * carrier -> scope-1 emissions of the fuels burnt on site and scope-2 CO2 of purchased
 * electricity and heat (CO2_scope2), with the facility measures (efficiency, fuel
 * switch, electrification by heat pumps, on-site PV). Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { FAC_GAS, FAC_ELEC, FAC_HEAT, FAC_DIESEL, FAC_COAL, FAC_LPG, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {
    [FAC_GAS] = {"facility.gas", "gas_m3"},       [FAC_ELEC] = {"facility.electricity", "elec_kwh"},
    [FAC_HEAT] = {"facility.heat", "heat_gj"},    [FAC_DIESEL] = {"facility.diesel", "diesel_t"},
    [FAC_COAL] = {"facility.coal", "coal_t"},     [FAC_LPG] = {"facility.lpg", "lpg_t"},
};

const char *const SP_CARRIER_NAME[SP_NCARRIER] = {"gas", "electricity", "heat",
                                                  "diesel", "coal", "lpg"};
const char *const SP_CARRIER_UNIT[SP_NCARRIER] = {"m3", "kWh", "GJ", "t", "t", "t"};
/* the factor table's unit of each carrier's factors (per kg for the fuels in tonnes) */
static const char *const FACTOR_UNIT[SP_NCARRIER] = {"g/m3", "g/kWh", "g/GJ",
                                                     "g/kg", "g/kg", "g/kg"};
static const char *const NCV_UNIT[SP_NCARRIER] = {"GJ/m3", "GJ/kWh", "GJ/GJ",
                                                  "GJ/t", "GJ/t", "GJ/t"};

int sp_carrier_index(const char *name)
{
    for (int c = 0; c < SP_NCARRIER; c++)
        if (!strcasecmp(name, SP_CARRIER_NAME[c]))
            return c;
    return -1;
}

static const char *carrier_list(void)
{
    return "gas, electricity, heat, diesel, coal, lpg";
}

/* facility,CARRIER,POLLUTANT,VALUE,g/UNIT or facility,CARRIER,ncv,VALUE,GJ/UNIT */
static sp_status facility_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                              sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    int c = sp_carrier_index(r->cls);
    if (c < 0)
        FAIL("%s:%d: unknown carrier '%s' (known: %s)", f->path, r->line, r->cls, carrier_list());
    m->fac_rows = true;
    if (!strcmp(r->pollutant, "ncv")) {
        if (!sp_inv_unit_is(r, NCV_UNIT[c]) || !(r->value > 0))
            FAIL("%s:%d: the ncv of %s is a positive number in %s", f->path, r->line,
                 SP_CARRIER_NAME[c], NCV_UNIT[c]);
        if (c == SP_CARRIER_ELEC || c == SP_CARRIER_HEAT)
            FAIL("%s:%d: the energy of %s is fixed (0.0036 GJ/kWh, 1 GJ/GJ): no ncv row",
                 f->path, r->line, SP_CARRIER_NAME[c]);
        m->ncv[c] = r->value;
        return SP_OK;
    }
    int p;
    if ((rc = sp_inv_row_check(ctx, f, r, false, &p)))
        return rc;
    if (!sp_inv_unit_is(r, FACTOR_UNIT[c]))
        FAIL("%s:%d: %s factors are in %s, not '%s'", f->path, r->line, SP_CARRIER_NAME[c],
             FACTOR_UNIT[c], r->unit);
    bool bought = c == SP_CARRIER_ELEC || c == SP_CARRIER_HEAT;
    if (bought && p != SP_CO2_S2)
        FAIL("%s:%d: purchased %s has only CO2_scope2 rows (its pollutants are emitted at "
             "the plant, outside the district's sources)", f->path, r->line, SP_CARRIER_NAME[c]);
    if (!bought && p == SP_CO2_S2)
        FAIL("%s:%d: %s burnt on site gives scope-1 CO2: write the row as CO2", f->path,
             r->line, SP_CARRIER_NAME[c]);
    m->fac[c][p] = r->value * (SP_CARRIER_UNIT[c][0] == 't' ? 1000 : 1); /* g/kg -> g/t */
fail:
    return rc;
}

/* After every row: the fixed energy contents, and the carriers the measures convert
 * must have one. */
static sp_status facility_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    m->ncv[SP_CARRIER_ELEC] = 0.0036;
    m->ncv[SP_CARRIER_HEAT] = 1;
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind != SP_M_FACILITY || (x->op != SP_FAC_SWITCH && x->op != SP_FAC_ELECTRIFY))
            continue;
        int need[2] = {x->from, x->op == SP_FAC_SWITCH ? x->to : SP_CARRIER_ELEC};
        for (int k = 0; k < 2; k++)
            if (!(m->ncv[need[k]] > 0))
                return sp_error(ctx, SP_ERR_DATA, "%s:%d: converting %s needs its energy "
                                "content: add 'facility,%s,ncv,VALUE,%s,SOURCE' to the factor "
                                "table", ms->path, x->line, SP_CARRIER_NAME[need[k]],
                                SP_CARRIER_NAME[need[k]], NCV_UNIT[need[k]]);
    }
    return SP_OK;
}

void sp_inventory_facility_use(const sp_inventory_model *m, const sp_facility_src *s,
                               double use[SP_NCARRIER], uint64_t *applied)
{
    *applied = 0;
    memcpy(use, s->use, sizeof s->use);
    for (int i = 0; m->measures && i < m->measures->n; i++) {
        const sp_measure *x = &m->measures->m[i];
        if (x->kind != SP_M_FACILITY)
            continue;
        bool changed = false;
        switch (x->op) {
        case SP_FAC_EFFICIENCY:
            for (int c = 0; c < SP_NCARRIER; c++) {
                changed |= use[c] > 0 && x->percent > 0;
                use[c] *= 1 - x->percent / 100;
            }
            break;
        case SP_FAC_SWITCH: /* the same energy from another carrier */
            if (use[x->from] > 0 && x->from != x->to) {
                use[x->to] += use[x->from] * m->ncv[x->from] / m->ncv[x->to];
                use[x->from] = 0;
                changed = true;
            }
            break;
        case SP_FAC_ELECTRIFY: /* the useful heat from heat pumps */
            if (use[x->from] > 0) {
                double heat_gj = use[x->from] * m->ncv[x->from] * x->eff;
                use[SP_CARRIER_ELEC] += heat_gj / m->ncv[SP_CARRIER_ELEC] / x->cop;
                use[x->from] = 0;
                changed = true;
            }
            break;
        case SP_FAC_PV:
            changed = use[SP_CARRIER_ELEC] > 0 && x->share > 0;
            use[SP_CARRIER_ELEC] *= 1 - x->share;
            break;
        }
        if (changed)
            *applied |= (uint64_t)1 << i;
    }
}

void sp_inventory_facility(const sp_inventory_model *m, const sp_facility_src *s,
                           double E[SP_NPOL], uint64_t *applied)
{
    double use[SP_NCARRIER];
    sp_inventory_facility_use(m, s, use, applied);
    for (int p = 0; p < SP_NPOL; p++) {
        double g = 0;
        for (int c = 0; c < SP_NCARRIER; c++)
            g += use[c] * m->fac[c][p];
        E[p] = g / 1e6;
    }
    sp_inv_finish(m, SP_SEC_FACILITY, E, applied);
}

/* Parses "facility efficiency|switch|electrify|pv ..." (w[0] is "facility"). */
static sp_status facility_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m,
                                  const char *where)
{
    m->kind = SP_M_FACILITY;
    const char *op = nw > 1 ? w[1] : "";
    char *end;
    if (!strcmp(op, "efficiency") && nw == 3) {
        m->op = SP_FAC_EFFICIENCY;
        m->percent = strtod(w[2], &end);
        if (end == w[2] || (*end && strcmp(end, "%")) || !(m->percent >= 0 && m->percent <= 100))
            return sp_error(ctx, SP_ERR_DATA, "%s: percent '%s' must be between 0 and 100",
                            where, w[2]);
        return SP_OK;
    }
    if (!strcmp(op, "pv") && nw == 3) {
        m->op = SP_FAC_PV;
        if (!sp_inv_parse_share(w[2], &m->share))
            return sp_error(ctx, SP_ERR_DATA, "%s: share '%s' must be between 0 and 1 (or 0%% "
                            "and 100%%)", where, w[2]);
        return SP_OK;
    }
    bool sw = !strcmp(op, "switch") && nw == 4;
    bool el = !strcmp(op, "electrify") && (nw == 4 || (nw == 6 && !strcmp(w[4], "efficiency")));
    if (!sw && !el)
        return sp_error(ctx, SP_ERR_DATA, "%s: expected 'facility efficiency PERCENT', 'facility "
                        "switch FROM TO', 'facility electrify FROM COP [efficiency E]' or "
                        "'facility pv SHARE'", where);
    m->op = sw ? SP_FAC_SWITCH : SP_FAC_ELECTRIFY;
    m->from = sp_carrier_index(w[2]);
    m->to = sw ? sp_carrier_index(w[3]) : SP_CARRIER_ELEC;
    if (m->from < 0 || m->to < 0)
        return sp_error(ctx, SP_ERR_DATA, "%s: unknown carrier '%s' (known: %s)", where,
                        m->from < 0 ? w[2] : w[3], carrier_list());
    if (el) {
        m->cop = strtod(w[3], &end);
        if (end == w[3] || *end || !(m->cop > 0 && m->cop < 20))
            return sp_error(ctx, SP_ERR_DATA, "%s: COP '%s' must be a number above 0 (heat "
                            "pumps: 2-5)", where, w[3]);
        m->eff = 0.9;
        if (nw == 6 && (!(m->eff = strtod(w[5], &end)) || *end || !(m->eff > 0 && m->eff <= 1)))
            return sp_error(ctx, SP_ERR_DATA, "%s: efficiency '%s' must be in (0, 1]", where,
                            w[5]);
        if (m->from == SP_CARRIER_ELEC)
            return sp_error(ctx, SP_ERR_DATA, "%s: electricity is already electric", where);
    }
    return SP_OK;
}
SP_INV_EMIT(sp_inventory_facility, sp_facility_src)

/* Key energy-using units: every carrier field is optional (absent or null: 0), but a
 * layer needs one of them. */
static sp_status prepare_facility(sp_inv_reader *r)
{
    sp_status rc;
    if (!sp_invr_base(r)->fac_rows)
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "the factor table has no facility rows");
    bool any = false;
    for (int c = 0; c < SP_NCARRIER; c++) {
        if ((rc = sp_invr_find_field(r, FAC_GAS + c, false)))
            return rc;
        any |= sp_invr_has(r, FAC_GAS + c);
    }
    if (!any)
        return sp_error(sp_invr_ctx(r), SP_ERR_USAGE, "facility: no energy-use field (gas_m3, "
                        "elec_kwh, heat_gj, diesel_t, coal_t, lpg_t; or -map "
                        "facility.gas=FIELD ...)");
    return SP_OK;
}

static sp_status read_facility(sp_inv_reader *r, void *src)
{
    sp_facility_src *s = src;
    sp_status rc;
    for (int c = 0; c < SP_NCARRIER; c++) {
        int k = FAC_GAS + c;
        s->use[c] = 0;
        if (sp_invr_is_set(r, k) && (rc = sp_invr_num(r, k, &s->use[c])))
            return rc;
    }
    return SP_OK;
}

const sp_sector_desc sp_sector_facility = {
    .name = "facility", .geom = SP_GEOM_POINT,
    .help = "key energy-using units (points): annual use of gas_m3,\n"
            "elec_kwh, heat_gj, diesel_t, coal_t, lpg_t (absent: 0)",
    .rows = {"facility"}, .fields = FIELDS, .nfields = NFIELDS,
    .measure = facility_measure, .measures = "facility",
    .row = facility_row, .end = facility_end,
    .emit = sp_inventory_facility_emit, .src_size = sizeof(sp_facility_src),
    .prepare = prepare_facility, .read = read_facility,
};
