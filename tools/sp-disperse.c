/* sp-disperse: annual-mean concentrations (ug/m3) from emission grids and a wind and
 * stability climatology. Its flag table, one call (sp_disperse_run), the wind rose and
 * the ranges printed. */
#include "cli/sp_cli.h"
#include "disperse/sp_disperse_run.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const sp_tool_desc TOOL = {
    .synopsis = "[options] -met HOURLY.csv | -star STAR.csv SRC.tif DST.tif",
    .about =
        "Turns an emission grid (sp-grid output: t/yr per cell, square cells, a projected CRS)\n"
        "into annual-mean ground-level concentrations (ug/m3), one band per input band, with\n"
        "the ISC3 long-term sector-average Gaussian plume (EPA-454/B-95-003b) and Briggs urban\n"
        "dispersion, applied as an FFT convolution. A screening model: flat terrain, no street\n"
        "canyons, no chemistry, no regional transport (docs/sp-disperse.md: the limits).\n",
    .notes = "Outputs appear only when complete.\n",
    .examples =
        "sp-disperse -met samples/met/nongzhanguan_2016.csv -b 3 emis.tif pm25_conc.tif\n"
        "sp-disperse -met met.csv -urban 21.9e6 -cloud 6 -b 3 emis.tif pm25_urban.tif\n"
        "sp-disperse -met met_with_cloud_tenths.csv -cloud_unit tenths emis.tif conc.tif\n"
        "sp-disperse -met met.csv -scen emis_scen.tif -src boilers.tif,30,5 "
        "-scen_src boilers_scen.tif,30,5 emis_base.tif conc.tif\n"
        "sp-disperse -star star.csv -scen scen.tif -ensemble -b 3 base.tif dc_pm25.tif",
    .npos_min = 2,
    .npos_max = 2,
    .pos_error = "need SRC and DST",
};

/* "FILE,H,SZ0[,FACTOR]" */
static bool parse_src(const char *s, sp_disperse_input *in)
{
    char **p = CSLTokenizeString2(s, ",", 0);
    int n = CSLCount(p);
    in->scale = 1;
    if (n == 1) { /* FILE alone: its class from -classes by the grid's sector */
        in->height = in->sz0 = NAN;
        in->path = strdup(p[0]);
        CSLDestroy(p);
        return in->path != NULL;
    }
    bool ok = (n == 3 || n == 4) && sp_cli_double(p[1], &in->height) &&
              sp_cli_double(p[2], &in->sz0) && in->height >= 0 && in->sz0 >= 0 &&
              (n == 3 || (sp_cli_double(p[3], &in->scale) && in->scale >= 0 && in->scale <= 1));
    in->path = ok ? strdup(p[0]) : NULL;
    CSLDestroy(p);
    return ok && in->path;
}

typedef struct {
    sp_disperse_input base[17], scen[17];
    int nbase, nscen;
    int bands[64], nbands;
    bool height_given;   /* -height or -sz0: SRC's class given, not from -classes */
    char *sec[8]; /* borrowed from lists the sp_cli keeps */
    double beta[8];
    int nsec;
    bool nodep;   /* -no_deposition */
} args;

static void args_free(args *a)
{
    for (int i = 1; i < 17; i++) { /* [0] borrows argv; the others were strdup'ed */
        free((char *)a->base[i].path);
        free((char *)a->scen[i].path);
    }
}

/* a figure, or "n/a" when undefined (the warning says why) */
static const char *figure(double v, const char *fmt, char buf[32])
{
    if (isnan(v))
        return "n/a";
    snprintf(buf, 32, fmt, v);
    return buf;
}

