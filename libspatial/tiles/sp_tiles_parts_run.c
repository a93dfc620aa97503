/* sp_tiles_parts_run: a tile set made from the parts of a sharded run (sp-tiles
 * -from_parts, which sp-merge runs): each part's tiles handed to the sinks in the sinks'
 * order, so the files are those of one run (the sinks, the side files and their options
 * are the same code with the same options). */
#include "tiles/sp_tiles_impl.h"
#include "tiles/sp_tiles_part.h"

#include <cpl_string.h>
#include <stdlib.h>
#include <string.h>

void sp_tiles_inputs(const sp_tiles_options *o, const char **in)
{
    const char *all[] = {o->raster, o->style, o->outline, o->outline_style, o->fill,
                         o->fill_style};
    int n = 0;
    for (int k = 0; k < 6; k++)
        if (all[k])
            in[n++] = all[k];
    in[n] = NULL;
}

/* The parts' sidecars, read, checked against this run and sorted by shard. */
static sp_status read_parts(sp_ctx *ctx, const sp_tiles_options *o, long long total,
                            sp_part_units *pt, int n)
{
    const char *in[8];
    sp_tiles_inputs(o, in);
    char *inputs = sp_part_inputs_string(in);
    sp_status rc = inputs ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int k = 0; k < n && !rc; k++) {
        if ((rc = sp_part_read_units(ctx, o->from_parts[k], SP_PART_TILES, &pt[k])))
            break;
        const sp_part_units *t = &pt[k];
        const char *what = sp_part_units_differ(t, "sp-tiles", o->part.args, inputs);
        if (!what && t->total != total)
            what = "the number of tiles";
        if (what)
            rc = sp_error(ctx, SP_ERR_USAGE, "'%s' is not a part of this run: %s differ", t->path,
                          what);
    }
    free(inputs);
    if (rc)
        return rc;
    rc = sp_part_units_order(ctx, pt, n);
    for (int k = 0; k < n && !rc; k++) {
        int64_t i0, i1;
        sp_shard_units(&pt[k].shard, total, &i0, &i1);
        if (pt[k].index0 != i0 || pt[k].index1 != i1)
            rc = sp_error(ctx, SP_ERR_DATA, "'%s': shard %d/%d holds tiles %lld-%lld, not its "
                          "own %lld-%lld", pt[k].path, pt[k].shard.index, pt[k].shard.count,
                          pt[k].index0, pt[k].index1, (long long)i0, (long long)i1);
    }
    return rc;
}

/* One part's tiles to the sinks, each the next index; its checksum checked. */
static sp_status feed(sp_ctx *ctx, const sp_tiles_options *o, const sp_part_units *pt,
                      long long total, const sp_tiles_sink_kind *const *kind,
                      sp_tiles_sink *const *sink, int nsinks, long long *next)
{
    sp_tiles_part *p = NULL;
    sp_status rc = sp_tiles_part_open(ctx, pt->path, &p);
    uint64_t sum = SP_PART_SUM_INIT;
    sp_tiles_part_tile t;
    int r = 0;
    while (!rc && (r = sp_tiles_part_next(ctx, p, &t)) > 0) {
        if (t.index != *next) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s': tile %lld where %lld was due: re-run its "
                          "shard", pt->path, t.index, *next);
            break;
        }
        sum = sp_tiles_part_sum(sum, &t);
        for (int k = 0; k < nsinks && !rc; k++)
            rc = kind[k]->put(ctx, sink[k], t.index, t.z, t.x, t.y, t.data, t.size);
        ++*next;
        if (!rc && o->progress && (*next % 4096 == 0) &&
            !o->progress((double)*next / total, NULL, o->progress_user))
            rc = sp_error(ctx, SP_ERR_CANCEL, "cancelled");
    }
    if (!rc && r < 0)
        rc = sp_ctx_status(ctx);
    if (!rc && (*next != pt->index1 || sum != pt->sum))
        rc = sp_error(ctx, SP_ERR_DATA, "'%s': its tiles are not what shard %d/%d wrote "
                      "(changed or damaged since): re-run it", pt->path, pt->shard.index,
                      pt->shard.count);
    sp_tiles_part_close(p);
    return rc;
}

sp_status sp_tiles_feed_parts(sp_ctx *ctx, const sp_tiles_options *o, long long total,
                              const sp_tiles_sink_kind *const *kind, sp_tiles_sink *const *sink,
                              int nsinks, sp_tiles_report *rep)
{
    int n = CSLCount(o->from_parts);
    sp_part_units *pt = calloc((size_t)n + 1, sizeof *pt);
    if (!pt)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = n ? read_parts(ctx, o, total, pt, n)
                     : sp_error(ctx, SP_ERR_USAGE, "no parts to merge");
    long long next = 0;
    for (int k = 0; k < n && !rc; k++) {
        rc = feed(ctx, o, &pt[k], total, kind, sink, nsinks, &next);
        rep->bytes += pt[k].bytes;
        rep->palette += pt[k].palette;
        rep->empty += pt[k].empty;
    }
    if (!rc && next != total)
        rc = sp_error(ctx, SP_ERR_INTERNAL, "%lld of %lld tiles in the parts", next, total);
    rep->written = total - (o->skip_empty ? rep->empty : 0);
    for (int k = 0; k < n; k++)
        sp_part_units_free(&pt[k]);
    free(pt);
    return rc;
}
