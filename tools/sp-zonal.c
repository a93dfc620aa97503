/* sp-zonal: exact zonal statistics of emission grids per street/township (or of an
 * inventory's features, without a grid). Its flag table, one call (sp_zonal_run), the
 * coverage report printed. */
#include "cli/sp_cli.h"
#include "zonal/sp_zonal_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cpl_string.h>

static const sp_tool_desc TOOL = {
    .synopsis = "[options] RASTER ZONES OUT\n"
                "       sp-zonal [options] -r NAME=RASTER [-r NAME=RASTER] ZONES OUT\n"
                "       sp-zonal [options] -v INVENTORY -a FIELD[,FIELD...] ZONES OUT",
    .about =
        "Statistics of every band of RASTER over every polygon of ZONES, each cell weighted\n"
        "by the exact fraction of its area inside the zone: zones that tile the raster add\n"
        "up to its total. OUT by extension: .csv, .gpkg or .geojson (with the zone geometry).\n"
        "Columns <band>_<stat> (band = band description, or b<N>); with -r, <name>_<band>_<stat>,\n"
        "and with two rasters also delta_<band>_<stat> (second - first) and delta_pct_....\n",
    .notes =
        "The raster is read once, in strips of rows: memory is the zones' cells and a few\n"
        "strips, not the raster. Zones are reprojected to the raster's CRS with PROJ. The\n"
        "report gives the zones' overlaps and gaps (m2) and the part of each band's total\n"
        "inside the zones. OUT appears only when complete.\n",
    .examples =
        "sp-zonal -id code -include name emis_100m.tif streets.shp streets.csv\n"
        "sp-zonal -r base=emis_base.tif -r scen=emis_scen.tif -id code streets.shp change.csv\n"
        "sp-zonal -r ug=conc.tif -stats weighted_mean -weights pop.tif -id code streets.shp "
        "exposure.csv\n"
        "sp-zonal -v inventory.gpkg -l inventory=catering -where inventory=\"purifier = 0\" "
        "-a stoves -id code streets.shp stoves.csv",
    .npos_min = 2,
    .npos_max = 3,
    .pos_error = "need RASTER ZONES OUT (or -r NAME=RASTER / -v INVENTORY, then ZONES OUT)",
};

/* What the flags' values are parsed into, alive for the whole run (main's). */
typedef struct {
    sp_zonal_raster r[16];
    int n;
    sp_stat stats[64];
    int bands[256];
    sp_zonal_options *o;
} raster_list;

static int opt_raster(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    raster_list *rl = user;
    const char *eq = strchr(v[0], '=');
    if (!eq || eq == v[0] || !eq[1])
        return sp_cli_usage(c, "-r wants NAME=RASTER, got '%s'", v[0]);
    if (rl->n == 16)
        return sp_cli_usage(c, "at most 16 rasters");
    char **name = sp_cli_keep(c, CSLAddString(NULL, v[0]));
    name[0][eq - v[0]] = 0;
    rl->r[rl->n].name = name[0];
    rl->r[rl->n++].path = eq + 1;
    return 0;
}

static int opt_stats(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    raster_list *rl = user;
    sp_zonal_options *zo = rl->o;
    sp_ctx *ctx = sp_ctx_new();
    sp_stat *st = NULL;
    int rc = !ctx ? sp_cli_usage(c, "out of memory")
             : sp_stats_parse(ctx, v[0], &st, &zo->nstats) ? sp_cli_usage(c, "%s", sp_ctx_message(ctx))
                                                         : 0;
    sp_ctx_free(ctx);
    if (!rc && zo->nstats > 64)
        rc = sp_cli_usage(c, "-stats: at most 64 statistics");
    if (!rc) {
        memcpy(rl->stats, st, (size_t)zo->nstats * sizeof *st);
        zo->stats = rl->stats;
    }
    free(st);
    return rc;
}

