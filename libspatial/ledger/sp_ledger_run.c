/* sp_ledger_run: the inputs of sp-ledger read, the ledger computed (sp_ledger), the
 * outputs written together (sp_output_hold): CSV, synergy CSV, SVG chart. */
#include "ledger/sp_ledger_run.h"
#include "io/sp_output.h"
#include "io/sp_page.h"
#include "io/sp_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "YEAR=PATH" */
static sp_status split_year(sp_ctx *ctx, const char *flag, const char *arg, int *year,
                            const char **path)
{
    char *end;
    long y = strtol(arg, &end, 10);
    if (end == arg || *end != '=' || !end[1] || y < 1900 || y > 2200)
        return sp_error(ctx, SP_ERR_USAGE, "%s '%s': want YEAR=FILE (e.g. 2024=totals_2024.csv)",
                        flag, arg);
    *year = (int)y;
    *path = end + 1;
    return SP_OK;
}

/* The 'total' rows of an sp-inventory totals CSV, scenario_t column. */
static sp_status read_totals(sp_ctx *ctx, const char *path, double E[SP_NPOL])
{
    sp_table *t = NULL;
    sp_status rc = sp_table_read(ctx, path, NULL, &t);
    if (rc)
        return rc;
    int cs = sp_table_find(t, "sector"), cp = sp_table_find(t, "pollutant"),
        cv = sp_table_find(t, "scenario_t");
    if (cs < 0 || cp < 0 || cv < 0) {
        sp_table_free(t);
        return sp_error(ctx, SP_ERR_DATA, "'%s' is not an sp-inventory totals table (no sector, "
                        "pollutant, scenario_t columns: make it with sp-inventory -totals)", path);
    }
    int found = 0;
    bool seen[SP_NPOL] = {false};
    char b1[64], b2[64];
    for (int r = 0; r < t->nrows; r++) {
        if (strcmp(sp_table_text(t, cs, r, b1, sizeof b1), "total"))
            continue;
        int p = sp_pollutant_index(sp_table_text(t, cp, r, b2, sizeof b2));
        bool ok;
        double v = sp_table_number(t, cv, r, &ok);
        if (p < 0 || !ok || isnan(v)) {
            sp_table_free(t);
            return sp_error(ctx, SP_ERR_DATA, "'%s', row %d: not a pollutant and a number", path,
                            r + 2);
        }
        if (v < 0 || seen[p]) { /* an inventory's total is never negative, each given once */
            sp_table_free(t);
            return sp_error(ctx, SP_ERR_DATA, "'%s', row %d: %s", path, r + 2,
                            v < 0 ? "a negative total" : "this pollutant's total is given twice");
        }
        seen[p] = true;
        E[p] = v;
        found++;
    }
    sp_table_free(t);
    if (!found)
        return sp_error(ctx, SP_ERR_DATA, "'%s' has no 'total' rows", path);
    return SP_OK;
}

/* An sp-inventory -mc_draws file: draw,pollutant,scenario_t into out (ndraws x SP_NPOL);
 * *seed the draws' seed when the file has the column (-1 otherwise). */
static sp_status read_draws(sp_ctx *ctx, const char *path, double **out, int *ndraws,
                            double *seed)
{
    sp_table *t = NULL;
    sp_status rc = sp_table_read(ctx, path, NULL, &t);
    if (rc)
        return rc;
    int cd = sp_table_find(t, "draw"), cp = sp_table_find(t, "pollutant"),
        cv = sp_table_find(t, "scenario_t"), cs = sp_table_find(t, "seed");
    bool sok = false;
    *seed = cs >= 0 && t->nrows ? sp_table_number(t, cs, 0, &sok) : -1;
    *seed = sok || cs < 0 ? *seed : -1;
    int n = 0;
    bool ok = cd >= 0 && cp >= 0 && cv >= 0;
    for (int r = 0; ok && r < t->nrows; r++) {
        double d = sp_table_number(t, cd, r, &ok);
        if (ok && d >= 1 && d <= 1e6 && d == floor(d))
            n = (int)fmax(n, d);
        else
            ok = false;
    }
    double *v = ok && n ? calloc((size_t)n * SP_NPOL, sizeof *v) : NULL;
    char buf[64];
    for (int r = 0; v && r < t->nrows; r++) {
        bool ok2;
        int d = (int)sp_table_number(t, cd, r, &ok2) - 1;
        int p = sp_pollutant_index(sp_table_text(t, cp, r, buf, sizeof buf));
        double x = sp_table_number(t, cv, r, &ok2);
        if (p < 0 || !ok2 || isnan(x)) {
            free(v);
            v = NULL;
            ok = false;
            break;
        }
        v[(size_t)d * SP_NPOL + p] = x;
    }
    sp_table_free(t);
    if (!v)
        return ok ? sp_error(ctx, SP_ERR_NOMEM, "out of memory")
                  : sp_error(ctx, SP_ERR_DATA, "'%s' is not an sp-inventory -mc_draws table "
                             "(draw, pollutant, scenario_t)", path);
    *out = v;
    *ndraws = n;
    return SP_OK;
}

