/* sp_stat_stdev: the zonal statistic 'stdev': the coverage-weighted population standard deviation (Welford's running M2). */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_STDEV;
    return !strcmp(w, "stdev");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return a->W > 0 ? sqrt(fmax(0, a->M2 / a->W)) : NAN;
}

const sp_stat_desc sp_stat_stdev = {"stdev", parse, finish, SP_NEED_VAR};
