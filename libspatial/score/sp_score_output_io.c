/* sp_score_output: the ranked table sp-score writes: rows in rank order (eligible zones
 * by rank, then the others by id), the copied columns, rank/selected/score/stability/
 * eligible/reason, SMAA, station, synergy and microgram columns, and per indicator its
 * raw value, normalised value and points. */
#include "score/sp_score_impl.h"

#include <math.h>
#include <stdio.h>

/* Eligible zones by rank, then the others by id. */
static void rank_order(const sp_score_input *in, const sp_score_result *res, int nz, int *order)
{
    int k = 0;
    for (int rk = 1; rk <= res->neligible; rk++)
        for (int r = 0; r < nz; r++)
            if (res->rank[r] == rk)
                order[k++] = r;
    for (int pos = 0; pos < nz; pos++)
        for (int r = 0; r < nz; r++)
            if (!res->rank[r] && in->idorder[r] == pos)
                order[k++] = r;
}

/* Column sc of the zone table copied into out in row order (skipped when out has it).
 * false when out of memory. */
static bool copy_column(sp_table *out, const sp_table_col *sc, const int *order, int nz)
{
    if (sp_table_find(out, sc->name) >= 0)
        return true;
    int c = sc->numeric ? (sc->type == OFTInteger64 ? sp_table_add_integer(out, sc->name)
                                                    : sp_table_add_number(out, sc->name))
                        : sp_table_add_text(out, sc->name, sc->type);
    if (c < 0)
        return false;
    for (int j = 0; j < nz; j++) {
        if (sc->numeric)
            out->cols[c].num[j] = sc->num[order[j]];
        else if (!sp_table_set_text(out, c, j, sc->str[order[j]]))
            return false;
    }
    return true;
}

/* id, label and -include columns first; *lc the label column of the zone table. */
static sp_status copied_columns(sp_ctx *ctx, const sp_score_spec *s, const sp_score_options *o,
                                const zones *z, const int *order, sp_table *out, int *lc)
{
    const sp_table *t = z->t;
    int ncopy = 0, copy[512];
    copy[ncopy++] = z->idc;
    *lc = s->label ? sp_table_find_name(t, s->label) : -1;
    if (s->label && *lc < 0)
        return sp_error(ctx, SP_ERR_USAGE, "%s: no label column '%s' in the table", o->spec,
                        s->label);
    if (*lc >= 0 && *lc != z->idc)
        copy[ncopy++] = *lc;
    for (char **inc = o->include; inc && *inc && ncopy < 500; inc++) {
        int c = sp_table_find(t, *inc);
        if (c < 0)
            return sp_error(ctx, SP_ERR_USAGE, "-include: no column '%s' in the table", *inc);
        copy[ncopy++] = c;
    }
    for (int i = 0; i < ncopy; i++)
        if (!copy_column(out, &t->cols[copy[i]], order, t->nrows))
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return SP_OK;
}

/* rank, selected, score, stability, eligible, reason; their indices into rep. */
static bool result_columns(const sp_score_spec *s, const sp_score_input *in,
                           const sp_score_result *res, char **why, const int *order, int nz,
                           sp_table *out, sp_score_report *rep)
{
    int c_elig;
    if ((rep->c_rank = sp_table_add_integer(out, "rank")) < 0 ||
        (rep->c_selected = sp_table_add_integer(out, "selected")) < 0 ||
        (rep->c_score = sp_table_add_number(out, "score")) < 0 ||
        (rep->c_stability = sp_table_add_number(out, "stability")) < 0 ||
        (c_elig = sp_table_add_integer(out, "eligible")) < 0 ||
        (rep->c_reason = sp_table_add_text(out, "reason", OFTString)) < 0)
        return false;
    for (int j = 0; j < nz; j++) {
        int r = order[j];
        bool el = in->eligible[r];
        out->cols[rep->c_rank].num[j] = el ? res->rank[r] : NAN;
        out->cols[rep->c_selected].num[j] = res->selected[r];
        out->cols[rep->c_score].num[j] = res->score[r];
        out->cols[rep->c_stability].num[j] = res->stability[r];
        out->cols[c_elig].num[j] = el;
        char buf[1024];
        if (el)
            sp_score_reason(s, in, res, r, s->reasons, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "not eligible: %s", why[r]);
        if (!sp_table_set_text(out, rep->c_reason, j, buf))
            return false;
    }
    if (res->smaa_best) { /* rank acceptability: best / median / worst rank in 90 % of draws */
        static const char *const SN[4] = {"smaa_rank_best", "smaa_rank_median", "smaa_rank_worst",
                                          "smaa_selected"};
        const double *src[4] = {res->smaa_best, res->smaa_median, res->smaa_worst, res->smaa_top};
        for (int q = 0; q < 4; q++) {
            int c = sp_table_add_number(out, SN[q]);
            if (c < 0)
                return false;
            for (int j = 0; j < nz; j++)
                out->cols[c].num[j] = src[q][order[j]];
        }
    }
    return true;
}

