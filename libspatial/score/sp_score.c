/* sp_score: normalisation, weighted scores, ranks, selection, reasons and robustness of
 * the candidate scoring, the pollution-carbon synergy numbers and IDW. Pure arithmetic
 * on arrays (see sp_score.h); sp_score_run.c reads the tables. */
#include "score/sp_score.h"
#include "core/sp_rng.h"
#include "core/sp_stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double sp_score_expr_eval(const sp_score_expr *e, double a, double b)
{
    switch (e->op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b == 0 ? (a == 0 || isnan(a) ? NAN : copysign(INFINITY, a)) : a / b;
    default: return a;
    }
}

bool sp_score_filter_pass(const sp_score_filter *f, double v)
{
    if (isnan(v))
        return false;
    switch (f->cmp) {
    case SP_CMP_GE: return v >= f->value;
    case SP_CMP_GT: return v > f->value;
    case SP_CMP_LE: return v <= f->value;
    case SP_CMP_LT: return v < f->value;
    case SP_CMP_EQ: return v == f->value;
    case SP_CMP_NE: return v != f->value;
    default: return true; /* present */
    }
}

void sp_score_result_free(sp_score_result *r)
{
    if (!r)
        return;
    free(r->norm);
    free(r->pts);
    free(r->score);
    free(r->rank);
    free(r->selected);
    free(r->stability);
    free(r->constant);
    free(r->smaa_best);
    free(r->smaa_median);
    free(r->smaa_worst);
    free(r->smaa_top);
    free(r->median);
    memset(r, 0, sizeof *r);
}

