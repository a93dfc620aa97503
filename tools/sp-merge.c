/* sp-merge: joins the parts of a sharded run (-shard I/N) into the single run's bytes.
 * Its flag table, one call (sp_merge_file), the balance printed. */
#include "cli/sp_cli.h"
#include "merge/sp_merge.h"

#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const sp_tool_desc TOOL = {
    .synopsis = "[options] DST PART.tif...\n"
                "       sp-merge [options] DST PART.sqlite...\n"
                "       sp-merge [options] DST PART.zonal...",
    .about =
        "Joins the parts that the shards of one run wrote (sp-grid or sp-disperse with\n"
        "-shard I/N, each part a GeoTIFF of its row strip with a sidecar PART.tif.json) into\n"
        "DST: exactly the bytes the run writes without -shard, in the run's own format and\n"
        "options. It checks first that the parts are of one run (the same tool, options,\n"
        "inputs' sizes and hashes, grid and output options), that every shard is there once\n"
        "(the missing ones are named with the sbatch --array= line that re-runs them) and\n"
        "that each part's pixels are what its shard wrote. Parts may come in any order.\n"
        "The parts of sp-tiles -shard (PART.sqlite) and sp-zonal -shard (PART.zonal) are\n"
        "merged by running that tool again with the run's options and -from_parts: the\n"
        "tile set (its TileJSON, WMTS, legend, page) or the table is one run's.\n",
    .notes =
        "Memory: the merged grid is held whole (8 bytes per cell per band). The parts\n"
        "are only read: remove them after a successful merge if they are not needed.\n"
        "Running on a cluster: docs/cluster.md.\n",
    .examples =
        "sp-merge nox.tif part_*.tif\n"
        "sp-merge nox.pmtiles tiles_*.sqlite\n"
        "sbatch --dependency=afterok:$GRID_JOB --wrap 'sp-merge emis.tif parts/emis_*.tif'",
    .npos_min = 2,
    .npos_max = 2,
    .pos_error = "need DST and at least one PART",
};

/* Parts of sp-tiles or sp-zonal: that tool (beside this program) with the run's options,
 * -from_parts and DST; it checks the parts itself. Returns only on failure. */
static int merge_rerun(sp_cli *cli, const char *tool, const char **pos, int nparts)
{
    sp_ctx *ctx = sp_ctx_new();
    sp_part_units t = {0};
    const char *format = strcmp(tool, "sp-tiles") ? SP_PART_ZONAL : SP_PART_TILES;
    if (!ctx || sp_part_read_units(ctx, pos[1], format, &t)) {
        int rc = ctx ? sp_cli_fail(cli, ctx) : 1;
        sp_ctx_free(ctx);
        return rc;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 16);
    char *slash = n > 0 ? (self[n] = 0, strrchr(self, '/')) : NULL;
    if (!slash) {
        fprintf(stderr, "sp-merge: error: cannot find %s beside sp-merge\n", tool);
        return 1;
    }
    strcpy(slash + 1, tool);
    char **av = CSLAddString(NULL, tool);
    if (cli->quiet)
        av = CSLAddString(av, "-q");
    for (char **a = t.argv; a && *a; a++)
        av = CSLAddString(av, *a);
    for (int k = 0; k < nparts; k++) {
        av = CSLAddString(av, "-from_parts");
        av = CSLAddString(av, pos[1 + k]);
    }
    av = CSLAddString(av, pos[0]);
    fflush(NULL);
    execv(self, av);
    fprintf(stderr, "sp-merge: error: cannot run '%s'\n", self);
    CSLDestroy(av);
    sp_part_units_free(&t);
    sp_ctx_free(ctx);
    return 1;
}

static void print_report(const sp_merge_report *rep, int nparts)
{
    const sp_grid *g = &rep->grid;
    printf("merged: %d part(s) of %s -shard I/%d\n", nparts, rep->tool, rep->count);
    printf("grid: %d x %d cells of %g x %g, extent %.17g %.17g %.17g %.17g\n", g->ncols,
           g->nrows, g->dx, g->dy, g->xmin, g->ymin, g->xmax, g->ymax);
    if (rep->input)
        printf("%-16s %22s %22s %22s\n", "band", "input", "gridded", "outside");
    else
        printf("%-16s %22s\n", "band", "sum");
    for (int b = 0; b < rep->nbands; b++) {
        if (rep->input)
            printf("%-16s %22.10f %22.10f %22.10f\n", rep->names[b], rep->input[b],
                   rep->merged[b], rep->input[b] - rep->merged[b]);
        else
            printf("%-16s %22.10f\n", rep->names[b], rep->merged[b]);
    }
}

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-merge");
    const sp_opt opts[] = {SP_SECTION("Output:")};
    sp_tool_desc desc = TOOL;
    desc.npos_max = argc > 2 ? argc : 2;
    const char **pos = calloc((size_t)desc.npos_max, sizeof *pos);
    if (!pos)
        return 1;
    int rc = sp_cli_parse(&cli, &desc, opts, 1, argc, argv, pos);
    if (rc) {
        free(pos);
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    int nparts = 0;
    while (pos[1 + nparts])
        nparts++;
    const char *tool = sp_part_rerun_tool(pos[1]);
    if (tool) {
        rc = merge_rerun(&cli, tool, pos, nparts);
        free(pos);
        sp_cli_free(&cli);
        return rc;
    }
    sp_merge_options mo;
    sp_merge_options_init(&mo);
    mo.progress = sp_cli_progress;
    mo.progress_user = &cli;
    sp_ctx *ctx = sp_ctx_new();
    sp_merge_report rep = {0};
    if (!ctx || sp_merge_file(ctx, pos + 1, nparts, pos[0], &mo, cli.max_mem, &rep)) {
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    } else {
        sp_cli_warnings(&cli, ctx);
        if (!cli.quiet)
            print_report(&rep, nparts);
    }
    sp_merge_report_free(&rep);
    sp_ctx_free(ctx);
    sp_cli_free(&cli);
    free(pos);
    return rc;
}
