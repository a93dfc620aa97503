/* sp_zonal_shard_io: sp-zonal -shard I/N and its merge. A shard runs every pass of the
 * run (each raster, the weighted means' rasters) over its strips only and writes each
 * pass's (zone, strip) accumulators, strip totals and value pairs to its part; the merge
 * (sp-zonal -from_parts, which sp-merge runs) reads them back into the same arrays in
 * strip order, so the statistics and the table are the single run's, to the bit. The
 * parts are in this machine's byte order: merge where the shards ran (any x86-64). */
#include "zonal/sp_zonal_impl.h"
#include "io/sp_output.h"

#include <cpl_string.h>
#include <stdlib.h>
#include <string.h>

bool sp_zonal_shard_write(sp_zonal_shard *sh, const void *p, size_t n)
{
    sh->sum = sp_part_sum(sh->sum, p, n);
    return fwrite(p, 1, n, sh->out) == n;
}

bool sp_zonal_shard_read(sp_zonal_shard *sh, int k, void *p, size_t n)
{
    return fread(p, 1, n, sh->in[k]) == n;
}

static sp_status shard_begin(sp_ctx *ctx, const sp_zonal_options *o, const char *path,
                             sp_zonal_shard *sh)
{
    memset(sh, 0, sizeof *sh);
    sh->writing = true;
    sh->me = o->part.shard;
    sh->sum = SP_PART_SUM_INIT;
    if (!(sh->out = fopen(path, "wb")))
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s'", path);
    return SP_OK;
}

/* A part's sidecar against this run: the tool, the options, the inputs, the file. */
static sp_status check_part(sp_ctx *ctx, const sp_zonal_options *o, const char *inputs,
                            const sp_part_units *t)
{
    int64_t size;
    uint64_t sum;
    const char *what = sp_part_units_differ(t, "sp-zonal", o->part.args, inputs);
    if (what)
        return sp_error(ctx, SP_ERR_USAGE, "'%s' is not a part of this run: %s differ",
                        t->path, what);
    if (!sp_part_hash_file(t->path, &size, &sum))
        return sp_error(ctx, SP_ERR_IO, "cannot read '%s'", t->path);
    if (sum != t->sum)
        return sp_error(ctx, SP_ERR_DATA, "'%s': its sums are not what shard %d/%d wrote "
                        "(changed or damaged since): re-run it", t->path, t->shard.index,
                        t->shard.count);
    return SP_OK;
}

