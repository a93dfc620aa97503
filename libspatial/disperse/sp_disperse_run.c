/* sp_disperse_run: reads the grids and the meteorology, builds one kernel per source
 * class, convolves every band, writes the concentrations (and the STAR table and wind
 * rose beside them, all or none), and compares with stations (Chang & Hanna 2004:
 * FB, NMSE, FAC2, R). */
#include "disperse/sp_disperse_run.h"
#include "disperse/sp_disperse_impl.h"
#include "disperse/sp_disperse_design.h"
#include "io/sp_output.h"
#include "io/sp_raster.h"
#include "core/sp_text.h"
#include "io/sp_vector.h"

#include <cpl_string.h>
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>

void sp_disperse_options_init(sp_disperse_options *o)
{
    memset(o, 0, sizeof *o);
    o->zi = 1000;
    o->rmax = 10000;
    sp_met_options_init(&o->met_opts);
    sp_vector_options_init(&o->eval_in);
    o->threads = 2;
    o->sec_sigma = 20000;
    o->deposition = true;
    o->dep_diam[0] = 6;
    o->dep_diam[1] = 20;
}

void sp_disperse_report_free(sp_disperse_report *r)
{
    if (!r)
        return;
    for (int i = 0; r->name && i < r->nout; i++)
        free(r->name[i]);
    free(r->name);
    free(r->min);
    free(r->mean);
    free(r->max);
    free(r->rose_path);
    free(r->eval_csv);
    free(r->joint);
    free(r->joint_stab);
    free(r->joint_efactor);
    memset(r, 0, sizeof *r);
}

/* the grid's centre in WGS84 lon/lat, for the sun */
static sp_status check_grid(sp_ctx *ctx, const sp_raster *r, const char *path)
{
    const sp_grid *g = &r->grid;
    if (!g->wkt || !g->wkt[0])
        return sp_error(ctx, SP_ERR_DATA, "'%s' has no CRS: the model needs metres (give the "
                        "grid a projected CRS, e.g. gdal_edit.py -a_srs EPSG:32650)", path);
    OGRSpatialReferenceH s = OSRNewSpatialReference(g->wkt);
    bool geo = !s || OSRIsGeographic(s) || !OSRIsProjected(s);
    double m = s ? OSRGetLinearUnits(s, NULL) : 0;
    if (s)
        OSRDestroySpatialReference(s);
    if (geo)
        return sp_error(ctx, SP_ERR_DATA, "'%s' is not in a projected CRS: distances must be "
                        "metres (sp-grid -t_srs EPSG:32650)", path);
    if (fabs(g->dx - g->dy) > 1e-6 * g->dx)
        return sp_error(ctx, SP_ERR_DATA, "'%s' has cells of %g x %g: the model wants square "
                        "cells (sp-grid -tr D D)", path, g->dx, g->dy);
    if (fabs(m - 1) > 1e-9)
        return sp_error(ctx, SP_ERR_DATA, "'%s': its CRS's unit is not the metre", path);
    return SP_OK;
}

static bool same_grid(const sp_grid *a, const sp_grid *b)
{
    return a->ncols == b->ncols && a->nrows == b->nrows && fabs(a->xmin - b->xmin) < 1e-6 * a->dx &&
           fabs(a->ymax - b->ymax) < 1e-6 * a->dx && fabs(a->dx - b->dx) < 1e-9 * a->dx;
}

/* reads every input; all must be on the grid of ref (or of the first) with as many
 * bands */
static sp_status read_inputs(sp_ctx *ctx, const sp_disperse_input *in, int n,
                             const sp_disperse_options *o, const sp_raster *ref, sp_raster **r)
{
    sp_status rc = SP_OK;
    for (int i = 0; i < n && !rc; i++) {
        if ((rc = o->row1 ? sp_raster_read_rows(ctx, in[i].path, o->bands, o->nbands,
                                                o->in_row0, o->in_row1, &r[i])
                          : sp_raster_read(ctx, in[i].path, o->bands, o->nbands, &r[i])))
            break;
        if ((rc = check_grid(ctx, r[i], in[i].path)))
            break;
        const sp_raster *first = ref ? ref : r[0];
        if (!same_grid(&first->grid, &r[i]->grid) || r[i]->nbands != first->nbands)
            rc = sp_error(ctx, SP_ERR_DATA, "'%s' is not on the grid of '%s' (or has another "
                          "number of bands): sp-grid them with the same -te -tr", in[i].path,
                          o->base[0].path);
        if (!(in[i].height >= 0) || !(in[i].sz0 >= 0) || !(in[i].scale >= 0 && in[i].scale <= 1))
            rc = sp_error(ctx, SP_ERR_USAGE, "'%s': height and sigma_z0 must be >= 0, the "
                          "emission factor from 0 to 1", in[i].path);
    }
    return rc;
}


/* out[b] += the concentration of every input's band b (each with its class) */
/* The kernels' sum: the concentration summed over the grid per g/s (a source away from
 * the edges). */
/* the secondary PM2.5 band of one group: sum_p beta_p E_p(x) spread by a Gaussian of
 * sigma, scaled so that its grid mean is sum_p beta_p x total_p (kt/yr) */
