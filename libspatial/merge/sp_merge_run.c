/* sp_merge_run: reading the parts' sidecars, the checks that they make one run, the
 * pixels placed in the whole grid and written with the run's own write options (so the
 * bytes are the single run's: the same values through the same writer). */
#include "merge/sp_merge.h"
#include "io/sp_part.h"
#include "io/sp_raster.h"

#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sp_merge_options_init(sp_merge_options *o) { memset(o, 0, sizeof *o); }

void sp_merge_report_free(sp_merge_report *r)
{
    if (!r)
        return;
    free(r->tool);
    sp_grid_clear(&r->grid);
    CSLDestroy(r->names);
    free(r->merged);
    free(r->input);
    memset(r, 0, sizeof *r);
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_grid(const sp_grid *a, const sp_grid *b)
{
    return a->ncols == b->ncols && a->nrows == b->nrows && a->xmin == b->xmin &&
           a->ymin == b->ymin && a->xmax == b->xmax && a->ymax == b->ymax && a->dx == b->dx &&
           a->dy == b->dy && same_str(a->wkt, b->wkt);
}

/* The first field in which part q differs from part p (NULL: none). */
static const char *differs(const sp_part *p, const sp_part *q)
{
    if (strcmp(p->tool, q->tool))
        return "the tool";
    if (strcmp(p->args, q->args))
        return "the options";
    if (!same_str(p->inputs, q->inputs))
        return "the inputs (their sizes or contents)";
    if (p->shard.count != q->shard.count)
        return "the number of shards";
    if (!same_grid(&p->full, &q->full) || p->nunits != q->nunits || p->unit_rows != q->unit_rows)
        return "the grid";
    if (!same_str(p->write, q->write))
        return "the output options";
    if (p->nbands != q->nbands || !same_str(p->unit, q->unit))
        return "the bands";
    for (int b = 0; b < p->nbands; b++)
        if (!same_str(p->names[b], q->names[b]) || p->has_input != q->has_input ||
            (p->has_input && p->input[b] != q->input[b]))
            return "the bands";
    return NULL;
}

/* The part's units and rows are the ones its shard owns. */
static sp_status check_rows(sp_ctx *ctx, const sp_part *p)
{
    int64_t u0, u1;
    sp_shard_units(&p->shard, p->nunits, &u0, &u1);
    int64_t r0 = u0 * p->unit_rows, r1 = u1 * p->unit_rows;
    if (r1 > p->full.nrows)
        r1 = p->full.nrows;
    if (p->unit0 != u0 || p->unit1 != u1 || p->row0 != r0 || p->row0 + p->nrows != r1)
        return sp_error(ctx, SP_ERR_DATA, "'%s': shard %d/%d holds rows %d-%d, not its own "
                        "%lld-%lld", p->path, p->shard.index, p->shard.count, p->row0,
                        p->row0 + p->nrows, (long long)r0, (long long)r1);
    return SP_OK;
}

static int by_index(const void *a, const void *b)
{
    const sp_part *p = a, *q = b;
    return (p->shard.index > q->shard.index) - (p->shard.index < q->shard.index);
}

/* Reads, sorts and checks the sidecars. */
static sp_status read_parts(sp_ctx *ctx, const char *const *paths, int n, sp_part *parts)
{
    sp_status rc;
    for (int k = 0; k < n; k++)
        if ((rc = sp_part_read(ctx, paths[k], &parts[k])))
            return rc;
    for (int k = 1; k < n; k++) {
        const char *what = differs(&parts[0], &parts[k]);
        if (what)
            return sp_error(ctx, SP_ERR_USAGE, "'%s' and '%s' are parts of different runs: "
                            "they differ in %s", parts[0].path, parts[k].path, what);
    }
    qsort(parts, (size_t)n, sizeof *parts, by_index);
    sp_shard *sh = calloc((size_t)n, sizeof *sh);
    const char **pp = calloc((size_t)n, sizeof *pp);
    for (int k = 0; sh && pp && k < n; k++) {
        sh[k] = parts[k].shard;
        pp[k] = parts[k].path;
    }
    rc = sh && pp ? sp_part_check_shards(ctx, sh, pp, n) : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    free(sh);
    free(pp);
    if (rc)
        return rc;
    for (int k = 0; k < n; k++)
        if ((rc = check_rows(ctx, &parts[k])))
            return rc;
    return SP_OK;
}

/* Copies part p's pixels into the whole raster r, after checking they are its shard's. */
static sp_status place(sp_ctx *ctx, const sp_part *p, sp_raster *r)
{
    sp_raster *q = NULL;
    sp_status rc = sp_raster_read(ctx, p->path, NULL, 0, &q);
    if (rc)
        return rc;
    size_t ncols = (size_t)r->grid.ncols, n = ncols * (size_t)p->nrows;
    if (q->nbands != p->nbands || q->grid.ncols != r->grid.ncols || q->grid.nrows != p->nrows) {
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' is not the raster its sidecar describes (%d bands "
                      "of %d x %d)", p->path, p->nbands, r->grid.ncols, p->nrows);
    } else {
        uint64_t h = SP_PART_SUM_INIT;
        for (int b = 0; b < q->nbands; b++)
            h = sp_part_sum(h, q->band[b], n * sizeof(double));
        if (h != p->hash)
            rc = sp_error(ctx, SP_ERR_DATA, "'%s': its pixels are not what shard %d/%d wrote "
                          "(changed or damaged since): re-run it", p->path, p->shard.index,
                          p->shard.count);
        for (int b = 0; b < q->nbands && !rc; b++)
            memcpy(r->band[b] + (size_t)p->row0 * ncols, q->band[b], n * sizeof(double));
        r->has_nodata = q->has_nodata;
        r->nodata = q->nodata;
    }
    sp_raster_free(q);
    return rc;
}