static int by_year(const void *a, const void *b)
{
    return ((const sp_ledger_year *)a)->year - ((const sp_ledger_year *)b)->year;
}

static sp_status read_all_draws(sp_ctx *ctx, const sp_ledger_options *o, int base,
                                sp_ledger_year *ys, int ny);

/* base: the targets' baseline, before which the park's landfill is its legacy */
static sp_status read_years(sp_ctx *ctx, const sp_ledger_options *o, int base,
                            sp_ledger_year *ys, int *ny)
{
    sp_status rc;
    *ny = 0;
    for (int i = 0; o->years && o->years[i]; i++) {
        int y;
        const char *path;
        if ((rc = split_year(ctx, "-year", o->years[i], &y, &path)))
            return rc;
        for (int k = 0; k < *ny; k++)
            if (ys[k].year == y)
                return sp_error(ctx, SP_ERR_USAGE, "-year %d is given twice", y);
        if (*ny == SP_LEDGER_MAX_YEARS)
            return sp_error(ctx, SP_ERR_USAGE, "more than %d years", SP_LEDGER_MAX_YEARS);
        sp_ledger_year *Y = &ys[(*ny)++];
        memset(Y, 0, sizeof *Y);
        Y->year = y;
        if ((rc = read_totals(ctx, path, Y->E)))
            return rc;
        memcpy(Y->E_inv, Y->E, sizeof Y->E);
    }
    for (int i = 0; o->parks && o->parks[i]; i++) {
        int y, k = 0;
        const char *path;
        if ((rc = split_year(ctx, "-park", o->parks[i], &y, &path)))
            return rc;
        while (k < *ny && ys[k].year != y)
            k++;
        if (k == *ny)
            return sp_error(ctx, SP_ERR_USAGE, "-park %d: no -year %d inventory to add it to", y, y);
        if (ys[k].has_park)
            return sp_error(ctx, SP_ERR_USAGE, "-park %d is given twice", y);
        sp_park *p = NULL;
        if ((rc = sp_park_read(ctx, path, &p)))
            return rc;
        if (p->year != y) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s' describes %d, not %d", path, p->year, y);
            sp_park_free(p);
            return rc;
        }
        if (p->received <= 0) /* nothing to hold the tonnes treated against */
            sp_warn(ctx, "park %d: no 'received' line: the mass balance (treated <= received "
                    "+ stock drawn) cannot be checked", y);
        sp_park_compute(p, base, &ys[k].park);
        sp_park_free(p);
        ys[k].has_park = true;
        for (int q = 0; q < SP_NPOL; q++) /* the park's stacks are district sources */
            ys[k].E[q] += ys[k].park.E[q];
    }
    if (!*ny)
        return sp_error(ctx, SP_ERR_USAGE, "no inventory: give -year YEAR=TOTALS.csv");
    /* the park's stacks are in the district's totals: all years or none, or the series
     * would jump where a file is missing */
    for (int k = 0; o->parks && o->parks[0] && k < *ny; k++)
        if (!ys[k].has_park)
            return sp_error(ctx, SP_ERR_USAGE, "-park: no park file for %d: give one for every "
                            "-year (or none)", ys[k].year);
    return read_all_draws(ctx, o, base, ys, *ny);
}

/* The -draws of the years read; each year's seed must be the same, and every year from
 * the baseline on has as many. */
