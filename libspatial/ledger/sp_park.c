/* sp_park: the park file and the IPCC 2006 vol. 5 computations (see sp_park.h). */
#include "ledger/sp_park.h"
#include "ledger/sp_ledger_impl.h"
#include "core/sp_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAXTOK 24

void sp_park_free(sp_park *p)
{
    if (!p)
        return;
    free(p->name);
    free(p);
}

static bool num(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && !*end && isfinite(*v);
}

/* "KEY VALUE" pairs after the positional values: each key of keys[] fills vals[]. */
static bool pairs(char **tok, int n, const char *const *keys, double **vals)
{
    if (n % 2)
        return false;
    for (int i = 0; i < n; i += 2) {
        int k = 0;
        while (keys[k] && strcmp(keys[k], tok[i]))
            k++;
        if (!keys[k] || !num(tok[i + 1], vals[k]))
            return false;
    }
    return true;
}

static bool in01(double v) { return v >= 0 && v <= 1; }

/* No park handles a billion tonnes a year (all of China's municipal waste is ~0.25 Gt):
 * beyond that a figure is a typo, and would print a percentage hundreds of digits long. */
#define TONNES_MAX 1e9
#define TONNES_WHY "tonnes are 0 to 10^9 a year"

/* The directives with several values (fraction, stack, digested, biogas, landfill,
 * leachate, exported); *usage "" for an unknown one. */
