/* sp_stat_share: the zonal statistic 'share': the zone's sum as a percentage of the band's total. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_SHARE;
    return !strcmp(w, "share");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return f->total != 0 ? 100 * a->S / f->total : NAN;
}

const sp_stat_desc sp_stat_share = {"share", parse, finish, SP_NEED_VECTOR};