static sp_status secondary_grid(sp_ctx *ctx, const sp_disperse_options *o,
                                const sp_disperse_input *in, sp_raster **r, int n,
                                const int *idx, double *dst)
{
    const sp_grid *g = &r[0]->grid;
    size_t cells = (size_t)g->ncols * g->nrows;
    double *s = calloc(cells, sizeof *s), *pat = calloc(cells, sizeof *pat), tot = 0;
    sp_kernel k = {0};
    sp_status rc = s && pat ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int i = 0; !rc && i < n; i++)
        for (int p = 0; p < o->nsec; p++) {
            const double *e = r[i]->band[idx[p]];
            for (size_t q = 0; q < cells; q++)
                if (!isnan(e[q]) && !(r[i]->has_nodata && e[q] == r[i]->nodata))
                    s[q] += o->sec_beta[p] * in[i].scale * e[q];
        }
    for (size_t q = 0; !rc && q < cells; q++)
        tot += s[q];
    k.n = (int)ceil(3 * o->sec_sigma / g->dx);
    k.dx = g->dx;
    if (!rc && (k.n > 5000 || !(k.k = calloc((size_t)(2 * k.n + 1) * (2 * k.n + 1), sizeof *k.k))))
        rc = sp_error(ctx, SP_ERR_NOMEM, "-secondary_sigma %g m: kernel too large", o->sec_sigma);
    double ksum = 0;
    for (int a = -k.n; !rc && a <= k.n; a++)
        for (int b = -k.n; b <= k.n; b++) {
            double d2 = (double)(a * a + b * b) * g->dx * g->dx;
            double v = d2 <= 9 * o->sec_sigma * o->sec_sigma ? exp(-d2 / (2 * o->sec_sigma * o->sec_sigma)) : 0;
            k.k[(size_t)(a + k.n) * (2 * k.n + 1) + b + k.n] = v;
            ksum += v;
        }
    for (size_t q = 0; !rc && q < (size_t)(2 * k.n + 1) * (2 * k.n + 1); q++)
        k.k[q] /= ksum;
    if (!rc)
        rc = sp_convolve_fft(ctx, s, g->nrows, g->ncols, 1.0, &k, pat, o->threads);
    double mean = 0;
    for (size_t q = 0; !rc && q < cells; q++)
        mean += pat[q] / (double)cells;
    for (size_t q = 0; !rc && q < cells; q++) /* t/yr -> kt/yr */
        dst[q] = mean > 0 ? fmax(0, tot / 1000 * pat[q] / mean) : 0;
    sp_kernel_free(&k);
    free(s);
    free(pat);
    return rc;
}

/* The same into a shard's rows: its grid mean needs every cell, so the inputs are read
 * whole for it (-secondary holds the whole grid; docs/cluster.md). */
static sp_status secondary(sp_ctx *ctx, const sp_disperse_options *o, const sp_disperse_input *in,
                           sp_raster **r, int n, const int *idx, double *dst)
{
    if (!o->row1)
        return secondary_grid(ctx, o, in, r, n, idx, dst);
    sp_raster *whole[17] = {0};
    sp_status rc = SP_OK;
    for (int i = 0; i < n && !rc; i++)
        rc = sp_raster_read(ctx, in[i].path, o->bands, o->nbands, &whole[i]);
    size_t nc = rc ? 0 : (size_t)whole[0]->grid.ncols;
    double *all = rc ? NULL : calloc(nc * (size_t)whole[0]->grid.nrows, sizeof *all);
    if (!rc && !all)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = secondary_grid(ctx, o, in, whole, n, idx, all);
    if (!rc)
        memcpy(dst, all + (size_t)o->row0 * nc, (size_t)(o->row1 - o->row0) * nc * sizeof *dst);
    free(all);
    for (int i = 0; i < n; i++)
        sp_raster_free(whole[i]);
    return rc;
}

/* the members of this run (sp_disperse_design.h) */
static int nmembers(const sp_disperse_options *o)
{
    return o->joint > 0 ? o->joint : sp_ensemble_count(o->ensemble, o->met != NULL);
}

/* the k-th member of this run: with a STAR table the 9 of half cloud and proportional
 * calms (the table fixes both) */
static sp_ensemble_member member(const sp_disperse_options *o, int k)
{
    return sp_ensemble_member_of(o->met ? k : 18 + k);
}

/* the index of a member's STAR table in the run's list (cloud-major, then calms) */
static int star_of(sp_ensemble_member mb)
{
    return (mb.cloud >= 8 ? 2 : mb.cloud > 0 ? 1 : 0) * 2 + mb.calm_uniform;
}

/* each member's change (baseline - scenario) of every input band: the model is linear,
 * so one convolution of the emission change per member and band */