static void print_report(const sp_disperse_report *rep, const sp_disperse_options *o)
{
    double stab[SP_MET_NSTAB], sec[SP_MET_NSEC];
    sp_star_marginals(&rep->star, stab, sec);
    if (o->met)
        printf("met: %ld hours (%ld calm, %ld without speed; %ld hours with cloud assumed "
               "%g oktas), sun at %.3fN %.3fE\n", rep->star.hours, rep->star.calm,
               rep->star.missing, rep->star.cloud_assumed, o->met_opts.cloud, rep->lat,
               rep->lon);
    if (o->met && o->met_opts.urban_pop > 0)
        printf("urban option: population %.0f, night layer %.0f m (AERMOD); %ld stable night "
               "hours taken as neutral D\n", o->met_opts.urban_pop, rep->urban_height,
               rep->star.urban_neutral);
    printf("wind from (%%):");
    for (int i = 0; i < SP_MET_NSEC; i++)
        printf(" %s %.1f", sp_met_sector_name(i), 100 * sec[i]);
    printf("\nstability (%%): A %.1f  B %.1f  C %.1f  D %.1f  E %.1f  F %.1f\n", 100 * stab[0],
           100 * stab[1], 100 * stab[2], 100 * stab[3], 100 * stab[4], 100 * stab[5]);
    printf("%-16s %12s %12s %12s  (ug/m3 over the grid)\n", "band", "min", "mean", "max");
    int members = rep->nout - rep->first_member; /* one line for them, below */
    for (int b = 0; b < rep->first_member; b++)
        printf("%-16s %12.4g %12.4g %12.4g\n", rep->name[b], rep->min[b], rep->mean[b], rep->max[b]);
    if (members)
        printf("ensemble: %d member bands delta_P_mNN (members listed in DST.members.csv)\n", members);
    char f[3][32];
    if (rep->nstations)
        printf("evaluation at %d stations%s%s%s: FB %s  NMSE %s  FAC2 %.2f  R %s (each station: "
               "DST.eval.csv)\n", rep->nstations, o->eval_bg ? " (minus background '" : "",
               o->eval_bg ? o->eval_bg : "", o->eval_bg ? "')" : "",
               figure(rep->fb, "%.3f", f[0]), figure(rep->nmse, "%.3f", f[1]), rep->fac2,
               figure(rep->r, "%.3f", f[2]));
    for (int i = 0; i < rep->nprofiled; i++)
        printf("%s%s x%.3f", i ? ", " : "time profiles (grid-summed concentration over the flat "
               "year's): ", rep->profiled[i], rep->profile_factor[i]);
    if (rep->nprofiled)
        printf("\n");
    if (o->monthly)
        printf("monthly: %s (the months' shares of the hours: %s)\n", o->monthly,
               rep->month_weights);
    for (int j = 0; j < 2; j++)
        if (rep->dep_keep[j] > 0)
            printf("deposition: %s (%g um, settling %.3g cm/s) keeps %.1f %% of the grid-summed "
                   "concentration without it\n", j ? "TSP above PM10" : "PM10 above PM2.5",
                   o->dep_diam[j], 100 * rep->dep_vd[j], 100 * rep->dep_keep[j]);
    printf("wind rose: %s\n", rep->rose_path);
}

static int opt_src(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    args *a = user;
    bool scen = !strcmp(o->name, "-scen_src");
    int *n = scen ? &a->nscen : &a->nbase;
    sp_disperse_input *in = scen ? &a->scen[1 + a->nscen] : &a->base[a->nbase];
    if ((scen ? a->nscen == 16 : a->nbase == 17) || !parse_src(v[0], in))
        return sp_cli_usage(c, "%s: '%s': want FILE,HEIGHT,SZ0[,FACTOR] or FILE with -classes "
                            "(at most 16; FACTOR 0-1)", o->name, v[0]);
    ++*n;
    return 0;
}

static int opt_bands(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    args *a = user;
    char **l = sp_cli_keep(c, sp_cli_split(v[0]));
    a->nbands = 0;
    for (int q = 0; l && l[q]; q++)
        if (a->nbands == 64 || !sp_cli_int(l[q], &a->bands[a->nbands++]) ||
            a->bands[a->nbands - 1] < 1)
            return sp_cli_usage(c, "-b: '%s': want band numbers from 1", v[0]);
    return 0;
}

static int opt_dep_diam(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    double *d = user;
    char **l = sp_cli_keep(c, sp_cli_split(v[0]));
    char *end0 = NULL, *end1 = NULL;
    if (!l || !l[0] || !l[1] || l[2] || !((d[0] = strtod(l[0], &end0)) > 0) || *end0 ||
        !((d[1] = strtod(l[1], &end1)) > d[0]) || *end1 || d[1] > 1000)
        return sp_cli_usage(c, "-dep_diam: '%s': want COARSE,LARGE in micrometres, 0 < COARSE "
                            "< LARGE <= 1000 (e.g. 6,20)", v[0]);
    return 0;
}

