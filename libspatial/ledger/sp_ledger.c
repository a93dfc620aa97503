/* sp_ledger: the targets file, the target rows and the synergy (see sp_ledger.h). */
#include "ledger/sp_ledger.h"
#include "ledger/sp_ledger_impl.h"
#include "core/sp_stats.h"
#include "core/sp_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAXTOK 48

void sp_targets_free(sp_targets *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->nt; i++) {
        free(t->t[i].name);
        free(t->t[i].indicator);
        free(t->t[i].unit);
    }
    for (int i = 0; i < t->ndeg; i++) {
        free(t->deg[i].name);
        free(t->deg[i].level[0].indicator);
        free(t->deg[i].level[1].indicator);
    }
    free(t);
}

static bool num(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && !*end && isfinite(*v);
}

static bool year_of(const char *s, int *y)
{
    double v;
    if (!num(s, &v) || v != floor(v) || v < 1900 || v > 2200)
        return false;
    *y = (int)v;
    return true;
}

/* "NOx" or "CO2+CO2_scope2": the pollutants into pol; false naming the bad one. */
static bool pollutants(const char *s, bool pol[SP_NPOL], char *bad, size_t n)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    memset(pol, 0, SP_NPOL * sizeof *pol);
    for (char *save = NULL, *p = strtok_r(buf, "+", &save); p; p = strtok_r(NULL, "+", &save)) {
        int k = sp_pollutant_index(p);
        if (k < 0) {
            snprintf(bad, n, "%s", p);
            return false;
        }
        pol[k] = true;
    }
    return true;
}

/* INDICATOR of a target line; an error message into err when it is not one. */
static bool indicator(sp_target *t, const char *s, char *err, size_t n)
{
    static const struct { const char *name; sp_indicator_kind kind; } PARK[] = {
        {"park.gross", SP_IND_PARK_GROSS}, {"park.net", SP_IND_PARK_NET},
        {"park.per_tonne", SP_IND_PARK_PER_T}, {"park.per_tonne_ops", SP_IND_PARK_PER_T_OPS},
        {"park.power", SP_IND_PARK_POWER}, {"park.capacity", SP_IND_PARK_CAPACITY}};
    for (size_t i = 0; i < sizeof PARK / sizeof *PARK; i++)
        if (!strcmp(s, PARK[i].name)) {
            t->kind = PARK[i].kind;
            return true;
        }
    char bad[128] = "", inner[256];
    size_t l = strlen(s);
    if (!strncmp(s, "intensity(", 10) && l > 11 && s[l - 1] == ')') {
        snprintf(inner, sizeof inner, "%.*s", (int)(l - 11), s + 10);
        t->kind = SP_IND_INTENSITY;
    } else {
        snprintf(inner, sizeof inner, "%s", s);
        t->kind = SP_IND_EMISSION;
    }
    if (!pollutants(inner, t->pol, bad, sizeof bad)) {
        snprintf(err, n, "unknown pollutant '%s' (known: NOx, VOCs, PM2.5, PM10, SO2, CO, CO2, "
                 "fume, CO2_scope2; or intensity(...), park.gross, park.net, park.per_tonne, "
                 "park.per_tonne_ops, park.power, park.capacity)", bad);
        return false;
    }
    return true;
}

/* A degree's level: apeq, intensity(apeq), park.apeq_per_t, or a target's indicator. */
static bool level_indicator(sp_target *t, const char *s, char *err, size_t n)
{
    if (!strcmp(s, "apeq") || !strcmp(s, "intensity(apeq)") || !strcmp(s, "park.apeq_per_t")) {
        t->kind = s[0] == 'a' ? SP_IND_APEQ : s[0] == 'i' ? SP_IND_APEQ_INTENSITY
                                                          : SP_IND_PARK_APEQ_PER_T;
        return true;
    }
    return indicator(t, s, err, n);
}

