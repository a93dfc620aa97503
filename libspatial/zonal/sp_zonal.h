/* sp_zonal: zonal statistics of raster bands over polygons, weighted by the exact
 * fraction of each cell inside the zone (sp_coverage), with cell-centre and
 * all-touched weights for comparison with other tools. Pure computation on sp_grid +
 * sp_geom + arrays; sp_zonal_run (sp_zonal_run.c) does the I/O. */
#ifndef SP_ZONAL_H
#define SP_ZONAL_H
#include "core/sp_coverage.h"

#include <stdint.h>

/* The statistics, one line each in zonal/stats/sp_stats.def. */
typedef enum {
#define SP_STAT(ID, name) SP_ST_##ID,
#include "zonal/stats/sp_stats.def"
#undef SP_STAT
    SP_NSTATS
} sp_stat_kind;
typedef struct {
    sp_stat_kind kind;
    double q;       /* quantile in [0,1] (median: 0.5) */
    char name[32];  /* column suffix: sum, mean, ..., median, q90 */
} sp_stat;
/* Parses "sum,mean,min,max,count,area_km2,density,share,stdev,median,q10,q90,
 * weighted_mean, majority" (any
 * subset, in the order given; qNN for NN in 0..100). *out is malloc'd (free). */
sp_status sp_stats_parse(sp_ctx *ctx, const char *list, sp_stat **out, int *n);

typedef enum { SP_METHOD_EXACT, SP_METHOD_CENTRE, SP_METHOD_ALL_TOUCHED } sp_zonal_method;
/* "exact", "centre" (or "center"), "all_touched"; false when unknown. */
bool sp_zonal_method_parse(const char *s, sp_zonal_method *m);

/* The cells of one zone and their weights (fraction of the cell inside the zone for
 * exact; 1 for the approximate methods). Reused between zones. */
typedef struct {
    int64_t *cell;  /* row * ncols + col */
    double *w;
    int n, cap;
    double area;    /* zone area inside the grid (world units²), exact */
} sp_zone_cells;
/* Frees the cell arrays and zeroes the struct; accepts NULL. */
void sp_zone_cells_free(sp_zone_cells *c);

/* Collects the cells of polygon poly (in the grid's CRS) by method. */
sp_status sp_zonal_cells(sp_ctx *ctx, const sp_grid *g, const sp_geom *poly,
                         sp_zonal_method method, sp_cover_ws *ws, sp_zone_cells *out);

/* Statistics of one band over one zone, into out[0..nst-1] (NaN when undefined, e.g. the
 * mean of a zone with no valid cell). Cells equal to nodata (when has_nodata) or NaN are
 * left out of the value statistics; area_km2 (c->area, the zone's exact area inside the
 * grid, whatever the method) counts them. total is the band's total for share
 * (percent). scratch must hold 2*c->n doubles when a quantile is asked (NULL
 * otherwise). Returns the zone's coverage-weighted sum, whatever was asked. */
double sp_zonal_stats(const sp_zone_cells *c, const double *band, bool has_nodata,
                      double nodata, double total, const sp_stat *st, int nst, double *out,
                      double *scratch);

/* Running statistics of one band over one zone (or part of it): weights, weighted sum,
 * min, max, count of valid cells, and the weighted mean and sum of squared deviations
 * (West's update) when the variance is wanted. Parts merge exactly as one pass would,
 * up to rounding, so a zone can be accumulated strip by strip. */
typedef struct {
    double W, S, mn, mx, mean, M2;
    long long nv;
} sp_zonal_acc;
/* An empty accumulator (min +inf, max -inf). */
void sp_zonal_acc_init(sp_zonal_acc *a);
static inline void sp_zonal_acc_add(sp_zonal_acc *a, double v, double w, bool var)
{
    a->W += w;
    a->S += w * v;
    a->mn = v < a->mn ? v : a->mn;
    a->mx = v > a->mx ? v : a->mx;
    a->nv++;
    if (var) {
        double d = v - a->mean;
        a->mean += d * w / a->W;
        a->M2 += w * d * (v - a->mean);
    }
}
/* Adds a run of len cells of one weight w (p[0..len-1]): the same W, S, min, max and
 * count as len calls of sp_zonal_acc_add(a, p[j], w, false) would give, up to rounding
 * (NaN and nodata cells left out). Not for a variance or the value pairs: a statistic
 * needing those (SP_NEED_VAR, SP_NEED_PAIRS) goes cell by cell. */