static bool compound(sp_park *p, char **t, int n, const char **usage, const char **range)
{
    const char *k = t[0];
    double v = 0;
    if (!strcmp(k, "fraction")) {
        sp_park_fraction *f = &p->frac[p->nfrac];
        double *vals[] = {&f->dm, &f->cf, &f->fcf};
        static const char *const keys[] = {"dm", "cf", "fcf", NULL};
        if (n != 9 || !num(t[2], &f->share) || !pairs(t + 3, 6, keys, vals))
            return *usage = "fraction NAME SHARE dm DM cf CF fcf FCF", false;
        if (p->nfrac == SP_PARK_MAX_FRACTIONS)
            return *range = "too many fractions (16 at most)", false;
        if (!in01(f->share) || !in01(f->dm) || !in01(f->cf) || !in01(f->fcf))
            return *range = "share, dm, cf and fcf are fractions 0-1", false;
        snprintf(f->name, sizeof f->name, "%s", t[1]);
        p->nfrac++;
        return true;
    }
    if (!strcmp(k, "stack")) {
        int pol = n == 3 ? sp_pollutant_index(t[1]) : -1;
        if (pol < 0 || !num(t[2], &v))
            return *usage = "stack NOx|SO2|PM2.5|PM10|CO MG_PER_NM3", false;
        if (v < 0)
            return *range = "a concentration cannot be negative", false;
        p->stack[pol] = v;
        return true;
    }
    if (!strcmp(k, "composted")) {
        static const char *const keys[] = {"ch4", "n2o", NULL};
        double *vals[] = {&p->comp_ch4, &p->comp_n2o};
        if (n < 2 || !num(t[1], &p->composted) || !pairs(t + 2, n - 2, keys, vals))
            return *usage = "composted TONNES [ch4 G_PER_KG] [n2o G_PER_KG]", false;
        return p->composted >= 0 && p->composted <= TONNES_MAX && p->comp_ch4 >= 0 &&
                       p->comp_n2o >= 0
                   ? true : (*range = "tonnes 0 to 10^9 a year; g/kg >= 0", false);
    }
    if (!strcmp(k, "digested")) {
        static const char *const keys[] = {"ch4", NULL};
        double *vals[] = {&p->dig_ch4};
        if (n != 4 || !num(t[1], &p->digested) || !pairs(t + 2, 2, keys, vals))
            return *usage = "digested TONNES ch4 G_PER_KG", false;
        return p->digested >= 0 && p->digested <= TONNES_MAX && p->dig_ch4 >= 0
                   ? true : (*range = "tonnes 0 to 10^9, ch4 not negative", false);
    }
    if (!strcmp(k, "biogas")) {
        static const char *const keys[] = {"ch4", "destroyed", NULL};
        double *vals[] = {&p->biogas_ch4, &p->biogas_de};
        if (n != 6 || !num(t[1], &p->biogas_m3) || !pairs(t + 2, 4, keys, vals))
            return *usage = "biogas M3 ch4 SHARE destroyed FRACTION", false;
        return p->biogas_m3 >= 0 && in01(p->biogas_ch4) && in01(p->biogas_de)
                   ? true : (*range = "m3 >= 0, shares 0-1", false);
    }
    if (!strcmp(k, "landfill")) {
        if (p->ndep == SP_PARK_MAX_DEPOSITS)
            return *range = "too many landfill lines (64 at most)", false;
        sp_park_deposit *d = &p->dep[p->ndep];
        *d = (sp_park_deposit){.docf = 0.5, .mcf = 1, .f = 0.5, .ox = 0};
        double y;
        static const char *const keys[] = {"doc", "k", "docf", "mcf", "f", "ox", NULL};
        double *vals[] = {&d->doc, &d->k, &d->docf, &d->mcf, &d->f, &d->ox};
        d->doc = d->k = -1;
        if (n < 7 || !num(t[1], &y) || y != floor(y) || !num(t[2], &d->t) ||
            !pairs(t + 3, n - 3, keys, vals) || d->doc < 0 || d->k < 0)
            return *usage = "landfill YEAR TONNES doc DOC k K [docf 0.5] [mcf 1] [f 0.5] [ox 0]",
                   false;
        d->year = (int)y;
        if (d->t < 0 || !in01(d->doc) || !in01(d->docf) || !in01(d->mcf) || !in01(d->f) ||
            !in01(d->ox) || d->k > 1)
            return *range = "tonnes >= 0; doc, docf, mcf, f, ox 0-1; k 0-1 per year", false;
        p->ndep++;
        return true;
    }
    if (!strcmp(k, "leachate")) {
        static const char *const keys[] = {"b0", "mcf", NULL};
        double *vals[] = {&p->leachate_b0, &p->leachate_mcf};
        if (n < 2 || !num(t[1], &p->leachate_cod) || !pairs(t + 2, n - 2, keys, vals))
            return *usage = "leachate COD_TONNES [b0 0.25] [mcf 0.8]", false;
        return p->leachate_cod >= 0 && in01(p->leachate_b0) && in01(p->leachate_mcf)
                   ? true : (*range = "COD >= 0; b0 and mcf 0-1", false);
    }
    if (!strcmp(k, "exported")) {
        static const char *const keys[] = {"grid", NULL};
        double *vals[] = {&p->grid_kg_kwh};
        if (n != 4 || !num(t[1], &p->exported_mwh) || !pairs(t + 2, 2, keys, vals))
            return *usage = "exported MWH grid KG_PER_KWH", false;
        return p->exported_mwh >= 0 && p->grid_kg_kwh >= 0 && p->grid_kg_kwh < 2
                   ? true : (*range = "MWh >= 0, grid factor 0-2 kg/kWh", false);
    }
    return *usage = "", false;
}

/* One directive; false with *usage set when its form is wrong, or *range when a value
 * is out of its range. */