/* degree NAME POLLUTION WORST BEST CARBON WORST BEST [alpha A] */
static bool degree_line(sp_targets *tg, char **w, int n, char *err, size_t en)
{
    if (n != 8 && !(n == 10 && !strcmp(w[8], "alpha"))) {
        snprintf(err, en, "expected 'degree NAME POLLUTION WORST BEST CARBON WORST BEST "
                 "[alpha A]'");
        return false;
    }
    if (tg->ndeg == SP_LEDGER_MAX_DEGREES) {
        snprintf(err, en, "too many degrees (%d at most)", SP_LEDGER_MAX_DEGREES);
        return false;
    }
    sp_degree *d = &tg->deg[tg->ndeg];
    memset(d, 0, sizeof *d);
    d->alpha = 0.5;
    for (int k = 0; k < 2; k++) {
        if (!level_indicator(&d->level[k], w[2 + 3 * k], err, en))
            return false;
        if (d->level[k].kind == SP_IND_PARK_POWER || d->level[k].kind == SP_IND_PARK_CAPACITY) {
            snprintf(err, en, "park.power is no level of pollution or carbon");
            return false;
        }
        if (!num(w[3 + 3 * k], &d->worst[k]) || !num(w[4 + 3 * k], &d->best[k]) ||
            d->worst[k] == d->best[k]) {
            snprintf(err, en, "the bounds of %s are two different numbers (WORST BEST)",
                     w[2 + 3 * k]);
            return false;
        }
    }
    if (n == 10 && (!num(w[9], &d->alpha) || d->alpha < 0 || d->alpha > 1)) {
        snprintf(err, en, "a degree's alpha is a weight 0-1");
        return false;
    }
    tg->ndeg++; /* freed with tg from here on */
    d->name = strdup(w[1]);
    d->level[0].indicator = strdup(w[2]);
    d->level[1].indicator = strdup(w[5]);
    if (!d->name || !d->level[0].indicator || !d->level[1].indicator) {
        snprintf(err, en, "out of memory");
        return false;
    }
    return true;
}

/* target NAME INDICATOR GOAL UNIT [from YEAR] */
static bool target_line(sp_targets *tg, char **w, int n, char *err, size_t en)
{
    if (n != 5 && n != 7) {
        snprintf(err, en, "expected 'target NAME INDICATOR GOAL UNIT [from YEAR]'");
        return false;
    }
    if (tg->nt == SP_LEDGER_MAX_TARGETS) {
        snprintf(err, en, "too many targets (%d at most)", SP_LEDGER_MAX_TARGETS);
        return false;
    }
    sp_target *t = &tg->t[tg->nt];
    memset(t, 0, sizeof *t);
    size_t l = strlen(w[2]);
    if (!strncmp(w[2], "degree(", 7) && l > 8 && w[2][l - 1] == ')') {
        t->kind = SP_IND_DEGREE;
        while (t->degree < tg->ndeg && (strlen(tg->deg[t->degree].name) != l - 8 ||
                                        strncmp(tg->deg[t->degree].name, w[2] + 7, l - 8)))
            t->degree++;
        if (t->degree == tg->ndeg) {
            snprintf(err, en, "%s: no such degree (declare it above, or in -bounds)", w[2]);
            return false;
        }
    } else if (!indicator(t, w[2], err, en))
        return false;
    if (!num(w[3], &t->goal) || t->goal == 0) {
        snprintf(err, en, "goal '%s' is not a signed non-zero number (-3000 for a cut)", w[3]);
        return false;
    }
    t->relative = !strcmp(w[4], "%");
    bool ratio = t->kind == SP_IND_INTENSITY || t->kind == SP_IND_PARK_PER_T ||
                 t->kind == SP_IND_PARK_PER_T_OPS || t->kind == SP_IND_DEGREE;
    const char *want = t->relative ? NULL : ratio ? "%"
                       : t->kind == SP_IND_PARK_POWER || t->kind == SP_IND_PARK_CAPACITY ? "GWh"
                                                                                         : "t";
    if (want && strcmp(w[4], want)) {
        snprintf(err, en, "the goal of %s is in %s%s, not '%s'", w[2], want, ratio ? "" : " or %",
                 w[4]);
        return false;
    }
    if (n == 7 && (strcmp(w[5], "from") || !year_of(w[6], &t->from))) {
        snprintf(err, en, "expected 'from YEAR' after the unit");
        return false;
    }
    for (int i = 0; i < tg->nt; i++)
        if (!strcmp(tg->t[i].name, w[1])) {
            snprintf(err, en, "two targets are called '%s'", w[1]);
            return false;
        }
    t->name = strdup(w[1]);
    t->indicator = strdup(w[2]);
    t->unit = strdup(w[4]);
    tg->nt++;
    if (!t->name || !t->indicator || !t->unit) {
        snprintf(err, en, "out of memory");
        return false;
    }
    return true;
}

