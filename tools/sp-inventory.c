/* sp-inventory: emission inventories from activity data (restaurants, boilers, roads,
 * area sources) with a cited factor table, and "what if" scenarios from a measures file.
 * Its flag table (a sector input per entry of SP_SECTORS), one run, the totals table printed. */
#include "cli/sp_cli.h"
#include "inventory/sp_inventory.h"
#include "inventory/sp_inventory_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sp_tool_desc TOOL = {
    .synopsis = "-f FACTORS.csv [-m MEASURES.txt] -SECTOR SRC... [options] DST.gpkg",
    .about =
        "Computes the emissions of every source (t/yr of NOx, VOCs, PM2.5, PM10, SO2, CO, CO2\n"
        "and cooking fume) from activity data and the factor table, and writes a GeoPackage\n"
        "with one layer per sector: the input fields, the emission columns nox, vocs, pm25,\n"
        "pm10, so2, co, co2, fume, and `measures` (what the scenario changed). With -m the\n"
        "layers hold the scenario, and the totals show baseline, scenario and change.\n"
        "Lengths and areas are measured in metres: in the projected CRS, or in the data's\n"
        "UTM zone when it is geographic. DST appears only when complete; the same inputs\n"
        "give the same bytes.\n",
    .examples =
        "sp-inventory -f samples/factors.csv -catering restaurants.shp -boiler boilers.shp "
        "-road roads.gpkg inventory.gpkg\n"
        "sp-inventory -f samples/factors.csv -m samples/measures.txt -catering r.shp "
        "-s_coord catering=gcj02 -totals totals.csv scenario.gpkg\n"
        "sp-inventory -f factors.csv -catering 餐饮.shp -enc catering=GBK "
        "-map stoves=灶头数 -map cuisine=菜系 inv.gpkg",
    .npos_min = 1,
    .npos_max = 1,
    .pos_error = "need DST (the inventory GeoPackage)",
};

/* -map, -values and -default, and the bare keys (hours) that more than one sector has:
 * resolved after the parse, against the sectors the run reads. */
typedef struct {
    sp_inventory_options *o;
    int npending;
    const char *pending[64], *pending_flag[64];
} map_state;

/* The activity-field key called KEY (sector.name, or name alone when unique; with only
 * some sectors read (src != NULL), unique among theirs): its index, -2 when ambiguous
 * and src is NULL (resolved later), or -1 after a usage error naming the flag. */
static int key_index(sp_cli *cli, const char *flag, const char *v, size_t kl,
                     const char *const *src)
{
    int hit = -1, nhit = 0;
    for (int k = 0; k < sp_inv_nfields(); k++) {
        int sec = -1;
        const char *key = sp_inv_field(k, &sec)->key, *dot = strchr(key, '.');
        if (src && !src[sec] && strlen(key) != kl) /* a bare key: the sectors read only */
            continue;
        if ((strlen(key) == kl && !strncmp(key, v, kl)) ||
            (strlen(dot + 1) == kl && !strncmp(dot + 1, v, kl))) {
            hit = k;
            nhit++;
        }
    }
    if (nhit > 1 && !src)
        return -2;
    if (nhit != 1) {
        sp_cli_usage(cli, "%s: %s key '%.*s' (see --help for the keys)", flag,
                     nhit ? "ambiguous among the sectors read, prefix the sector:" : "unknown",
                     (int)kl, v);
        return -1;
    }
    return hit;
}

/* -map KEY=FIELD, -default KEY=VALUE, -values KEY:FROM=TO,FROM=TO */
static int apply_map(sp_cli *cli, const char *flag, const char *v, sp_inventory_options *o,
                     const char *const *src, map_state *ms);

static int opt_map(sp_cli *cli, const sp_opt *opt, char **val, void *user)
{
    return apply_map(cli, opt->name, val[0], ((map_state *)user)->o, NULL, user);
}

/* One -map/-values/-default argument; a bare key that several sectors have waits in ms
 * (src NULL: while parsing) until the sectors read are known. */
