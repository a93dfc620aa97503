/* sp_disperse_shard_run: sp-disperse -shard I/N. A shard computes its rows from a window
 * of the inputs (the rows its FFT strips read, sp_strip_input_rows), so its memory is a
 * window's, and writes them as a part for sp-merge. What decides a value from the whole
 * grid is taken from the whole grid: the sun's place (the grid's centre), whether a band
 * has negative values (the clamp of round-off), secondary PM2.5's grid mean. */
#include "disperse/sp_disperse_impl.h"

#include <stdlib.h>
#include <string.h>

sp_status sp_disperse_shard_setup(sp_ctx *ctx, sp_disperse_options *o, sp_disperse_input *in,
                                  int nin, sp_grid *full, bool **nonneg)
{
    const char *no = o->stations ? "-eval" : o->monthly ? "-monthly"
                     : o->joint > 0 ? "-joint" : o->ensemble ? "-ensemble"
                     : o->star_out ? "-star_out" : o->kernel_out ? "-kernel_out" : NULL;
    if (no)
        return sp_error(ctx, SP_ERR_USAGE, "-shard does not combine with %s: run that without "
                                           "-shard", no);
    sp_raster *info = NULL;
    sp_status rc = sp_raster_read_info(ctx, in[0].path, o->bands, o->nbands, &info);
    if (!rc)
        rc = sp_grid_copy(ctx, full, &info->grid);
    int nb = info ? info->nbands : 0;
    sp_raster_free(info);
    if (rc)
        return rc;
    if (o->part.shard.count > full->nrows)
        return sp_error(ctx, SP_ERR_USAGE, "-shard %d/%d: the grid has %d rows, so at most %d "
                        "shards", o->part.shard.index, o->part.shard.count, full->nrows,
                        full->nrows);
    if (!(full->dx > 0) || !(o->rmax >= full->dx))
        return sp_error(ctx, SP_ERR_USAGE, "kernel radius %g m on %g m cells", o->rmax, full->dx);
    int64_t u0, u1;
    sp_shard_units(&o->part.shard, full->nrows, &u0, &u1);
    o->row0 = (int)u0;
    o->row1 = (int)u1;
    o->full_nrows = full->nrows;
    sp_strip_input_rows(full->nrows, sp_kernel_radius(o->rmax, full->dx), o->row0, o->row1,
                        &o->in_row0, &o->in_row1);
    if (!(*nonneg = calloc((size_t)nin * nb + 1, sizeof **nonneg)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int i = 0; i < nin && !rc; i++) {
        rc = sp_raster_nonneg(ctx, in[i].path, o->bands, o->nbands, *nonneg + (size_t)i * nb);
        in[i].nonneg = *nonneg + (size_t)i * nb;
    }
    return rc;
}

sp_status sp_disperse_write_part(sp_ctx *ctx, const char *dst, const sp_disperse_options *o,
                                 const sp_raster *out, const sp_grid *full,
                                 const sp_raster_write_options *wo)
{
    const char *inputs[40];
    int n = 0;
    for (int i = 0; i < o->nbase; i++)
        inputs[n++] = o->base[i].path;
    for (int i = 0; i < o->nscen; i++)
        inputs[n++] = o->scen[i].path;
    const char *more[] = {o->met, o->star, o->classes, o->profiles};
    for (int i = 0; i < 4; i++)
        if (more[i])
            inputs[n++] = more[i];
    inputs[n] = NULL;
    sp_part_info pi = {.run = &o->part, .inputs = inputs, .full = full, .row0 = o->row0,
                       .unit0 = o->row0, .unit1 = o->row1, .nunits = full->nrows,
                       .unit_rows = 1, .wo = wo};
    return sp_part_write(ctx, out, dst, &pi);
}

sp_status sp_disperse_convolver(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                                const sp_kernel *k, sp_convolver **cv)
{
    sp_status rc = sp_convolver_new(ctx, o->row1 ? o->full_nrows : g->nrows, g->ncols, k,
                                    o->threads, cv);
    if (!rc && o->row1) {
        sp_convolver_rows(*cv, o->row0, o->row1);
        sp_convolver_window(*cv, o->in_row0, o->in_row1, o->row0);
    }
    return rc;
}
