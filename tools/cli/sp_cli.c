/* sp_cli: argument and message helpers shared by the tools, so that every tool speaks
 * the same way (GDAL's flag names, "tool: error: ..." messages, exit codes 0/1/2). */
#include "sp_cli.h"
#include "io/sp_output.h"

#include <malloc.h>
#include <signal.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ctrl-C, kill and a closed terminal remove the temporary outputs, then end the
 * process as the signal would have (kill -9 cannot be caught: the next run sweeps) */
static void on_signal(int sig)
{
    sp_output_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

void sp_cli_init(sp_cli *c, const char *tool)
{
    /* The tools allocate and free large buffers many times (GDAL's raster blocks, strips,
     * chunks): from the heap, reused, instead of a fresh mmap each time whose pages the
     * kernel faults in and zeroes again (15 % of sp-zonal's time on this machine). The
     * memory is given back when the tool exits. */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[k], &sa, NULL);
    }
    /* a file-size limit (ulimit -f) makes a write fail with EFBIG, reported like a full
     * disk (the file named, temporaries removed, exit 1), instead of SIGXFSZ killing the
     * tool with no word and its temporaries left */
    signal(SIGXFSZ, SIG_IGN);
    c->tool = tool;
    c->quiet = false;
    c->progress_step = -1;
    c->max_mem = (int64_t)4 << 30;
    c->kept = NULL;
    c->nkept = 0;
    c->ninputs = 0;
    c->npending = 0;
}

void sp_cli_free(sp_cli *c)
{
    for (int k = 0; k < c->nkept; k++)
        CSLDestroy(c->kept[k]);
    free(c->kept);
    c->kept = NULL;
    c->nkept = 0;
}

int sp_cli_usage(sp_cli *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: error: ", c->tool);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", c->tool);
    return 2;
}

bool sp_cli_has(sp_cli *c, int argc, char **argv, int i, int n)
{
    if (i + n < argc)
        return true;
    sp_cli_usage(c, "option %s needs %d value%s", argv[i], n, n > 1 ? "s" : "");
    return false;
}

int sp_cli_common(sp_cli *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (!strcmp(a, "-q") || !strcmp(a, "-quiet") || !strcmp(a, "--quiet")) {
        c->quiet = true;
        return 1;
    }
    if (!strcmp(a, "--version")) {
        printf("%s (onemap) %s, GDAL %s\n", c->tool, SP_VERSION, GDALVersionInfo("RELEASE_NAME"));
        return 3;
    }
    if (!strcmp(a, "--config")) {
        if (!sp_cli_has(c, argc, argv, *i, 2))
            return 2;
        CPLSetConfigOption(argv[*i + 1], argv[*i + 2]);
        *i += 2;
        return 1;
    }
    if (!strcmp(a, "-max_mem")) {
        if (!sp_cli_has(c, argc, argv, *i, 1))
            return 2;
        if (!sp_cli_size(argv[*i + 1], &c->max_mem) || c->max_mem <= 0)
            return sp_cli_usage(c, "-max_mem: '%s' is not a size (e.g. 512M, 8G)", argv[*i + 1]);
        *i += 1;
        return 1;
    }
    return 0;
}

void sp_cli_warnings(sp_cli *c, sp_ctx *ctx)
{
    for (size_t i = 0; i < sp_ctx_warning_count(ctx); i++)
        fprintf(stderr, "%s: warning: %s\n", c->tool, sp_ctx_warning(ctx, i));
}

int sp_cli_fail(sp_cli *c, sp_ctx *ctx)
{
    sp_cli_warnings(c, ctx);
    fprintf(stderr, "%s: error: %s\n", c->tool, sp_ctx_message(ctx));
    return sp_ctx_status(ctx) == SP_ERR_USAGE ? 2 : 1;
}

bool sp_cli_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(x))
        return false;
    *out = x;
    return true;
}

bool sp_cli_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end || errno || x < -2147483647L || x > 2147483647L)
        return false;
    *out = (int)x;
    return true;
}

bool sp_cli_size(const char *s, int64_t *out)
{
    char *end;
    double x = strtod(s, &end);
    if (end == s || !(x >= 0))
        return false;
    double m = 1;
    if (*end == 'k' || *end == 'K')
        m = 1024.0;
    else if (*end == 'm' || *end == 'M')
        m = 1024.0 * 1024;
    else if (*end == 'g' || *end == 'G')
        m = 1024.0 * 1024 * 1024;
    else if (*end == 't' || *end == 'T')
        m = 1024.0 * 1024 * 1024 * 1024;
    else if (*end)
        return false;
    if (*end && end[1] && strcmp(end + 1, "B") && strcmp(end + 1, "iB"))
        return false;
    *out = (int64_t)(x * m);
    return true;
}

char **sp_cli_split(const char *s)
{
    return CSLTokenizeString2(s, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES);
}

void sp_cli_free_list(char **list) { CSLDestroy(list); }
int sp_cli_list_len(char **list) { return CSLCount(list); }

/* GDAL's "0...10...20..." format, but on stderr (GDALTermProgress writes to stdout,
 * which carries data here). The last printed step is kept in the sp_cli. */
bool sp_cli_progress(double frac, const char *msg, void *user)
{
    sp_cli *c = user;
    (void)msg;
    if (!c || c->quiet)
        return true;
    int step = (int)(frac * 40.0 + 1e-9); /* 2.5 % steps: dots, every 4th a number */
    if (step > 40)
        step = 40;
    for (int s = c->progress_step + 1; s <= step; s++) {
        if (s % 4 == 0)
            fprintf(stderr, "%d", s / 4 * 10);
        else
            fputc('.', stderr);
    }
    if (step > c->progress_step && step == 40)
        fputs(" - done.\n", stderr);
    if (step > c->progress_step)
        c->progress_step = step;
    fflush(stderr);
    return true;
}