static int apply_map(sp_cli *cli, const char *flag, const char *v, sp_inventory_options *o,
                     const char *const *src, map_state *ms)
{
    bool values = !strcmp(flag, "-values");
    const char *sep = strchr(v, values ? ':' : '=');
    if (!sep || sep == v || !sep[1])
        return sp_cli_usage(cli, "%s wants %s, got '%s'", flag,
                            values ? "KEY:FROM=TO,FROM=TO" : !strcmp(flag, "-map")
                                                           ? "KEY=FIELD" : "KEY=VALUE", v);
    int k = key_index(cli, flag, v, (size_t)(sep - v), src);
    if (k == -2 && ms->npending < 64) {
        ms->pending_flag[ms->npending] = flag;
        ms->pending[ms->npending++] = v;
        return 0;
    }
    if (k == -2)
        return sp_cli_usage(cli, "%s: more than 64 keys without their sector", flag);
    if (k < 0)
        return 2;
    if (values) {
        for (const char *p = sep + 1; p && *p;) { /* every pair is FROM=TO */
            const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
            if (!memchr(p, '=', (size_t)(end - p)))
                return sp_cli_usage(cli, "-values: '%.*s' is not FROM=TO", (int)(end - p), p);
            p = comma ? comma + 1 : NULL;
        }
        o->values[k] = sep + 1;
    } else if (!strcmp(flag, "-map")) {
        o->field[k] = sep + 1;
    } else {
        o->defaults[k] = sep + 1;
    }
    return 0;
}

static void print_table(const sp_inventory_totals *t, const double (*E)[SP_NPOL],
                        const char *title)
{
    printf("%s (t/yr)\n%-9s %7s", title, "sector", "sources");
    for (int p = 0; p < SP_NPOL; p++)
        printf(" %11s", SP_POL_NAME[p]);
    printf("\n");
    double sum[SP_NPOL] = {0};
    long long n = 0;
    for (int s = 0; s < SP_NSEC; s++) {
        if (!t->run[s])
            continue;
        printf("%-9s %7lld", SP_SECTORS[s]->name, t->n[s]);
        for (int p = 0; p < SP_NPOL; p++) {
            printf(" %11.3f", E[s][p]);
            sum[p] += E[s][p];
        }
        n += t->n[s];
        printf("\n");
    }
    printf("%-9s %7lld", "total", n);
    for (int p = 0; p < SP_NPOL; p++)
        printf(" %11.3f", sum[p]);
    printf("\n");
}

static void print_totals(const sp_inventory_totals *t)
{
    print_table(t, (const double(*)[SP_NPOL])t->base, t->scenario ? "Baseline" : "Emissions");
    if (!t->scenario)
        return;
    print_table(t, (const double(*)[SP_NPOL])t->scen, "Scenario");
    printf("Change (%%)\n%-9s %7s", "sector", "changed");
    for (int p = 0; p < SP_NPOL; p++)
        printf(" %11s", SP_POL_NAME[p]);
    printf("\n");
    double sb[SP_NPOL] = {0}, ss[SP_NPOL] = {0};
    long long nc = 0;
    for (int s = 0; s <= SP_NSEC; s++) {
        if (s < SP_NSEC && !t->run[s])
            continue;
        printf("%-9s %7lld", s < SP_NSEC ? SP_SECTORS[s]->name : "total",
               s < SP_NSEC ? t->changed[s] : nc);
        for (int p = 0; p < SP_NPOL; p++) {
            double b = s < SP_NSEC ? t->base[s][p] : sb[p];
            double c = s < SP_NSEC ? t->scen[s][p] : ss[p];
            if (b > 0)
                printf(" %11.2f", (c - b) / b * 100);
            else
                printf(" %11s", "-");
            if (s < SP_NSEC) {
                sb[p] += b;
                ss[p] += c;
            }
        }
        if (s < SP_NSEC)
            nc += t->changed[s];
        printf("\n");
    }
}

/* The totals' 95 % intervals over the Monte-Carlo draws, and the scenario's change. */
static void print_mc(const sp_inventory_totals *t)
{
    printf("Monte-Carlo (%d draws of the factors' uncertainty): total, median [2.5 %%, 97.5 %%]\n",
           t->mc);
    for (int p = 0; p < SP_NPOL; p++) {
        double m, lo, hi, cm, clo, chi;
        sp_inventory_mc_interval(t, SP_NSEC, p, 0, &m, &lo, &hi);
        if (!(hi > 0))
            continue;
        printf("  %-10s %12.6g [%.6g, %.6g] t", SP_POL_NAME[p], m, lo, hi);
        if (t->scenario) {
            sp_inventory_mc_interval(t, SP_NSEC, p, 3, &cm, &clo, &chi);
            printf("; change %+.2f %% [%+.2f, %+.2f]", cm, clo, chi);
        }
        printf("\n");
    }
}

