/* A trial sector, for tests/cli/test_extend.sh: dry cleaners (干洗) as points, VOCs from
 * the solvent they use: kg/yr x the table's g/kg x (1 - the capture share of the measure
 * `trial capture SHARE`). It is added to a copy of the tree with this file and one line of
 * sectors/sp_sectors.def, nothing else: reader, fields, factor rows, measure, emission and
 * its own model state all live here. Not part of the product. */
#include "inventory/sp_inventory_impl.h"

#include <stdlib.h>
#include <string.h>

enum { KG, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {[KG] = {"trial.solvent_kg", "solvent_kg"}};

typedef struct {
    double g_per_kg; /* trial,solvent,VOCs,V,g/kg */
    double capture;  /* the measure's share */
} trial_model;

typedef struct {
    double kg;
} trial_src;

static sp_status trial_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                           sp_inventory_model *m)
{
    int p;
    sp_status rc = sp_inv_row_check(ctx, f, r, false, &p);
    if (rc)
        return rc;
    if (strcmp(r->cls, "solvent") || p != SP_VOCS || !sp_inv_unit_is(r, "g/kg"))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: expected 'trial,solvent,VOCs,VALUE,g/kg'",
                        f->path, r->line);
    trial_model *t = m->state[SP_SEC_TRIAL];
    if (!t && !(t = m->state[SP_SEC_TRIAL] = calloc(1, sizeof *t)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    t->g_per_kg = r->value;
    return SP_OK;
}

static sp_status trial_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    if (nw != 3 || !sp_inv_parse_share(w[2], &m->share))
        return sp_error(ctx, SP_ERR_DATA, "%s: expected 'trial capture SHARE'", where);
    return SP_OK; /* kind SP_M_SECTOR, sector SP_SEC_TRIAL: set by the parser */
}

static sp_status trial_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    trial_model *t = m->state[SP_SEC_TRIAL];
    for (int i = 0; t && ms && i < ms->n; i++)
        if (ms->m[i].kind == SP_M_SECTOR && ms->m[i].sector == SP_SEC_TRIAL)
            t->capture = ms->m[i].share;
    (void)ctx;
    return SP_OK;
}

static void trial_emit(const sp_inventory_model *m, const void *src, double E[SP_NPOL],
                       uint64_t *applied)
{
    const trial_src *s = src;
    const trial_model *t = m->state[SP_SEC_TRIAL];
    *applied = 0;
    for (int p = 0; p < SP_NPOL; p++)
        E[p] = 0;
    E[SP_VOCS] = s->kg * t->g_per_kg * (1 - t->capture) / 1e6;
    for (int i = 0; t->capture > 0 && s->kg > 0 && i < m->measures->n; i++)
        if (m->measures->m[i].kind == SP_M_SECTOR && m->measures->m[i].sector == SP_SEC_TRIAL)
            *applied |= (uint64_t)1 << i;
    sp_inv_finish(m, SP_SEC_TRIAL, E, applied);
}

static sp_status trial_prepare(sp_inv_reader *r)
{
    if (!sp_invr_base(r)->state[SP_SEC_TRIAL])
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "the factor table has no trial rows");
    return sp_invr_find_field(r, KG, true);
}

static sp_status trial_read(sp_inv_reader *r, void *src)
{
    return sp_invr_num(r, KG, &((trial_src *)src)->kg);
}

const sp_sector_desc sp_sector_trial = {
    .name = "trial", .geom = SP_GEOM_POINT, .help = "dry cleaners (points): solvent_kg",
    .rows = {"trial"}, .fields = FIELDS, .nfields = NFIELDS,
    .measure = trial_measure, .measures = "trial capture",
    .row = trial_row, .end = trial_end, .state_free = free,
    .emit = trial_emit, .src_size = sizeof(trial_src),
    .prepare = trial_prepare, .read = trial_read,
};
