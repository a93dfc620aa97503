/* sp_stat_count: the zonal statistic 'count': the covered cells, fractions counted as fractions. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_COUNT;
    return !strcmp(w, "count");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return a->W;
}

const sp_stat_desc sp_stat_count = {"count", parse, finish, 0};
