/* sp-inventory: emission inventories from activity data (restaurants, boilers, roads,
 * area sources) with a cited factor table, and "what if" scenarios from a measures file.
 * Parses arguments, runs sp_inventory_run, prints the totals table. */
#include "sp_cli.h"
#include "sp_output.h"
#include "sp_inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
    "Usage: sp-inventory -f FACTORS.csv [-m MEASURES.txt] [-catering SRC] [-boiler SRC]\n"
    "                    [-road SRC] [-area SRC] [options] DST.gpkg\n"
    "\n"
    "Computes the emissions of every source (t/yr of NOx, VOCs, PM2.5, PM10, SO2, CO, CO2\n"
    "and cooking fume) from activity data and the factor table, and writes a GeoPackage\n"
    "with one layer per sector: the input fields, the emission columns nox, vocs, pm25,\n"
    "pm10, so2, co, co2, fume, and `measures` (what the scenario changed). With -m the\n"
    "layers hold the scenario, and the totals show baseline, scenario and change.\n"
    "\n"
    "Inputs (any OGR source; at least one):\n"
    "  -catering SRC    restaurants (points): stoves, cuisine, hours/day, days/yr,\n"
    "                   purifier 0/1, pur_class\n"
    "  -boiler SRC      gas boilers (points): gas_10k (10^4 m3/yr) or cap_mw x full-load\n"
    "                   hours, nox_class, fuel\n"
    "  -road SRC        road links (lines): aadt (veh/day), speed (km/h), shares f_<vehicle>\n"
    "                   of the vehicle classes of the factor table; length from geometry\n"
    "  -area SRC        area sources (polygons): class (stage) and months active\n"
    "  -f FACTORS.csv   emission factor table (sector,class,pollutant,value,unit,source)\n"
    "  -m MEASURES.txt  measures for a scenario (see README: boiler retrofit, catering\n"
    "                   purifier, road remove, road nev, reduce)\n"
    "Options:\n"
    "  -map KEY=FIELD   activity field names (repeatable). Keys and defaults:\n"
    "                   catering.stoves=stoves catering.cuisine=cuisine catering.hours=hours\n"
    "                   catering.days=days catering.purifier=purifier\n"
    "                   catering.pur_class=pur_class boiler.gas=gas_10k boiler.cap_mw=cap_mw\n"
    "                   boiler.hours=full_hours boiler.nox_class=nox_class boiler.fuel=fuel\n"
    "                   road.aadt=aadt road.speed=speed road.share_prefix=f_\n"
    "                   area.class=stage area.months=months\n"
    "  -l SECTOR=LAYER  layer of a multi-layer input\n"
    "  -s_coord [SECTOR=]gcj02|bd09  lon/lat are Chinese web-map coordinates (all inputs,\n"
    "                   or one sector: -s_coord catering=gcj02)\n"
    "  -t_srs CRS       reproject the output geometries (default: each input's CRS).\n"
    "                   Lengths and areas are measured in metres: in the projected CRS,\n"
    "                   or in the data's UTM zone when it is geographic\n"
    "  -share_tol X     vehicle shares must sum to 1 within X (default 0.01); within it\n"
    "                   they are rescaled to 1\n"
    "  -renorm          beyond -share_tol, rescale the shares instead of failing\n"
    "  -makevalid       repair invalid (self-intersecting) polygons with GEOS MakeValid\n"
    "                   instead of refusing them; each repair is reported\n"
    "  -totals FILE.csv also write the totals as CSV ('-' for stdout instead of the table)\n"
    "  -of FORMAT       OGR driver (default GPKG)\n"
    "  -q               quiet: no progress, no totals table\n"
    "  --config KEY VALUE, --help, --version\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error. DST appears only when complete; the\n"
    "same inputs give the same bytes.\n";

static int parse_sector_value(sp_cli *cli, const char *flag, const char *v, int *sector,
                              const char **value)
{
    const char *eq = strchr(v, '=');
    *sector = -1;
    *value = v;
    if (eq) {
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
        if ((*sector = sp_sector_index(name)) < 0)
            return sp_cli_usage(cli, "%s: unknown sector '%s' (catering, boiler, road, area)",
                                flag, name);
        *value = eq + 1;
    }
    return 0;
}