/* ccd alpha A | ccd pollution|carbon TARGET... */
static bool ccd_line(sp_targets *tg, char **w, int n, char *err, size_t en)
{
    if (n == 3 && !strcmp(w[1], "alpha")) {
        if (!num(w[2], &tg->alpha) || tg->alpha < 0 || tg->alpha > 1) {
            snprintf(err, en, "ccd alpha is a weight 0-1");
            return false;
        }
        return true;
    }
    bool pol = n >= 3 && !strcmp(w[1], "pollution"), co2 = n >= 3 && !strcmp(w[1], "carbon");
    if (!pol && !co2) {
        snprintf(err, en, "expected 'ccd alpha A', 'ccd pollution TARGET...' or 'ccd carbon "
                 "TARGET...'");
        return false;
    }
    int *list = pol ? tg->ccd_pol : tg->ccd_co2, *cnt = pol ? &tg->nccd_pol : &tg->nccd_co2;
    for (int i = 2; i < n; i++) {
        int k = 0;
        while (k < tg->nt && strcmp(tg->t[k].name, w[i]))
            k++;
        if (k == tg->nt) {
            snprintf(err, en, "ccd: unknown target '%s' (targets are declared above)", w[i]);
            return false;
        }
        list[(*cnt)++] = k;
    }
    return true;
}

/* A targets file being parsed: the targets, and the directives given so far. */
typedef struct {
    sp_targets *tg;
    sp_ledger_once once;
} targets_parse;

/* One line of a targets file (sp_text_directives' callback). A directive is given once
 * (baseline, els_threshold; pev P, gdp YEAR, ccd KIND per key); target_line refuses a
 * second target of a name itself. */
static bool line(void *user, char **w, int n, char *err, size_t en)
{
    targets_parse *tp = user;
    sp_targets *tg = tp->tg;
    bool keyed = !strcmp(w[0], "pev") || !strcmp(w[0], "gdp") || !strcmp(w[0], "ccd") ||
                 !strcmp(w[0], "degree");
    if (strcmp(w[0], "target") && !(keyed && n < 2) &&
        !sp_ledger_once_add(&tp->once, w[0], keyed ? w[1] : NULL, err, en))
        return false;
    double v;
    const char *k = w[0];
    if (!strcmp(k, "baseline") && n == 2 && year_of(w[1], &tg->baseline))
        return true;
    if (!strcmp(k, "pev") && (n == 3 || n == 4)) { /* an optional source text */
        int p = sp_pollutant_index(w[1]);
        if (p < 0 || !num(w[2], &v) || v <= 0) {
            snprintf(err, en, "expected 'pev POLLUTANT KG [\"source\"]' with a known pollutant "
                     "and a positive value");
            return false;
        }
        tg->pev[p] = v;
        return true;
    }
    if (!strcmp(k, "gdp") && (n == 3 || n == 4)) {
        if (tg->ngdp == SP_LEDGER_MAX_YEARS || !year_of(w[1], &tg->gdp_year[tg->ngdp]) ||
            !num(w[2], &tg->gdp[tg->ngdp]) || tg->gdp[tg->ngdp] <= 0) {
            snprintf(err, en, "expected 'gdp YEAR VALUE [UNIT]' with a positive value");
            return false;
        }
        tg->ngdp++;
        return true;
    }
    if (!strcmp(k, "els_threshold") && n == 2) {
        char *end;
        v = strtod(w[1], &end);
        if (end == w[1] || strcmp(end, "%") || v < 0 || v > 100) {
            snprintf(err, en, "expected 'els_threshold PERCENT%%' (e.g. 1%%)");
            return false;
        }
        tg->els_threshold = v / 100;
        return true;
    }
    if (!strcmp(k, "cumulative") && n == 2 && (!strcmp(w[1], "last") || !strcmp(w[1], "sum"))) {
        tg->cum_sum = !strcmp(w[1], "sum");
        return true;
    }
    if (!strcmp(k, "target"))
        return target_line(tg, w, n, err, en);
    if (!strcmp(k, "ccd"))
        return ccd_line(tg, w, n, err, en);
    if (!strcmp(k, "degree"))
        return degree_line(tg, w, n, err, en);
    snprintf(err, en, !strcmp(k, "baseline") ? "expected 'baseline YEAR'"
             : !strcmp(k, "cumulative") ? "expected 'cumulative last' or 'cumulative sum'"
             : "unknown directive '%s' (known: baseline, pev, target, gdp, els_threshold, ccd, "
               "cumulative, degree)", k);
    return false;
}