static bool directive(sp_park *p, char **t, int n, const char **usage, const char **range)
{
    const char *k = t[0];
    double v = 0;
    bool one = n == 2 && num(t[1], &v);
    *usage = NULL;
    *range = NULL;
#define SIMPLE(key, field, ok, form, why)                                              \
    if (!strcmp(k, key)) {                                                             \
        if (!one)                                                                      \
            return *usage = form, false;                                               \
        if (!(ok))                                                                     \
            return *range = why, false;                                                \
        p->field = v;                                                                  \
        return true;                                                                   \
    }
    SIMPLE("received", received, v >= 0 && v <= TONNES_MAX, "received TONNES", TONNES_WHY)
    SIMPLE("incinerated", incinerated, v >= 0 && v <= TONNES_MAX, "incinerated TONNES", TONNES_WHY)
    SIMPLE("capacity", capacity_gwh, v >= 0 && v <= 1e6, "capacity GWH", "0 to 10^6 GWh a year")
    SIMPLE("landfilled", landfilled, v >= 0 && v <= TONNES_MAX, "landfilled TONNES", TONNES_WHY)
    SIMPLE("stock_drawn", stock_drawn, v >= 0 && v <= TONNES_MAX, "stock_drawn TONNES", TONNES_WHY)
    SIMPLE("oxidation", oxidation, in01(v), "oxidation FRACTION", "a fraction is 0-1")
    SIMPLE("incineration_ch4", inc_ch4, v >= 0, "incineration_ch4 G_PER_T", "cannot be negative")
    SIMPLE("incineration_n2o", inc_n2o, v >= 0, "incineration_n2o G_PER_T", "cannot be negative")
    SIMPLE("flue_gas", flue_gas, v >= 0, "flue_gas NM3_PER_T", "cannot be negative")
    SIMPLE("landfill_recovered", landfill_recovered, in01(v), "landfill_recovered FRACTION",
           "a fraction is 0-1")
#undef SIMPLE
    if (!strcmp(k, "year")) {
        if (!one || v != floor(v) || v < 1900 || v > 2200)
            return *usage = "year YYYY", false;
        p->year = (int)v;
        return true;
    }
    if (!strcmp(k, "name")) {
        if (n != 2)
            return *usage = "name TEXT (in quotes if it has spaces)", false;
        free(p->name);
        if (!(p->name = strdup(t[1])))
            return *range = "out of memory", false;
        return true;
    }
    if (!strcmp(k, "grid_basis")) {
        if (n != 2)
            return *usage = "grid_basis TEXT (in quotes if it has spaces)", false;
        snprintf(p->grid_basis, sizeof p->grid_basis, "%s", t[1]);
        return true;
    }
    if (!strcmp(k, "biogas_slip")) {
        if (n != 2 || (strcmp(t[1], "adds") && strcmp(t[1], "included")))
            return *usage = "biogas_slip adds|included", false;
        p->slip_included = !strcmp(t[1], "included");
        return true;
    }
    if (!strcmp(k, "gwp")) {
        if (n != 2 || (strcasecmp(t[1], "AR5") && strcasecmp(t[1], "AR6") &&
                       strcasecmp(t[1], "SAR")))
            return *usage = "gwp AR6|AR5|SAR", false;
        p->gwp = !strcasecmp(t[1], "AR6") ? SP_GWP_AR6 : !strcasecmp(t[1], "AR5") ? SP_GWP_AR5
                                                                                   : SP_GWP_SAR;
        return true;
    }
    return compound(p, t, n, usage, range);
}

/* A park file being parsed: the park, and the directives given so far (each once: a
 * fraction, a stack pollutant and a landfill year once each). */
typedef struct {
    sp_park *p;
    sp_ledger_once once;
} park_parse;

/* One line of a park file (sp_text_directives' callback). */
static bool park_line(void *user, char **tok, int n, char *err, size_t size)
{
    park_parse *pp = user;
    const char *usage, *range;
    bool keyed = !strcmp(tok[0], "fraction") || !strcmp(tok[0], "stack") ||
                 !strcmp(tok[0], "landfill");
    if (!sp_ledger_once_add(&pp->once, tok[0], keyed && n > 1 ? tok[1] : NULL, err, size))
        return false;
    if (directive(pp->p, tok, n, &usage, &range))
        return true;
    if (!usage)
        snprintf(err, size, "%s", range);
    else if (*usage)
        snprintf(err, size, "expected '%s'", usage);
    else
        snprintf(err, size, "unknown directive '%s' (known: name, year, gwp, received, "
                 "incinerated, composted, landfilled, stock_drawn, capacity, grid_basis, biogas_slip, fraction, oxidation, incineration_ch4, incineration_n2o, flue_gas, "
                 "stack, digested, biogas, landfill, landfill_recovered, leachate, exported)",
                 tok[0]);
    return false;
}

