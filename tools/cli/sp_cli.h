/* sp_cli: what every sp-* tool shares: common flags (-q, --help, --version, --config,
 * -max_mem), number parsing, GDAL-style terminal progress, and error printing with the
 * exit codes 0 (ok), 1 (failure), 2 (usage). For tools only: it prints to stderr. */
#ifndef SP_CLI_H
#define SP_CLI_H

#include "core/sp_ctx.h"
#include "io/sp_ctx_io.h"
#include "io/sp_part.h"
#include "io/sp_vector.h"
#include <stdint.h>
#include <stdio.h>

/* A vector input of a tool, which the shared input flags (-l, -where, -sql, -dialect,
 * -s_srs, -s_coord, -enc, -oo, -makevalid) fill. A tool reading several names them
 * ("zones", "inventory"; "catering", "road"...): -enc catering=GBK sets one, -enc GBK
 * every input; -l, -where, -sql and -dialect need the name when the run reads more
 * than one input. */
typedef struct {
    const char *name;
    sp_vector_options *vo;
    const char *const *src; /* the run reads this input when *src != NULL (NULL: always) */
    const char *named;      /* the first flag given with this input's name (parser's) */
} sp_cli_input;
enum { SP_CLI_MAX_INPUTS = 8 };

typedef struct {
    const char *tool;  /* "sp-grid" */
    bool quiet;
    int64_t max_mem;   /* bytes; default 4 GiB */
    int progress_step; /* last progress step printed (-1: none yet) */
    char ***kept;      /* string lists the parser allocated, freed by sp_cli_free */
    int nkept;
    sp_cli_input inputs[SP_CLI_MAX_INPUTS];
    int ninputs;
    /* -l/-where/-sql/-dialect given without an input name, resolved by sp_cli_parse */
    struct {
        int flag;
        const char *value;
    } pending[16];
    int npending;
} sp_cli;

/* Sets up c for tool ("sp-grid") and installs the handlers that remove temporary
 * outputs on SIGINT/SIGTERM/SIGHUP/SIGQUIT. */
void sp_cli_init(sp_cli *c, const char *tool);

/* ---- flag tables -------------------------------------------------------------------
 * A tool declares its flags in one table; sp_cli_parse reads argv with it and --help
 * prints it. Each entry stores into dst (a pointer of the kind's type) or calls fn. */
typedef enum {
    SP_OPT_SECTION, /* a heading in --help ("Grid:"), not a flag */
    SP_OPT_SWITCH,  /* bool *dst = true */
    SP_OPT_STR,     /* const char **dst = the value (borrowed from argv) */
    SP_OPT_STRS,    /* char ***dst: each use appends (repeatable: -co A=1 -co B=2) */
    SP_OPT_LIST,    /* char ***dst: "a,b,c" split; the last use wins */
    SP_OPT_DOUBLE,  /* double *dst, one per value ("XRES YRES": dst[0], dst[1]) */
    SP_OPT_INT,     /* int *dst, likewise */
    SP_OPT_CALL,    /* fn(c, opt, values, user) */
} sp_opt_kind;
typedef struct sp_opt sp_opt;
/* Returns 0, or 2 after printing a usage error (sp_cli_usage). */
typedef int (*sp_opt_fn)(sp_cli *c, const sp_opt *o, char **v, void *user);
struct sp_opt {
    sp_opt_kind kind;
    const char *name;  /* "-tr"; aliases separated by '|': "-of|-f" */
    const char *args;  /* value names, their count is the number of values ("XRES YRES");
                        * NULL for a switch */
    void *dst;
    const char *help;  /* lines separated by '\n' */
    double min, max;   /* DOUBLE/INT: the allowed range when min < max */
    sp_opt_fn fn;      /* CALL */
    void *user;        /* CALL */
    bool *seen;        /* optional: set when the flag is given */
};
#define SP_SECTION(title) {.kind = SP_OPT_SECTION, .help = (title)}
/* SP_OPT(kind, name, args, dst, help[, .min = 1, .max = 64, .seen = &b, .fn = f ...]) */
#define SP_OPT(k, n, a, d, h, ...)                                                     \
    {.kind = (k), .name = (n), .args = (a), .dst = (d), .help = (h), __VA_ARGS__}

typedef struct {
    const char *synopsis;  /* after the tool's name: "[options] SRC DST.tif" */
    const char *about;     /* what it does (paragraphs) */
    const char *examples;  /* command lines, one per line (at least two) */
    const char *notes;     /* after the flags, before the exit codes; may be NULL */
    int npos_min, npos_max;
    const char *pos_error; /* usage error when fewer than npos_min: "need SRC and DST" */
} sp_tool_desc;

/* Parses argv with the table opts[0..n-1] plus the common flags (-q, --help, --version,
 * --config, -max_mem) and the inputs' flags (when the tool registered inputs). Fills
 * pos[0..npos_max-1] (NULL where absent). Returns 0, 2 after a usage error, or 3 after
 * --help/--version was printed (the tool then exits 0). */
int sp_cli_parse(sp_cli *c, const sp_tool_desc *t, const sp_opt *opts, int n, int argc,
                 char **argv, const char **pos);
/* The generated --help: usage line, about, the table's flags by section, the input
 * flags, the common flags, examples, notes, exit codes. */