static sp_status ensemble(sp_ctx *ctx, const sp_disperse_options *o, sp_raster **r, int nb,
                          const sp_star stars[SP_ENSEMBLE_STARS], double **dst)
{
    const sp_grid *g = &r[0]->grid;
    size_t cells = (size_t)g->ncols * g->nrows;
    double *diff = malloc(cells * sizeof *diff);
    sp_status rc = diff ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int m = 0; !rc && m < nmembers(o); m++)
        for (int i = 0; !rc && i < o->nbase; i++) {
            sp_ensemble_member mb = member(o, m);
            sp_disperse_class c;
            sp_disperse_class_init(&c);
            c.height = o->base[i].height;
            c.sz0 = o->base[i].sz0 * mb.sz0_factor;
            c.zi = mb.zi;
            c.rmax = o->rmax;
            sp_kernel k;
            sp_convolver *cv = NULL;
            const sp_star *st = &stars[star_of(mb)];
            if ((rc = sp_kernel_build(ctx, st, &c, g->dx, &k)))
                break;
            rc = sp_convolver_new(ctx, g->nrows, g->ncols, &k, o->threads, &cv);
            const sp_raster *b0 = r[i], *b1 = r[o->nbase + i];
            for (int b = 0; !rc && b < nb; b++) {
                for (size_t q = 0; q < cells; q++) {
                    double x = b0->band[b][q], y = b1->band[b][q];
                    x = isnan(x) || (b0->has_nodata && x == b0->nodata) ? 0 : x;
                    y = isnan(y) || (b1->has_nodata && y == b1->nodata) ? 0 : y;
                    diff[q] = o->base[i].scale * x - o->scen[i].scale * y;
                }
                rc = sp_convolver_apply(ctx, cv, diff, SP_TPY_TO_GS, dst[m * nb + b]);
            }
            sp_convolver_free(cv);
            sp_kernel_free(&k);
        }
    free(diff);
    return rc;
}

/* the kernel of the first input's class as a GeoTIFF centred on (0, 0), for checks
 * against other convolution codes (make bench uses it with scipy) */
static sp_status write_kernel(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                              const sp_star *star)
{
    sp_disperse_class c;
    sp_disperse_class_init(&c);
    c.height = o->base[0].height;
    c.sz0 = o->base[0].sz0;
    c.zi = o->zi;
    c.rmax = o->rmax;
    sp_kernel k;
    sp_status rc = sp_kernel_build(ctx, star, &c, g->dx, &k);
    if (rc)
        return rc;
    int w = 2 * k.n + 1;
    sp_grid kg = {0};
    double h = (k.n + 0.5) * g->dx;
    sp_raster *kr = NULL;
    if (!(rc = sp_grid_from_res(ctx, &kg, -h, -h, h, h, g->dx, g->dx, false)) &&
        !(kr = sp_raster_new(ctx, &kg, 1)))
        rc = SP_ERR_NOMEM;
    if (!rc && (kr->grid.ncols != w || kr->grid.nrows != w))
        rc = sp_error(ctx, SP_ERR_INTERNAL, "kernel grid of %d x %d", kr->grid.ncols, kr->grid.nrows);
    if (!rc) {
        memcpy(kr->band[0], k.k, (size_t)w * w * sizeof *k.k);
        sp_raster_write_options wo;
        sp_raster_write_options_init(&wo);
        rc = sp_raster_set_name(ctx, kr, 0, "kernel");
        if (!rc)
            rc = sp_raster_set_unit(ctx, kr, "ug/m3 per g/s");
        if (!rc)
            rc = sp_raster_write(ctx, kr, o->kernel_out, &wo);
    }
    sp_raster_free(kr);
    sp_grid_clear(&kg);
    sp_kernel_free(&k);
    return rc;
}

