/* sp_stat_area_km2: the zonal statistic 'area_km2': the zone's area inside the grid, km2. */
#include "zonal/sp_zonal.h"

#include <math.h>
#include <string.h>

static bool parse(const char *w, sp_stat *s)
{
    s->kind = SP_ST_AREA;
    return !strcmp(w, "area_km2");
}

static double finish(const sp_zonal_fin *f, const sp_stat *st)
{
    const sp_zonal_acc *a = f->a;
    (void)a, (void)st;
    return f->area / 1e6;
}

const sp_stat_desc sp_stat_area_km2 = {"area_km2", parse, finish, SP_NEED_VECTOR};
