/* sp-score: ranks streets/townships as "one-microgram demonstration street" candidates
 * from sp-zonal tables and a spec of weighted indicators, explains each rank and says
 * how robust each pick is. Its flag table, one call (sp_score_run), the selection printed. */
#include "cli/sp_cli.h"
#include "score/sp_score_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sp_tool_desc TOOL = {
    .synopsis = "-spec SPEC [options] TABLE OUT",
    .about =
        "Scores every zone (street/township) of TABLE, an sp-zonal output (CSV, GeoPackage or\n"
        "GeoJSON; baseline and scenario columns), by the weighted indicators of SPEC, ranks\n"
        "them, selects the candidates and writes why. OUT by extension: .csv, .gpkg or\n"
        ".geojson (the latter two with the zone polygons, for a map). Rows in rank order.\n"
        "Columns: id, label, rank, selected, score (0-100 with minmax/rank), stability,\n"
        "eligible, reason, station and synergy columns, and <indicator>_raw/_norm/_pts.\n"
        "The spec format is in docs/sp-score.md and samples/score.spec.\n",
    .notes = "Prints the selected zones with score, stability and reason (not with -q).\n"
             "OUT appears only when complete.\n",
    .examples =
        "sp-score -spec samples/score.spec -join ug=streets_ug.csv streets_emis.gpkg "
        "candidates.gpkg\n"
        "sp-score -spec my.spec -zones streets.shp -stations stations.shp -draws 5000 "
        "-seed 7 streets.csv candidates.geojson",
    .npos_min = 2,
    .npos_max = 2,
    .pos_error = "need TABLE and OUT",
};

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
    int cr = sp_table_find(t, "ug_reason"), cs = sp_table_find(t, "ug_spread");
    printf("one-microgram test (p(PM2.5 cut >= %g ug/m3) >= %.2f): %d street(s) reach it, %d of "
           "the %d selected; the plan asks for %d\n", rep->ug_threshold, rep->ug_p, rep->n_ug,
           rep->n_ug_selected, rep->nselected, rep->select);
    /* the streets that reach it, then the closest (sp_score_ug_order) */
    int n = t->nrows, *order = malloc((size_t)(n ? n : 1) * sizeof *order);
    int shown = order ? sp_score_ug_order(rep, order, n) : 0;
    for (int k = 0; k < shown; k++) {
        int r = order[k];
        double p = t->cols[cp].num[r], d = t->cols[cd].num[r];
        char more[80] = "";
        if (p < rep->ug_p)
            snprintf(more, sizeof more, "  [short: %+.2f ug/m3 more at the median]",
                     rep->ug_threshold - d > 0 ? rep->ug_threshold - d : 0.0);
        printf("  %s %-10s %-16s %s%s\n", p >= rep->ug_p ? "*" : " ",
               sp_table_text(t, rep->c_id, r, b1, sizeof b1),
               rep->c_label >= 0 ? sp_table_text(t, rep->c_label, r, b2, sizeof b2) : "",
               t->cols[cr].str[r], more);
        if (cs >= 0)
            printf("      %s\n", t->cols[cs].str[r]);
    }
    free(order);
}

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-score");
    sp_score_options o;
    sp_score_options_init(&o);
    char **joins = NULL;
    int seed = 1;
    const sp_opt opts[] = {
        SP_SECTION("Inputs:"),
        SP_OPT(SP_OPT_STR, "-spec", "FILE", &o.spec,
               "indicators, filters, number to select, tie rules, synergy pairs"),
        SP_OPT(SP_OPT_STRS, "-join", "[NAME=]FILE", &joins,
               "another table joined by id (repeatable); with NAME= its columns\n"
               "are called NAME_<column>"),
        SP_OPT(SP_OPT_STR, "-l", "LAYER", &o.layer, "layer of TABLE (default: the first)"),
        SP_OPT(SP_OPT_STR, "-members", "FILE.csv", &o.members,
               "sp-disperse's DST.members.csv: which dimension of the ensemble\n"
               "drives each street's spread (first-order variance shares)"),
        SP_OPT(SP_OPT_STR, "-zones", "FILE", &o.zones,
               "zone polygons joined by id, when TABLE has none (e.g. a CSV)"),
        SP_OPT(SP_OPT_STR, "-stations", "FILE", &o.stations,
               "monitoring stations (points): column station_<field> = mean of\n"
               "the stations inside a zone, else inverse-distance weighting from\n"
               "the zone centroid (needs the zone polygons); a CSV list with\n"
               "-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326"),
        SP_OPT(SP_OPT_STR, "-sf", "FIELD", &o.station_field,
               "the stations' value field (default pm25)"),
        SP_OPT(SP_OPT_DOUBLE, "-idw_power", "P", &o.idw_power, "IDW power (default 2)",
               .min = 1e-9, .max = 1e9),
        SP_SECTION("Robustness:"),
        SP_OPT(SP_OPT_INT, "-draws", "N", &o.draws,
               "N random weight draws (default 1000; 0: none); stability =\n"
               "share of draws that select the zone", .min = 0, .max = 10000000),
        SP_OPT(SP_OPT_DOUBLE, "-perturb", "F", &o.perturb,
               "each weight x (1 + U(-F, F)) per draw (default 0.2: +-20 %)",
               .min = 0, .max = 0.999999),
        SP_OPT(SP_OPT_DOUBLE, "-smaa_kappa", "K", &o.smaa_kappa,
               "SMAA rank acceptability over the same number of draws: weights\n"
               "from a Dirichlet(K x spec weights), on the simplex with the spec's\n"
               "weights as mean (default 100: each weight varies by about\n"
               "sqrt(w(1-w)/101)); columns smaa_rank_best/_median/_worst (5th,\n"
               "50th, 95th percentile of the rank) and smaa_selected",
               .min = 1e-9, .max = 1e12),
        SP_OPT(SP_OPT_INT, "-seed", "N", &seed,
               "seed of the draws (default 1): same seed, same stability",
               .min = 0, .max = 2147483647),
        SP_SECTION("Output:"),
        SP_OPT(SP_OPT_LIST, "-include", "F1,F2", &o.include, "more TABLE columns copied to OUT"),
        SP_TABLE_OUTPUT_OPTS(o),
    };
    const char *pos[2];
    /* the stations as any vector input: -oo X_POSSIBLE_NAMES=lon... for a CSV list, -s_srs,
     * -s_coord, -l, -where (sp_vector) */
    sp_cli_add_input(&cli, "stations", &o.st, &o.stations);
    int rc = sp_cli_parse(&cli, &TOOL, opts, sizeof opts / sizeof *opts, argc, argv, pos);
    if (!rc && !o.spec)
        rc = sp_cli_usage(&cli, "-spec FILE is required (see samples/score.spec)");
    if (rc) {
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    o.seed = (uint64_t)seed;
    o.joins = (const char *const *)joins;
    o.njoins = sp_cli_list_len(joins);
    sp_ctx *ctx = sp_ctx_new();
    sp_score_report rep = {0};
    if (!ctx || sp_score_run(ctx, pos[0], pos[1], &o, &rep)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet)
            print_selection(&rep, &o);
    }
    sp_score_report_free(&rep);
    sp_ctx_free(ctx);
    sp_cli_free(&cli);
    return rc;
}
