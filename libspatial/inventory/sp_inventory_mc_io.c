/* sp_inventory_mc: the factors' uncertainty carried to the totals. Each factor row with
 * an uncertainty U ("40%") is drawn as value x exp(sigma z), sigma = ln(1 + U) / 1.96, z
 * standard normal (lognormal: median the value, 95 % between value / (1 + U) and value
 * x (1 + U)); fractions are capped at 1; fleet shares are not drawn (they must sum to
 * 1). Each draw computes every source's baseline and scenario with the same factors, so
 * the change is paired. The sources were kept by the run (no second read). */
#include "inventory/sp_inventory_run_impl.h"
#include "inventory/sp_inventory_run.h"
#include "io/sp_output.h"
#include "core/sp_rng.h"
#include "core/sp_stats.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

bool sp_inv_mc_add(sp_inv_mc_set *set, int sec, const void *src, size_t size,
                   const double *share, int nveh)
{
    if (set->n == set->cap) {
        size_t nc = set->cap ? 2 * set->cap : 1024;
        sp_inv_mc_src *ns = realloc(set->s, nc * sizeof *ns);
        if (!ns)
            return false;
        set->s = ns;
        set->cap = nc;
    }
    if (share && set->nshare + (size_t)nveh > set->capshare) {
        size_t nc = (set->capshare + (size_t)nveh) * 2;
        double *nsh = realloc(set->share, nc * sizeof *nsh);
        if (!nsh)
            return false;
        set->share = nsh;
        set->capshare = nc;
    }
    sp_inv_mc_src *s = &set->s[set->n++];
    s->sec = sec;
    memcpy(s->src, src, size);
    s->share_off = set->nshare;
    if (share) {
        memcpy(set->share + set->nshare, share, (size_t)nveh * sizeof *share);
        set->nshare += (size_t)nveh;
    }
    return true;
}

void sp_inv_mc_free(sp_inv_mc_set *set)
{
    free(set->s);
    free(set->share);
    memset(set, 0, sizeof *set);
}

void sp_inventory_totals_free(sp_inventory_totals *t)
{
    free(t->mc_base);
    free(t->mc_scen);
    free(t->marg);
    free(t->alone);
    free(t->msources);
    t->msources = NULL;
    t->marg = t->alone = NULL;
    t->nmarg = 0;
    t->mc_base = t->mc_scen = NULL;
    t->mc = 0;
}

void sp_inv_mc_draw_rows(const sp_factors *f, sp_factor *rows, uint64_t *state)
{
    for (int i = 0; i < f->n; i++) {
        rows[i] = f->rows[i];
        double u = rows[i].uncertainty;
        if (!(u > 0) || !strcmp(rows[i].pollutant, "share"))
            continue;
        rows[i].value *= exp(log(1 + u) / 1.96 * sp_rng_normal(state));
        if (!strcmp(rows[i].unit, "fraction") && rows[i].value > 1)
            rows[i].value = 1;
    }
}

/* Every kept source with the draw's models, added to the draw's totals. */
static void add_sources(const sp_inv_mc_set *set, const sp_inventory_model *mb,
                        const sp_inventory_model *msc, const sp_inv_dated *dated, double *base,
                        double *scen)
{
    _Alignas(max_align_t) unsigned char src[SP_INV_SRC_MAX];
    for (size_t k = 0; k < set->n; k++) {
        const sp_inv_mc_src *s = &set->s[k];
        memcpy(src, s->src, SP_INV_SRC_MAX);
        const sp_sector_desc *d = SP_SECTORS[s->sec];
        if (d->ext_count) { /* the per-feature doubles, kept beside (road: the shares) */
            const double *ext = set->share + s->share_off;
            memcpy(src + d->ext_offset, &ext, sizeof ext);
        }
        double eb[SP_NPOL], es[SP_NPOL];
        uint64_t ab, as;
        d->emit(mb, src, eb, &ab);
        if (msc)
            d->emit(msc, src, es, &as);
        else
            memcpy(es, eb, sizeof es);
        if (dated->n)
            sp_inv_dated_emit(dated, d, src, eb, es);
        for (int p = 0; p < SP_NPOL; p++) {
            base[s->sec * SP_NPOL + p] += eb[p];
            scen[s->sec * SP_NPOL + p] += es[p];
        }
    }
}