/* The run with the parsed options: one library call. Returns the exit code. */
static int run(sp_cli *cli, sp_inventory_options *o)
{
    int rc = 0;
    o->progress = sp_cli_progress;
    o->progress_user = cli;
    sp_ctx *ctx = sp_ctx_new();
    sp_inventory_totals t = {0};
    if (!ctx || sp_inventory_run(ctx, o, &t)) {
        rc = ctx ? sp_cli_fail(cli, ctx) : 1;
    } else {
        sp_cli_warnings(cli, ctx);
        if (!cli->quiet && !(o->totals_out && !strcmp(o->totals_out, "-")))
            print_totals(&t);
        if (!cli->quiet && t.mc)
            print_mc(&t);
        if (!cli->quiet && t.clim_hours)
            printf("Climate (%ld hours of %s): road exhaust %s\n", t.clim_hours, o->climate,
                   t.clim_note[0] ? t.clim_note : "unchanged (no climate rows)");
    }
    sp_inventory_totals_free(&t);
    sp_ctx_free(ctx);
    return rc;
}

/* the scenario's time and responses, and the road exhaust's climate */
#define SCENARIO_OPTS(o)                                                                        \
        SP_OPT(SP_OPT_STR, "-marginal", "POLS", &(o).marginal,                                  \
               "with -m: each measure's own cut of POLS (e.g. nox,pm25) per source,\n"          \
               "columns cutNN_POL, given the measures before it: they add up to\n"              \
               "the scenario's (grid them for a scenario explorer's responses)"),               \
        SP_OPT(SP_OPT_STR, "-marginal_out", "FILE.csv", &(o).marginal_out,                      \
               "the cuts summed per measure, each measure alone, the interaction"),             \
        SP_OPT(SP_OPT_INT, "-year", "Y", &(o).year,                                             \
               "the inventory of year Y: a measure 'from YYYY-MM-DD' in Y counts its\n"         \
               "days' share of Y, a later one nothing (default: all in full)", .min = 1900, .max = 2200),\
        SP_OPT(SP_OPT_STR, "-climate", "MET.csv", &(o).climate,                                 \
               "hourly weather (TEMP in C, and RH in % or DEWP in C: the UCI\n"                 \
               "Beijing files) for the road exhaust's temperature and humidity\n"               \
               "corrections (VEHICLE/climate:COND rows; default: none)")

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-inventory");
    sp_inventory_options o;
    map_state ms = {&o, 0, {NULL}, {NULL}};
    sp_inventory_options_init(&o);
    double seed = 1;
    char flag[SP_NSEC][32], keys[1024] = "activity field names (repeatable). Keys and defaults:";
    for (int k = 0, col = 80; k < sp_inv_nfields(); k++) {
        char kv[96];
        snprintf(kv, sizeof kv, "%s=%s", sp_inv_field(k, NULL)->key, sp_inv_field(k, NULL)->def);
        size_t l = strlen(keys);
        col += (int)strlen(kv) + 1;
        bool nl = col > 58;
        snprintf(keys + l, sizeof keys - l, "%s%s", nl ? "\n" : " ", kv);
        if (nl)
            col = (int)strlen(kv);
    }
    const sp_opt more[] = {
        SP_OPT(SP_OPT_STR, "-f", "FACTORS.csv", &o.factors,
               "emission factor table (sector,class,pollutant,value,unit,\n"
               "source); samples/factors.csv is a cited example"),
        SP_OPT(SP_OPT_STR, "-m", "MEASURES.txt", &o.measures,
               "measures for a scenario (docs/sp-inventory.md: boiler retrofit,\n"
               "catering purifier, road remove, road nev, reduce)"),
        SP_SECTION("Options:"),
        SP_OPT(SP_OPT_CALL, "-map", "KEY=FIELD", NULL, keys, .fn = opt_map, .user = &ms),
        SP_OPT(SP_OPT_CALL, "-values", "KEY:FROM=TO,...", NULL,
               "map a field's values before reading them (repeatable), e.g.\n"
               "-values purifier:有=1,无=0 -values cuisine:川菜=chinese",
               .fn = opt_map, .user = &ms),
        SP_OPT(SP_OPT_CALL, "-default", "KEY=VALUE", NULL,
               "the value of a field that is absent or null, e.g. -default\n"
               "days=330", .fn = opt_map, .user = &ms),
        SCENARIO_OPTS(o),
        SP_OPT(SP_OPT_STR, "-t_srs", "CRS", &o.t_srs,
               "reproject the output geometries (default: each input's CRS)"),
        SP_OPT(SP_OPT_DOUBLE, "-share_tol", "X", &o.share_tol,
               "vehicle shares must sum to 1 within X (default 0.01); within\n"
               "it they are rescaled to 1", .min = 0, .max = 0.999999),
        SP_OPT(SP_OPT_SWITCH, "-renorm", NULL, &o.renormalise,
               "beyond -share_tol, rescale the shares instead of failing"),
        SP_OPT(SP_OPT_STR, "-totals", "FILE.csv", &o.totals_out,
               "also write the totals as CSV ('-' for stdout instead of the\ntable)"),
        SP_OPT(SP_OPT_STR, "-of", "FORMAT", &o.format,
               "OGR driver (default GPKG; PostgreSQL for a PG: output)"),
        SP_DEST_OPTS(o.write),
        SP_SECTION("Uncertainty:"),
        SP_OPT(SP_OPT_INT, "-mc", "N", &o.mc,
               "draw the factors N times from their 'uncertainty' column\n"
               "(lognormal) and print each total's 95 % interval, and the\n"
               "scenario change's", .min = 0, .max = 100000),
        SP_OPT(SP_OPT_DOUBLE, "-seed", "S", &seed, "the draws' seed (default 1: same seed,\nsame draws)",
               .min = 0, .max = 9007199254740992.0),
        SP_OPT(SP_OPT_STR, "-mc_out", "FILE.csv", &o.mc_out,
               "the intervals per sector and pollutant as CSV"),
        SP_OPT(SP_OPT_STR, "-mc_draws", "FILE.csv", &o.mc_draws_out,
               "each draw's totals (for sp-ledger -draws: intervals of the\n"
               "cumulative change, paired across years by the seed)"),
        SP_OPT(SP_OPT_STR, "-mc_sectors", "FILE.csv", &o.mc_sectors_out,
               "each draw's totals per sector, draw 0 the central inventory (for\n"
               "sp-disperse -emis_draws: emission factors in the ensemble)"),
        SP_OPT(SP_OPT_STR, "-mc_inventories", "DIR", &o.mc_inventories,
               "each draw as an inventory, DIR/draw_001.gpkg ... (the same\n"
               "draws as -mc_draws): the inputs of a concentration ensemble"),
    };
    sp_opt opts[1 + SP_NSEC + sizeof more / sizeof *more] = {
        SP_SECTION("Inputs (any OGR source; at least one):"),
    };
    int n = 1;
    for (int s = 0; s < SP_NSEC; s++) {
        snprintf(flag[s], sizeof flag[s], "-%s", SP_SECTORS[s]->name);
        opts[n++] = (sp_opt)SP_OPT(SP_OPT_STR, flag[s], "SRC", &o.src[s], SP_SECTORS[s]->help);
        sp_cli_add_input(&cli, SP_SECTORS[s]->name, &o.in[s], &o.src[s]);
    }
    for (size_t k = 0; k < sizeof more / sizeof *more; k++)
        opts[n++] = more[k];
    const char *pos[1];
    int rc = sp_cli_parse(&cli, &TOOL, opts, n, argc, argv, pos);
    for (int i = 0; !rc && i < ms.npending; i++) /* the bare keys of several sectors */
        rc = apply_map(&cli, ms.pending_flag[i], ms.pending[i], &o, o.src, &ms);
    if (!rc && !o.factors)
        rc = sp_cli_usage(&cli, "need -f FACTORS.csv (samples/factors.csv is a cited example)");
    if (rc) {
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    o.seed = (uint64_t)seed;
    o.dst = pos[0];
    rc = run(&cli, &o);
    sp_cli_free(&cli);
    return rc;
}