static sp_status write_text_output(sp_ctx *ctx, const char *path, const char *text,
                                   const sp_star *star)
{
    sp_output out;
    sp_status rc = sp_output_begin(ctx, &out, path);
    if (rc)
        return rc;
    FILE *fp = fopen(out.path, "w");
    int bad = !fp || (text ? fputs(text, fp) < 0 : sp_star_write(fp, star) != 0);
    if (fp && (ferror(fp) | fclose(fp)))
        bad = 1;
    if (bad) {
        int e = errno;
        sp_output_abort(&out);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return sp_output_commit(ctx, &out);
}

/* The model's description in the GeoTIFF metadata: model, met, stability, mixing height,
 * kernel radius, sources, evaluation, ensemble, secondary and NO2 terms. */
static char **model_metadata(const sp_disperse_options *o, const sp_disperse_report *rep)
{
    double stab[SP_MET_NSTAB], sec[SP_MET_NSEC];
    sp_star_marginals(&rep->star, stab, sec);
    char buf[1100], src[1024] = "";
    char **meta = CSLAddString(NULL, "MODEL=ISC3 long-term sector-average Gaussian plume "
                                     "(EPA-454/B-95-003b), Briggs urban sigma_z; a screening "
                                     "model: flat terrain, no street canyons, no chemistry, no "
                                     "regional transport");
    snprintf(buf, sizeof buf, "MET=%s%s", o->met ? o->met : o->star,
             o->met ? " (hourly)" : " (STAR)");
    meta = CSLAddString(meta, buf);
    snprintf(buf, sizeof buf, "STABILITY=A:%.4f B:%.4f C:%.4f D:%.4f E:%.4f F:%.4f", stab[0],
             stab[1], stab[2], stab[3], stab[4], stab[5]);
    meta = CSLAddString(meta, buf);
    snprintf(buf, sizeof buf, "ZI_M=%g", o->zi);
    meta = CSLAddString(meta, buf);
    snprintf(buf, sizeof buf, "RMAX_M=%g", o->rmax);
    meta = CSLAddString(meta, buf);
    for (int i = 0; i < o->nbase; i++) {
        size_t k = strlen(src);
        snprintf(src + k, sizeof src - k, "%s%s H=%g sz0=%g factor=%g", i ? "; " : "",
                 o->base[i].path, o->base[i].height, o->base[i].sz0, o->base[i].scale);
    }
    snprintf(buf, sizeof buf, "SOURCES=%s", src);
    meta = CSLAddString(meta, buf);
    if (rep->nstations) {
        snprintf(buf, sizeof buf, "EVAL=%d stations (%s): FB %.4f NMSE %.4f FAC2 %.4f R %.4f "
                 "(Chang & Hanna 2004)%s%s", rep->nstations, o->eval_band ? o->eval_band : "band 1",
                 rep->fb, rep->nmse, rep->fac2, rep->r, rep->eval_why ? "; " : "",
                 rep->eval_why ? rep->eval_why : "");
        meta = CSLAddString(meta, buf);
    }
    if (o->joint > 0) {
        snprintf(buf, sizeof buf, "ENSEMBLE=%d members of a joint ensemble (Latin hypercube, seed "
                 "%llu; delta_P_mNN; DST.members.csv): met files %d x cloud 0/4/8 x calms x%s "
                 "mixing height 500-1500 m x sigma_z0 x0.5-2 x release heights x0.5-1.5%s", o->joint,
                 (unsigned long long)(o->joint_seed ? o->joint_seed : 1), 1 + o->njoint_met,
                 o->met_opts.urban_pop > 0 ? " urban option off/on x" : "",
                 o->emis_draws ? " x emission-factor draws" : "");
        meta = CSLAddString(meta, buf);
    } else if (nmembers(o)) {
        snprintf(buf, sizeof buf, "ENSEMBLE=%d members (delta_P_mNN; DST.members.csv): %s"
                 "mixing height 500/1000/1500 m x sigma_z0 x0.5/1/2%s", nmembers(o),
                 o->met ? "cloud 0/4/8 oktas where missing x calms proportional/even x " : "",
                 o->nsec ? "; secondary coefficients x0.5/1/1.5 (Latin square)" : "");
        meta = CSLAddString(meta, buf);
    }
    for (int p = 0; p < o->nsec; p++) {
        snprintf(buf, sizeof buf, "SECONDARY_PM25_%s=%g ug/m3 per kt/yr (grid mean; spread by "
                 "a Gaussian of %g m; a screening term)", o->sec_name[p], o->sec_beta[p],
                 o->sec_sigma);
        meta = CSLAddString(meta, buf);
    }
    if (o->no2_ratio > 0 || o->no2_arm2) {
        if (o->no2_arm2)
            snprintf(buf, sizeof buf, "NO2=ARM2 ratio of each cell's NOx x NOx (EPA's Ambient "
                     "Ratio Method 2, bounded 0.5-0.9; no chemistry)");
        else
            snprintf(buf, sizeof buf, "NO2=%g x NOx (a fixed screening ratio within ARM2's "
                     "bounds 0.5-0.9; no chemistry)", o->no2_ratio);
        meta = CSLAddString(meta, buf);
    }
    return meta;
}

/* dst without its extension, then suffix: "conc.tif" -> "conc.members.csv". */
static char *beside(const char *dst, const char *suffix)
{
    const char *dot = strrchr(dst, '.'), *slash = strrchr(dst, '/');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - dst) : strlen(dst);
    char *p = NULL;
    return asprintf(&p, "%.*s%s", (int)stem, dst, suffix) < 0 ? NULL : p;
}