static int opt_bands(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    raster_list *rl = user;
    int *bands = rl->bands;
    char **l = sp_cli_keep(c, sp_cli_split(v[0]));
    int n = sp_cli_list_len(l);
    if (!n || n > 256)
        return sp_cli_usage(c, "-b: give 1 to 256 band numbers");
    for (int k = 0; k < n; k++)
        if (!sp_cli_int(l[k], &bands[k]) || bands[k] < 1)
            return sp_cli_usage(c, "-b: '%s' is not a band number (1, 2, ...)", l[k]);
    rl->o->bands = bands;
    rl->o->nbands = n;
    return 0;
}

static int opt_method(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    if (!sp_zonal_method_parse(v[0], user))
        return sp_cli_usage(c, "-method: '%s' is not exact, centre or all_touched", v[0]);
    return 0;
}

/* The old names of the input flags: -zl LAYER = -l zones=LAYER, -inv_where EXPR =
 * -where inventory=EXPR, -inv_s_coord = -s_coord inventory=... */
static int opt_legacy(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    sp_vector_options *vo = user;
    if (!strcmp(o->name, "-zl")) {
        vo->layers = (const char *const *)sp_cli_keep(c, CSLAddString(NULL, v[0]));
        vo->nlayers = 1;
    } else if (!strcmp(o->name, "-inv_where")) {
        vo->where = v[0];
    } else if (!sp_coord_parse(v[0], &vo->s_coord)) {
        return sp_cli_usage(c, "%s: '%s' is not one of wgs84, gcj02, bd09", o->name, v[0]);
    }
    return 0;
}

static void print_report(const sp_zonal_report *rep)
{
    printf("zones: %d, area %.6g km2, overlaps %.6g m2, gaps %.6g m2\n", rep->nzones,
           rep->zones_area / 1e6, rep->overlap, rep->gaps);
    printf("%-24s %22s %22s %22s\n", "band", "total", "in zones", "outside zones");
    for (int c = 0; c < rep->ncols; c++)
        printf("%-24s %22.10f %22.10f %22.10f\n", rep->label[c], rep->total[c],
               rep->in_zones[c], rep->total[c] - rep->in_zones[c]);
}