void sp_cli_help(const sp_cli *c, const sp_tool_desc *t, const sp_opt *opts, int n, FILE *fp);
/* Registers a vector input (before sp_cli_parse): its flags fill vo; the run reads it
 * when *src is set after parsing (src NULL: always). Both are borrowed. */
void sp_cli_add_input(sp_cli *c, const char *name, sp_vector_options *vo,
                      const char *const *src);
/* Keeps list (a CSL) until sp_cli_free; returns it. */
char **sp_cli_keep(sp_cli *c, char **list);

/* Handles a common flag at argv[*i] (-q, --version, --config, -max_mem; --help is
 * sp_cli_parse's). Returns 1 if consumed (and advances *i past its values), 0 if not a
 * common flag, 3 when --version was printed (exit 0), or 2 after printing a usage error
 * (exit 2). */
int sp_cli_common(sp_cli *c, int argc, char **argv, int *i);

/* GDAL's output flags (sp_dest) into w, an sp_dest_options: -lco, -dsco, -nln,
 * -overwrite, -append (five table entries). */
#define SP_DEST_OPTS(w)                                                                 \
    SP_OPT(SP_OPT_STRS, "-lco", "NAME=VALUE", &(w).lco,                                 \
           "layer creation option (GDAL's, per driver; CSV tables:\n"                   \
           "WRITE_BOM=YES for Excel: docs/conventions.md)"),                                     \
    SP_OPT(SP_OPT_STRS, "-dsco", "NAME=VALUE", &(w).dsco, "dataset creation option"),  \
    SP_OPT(SP_OPT_STR, "-nln", "NAME", &(w).nln, "the output layer's (table's) name"), \
    SP_OPT(SP_OPT_SWITCH, "-overwrite", NULL, &(w).overwrite,                           \
           "replace an existing database table (in one transaction)"),                \
    SP_OPT(SP_OPT_SWITCH, "-append", NULL, &(w).append,                                 \
           "add rows to an existing database table (same fields)")

/* The output flags of the tools whose outputs are tables (sp_table_write_with): -of and
 * SP_DEST_OPTS into opts.format and opts.write. */
#define SP_TABLE_OUTPUT_OPTS(opts)                                                     \
    SP_OPT(SP_OPT_STR, "-of", "FORMAT", &(opts).format,                                  \
           "CSV, GPKG, GeoJSON, \"ESRI Shapefile\" or PostgreSQL\n"                   \
           "(default: by the extension: .csv .gpkg .geojson .shp, or PG:)"),          \
    SP_DEST_OPTS((opts).write)

/* -shard I/N into an sp_part_run (a table entry): the run does shard I's part of N
 * (0-based; Slurm: -shard $SLURM_ARRAY_TASK_ID/N with N written in the script, not
 * $SLURM_ARRAY_TASK_COUNT, which is 1 when a lost shard is re-run alone with --array=I),
 * written with a sidecar for sp-merge. The tool then sets the run's options with
 * sp_cli_run_args. */
int sp_cli_shard(sp_cli *c, const sp_opt *o, char **v, void *user);
#define SP_SHARD_OPT(part)                                                              \
    SP_OPT(SP_OPT_CALL, "-shard", "I/N", NULL,                                          \
           "compute shard I of N only (0-based; fixed units: row strips\n"            \
           "of the one grid, runs of tiles): DST is then a part (.tif;\n"             \
           "sp-tiles: .sqlite; sp-zonal: .zonal) with a sidecar DST.json;\n"          \
           "sp-merge joins the N parts into this run's very bytes\n"                  \
           "(docs/cluster.md)",                                                         \
           .fn = sp_cli_shard, .user = &(part))
/* The run's options for a part's sidecar, into run->args (one string) and run->argv (the
 * words): argv without -shard, -from_parts and their values, -q, and the destination dst
 * (a pointer into argv). Kept until sp_cli_free. */
void sp_cli_run_args(sp_cli *c, int argc, char **argv, const char *dst, sp_part_run *run);

/* Frees what the sp_cli collected (the lists the parser kept). */
void sp_cli_free(sp_cli *c);

/* Checks that argv[*i] has n values after it; prints a usage error otherwise. */
bool sp_cli_has(sp_cli *c, int argc, char **argv, int i, int n);

/* Prints "tool: error: ..." and a hint to --help; returns 2. */
int sp_cli_usage(sp_cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the context's error and warnings; returns 2 for usage errors, else 1. */
int sp_cli_fail(sp_cli *c, sp_ctx *ctx);
/* Prints the context's warnings ("tool: warning: ..."). */
void sp_cli_warnings(sp_cli *c, sp_ctx *ctx);

/* Parses a whole string as a finite double / int; false otherwise. */
bool sp_cli_double(const char *s, double *out);
bool sp_cli_int(const char *s, int *out);
/* Parses a size such as 512M, 4G or 100000000 (bytes). */
bool sp_cli_size(const char *s, int64_t *out);
/* Splits "a,b,c" into a NULL-terminated array (free with sp_cli_free_list). */
char **sp_cli_split(const char *s);
void sp_cli_free_list(char **list);
int sp_cli_list_len(char **list);

/* Progress callback printing GDAL's "0...10...20...100 - done." on stderr; user is
 * the sp_cli (quiet silences it). */
bool sp_cli_progress(double frac, const char *msg, void *user);

#endif