/* scores that differ by rounding only are equal */
static bool tied(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

typedef struct {
    const double *score;
    const sp_score_spec *s;
    const sp_score_input *in;
} order_ctx;

static int cmp_zone(const void *pa, const void *pb, void *user)
{
    const order_ctx *o = user;
    int a = *(const int *)pa, b = *(const int *)pb;
    double sa = o->score[a], sb = o->score[b];
    if (!tied(sa, sb))
        return sb > sa ? 1 : -1;
    for (int t = 0; t < o->s->ntie; t++) {
        double ka = o->in->tiekey[(size_t)a * o->s->ntie + t];
        double kb = o->in->tiekey[(size_t)b * o->s->ntie + t];
        if (isnan(ka) != isnan(kb))
            return isnan(ka) ? 1 : -1; /* no value: after */
        if (isnan(ka) || ka == kb)
            continue;
        return o->s->tie[t].higher ? (kb > ka ? 1 : -1) : (ka > kb ? 1 : -1);
    }
    return o->in->idorder[a] - o->in->idorder[b];
}

/* Sorts the eligible zones elig[0..ne-1] by score (ties: keys, then id) and returns how
 * many are selected; *cut gets the zones tied with the last selected one beyond (order)
 * or within (include) the plain count. */
static int select_zones(const sp_score_spec *s, const sp_score_input *in, const double *score,
                        int *elig, int ne, int *cut)
{
    order_ctx o = {score, s, in};
    qsort_r(elig, (size_t)ne, sizeof *elig, cmp_zone, &o);
    int k = s->select < ne ? s->select : ne, plain = k;
    if (s->ties_include)
        while (k < ne && k > 0 && tied(score[elig[k]], score[elig[k - 1]]))
            k++;
    if (cut) {
        *cut = k - plain;
        if (!s->ties_include)
            for (int j = k; j < ne && k > 0 && tied(score[elig[j]], score[elig[k - 1]]); j++)
                (*cut)++;
    }
    return k;
}

/* Normalised values of indicator i over the eligible zones. */
static void normalise(const sp_score_indicator *ind, int i, int nind, const sp_score_input *in,
                      const int *elig, int ne, double *tmp, double *norm,
                      double *median, bool *is_constant)
{
    for (int j = 0; j < ne; j++)
        tmp[j] = in->raw[(size_t)elig[j] * nind + i];
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    for (int j = 0; j < ne; j++) {
        lo = fmin(lo, tmp[j]);
        hi = fmax(hi, tmp[j]);
        sum += tmp[j];
    }
    double mean = ne ? sum / ne : 0, ss = 0;
    for (int j = 0; j < ne; j++)
        ss += (tmp[j] - mean) * (tmp[j] - mean);
    double sd = ne ? sqrt(ss / ne) : 0;
    /* ranks: positions in sorted order, averaged over equal values */
    double *sorted = tmp + ne;
    memcpy(sorted, tmp, (size_t)ne * sizeof *tmp);
    sp_stats_sort(sorted, (size_t)ne);
    *median = ne == 0 ? NAN : ne % 2 ? sorted[ne / 2] : (sorted[ne / 2 - 1] + sorted[ne / 2]) / 2;
    /* an indicator with one value in every eligible zone ranks nothing: 0 points each (not
     * the middle of the scale, which would make it everyone's leading "reason") */
    bool constant = !(hi - lo > 1e-12 * fmax(fabs(hi), fabs(lo)));
    *is_constant = constant;
    for (int j = 0; j < ne; j++) {
        double v = tmp[j], n;
        if (constant) {
            n = 0;
        } else if (ind->norm == SP_NORM_MINMAX) {
            n = (v - lo) / (hi - lo);
            if (!ind->higher)
                n = 1 - n;
        } else if (ind->norm == SP_NORM_ZSCORE) {
            n = sd == 0 ? 0 : (v - mean) / sd;
            if (!ind->higher)
                n = -n;
        } else {
            /* first and last position of v in sorted order (binary search) */
            int a = 0, b = ne;
            while (a < b) {
                int m = (a + b) / 2;
                if (sorted[m] < v) a = m + 1; else b = m;
            }
            int first = a;
            b = ne;
            while (a < b) {
                int m = (a + b) / 2;
                if (sorted[m] <= v) a = m + 1; else b = m;
            }
            double r = (first + a - 1) / 2.0; /* 0-based average rank */
            n = ne > 1 ? r / (ne - 1) : 0.5;
            if (!ind->higher && ne > 1)
                n = 1 - n;
        }
        norm[(size_t)elig[j] * nind + i] = n;
    }
}


static void scores(const sp_score_spec *s, const double *w, const double *norm, const int *elig,
                   int ne, double *score, double *pts)
{
    double wsum = 0;
    for (int i = 0; i < s->nind; i++)
        wsum += w[i];
    for (int j = 0; j < ne; j++) {
        int z = elig[j];
        double t = 0;
        for (int i = 0; i < s->nind; i++) {
            double p = 100 * w[i] / wsum * norm[(size_t)z * s->nind + i];
            if (pts)
                pts[(size_t)z * s->nind + i] = p;
            t += p;
        }
        score[z] = t;
    }
}

sp_status sp_score_compute(sp_ctx *ctx, const sp_score_spec *s, const sp_score_input *in,
                           int draws, double perturb, uint64_t seed, sp_score_result *r)
{
    memset(r, 0, sizeof *r);
    int nz = in->nz, ni = s->nind;
    size_t nzi = (size_t)(nz ? nz : 1) * (size_t)ni;
    r->norm = malloc(nzi * sizeof *r->norm);
    r->pts = malloc(nzi * sizeof *r->pts);
    r->score = malloc((size_t)(nz ? nz : 1) * sizeof *r->score);
    r->rank = calloc((size_t)(nz ? nz : 1), sizeof *r->rank);
    r->selected = calloc((size_t)(nz ? nz : 1), sizeof *r->selected);
    r->stability = malloc((size_t)(nz ? nz : 1) * sizeof *r->stability);
    r->median = malloc((size_t)ni * sizeof *r->median);
    r->constant = calloc((size_t)(ni ? ni : 1), sizeof *r->constant);
    int *elig = malloc((size_t)(nz ? nz : 1) * sizeof *elig);
    int *work = malloc((size_t)(nz ? nz : 1) * sizeof *work);
    double *tmp = malloc(2 * (size_t)(nz ? nz : 1) * sizeof *tmp);
    double *dscore = malloc((size_t)(nz ? nz : 1) * sizeof *dscore);
    double *w = malloc((size_t)ni * sizeof *w);
    int *hits = calloc((size_t)(nz ? nz : 1), sizeof *hits);
    if (!r->norm || !r->pts || !r->score || !r->rank || !r->selected || !r->stability ||
        !r->median || !r->constant || !elig || !work || !tmp || !dscore || !w || !hits) {
        free(elig); free(work); free(tmp); free(dscore); free(w); free(hits);
        sp_score_result_free(r);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    int ne = 0;
    for (int z = 0; z < nz; z++) {
        r->score[z] = NAN;
        r->stability[z] = NAN;
        for (int i = 0; i < ni; i++) {
            r->norm[(size_t)z * ni + i] = NAN;
            r->pts[(size_t)z * ni + i] = NAN;
        }
        if (in->eligible[z])
            elig[ne++] = z;
    }
    r->neligible = ne;
    for (int i = 0; i < ni; i++)
        normalise(&s->ind[i], i, ni, in, elig, ne, tmp, r->norm, &r->median[i],
                  &r->constant[i]);
    for (int i = 0; i < ni; i++)
        w[i] = s->ind[i].weight;
    scores(s, w, r->norm, elig, ne, r->score, r->pts);
    memcpy(work, elig, (size_t)ne * sizeof *work);
    r->nselected = select_zones(s, in, r->score, work, ne, &r->cut_ties);
    for (int j = 0; j < ne; j++) {
        r->rank[work[j]] = j + 1;
        r->selected[work[j]] = j < r->nselected;
    }
    /* robustness: the same normalised values under randomly perturbed weights */
    uint64_t state = seed;
    for (int d = 0; d < draws; d++) {
        for (int i = 0; i < ni; i++) {
            double u = (double)(sp_rng_next(&state) >> 11) * 0x1.0p-53; /* [0,1) */
            w[i] = s->ind[i].weight * (1 + perturb * (2 * u - 1));
        }
        scores(s, w, r->norm, elig, ne, dscore, NULL);
        memcpy(work, elig, (size_t)ne * sizeof *work);
        int k = select_zones(s, in, dscore, work, ne, NULL);
        for (int j = 0; j < k; j++)
            hits[work[j]]++;
    }
    if (draws > 0)
        for (int j = 0; j < ne; j++)
            r->stability[elig[j]] = (double)hits[elig[j]] / draws;
    free(elig); free(work); free(tmp); free(dscore); free(w); free(hits);
    return SP_OK;
}


static double gamma_draw(uint64_t *state, double a)
{
    if (a < 1) /* Marsaglia & Tsang's boost: G(a) = G(a + 1) U^(1/a) */
        return gamma_draw(state, a + 1) * pow(sp_rng_uniform(state), 1 / a);
    double d = a - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x = sqrt(-2 * log(sp_rng_uniform(state))) * cos(2 * M_PI * sp_rng_uniform(state));
        double v = 1 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = sp_rng_uniform(state);
        if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
            return d * v;
    }
}

void sp_score_dirichlet(uint64_t *state, const double *w, int n, double kappa, double *out)
{
    double tw = 0, t = 0;
    for (int i = 0; i < n; i++)
        tw += w[i];
    for (int i = 0; i < n; i++)
        t += out[i] = gamma_draw(state, kappa * w[i] / tw);
    for (int i = 0; i < n; i++)
        out[i] /= t;
}

static int cmp_int_asc(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

sp_status sp_score_smaa(sp_ctx *ctx, const sp_score_spec *s, const sp_score_input *in,
                        const sp_score_result *r, int draws, double kappa, uint64_t seed,
                        double *best, double *median, double *worst, double *top)
{
    int nz = in->nz, ni = s->nind, ne = 0;
    int *elig = malloc((size_t)(nz ? nz : 1) * sizeof *elig);
    int *work = malloc((size_t)(nz ? nz : 1) * sizeof *work);
    int *ranks = malloc((size_t)(nz ? nz : 1) * (size_t)(draws ? draws : 1) * sizeof *ranks);
    double *score = malloc((size_t)(nz ? nz : 1) * sizeof *score);
    double *w = malloc((size_t)(ni ? ni : 1) * sizeof *w), *w0 = malloc((size_t)(ni ? ni : 1) * sizeof *w0);
    int *intop = calloc((size_t)(nz ? nz : 1), sizeof *intop);
    if (!elig || !work || !ranks || !score || !w || !w0 || !intop) {
        free(elig); free(work); free(ranks); free(score); free(w); free(w0); free(intop);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory (SMAA of %d zones x %d draws)", nz, draws);
    }
    for (int z = 0; z < nz; z++) {
        best[z] = median[z] = worst[z] = top[z] = NAN;
        if (in->eligible[z])
            elig[ne++] = z;
    }
    for (int i = 0; i < ni; i++)
        w0[i] = s->ind[i].weight;
    uint64_t state = seed ^ 0x5AA5A5A5ULL; /* not the stability draws' sequence */
    for (int d = 0; d < draws; d++) {
        sp_score_dirichlet(&state, w0, ni, kappa, w);
        scores(s, w, r->norm, elig, ne, score, NULL);
        memcpy(work, elig, (size_t)ne * sizeof *work);
        int k = select_zones(s, in, score, work, ne, NULL);
        /* select_zones orders every eligible zone; the first k are selected */
        for (int j = 0; j < ne; j++) {
            ranks[(size_t)work[j] * draws + d] = j + 1;
            intop[work[j]] += j < k;
        }
    }
    for (int j = 0; j < ne && draws > 0; j++) {
        int z = elig[j];
        int *rz = ranks + (size_t)z * draws;
        qsort(rz, (size_t)draws, sizeof *rz, cmp_int_asc);
        best[z] = rz[(int)floor(0.05 * (draws - 1))];
        median[z] = rz[(int)floor(0.5 * (draws - 1))];
        worst[z] = rz[(int)ceil(0.95 * (draws - 1))];
        top[z] = (double)intop[z] / draws;
    }
    free(elig); free(work); free(ranks); free(score); free(w); free(w0); free(intop);
    return SP_OK;
}

/* Compact number for reasons: 3 significant digits, no exponent for everyday sizes. */
static void fmt_num(char *b, size_t n, double v)
{
    double a = fabs(v);
    if (a >= 1e7 || (a > 0 && a < 1e-3))
        snprintf(b, n, "%.3g", v);
    else if (a >= 100)
        snprintf(b, n, "%.0f", v);
    else if (a >= 10)
        snprintf(b, n, "%.1f", v);
    else if (a >= 1)
        snprintf(b, n, "%.2f", v);
    else
        snprintf(b, n, "%.3f", v);
}

void sp_score_reason(const sp_score_spec *s, const sp_score_input *in,
                     const sp_score_result *r, int z, int n, char *buf, size_t size)
{
    buf[0] = 0;
    int ni = s->nind, used[10] = {0}, nu = 0;
    size_t len = 0;
    for (int k = 0; k < n && k < 10; k++) {
        int best = -1;
        for (int i = 0; i < ni; i++) {
            bool taken = false;
            for (int u = 0; u < nu; u++)
                taken |= used[u] == i;
            double p = r->pts[(size_t)z * ni + i];
            if (!taken && p > 1e-9 && (best < 0 || p > r->pts[(size_t)z * ni + best]))
                best = i;
        }
        if (best < 0)
            break;
        used[nu++] = best;
        const sp_score_indicator *d = &s->ind[best];
        double v = in->raw[(size_t)z * ni + best], m = r->median[best];
        char vb[32], mb[48] = "";
        fmt_num(vb, sizeof vb, v);
        if (m != 0 && isfinite(m) && (v / m > 0))
            snprintf(mb, sizeof mb, " (%.1fx median)", v / m);
        int w = snprintf(buf + len, size - len, "%s%s %s%s%s%s", nu > 1 ? "; " : "", d->label,
                         vb, d->unit[0] && strcmp(d->unit, "%") ? " " : "", d->unit, mb);
        if (w < 0 || (size_t)w >= size - len)
            break;
        len += (size_t)w;
    }
    if (!nu)
        snprintf(buf, size, "no indicator above the lowest eligible zone");
}

void sp_score_synergy(double base_ap, double scen_ap, double base_co2, double scen_co2,
                      double *red_ap, double *red_co2, double *els, int *quadrant)
{
    double dap = scen_ap - base_ap, dco2 = scen_co2 - base_co2;
    *red_ap = base_ap != 0 ? -100 * dap / base_ap : NAN;
    *red_co2 = base_co2 != 0 ? -100 * dco2 / base_co2 : NAN;
    /* Els = (dAP/AP) / (dCO2/CO2): above 1, the pollutant falls faster than CO2 */
    *els = base_ap != 0 && base_co2 != 0 && dco2 != 0 ? (dap / base_ap) / (dco2 / base_co2)
                                                     : NAN;
    if (dap == 0 || dco2 == 0)
        *quadrant = 0;
    else if (dap < 0)
        *quadrant = dco2 < 0 ? 1 : 2;
    else
        *quadrant = dco2 > 0 ? 3 : 4;
}

const char *sp_score_quadrant_name(int q)
{
    static const char *names[] = {"no change", "synergy", "air only", "both rise",
                                  "carbon only"};
    return q >= 0 && q <= 4 ? names[q] : "?";
}

double sp_score_idw(const double *d, const double *v, int n, double power)
{
    double num = 0, den = 0;
    for (int i = 0; i < n; i++) {
        if (d[i] == 0)
            return v[i];
        double w = 1 / pow(d[i], power);
        num += w * v[i];
        den += w;
    }
    return n ? num / den : NAN;
}

void sp_score_ensemble(const double *v, int n, double threshold, double *median, double *lo,
                       double *hi, double *p)
{
    *median = *lo = *hi = *p = NAN;
    double *w = malloc((size_t)(n > 0 ? n : 1) * sizeof *w);
    if (!w)
        return;
    int m = 0, hit = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(v[i])) {
            w[m++] = v[i];
            hit += v[i] >= threshold;
        }
    if (m) {
        sp_stats_sort(w, (size_t)m);
        *median = sp_stats_quantile(w, m, 0.5);
        *lo = sp_stats_quantile(w, m, 0.1);
        *hi = sp_stats_quantile(w, m, 0.9);
        *p = (double)hit / m;
    }
    free(w);
}

double sp_score_eta2(const double *y, const int *group, int n, int ngroups)
{
    double sum = 0, gs[64] = {0};
    int cnt = 0, gn[64] = {0};
    if (ngroups > 64)
        return NAN;
    for (int i = 0; i < n; i++)
        if (!isnan(y[i]) && group[i] >= 0 && group[i] < ngroups) {
            sum += y[i], cnt++;
            gs[group[i]] += y[i], gn[group[i]]++;
        }
    if (cnt < 2)
        return 0;
    double mean = sum / cnt, tot = 0, between = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(y[i]) && group[i] >= 0 && group[i] < ngroups)
            tot += (y[i] - mean) * (y[i] - mean);
    for (int g = 0; g < ngroups; g++)
        if (gn[g])
            between += gn[g] * (gs[g] / gn[g] - mean) * (gs[g] / gn[g] - mean);
    return tot > 0 ? between / tot : 0;
}

int sp_score_quartiles(const double *x, int n, int *group)
{
    double distinct[5];
    int nd = 0;
    for (int i = 0; i < n && nd <= 4; i++) {
        bool seen = false;
        for (int k = 0; k < nd; k++)
            seen |= distinct[k] == x[i];
        if (!seen && nd < 5)
            distinct[nd++] = x[i];
    }
    if (nd <= 4) { /* few values: each its own group, in increasing order */
        for (int a = 0; a < nd; a++)
            for (int b = a + 1; b < nd; b++)
                if (distinct[b] < distinct[a]) {
                    double t = distinct[a];
                    distinct[a] = distinct[b];
                    distinct[b] = t;
                }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < nd; k++)
                if (x[i] == distinct[k])
                    group[i] = k;
        return nd;
    }
    for (int i = 0; i < n; i++) { /* rank of x[i]: how many are smaller */
        int below = 0;
        for (int j = 0; j < n; j++)
            below += x[j] < x[i];
        group[i] = 4 * below / n;
    }
    return 4;
}
