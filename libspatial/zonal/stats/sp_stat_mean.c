/* sp_stat_mean: the zonal statistic 'mean': the coverage-weighted mean. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_MEAN;
    return !strcmp(w, "mean");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return a->W > 0 ? a->S / a->W : NAN;
}

const sp_stat_desc sp_stat_mean = {"mean", parse, finish, 0};