static sp_status read_all_draws(sp_ctx *ctx, const sp_ledger_options *o, int base,
                                sp_ledger_year *ys, int ny)
{
    sp_status rc;
    double seed[SP_LEDGER_MAX_YEARS]; /* each year's draws' seed (-1: not said) */
    for (int k = 0; k < SP_LEDGER_MAX_YEARS; k++)
        seed[k] = -1;
    for (int i = 0; o->draws && o->draws[i]; i++) {
        int y, k = 0;
        const char *path;
        if ((rc = split_year(ctx, "-draws", o->draws[i], &y, &path)))
            return rc;
        while (k < ny && ys[k].year != y)
            k++;
        if (k == ny)
            return sp_error(ctx, SP_ERR_USAGE, "-draws %d: no -year %d inventory", y, y);
        if (ys[k].ndraws)
            return sp_error(ctx, SP_ERR_USAGE, "-draws %d is given twice", y);
        double *v = NULL;
        if ((rc = read_draws(ctx, path, &v, &ys[k].ndraws, &seed[k])))
            return rc;
        ys[k].draws = v; /* freed by sp_ledger_run */
    }
    /* draws are paired across years by draw number: the same seed (where the files say) */
    int f = 0; /* the first year given with draws */
    while (f < ny && !ys[f].ndraws)
        f++;
    for (int k = f + 1; k < ny; k++)
        if (ys[k].ndraws && seed[k] >= 0 && seed[f] >= 0 && seed[k] != seed[f])
            return sp_error(ctx, SP_ERR_DATA, "-draws: %d was drawn with -seed %.0f and %d with "
                            "-seed %.0f: they are paired draw by draw, so make every year with "
                            "the same -mc N and -seed", ys[f].year, seed[f], ys[k].year, seed[k]);
    qsort(ys, (size_t)ny, sizeof *ys, by_year);
    /* every year from the baseline on, or none, and as many (a year before the baseline,
     * such as 2020 for the carbon intensity, may have none: its targets get no interval) */
    const sp_ledger_year *d0 = NULL;
    for (int k = 0; o->draws && o->draws[0] && k < ny; k++) {
        if (!ys[k].ndraws && ys[k].year < base)
            continue;
        if (!ys[k].ndraws)
            return sp_error(ctx, SP_ERR_USAGE, "-draws: none for %d: give them for every -year "
                            "from the baseline %d on (or none), made with the same -mc N and "
                            "-seed", ys[k].year, base);
        if (!d0)
            d0 = &ys[k];
        if (ys[k].ndraws != d0->ndraws)
            return sp_error(ctx, SP_ERR_DATA, "-draws: %d has %d draws and %d has %d: they are "
                            "paired draw by draw, so make every year with the same -mc N and "
                            "-seed", d0->year, d0->ndraws, ys[k].year, ys[k].ndraws);
    }
    return SP_OK;
}

/* ---- outputs ------------------------------------------------------------------- */

static void csv_num(FILE *fp, double v)
{
    if (isnan(v))
        fputs(",", fp);
    else
        fprintf(fp, ",%.10g", v == 0 ? 0.0 : v);
}

/* What the rows cannot be: a target counting from a year with no inventory is an error
 * (its row would be empty and the run would pass); a reduction goal as large as the base
 * year's emission, or a park target's accounting choice, is said. */
static sp_status check_rows(sp_ctx *ctx, const sp_targets *tg, const sp_ledger_year *ys,
                            int ny, const sp_target_row *rows)
{
    for (int k = 0; k < tg->nt; k++) {
        const sp_target *t = &tg->t[k];
        const sp_target_row *r = &rows[k];
        int i = 0;
        while (i < ny && ys[i].year != r->base_year)
            i++;
        if (i == ny)
            return sp_error(ctx, SP_ERR_USAGE, "target '%s' counts from %d, and no -year %d="
                            "TOTALS.csv is given: give that year's inventory (sp-inventory "
                            "-totals)%s", t->name, r->base_year, r->base_year,
                            t->from ? ", or count from the baseline (no 'from')" : "");
        if (!t->relative && t->goal < 0 && r->base > 0 && -t->goal >= r->base &&
            t->kind == SP_IND_EMISSION)
            sp_warn(ctx, "target '%s': the goal (%.6g %s) is as large as the whole %d "
                    "inventory (%.6g %s): no district cuts all of an emission, so the inventory "
                    "must be missing sources or sectors", t->name, t->goal, t->unit,
                    r->base_year, r->base, t->unit);
    }
    return SP_OK;
}

