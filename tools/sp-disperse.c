/* sp-disperse: annual-mean concentrations (ug/m3) from emission grids and a wind and
 * stability climatology. Parses arguments, runs sp_disperse_run, prints the wind rose and
 * the ranges. */
#include "sp_cli.h"
#include "sp_disperse_run.h"

#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
    "Usage: sp-disperse [options] -met HOURLY.csv | -star STAR.csv SRC.tif DST.tif\n"
    "\n"
    "Turns an emission grid (sp-grid output: t/yr per cell, square cells, a projected CRS)\n"
    "into annual-mean ground-level concentrations (ug/m3), one band per input band, with\n"
    "the ISC3 long-term sector-average Gaussian plume (EPA-454/B-95-003b) and Briggs urban\n"
    "dispersion, applied as an FFT convolution. A screening model: flat terrain, no street\n"
    "canyons, no chemistry, no regional transport (README: the limits).\n"
    "\n"
    "Meteorology (one of):\n"
    "  -met FILE.csv      hourly observations: columns year, month, day, hour, wd (16-point\n"
    "                     compass, FROM; NA = calm), WSPM (m/s), optional cloud (oktas), as in\n"
    "                     the UCI Beijing multi-site air-quality data\n"
    "  -star FILE.csv     a joint frequency table sector_from_deg,speed_ms,stability,freq\n"
    "  -star_out FILE     write the table made from -met\n"
    "  -rose FILE.svg     the wind rose (default: DST's name + .windrose.svg)\n"
    "  -utc_offset H      hours the met clock is ahead of UTC (default 8, Beijing)\n"
    "  -night_cloud OKTAS cloud assumed at night when the file has none (default 0: clear,\n"
    "                     the stable classes E/F at low wind)\n"
    "Sources and model:\n"
    "  -height M          release height of SRC's sources (default 0: traffic, dust)\n"
    "  -sz0 M             their initial vertical spread sigma_z0 (default 2)\n"
    "  -factor F          multiply SRC's emissions by F (0-1) first: for fugitive dust,\n"
    "                     the transportable fraction x the site control factor\n"
    "  -src FILE,H,SZ0[,F]  another emission grid with its own class and factor\n"
    "                     (repeatable; summed), e.g. boiler stacks: -src boilers.tif,30,5\n"
    "  -scen FILE         the scenario of SRC (and -scen_src FILE,H,SZ0 for each -src):\n"
    "                     DST then has base_P, scen_P and delta_P (base - scen) bands\n"
    "  -zi M              mixing height (default 1000)\n"
    "  -ensemble          with -scen: also the change of every member of an ensemble over\n"
    "                     what the model does not know (night cloud 0/8 oktas x mixing\n"
    "                     height 500/1000/1500 m x sigma_z0 x0.5/1/2: 18 members; 9 with\n"
    "                     -star), bands delta_P_m01..; DST.members.csv lists them\n"
    "  -rmax M            kernel radius (default 10000)\n"
    "  -b N[,N...]        bands of the inputs (default all)\n"
    "Output:\n"
    "  -ot Float32|Float64  (default Float32)   -co NAME=VALUE   GeoTIFF creation option\n"
    "  -no2_ratio R       add NO2 bands = R x NOx (R from 0.5 to 0.9, ARM2's bounds; a\n"
    "                     screening ratio, no chemistry); off by default\n"
    "  -secondary P=BETA[,P=BETA]  add a secondary PM2.5 band: a grid mean of sum_p BETA_p\n"
    "                     x E_p (E_p the band P's total over the grid, kt/yr; BETA in ug/m3\n"
    "                     per kt/yr, from your own source apportionment), spread like the\n"
    "                     precursors under a Gaussian of -secondary_sigma M (20000); off by\n"
    "                     default\n"
    "  -eval STATIONS     points with observed annual means: prints FB, NMSE, FAC2 and R\n"
    "                     (Chang & Hanna 2004) of the model at them; -eval_field NAME (obs),\n"
    "                     -eval_band NAME (default the first band)\n"
    "  -j N               threads of the FFT (default 2)\n"
    "  -max_mem SIZE      refuse a run needing more memory (default 4G)\n"
    "  -kernel_out F.tif  also write SRC's kernel (ug/m3 per g/s, centred on 0,0)\n"
    "  -q, --config KEY VALUE, --help, --version\n"
    "\n"
    "Examples:\n"
    "  sp-disperse -met samples/met/nongzhanguan_2016.csv -b 3 emis.tif pm25_conc.tif\n"
    "  sp-disperse -met met.csv -scen emis_scen.tif -src boilers.tif,30,5 \\\n"
    "      -scen_src boilers_scen.tif,30,5 emis_base.tif conc.tif\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error. Outputs appear only when complete.\n";