static sp_status open_parts(sp_ctx *ctx, const sp_zonal_options *o, const char *const *inputs,
                            sp_zonal_shard *sh)
{
    memset(sh, 0, sizeof *sh);
    int n = CSLCount(o->from_parts);
    sp_part_units *t = calloc((size_t)n + 1, sizeof *t);
    char *in = sp_part_inputs_string(inputs);
    sh->in = calloc((size_t)n + 1, sizeof *sh->in);
    sh->ids = calloc((size_t)n + 1, sizeof *sh->ids);
    sh->paths = calloc((size_t)n + 1, sizeof *sh->paths);
    sp_status rc = !t || !in || !sh->in || !sh->ids || !sh->paths
                       ? sp_error(ctx, SP_ERR_NOMEM, "out of memory")
                   : n ? SP_OK : sp_error(ctx, SP_ERR_USAGE, "no parts to merge");
    for (int k = 0; k < n && !rc; k++)
        if (!(rc = sp_part_read_units(ctx, o->from_parts[k], SP_PART_ZONAL, &t[k])))
            rc = check_part(ctx, o, in, &t[k]);
    if (!rc)
        rc = sp_part_units_order(ctx, t, n);
    for (int k = 0; k < n && !rc; k++) {
        sh->ids[k] = t[k].shard;
        if (!(sh->paths[k] = strdup(t[k].path)))
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    sh->n = rc ? 0 : n;
    for (int k = 0; k < n && !rc; k++)
        if (!(sh->in[k] = fopen(sh->paths[k], "rb")))
            rc = sp_error(ctx, SP_ERR_IO, "cannot read '%s'", sh->paths[k]);
    for (int k = 0; k < n; k++)
        sp_part_units_free(&t[k]);
    free(t);
    free(in);
    return rc;
}

static sp_status shard_end(sp_ctx *ctx, sp_zonal_shard *sh, bool check)
{
    sp_status rc = SP_OK;
    if (sh->out && fclose(sh->out) && check)
        rc = sp_error(ctx, SP_ERR_IO, "cannot write the part: %s", "write error");
    sh->out = NULL;
    for (int k = 0; k < sh->n; k++) {
        if (sh->in[k] && check && !rc && fgetc(sh->in[k]) != EOF)
            rc = sp_error(ctx, SP_ERR_DATA, "'%s' holds more than this run's sums: a part of "
                          "another run", sh->paths[k]);
        if (sh->in[k])
            fclose(sh->in[k]);
        free(sh->paths[k]);
    }
    free(sh->in);
    free(sh->ids);
    free(sh->paths);
    sh->in = NULL;
    sh->ids = NULL;
    sh->paths = NULL;
    sh->n = 0;
    return rc;
}

/* The files the run reads (rasters, weights, zones), NULL-terminated into in (o->nrasters
 * + 3 entries). */
static void inputs_of(const sp_zonal_options *o, const char *zones_path, const char **in)
{
    int n = 0;
    for (int k = 0; k < o->nrasters; k++)
        in[n++] = o->rasters[k].path;
    if (o->weights)
        in[n++] = o->weights;
    in[n++] = zones_path;
    in[n] = NULL;
}

sp_status sp_zonal_shard_setup(sp_ctx *ctx, const sp_zonal_options *o, const char *zones_path,
                               const char *dst, sp_zonal_shard *sh, sp_output *out)
{
    memset(sh, 0, sizeof *sh);
    memset(out, 0, sizeof *out);
    if (!o->part.shard.count && !o->from_parts)
        return SP_OK;
    size_t dl = strlen(dst);
    if (o->part.shard.count && (dl < 6 || strcmp(dst + dl - 6, ".zonal")))
        return sp_error(ctx, SP_ERR_USAGE, "a shard's sums are a part: name it .zonal, not '%s' "
                                           "(sp-merge writes the table)", dst);
    if (o->part.shard.count && o->from_parts)
        return sp_error(ctx, SP_ERR_USAGE, "-shard and -from_parts: give one");
    if (o->inventory || o->points)
        return sp_error(ctx, SP_ERR_USAGE, "-shard and -from_parts are for rasters (not %s)",
                        o->inventory ? "-v" : "-points");
    if (o->from_parts) {
        const char **in = calloc((size_t)o->nrasters + 3, sizeof *in);
        if (!in)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        inputs_of(o, zones_path, in);
        sp_status rc = open_parts(ctx, o, in, sh);
        free(in);
        return rc;
    }
    sp_output_hold(ctx); /* the part and its sidecar together */
    sp_status rc = sp_output_begin(ctx, out, dst);
    return rc ? rc : shard_begin(ctx, o, out->path, sh);
}

sp_status sp_zonal_shard_finish(sp_ctx *ctx, const sp_zonal_options *o, const char *zones_path,
                                const char *dst, sp_zonal_shard *sh, sp_output *out,
                                sp_status rc)
{
    if (!o->part.shard.count && !o->from_parts)
        return rc;
    sp_status end = shard_end(ctx, sh, rc == SP_OK);
    rc = rc ? rc : end;
    if (!o->part.shard.count)
        return rc;
    if (!rc)
        rc = sp_output_commit(ctx, out);
    else if (out->path)
        sp_output_abort(out);
    const char **in = calloc((size_t)o->nrasters + 3, sizeof *in);
    if (!rc && !in)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc) {
        inputs_of(o, zones_path, in);
        sp_part_units t = {.shard = o->part.shard, .sum = sh->sum};
        rc = sp_part_write_units(ctx, dst, SP_PART_ZONAL, &o->part, in, &t);
    }
    free(in);
    sp_status rel = sp_output_release(ctx, rc == SP_OK);
    return rc ? rc : rel;
}