static void write_ledger_csv(FILE *fp, const sp_targets *tg, const sp_ledger_year *ys, int ny,
                             const sp_target_row *rows)
{
    fputs("target,indicator,unit,goal,base_year,baseline", fp);
    for (int i = 0; i < ny; i++)
        fprintf(fp, ",y%d", ys[i].year);
    fputs(",last_year,cumulative,cumulative_lo95,cumulative_hi95,share_reached,remaining,note,"
          "cumulative_sum,counted_as\n", fp);
    for (int k = 0; k < tg->nt; k++) {
        const sp_target *t = &tg->t[k];
        const sp_target_row *r = &rows[k];
        sp_table_csv_field(fp, t->name);
        fputc(',', fp);
        sp_table_csv_field(fp, t->indicator);
        fprintf(fp, ",%s,%.10g,%d", t->unit, t->goal, r->base_year);
        csv_num(fp, r->base);
        for (int i = 0; i < ny; i++)
            csv_num(fp, r->value[i]);
        if (r->last_year)
            fprintf(fp, ",%d", r->last_year);
        else
            fputc(',', fp);
        csv_num(fp, r->cumulative);
        csv_num(fp, r->cum_lo);
        csv_num(fp, r->cum_hi);
        csv_num(fp, r->share);
        csv_num(fp, r->remaining);
        fputc(',', fp);
        sp_table_csv_field(fp, r->missing ? r->missing : "");
        csv_num(fp, r->cum_sum);
        /* which reading of 累计 share_reached and remaining count */
        char how[256];
        snprintf(how, sizeof how, "%s%s", t->relative ? "last year vs base (%)" : tg->cum_sum ?
                 "sum of each year vs base" : "last year vs base",
                 t->kind == SP_IND_PARK_NET ? "; net of the green-power credit (park.gross: "
                                              "without it)"
                 : t->kind == SP_IND_PARK_PER_T_OPS ? "; gross per t treated without the "
                                                      "legacy landfill"
                 : t->kind == SP_IND_PARK_PER_T ? "; gross per t treated, the legacy landfill "
                                                  "included (park.per_tonne_ops: without it)"
                                                : "");
        fputc(',', fp);
        sp_table_csv_field(fp, how);
        fputc('\n', fp);
    }
}

/* one row per year (case = the year), then per measure (case = its name) */
static void write_synergy_csv(FILE *fp, const sp_synergy *s, int n, char **names)
{
    fputs("case,apeq_base,apeq,d_apeq_pct,co2_base_t,co2_t,d_co2_pct,els,els_note,u1,u2,c,t,d\n", fp);
    for (int i = 0; i < n; i++) {
        if (s[i].year)
            fprintf(fp, "%d", s[i].year);
        else
            sp_table_csv_field(fp, names[i]);
        csv_num(fp, s[i].apeq0);
        csv_num(fp, s[i].apeq);
        csv_num(fp, 100 * s[i].d_apeq);
        csv_num(fp, s[i].co2_0);
        csv_num(fp, s[i].co2);
        csv_num(fp, 100 * s[i].d_co2);
        csv_num(fp, s[i].els);
        fputc(',', fp);
        sp_table_csv_field(fp, s[i].els_note);
        csv_num(fp, s[i].u1);
        csv_num(fp, s[i].u2);
        csv_num(fp, s[i].c);
        csv_num(fp, s[i].t);
        csv_num(fp, s[i].d);
        fputc('\n', fp);
    }
}

static const char *gwp_name(const sp_park_result *r)
{
    return r->gwp_ch4 == 27.0 ? "AR6" : r->gwp_ch4 == 28 ? "AR5" : "SAR";
}

/* The park per year: its emissions by step, gross (and with SAR's GWPs), credit, net, the
 * tonnes treated, per tonne with and without the legacy landfill, and each year's change
 * against the base year split into its drivers (sp_park_per_t_drivers; net: operations,
 * legacy, credit). */
