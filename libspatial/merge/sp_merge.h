/* sp_merge: joins the parts of a sharded raster run (-shard I/N of sp-grid, sp-disperse)
 * into exactly the bytes the single run writes, after checking that the parts belong to
 * one run (tool, options, inputs' hashes, grid, output options), that every shard is
 * there once, and that each part holds what its shard computed. */
#ifndef SP_MERGE_H
#define SP_MERGE_H

#include "core/sp_grid.h"

typedef struct {
    sp_progress_fn progress;
    void *progress_user;
} sp_merge_options;

/* Sets every option to its default (no progress). */
void sp_merge_options_init(sp_merge_options *o);

typedef struct {
    char *tool;       /* the tool that made the parts (owned) */
    int count;        /* the run's N */
    int nbands;
    sp_grid grid;     /* the whole grid (WKT owned) */
    char **names;     /* band names (owned, NULL-terminated) */
    double *merged;   /* per band: the merged raster's sum */
    double *input;    /* per band: the run's input total, NULL when the run has none */
} sp_merge_report;

/* Frees what the report owns and zeroes it; accepts NULL. */
void sp_merge_report_free(sp_merge_report *r);

/* Merges parts[0..nparts-1] (in any order) into dst atomically. Refuses, naming the part
 * and the field: a part of another run; a shard missing (with the sbatch --array= line
 * that re-runs just those) or given twice; a part whose pixels are not what its shard
 * wrote; a grid over max_mem bytes. On failure dst is untouched. */
sp_status sp_merge_file(sp_ctx *ctx, const char *const *parts, int nparts, const char *dst,
                        const sp_merge_options *o, int64_t max_mem, sp_merge_report *rep);

#endif