/* A line of a bounds file (-bounds): degree lines only. */
static bool bounds_line(void *user, char **w, int n, char *err, size_t en)
{
    if (strcmp(w[0], "degree")) {
        snprintf(err, en, "a bounds file holds 'degree' lines only, not '%s' (the rest belongs "
                 "in the targets file)", w[0]);
        return false;
    }
    return line(user, w, n, err, en);
}

sp_status sp_targets_parse(sp_ctx *ctx, const char *text, const char *name, sp_targets **out)
{
    return sp_targets_parse_with(ctx, NULL, NULL, text, name, out);
}

sp_status sp_targets_parse_with(sp_ctx *ctx, const char *bounds_text, const char *bounds_name,
                                const char *text, const char *name, sp_targets **out)
{
    *out = NULL;
    sp_targets *tg = calloc(1, sizeof *tg);
    if (!tg)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    tg->els_threshold = 0.01;
    tg->alpha = 0.5;
    targets_parse tp = {tg, {0}};
    sp_status rc = bounds_text ? sp_text_directives(ctx, bounds_text, bounds_name, MAXTOK,
                                                    bounds_line, &tp)
                               : SP_OK;
    if (!rc)
        rc = sp_text_directives(ctx, text, name, MAXTOK, line, &tp);
    sp_ledger_once_free(&tp.once);
    if (!rc && !tg->baseline)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: no 'baseline YEAR' line", name);
    if (!rc && !tg->nt)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: no 'target' line", name);
    if (rc) {
        sp_targets_free(tg);
        return rc;
    }
    *out = tg;
    return SP_OK;
}

sp_status sp_targets_read(sp_ctx *ctx, const char *path, const char *bounds, sp_targets **out)
{
    char *text = NULL, *btext = NULL;
    sp_status rc = bounds ? sp_text_read_file(ctx, bounds, "bounds file", &btext) : SP_OK;
    if (!rc)
        rc = sp_text_read_file(ctx, path, "targets file", &text);
    if (!rc)
        rc = sp_targets_parse_with(ctx, btext, bounds, text, path, out);
    free(text);
    free(btext);
    return rc;
}

/* ---- the rows -------------------------------------------------------------------- */

static double apeq(const sp_targets *tg, const double E[SP_NPOL]);

double sp_ledger_indicator(const sp_targets *tg, const sp_target *t, const sp_ledger_year *y,
                           const char **why)
{
    *why = NULL;
    if (t->kind == SP_IND_DEGREE)
        return sp_ledger_degree(tg, t->degree, y, NULL, NULL, NULL, why);
    if (t->kind >= SP_IND_PARK_GROSS) {
        if (!y->has_park)
            return *why = "no park file for a year", NAN;
        /* per tonne treated, as the park plan counts it (单位垃圾处理量); _ops without
         * the landfill closed before the base year, whose decay needs no action */
        if (t->kind == SP_IND_PARK_CAPACITY && isnan(y->park.capacity_gwh))
            return *why = "the park file gives no green power supply capacity (capacity GWH)",
                   NAN;
        bool per_t = t->kind == SP_IND_PARK_PER_T || t->kind == SP_IND_PARK_PER_T_OPS ||
                     t->kind == SP_IND_PARK_APEQ_PER_T;
        if (per_t && isnan(y->park.per_t_treated))
            return *why = "the park file treats no waste (incinerated, digested, composted, "
                          "landfilled: the per-tonne indicator's denominator)", NAN;
        return t->kind == SP_IND_PARK_GROSS ? y->park.gross
               : t->kind == SP_IND_PARK_NET ? y->park.net
               : t->kind == SP_IND_PARK_PER_T ? y->park.per_t_treated
               : t->kind == SP_IND_PARK_PER_T_OPS ? y->park.per_t_treated_ops
               : t->kind == SP_IND_PARK_APEQ_PER_T ? apeq(tg, y->park.E) / y->park.treated
               : t->kind == SP_IND_PARK_CAPACITY ? y->park.capacity_gwh
                                                  : y->park.power_gwh;
    }
    double s = 0;
    bool ap = t->kind == SP_IND_APEQ || t->kind == SP_IND_APEQ_INTENSITY;
    for (int p = 0; p < SP_NPOL && !ap; p++)
        if (t->pol[p])
            s += y->E[p];
    if (ap)
        s = apeq(tg, y->E);
    if (t->kind == SP_IND_EMISSION || t->kind == SP_IND_APEQ)
        return s;
    for (int i = 0; i < tg->ngdp; i++)
        if (tg->gdp_year[i] == y->year)
            return s / tg->gdp[i];
    return *why = "no GDP for a year (gdp YEAR VALUE)", NAN;
}

