/* sp-zonal: exact zonal statistics of emission grids per street/township (or of an
 * inventory's features, without a grid). Parses arguments, runs sp_zonal_run, prints
 * the coverage report. */
#include "sp_cli.h"
#include "sp_zonal_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
    "Usage: sp-zonal [options] RASTER ZONES OUT\n"
    "       sp-zonal [options] -r NAME=RASTER [-r NAME=RASTER] ZONES OUT\n"
    "       sp-zonal [options] -v INVENTORY -a FIELD[,FIELD...] ZONES OUT\n"
    "\n"
    "Statistics of every band of RASTER over every polygon of ZONES, each cell weighted\n"
    "by the exact fraction of its area inside the zone: zones that tile the raster add\n"
    "up to its total. OUT by extension: .csv, .gpkg or .geojson (with the zone geometry).\n"
    "Columns <band>_<stat> (band = band description, or b<N>); with -r, <name>_<band>_<stat>,\n"
    "and with two rasters also delta_<band>_<stat> (second - first) and delta_pct_....\n"
    "\n"
    "  -id FIELD          zone id (default: the feature id, column 'fid'); rows sorted by\n"
    "                     id, numerically when every id is a number; duplicates are errors\n"
    "  -include F1,F2     zone fields copied to the output (e.g. the Chinese name)\n"
    "  -zl LAYER          zones layer    -where EXPR   zones attribute filter\n"
    "  -s_coord gcj02|bd09, -s_srs CRS  for the zones\n"
    "  -makevalid         repair invalid zone polygons (GEOS MakeValid) instead of refusing\n"
    "  -stats LIST        default sum,mean,count,area_km2,density,share; also min, max,\n"
    "                     stdev, median, qNN (quantiles, e.g. q10,q90). All weighted by\n"
    "                     coverage: count = covered cells (fractional); area_km2 = zone\n"
    "                     area inside the raster; density = sum / area_km2; share = % of\n"
    "                     the band's total; weighted_mean (with -weights) = sum(cov w v) /\n"
    "                     sum(cov w), e.g. a street's population-weighted concentration;\n"
    "                     majority = the value with the largest coverage (ties: smaller)\n"
    "  -points            ZONES are points (e.g. monitoring stations): the value of every\n"
    "                     band at each point instead of statistics (-id names them)\n"
    "  -weights RASTER    the weights of weighted_mean, on the rasters' grid (a population\n"
    "                     grid: sp-grid -like CONC.tif -a pop townships.gpkg pop.tif)\n"
    "  -b N[,N...]        bands (default all)\n"
    "  -method exact|centre|all_touched  cell weights (default exact). centre: a cell is\n"
    "                     in when its centre is (rasterstats, gdal masks); all_touched: any\n"
    "                     cell the zone covers at all. Both are approximate, for comparison\n"
    "  -v INVENTORY       vector mode: sum feature fields per zone without a grid (points\n"
    "                     by containment, lines by length share, polygons by area share);\n"
    "                     -a FIELDS, -l LAYER (repeatable), -s_coord for the inventory via\n"
    "                     -inv_s_coord, a filter via -inv_where EXPR (e.g. \"purifier = 0\");\n"
    "                     negative values are an error unless -allow_negative;\n"
    "                     stats: sum, area_km2, density, share (default all four)\n"
    "  -j N               threads (default: the CPUs, at most 4); the output is the same\n"
    "  -of CSV|GPKG|GeoJSON  -q  --config KEY VALUE  --help  --version\n"
    "\n"
    "The raster is read once, in strips of rows: memory is the zones' cells and a few\n"
    "strips, not the raster. Zones are reprojected to the raster's CRS with PROJ. The\n"
    "report gives the zones' overlaps and gaps (m2) and the part of each band's total inside the zones.\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error. OUT appears only when complete.\n";

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-zonal", USAGE);
    sp_zonal_options o;
    sp_zonal_options_init(&o);
    const char *pos[3] = {NULL, NULL, NULL};
    const char *stats = NULL;
    sp_zonal_raster rasters[16];
    int nr = 0, *bands = NULL;
    char **include = NULL, **fields = NULL, **blist = NULL;
    sp_stat *st = NULL;
    bool points = false;
    const char *zl = NULL;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = sp_cli_common(&cli, argc, argv, &i);
        if (c == 0 && (!strcmp(a, "-where") || !strcmp(a, "-s_coord") || !strcmp(a, "-s_srs") ||
                       !strcmp(a, "-makevalid")))
            c = sp_cli_vector_option(&cli, argc, argv, &i, &o.zones); /* the zones' */
        else if (c == 0 && !strcmp(a, "-l"))
            c = sp_cli_vector_option(&cli, argc, argv, &i, &o.inv); /* the inventory's */
        if (c == 1)
            continue;
        if (c > 1) {
            rc = c == 3 ? 0 : 2;
            goto out;
        }
        bool val = !strcmp(a, "-zl") || !strcmp(a, "-inv_s_coord") || !strcmp(a, "-inv_where") || !strcmp(a, "-id") || !strcmp(a, "-include") || !strcmp(a, "-stats") ||
                   !strcmp(a, "-b") || !strcmp(a, "-method") || !strcmp(a, "-r") ||
                   !strcmp(a, "-v") || !strcmp(a, "-a") || !strcmp(a, "-of") || !strcmp(a, "-j") || !strcmp(a, "-weights");
        if (val && !sp_cli_has(&cli, argc, argv, i, 1)) {
            rc = 2;
            goto out;
        }
        const char *v = val ? argv[++i] : NULL;
        if (!strcmp(a, "-zl")) {
            zl = v;
        } else if (!strcmp(a, "-inv_s_coord")) {
            if (!sp_coord_parse(v, &o.inv.s_coord)) {
                rc = sp_cli_usage(&cli, "-inv_s_coord: '%s' is not one of wgs84, gcj02, bd09", v);
                goto out;
            }
        } else if (!strcmp(a, "-allow_negative")) {
            o.allow_negative = true;
        } else if (!strcmp(a, "-points")) {
            points = true;
        } else if (!strcmp(a, "-weights")) {
            o.weights = v;
        } else if (!strcmp(a, "-inv_where")) {
            o.inv.where = v;
        } else if (!strcmp(a, "-id")) {
            o.id = v;
        } else if (!strcmp(a, "-include")) {
            sp_cli_free_list(include);
            include = sp_cli_split(v);
        } else if (!strcmp(a, "-stats")) {
            stats = v;
        } else if (!strcmp(a, "-b")) {
            sp_cli_free_list(blist);
            blist = sp_cli_split(v);
        } else if (!strcmp(a, "-method")) {
            if (!sp_zonal_method_parse(v, &o.method)) {
                rc = sp_cli_usage(&cli, "-method: '%s' is not exact, centre or all_touched", v);
                goto out;
            }
        } else if (!strcmp(a, "-r")) {
            const char *eq = strchr(v, '=');
            if (!eq || eq == v || !eq[1]) {
                rc = sp_cli_usage(&cli, "-r wants NAME=RASTER, got '%s'", v);
                goto out;
            }
            if (nr == 16) {
                rc = sp_cli_usage(&cli, "at most 16 rasters");
                goto out;
            }
            char *name = strndup(v, (size_t)(eq - v));
            if (!name) {
                rc = 1;
                goto out;
            }
            rasters[nr].name = name;
            rasters[nr++].path = eq + 1;
        } else if (!strcmp(a, "-v")) {
            o.inventory = v;
        } else if (!strcmp(a, "-a")) {
            sp_cli_free_list(fields);
            fields = sp_cli_split(v);
        } else if (!strcmp(a, "-of")) {
            o.format = v;
        } else if (!strcmp(a, "-j")) {
            if (!sp_cli_int(v, &o.threads) || o.threads < 1 || o.threads > 64) {
                rc = sp_cli_usage(&cli, "-j: '%s' is not a number of threads (1-64)", v);
                goto out;
            }
        } else if ((rc = sp_cli_positional(&cli, a, pos, 3))) {
            goto out;
        }
    }
    /* positional: [RASTER] ZONES OUT */
    const char *zones_path, *dst;
    int npos = !!pos[0] + !!pos[1] + !!pos[2];
    if (npos == 3) {
        if (nr || o.inventory) {
            rc = sp_cli_usage(&cli, "give RASTER either as the first argument or with -r/-v, "
                              "not both");
            goto out;
        }
        rasters[nr].name = NULL;
        rasters[nr++].path = pos[0];
        zones_path = pos[1];
        dst = pos[2];
    } else if (npos == 2 && (nr || o.inventory)) {
        zones_path = pos[0];
        dst = pos[1];
    } else {
        rc = sp_cli_usage(&cli, "need RASTER ZONES OUT (or -r NAME=RASTER / -v INVENTORY, "
                          "then ZONES OUT)");
        goto out;
    }
    if (o.inventory && (nr || !fields)) {
        rc = sp_cli_usage(&cli, nr ? "-v does not take rasters" : "-v needs -a FIELD[,FIELD...]");
        goto out;
    }
    if (!o.inventory && fields) {
        rc = sp_cli_usage(&cli, "-a is for the vector mode (-v)");
        goto out;
    }
    for (int k = 0; k < nr; k++)
        for (int j = 0; j < k; j++)
            if (rasters[k].name && rasters[j].name && !strcmp(rasters[k].name, rasters[j].name)) {
                rc = sp_cli_usage(&cli, "-r: the name '%s' is given twice", rasters[k].name);
                goto out;
            }
    int nb = sp_cli_list_len(blist);
    if (nb && !(bands = calloc((size_t)nb, sizeof *bands))) {
        rc = 1;
        goto out;
    }
    for (int k = 0; k < nb; k++)
        if (!sp_cli_int(blist[k], &bands[k]) || bands[k] < 1) {
            rc = sp_cli_usage(&cli, "-b: '%s' is not a band number (1, 2, ...)", blist[k]);
            goto out;
        }
    o.rasters = rasters;
    o.nrasters = nr;
    o.bands = bands;
    o.nbands = nb;
    o.include = include;
    o.fields = fields;
    if (zl) {
        o.zones.layers = &zl;
        o.zones.nlayers = 1;
    }
    o.inv.layers = (const char *const *)cli.layers;
    o.inv.nlayers = sp_cli_list_len(cli.layers);
    sp_ctx *ctx = sp_ctx_new();
    sp_zonal_report rep = {0};
    if (!stats) /* the vector mode has no cells: no mean or count */
        stats = o.inventory ? "sum,area_km2,density,share" : "sum,mean,count,area_km2,density,share";
    if (!ctx || sp_stats_parse(ctx, stats, &st, &o.nstats)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
        sp_ctx_free(ctx);
        goto out;
    }
    o.stats = st;
    o.progress = sp_cli_progress;
    o.progress_user = &cli;
    if (points) { /* values at points: no statistics, no coverage */
        if (sp_zonal_points(ctx, zones_path, dst, &o))
            rc = sp_cli_fail(&cli, ctx);
        else
            sp_cli_warnings(&cli, ctx);
    } else if (sp_zonal_run(ctx, zones_path, dst, &o, &rep)) {
        rc = sp_cli_fail(&cli, ctx);
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet) {
            printf("zones: %d, area %.6g km2, overlaps %.6g m2, gaps %.6g m2\n", rep.nzones,
                   rep.zones_area / 1e6, rep.overlap, rep.gaps);
            printf("%-24s %22s %22s %22s\n", "band", "total", "in zones", "outside zones");
            for (int c = 0; c < rep.ncols; c++)
                printf("%-24s %22.10f %22.10f %22.10f\n", rep.label[c], rep.total[c],
                       rep.in_zones[c], rep.total[c] - rep.in_zones[c]);
        }
    }
    sp_zonal_report_free(&rep);
    sp_ctx_free(ctx);
out:
    for (int k = 0; k < nr; k++)
        free((char *)rasters[k].name);
    free(st);
    free(bands);
    sp_cli_free_list(include);
    sp_cli_free_list(fields);
    sp_cli_free_list(blist);
    sp_cli_free(&cli);
    return rc;
}