static int opt_cloud_unit(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    bool *tenths = user;
    if (strcasecmp(v[0], "oktas") && strcasecmp(v[0], "tenths"))
        return sp_cli_usage(c, "-cloud_unit: '%s': want oktas or tenths", v[0]);
    *tenths = !strcasecmp(v[0], "tenths");
    return 0;
}

static int opt_ot(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    bool *f64 = user;
    if (!strcasecmp(v[0], "Float64") || !strcasecmp(v[0], "Float32"))
        *f64 = !strcasecmp(v[0], "Float64");
    else
        return sp_cli_usage(c, "-ot: '%s': want Float32 or Float64", v[0]);
    return 0;
}

static int opt_secondary(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    args *a = user;
    char **l = sp_cli_keep(c, sp_cli_split(v[0]));
    a->nsec = 0;
    for (int q = 0; l && l[q]; q++) {
        char *eq = strchr(l[q], '=');
        if (a->nsec == 8 || !eq || eq == l[q] || !sp_cli_double(eq + 1, &a->beta[a->nsec]) ||
            a->beta[a->nsec] < 0)
            return sp_cli_usage(c, "-secondary: '%s': want PRECURSOR=BETA[,...] (BETA >= 0, "
                                "ug/m3 per kt/yr; at most 8)", v[0]);
        *eq = '\0';
        a->sec[a->nsec++] = l[q];
    }
    return 0;
}

/* The scenario inputs paired with the base ones: SRC's scenario is -scen, each
 * -scen_src pairs with the -src in the same position (same height and sigma_z0). */
static int assemble(sp_cli *cli, args *a, const char *src, const char *scen0, const char *classes)
{
    if (!scen0 && a->nscen)
        return sp_cli_usage(cli, "-scen_src needs -scen (the scenario of SRC)");
    a->base[0].path = src;
    if (classes && !a->height_given) /* SRC's class from the table too */
        a->base[0].height = a->base[0].sz0 = NAN;
    if (!scen0)
        return 0;
    a->scen[0] = a->base[0];
    a->scen[0].path = scen0;
    a->nscen++;
    for (int i = 1; i < a->nscen && i < a->nbase; i++)
        if (!(isnan(a->scen[i].height) && isnan(a->base[i].height)) &&
            (a->scen[i].height != a->base[i].height || a->scen[i].sz0 != a->base[i].sz0))
            return sp_cli_usage(cli, "-scen_src %d has another height or sigma_z0 than -src %d",
                                i, i);
    return 0;
}

/* The flag table: fills o and a; pos gets SRC and DST. */
/* the joint ensemble's flags (docs/methods.md, "The joint ensemble") */
#define JOINT_OPTS(o, jmet, jseed)                                                          \
    SP_OPT(SP_OPT_INT, "-joint", "N", &(o)->joint,                                          \
           "with -scen: instead of -ensemble, a joint ensemble of N members\n"              \
           "(Latin hypercube) over the weather files, cloud, calms, the urban\n"            \
           "option, mixing height, sigma_z0, release heights and emission\n"                \
           "factors; DST.members.csv names each member's draw", .min = 2, .max = 1000),     \
    SP_OPT(SP_OPT_STRS, "-joint_met", "FILE.csv", &(jmet),                                  \
           "another hourly met file (a station, a year) for -joint (repeatable)"),          \
    SP_OPT(SP_OPT_STR, "-emis_draws", "FILE.csv", &(o)->emis_draws,                          \
           "sp-inventory -mc_sectors: each -joint member takes one draw of the\n"           \
           "emission factors, each sector's grid scaled by it (grids from\n"               \
           "sp-grid -l SECTOR)"),                                                            \
    SP_OPT(SP_OPT_INT, "-joint_seed", "S", &(jseed), "the members' seed (default 1)",       \
           .min = 1, .max = 2147483647),                                                    \
    SP_OPT(SP_OPT_STR, "-profiles", "FILE.csv", &(o)->profiles,                             \
           "time profiles per sector (sector,kind,index,factor: month, dow,\n"              \
           "hour; e.g. samples/profiles.csv): each grid's sector meets the\n"              \
           "weather of its own hours (needs -met and sp-grid -l SECTOR grids)")