double sp_ledger_degree(const sp_targets *tg, int k, const sp_ledger_year *y, double u[2],
                        double *c, double *t, const char **why)
{
    const sp_degree *d = &tg->deg[k];
    double uu[2], cc, tt, dd;
    const char *w = NULL;
    for (int i = 0; i < 2; i++) {
        double v = sp_ledger_indicator(tg, &d->level[i], y, &w);
        if (w || isnan(v)) {
            *why = w ? w : "a degree's level cannot be computed";
            return NAN;
        }
        uu[i] = fmin(1, fmax(0, (d->worst[i] - v) / (d->worst[i] - d->best[i])));
    }
    sp_ledger_ccd(uu[0], uu[1], d->alpha, &cc, &tt, &dd);
    if (u)
        u[0] = uu[0], u[1] = uu[1];
    if (c)
        *c = cc;
    if (t)
        *t = tt;
    *why = NULL;
    return dd;
}

/* the change of v from base, as the goal counts it */
static double change(const sp_target *t, double base, double v)
{
    return t->relative ? 100 * (v / base - 1) : v - base;
}

void sp_ledger_rows(const sp_targets *tg, const sp_ledger_year *years, int ny,
                    sp_target_row *rows)
{
    for (int k = 0; k < tg->nt; k++) {
        const sp_target *t = &tg->t[k];
        sp_target_row *r = &rows[k];
        memset(r, 0, sizeof *r);
        r->base_year = t->from ? t->from : tg->baseline;
        r->base = NAN;
        int last = -1;
        const char *later = NULL; /* why a year after the base has no value */
        for (int i = 0; i < ny; i++) {
            const char *why;
            r->value[i] = sp_ledger_indicator(tg, t, &years[i], &why);
            if (why && years[i].year > r->base_year)
                later = why;
            if (years[i].year == r->base_year)
                r->base = r->value[i];
            if (!isnan(r->value[i]) && years[i].year > r->base_year)
                last = i;
            if (why && years[i].year == r->base_year)
                r->missing = why;
        }
        r->cumulative = r->share = r->remaining = r->cum_lo = r->cum_hi = r->cum_sum =
            r->counted = NAN;
        if (isnan(r->base)) {
            if (!r->missing)
                r->missing = "no inventory for the base year";
            continue;
        }
        if (last < 0) {
            r->missing = later ? later : "no year after the base year";
            continue;
        }
        r->last_year = years[last].year;
        r->cumulative = change(t, r->base, r->value[last]);
        /* the sum over the years: each year after the base present, and not for a % */
        r->cum_sum = t->relative ? NAN : 0;
        for (int yr = r->base_year + 1; !t->relative && yr <= r->last_year; yr++) {
            int i = 0;
            while (i < ny && (years[i].year != yr || isnan(r->value[i])))
                i++;
            r->cum_sum = i < ny ? r->cum_sum + change(t, r->base, r->value[i]) : NAN;
        }
        r->counted = tg->cum_sum && !t->relative ? r->cum_sum : r->cumulative;
        r->share = r->counted / t->goal;
        r->remaining = t->goal - r->counted;
    }
}

/* Year y's indicator of target t in draw d: the draw's totals plus the park's stacks. */
static double draw_value(const sp_targets *tg, const sp_target *t, const sp_ledger_year *y, int d)
{
    sp_ledger_year one = *y;
    for (int p = 0; p < SP_NPOL; p++)
        one.E[p] = y->draws[(size_t)d * SP_NPOL + p] + (y->has_park ? y->park.E[p] : 0);
    const char *why;
    return sp_ledger_indicator(tg, t, &one, &why);
}

