/* sp_stat_sum: the zonal statistic 'sum': the sum of value x coverage. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_SUM;
    return !strcmp(w, "sum");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return a->S;
}

const sp_stat_desc sp_stat_sum = {"sum", parse, finish, SP_NEED_VECTOR};
