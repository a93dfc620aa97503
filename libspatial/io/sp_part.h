/* sp_part: one shard's part of a sharded raster run (-shard I/N) and its sidecar, and
 * reading them back for sp-merge. A part is a Float64 GeoTIFF of the rows the shard
 * computed (georeferenced: it opens on its own); the sidecar PART.json says which run
 * it belongs to (tool, options, inputs' hashes, the whole grid, how the merged raster is
 * written) and what it holds (rows, band sums, its own hash). Part and sidecar are
 * committed together or not at all. */
#ifndef SP_PART_H
#define SP_PART_H

#include "core/sp_shard.h"
#include "io/sp_raster.h"

/* The sidecar of part P is P followed by this suffix. */
#define SP_PART_SIDECAR ".json"

/* Who made a part: set by the tool (its name and options), used by the operations. */
typedef struct {
    sp_shard shard;    /* count 0: not sharded */
    const char *tool;  /* "sp-grid" (borrowed) */
    const char *args;  /* the run's options without -shard, -q and the destination;
                          equal across the shards of one run (borrowed) */
    const char *const *argv; /* the same as words, NULL-terminated (borrowed; may be NULL):
                                sp-merge runs the tool again with them (sp-tiles) */
} sp_part_run;

/* What a part's writer knows beyond its rows. */
typedef struct {
    const sp_part_run *run;
    const char *const *inputs; /* input paths, NULL-terminated (regular files are hashed:
                                  size and sp_part_sum of the bytes; a .shp with its .dbf) */
    const sp_grid *full;       /* the whole grid */
    int row0;                  /* the part's first row in the whole grid */
    int64_t unit0, unit1, nunits; /* the units of work held (sp_shard_units) */
    int unit_rows;             /* rows per unit (the last unit may be shorter) */
    const sp_raster_write_options *wo; /* how the merged raster is to be written */
    const double *input;       /* per band: the run's input total, or NULL */
} sp_part_info;

/* Refuses a part's name that does not end in .tif (before any work is done). */
sp_status sp_part_check_dst(sp_ctx *ctx, const char *dst);

/* Writes r (rows row0.. of the whole grid) to dst and its sidecar, both atomically
 * (sp_output_hold). dst must end in .tif. */
sp_status sp_part_write(sp_ctx *ctx, const sp_raster *r, const char *dst, const sp_part_info *pi);

/* A sidecar read back (sp_part_read); every string and array owned. */
typedef struct {
    char *path;          /* the part's path */
    char *tool, *args;
    sp_shard shard;
    char *inputs;        /* the inputs' names and hashes, as one string to compare */
    sp_grid full;        /* the whole grid (WKT owned) */
    int row0, nrows;     /* rows held */
    int64_t unit0, unit1, nunits;
    int unit_rows;
    char *write;         /* the write options as one string to compare */
    sp_raster_write_options wo; /* pointing into the strings below */
    char *format, *compress;
    char **co, **meta;
    char *unit;
    int nbands;
    char **names;
    double *input;       /* NULL when the run has none */
    double *sum;         /* per band: the part's sum as written */
    bool has_input;
    uint64_t hash;       /* sp_part_sum of the part's band values as its shard computed them */
} sp_part;

/* Reads the sidecar of the part at path (not the pixels). Errors name the file. */
sp_status sp_part_read(sp_ctx *ctx, const char *path, sp_part *p);
/* Frees what p owns; accepts a zeroed p. */
void sp_part_free(sp_part *p);
#define SP_PART_SUM_INIT 1
/* A checksum of contents, running (start with SP_PART_SUM_INIT): CRC-32 (high half) and
 * Adler-32 (low half), libdeflate's. It tells contents apart; it is no defence against
 * forgery. */
uint64_t sp_part_sum(uint64_t s, const void *data, size_t n);
/* Checksums a file (size and sp_part_sum); false when it cannot be read. */
bool sp_part_hash_file(const char *path, int64_t *size, uint64_t *hash);

/* ---- parts of runs whose parts are not rasters (sp-tiles, sp-zonal) ----------------------- */

/* The sidecar formats of such parts: "onemap-tiles-part", "onemap-zonal-part". */
#define SP_PART_TILES "onemap-tiles-part"
#define SP_PART_ZONAL "onemap-zonal-part"

/* What such a part's sidecar says: for tiles, tiles [index0, index1) of total and their
 * counts, the checksum of the tiles (sp_tiles_part_sum in index order); for zonal
 * statistics, the checksum of the part's file (index0.. unused). */
typedef struct {
    char *path;             /* the part (read back: owned) */
    char *tool, *args;      /* (read back: owned) */
    char *inputs;           /* the inputs' names and checksums as one string (owned) */
    char **argv;            /* the run's words (read back: owned, CSL) */
    sp_shard shard;
    long long index0, index1, total, bytes, palette, empty;
    uint64_t sum;
} sp_part_units;

/* The sidecar (format SP_PART_TILES or SP_PART_ZONAL) of a part written beside it (run:
 * tool, options, shard; inputs as for raster parts; t: the figures; t's strings are not
 * read). Atomic. */
sp_status sp_part_write_units(sp_ctx *ctx, const char *part, const char *format,
                              const sp_part_run *run, const char *const *inputs,
                              const sp_part_units *t);
/* Reads the sidecar (of format) of the part at path into t (free: sp_part_units_free). */
sp_status sp_part_read_units(sp_ctx *ctx, const char *path, const char *format,
                             sp_part_units *t);
void sp_part_units_free(sp_part_units *t);
/* The inputs' names and checksums as sidecars hold them (to compare a part's with the
 * inputs now); NULL when out of memory. free() it. */
char *sp_part_inputs_string(const char *const *inputs);
/* The tool that merges the part at path by running again (its sidecar's format is
 * SP_PART_TILES: "sp-tiles", SP_PART_ZONAL: "sp-zonal"); NULL for a raster part or no
 * sidecar. */
const char *sp_part_rerun_tool(const char *path);
/* What differs between part t and this run (tool, options, inputs' checksums as
 * sp_part_inputs_string gives them): "the tool", "the options", ...; NULL when nothing. */
const char *sp_part_units_differ(const sp_part_units *t, const char *tool, const char *args,
                                 const char *inputs);
/* Sorts t[0..n-1] by shard and checks that every shard is there once (as
 * sp_part_check_shards). */
sp_status sp_part_units_order(sp_ctx *ctx, sp_part_units *t, int n);
/* Every shard of shards[0..n-1] (all of one count) given once: a shard twice names both
 * paths; missing shards are named with the sbatch --array= line that re-runs them. */
sp_status sp_part_check_shards(sp_ctx *ctx, const sp_shard *shards, const char *const *paths,
                               int n);

#endif
