/* sp-score: ranks streets/townships as "one-microgram demonstration street" candidates
 * from sp-zonal tables and a spec of weighted indicators, explains each rank and says
 * how robust each pick is. Parses arguments, runs sp_score_run, prints the selection. */
#include "sp_cli.h"
#include "sp_score_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
    "Usage: sp-score -spec SPEC [options] TABLE OUT\n"
    "\n"
    "Scores every zone (street/township) of TABLE, an sp-zonal output (CSV, GeoPackage or\n"
    "GeoJSON; baseline and scenario columns), by the weighted indicators of SPEC, ranks\n"
    "them, selects the candidates and writes why. OUT by extension: .csv, .gpkg or\n"
    ".geojson (the latter two with the zone polygons, for a map). Rows in rank order.\n"
    "Columns: id, label, rank, selected, score (0-100 with minmax/rank), stability,\n"
    "eligible, reason, station and synergy columns, and <indicator>_raw/_norm/_pts.\n"
    "The spec format is in README.md (sp-score) and samples/score.spec.\n"
    "\n"
    "  -spec FILE         indicators, filters, number to select, tie rules, synergy pairs\n"
    "  -join [NAME=]FILE  another table joined by id (repeatable); with NAME= its columns\n"
    "                     are called NAME_<column>\n"
    "  -l LAYER           layer of TABLE (default: the first)\n"
    "  -zones FILE        zone polygons joined by id, when TABLE has none (e.g. a CSV)\n"
    "  -stations FILE     monitoring stations (points): column station_<field> = mean of\n"
    "                     the stations inside a zone, else inverse-distance weighting from\n"
    "                     the zone centroid (needs the zone polygons)\n"
    "  -sf FIELD          the stations' value field (default pm25)\n"
    "  -idw_power P       IDW power (default 2)\n"
    "  -draws N           robustness: N random weight draws (default 1000; 0: none);\n"
    "                     stability = share of draws that select the zone\n"
    "  -perturb F         each weight x (1 + U(-F, F)) per draw (default 0.2: +-20 %)\n"
    "  -smaa_kappa K      SMAA rank acceptability over the same number of draws: weights\n"
    "                     from a Dirichlet(K x spec weights), on the simplex with the spec's\n"
    "                     weights as mean (default 100: each weight varies by about\n"
    "                     sqrt(w(1-w)/101)); columns smaa_rank_best/_median/_worst (5th,\n"
    "                     50th, 95th percentile of the rank) and smaa_selected\n"
    "  -seed N            seed of the draws (default 1): same seed, same stability\n"
    "  -include F1,F2     more TABLE columns copied to OUT\n"
    "  -of CSV|GPKG|GeoJSON  -q  --config KEY VALUE  --help  --version\n"
    "\n"
    "Prints the selected zones with score, stability and reason (not with -q).\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error. OUT appears only when complete.\n";

