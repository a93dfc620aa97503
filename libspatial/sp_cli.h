/* sp_cli: what every sp-* tool shares: common flags (-q, --help, --version, --config,
 * -max_mem), number parsing, GDAL-style terminal progress, and error printing with the
 * exit codes 0 (ok), 1 (failure), 2 (usage). For tools only: it prints to stderr. */
#ifndef SP_CLI_H
#define SP_CLI_H

#include "sp_ctx.h"
#include "sp_vector.h"
#include <stdint.h>

typedef struct {
    const char *tool;  /* "sp-grid" */
    const char *usage; /* full --help text */
    bool quiet;
    int64_t max_mem;   /* bytes; default 4 GiB */
    int progress_step; /* last progress step printed (-1: none yet) */
    char **layers;     /* -l values collected by sp_cli_vector_option (owned) */
} sp_cli;

void sp_cli_init(sp_cli *c, const char *tool, const char *usage);

/* Handles a common flag at argv[*i]. Returns 1 if consumed (and advances *i past its
 * values), 0 if not a common flag, 3 when --help/--version was printed (exit 0), or 2
 * after printing a usage error (exit 2). */
int sp_cli_common(sp_cli *c, int argc, char **argv, int *i);

/* Frees what the sp_cli collected (the -l list). */
void sp_cli_free(sp_cli *c);

/* Handles the vector-input flags every tool that reads vectors shares: -t_srs, -s_srs,
 * -s_coord, -l (repeatable), -where, -sql, -enc, filling vo (whose string pointers then
 * borrow argv and c->layers). Same return codes as sp_cli_common. */
int sp_cli_vector_option(sp_cli *c, int argc, char **argv, int *i, sp_vector_options *vo);

/* An argument no option branch of the tool took: "-x" is an unknown option, anything
 * else (including "-") goes into the first empty slot of args[0..n-1]. Returns 0, or 2
 * after printing "unknown option" or "too many arguments". */
int sp_cli_positional(sp_cli *c, const char *arg, const char **args, int n);

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
