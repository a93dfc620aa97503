/* sp_ctx: error state, warnings, the run's inputs, and opaque slots for the handles
 * of the libraries io/ attaches (io/sp_ctx_io.c: GDAL's error handler, GEOS, PROJ).
 * libc only, so that core/ and its tests link nothing else. */
#include "core/sp_ctx.h"

#include "core/sp_secret.h"
#include "core/sp_utf8.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#define MSG_MAX 2048
#define WARN_MAX 64
/* a message longer than this is cut (a corrupt file can make GDAL quote kilobytes) */
#define MSG_LEN 1000

struct sp_ctx {
    sp_status status;
    char msg[MSG_MAX];
    char gdal_msg[MSG_MAX]; /* last GDAL error/warning text captured */
    char *warnings[WARN_MAX];
    size_t nwarn;
    size_t nwarn_dropped;
    void *geos, *proj; /* GEOSContextHandle_t, PJ_CONTEXT *: io's (sp_ctx_set_libs) */
    void (*libs_release)(sp_ctx *ctx);
    struct input { dev_t dev; ino_t ino; char *real; } *inputs;
    size_t ninputs, cap_inputs;
    char out_dir[1024]; /* where outputs are written (to name a full disk) */
    void *pending;
    void (*release)(void *);
};

sp_ctx *sp_ctx_new_core(void)
{
    return calloc(1, sizeof(sp_ctx));
}

void sp_ctx_free(sp_ctx *ctx)
{
    if (!ctx)
        return;
    if (ctx->libs_release)
        ctx->libs_release(ctx);
    if (ctx->pending && ctx->release)
        ctx->release(ctx->pending);
    for (size_t i = 0; i < ctx->nwarn; i++)
        free(ctx->warnings[i]);
    for (size_t i = 0; i < ctx->ninputs; i++)
        free(ctx->inputs[i].real);
    free(ctx->inputs);
    free(ctx);
}

void sp_ctx_set_libs(sp_ctx *ctx, void *geos, void *proj, void (*release)(sp_ctx *ctx))
{
    ctx->geos = geos;
    ctx->proj = proj;
    ctx->libs_release = release;
}

void sp_ctx_set_lib_message(sp_ctx *ctx, const char *text)
{
    snprintf(ctx->gdal_msg, sizeof ctx->gdal_msg, "%s", text ? text : "");
}

static sp_status verror(sp_ctx *ctx, sp_status st, bool gdal, const char *fmt, va_list ap)
{
    if (!ctx)
        return st;
    ctx->status = st;
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    if (gdal && ctx->gdal_msg[0]) {
        size_t n = strlen(ctx->msg);
        snprintf(ctx->msg + n, sizeof ctx->msg - n, ": %s", ctx->gdal_msg);
    }
    ctx->gdal_msg[0] = '\0';
    sp_secret_mask(ctx->msg, sizeof ctx->msg); /* a dataset name's password */
    sp_utf8_sanitize(ctx->msg, MSG_LEN);
    struct statvfs fs;
    /* GDAL and SQLite often report a full disk as something else ("no such table",
     * "TIFFRewriteDirectory"): say what happened */
    /* under a file-size limit (ulimit -f) a library may only say "disk I/O error" */
    struct rlimit fl;
    if (st == SP_ERR_IO && !strstr(ctx->msg, "File too large") &&
        getrlimit(RLIMIT_FSIZE, &fl) == 0 && fl.rlim_cur != RLIM_INFINITY) {
        size_t n = strlen(ctx->msg);
        snprintf(ctx->msg + n, sizeof ctx->msg - n, " (a file-size limit is in force: ulimit -f, "
                 "%llu bytes)", (unsigned long long)fl.rlim_cur);
    }
    if (st == SP_ERR_IO && ctx->out_dir[0] && statvfs(ctx->out_dir, &fs) == 0 &&
        (double)fs.f_bavail * fs.f_frsize < 1048576.0) {
        size_t n = strlen(ctx->msg);
        snprintf(ctx->msg + n, sizeof ctx->msg - n, " (No space left on device: %.0f bytes free "
                 "in '%s')", (double)fs.f_bavail * fs.f_frsize, ctx->out_dir);
    }
    return st;
}

sp_status sp_error(sp_ctx *ctx, sp_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(ctx, st, false, fmt, ap);
    va_end(ap);
    return st;
}

sp_status sp_error_gdal(sp_ctx *ctx, sp_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(ctx, st, true, fmt, ap);
    va_end(ap);
    return st;
}

