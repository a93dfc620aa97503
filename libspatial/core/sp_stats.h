/* sp_stats: small statistics of a sample that several modules take (sp-score's ensemble,
 * sp-inventory's Monte-Carlo, sp-ledger's intervals). Pure. */
#ifndef SP_STATS_H
#define SP_STATS_H

#include <stddef.h>

/* Sorts v ascending (NaN not allowed). */
void sp_stats_sort(double *v, size_t n);
/* The q quantile (0-1) of sorted v[0..n-1] (n >= 1), linear between order statistics
 * (Hyndman & Fan's type 7, R's and numpy's default). */
double sp_stats_quantile(const double *v, int n, double q);

#endif