void sp_ledger_intervals(const sp_targets *tg, const sp_ledger_year *years, int ny,
                         sp_target_row *rows)
{
    for (int k = 0; k < tg->nt; k++) {
        const sp_target *t = &tg->t[k];
        sp_target_row *r = &rows[k];
        const sp_ledger_year *b = NULL, *l = NULL;
        for (int i = 0; i < ny; i++) {
            if (years[i].year == r->base_year)
                b = &years[i];
            if (years[i].year == r->last_year)
                l = &years[i];
        }
        if (t->kind >= SP_IND_PARK_GROSS || !b || !l || b == l || !b->ndraws ||
            b->ndraws != l->ndraws)
            continue;
        double *v = malloc((size_t)b->ndraws * sizeof *v);
        if (!v)
            continue;
        int n = 0;
        for (int d = 0; d < b->ndraws; d++) {
            double x = draw_value(tg, t, b, d), y = draw_value(tg, t, l, d);
            if (!isnan(x) && !isnan(y))
                v[n++] = t->relative ? 100 * (y / x - 1) : y - x;
        }
        if (n > 1) {
            sp_stats_sort(v, (size_t)n);
            r->cum_lo = sp_stats_quantile(v, n, 0.025);
            r->cum_hi = sp_stats_quantile(v, n, 0.975);
        }
        free(v);
    }
}

void sp_ledger_ccd(double u1, double u2, double alpha, double *c, double *t, double *d)
{
    *c = u1 + u2 > 0 ? 2 * sqrt(u1 * u2) / (u1 + u2) : 0;
    *t = alpha * u1 + (1 - alpha) * u2;
    *d = sqrt(*c * *t);
}

/* the mean share reached (clipped to 0-1) of a list of targets in year i */
static double subsystem(const sp_targets *tg, const int *list, int n, const sp_target_row *rows,
                        int i)
{
    if (!n)
        return NAN;
    double s = 0;
    for (int j = 0; j < n; j++) {
        const sp_target *t = &tg->t[list[j]];
        const sp_target_row *r = &rows[list[j]];
        double share = change(t, r->base, r->value[i]) / t->goal;
        if (isnan(share))
            return NAN;
        s += fmin(1, fmax(0, share));
    }
    return s / n;
}

static double apeq(const sp_targets *tg, const double E[SP_NPOL])
{
    double s = 0;
    for (int p = 0; p < SP_NPOL; p++)
        if (tg->pev[p] > 0)
            s += E[p] * 1000 / tg->pev[p]; /* t -> kg, over kg per equivalent */
    return s;
}

void sp_ledger_els(const sp_targets *tg, const double E0[SP_NPOL], const double E1[SP_NPOL],
                   sp_synergy *s)
{
    s->apeq0 = apeq(tg, E0);
    s->apeq = apeq(tg, E1);
    s->co2_0 = E0[SP_CO2] + E0[SP_CO2_S2];
    s->co2 = E1[SP_CO2] + E1[SP_CO2_S2];
    s->d_apeq = s->apeq0 > 0 ? s->apeq / s->apeq0 - 1 : NAN;
    s->d_co2 = s->co2_0 > 0 ? s->co2 / s->co2_0 - 1 : NAN;
    s->els = NAN;
    if (isnan(s->d_apeq) || isnan(s->d_co2))
        s->els_note = "no baseline emissions";
    else if (fabs(s->d_co2) < tg->els_threshold)
        s->els_note = "carbon-neutral measure (|dCO2/CO2| under the threshold)";
    else {
        s->els = s->d_apeq / s->d_co2;
        s->els_note = s->d_apeq < 0 && s->d_co2 < 0 ? "synergy: both fall"
                      : s->d_apeq < 0 ? "trade-off: pollution falls, carbon rises"
                      : s->d_co2 < 0 ? "trade-off: carbon falls, pollution rises"
                                     : "both rise";
    }
}

int sp_ledger_synergy(const sp_targets *tg, const sp_ledger_year *years, int ny,
                      const sp_target_row *rows, sp_synergy *out)
{
    int b = -1, n = 0;
    for (int i = 0; i < ny; i++)
        if (years[i].year == tg->baseline)
            b = i;
    if (b < 0)
        return 0;
    for (int i = 0; i < ny; i++) {
        if (years[i].year <= tg->baseline)
            continue;
        sp_synergy *s = &out[n++];
        s->year = years[i].year;
        sp_ledger_els(tg, years[b].E, years[i].E, s);
        s->u1 = subsystem(tg, tg->ccd_pol, tg->nccd_pol, rows, i);
        s->u2 = subsystem(tg, tg->ccd_co2, tg->nccd_co2, rows, i);
        s->c = s->t = s->d = NAN;
        if (!isnan(s->u1) && !isnan(s->u2))
            sp_ledger_ccd(s->u1, s->u2, tg->alpha, &s->c, &s->t, &s->d);
    }
    return n;
}