sp_status sp_error_prefix(sp_ctx *ctx, sp_status st, const char *fmt, ...)
{
    if (!ctx)
        return st;
    char old[MSG_MAX];
    snprintf(old, sizeof old, "%s", ctx->msg);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(ctx->msg);
    snprintf(ctx->msg + n, sizeof ctx->msg - n, "%s", old);
    sp_secret_mask(ctx->msg, sizeof ctx->msg); /* a dataset name's password */
    sp_utf8_sanitize(ctx->msg, MSG_LEN);
    ctx->status = st;
    return st;
}

const char *sp_ctx_message(const sp_ctx *ctx) { return ctx ? ctx->msg : ""; }
sp_status sp_ctx_status(const sp_ctx *ctx) { return ctx ? ctx->status : SP_OK; }

void sp_ctx_clear(sp_ctx *ctx)
{
    ctx->status = SP_OK;
    ctx->msg[0] = ctx->gdal_msg[0] = '\0';
}

void sp_warn(sp_ctx *ctx, const char *fmt, ...)
{
    if (!ctx)
        return;
    if (ctx->nwarn >= WARN_MAX) {
        ctx->nwarn_dropped++;
        return;
    }
    char buf[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sp_secret_mask(buf, sizeof buf);
    sp_utf8_sanitize(buf, MSG_LEN);
    for (size_t i = 0; i < ctx->nwarn; i++) /* same warning once */
        if (strcmp(ctx->warnings[i], buf) == 0)
            return;
    char *w = strdup(buf);
    if (w)
        ctx->warnings[ctx->nwarn++] = w;
}

size_t sp_ctx_warning_count(const sp_ctx *ctx) { return ctx ? ctx->nwarn : 0; }
const char *sp_ctx_warning(const sp_ctx *ctx, size_t i)
{
    return (ctx && i < ctx->nwarn) ? ctx->warnings[i] : NULL;
}

sp_status sp_ctx_add_input(sp_ctx *ctx, const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return SP_OK; /* not a file: a database, a virtual file system, or "-" */
    for (size_t i = 0; i < ctx->ninputs; i++)
        if (ctx->inputs[i].dev == st.st_dev && ctx->inputs[i].ino == st.st_ino)
            return SP_OK;
    if (ctx->ninputs == ctx->cap_inputs) {
        size_t cap = ctx->cap_inputs ? 2 * ctx->cap_inputs : 8;
        struct input *p = realloc(ctx->inputs, cap * sizeof *p);
        if (!p)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        ctx->inputs = p;
        ctx->cap_inputs = cap;
    }
    char *real = realpath(path, NULL);
    if (!real)
        real = strdup(path);
    if (!real)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    ctx->inputs[ctx->ninputs++] = (struct input){st.st_dev, st.st_ino, real};
    return SP_OK;
}

sp_status sp_ctx_check_not_input(sp_ctx *ctx, const char *path, bool under)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return SP_OK;
    for (size_t i = 0; i < ctx->ninputs; i++)
        if (ctx->inputs[i].dev == st.st_dev && ctx->inputs[i].ino == st.st_ino)
            return sp_error(ctx, SP_ERR_USAGE, "'%s' is an input of this run (%s): an output "
                            "may not replace it", path, ctx->inputs[i].real);
    if (!under || !S_ISDIR(st.st_mode))
        return SP_OK;
    char *real = realpath(path, NULL);
    if (!real)
        return SP_OK;
    size_t n = strlen(real);
    sp_status rc = SP_OK;
    for (size_t i = 0; i < ctx->ninputs && !rc; i++) {
        const char *r = ctx->inputs[i].real;
        if (!strncmp(r, real, n) && (r[n] == '/' || n == 1))
            rc = sp_error(ctx, SP_ERR_USAGE, "folder '%s' holds an input of this run (%s): "
                          "an output folder may not replace it", path, r);
    }
    free(real);
    return rc;
}

void sp_ctx_set_output_dir(sp_ctx *ctx, const char *dir)
{
    snprintf(ctx->out_dir, sizeof ctx->out_dir, "%s", dir ? dir : "");
}

void sp_ctx_set_pending(sp_ctx *ctx, void *pending, void (*release)(void *))
{
    ctx->pending = pending;
    ctx->release = release;
}
void *sp_ctx_pending(sp_ctx *ctx) { return ctx->pending; }

void *sp_ctx_geos(sp_ctx *ctx) { return ctx->geos; }
void *sp_ctx_proj(sp_ctx *ctx) { return ctx->proj; }

const char *sp_status_name(sp_status st)
{
    switch (st) {
    case SP_OK: return "ok";
    case SP_ERR_USAGE: return "usage error";
    case SP_ERR_IO: return "I/O error";
    case SP_ERR_DATA: return "data error";
    case SP_ERR_NOMEM: return "out of memory";
    case SP_ERR_LIMIT: return "limit exceeded";
    case SP_ERR_CANCEL: return "cancelled";
    case SP_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}