sp_status sp_park_parse(sp_ctx *ctx, const char *text, const char *name, sp_park **out)
{
    *out = NULL;
    sp_park *p = calloc(1, sizeof *p);
    if (!p)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    p->oxidation = 1;
    p->gwp = SP_GWP_AR5; /* when no 'gwp' line says (as before AR6 was offered) */
    p->capacity_gwh = NAN;
    p->leachate_b0 = 0.25;
    p->leachate_mcf = 0.8;
    park_parse *pp = calloc(1, sizeof *pp);
    if (!pp) {
        free(p);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    pp->p = p;
    sp_status rc = sp_text_directives(ctx, text, name, MAXTOK, park_line, pp);
    sp_ledger_once_free(&pp->once);
    free(pp);
    double sum = 0;
    for (int i = 0; i < p->nfrac; i++)
        sum += p->frac[i].share;
    if (!rc && !p->year)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: no 'year YYYY' line", name);
    if (!rc && p->nfrac && fabs(sum - 1) > 0.01)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: the waste fractions' shares sum to %.4g, not 1",
                      name, sum);
    if (!rc && p->incinerated > 0 && !p->nfrac)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: waste is incinerated but no 'fraction' line gives "
                      "its composition", name);
    /* the mass balance: a park cannot treat more than it receives and draws from stock */
    double treated = p->incinerated + p->digested + p->composted + p->landfilled;
    if (!rc && p->received > 0 && treated > (p->received + p->stock_drawn) * (1 + 1e-9))
        rc = sp_error(ctx, SP_ERR_DATA, "%s: %.0f t treated (incinerated %.0f + digested %.0f + "
                      "composted %.0f + landfilled %.0f) is more than the %.0f t received plus "
                      "%.0f t drawn from stock: correct the tonnes, or give 'stock_drawn TONNES'",
                      name, treated, p->incinerated, p->digested, p->composted, p->landfilled,
                      p->received, p->stock_drawn);
    for (int i = 0; !rc && i < p->ndep; i++)
        if (p->dep[i].year >= p->year)
            rc = sp_error(ctx, SP_ERR_DATA, "%s: a landfill deposit of %d decays from the next "
                          "year: list the years before %d", name, p->dep[i].year, p->year);
    if (rc) {
        sp_park_free(p);
        return rc;
    }
    *out = p;
    return SP_OK;
}

sp_status sp_park_read(sp_ctx *ctx, const char *path, sp_park **out)
{
    char *text = NULL;
    sp_status rc = sp_text_read_file(ctx, path, "park file", &text);
    if (!rc)
        rc = sp_park_parse(ctx, text, path, out);
    free(text);
    return rc;
}

double sp_park_fod_ch4(const sp_park_deposit *d, int year)
{
    if (year <= d->year)
        return 0;
    double ddocm = d->t * d->doc * d->docf * d->mcf;
    return ddocm * exp(-d->k * (year - d->year - 1)) * (1 - exp(-d->k)) * d->f * 16.0 / 12.0;
}

