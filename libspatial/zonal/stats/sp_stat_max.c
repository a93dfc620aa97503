/* sp_stat_max: the zonal statistic 'max': the largest value of a cell the zone covers. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_MAX;
    return !strcmp(w, "max");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return a->nv ? a->mx : NAN;
}

const sp_stat_desc sp_stat_max = {"max", parse, finish, 0};
