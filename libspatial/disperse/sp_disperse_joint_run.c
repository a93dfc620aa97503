/* sp_disperse_joint: the joint ensemble. Each member is one draw of everything the answer
 * depends on and the model does not know (sp_disperse_design.h: the weather file, cloud,
 * calms, urban option, mixing height, sigma_z0, release heights, emission factors); the
 * model is linear, so a member's change is one convolution per input grid and band of its
 * scaled emission change with its own kernel. The STAR tables are read once per weather
 * combination, the emission draws once. */
#include "disperse/sp_disperse_impl.h"
#include "disperse/sp_disperse_design.h"
#include "io/sp_table.h"
#include "core/sp_factors.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_MET = 8 };

/* The emission draws of sp-inventory -mc_sectors: for each input grid and band, the
 * factor of each draw on its baseline and its scenario (draw / draw 0). */
typedef struct {
    int ndraws;
    double *fb, *fs; /* [draw (1..ndraws) x input x band], 1 where the grid's sector and
                      * pollutant have no row */
} draws;

static void draws_free(draws *d)
{
    free(d->fb);
    free(d->fs);
}

/* A cell as a number (a CSV's columns are text): NaN when empty or not one. */
static double cell(const sp_table *t, int c, int r)
{
    if (t->cols[c].numeric)
        return t->cols[c].num[r];
    const char *v = t->cols[c].str[r];
    char *end;
    double x = v && *v ? strtod(v, &end) : NAN;
    return v && *v && !*end ? x : NAN;
}

/* Reads the draws and matches each input grid (its LAYER: the sector) and band (its name:
 * the pollutant) to them. */
static sp_status read_draws(sp_ctx *ctx, const sp_disperse_options *o, sp_raster **r, int nb,
                            draws *d)
{
    memset(d, 0, sizeof *d);
    sp_table *t = NULL;
    sp_status rc = sp_table_read(ctx, o->emis_draws, NULL, &t);
    if (rc)
        return rc;
    int cd = sp_table_find(t, "draw"), cs = sp_table_find(t, "sector"),
        cp = sp_table_find(t, "pollutant"), cb = sp_table_find(t, "baseline_t"),
        cc = sp_table_find(t, "scenario_t");
    if (cd < 0 || cs < 0 || cp < 0 || cb < 0 || cc < 0) {
        sp_table_free(t);
        return sp_error(ctx, SP_ERR_DATA, "'%s' is not an sp-inventory -mc_sectors table (columns "
                        "draw, sector, pollutant, baseline_t, scenario_t)", o->emis_draws);
    }
    char buf[64], sec[128], b2[64];
    for (int i = 0; i < t->nrows; i++) {
        int k = atoi(sp_table_text(t, cd, i, buf, sizeof buf));
        d->ndraws = k > d->ndraws ? k : d->ndraws;
    }
    size_t per = (size_t)o->nbase * (size_t)nb, n = per * (size_t)(d->ndraws + 1);
    if (!d->ndraws)
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no draw (sp-inventory -mc N)", o->emis_draws);
    else if (!(d->fb = malloc(n * sizeof *d->fb)) || !(d->fs = malloc(n * sizeof *d->fs)))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    double *cb0 = rc ? NULL : calloc(per, sizeof *cb0), *cs0 = rc ? NULL : calloc(per, sizeof *cs0);
    if (!rc && (!cb0 || !cs0))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (size_t q = 0; !rc && q < n; q++)
        d->fb[q] = d->fs[q] = NAN;
    for (int i = 0; !rc && i < o->nbase; i++) {
        if (!sp_disperse_grid_layer(o->base[i].path, sec, sizeof sec)) {
            rc = sp_error(ctx, SP_ERR_DATA, "-emis_draws: '%s' does not say which sector it holds "
                          "(no LAYER metadata: grid it with sp-grid -l SECTOR)", o->base[i].path);
            break;
        }
        for (int b = 0; b < nb; b++) {
            const char *bn = r[i]->name && r[i]->name[b] ? r[i]->name[b] : "";
            for (int row = 0; row < t->nrows; row++) {
                if (strcmp(sp_table_text(t, cs, row, buf, sizeof buf), sec) ||
                    sp_pollutant_index(sp_table_text(t, cp, row, b2, sizeof b2)) !=
                        sp_pollutant_index(bn) || sp_pollutant_index(bn) < 0)
                    continue;
                int k = atoi(sp_table_text(t, cd, row, buf, sizeof buf));
                if (k < 0 || k > d->ndraws)
                    continue;
                size_t q = (size_t)k * per + (size_t)i * nb + (size_t)b;
                d->fb[q] = cell(t, cb, row);
                d->fs[q] = cell(t, cc, row);
            }
        }
    }
    /* factors relative to draw 0 (the central inventory); 1 where nothing is known */
    for (size_t j = 0; !rc && j < per; j++) {
        double b0 = d->fb[j], s0 = d->fs[j];
        for (int k = 1; k <= d->ndraws; k++) {
            size_t q = (size_t)k * per + j;
            d->fb[q] = b0 > 0 && isfinite(d->fb[q]) ? d->fb[q] / b0 : 1;
            d->fs[q] = s0 > 0 && isfinite(d->fs[q]) ? d->fs[q] / s0 : 1;
        }
    }
    free(cb0);
    free(cs0);
    sp_table_free(t);
    if (rc)
        draws_free(d);
    return rc;
}

/* The STAR table of a weather combination, read on first use. */
typedef struct {
    sp_star *star[MAX_MET][3][2][2]; /* met x cloud (0/4/8) x calms x urban */
} star_cache;