static void write_park_csv(FILE *fp, const sp_ledger_year *ys, int ny, int base)
{
    fputs("year,gwp,co2_fossil_t,ch4_t,n2o_t,gross_t_co2e,credit_t_co2,net_t_co2e,"
          "gross_per_t_received,gross_per_t_incinerated,power_exported_gwh,nox_t,so2_t,"
          "pm25_t,co_t,ch4_incineration_t,ch4_digestion_t,ch4_composting_t,ch4_biogas_t,ch4_landfill_t,"
          "ch4_landfill_legacy_t,ch4_leachate_t,gross_sar_t_co2e,legacy_t_co2e,treated_t,"
          "gross_per_t_treated,gross_per_t_treated_ops,per_t_change,per_t_from_tonnes,"
          "per_t_from_operations,per_t_from_legacy,net_change,net_from_operations,"
          "net_from_legacy,net_from_credit,capacity_gwh,biogas_slip,credit_basis\n", fp);
    const sp_park_result *b = NULL;
    for (int i = 0; i < ny; i++)
        if (ys[i].has_park && ys[i].year == base)
            b = &ys[i].park;
    for (int i = 0; i < ny; i++) {
        const sp_park_result *r = &ys[i].park;
        if (!ys[i].has_park)
            continue;
        double dt = NAN, dops = NAN, dleg = NAN, nops = NAN, nleg = NAN, ncr = NAN;
        if (b && b->treated > 0 && r->treated > 0)
            sp_park_per_t_drivers(b, r, &dt, &dops, &dleg);
        if (b) {
            nops = (r->gross - r->legacy) - (b->gross - b->legacy);
            nleg = r->legacy - b->legacy;
            ncr = -(r->credit - b->credit);
        }
        fprintf(fp, "%d,%s", ys[i].year, gwp_name(r));
        double v[] = {r->co2_fossil, r->ch4, r->n2o, r->gross, r->credit, r->net,
                      r->per_t_received, r->per_t_incinerated, r->power_gwh, r->E[SP_NOX],
                      r->E[SP_SO2], r->E[SP_PM25], r->E[SP_CO], r->ch4_inc, r->ch4_dig, r->ch4_comp,
                      r->ch4_biogas, r->ch4_landfill, r->ch4_legacy, r->ch4_leachate,
                      r->gross_sar, r->legacy, r->treated, r->per_t_treated,
                      r->per_t_treated_ops, b ? r->per_t_treated - b->per_t_treated : NAN, dt,
                      dops, dleg, b ? r->net - b->net : NAN, nops, nleg, ncr, r->capacity_gwh};
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            csv_num(fp, v[k]);
        fputs(r->slip_included ? ",included in the digestion default," : ",added,", fp);
        sp_table_csv_field(fp, r->grid_basis[0] ? r->grid_basis : "not given (grid_basis)");
        fputc('\n', fp);
    }
}

/* One panel per target: the indicator per year, the goal as a dashed line. */
static void write_svg(FILE *fp, const sp_targets *tg, const sp_ledger_year *ys, int ny,
                      const sp_target_row *rows)
{
    int cols = 2, pw = 360, ph = 220, nrow = (tg->nt + cols - 1) / cols;
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" "
            "fill=\"white\"/>\n", cols * pw, nrow * ph);
    for (int k = 0; k < tg->nt; k++) {
        const sp_target *t = &tg->t[k];
        const sp_target_row *r = &rows[k];
        double ox = (k % cols) * pw + 50, oy = (double)(k / cols) * ph + 30, w = pw - 70, h = ph - 70;
        double goal = t->relative ? r->base * (1 + t->goal / 100) : r->base + t->goal;
        double lo = goal, hi = goal;
        for (int i = 0; i < ny; i++)
            if (!isnan(r->value[i]))
                lo = fmin(lo, r->value[i]), hi = fmax(hi, r->value[i]);
        char *name = sp_page_xml(t->name);
        fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" font-weight=\"bold\">%s</text>\n", ox - 40,
                oy - 12, name ? name : "");
        free(name);
        if (isnan(lo) || isnan(hi) || ny < 1) {
            fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n", ox, oy + 20,
                    r->missing ? r->missing : "no data");
            continue;
        }
        if (hi - lo < 1e-12 * fmax(1, fabs(hi)))
            hi = lo + 1;
        double pad = (hi - lo) * 0.08;
        lo -= pad, hi += pad;
        int y0 = ys[0].year, y1 = ys[ny - 1].year > y0 ? ys[ny - 1].year : y0 + 1;
