/* sp_stat_density: the zonal statistic 'density': the sum per km2 of the zone. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_DENSITY;
    return !strcmp(w, "density");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return f->area > 0 ? a->S / (f->area / 1e6) : NAN;
}

const sp_stat_desc sp_stat_density = {"density", parse, finish, SP_NEED_VECTOR};