static sp_status star_of(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                         const sp_joint_member *m, star_cache *c, const sp_star **out)
{
    int ci = m->cloud >= 8 ? 2 : m->cloud > 0 ? 1 : 0;
    sp_star **slot = &c->star[m->met][ci][m->calm_uniform][m->urban];
    if (!*slot) {
        sp_disperse_options ov = *o;
        ov.met = m->met ? o->joint_met[m->met - 1] : o->met;
        ov.met_opts.calm_uniform = m->calm_uniform;
        ov.met_opts.urban_pop = m->urban ? o->met_opts.urban_pop : 0;
        sp_disperse_report scratch;
        memset(&scratch, 0, sizeof scratch);
        if (!(*slot = malloc(sizeof **slot)))
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        sp_status rc = sp_disperse_read_star(ctx, &ov, g, m->cloud, *slot, &scratch);
        if (rc) {
            free(*slot);
            *slot = NULL;
            return rc;
        }
    }
    *out = *slot;
    return SP_OK;
}

/* One member: its change of every band, added into dst[b]; *ef its emission change
 * (summed over the grids and bands) over the central inventory's. */
static sp_status one_member(sp_ctx *ctx, const sp_disperse_options *o, sp_raster **r, int nb,
                            const sp_joint_member *m, const sp_star *st, const draws *dr,
                            double *diff, double **dst, double *ef)
{
    double drawn = 0, central = 0;
    const sp_grid *g = &r[0]->grid;
    size_t cells = (size_t)g->ncols * g->nrows, per = (size_t)o->nbase * (size_t)nb;
    sp_status rc = SP_OK;
    for (int i = 0; !rc && i < o->nbase; i++) {
        sp_disperse_class c;
        sp_disperse_class_init(&c);
        c.height = o->base[i].height * m->h_factor;
        c.sz0 = o->base[i].sz0 * m->sz0_factor;
        c.zi = m->zi;
        c.rmax = o->rmax;
        sp_kernel k;
        sp_convolver *cv = NULL;
        if ((rc = sp_kernel_build(ctx, st, &c, g->dx, &k)))
            break;
        rc = sp_convolver_new(ctx, g->nrows, g->ncols, &k, o->threads, &cv);
        const sp_raster *b0 = r[i], *b1 = r[o->nbase + i];
        for (int b = 0; !rc && b < nb; b++) {
            size_t q0 = (size_t)m->draw * per + (size_t)i * nb + (size_t)b;
            double fb = dr->ndraws ? dr->fb[q0] : 1, fs = dr->ndraws ? dr->fs[q0] : 1;
            for (size_t q = 0; q < cells; q++) {
                double x = b0->band[b][q], y = b1->band[b][q];
                x = isnan(x) || (b0->has_nodata && x == b0->nodata) ? 0 : x;
                y = isnan(y) || (b1->has_nodata && y == b1->nodata) ? 0 : y;
                diff[q] = o->base[i].scale * fb * x - o->scen[i].scale * fs * y;
                drawn += diff[q];
                central += o->base[i].scale * x - o->scen[i].scale * y;
            }
            rc = sp_convolver_apply(ctx, cv, diff, SP_TPY_TO_GS, dst[b]);
        }
        sp_convolver_free(cv);
        sp_kernel_free(&k);
    }
    *ef = central != 0 ? drawn / central : 1;
    return rc;
}

sp_status sp_disperse_joint(sp_ctx *ctx, const sp_disperse_options *o, sp_raster **r, int nb,
                            double **dst, sp_disperse_report *rep)
{
    int n = o->joint, nmet = 1 + o->njoint_met;
    if (!o->met)
        return sp_error(ctx, SP_ERR_USAGE, "-joint needs hourly weather (-met): its members vary "
                        "the cloud, the calms and the urban option");
    if (nmet > MAX_MET)
        return sp_error(ctx, SP_ERR_USAGE, "-joint_met: at most %d met files", MAX_MET - 1);
    draws dr = {0};
    sp_status rc = o->emis_draws ? read_draws(ctx, o, r, nb, &dr) : SP_OK;
    if (rc)
        return rc;
    rep->njoint = n;
    rep->joint = calloc((size_t)n, sizeof *rep->joint);
    rep->joint_stab = calloc((size_t)n, sizeof *rep->joint_stab);
    rep->joint_efactor = calloc((size_t)n, sizeof *rep->joint_efactor);
    size_t cells = (size_t)r[0]->grid.ncols * r[0]->grid.nrows;
    double *diff = malloc(cells * sizeof *diff);
    star_cache *sc = calloc(1, sizeof *sc);
    if (!rep->joint || !rep->joint_stab || !rep->joint_efactor || !diff || !sc)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc)
        sp_joint_design(n, nmet, dr.ndraws, o->met_opts.urban_pop > 0,
                        o->joint_seed ? o->joint_seed : 1, rep->joint);
    for (int m = 0; !rc && m < n; m++) {
        const sp_star *st = NULL;
        double sec[SP_MET_NSEC];
        if (!(rc = star_of(ctx, o, &r[0]->grid, &rep->joint[m], sc, &st))) {
            sp_star_marginals(st, rep->joint_stab[m], sec);
            rc = one_member(ctx, o, r, nb, &rep->joint[m], st, &dr, diff, dst + (size_t)m * nb,
                            &rep->joint_efactor[m]);
        }
    }
    for (int a = 0; sc && a < MAX_MET; a++)
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 2; c++)
                for (int u = 0; u < 2; u++)
                    free(sc->star[a][b][c][u]);
    free(sc);
    free(diff);
    draws_free(&dr);
    return rc;
}