#define X(y) (ox + w * ((y) - y0) / (double)(y1 - y0))
#define Y(v) (oy + h * (1 - ((v) - lo) / (hi - lo)))
        fprintf(fp, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                "stroke=\"#999\"/>\n", ox, oy, w, h);
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\" "
                "stroke-dasharray=\"5 3\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"#c00\">goal "
                "%.6g</text>\n", ox, Y(goal), ox + w, Y(goal), ox + 4, Y(goal) - 3, goal);
        fputs("<polyline fill=\"none\" stroke=\"#036\" stroke-width=\"2\" points=\"", fp);
        for (int i = 0; i < ny; i++)
            if (!isnan(r->value[i]))
                fprintf(fp, "%.1f,%.1f ", X(ys[i].year), Y(r->value[i]));
        fputs("\"/>\n", fp);
        for (int i = 0; i < ny; i++) {
            fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n",
                    X(ys[i].year), oy + h + 14, ys[i].year);
            if (!isnan(r->value[i]))
                fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#036\"/>\n",
                        X(ys[i].year), Y(r->value[i]));
        }
        fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\">%.6g .. %.6g %s; reached %.0f %% of the goal"
                "</text>\n", ox, oy + h + 30, lo + pad, hi - pad,
                t->relative || t->kind == SP_IND_INTENSITY || t->kind == SP_IND_PARK_PER_T ||
                        t->kind == SP_IND_PARK_PER_T_OPS ? ""
                : t->unit, 100 * r->share);
#undef X
#undef Y
    }
    fputs("</svg>\n", fp);
}

static void print_table(FILE *fp, const sp_targets *tg, const sp_target_row *rows,
                        const sp_synergy *s, int ns, char **names)
{
    fprintf(fp, "%-28s %10s %12s %12s %9s %12s\n", "target", "goal", "baseline", "cumulative",
            "reached", "remaining");
    for (int k = 0; k < tg->nt; k++) {
        const sp_target_row *r = &rows[k];
        if (r->missing && isnan(r->cumulative)) {
            fprintf(fp, "%-28s %9.6g%-1s  (%s)\n", tg->t[k].name, tg->t[k].goal,
                    tg->t[k].relative ? "%" : "", r->missing);
            continue;
        }
        fprintf(fp, "%-28s %9.6g%-1s %12.6g %11.6g%-1s %8.1f%% %11.6g%-1s", tg->t[k].name,
                tg->t[k].goal, tg->t[k].relative ? "%" : "", r->base, r->cumulative,
                tg->t[k].relative ? "%" : "", 100 * r->share, r->remaining,
                tg->t[k].relative ? "%" : "");
        if (!isnan(r->cum_lo))
            fprintf(fp, "  (95 %%: %.6g to %.6g)", r->cum_lo, r->cum_hi);
        fputc('\n', fp);
    }
    for (int i = 0; i < ns; i++) {
        if (s[i].year)
            fprintf(fp, "synergy %d: ", s[i].year);
        else
            fprintf(fp, "synergy of '%s': ", names[i]);
        fprintf(fp, "APeq %+.2f %%, CO2 (scope 1+2) %+.2f %%, ", 100 * s[i].d_apeq,
                100 * s[i].d_co2);
        if (isnan(s[i].els))
            fprintf(fp, "Els -: %s", s[i].els_note);
        else
            fprintf(fp, "Els %.3g (%s)", s[i].els, s[i].els_note);
        if (!isnan(s[i].d))
            fprintf(fp, "; coordination D %.3f (U1 %.3f, U2 %.3f, C %.3f)", s[i].d, s[i].u1,
                    s[i].u2, s[i].c);
        fputc('\n', fp);
    }
}

/* Each degree's D per year, on one line. */
static void print_degrees(FILE *fp, const sp_targets *tg, const sp_ledger_year *ys, int ny)
{
    for (int k = 0; k < tg->ndeg; k++) {
        fprintf(fp, "degree %s (fixed bounds): D", tg->deg[k].name);
        for (int i = 0; i < ny; i++) {
            const char *why;
            double d = sp_ledger_degree(tg, k, &ys[i], NULL, NULL, NULL, &why);
            if (!isnan(d))
                fprintf(fp, " %d %.3f", ys[i].year, d);
        }
        fputc('\n', fp);
    }
}