/* DST.members.csv: what each ensemble member assumed, and the stability it gave. */
static sp_status write_members(sp_ctx *ctx, const char *dst, const sp_disperse_options *o,
                               const sp_disperse_report *rep)
{
    char *mpath = beside(dst, ".members.csv"), *mtext = NULL;
    size_t mlen = 0;
    FILE *mf = open_memstream(&mtext, &mlen);
    sp_status rc = SP_OK;
    if (!mpath || !mf) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    } else {
        if (o->joint > 0)
            fprintf(mf, "member,met,cloud_oktas,calms,urban,zi_m,sz0_factor,height_factor,"
                    "emission_factor,emission_draw,secondary_factor,A_pct,B_pct,C_pct,D_pct,E_pct,"
                    "F_pct\n");
        else
            fprintf(mf, "member,cloud_oktas,calms,zi_m,sz0_factor,secondary_factor,A_pct,B_pct,"
                    "C_pct,D_pct,E_pct,F_pct\n");
        for (int m = 0; o->joint > 0 && m < rep->njoint; m++) {
            const sp_joint_member *j = &rep->joint[m];
            const double *st = rep->joint_stab[m];
            const char *met = j->met ? o->joint_met[j->met - 1] : o->met, *base = strrchr(met, '/');
            fprintf(mf, "m%02d,%s,%g,%s,%s,%.9g,%.9g,%.9g,%.9g,%d,%.9g,%.2f,%.2f,%.2f,%.2f,%.2f,"
                    "%.2f\n", m + 1, base ? base + 1 : met, j->cloud,
                    j->calm_uniform ? "even" : "proportional", j->urban ? "urban" : "rural", j->zi,
                    j->sz0_factor, j->h_factor, rep->joint_efactor[m], j->draw,
                    o->nsec ? j->beta_factor : 1.0, 100 * st[0], 100 * st[1], 100 * st[2],
                    100 * st[3], 100 * st[4], 100 * st[5]);
        }
        for (int m = 0; o->joint <= 0 && m < nmembers(o); m++) {
            sp_ensemble_member mb = member(o, m);
            const double *st = rep->member_stab[star_of(mb)];
            fprintf(mf, "m%02d,%s,%s,%g,%g,%g,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f\n", m + 1,
                    o->met ? (mb.cloud == 0 ? "0" : mb.cloud == 4 ? "4" : "8") : "table",
                    o->met ? (mb.calm_uniform ? "even" : "proportional") : "table", mb.zi,
                    mb.sz0_factor, o->nsec ? mb.beta_factor : 1.0, 100 * st[0], 100 * st[1],
                    100 * st[2], 100 * st[3], 100 * st[4], 100 * st[5]);
        }
    }
    if (mf)
        fclose(mf);
    if (!rc)
        rc = write_text_output(ctx, mpath, mtext, NULL);
    free(mpath);
    free(mtext);
    return rc;
}

static sp_status write_outputs(sp_ctx *ctx, const char *dst, const sp_disperse_options *o,
                               sp_raster *out, const sp_raster *monthly, const sp_grid *full,
                               sp_disperse_report *rep)
{
    char **meta = model_metadata(o, rep);
    sp_raster_write_options wo;
    sp_raster_write_options_init(&wo);
    wo.float32 = !o->float64;
    wo.co = o->co;
    wo.meta = meta;
    if (o->part.shard.count) {
        sp_status prc = sp_disperse_write_part(ctx, dst, o, out, full, &wo);
        CSLDestroy(meta);
        return prc;
    }
    sp_output_hold(ctx); /* the grid, the STAR table and the rose: all or none */
    sp_status rc = sp_raster_write(ctx, out, dst, &wo);
    if (!rc && monthly) { /* the months' weights in the annual mean travel with them */
        char **mm = CSLDuplicate(meta);
        mm = CSLSetNameValue(mm, "MONTH_WEIGHTS", rep->month_weights);
        wo.meta = mm;
        rc = sp_raster_write(ctx, monthly, o->monthly, &wo);
        CSLDestroy(mm);
    }
    CSLDestroy(meta);
    if (!rc && o->star_out)
        rc = write_text_output(ctx, o->star_out, NULL, &rep->star);
    if (!rc && o->kernel_out)
        rc = write_kernel(ctx, o, &out->grid, &rep->star);
    if (!rc && nmembers(o))
        rc = write_members(ctx, dst, o, rep);
    if (!rc && rep->eval_csv) {
        char *epath = beside(dst, ".eval.csv");
        rc = epath ? write_text_output(ctx, epath, rep->eval_csv, NULL)
                   : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        free(epath);
    }
    char *svg = rc ? NULL : sp_star_rose_svg(&rep->star, o->met ? o->met : o->star);
    if (!rc && !svg)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc) {
        rep->rose_path = o->rose_out ? strdup(o->rose_out) : beside(dst, ".windrose.svg");
        rc = rep->rose_path ? write_text_output(ctx, rep->rose_path, svg, NULL)
                            : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    free(svg);
    sp_status rel = sp_output_release(ctx, rc == SP_OK);
    return rc ? rc : rel;
}

/* where each output band is: per group (baseline, scenario, change) the inputs' bands,
 * then NO2 and secondary PM2.5 if asked; the members' changes after the groups */
typedef struct {
    int nb, nox, per, sec_band, nmem, nout;
    int sec_idx[8];
} layout;

static int band_named(const sp_raster *r, const char *name)
{
    for (int b = 0; b < r->nbands; b++)
        if (r->name && r->name[b] && !strcasecmp(r->name[b], name))
            return b;
    return -1;
}