void sp_park_compute(const sp_park *p, int base_year, sp_park_result *r)
{
    memset(r, 0, sizeof *r);
    /* IPCC 2006 vol. 5 eq. 5.1: fossil CO2 = sum W x dm x CF x FCF x OF x 44/12 */
    for (int i = 0; i < p->nfrac; i++) {
        const sp_park_fraction *f = &p->frac[i];
        r->co2_fossil += p->incinerated * f->share * f->dm * f->cf * f->fcf * p->oxidation * 44.0 / 12.0;
    }
    r->ch4_inc = p->incinerated * p->inc_ch4 / 1e6;
    r->n2o = p->incinerated * p->inc_n2o / 1e6;
    r->ch4_dig = p->digested * p->dig_ch4 / 1e3;              /* g/kg = kg/t */
    r->ch4_comp = p->composted * p->comp_ch4 / 1e3;
    r->n2o += p->composted * p->comp_n2o / 1e3;
    /* CH4 of the biogas that is not destroyed: 0.716 kg/m3 (CH4 at 0 C, 101.325 kPa) */
    r->ch4_biogas = p->biogas_m3 * p->biogas_ch4 * 0.716 * (1 - p->biogas_de) / 1e3;
    for (int i = 0; i < p->ndep; i++) {
        double c = sp_park_fod_ch4(&p->dep[i], p->year) * (1 - p->landfill_recovered) *
                   (1 - p->dep[i].ox);
        r->ch4_landfill += c;
        if (p->dep[i].year < base_year)
            r->ch4_legacy += c;
    }
    r->ch4_leachate = p->leachate_cod * p->leachate_b0 * p->leachate_mcf;
    r->ch4 = r->ch4_inc + r->ch4_dig + r->ch4_comp + (p->slip_included ? 0 : r->ch4_biogas) +
             r->ch4_landfill + r->ch4_leachate;
    r->slip_included = p->slip_included;
    snprintf(r->grid_basis, sizeof r->grid_basis, "%s", p->grid_basis);
    /* IPCC AR5 WG1 table 8.7 (100-yr, no feedbacks): CH4 28, N2O 265; AR6 WG1 table 7.15:
     * non-fossil CH4 27.0 (waste methane is biogenic), N2O 273 */
    /* IPCC SAR (1995), as China's enterprise GHG accounting guidelines use them: CH4 21,
     * N2O 310 */
    r->gwp_ch4 = p->gwp == SP_GWP_AR6 ? 27.0 : p->gwp == SP_GWP_AR5 ? 28 : 21;
    r->gwp_n2o = p->gwp == SP_GWP_AR6 ? 273 : p->gwp == SP_GWP_AR5 ? 265 : 310;
    r->gross = r->co2_fossil + r->gwp_ch4 * r->ch4 + r->gwp_n2o * r->n2o;
    r->gross_sar = r->co2_fossil + 21 * r->ch4 + 310 * r->n2o;
    r->legacy = r->gwp_ch4 * r->ch4_legacy;
    r->treated = p->incinerated + p->digested + p->composted + p->landfilled;
    r->per_t_treated = r->treated > 0 ? r->gross / r->treated : NAN;
    r->per_t_treated_ops = r->treated > 0 ? (r->gross - r->legacy) / r->treated : NAN;
    r->credit = p->exported_mwh * p->grid_kg_kwh; /* MWh x kg/kWh = t */
    r->net = r->gross - r->credit;
    r->per_t_received = p->received > 0 ? r->gross / p->received : NAN;
    r->per_t_incinerated = p->incinerated > 0 ? r->gross / p->incinerated : NAN;
    r->power_gwh = p->exported_mwh / 1e3;
    r->capacity_gwh = p->capacity_gwh;
    for (int k = 0; k < SP_NPOL; k++)
        r->E[k] = p->incinerated * p->flue_gas * p->stack[k] / 1e9; /* mg -> t */
}

void sp_park_per_t_drivers(const sp_park_result *a, const sp_park_result *b, double *tonnes,
                           double *operations, double *legacy)
{
    *tonnes = a->gross / b->treated - a->gross / a->treated;
    *operations = ((b->gross - b->legacy) - (a->gross - a->legacy)) / b->treated;
    *legacy = (b->legacy - a->legacy) / b->treated;
}
