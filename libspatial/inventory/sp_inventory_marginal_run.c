/* sp_inventory_marginal_run: each measure's own cut (-marginal), the response a scenario
 * explorer scales: for measure k, per source, E_k-1 - E_k, E_k the emission with the first
 * k measures in full (the file's order: what k adds given those before it); the cuts add
 * up to the scenario's exactly. Each measure alone (E_0 - E_only k) is summed beside them:
 * the interaction, the alone cuts summed less the scenario's, is 0 for measures on
 * different sources. */
#include "inventory/sp_inventory_impl.h"
#include "inventory/sp_inventory_run_impl.h"
#include "io/sp_output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

sp_status sp_inv_marginal_new(sp_ctx *ctx, const sp_factors *f, const sp_measures *ms,
                              const sp_inventory_options *o, sp_inventory_totals *t,
                              sp_inv_marginal *m)
{
    memset(m, 0, sizeof *m);
    if (!o->marginal || !ms)
        return SP_OK;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", o->marginal);
    for (char *s = strtok(buf, ","); s; s = strtok(NULL, ",")) {
        int p = sp_pollutant_index(s);
        if (p < 0)
            return sp_error(ctx, SP_ERR_USAGE, "-marginal: '%s' is not a pollutant (nox, vocs, "
                            "pm25, pm10, so2, co, co2, fume, co2_s2, tsp)", s);
        if (m->npol < SP_NPOL)
            m->pol[m->npol++] = p;
    }
    size_t n = (size_t)ms->n;
    m->alone = calloc(n, sizeof *m->alone);
    m->one = calloc(n, sizeof *m->one);
    t->marg = calloc(n * SP_NPOL, sizeof *t->marg);
    t->alone = calloc(n * SP_NPOL, sizeof *t->alone);
    t->msources = calloc(n, sizeof *t->msources);
    if (!m->alone || !m->one || !t->marg || !t->alone || !t->msources)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    t->nmarg = ms->n;
    sp_inv_dated *d = &m->prefix; /* its prefixes, every measure in full (no -year share) */
    d->step = calloc(n, sizeof *d->step);
    d->share = calloc(n, sizeof *d->share);
    d->sub = calloc(n, sizeof *d->sub);
    if (!d->step || !d->share || !d->sub)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = SP_OK;
    for (int k = 0; k < ms->n && !rc; k++) {
        d->sub[k] = *ms;
        d->sub[k].n = k + 1;
        d->share[k] = 1;
        d->n = k + 1;
        m->one[k] = *ms;
        m->one[k].m = &ms->m[k];
        m->one[k].n = 1;
        if (!(rc = sp_inventory_model_new_climate(ctx, f, &d->sub[k], o->climate_hours,
                                                  &d->step[k])))
            rc = sp_inventory_model_new_climate(ctx, f, &m->one[k], o->climate_hours,
                                                &m->alone[k]);
    }
    return rc;
}

void sp_inv_marginal_free(sp_inv_marginal *m)
{
    for (int k = 0; m->alone && k < m->prefix.n; k++)
        sp_inventory_model_free(m->alone[k]);
    free(m->alone);
    free(m->one);
    sp_inv_dated_free(&m->prefix);
    memset(m, 0, sizeof *m);
}

sp_status sp_inv_marginal_fields(sp_ctx *ctx, const sp_inv_marginal *m, OGRFeatureDefnH defn)
{
    for (int k = 0; k < m->prefix.n; k++)
        for (int j = 0; j < m->npol; j++) {
            char name[64];
            snprintf(name, sizeof name, "cut%02d_%s", k + 1, SP_POL_COLUMN[m->pol[j]]);
            OGRFieldDefnH fd = OGR_Fld_Create(name, OFTReal);
            if (!fd)
                return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            OGR_FD_AddFieldDefn(defn, fd);
            OGR_Fld_Destroy(fd);
        }
    return SP_OK;
}

void sp_inv_marginal_source(const sp_inv_marginal *m, const sp_sector_desc *d, const void *src,
                            const double eb[SP_NPOL], sp_inventory_totals *t, OGRFeatureH of,
                            int first)
{
    double prev[SP_NPOL], e[SP_NPOL], a[SP_NPOL];
    memcpy(prev, eb, sizeof prev);
    for (int k = 0; k < m->prefix.n; k++) {
        uint64_t ap;
        d->emit(m->prefix.step[k], src, e, &ap);
        d->emit(m->alone[k], src, a, &ap);
        bool changed = false;
        for (int p = 0; p < SP_NPOL; p++) {
            t->marg[(size_t)k * SP_NPOL + p] += prev[p] - e[p];
            t->alone[(size_t)k * SP_NPOL + p] += eb[p] - a[p];
            changed |= prev[p] != e[p];
        }
        t->msources[k] += changed;
        for (int j = 0; j < m->npol; j++)
            OGR_F_SetFieldDouble(of, first + k * m->npol + j, prev[m->pol[j]] - e[m->pol[j]]);
        memcpy(prev, e, sizeof prev);
    }
}