static sp_status plan_layout(sp_ctx *ctx, const sp_disperse_options *o, const sp_raster *r0,
                             layout *L)
{
    L->nb = r0->nbands;
    bool no2 = o->no2_ratio > 0 || o->no2_arm2;
    if (o->no2_ratio > 0 && o->no2_arm2)
        return sp_error(ctx, SP_ERR_USAGE, "-no2_ratio and -no2_arm2: give one");
    L->nox = no2 ? band_named(r0, "nox") : -1;
    if (no2 && L->nox < 0)
        return sp_error(ctx, SP_ERR_USAGE, "%s needs a band called 'nox' (sp-grid -a nox)",
                        o->no2_arm2 ? "-no2_arm2" : "-no2_ratio");
    for (int p = 0; p < o->nsec; p++)
        if (p >= 8 || (L->sec_idx[p] = band_named(r0, o->sec_name[p])) < 0)
            return sp_error(ctx, SP_ERR_USAGE, "-secondary: no band called '%s' in the inputs "
                            "(at most 8 precursors)", o->sec_name[p]);
    if (o->nsec && !(o->sec_sigma > 0))
        return sp_error(ctx, SP_ERR_USAGE, "-secondary_sigma must be positive");
    L->per = L->nb + (L->nox >= 0) + (o->nsec > 0);
    L->sec_band = L->nb + (L->nox >= 0);
    L->nmem = nmembers(o);
    if (L->nmem && !o->nscen)
        return sp_error(ctx, SP_ERR_USAGE, "%s needs -scen: its members are changes",
                        o->joint > 0 ? "-joint" : "-ensemble");
    if (o->joint > 0 && o->ensemble)
        return sp_error(ctx, SP_ERR_USAGE, "-ensemble and -joint: give one");
    if ((o->njoint_met || o->emis_draws) && o->joint <= 0)
        return sp_error(ctx, SP_ERR_USAGE, "-joint_met and -emis_draws are for -joint N");
    L->nout = (o->nscen ? 3 * L->per : L->per) + L->nmem * L->nb;
    return SP_OK;
}

/* the members' changes: their STAR tables (cloud 0/4/8 oktas where the file has none x
 * calms in proportion or even), one convolution per member and band, then with
 * -secondary each member's PM2.5 change gains the secondary change times the member's
 * factor */
static sp_status run_members(sp_ctx *ctx, const sp_disperse_options *o, sp_raster **r,
                             const layout *L, sp_raster *out, sp_disperse_report *rep)
{
    if (o->joint > 0) {
        sp_status rc = sp_disperse_joint(ctx, o, r, L->nb, out->band + 3 * L->per, rep);
        size_t cells = (size_t)out->grid.ncols * out->grid.nrows;
        int pm = band_named(r[0], "pm25");
        for (int m = 0; !rc && o->nsec && pm >= 0 && m < L->nmem; m++) {
            double f = rep->joint[m].beta_factor, *d = out->band[3 * L->per + m * L->nb + pm];
            const double *sb = out->band[L->sec_band], *ss = out->band[L->per + L->sec_band];
            for (size_t q = 0; q < cells; q++)
                d[q] += f * (sb[q] - ss[q]);
        }
        return rc;
    }
    static const double CLOUD[3] = {0, 4, 8};
    sp_star *stars = malloc(SP_ENSEMBLE_STARS * sizeof *stars);
    sp_status rc = !stars ? sp_error(ctx, SP_ERR_NOMEM, "out of memory") : SP_OK;
    for (int v = 0; !rc && v < SP_ENSEMBLE_STARS; v++) {
        sp_disperse_options ov = *o;
        ov.met_opts.calm_uniform = v % 2;
        rc = o->met ? sp_disperse_read_star(ctx, &ov, &r[0]->grid, CLOUD[v / 2], &stars[v], rep)
                    : (stars[v] = rep->star, SP_OK);
        double sec[SP_MET_NSEC];
        if (!rc)
            sp_star_marginals(&stars[v], rep->member_stab[v], sec);
    }
    if (!rc)
        rc = ensemble(ctx, o, r, L->nb, stars, out->band + 3 * L->per);
    free(stars);
    size_t cells = (size_t)out->grid.ncols * out->grid.nrows;
    int pm = band_named(r[0], "pm25");
    for (int m = 0; !rc && o->nsec && pm >= 0 && m < L->nmem; m++) {
        double f = member(o, m).beta_factor, *d = out->band[3 * L->per + m * L->nb + pm];
        const double *sb = out->band[L->sec_band], *ss = out->band[L->per + L->sec_band];
        for (size_t q = 0; q < cells; q++)
            d[q] += f * (sb[q] - ss[q]);
    }
    return rc;
}

/* band names (base_/scen_/delta_ P, delta_P_mNN) and ranges for the report */
static sp_status describe(sp_ctx *ctx, const sp_disperse_options *o, const sp_raster *r0,
                          const layout *L, sp_raster *out, sp_disperse_report *rep)
{
    static const char *const PREFIX[3] = {"base_", "scen_", "delta_"};
    size_t cells = (size_t)out->grid.ncols * out->grid.nrows;
    rep->nout = L->nout;
    rep->first_member = L->nout - L->nmem * L->nb;
    rep->name = calloc((size_t)L->nout, sizeof *rep->name);
    rep->min = calloc((size_t)L->nout, sizeof *rep->min);
    rep->mean = calloc((size_t)L->nout, sizeof *rep->mean);
    rep->max = calloc((size_t)L->nout, sizeof *rep->max);
    if (!rep->name || !rep->min || !rep->mean || !rep->max)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    int groups = o->nscen ? 3 : 1;
    for (int b = 0; b < L->nout; b++) {
        int mem = b >= groups * L->per ? (b - groups * L->per) / L->nb + 1 : 0;
        int k = mem ? (b - groups * L->per) % L->nb : b % L->per;
        const char *pol = k == L->sec_band && o->nsec ? "pm25_secondary"
                          : k == L->nb ? "no2"
                          : r0->name && r0->name[k] ? r0->name[k] : "band";
        char *nm = NULL, msuf[16] = "";
        if (mem)
            snprintf(msuf, sizeof msuf, "_m%02d", mem);
        if (asprintf(&nm, "%s%s%s", mem ? "delta_" : o->nscen ? PREFIX[b / L->per] : "", pol,
                     msuf) < 0 || !nm)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        rep->name[b] = nm;
        sp_status rc = sp_raster_set_name(ctx, out, b, nm);
        if (rc)
            return rc;
        double mn = INFINITY, mx = -INFINITY;
        for (size_t q = 0; q < cells; q++) {
            mn = fmin(mn, out->band[b][q]);
            mx = fmax(mx, out->band[b][q]);
        }
        rep->min[b] = mn;
        rep->max[b] = mx;
        rep->mean[b] = sp_raster_band_sum(out, b) / (double)cells;
    }
    return sp_raster_set_unit(ctx, out, "ug/m3");
}