/* The columns made from the table (stations, synergy, microgram): copied as they are. */
static bool made_columns(const sp_table *t, const int *order, sp_table *out)
{
    static const char *const PREFIX[] = {"station_", "syn_", "dc_pm25_", "spread_"};
    static const char *const NAME[] = {"p_1ug", "one_microgram", "ug_reason", "ug_spread"};
    for (int c = 0; c < t->ncols; c++) {
        const char *n = t->cols[c].name;
        bool made = false;
        for (int k = 0; k < 4; k++)
            made |= !strncmp(n, PREFIX[k], strlen(PREFIX[k])) || !strcmp(n, NAME[k]);
        if (made && !copy_column(out, &t->cols[c], order, t->nrows))
            return false;
    }
    return true;
}

/* <indicator>_raw, _norm, _pts. */
static sp_status indicator_columns(sp_ctx *ctx, const sp_score_spec *s, const char *spec,
                                   const sp_score_input *in, const sp_score_result *res,
                                   const int *order, int nz, sp_table *out)
{
    static const char *suffix[] = {"raw", "norm", "pts"};
    int ni = s->nind;
    for (int i = 0; i < ni; i++)
        for (int q = 0; q < 3; q++) {
            char name[300];
            snprintf(name, sizeof name, "%s_%s", s->ind[i].name, suffix[q]);
            int c = sp_table_add_number(out, name);
            if (c < 0)
                return sp_error(ctx, SP_ERR_USAGE, "%s:%d: output column '%s' clashes with "
                                "another; rename the indicator", spec, s->ind[i].line, name);
            const double *src = q == 0 ? in->raw : q == 1 ? res->norm : res->pts;
            for (int j = 0; j < nz; j++)
                out->cols[c].num[j] = src[(size_t)order[j] * ni + i];
        }
    return SP_OK;
}

sp_status sp_score_build_output(sp_ctx *ctx, const sp_score_spec *s, const sp_score_options *o,
                                const zones *z, const sp_score_input *in,
                                const sp_score_result *res, char **why, sp_score_report *rep)
{
    const sp_table *t = z->t;
    int nz = t->nrows, lc = -1;
    int *order = malloc((size_t)(nz ? nz : 1) * sizeof *order);
    sp_table *out = sp_table_new(nz);
    sp_status rc = SP_OK;
    if (!order || !out)
        goto nomem;
    rank_order(in, res, nz, order);
    if ((rc = copied_columns(ctx, s, o, z, order, out, &lc)))
        goto fail;
    if (!result_columns(s, in, res, why, order, nz, out, rep) || !made_columns(t, order, out))
        goto nomem;
    if ((rc = indicator_columns(ctx, s, o->spec, in, res, order, nz, out)))
        goto fail;
    if (t->geom) {
        if (!(out->geom = calloc((size_t)(nz ? nz : 1), sizeof *out->geom)))
            goto nomem;
        for (int j = 0; j < nz; j++)
            out->geom[j] = t->geom[order[j]] ? OGR_G_Clone(t->geom[order[j]]) : NULL;
        out->wkt = t->wkt ? strdup(t->wkt) : NULL;
    }
    rep->table = out;
    rep->c_id = 0;
    rep->c_label = lc >= 0 && lc != z->idc ? 1 : -1;
    free(order);
    return SP_OK;
nomem:
    rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
fail:
    free(order);
    sp_table_free(out);
    return rc;
}