/* "FILE,H,SZ0[,FACTOR]" */
static bool parse_src(const char *s, sp_disperse_input *in)
{
    char **p = CSLTokenizeString2(s, ",", 0);
    int n = CSLCount(p);
    in->scale = 1;
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
    int bands[64];
    char **co;
    char *sec[8];
    double beta[8];
    int nsec;
} args;

static void args_free(args *a)
{
    for (int i = 1; i < 17; i++) { /* [0] borrows argv; the others were strdup'ed */
        free((char *)a->base[i].path);
        free((char *)a->scen[i].path);
    }
    CSLDestroy(a->co);
    for (int i = 0; i < 8; i++)
        free(a->sec[i]);
}

static void print_report(const sp_disperse_report *rep, const sp_disperse_options *o)
{
    double stab[SP_MET_NSTAB], sec[SP_MET_NSEC];
    sp_star_marginals(&rep->star, stab, sec);
    if (o->met)
        printf("met: %ld hours (%ld calm, %ld without speed; %ld night hours with cloud assumed "
               "%g oktas), sun at %.3fN %.3fE\n", rep->star.hours, rep->star.calm,
               rep->star.missing, rep->star.night_assumed, o->met_opts.night_cloud, rep->lat,
               rep->lon);
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
    if (rep->nstations)
        printf("evaluation at %d stations: FB %.3f  NMSE %.3f  FAC2 %.2f  R %.3f\n",
               rep->nstations, rep->fb, rep->nmse, rep->fac2, rep->r);
    printf("wind rose: %s\n", rep->rose_path);
}

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-disperse", USAGE);
    sp_disperse_options o;
    sp_disperse_options_init(&o);
    args a = {0};
    a.base[0].sz0 = 2;
    a.base[0].scale = 1;
    a.nbase = 1;
    const char *pos[2] = {NULL, NULL}, *scen0 = NULL;
    static const char *const VAL[] = {"-met", "-star", "-star_out", "-rose", "-utc_offset",
                                      "-night_cloud", "-height", "-sz0", "-src", "-scen",
                                      "-scen_src", "-zi", "-rmax", "-b", "-ot", "-co", "-eval",
                                      "-eval_field", "-eval_band", "-j", "-kernel_out", "-no2_ratio",
                                      "-factor", "-secondary", "-secondary_sigma", NULL};
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int c = sp_cli_common(&cli, argc, argv, &i);
        if (c == 1)
            continue;
        if (c > 1) {
            rc = c == 3 ? 0 : 2;
            goto out;
        }
        if (!strcmp(arg, "-ensemble")) {
            o.ensemble = true;
            continue;
        }
        int k = 0;
        while (VAL[k] && strcmp(VAL[k], arg))
            k++;
        if (!VAL[k]) {
            if ((rc = sp_cli_positional(&cli, arg, pos, 2)))
                goto out;
            continue;
        }
        if (!sp_cli_has(&cli, argc, argv, i, 1)) {
            rc = 2;
            goto out;
        }
        const char *v = argv[++i];
        double d = 0;
        bool num = sp_cli_double(v, &d);
        const char *bad = NULL;
        switch (k) {
        case 0: o.met = v; break;
        case 1: o.star = v; break;
        case 2: o.star_out = v; break;
        case 3: o.rose_out = v; break;
        case 4: o.met_opts.utc_offset = d; bad = num && d >= -14 && d <= 14 ? NULL : "hours from -14 to 14"; break;
        case 5: o.met_opts.night_cloud = d; bad = num && d >= 0 && d <= 8 ? NULL : "0-8 oktas"; break;
        case 6: a.base[0].height = d; bad = num && d >= 0 ? NULL : "metres >= 0"; break;
        case 7: a.base[0].sz0 = d; bad = num && d >= 0 ? NULL : "metres >= 0"; break;
        case 8:
            if (a.nbase == 17 || !parse_src(v, &a.base[a.nbase]))
                bad = "FILE,HEIGHT,SZ0[,FACTOR] (at most 16; FACTOR 0-1)";
            else
                a.nbase++;
            break;
        case 9: scen0 = v; break;
        case 10:
            if (a.nscen == 16 || !parse_src(v, &a.scen[1 + a.nscen]))
                bad = "FILE,HEIGHT,SZ0[,FACTOR] (at most 16; FACTOR 0-1)";
            else
                a.nscen++;
            break;
        case 11: o.zi = d; bad = num && d > 0 ? NULL : "metres > 0"; break;
        case 12: o.rmax = d; bad = num && d > 0 ? NULL : "metres > 0"; break;
        case 13: {
            char **l = sp_cli_split(v);
            o.nbands = 0;
            for (int q = 0; l && l[q] && !bad; q++)
                if (o.nbands == 64 || !sp_cli_int(l[q], &a.bands[o.nbands++]) || a.bands[o.nbands - 1] < 1)
                    bad = "band numbers from 1";
            sp_cli_free_list(l);
            o.bands = a.bands;
            break;
        }
        case 14:
            if (!strcasecmp(v, "Float64"))
                o.float64 = true;
            else if (strcasecmp(v, "Float32"))
                bad = "Float32 or Float64";
            break;
        case 15: a.co = CSLAddString(a.co, v); break;
        case 16: o.stations = v; break;
        case 17: o.obs_field = v; break;
        case 18: o.eval_band = v; break;
        case 20: o.kernel_out = v; break;
        case 21: o.no2_ratio = d; bad = num && d >= 0.5 && d <= 0.9 ? NULL : "a ratio from 0.5 to 0.9"; break;
        case 22: a.base[0].scale = d; bad = num && d >= 0 && d <= 1 ? NULL : "a factor from 0 to 1"; break;
        case 23: {
            char **l = sp_cli_split(v);
            a.nsec = 0;
            for (int q = 0; l && l[q] && !bad; q++) {
                char *eq = strchr(l[q], '=');
                if (a.nsec == 8 || !eq || eq == l[q] || !sp_cli_double(eq + 1, &a.beta[a.nsec]) ||
                    a.beta[a.nsec] < 0)
                    bad = "PRECURSOR=BETA[,...] (BETA >= 0, ug/m3 per kt/yr; at most 8)";
                else {
                    *eq = '\0';
                    a.sec[a.nsec++] = strdup(l[q]);
                }
            }
            sp_cli_free_list(l);
            o.sec_name = (const char *const *)a.sec;
            o.sec_beta = a.beta;
            o.nsec = a.nsec;
            break;
        }
        case 24: o.sec_sigma = d; bad = num && d > 0 ? NULL : "metres > 0"; break;
        default: {
            int j;
            bad = sp_cli_int(v, &j) && j >= 1 && j <= 64 ? NULL : "threads 1-64";
            o.threads = j;
        }
        }
        if (bad) {
            rc = sp_cli_usage(&cli, "%s: '%s': want %s", arg, v, bad);
            goto out;
        }
    }
    if (!pos[0] || !pos[1]) {
        rc = sp_cli_usage(&cli, "need SRC and DST");
        goto out;
    }
    if (!scen0 && a.nscen) {
        rc = sp_cli_usage(&cli, "-scen_src needs -scen (the scenario of SRC)");
        goto out;
    }
    a.base[0].path = pos[0];
    if (scen0) {
        a.scen[0] = a.base[0];
        a.scen[0].path = scen0;
        a.nscen++;
        /* each -scen_src pairs with the -src in the same position */
        for (int i = 1; i < a.nscen && i < a.nbase; i++)
            if (a.scen[i].height != a.base[i].height || a.scen[i].sz0 != a.base[i].sz0) {
                rc = sp_cli_usage(&cli, "-scen_src %d has another height or sigma_z0 than -src %d",
                                  i, i);
                goto out;
            }
    }
    o.base = a.base;
    o.nbase = a.nbase;
    o.scen = a.scen;
    o.nscen = a.nscen;
    o.co = a.co;
    o.progress = sp_cli_progress;
    o.progress_user = &cli;
    o.max_mem = cli.max_mem;
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
out:
    args_free(&a);
    sp_cli_free(&cli);
    return rc;
}
