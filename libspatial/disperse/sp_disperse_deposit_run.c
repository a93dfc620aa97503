/* sp_disperse_deposit_run: dry deposition of the coarse particles of an emission grid's
 * pm10 and tsp bands. The model is linear in the emissions, so a band is split by size
 * with the grid's finer bands: PM10 = PM2.5 (no deposition) + (PM10 - PM2.5) settling as
 * particles of the coarse mass-mean diameter; TSP = PM10's parts + (TSP - PM10) settling
 * as the large ones. Each part is convolved with its own kernel (sp_disperse_point with
 * the part's deposition velocity: ISC3's source depletion). */
#include "disperse/sp_disperse_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int named(const sp_raster *r, const char *name)
{
    for (int b = 0; b < r->nbands; b++)
        if (r->name && r->name[b] && !strcasecmp(r->name[b], name))
            return b;
    return -1;
}

static double ksum(const sp_kernel *k)
{
    double s = 0;
    for (size_t q = 0; q < (size_t)(2 * k->n + 1) * (size_t)(2 * k->n + 1); q++)
        s += k->k[q];
    return s;
}

sp_status sp_deposit_begin(sp_ctx *ctx, sp_deposit *d, const sp_disperse_options *o,
                           const sp_raster *r, const sp_star *star, const sp_disperse_class *c,
                           double dx, double plain_sum)
{
    memset(d, 0, sizeof *d);
    d->b25 = named(r, "pm25");
    d->b10 = named(r, "pm10");
    d->btsp = named(r, "tsp");
    if (!o->deposition || (d->b10 < 0 && d->btsp < 0))
        return SP_OK;
    size_t cells = (size_t)r->grid.ncols * r->grid.nrows;
    if (!(d->fine = malloc(cells * sizeof *d->fine)) || !(d->mid = malloc(cells * sizeof *d->mid)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int j = 0; j < 2; j++) {
        if (j == 1 && d->btsp < 0)
            break;
        sp_disperse_class cd = *c;
        cd.vd = d->vd[j] = sp_settling_velocity(o->dep_diam[j], 1000);
        if (!(cd.sz0 > 0))
            cd.sz0 = 0.1; /* the depletion integral needs a finite spread at the source */
        sp_kernel k;
        sp_status rc = sp_kernel_build(ctx, star, &cd, dx, &k);
        if (rc)
            return rc;
        d->keep[j] = plain_sum > 0 ? ksum(&k) / plain_sum : 1;
        rc = sp_disperse_convolver(ctx, o, &r->grid, &k, &d->cv[j]);
        sp_kernel_free(&k);
        if (rc)
            return rc;
    }
    if (d->b25 < 0)
        sp_warn(ctx, "deposition: the grid has no pm25 band: all of %s settles as coarse "
                "particles (grid pm25 with pm10 and tsp to keep the fine part airborne)",
                d->b10 >= 0 ? "pm10" : "tsp");
    else if (d->btsp >= 0 && d->b10 < 0)
        sp_warn(ctx, "deposition: the grid has tsp but no pm10 band: all of TSP above PM2.5 "
                "settles as particles above 10 um");
    return SP_OK;
}

bool sp_deposit_band(const sp_deposit *d, int b)
{
    return d->mid && ((b == d->b10 && d->cv[0]) || (b == d->btsp && d->cv[1]));
}

/* band b of r with nodata and NaN as 0 (absent: 0) */
static void clean(const sp_raster *r, int b, double *v, size_t n)
{
    for (size_t q = 0; q < n; q++) {
        double x = b < 0 ? 0 : r->band[b][q];
        v[q] = (isnan(x) || (r->has_nodata && x == r->nodata)) ? 0 : x;
    }
}

sp_status sp_deposit_apply(sp_ctx *ctx, sp_deposit *d, const sp_raster *r, int b,
                           sp_convolver *cv0, double scale, double *dst)
{
    size_t n = (size_t)r->grid.ncols * r->grid.nrows;
    /* the fine part (no deposition), then each coarser part as the difference of bands */
    int parts[3] = {d->b25, d->b10 >= 0 ? d->b10 : d->b25, d->btsp};
    int last = b == d->btsp ? 2 : 1;
    clean(r, parts[0], d->fine, n);
    sp_status rc = parts[0] >= 0 ? sp_convolver_apply(ctx, cv0, d->fine, scale, dst) : SP_OK;
    for (int j = 1; j <= last && !rc; j++) {
        if (j == 1 && last == 2 && d->b10 < 0)
            continue; /* no pm10: TSP above PM2.5 all large */
        clean(r, parts[j], d->mid, n);
        for (size_t q = 0; q < n; q++) {
            double m = d->mid[q];
            d->mid[q] = m - d->fine[q];
            d->fine[q] = m; /* the next part's lower bound */
        }
        rc = sp_convolver_apply(ctx, d->cv[j - 1], d->mid, scale, dst);
    }
    return rc;
}

void sp_deposit_end(sp_deposit *d)
{
    sp_convolver_free(d->cv[0]);
    sp_convolver_free(d->cv[1]);
    free(d->fine);
    free(d->mid);
    memset(d, 0, sizeof *d);
}