/* the model's bands: baseline and scenario by input class, NO2, secondary, the change */
static sp_status fields(sp_ctx *ctx, const sp_disperse_options *o, sp_raster **r,
                        const layout *L, const sp_grid *full, sp_raster *out,
                        sp_disperse_report *rep)
{
    const sp_star *star = &rep->star;
    int step = 0, steps = (o->nbase + o->nscen) * L->nb, per = L->per;
    sp_star **stars = o->profiles ? calloc((size_t)o->nbase, sizeof *stars) : NULL;
    double factor[64];
    sp_status rc = o->profiles && !stars ? sp_error(ctx, SP_ERR_NOMEM, "out of memory")
                   : o->profiles && o->nbase > 64
                       ? sp_error(ctx, SP_ERR_USAGE, "-profiles: at most 64 inputs")
                   : o->profiles ? sp_disperse_profile_stars(ctx, o, full, stars, rep)
                                 : SP_OK;
    for (int i = 0; i < 64; i++)
        factor[i] = NAN;
    if (!rc)
        rc = sp_disperse_model(ctx, o->base, r, o->nbase, o, star, stars, factor, out->band, &step,
                               steps, rep);
    if (!rc && o->nscen)
        rc = sp_disperse_model(ctx, o->scen, r + o->nbase, o->nscen, o, star, stars, NULL,
                               out->band + per, &step, steps, NULL);
    for (int i = 0, k = 0; !rc && stars && i < o->nbase; i++)
        if (stars[i] && k < rep->nprofiled)
            rep->profile_factor[k++] = factor[i];
    for (int i = 0; stars && i < o->nbase; i++)
        free(stars[i]);
    free(stars);
    size_t cells = (size_t)out->grid.ncols * out->grid.nrows;
    for (int g = 0; !rc && L->nox >= 0 && g < (o->nscen ? 2 : 1); g++)
        for (size_t q = 0; q < cells; q++) { /* NO2 = a share of NOx: fixed, or ARM2's */
            double nox = out->band[g * per + L->nox][q];
            out->band[g * per + L->nb][q] = (o->no2_arm2 ? sp_arm2_ratio(nox) : o->no2_ratio) * nox;
        }
    if (!rc && o->nsec)
        rc = secondary(ctx, o, o->base, r, o->nbase, L->sec_idx, out->band[L->sec_band]);
    if (!rc && o->nsec && o->nscen)
        rc = secondary(ctx, o, o->scen, r + o->nbase, o->nscen, L->sec_idx,
                       out->band[per + L->sec_band]);
    for (int b = 0; !rc && o->nscen && b < per; b++)
        for (size_t q = 0; q < cells; q++) /* the change: baseline - scenario (> 0: cleaner) */
            out->band[2 * per + b][q] = out->band[b][q] - out->band[per + b][q];
    return rc;
}

/* Refuses a run needing more than -max_mem: the inputs and outputs in float64 (a shard:
 * its windows), the FFT's padded real array and two spectra (a strip's for tall grids). */
static sp_status check_memory(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                              int nin, const layout *L)
{
    if (o->max_mem <= 0)
        return SP_OK;
    double n = o->rmax / g->dx;
    int nrows = o->row1 ? o->full_nrows : g->nrows, strip = SP_STRIP_ROWS((int)ceil(n));
    double rows = nrows > strip ? strip + 2 * n : nrows + n; /* the transform's */
    double out_rows = o->row1 ? o->row1 - o->row0 : g->nrows;
    double cells = (double)g->ncols * g->nrows, pad = (g->ncols + n) * rows;
    double need = 8 * (cells * ((double)nin * L->nb + 1) + g->ncols * out_rows * L->nout + 3 * pad);
    char a[32], b[32];
    if (need > (double)o->max_mem)
        return sp_error(ctx, SP_ERR_LIMIT, "this run needs about %s (%d x %d cells, %d bands "
                        "out, a %.0f-cell kernel radius): more than -max_mem %s%s",
                        sp_format_bytes(need, a, sizeof a), g->ncols, nrows, L->nout, n,
                        sp_format_bytes((double)o->max_mem, b, sizeof b),
                        o->row1 ? "" : " (or run it in shards: -shard I/N, docs/cluster.md)");
    return SP_OK;
}

