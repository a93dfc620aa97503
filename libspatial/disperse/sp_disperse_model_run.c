/* sp_disperse_model_run: the fields of a set of emission grids: one kernel per grid (its
 * source class, its own STAR table where it has one), each band convolved and added,
 * the coarse particles' deposition where the bands say (sp_deposit). Used by the run and
 * by its months. */
#include "disperse/sp_disperse_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool nonneg(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] < 0)
            return false;
    return true;
}

static double kernel_sum(const sp_kernel *k)
{
    double s = 0;
    for (size_t q = 0; q < (size_t)(2 * k->n + 1) * (size_t)(2 * k->n + 1); q++)
        s += k->k[q];
    return s;
}

/* stars: each input's table (NULL entries, or stars NULL: the common star); with one, the
 * input's factor (its kernel's sum over the common one's) into factor[i] */
sp_status sp_disperse_model(sp_ctx *ctx, const sp_disperse_input *in, sp_raster **r, int n,
                            const sp_disperse_options *o, const sp_star *star,
                            sp_star *const *stars, double *factor, double **out, int *step,
                            int steps, sp_disperse_report *rep)
{
    sp_status rc = SP_OK;
    const sp_grid *g = &r[0]->grid;
    size_t cells = (size_t)g->ncols * g->nrows; /* the input's (a shard: its window's) */
    size_t out_cells = o->row1 ? (size_t)g->ncols * (o->row1 - o->row0) : cells;
    double *tmp = malloc(cells * sizeof *tmp);
    if (!tmp)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n && !rc; i++) {
        sp_disperse_class c;
        sp_disperse_class_init(&c);
        c.height = in[i].height;
        c.sz0 = in[i].sz0;
        c.zi = o->zi;
        c.rmax = o->rmax;
        sp_kernel k;
        sp_convolver *cv = NULL;
        const sp_star *own = stars && stars[i] ? stars[i] : star;
        if ((rc = sp_kernel_build(ctx, own, &c, g->dx, &k)))
            break;
        if (own != star && factor) { /* the emission-weather correlation, kernel-integrated */
            sp_kernel flat;
            if ((rc = sp_kernel_build(ctx, star, &c, g->dx, &flat))) {
                sp_kernel_free(&k);
                break;
            }
            factor[i] = kernel_sum(&k) / kernel_sum(&flat);
            sp_kernel_free(&flat);
        }
        rc = sp_disperse_convolver(ctx, o, g, &k, &cv);
        sp_deposit dep = {.b25 = -1, .b10 = -1, .btsp = -1};
        if (!rc)
            rc = sp_deposit_begin(ctx, &dep, o, r[i], own, &c, g->dx, kernel_sum(&k));
        if (!rc && rep && i == 0 && (dep.cv[0] || dep.cv[1]))
            for (int j = 0; j < 2; j++) {
                rep->dep_vd[j] = dep.vd[j];
                rep->dep_keep[j] = dep.keep[j];
            }
        for (int b = 0; b < r[i]->nbands && !rc; b++) {
            const double *src = r[i]->band[b];
            for (size_t q = 0; q < cells; q++) /* nodata and NaN emit nothing */
                tmp[q] = (isnan(src[q]) || (r[i]->has_nodata && src[q] == r[i]->nodata)) ? 0 : src[q];
            rc = sp_deposit_band(&dep, b)
                     ? sp_deposit_apply(ctx, &dep, r[i], b, cv, SP_TPY_TO_GS * in[i].scale, out[b])
                     : sp_convolver_apply(ctx, cv, tmp, SP_TPY_TO_GS * in[i].scale, out[b]);
            bool clamp = !rc && (in[i].nonneg ? in[i].nonneg[b] : nonneg(tmp, cells));
            for (size_t q = 0; clamp && q < out_cells; q++)
                if (out[b][q] < 0) /* FFT round-off (~1e-16 of the peak) below zero */
                    out[b][q] = 0;
            ++*step;
            if (!rc && o->progress && !o->progress((double)*step / steps, NULL, o->progress_user))
                rc = sp_error(ctx, SP_ERR_CANCEL, "cancelled");
        }
        sp_deposit_end(&dep);
        sp_convolver_free(cv);
        sp_kernel_free(&k);
    }
    free(tmp);
    return rc;
}