sp_status sp_inv_mc_run(sp_ctx *ctx, const sp_factors *f, const sp_measures *ms,
                        const sp_inv_climate *climate, int year, const sp_inv_mc_set *set,
                        int n, uint64_t seed, sp_inventory_totals *t)
{
    size_t per = (size_t)SP_NSEC * SP_NPOL;
    sp_factor *rows = malloc((size_t)(f->n ? f->n : 1) * sizeof *rows);
    t->mc_base = calloc((size_t)n * per, sizeof *t->mc_base);
    t->mc_scen = calloc((size_t)n * per, sizeof *t->mc_scen);
    if (!rows || !t->mc_base || !t->mc_scen) {
        free(rows);
        sp_inventory_totals_free(t);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    uint64_t state = seed;
    sp_status rc = SP_OK;
    for (int d = 0; d < n && !rc; d++) {
        sp_inv_mc_draw_rows(f, rows, &state);
        sp_factors fd = *f;
        fd.rows = rows;
        sp_inventory_model *mb = NULL, *msc = NULL;
        sp_inv_dated dated = {0};
        if ((rc = sp_inventory_model_new_climate(ctx, &fd, NULL, climate, &mb)) ||
            (ms && (rc = sp_inventory_model_new_climate(ctx, &fd, ms, climate, &msc))) ||
            (rc = sp_inv_dated_new(ctx, &fd, ms, climate, year, &dated))) {
            sp_error_prefix(ctx, rc, "Monte-Carlo draw %d: ", d + 1);
        } else {
            add_sources(set, mb, msc, &dated, t->mc_base + (size_t)d * per,
                        t->mc_scen + (size_t)d * per);
        }
        sp_inv_dated_free(&dated);
        sp_inventory_model_free(mb);
        sp_inventory_model_free(msc);
    }
    free(rows);
    if (rc) {
        sp_inventory_totals_free(t);
        return rc;
    }
    t->mc = n;
    t->seed = seed ? seed : 1; /* the generator's: 0 draws as 1 */
    return SP_OK;
}

void sp_inventory_mc_interval(const sp_inventory_totals *t, int sec, int p, int what,
                              double *median, double *lo, double *hi)
{
    *median = *lo = *hi = NAN;
    double *v = t->mc > 0 ? malloc((size_t)t->mc * sizeof *v) : NULL;
    if (!v)
        return;
    size_t per = (size_t)SP_NSEC * SP_NPOL;
    for (int d = 0; d < t->mc; d++) {
        double b = 0, s = 0;
        for (int k = 0; k < SP_NSEC; k++)
            if (sec == k || (sec == SP_NSEC && t->run[k])) {
                b += t->mc_base[d * per + (size_t)k * SP_NPOL + (size_t)p];
                s += t->mc_scen[d * per + (size_t)k * SP_NPOL + (size_t)p];
            }
        v[d] = what == 0 ? b : what == 1 ? s : what == 2 ? s - b : b > 0 ? 100 * (s - b) / b : NAN;
    }
    sp_stats_sort(v, (size_t)t->mc);
    *median = sp_stats_quantile(v, t->mc, 0.5);
    *lo = sp_stats_quantile(v, t->mc, 0.025);
    *hi = sp_stats_quantile(v, t->mc, 0.975);
    free(v);
}

/* Opens path for writing under sp_output; fp NULL on error (out aborted). */
static sp_status open_out(sp_ctx *ctx, sp_output *out, const char *path, FILE **fp)
{
    *fp = NULL;
    sp_status rc = sp_output_begin(ctx, out, path);
    if (rc)
        return rc;
    if (!(*fp = fopen(out->path, "w"))) {
        sp_output_abort(out);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s'", path);
    }
    return SP_OK;
}

static sp_status close_out(sp_ctx *ctx, sp_output *out, const char *path, FILE *fp)
{
    bool bad = ferror(fp);
    if (fclose(fp) || bad) {
        int e = errno;
        sp_output_abort(out);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return sp_output_commit(ctx, out);
}

sp_status sp_inventory_write_mc(sp_ctx *ctx, const sp_inventory_totals *t, const char *path)
{
    sp_output out = {0};
    FILE *fp;
    sp_status rc = open_out(ctx, &out, path, &fp);
    if (rc)
        return rc;
    static const char *const WHAT[] = {"baseline_t", "scenario_t", "change_t", "change_pct"};
    fputs("sector,pollutant,draws", fp);
    for (int w = 0; w < 4; w++)
        fprintf(fp, ",%s_median,%s_lo95,%s_hi95", WHAT[w], WHAT[w], WHAT[w]);
    fputc('\n', fp);
    for (int s = 0; s <= SP_NSEC; s++) {
        if (s < SP_NSEC && !t->run[s])
            continue;
        for (int p = 0; p < SP_NPOL; p++) {
            fprintf(fp, "%s,%s,%d", s < SP_NSEC ? SP_SECTORS[s]->name : "total", SP_POL_NAME[p],
                    t->mc);
            for (int w = 0; w < 4; w++) {
                double m, lo, hi;
                sp_inventory_mc_interval(t, s, p, w, &m, &lo, &hi);
                if (isnan(m))
                    fputs(",,,", fp);
                else
                    fprintf(fp, ",%.9g,%.9g,%.9g", m == 0 ? 0.0 : m, lo == 0 ? 0.0 : lo,
                            hi == 0 ? 0.0 : hi);
            }
            fputc('\n', fp);
        }
    }
    return close_out(ctx, &out, path, fp);
}

sp_status sp_inventory_write_mc_draws(sp_ctx *ctx, const sp_inventory_totals *t,
                                      const char *path)
{
    sp_output out = {0};
    FILE *fp;
    sp_status rc = open_out(ctx, &out, path, &fp);
    if (rc)
        return rc;
    size_t per = (size_t)SP_NSEC * SP_NPOL;
    fputs("draw,pollutant,baseline_t,scenario_t,seed\n", fp); /* seed: sp-ledger pairs by it */
    for (int d = 0; d < t->mc; d++)
        for (int p = 0; p < SP_NPOL; p++) {
            double b = 0, s = 0;
            for (int k = 0; k < SP_NSEC; k++)
                if (t->run[k]) {
                    b += t->mc_base[d * per + (size_t)k * SP_NPOL + (size_t)p];
                    s += t->mc_scen[d * per + (size_t)k * SP_NPOL + (size_t)p];
                }
            fprintf(fp, "%d,%s,%.9g,%.9g,%llu\n", d + 1, SP_POL_NAME[p], b, s,
                    (unsigned long long)t->seed);
        }
    return close_out(ctx, &out, path, fp);
}

sp_status sp_inventory_write_mc_sectors(sp_ctx *ctx, const sp_inventory_totals *t,
                                        const char *path)
{
    sp_output out = {0};
    FILE *fp;
    sp_status rc = open_out(ctx, &out, path, &fp);
    if (rc)
        return rc;
    size_t per = (size_t)SP_NSEC * SP_NPOL;
    fputs("draw,sector,pollutant,baseline_t,scenario_t,seed\n", fp);
    for (int d = 0; d <= t->mc; d++)
        for (int k = 0; k < SP_NSEC; k++)
            for (int p = 0; t->run[k] && p < SP_NPOL; p++) {
                size_t i = (size_t)k * SP_NPOL + (size_t)p;
                double b = d ? t->mc_base[(size_t)(d - 1) * per + i] : t->base[k][p];
                double s = d ? t->mc_scen[(size_t)(d - 1) * per + i] : t->scen[k][p];
                fprintf(fp, "%d,%s,%s,%.9g,%.9g,%llu\n", d, SP_SECTORS[k]->name, SP_POL_NAME[p],
                        b, s, (unsigned long long)t->seed);
            }
    return close_out(ctx, &out, path, fp);
}

sp_status sp_inventory_write_marginal(sp_ctx *ctx, const sp_inventory_totals *t,
                                      const sp_measures *ms, const char *path)
{
    sp_output out = {0};
    FILE *fp;
    sp_status rc = open_out(ctx, &out, path, &fp);
    if (rc)
        return rc;
    fprintf(fp, "measure,text,pollutant,cut_t,cut_alone_t,sources,cost_yuan,reach\n");
    for (int k = 0; k < t->nmarg; k++)
        for (int p = 0; p < SP_NPOL; p++) {
            fprintf(fp, "%d,\"", k + 1);
            for (const char *c = ms->m[k].text; *c; c++) /* quotes doubled */
                fputs(*c == '"' ? "\"\"" : (char[2]){*c, 0}, fp);
            const sp_measure *x = &ms->m[k]; /* the user's unit cost: per source or tonne */
            double cost = x->cost_pol >= 0 ? x->cost * t->marg[(size_t)k * SP_NPOL + x->cost_pol]
                                           : x->cost * (double)t->msources[k];
            fprintf(fp, "\",%s,%.9g,%.9g,%lld,", SP_POL_NAME[p], t->marg[(size_t)k * SP_NPOL + p],
                    t->alone[(size_t)k * SP_NPOL + p], t->msources[k]);
            if (x->cost > 0)
                fprintf(fp, "%.9g", cost);
            fprintf(fp, ",%.6g\n", x->reach);
        }
    for (int p = 0; p < SP_NPOL; p++) { /* the scenario's cut, and the interaction */
        double joint = 0, alone = 0;
        for (int s = 0; s < SP_NSEC; s++)
            joint += t->base[s][p] - t->scen[s][p];
        for (int k = 0; k < t->nmarg; k++)
            alone += t->alone[(size_t)k * SP_NPOL + p];
        fprintf(fp, "all,\"the scenario (interaction: the alone cuts less it)\",%s,%.9g,%.9g,,,\n",
                SP_POL_NAME[p], joint, alone - joint);
    }
    return close_out(ctx, &out, path, fp);
}
