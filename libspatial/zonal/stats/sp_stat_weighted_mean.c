/* sp_stat_weighted_mean: the zonal statistic 'weighted_mean': the mean weighted by coverage x a weights raster (population): computed by sp_zonal_run, NaN here. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_WMEAN;
    return !strcmp(w, "weighted_mean");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return NAN;
}

const sp_stat_desc sp_stat_weighted_mean = {"weighted_mean", parse, finish, SP_NEED_WEIGHTS};