/* -j, -shard and -from_parts: how the run goes (o an sp_zonal_options) */
#define RUN_OPTS(o)                                                                        \
    SP_OPT(SP_OPT_INT, "-j", "N", &(o).threads, "threads (default: the CPUs, at most 4); "  \
           "the output is the same", .min = 1, .max = 64),                                 \
    SP_SECTION("Sharding:"), SP_SHARD_OPT((o).part),                                        \
    SP_OPT(SP_OPT_STRS, "-from_parts", "PART.zonal", &(o).from_parts,                         \
           "make the table from the parts of a sharded run with these\n"                   \
           "options instead of reading the rasters' strips (repeatable;\n"                 \
           "sp-merge runs this)")

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-zonal");
    sp_zonal_options o;
    sp_zonal_options_init(&o);
    raster_list rl = {.n = 0, .o = &o};
    const sp_opt opts[] = {
        SP_SECTION("Zones:"),
        SP_OPT(SP_OPT_STR, "-id", "FIELD", &o.id,
               "zone id (default: the feature id, column 'fid'); rows sorted by\n"
               "id, numerically when every id is a number; duplicates are errors"),
        SP_OPT(SP_OPT_LIST, "-include", "F1,F2", &o.include,
               "zone fields copied to the output (e.g. the Chinese name)"),
        SP_OPT(SP_OPT_SWITCH, "-points", NULL, &o.points,
               "ZONES are points (e.g. monitoring stations): the value of every\n"
               "band at each point instead of statistics (-id names them)"),
        SP_SECTION("Values:"),
        SP_OPT(SP_OPT_CALL, "-r", "NAME=RASTER", NULL,
               "a raster with a column prefix (repeatable, at most 16)", .fn = opt_raster,
               .user = &rl),
        SP_OPT(SP_OPT_SWITCH, "-no_delta", NULL, &o.no_delta,
               "with two -r rasters: no delta_ columns (e.g. two sectors)"),
        SP_OPT(SP_OPT_CALL, "-b", "N[,N...]", NULL, "bands (default all)", .fn = opt_bands,
               .user = &rl),
        SP_OPT(SP_OPT_CALL, "-stats", "LIST", NULL,
               "default sum,mean,count,area_km2,density,share; also min, max,\n"
               "stdev, median, qNN (quantiles, e.g. q10,q90). All weighted by\n"
               "coverage: count = covered cells (fractional); area_km2 = zone\n"
               "area inside the raster; density = sum / area_km2; share = % of\n"
               "the band's total; weighted_mean (with -weights) = sum(cov w v) /\n"
               "sum(cov w), e.g. a street's population-weighted concentration;\n"
               "majority = the value with the largest coverage (ties: smaller)",
               .fn = opt_stats, .user = &rl),
        SP_OPT(SP_OPT_STR, "-weights", "RASTER", &o.weights,
               "the weights of weighted_mean, on the rasters' grid (a population\n"
               "grid: sp-grid -like CONC.tif -a pop townships.gpkg pop.tif)"),
        SP_OPT(SP_OPT_CALL, "-method", "exact|centre|all_touched", NULL,
               "cell weights (default exact). centre: a cell is in when its\n"
               "centre is (rasterstats, gdal masks); all_touched: any cell the\n"
               "zone covers at all. Both are approximate, for comparison",
               .fn = opt_method, .user = &o.method),
        SP_OPT(SP_OPT_STR, "-v", "INVENTORY", &o.inventory,
               "vector mode: sum feature fields per zone without a grid (points\n"
               "by containment, lines by length share, polygons by area share);\n"
               "stats: sum, area_km2, density, share (default all four)"),
        SP_OPT(SP_OPT_LIST, "-a", "FIELD[,FIELD...]", &o.fields, "the fields of -v to sum"),
        SP_OPT(SP_OPT_SWITCH, "-allow_negative", NULL, &o.allow_negative,
               "vector mode: accept negative values (default: error)"),
        SP_SECTION("Output:"),
        SP_TABLE_OUTPUT_OPTS(o),
        RUN_OPTS(o),
        SP_SECTION("Old names (kept):"),
        SP_OPT(SP_OPT_CALL, "-zl", "LAYER", NULL, "= -l zones=LAYER", .fn = opt_legacy,
               .user = &o.zones),
        SP_OPT(SP_OPT_CALL, "-inv_where", "EXPR", NULL, "= -where inventory=EXPR",
               .fn = opt_legacy, .user = &o.inv),
        SP_OPT(SP_OPT_CALL, "-inv_s_coord", "gcj02|bd09", NULL, "= -s_coord inventory=...",
               .fn = opt_legacy, .user = &o.inv),
    };
    const char *pos[3];
    sp_cli_add_input(&cli, "zones", &o.zones, NULL);
    sp_cli_add_input(&cli, "inventory", &o.inv, &o.inventory);
    int rc = sp_cli_parse(&cli, &TOOL, opts, sizeof opts / sizeof *opts, argc, argv, pos);
    /* [RASTER] ZONES OUT */
    const char *zones_path = pos[0], *dst = pos[1];
    if (!rc && pos[2]) {
        if (rl.n || o.inventory)
            rc = sp_cli_usage(&cli, "give RASTER either as the first argument or with -r/-v, "
                              "not both");
        rl.r[rl.n].name = NULL;
        rl.r[rl.n++].path = pos[0];
        zones_path = pos[1];
        dst = pos[2];
    } else if (!rc && !rl.n && !o.inventory) {
        rc = sp_cli_usage(&cli, "%s", TOOL.pos_error);
    }
    if (rc) {
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    o.rasters = rl.r;
    o.nrasters = rl.n;
    sp_cli_run_args(&cli, argc, argv, dst, &o.part);
    o.progress = sp_cli_progress;
    o.progress_user = &cli;
    sp_ctx *ctx = sp_ctx_new();
    sp_zonal_report rep = {0};
    if (!ctx || sp_zonal_run(ctx, zones_path, dst, &o, &rep)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet && !o.points)
            print_report(&rep);
    }
    sp_zonal_report_free(&rep);
    sp_ctx_free(ctx);
    sp_cli_free(&cli);
    return rc;
}
