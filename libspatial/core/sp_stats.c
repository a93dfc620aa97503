/* sp_stats: sorting and quantiles (see sp_stats.h). */
#include "core/sp_stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void sp_stats_sort(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
}

double sp_stats_quantile(const double *v, int n, double q)
{
    double pos = q * (n - 1);
    int i = (int)floor(pos);
    return i + 1 < n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[n - 1];
}