static inline void sp_zonal_acc_add_run(sp_zonal_acc *a, const double *p, int len, double w,
                                        bool has_nodata, double nodata)
{
    if (!(w > 0))
        return;
    double sum = 0, mn = a->mn, mx = a->mx;
    int cnt = 0;
    for (int j = 0; j < len; j++) {
        double x = p[j];
        if (x != x || (has_nodata && x == nodata))
            continue;
        sum += x;
        cnt++;
        mn = x < mn ? x : mn;
        mx = x > mx ? x : mx;
    }
    a->W += w * cnt;
    a->S += w * sum;
    a->mn = mn;
    a->mx = mx;
    a->nv += cnt;
}
/* Adds b (a later part) into a. */
void sp_zonal_acc_merge(sp_zonal_acc *a, const sp_zonal_acc *b);
/* ---- the statistics: one file each (zonal/stats/) ----------------------------------
 * Adding a statistic: a file stats/sp_stat_NAME.c exporting sp_stat_desc sp_stat_NAME
 * (names for the error message, a parser, a finish function, what it needs) and a line
 * SP_STAT(ID, NAME) in stats/sp_stats.def. The accumulator holds W, S,
 * min, max, count, mean and M2; a statistic needing more than these adds a field and
 * its update to sp_zonal_acc_add, _add_run and _merge. */
enum {
    SP_NEED_VAR = 1,     /* the running mean and M2 (cell by cell) */
    SP_NEED_PAIRS = 2,   /* every (value, weight) pair of the zone (quantiles, majority) */
    SP_NEED_WEIGHTS = 4, /* a weights raster (sp_zonal_run) */
    SP_NEED_VECTOR = 8,  /* also defined in the vector mode (a sum per zone, no cells) */
};
typedef struct {
    const sp_zonal_acc *a;
    double area;   /* the zone's area inside the grid, m2 (world units) */
    double total;  /* the band's total (share) */
    double *vw;    /* the nv (value, weight) pairs, or NULL; sorted in place once */
    bool *sorted;
} sp_zonal_fin;
typedef struct {
    const char *names;                             /* "sum"; "median, q0..q100" */
    bool (*parse)(const char *word, sp_stat *out); /* true when word is this statistic */
    double (*finish)(const sp_zonal_fin *f, const sp_stat *st);
    unsigned needs;                                /* SP_NEED_* */
} sp_stat_desc;
extern const sp_stat_desc *const SP_STATS[SP_NSTATS];
/* Checks a statistics table (NULL: SP_STATS): SP_ERR_INTERNAL naming a statistic with a
 * missing piece, or SP_OK. */
sp_status sp_zonal_check_stats(sp_ctx *ctx, const sp_stat_desc *const *table);
/* For the order statistics' finish: sorts the zone's (value, weight) pairs by value once
 * (f->sorted); false when there are none. */
bool sp_zonal_sorted_pairs(const sp_zonal_fin *f);
/* The union of the needs of stats. */
unsigned sp_zonal_needs(const sp_stat *st, int nst);
/* Whether stats asks for the variance. */
bool sp_zonal_need_var(const sp_stat *st, int nst);

/* The statistics of an accumulated zone into out[0..nst-1]; area is the zone's area in
 * the grid, total the band's total (share); vw holds the nv (value, weight) pairs when a
 * quantile is asked (reordered), else NULL. */
void sp_zonal_acc_finish(const sp_zonal_acc *a, double area, double total, const sp_stat *st,
                         int nst, double *out, double *vw);

#endif