static int parse_map(sp_cli *cli, const char *v, sp_inventory_options *o)
{
    const char *eq = strchr(v, '=');
    if (!eq || !eq[1])
        return sp_cli_usage(cli, "-map wants KEY=FIELD, got '%s'", v);
    size_t kl = (size_t)(eq - v);
    int hit = -1, nhit = 0;
    for (int k = 0; k < SP_NFIELDS; k++) {
        const char *key = SP_INV_FIELDS[k].key, *dot = strchr(key, '.');
        if ((strlen(key) == kl && !strncmp(key, v, kl)) ||
            (strlen(dot + 1) == kl && !strncmp(dot + 1, v, kl))) {
            hit = k;
            nhit++;
        }
    }
    if (nhit != 1)
        return sp_cli_usage(cli, "-map: %s key '%.*s' (see --help for the keys)",
                            nhit ? "ambiguous, prefix the sector:" : "unknown", (int)kl, v);
    o->field[hit] = eq + 1;
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
        printf("%-9s %7lld", SP_SECTORS[s].name, t->n[s]);
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
        printf("%-9s %7lld", s < SP_NSEC ? SP_SECTORS[s].name : "total",
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

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-inventory", USAGE);
    sp_inventory_options o;
    sp_inventory_options_init(&o);
    const char *factors = NULL, *measures = NULL, *totals = NULL, *pos[1] = {NULL};
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = sp_cli_common(&cli, argc, argv, &i);
        if (c == 1)
            continue;
        if (c > 1) {
            rc = c == 3 ? 0 : 2;
            goto out;
        }
        int sec = -1;
        for (int s = 0; s < SP_NSEC; s++)
            if (a[0] == '-' && !strcmp(a + 1, SP_SECTORS[s].name))
                sec = s;
        bool has_value = sec >= 0 || !strcmp(a, "-f") || !strcmp(a, "-m") ||
                         !strcmp(a, "-map") || !strcmp(a, "-l") || !strcmp(a, "-s_coord") ||
                         !strcmp(a, "-t_srs") || !strcmp(a, "-share_tol") ||
                         !strcmp(a, "-totals") || !strcmp(a, "-of");
        if (has_value && !sp_cli_has(&cli, argc, argv, i, 1)) {
            rc = 2;
            goto out;
        }
        const char *v = has_value ? argv[++i] : NULL;
        if (sec >= 0) {
            o.src[sec] = v;
        } else if (!strcmp(a, "-f")) {
            factors = v;
        } else if (!strcmp(a, "-m")) {
            measures = v;
        } else if (!strcmp(a, "-map")) {
            if ((rc = parse_map(&cli, v, &o)))
                goto out;
        } else if (!strcmp(a, "-l")) {
            const char *val;
            if ((rc = parse_sector_value(&cli, "-l", v, &sec, &val)))
                goto out;
            if (sec < 0) {
                rc = sp_cli_usage(&cli, "-l wants SECTOR=LAYER, got '%s'", v);
                goto out;
            }
            o.layer[sec] = val;
        } else if (!strcmp(a, "-s_coord")) {
            const char *val;
            sp_coord_kind k;
            if ((rc = parse_sector_value(&cli, "-s_coord", v, &sec, &val)))
                goto out;
            if (!sp_coord_parse(val, &k)) {
                rc = sp_cli_usage(&cli, "-s_coord: '%s' is not one of wgs84, gcj02, bd09", val);
                goto out;
            }
            for (int s = 0; s < SP_NSEC; s++)
                if (sec < 0 || sec == s)
                    o.s_coord[s] = k;
        } else if (!strcmp(a, "-t_srs")) {
            o.t_srs = v;
        } else if (!strcmp(a, "-share_tol")) {
            if (!sp_cli_double(v, &o.share_tol) || o.share_tol < 0 || o.share_tol >= 1) {
                rc = sp_cli_usage(&cli, "-share_tol: '%s' is not a number in [0, 1)", v);
                goto out;
            }
        } else if (!strcmp(a, "-totals")) {
            totals = v;
        } else if (!strcmp(a, "-of")) {
            o.format = v;
        } else if (!strcmp(a, "-makevalid")) {
            o.makevalid = true;
        } else if (!strcmp(a, "-renorm")) {
            o.renormalise = true;
        } else if ((rc = sp_cli_positional(&cli, a, pos, 1))) {
            goto out;
        }
    }
    if (!pos[0]) {
        rc = sp_cli_usage(&cli, "need DST (the inventory GeoPackage)");
        goto out;
    }
    if (!factors) {
        rc = sp_cli_usage(&cli, "need -f FACTORS.csv (samples/factors.csv is a cited example)");
        goto out;
    }
    o.progress = sp_cli_progress;
    o.progress_user = &cli;
    sp_ctx *ctx = sp_ctx_new();
    sp_factors *fac = NULL;
    sp_measures *ms = NULL;
    sp_inventory_totals t;
    if (ctx) /* the inventory and its totals: both or neither */
        sp_output_hold(ctx);
    if (!ctx || sp_factors_read(ctx, factors, &fac) ||
        (measures && sp_measures_read(ctx, measures, &ms)) ||
        sp_inventory_run(ctx, fac, ms, pos[0], &o, &t) ||
        (totals && sp_inventory_write_totals(ctx, &t, totals)) ||
        sp_output_release(ctx, true)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet && !(totals && !strcmp(totals, "-")))
            print_totals(&t);
    }
    sp_factors_free(fac);
    sp_measures_free(ms);
    sp_ctx_free(ctx);
out:
    sp_cli_free(&cli);
    return rc;
}