static void print_selection(const sp_score_report *rep, const sp_score_options *o)
{
    const sp_table *t = rep->table;
    printf("zones: %d, eligible %d, selected %d", rep->nzones, rep->neligible, rep->nselected);
    if (o->draws)
        printf(" (stability: %d draws of the weights +-%g %%, seed %llu)", o->draws,
               100 * o->perturb, (unsigned long long)o->seed);
    printf("\n%4s  %-10s %-16s %6s %9s  %s\n", "rank", "id", "label", "score", "stability",
           "reason");
    char b1[64], b2[64];
    for (int r = 0; r < t->nrows; r++) {
        if (t->cols[rep->c_selected].num[r] != 1)
            continue;
        double st = t->cols[rep->c_stability].num[r];
        printf("%4.0f  %-10s %-16s %6.1f %9s  %s\n", t->cols[rep->c_rank].num[r],
               sp_table_text(t, rep->c_id, r, b1, sizeof b1),
               rep->c_label >= 0 ? sp_table_text(t, rep->c_label, r, b2, sizeof b2) : "",
               t->cols[rep->c_score].num[r], isnan(st) ? "-" : (snprintf(b2, sizeof b2,
               "%.2f", st), b2), t->cols[rep->c_reason].str[r]);
    }
    /* the zones the weights could bring in: a planner should look at them too */
    bool first = true;
    for (int r = 0; r < t->nrows; r++) {
        double st = t->cols[rep->c_stability].num[r];
        if (t->cols[rep->c_selected].num[r] == 1 || !(st > 0))
            continue;
        printf("%s %s (rank %.0f, stability %.2f)", first ? "also selected in some weight draws:"
                                                            : ",",
               sp_table_text(t, rep->c_id, r, b1, sizeof b1), t->cols[rep->c_rank].num[r], st);
        first = false;
    }
    if (!first)
        printf("\n");
    if (rep->n_ug < 0)
        return;
    /* the plan's test: the streets whose PM2.5 improves by the threshold in at least a
     * share p of the ensemble */
    int cp = sp_table_find(t, "p_1ug"), cd = sp_table_find(t, "dc_pm25_ugm3");
    int cr = sp_table_find(t, "ug_reason");
    printf("one-microgram test (p(change >= %g ug/m3) >= %.2f): %d street(s) reach it; the plan "
           "asks for %d\n", rep->ug_threshold, rep->ug_p, rep->n_ug, rep->select);
    /* the streets by p, then by the median change: those that reach it, then the closest */
    int n = t->nrows, shown = 0;
    bool *done = calloc((size_t)(n ? n : 1), 1);
    for (int k = 0; done && k < n && shown < (rep->n_ug > rep->select ? rep->n_ug : rep->select); k++) {
        int best = -1;
        for (int r = 0; r < n; r++)
            if (!done[r] && !isnan(t->cols[cp].num[r]) &&
                (best < 0 || t->cols[cp].num[r] > t->cols[cp].num[best] ||
                 (t->cols[cp].num[r] == t->cols[cp].num[best] &&
                  t->cols[cd].num[r] > t->cols[cd].num[best])))
                best = r;
        if (best < 0)
            break;
        done[best] = true;
        shown++;
        double p = t->cols[cp].num[best], d = t->cols[cd].num[best];
        char more[80] = "";
        if (p < rep->ug_p)
            snprintf(more, sizeof more, "  [short: %+.2f ug/m3 more at the median]",
                     rep->ug_threshold - d > 0 ? rep->ug_threshold - d : 0.0);
        printf("  %s %-10s %-16s %s%s\n", p >= rep->ug_p ? "*" : " ",
               sp_table_text(t, rep->c_id, best, b1, sizeof b1),
               rep->c_label >= 0 ? sp_table_text(t, rep->c_label, best, b2, sizeof b2) : "",
               t->cols[cr].str[best], more);
    }
    free(done);
}

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-score", USAGE);
    sp_score_options o;
    sp_score_options_init(&o);
    const char *pos[2] = {NULL, NULL};
    const char **joins = NULL;
    char **include = NULL;
    int nj = 0, rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = sp_cli_common(&cli, argc, argv, &i);
        if (c == 1)
            continue;
        if (c > 1) {
            rc = c == 3 ? 0 : 2;
            goto out;
        }
        bool val = !strcmp(a, "-spec") || !strcmp(a, "-join") || !strcmp(a, "-l") ||
                   !strcmp(a, "-zones") || !strcmp(a, "-stations") || !strcmp(a, "-sf") ||
                   !strcmp(a, "-idw_power") || !strcmp(a, "-draws") || !strcmp(a, "-perturb") || !strcmp(a, "-smaa_kappa") ||
                   !strcmp(a, "-seed") || !strcmp(a, "-include") || !strcmp(a, "-of");
        if (val && !sp_cli_has(&cli, argc, argv, i, 1)) {
            rc = 2;
            goto out;
        }
        const char *v = val ? argv[++i] : NULL;
        int n;
        if (!strcmp(a, "-spec")) {
            o.spec = v;
        } else if (!strcmp(a, "-join")) {
            const char **j = realloc(joins, (size_t)(nj + 1) * sizeof *j);
            if (!j) {
                rc = 1;
                goto out;
            }
            joins = j;
            joins[nj++] = v;
        } else if (!strcmp(a, "-l")) {
            o.layer = v;
        } else if (!strcmp(a, "-zones")) {
            o.zones = v;
        } else if (!strcmp(a, "-stations")) {
            o.stations = v;
        } else if (!strcmp(a, "-sf")) {
            o.station_field = v;
        } else if (!strcmp(a, "-idw_power")) {
            if (!sp_cli_double(v, &o.idw_power) || o.idw_power <= 0) {
                rc = sp_cli_usage(&cli, "-idw_power: '%s' is not a positive number", v);
                goto out;
            }
        } else if (!strcmp(a, "-draws")) {
            if (!sp_cli_int(v, &o.draws) || o.draws < 0 || o.draws > 10000000) {
                rc = sp_cli_usage(&cli, "-draws: '%s' is not a count from 0 to 10000000", v);
                goto out;
            }
        } else if (!strcmp(a, "-perturb")) {
            if (!sp_cli_double(v, &o.perturb) || o.perturb < 0 || o.perturb >= 1) {
                rc = sp_cli_usage(&cli, "-perturb: '%s' is not a fraction in [0, 1)", v);
                goto out;
            }
        } else if (!strcmp(a, "-smaa_kappa")) {
            if (!sp_cli_double(v, &o.smaa_kappa) || o.smaa_kappa <= 0) {
                rc = sp_cli_usage(&cli, "-smaa_kappa: '%s' is not a positive number", v);
                goto out;
            }
        } else if (!strcmp(a, "-seed")) {
            if (!sp_cli_int(v, &n) || n < 0) {
                rc = sp_cli_usage(&cli, "-seed: '%s' is not a whole number >= 0", v);
                goto out;
            }
            o.seed = (uint64_t)n;
        } else if (!strcmp(a, "-include")) {
            sp_cli_free_list(include);
            include = sp_cli_split(v);
        } else if (!strcmp(a, "-of")) {
            o.format = v;
        } else if ((rc = sp_cli_positional(&cli, a, pos, 2))) {
            goto out;
        }
    }
    if (!pos[1]) {
        rc = sp_cli_usage(&cli, "need TABLE and OUT");
        goto out;
    }
    if (!o.spec) {
        rc = sp_cli_usage(&cli, "-spec FILE is required (see samples/score.spec)");
        goto out;
    }
    o.joins = joins;
    o.njoins = nj;
    o.include = include;
    sp_ctx *ctx = sp_ctx_new();
    sp_score_report rep = {0};
    if (!ctx) {
        rc = 1;
    } else if (sp_score_run(ctx, pos[0], pos[1], &o, &rep)) {
        rc = sp_cli_fail(&cli, ctx);
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet)
            print_selection(&rep, &o);
    }
    sp_score_report_free(&rep);
    sp_ctx_free(ctx);
out:
    free(joins);
    sp_cli_free_list(include);
    sp_cli_free(&cli);
    return rc;
}