/* Writes text into path under sp_output (committed with the others). */
static sp_status write_file(sp_ctx *ctx, const char *path, char *text, size_t len)
{
    sp_output out = {0};
    sp_status rc = sp_output_begin(ctx, &out, path);
    if (rc)
        return rc;
    FILE *fp = fopen(out.path, "w");
    bool ok = fp && fwrite(text, 1, len, fp) == len;
    if (fp && fclose(fp))
        ok = false;
    if (!ok) {
        sp_output_abort(&out);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s'", path);
    }
    return sp_output_commit(ctx, &out);
}

/* The elasticity of each -measure scenario against the baseline year's inventory, after
 * the years' rows in syn (names[] holds the measures' names). */
static sp_status measure_synergy(sp_ctx *ctx, const sp_ledger_options *o, const sp_targets *tg,
                                 const sp_ledger_year *ys, int ny, sp_synergy *syn, int *ns,
                                 char **names)
{
    const sp_ledger_year *b = NULL;
    for (int i = 0; i < ny; i++)
        if (ys[i].year == tg->baseline)
            b = &ys[i];
    for (int k = 0; o->measures && o->measures[k]; k++) {
        const char *eq = strchr(o->measures[k], '=');
        if (!eq || eq == o->measures[k] || !eq[1])
            return sp_error(ctx, SP_ERR_USAGE, "-measure '%s': want NAME=TOTALS.csv",
                            o->measures[k]);
        if (!b)
            return sp_error(ctx, SP_ERR_USAGE, "-measure needs the baseline year's inventory "
                            "(-year %d=...)", tg->baseline);
        if (*ns == SP_LEDGER_MAX_YEARS * 2)
            return sp_error(ctx, SP_ERR_USAGE, "too many -measure");
        double E[SP_NPOL] = {0};
        sp_status rc = read_totals(ctx, eq + 1, E);
        if (rc)
            return rc;
        sp_synergy *s = &syn[*ns];
        memset(s, 0, sizeof *s);
        sp_ledger_els(tg, b->E_inv, E, s);
        s->u1 = s->u2 = s->c = s->t = s->d = NAN;
        if (!(names[(*ns)++] = strndup(o->measures[k], (size_t)(eq - o->measures[k]))))
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    return SP_OK;
}

/* Each degree per year: its two levels, their normalised u, C, T and D (empty where a
 * level cannot be computed, with why). */
static void write_degree_csv(FILE *fp, const sp_targets *tg, const sp_ledger_year *ys, int ny)
{
    fputs("degree,year,pollution_indicator,pollution_level,u1,carbon_indicator,carbon_level,"
          "u2,c,t,d,note\n", fp);
    for (int k = 0; k < tg->ndeg; k++)
        for (int i = 0; i < ny; i++) {
            const sp_degree *g = &tg->deg[k];
            double u[2] = {NAN, NAN}, c = NAN, t = NAN, lv[2];
            const char *why, *w2;
            double d = sp_ledger_degree(tg, k, &ys[i], u, &c, &t, &why);
            sp_table_csv_field(fp, g->name);
            fprintf(fp, ",%d,", ys[i].year);
            for (int j = 0; j < 2; j++) {
                lv[j] = sp_ledger_indicator(tg, &g->level[j], &ys[i], &w2);
                if (j)
                    fputc(',', fp);
                sp_table_csv_field(fp, g->level[j].indicator);
                csv_num(fp, lv[j]);
                csv_num(fp, isnan(d) ? NAN : u[j]);
            }
            csv_num(fp, isnan(d) ? NAN : c);
            csv_num(fp, isnan(d) ? NAN : t);
            csv_num(fp, d);
            fputc(',', fp);
            sp_table_csv_field(fp, why ? why : "");
            fputc('\n', fp);
        }
}

/* The CSV, synergy, chart, park and degree outputs, all or none. */
static sp_status write_outputs(sp_ctx *ctx, const char *dst, const sp_ledger_options *o,
                               const sp_targets *tg, const sp_ledger_year *ys, int ny,
                               const sp_target_row *rows, const sp_synergy *syn, int ns,
                               char **names)
{
    enum { NOUT = 5 };
    char *text[NOUT] = {NULL};
    size_t len[NOUT] = {0};
    const char *paths[NOUT] = {dst, o->synergy, o->svg, o->park_csv, o->degree};
    bool bom;
    sp_status rc = sp_table_csv_bom(ctx, o->lco, &bom);
    if (rc)
        return rc;
    sp_output_hold(ctx);
    for (int k = 0; k < NOUT && !rc; k++) {
        if (!paths[k])
            continue;
        FILE *fp = open_memstream(&text[k], &len[k]);
        if (!fp) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            break;
        }
        if (bom && k != 2) /* the CSVs, not the SVG */
            fputs("\xEF\xBB\xBF", fp);
        if (k == 0)
            write_ledger_csv(fp, tg, ys, ny, rows);
        else if (k == 1)
            write_synergy_csv(fp, syn, ns, names);
        else if (k == 2)
            write_svg(fp, tg, ys, ny, rows);
        else if (k == 3)
            write_park_csv(fp, ys, ny, tg->baseline);
        else
            write_degree_csv(fp, tg, ys, ny);
        fclose(fp);
        rc = text[k] ? write_file(ctx, paths[k], text[k], len[k])
                     : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    for (int k = 0; k < NOUT; k++)
        free(text[k]);
    sp_status rc2 = sp_output_release(ctx, rc == SP_OK);
    return rc ? rc : rc2;
}

sp_status sp_ledger_run(sp_ctx *ctx, const char *dst, const sp_ledger_options *o)
{
    sp_targets *tg = NULL;
    sp_ledger_year *ys = calloc(SP_LEDGER_MAX_YEARS, sizeof *ys);
    sp_target_row *rows = calloc(SP_LEDGER_MAX_TARGETS, sizeof *rows);
    sp_synergy *syn = calloc(SP_LEDGER_MAX_YEARS * 3, sizeof *syn);
    char **names = calloc(SP_LEDGER_MAX_YEARS * 3, sizeof *names);
    int ny = 0, ns = 0;
    sp_status rc = ys && rows && syn && names ? SP_OK
                                              : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = sp_targets_read(ctx, o->targets, o->bounds, &tg);
    if (!rc)
        rc = read_years(ctx, o, tg->baseline, ys, &ny);
    if (rc)
        goto done;
    sp_ledger_rows(tg, ys, ny, rows);
    if ((rc = check_rows(ctx, tg, ys, ny, rows)))
        goto done;
    sp_ledger_intervals(tg, ys, ny, rows);
    ns = sp_ledger_synergy(tg, ys, ny, rows, syn);
    if ((rc = measure_synergy(ctx, o, tg, ys, ny, syn, &ns, names)) ||
        (rc = write_outputs(ctx, dst, o, tg, ys, ny, rows, syn, ns, names)))
        goto done;
    if (o->table) {
        print_table(o->table, tg, rows, syn, ns, names);
        print_degrees(o->table, tg, ys, ny);
        for (int i = 0; i < ny; i++) {
            fprintf(o->table, "CO2 %d: scope 1 %.6g t, scope 2 %.6g t (inventory)\n", ys[i].year,
                    ys[i].E_inv[SP_CO2], ys[i].E_inv[SP_CO2_S2]);
            if (ys[i].has_park)
                fprintf(o->table, "park %d: gross %.6g t CO2e (%s GWP; %.6g with SAR's), credit "
                        "%.6g t, net %.6g t; %.4g t CO2e per t treated (%.4g without the legacy "
                        "landfill); NOx %.4g t\n", ys[i].year, ys[i].park.gross,
                        gwp_name(&ys[i].park), ys[i].park.gross_sar, ys[i].park.credit,
                        ys[i].park.net, ys[i].park.per_t_treated, ys[i].park.per_t_treated_ops,
                        ys[i].park.E[SP_NOX]);
        }
    }
done:
    sp_targets_free(tg);
    for (int i = 0; ys && i < SP_LEDGER_MAX_YEARS; i++)
        free((double *)ys[i].draws);
    for (int i = 0; names && i < SP_LEDGER_MAX_YEARS * 3; i++)
        free(names[i]);
    free(names);
    free(ys);
    free(rows);
    free(syn);
    return rc;
}
