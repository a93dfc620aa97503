/* sp_stat_quantile: the zonal statistics 'median' and 'qNN' (NN in 0..100): the weighted
 * quantile, the smallest value whose cumulative coverage reaches q x the zone's. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_QUANTILE;
    if (!strcmp(w, "median")) {
        s->q = 0.5;
        return true;
    }
    char *end;
    if (w[0] != 'q' || w[1] < '0' || w[1] > '9')
        return false;
    long v = strtol(w + 1, &end, 10);
    s->q = v / 100.0;
    return !*end && v >= 0 && v <= 100;
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    /* weighted quantile: the smallest value whose cumulative weight reaches q W */
    if (!sp_zonal_sorted_pairs(f))
        return NAN;
    const double *vw = f->vw;
    long long nv = f->a->nv;
    double target = st->q * f->a->W, cum = 0;
    for (long long i = 0; i < nv; i++) {
        cum += vw[2 * i + 1];
        if (cum >= target * (1 - 1e-12))
            return vw[2 * i];
    }
    return vw[2 * (nv - 1)];
}

const sp_stat_desc sp_stat_quantile = {"median, q0..q100", parse, finish, SP_NEED_PAIRS};
