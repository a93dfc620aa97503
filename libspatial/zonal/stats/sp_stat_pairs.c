/* sp_stat_pairs: what the order statistics (quantiles, majority) share: the zone's
 * (value, weight) pairs sorted by value, once per zone. Not a statistic itself. */
#include "zonal/sp_zonal.h"

#include <stdlib.h>

static int cmp_pair(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bool sp_zonal_sorted_pairs(const sp_zonal_fin *f)
{
    if (!f->a->nv || !f->vw)
        return false;
    if (!*f->sorted)
        qsort(f->vw, (size_t)f->a->nv, 2 * sizeof *f->vw, cmp_pair);
    *f->sorted = true;
    return true;
}