sp_status sp_disperse_run(sp_ctx *ctx, const char *dst, const sp_disperse_options *o,
                          sp_disperse_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (o->nbase < 1)
        return sp_error(ctx, SP_ERR_USAGE, "no emission grid");
    if (o->nscen && o->nscen != o->nbase)
        return sp_error(ctx, SP_ERR_USAGE, "%d scenario grid(s) for %d baseline grid(s): give "
                        "one scenario per baseline input", o->nscen, o->nbase);
    if (!(o->zi > 0) || !(o->rmax > 0))
        return sp_error(ctx, SP_ERR_USAGE, "-zi and -rmax must be positive");
    if (o->part.shard.count && sp_part_check_dst(ctx, dst))
        return SP_ERR_USAGE;
    if (o->nbase > 17 || o->nscen > 17)
        return sp_error(ctx, SP_ERR_USAGE, "at most 17 emission grids");
    /* the inputs with their classes resolved (copies: the options are the caller's) */
    sp_disperse_input in[34];
    memcpy(in, o->base, (size_t)o->nbase * sizeof *in);
    if (o->nscen)
        memcpy(in + o->nbase, o->scen, (size_t)o->nscen * sizeof *in);
    sp_status rc0 = sp_disperse_resolve_classes(ctx, o->classes, in, o->nbase + o->nscen);
    if (rc0)
        return rc0;
    sp_disperse_options resolved = *o;
    resolved.base = in;
    resolved.scen = o->nscen ? in + o->nbase : NULL;
    o = &resolved;
    int nin = o->nbase + o->nscen;
    sp_raster **r = calloc((size_t)nin, sizeof *r);
    sp_raster *out = NULL;
    layout L = {0};
    if (!r)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_grid full = {0}; /* the whole grid (a shard reads windows of it) */
    bool *nonneg = NULL;
    sp_raster *info = NULL;
    sp_grid ing = {0}; /* the input rows read: the whole grid, or a shard's window */
    sp_status rc = o->part.shard.count
                       ? sp_disperse_shard_setup(ctx, &resolved, in, nin, &full, &nonneg) : SP_OK;
    if (!rc) /* the layout and the memory needed, before anything large is read */
        rc = sp_raster_read_info(ctx, o->base[0].path, o->bands, o->nbands, &info);
    if (!rc)
        rc = check_grid(ctx, info, o->base[0].path);
    if (!rc && !o->part.shard.count)
        rc = sp_grid_copy(ctx, &full, &info->grid);
    if (!rc)
        rc = plan_layout(ctx, o, info, &L);
    if (!rc)
        rc = sp_grid_window(ctx, &ing, &full, o->row1 ? o->in_row0 : 0,
                            o->row1 ? o->in_row1 : full.nrows);
    if (!rc)
        rc = check_memory(ctx, o, &ing, nin, &L);
    sp_raster_free(info);
    if (!rc)
        rc = read_inputs(ctx, o->base, o->nbase, o, NULL, r);
    if (!rc && o->nscen)
        rc = read_inputs(ctx, o->scen, o->nscen, o, r[0], r + o->nbase);
    if (!rc)
        rc = sp_disperse_read_star(ctx, o, &full, o->met_opts.cloud, &rep->star, rep);
    sp_grid win = {0};
    if (!rc)
        rc = sp_grid_window(ctx, &win, &full, o->row1 ? o->row0 : 0,
                            o->row1 ? o->row1 : full.nrows);
    if (!rc && !(out = sp_raster_new(ctx, &win, L.nout)))
        rc = sp_ctx_status(ctx) ? sp_ctx_status(ctx) : SP_ERR_NOMEM;
    if (!rc)
        rc = fields(ctx, o, r, &L, &full, out, rep);
    if (!rc && L.nmem)
        rc = run_members(ctx, o, r, &L, out, rep);
    if (!rc)
        rc = describe(ctx, o, r[0], &L, out, rep);
    if (!rc && o->stations) {
        int eb = -1;
        for (int b = 0; b < L.nout && eb < 0; b++)
            if (!o->eval_band || !strcmp(rep->name[b], o->eval_band))
                eb = b;
        rc = eb < 0 ? sp_error(ctx, SP_ERR_USAGE, "-eval_band '%s' is not an output band",
                               o->eval_band)
                    : sp_disperse_evaluate(ctx, o, out, eb, rep);
    }
    sp_raster *monthly = NULL;
    if (!rc && o->monthly)
        rc = sp_disperse_monthly(ctx, o, r, &L.nb, &monthly, rep);
    if (!rc)
        rc = write_outputs(ctx, dst, o, out, monthly, &full, rep);
    sp_raster_free(monthly);
    sp_grid_clear(&full);
    sp_grid_clear(&ing);
    sp_grid_clear(&win);
    free(nonneg);
    for (int i = 0; i < nin; i++)
        sp_raster_free(r[i]);
    free(r);
    sp_raster_free(out);
    return rc;
}
