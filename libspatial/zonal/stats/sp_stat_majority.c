/* sp_stat_majority: the zonal statistic 'majority': the value with the largest coverage
 * (ties: the smallest value). */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_MAJORITY;
    return !strcmp(w, "majority");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    (void)st;
    /* equal values are adjacent once sorted: sum their weights, keep the largest (the
     * first, i.e. smallest value, on a tie) */
    if (!sp_zonal_sorted_pairs(f))
        return NAN;
    const double *vw = f->vw;
    long long nv = f->a->nv;
    double bestw = -1, r = NAN;
    for (long long i = 0; i < nv;) {
        double val = vw[2 * i], wsum = 0;
        while (i < nv && vw[2 * i] == val)
            wsum += vw[2 * i++ + 1];
        if (wsum > bestw * (1 + 1e-12)) { /* a rounding tie keeps the smaller */
            bestw = wsum;
            r = val;
        }
    }
    return r;
}

const sp_stat_desc sp_stat_majority = {"majority", parse, finish, SP_NEED_PAIRS};
