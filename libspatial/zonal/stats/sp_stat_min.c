/* sp_stat_min: the zonal statistic 'min': the smallest value of a cell the zone covers. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_MIN;
    return !strcmp(w, "min");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return a->nv ? a->mn : NAN;
}

const sp_stat_desc sp_stat_min = {"min", parse, finish, 0};