static sp_status fill_report(sp_ctx *ctx, const sp_part *p, const sp_raster *r,
                             sp_merge_report *rep)
{
    rep->tool = strdup(p->tool);
    rep->count = p->shard.count;
    rep->nbands = p->nbands;
    rep->merged = calloc((size_t)p->nbands + 1, sizeof(double));
    if (p->has_input && (rep->input = calloc((size_t)p->nbands + 1, sizeof(double))))
        memcpy(rep->input, p->input, (size_t)p->nbands * sizeof(double));
    for (int b = 0; b < p->nbands; b++)
        rep->names = CSLAddString(rep->names, p->names[b] ? p->names[b] : "");
    if (!rep->tool || !rep->merged || (p->has_input && !rep->input))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int b = 0; b < p->nbands; b++)
        rep->merged[b] = sp_raster_band_sum(r, b);
    return sp_grid_copy(ctx, &rep->grid, &p->full);
}

sp_status sp_merge_file(sp_ctx *ctx, const char *const *paths, int n, const char *dst,
                        const sp_merge_options *o, int64_t max_mem, sp_merge_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (n < 1)
        return sp_error(ctx, SP_ERR_USAGE, "no parts to merge");
    sp_part *parts = calloc((size_t)n, sizeof *parts);
    if (!parts)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_raster *r = NULL;
    sp_status rc = read_parts(ctx, paths, n, parts);
    const sp_part *p = &parts[0];
    if (!rc)
        rc = sp_grid_check_size(ctx, &p->full, p->nbands, 8, max_mem);
    if (!rc && !(r = sp_raster_new(ctx, &p->full, p->nbands)))
        rc = sp_ctx_status(ctx);
    for (int k = 0; k < n && !rc; k++) {
        rc = place(ctx, &parts[k], r);
        if (o && o->progress && !o->progress(0.8 * (k + 1) / n, NULL, o->progress_user))
            rc = sp_error(ctx, SP_ERR_CANCEL, "cancelled");
    }
    for (int b = 0; !rc && b < p->nbands; b++)
        if (p->names[b])
            rc = sp_raster_set_name(ctx, r, b, p->names[b]);
    if (!rc && p->unit)
        rc = sp_raster_set_unit(ctx, r, p->unit);
    if (!rc)
        rc = sp_raster_write(ctx, r, dst, &p->wo);
    if (!rc)
        rc = fill_report(ctx, p, r, rep);
    if (!rc && o && o->progress)
        o->progress(1.0, NULL, o->progress_user);
    if (rc)
        sp_merge_report_free(rep);
    sp_raster_free(r);
    for (int k = 0; k < n; k++)
        sp_part_free(&parts[k]);
    free(parts);
    return rc;
}