/* the evaluation's flags (docs/methods.md, "Evaluation") */
#define STAR_HELP "a joint frequency table sector_from_deg,speed_ms,stability,freq"
/* dry deposition of the coarse particles of bands pm10 and tsp */
/* -j, -kernel_out and -shard: how the run goes (o an sp_disperse_options *) */
#define RUN_OPTS(o)                                                                         \
    SP_OPT(SP_OPT_INT, "-j", "N", &(o)->threads, "threads of the FFT (default 2)", .min = 1,  \
           .max = 64),                                                                      \
    SP_OPT(SP_OPT_STR, "-kernel_out", "F.tif", &(o)->kernel_out,                              \
           "also write SRC's kernel (ug/m3 per g/s, centred on 0,0)"),                        \
    SP_SHARD_OPT((o)->part)

#define DEPOSITION_OPTS(o, a)                                                                \
    SP_OPT(SP_OPT_STR, "-monthly", "FILE.tif", &(o)->monthly,                              \
           "also each month's fields (bands P_month01..12, base_/scen_/delta_\n"              \
           "with -scen): a month's emission (its -profiles share) meets its\n"               \
           "own hours; the hours-weighted mean of the months is the annual"),                \
    SP_OPT(SP_OPT_SWITCH, "-no_deposition", NULL, &(a)->nodep,                              \
           "no dry deposition (default: bands pm10 and tsp lose their coarse\n"               \
           "particles on the way; pm25 and gases never)"),                                  \
    SP_OPT(SP_OPT_CALL, "-dep_diam", "COARSE,LARGE", NULL,                                  \
           "mass-mean aerodynamic diameters (um) of PM10's part above PM2.5\n"             \
           "and TSP's above PM10, which settle (default 6,20)", .fn = opt_dep_diam,         \
           .user = (o)->dep_diam)

#define EVAL_OPTS(o)                                                                      \
        SP_OPT(SP_OPT_STR, "-eval", "STATIONS", &o->stations,                               \
               "points with observed annual means (any vector; a CSV with -oo\n"            \
               "X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326):\n"         \
               "prints FB, NMSE, FAC2 and R (Chang & Hanna 2004) of the model at\n"         \
               "them and writes each station's values to DST.eval.csv"),                    \
        SP_OPT(SP_OPT_STR, "-eval_field", "NAME", &o->obs_field,                            \
               "the observations' field (default obs)"),                                    \
        SP_OPT(SP_OPT_STR, "-eval_band", "NAME", &o->eval_band,                             \
               "the band compared (default the first)"),                                    \
        SP_OPT(SP_OPT_STR, "-eval_id", "FIELD", &o->eval_id,                                \
               "the field naming each station (default: its FID)"),                         \
        SP_OPT(SP_OPT_STR, "-eval_bg", "ID", &o->eval_bg,                                   \
               "a background station: every other station is compared as urban\n"           \
               "minus background, observed and modelled (the model's local\n"               \
               "increment; it has no regional transport)")

/* -joint_met's files and -joint_seed into the options */
static void set_joint(sp_cli *cli, sp_disperse_options *o, char **jmet, int jseed)
{
    (void)cli; /* the list is the parser's (SP_OPT_STRS) */
    o->joint_met = (const char *const *)jmet;
    o->njoint_met = CSLCount(jmet);
    o->joint_seed = (uint64_t)jseed;
}

static int parse(sp_cli *cli, int argc, char **argv, sp_disperse_options *o, args *a,
                 const char **pos)
{
    const char *scen0 = NULL;
    char **co = NULL, **jmet = NULL;
    int jseed = 1;
    const sp_opt opts[] = {
        SP_SECTION("Meteorology (one of):"),
        SP_OPT(SP_OPT_STR, "-met", "FILE.csv", &o->met,
               "hourly observations: columns year, month, day, hour, wd (16-point\n"
               "compass, FROM; NA = calm), WSPM (m/s), optional cloud (oktas), as\n"
               "in the UCI Beijing multi-site air-quality data"),
        SP_OPT(SP_OPT_STR, "-star", "FILE.csv", &o->star, STAR_HELP),
        SP_OPT(SP_OPT_STR, "-star_out", "FILE", &o->star_out, "write the table made from -met"),
        SP_OPT(SP_OPT_STR, "-rose", "FILE.svg", &o->rose_out,
               "the wind rose (default: DST's name + .windrose.svg)"),
        SP_OPT(SP_OPT_INT, "-met_year", "Y", &o->met_opts.year,
               "only the hours of year Y of -met (default: every year, averaged)",
               .min = SP_MET_YEAR_MIN, .max = SP_MET_YEAR_MAX),
        SP_OPT(SP_OPT_DOUBLE, "-utc_offset", "H", &o->met_opts.utc_offset,
               "hours the met clock is ahead of UTC (default 8, Beijing)", .min = -14, .max = 14),
        SP_OPT(SP_OPT_DOUBLE, "-cloud", "OKTAS", &o->met_opts.cloud,
               "total cloud assumed, day and night, for the hours the file gives\n"
               "none (default 4, an assumption: half cover; -ensemble spans 0/4/8)",
               .min = 0, .max = 8),
        SP_OPT(SP_OPT_CALL, "-cloud_unit", "oktas|tenths", NULL,
               "the unit of the met file's cloud column (default oktas)",
               .fn = opt_cloud_unit, .user = &o->met_opts.cloud_tenths),
        SP_OPT(SP_OPT_DOUBLE, "-urban", "POPULATION", &o->met_opts.urban_pop,
               "the urban option: stable night hours (E, F) become neutral D in\n"
               "AERMOD's nocturnal urban layer, 400 m x (POP / 2e6)^0.25 high\n"
               "(default: rural, 0)", .min = 0, .max = 1e9),
        SP_SECTION("Sources and model:"),
        SP_OPT(SP_OPT_DOUBLE, "-height", "M", &a->base[0].height,
               "release height of SRC's sources (default 0: traffic, dust)", .min = 0, .max = 1e4,
               .seen = &a->height_given),
        SP_OPT(SP_OPT_DOUBLE, "-sz0", "M", &a->base[0].sz0,
               "their initial vertical spread sigma_z0 (default 2)", .min = 0, .max = 1e4,
               .seen = &a->height_given),
        SP_OPT(SP_OPT_STR, "-classes", "TABLE.csv", &o->classes,
               "each grid's release height and sigma_z0 by its sector (sp-grid\n"
               "-l SECTOR records it): sector,height_m,sz0_m rows, e.g.\n"
               "samples/source_classes.csv; then -src FILE needs no H,SZ0"),
        SP_OPT(SP_OPT_DOUBLE, "-factor", "F", &a->base[0].scale,
               "multiply SRC's emissions by F (0-1) first: for fugitive dust,\n"
               "the transportable fraction x the site control factor", .min = 0, .max = 1),
        SP_OPT(SP_OPT_CALL, "-src", "FILE[,H,SZ0[,F]]", NULL,
               "another emission grid with its own class and factor\n"
               "(repeatable; summed), e.g. boiler stacks: -src boilers.tif,30,5",
               .fn = opt_src, .user = a),
        SP_OPT(SP_OPT_STR, "-scen", "FILE", &scen0,
               "the scenario of SRC (and -scen_src FILE,H,SZ0 for each -src):\n"
               "DST then has base_P, scen_P and delta_P (base - scen) bands"),
        SP_OPT(SP_OPT_CALL, "-scen_src", "FILE[,H,SZ0[,F]]", NULL,
               "the scenario of the -src in the same position", .fn = opt_src, .user = a),
        SP_OPT(SP_OPT_DOUBLE, "-zi", "M", &o->zi, "mixing height (default 1000)",
               .min = 1e-3, .max = 1e5),
        SP_OPT(SP_OPT_SWITCH, "-ensemble", NULL, &o->ensemble,
               "with -scen: also the change of every member of an ensemble over\n"
               "what the model does not know (cloud 0/4/8 oktas where the file\n"
               "has none x calms in proportion or even x mixing height\n"
               "500/1000/1500 m x sigma_z0 x0.5/1/2: 54 members; 9 with -star),\n"
               "bands delta_P_m01..; DST.members.csv: each one and its stability"),
        JOINT_OPTS(o, jmet, jseed),
        SP_OPT(SP_OPT_DOUBLE, "-rmax", "M", &o->rmax, "kernel radius (default 10000)",
               .min = 1e-3, .max = 1e7),
        SP_OPT(SP_OPT_CALL, "-b", "N[,N...]", NULL, "bands of the inputs (default all)",
               .fn = opt_bands, .user = a),
        DEPOSITION_OPTS(o, a),
        SP_SECTION("Output:"),
        SP_OPT(SP_OPT_CALL, "-ot", "Float32|Float64", NULL, "(default Float32)", .fn = opt_ot,
               .user = &o->float64),
        SP_OPT(SP_OPT_STRS, "-co", "NAME=VALUE", &co, "GeoTIFF creation option (repeatable)"),
        SP_OPT(SP_OPT_DOUBLE, "-no2_ratio", "R", &o->no2_ratio,
               "add NO2 bands = R x NOx (R from 0.5 to 0.9, ARM2's bounds; a\n"
               "screening ratio, no chemistry); off by default", .min = 0.5, .max = 0.9),
        SP_OPT(SP_OPT_SWITCH, "-no2_arm2", NULL, &o->no2_arm2,
               "add NO2 bands by EPA's Ambient Ratio Method 2: each cell's NOx x\n"
               "ARM2's ratio of it (0.9 at low NOx, 0.5 from ~530 ug/m3)"),
        SP_OPT(SP_OPT_CALL, "-secondary", "P=BETA[,P=BETA]", NULL,
               "add a secondary PM2.5 band: a grid mean of sum_p BETA_p\n"
               "x E_p (E_p the band P's total over the grid, kt/yr; BETA in ug/m3\n"
               "per kt/yr, from your own source apportionment), spread like the\n"
               "precursors under a Gaussian of -secondary_sigma M; off by default",
               .fn = opt_secondary, .user = a),
        SP_OPT(SP_OPT_DOUBLE, "-secondary_sigma", "M", &o->sec_sigma, "(default 20000)",
               .min = 1e-3, .max = 1e7),
        EVAL_OPTS(o),
        RUN_OPTS(o),
    };
    int rc = sp_cli_parse(cli, &TOOL, opts, sizeof opts / sizeof *opts, argc, argv, pos);
    if (!rc)
        rc = assemble(cli, a, pos[0], scen0, o->classes);
    o->co = co;
    set_joint(cli, o, jmet, jseed);
    return rc;
}

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-disperse");
    sp_disperse_options o;
    sp_disperse_options_init(&o);
    args a = {0};
    a.base[0].sz0 = 2;
    a.base[0].scale = 1;
    a.nbase = 1;
    const char *pos[2];
    sp_cli_add_input(&cli, "eval", &o.eval_in, &o.stations); /* -oo, -s_srs...: the stations */
    int rc = parse(&cli, argc, argv, &o, &a, pos);
    if (rc) {
        args_free(&a);
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    o.deposition = !a.nodep;
    o.base = a.base;
    o.nbase = a.nbase;
    o.scen = a.scen;
    o.nscen = a.nscen;
    if (a.nbands) {
        o.bands = a.bands;
        o.nbands = a.nbands;
    }
    if (a.nsec) {
        o.sec_name = (const char *const *)a.sec;
        o.sec_beta = a.beta;
        o.nsec = a.nsec;
    }
    o.progress = sp_cli_progress;
    o.progress_user = &cli;
    o.max_mem = cli.max_mem;
    sp_cli_run_args(&cli, argc, argv, pos[1], &o.part);
    sp_ctx *ctx = sp_ctx_new();
    sp_disperse_report rep;
    memset(&rep, 0, sizeof rep);
    if (!ctx || sp_disperse_run(ctx, pos[1], &o, &rep)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet)
            print_report(&rep, &o);
    }
    sp_disperse_report_free(&rep);
    sp_ctx_free(ctx);
    args_free(&a);
    sp_cli_free(&cli);
    return rc;
}
