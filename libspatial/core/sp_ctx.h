/* sp_ctx: the context every libspatial call takes: status codes, the last error
 * message (with the text of GDAL/OGR/PROJ/GEOS passed on), and the GEOS and PROJ
 * handles. The library never prints or exits; callers read the message from here.
 * A full context (GDAL, GEOS, PROJ attached) comes from io/sp_ctx_io.h's sp_ctx_new;
 * core alone makes a bare one with sp_ctx_new_core. */
#ifndef SP_CTX_H
#define SP_CTX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define SP_VERSION "0.1.0"

typedef enum {
    SP_OK = 0,
    SP_ERR_USAGE = -1,   /* bad option or argument value */
    SP_ERR_IO = -2,      /* cannot open/read/write a dataset or file */
    SP_ERR_DATA = -3,    /* input data is invalid (bad value, geometry, CRS...) */
    SP_ERR_NOMEM = -4,   /* allocation failed */
    SP_ERR_LIMIT = -5,   /* a size limit would be exceeded */
    SP_ERR_CANCEL = -6,  /* the progress callback asked to stop */
    SP_ERR_INTERNAL = -7 /* a library (GEOS/PROJ) failed unexpectedly */
} sp_status;

/* Progress callback: frac in [0,1], msg may be NULL. Return false to cancel. */
typedef bool (*sp_progress_fn)(double frac, const char *msg, void *user);

typedef struct sp_ctx sp_ctx;

/* Creates a bare context: messages, warnings and inputs, no GEOS/PROJ handle (both NULL)
 * and no GDAL error capture. Returns NULL when out of memory. Free with sp_ctx_free. */
sp_ctx *sp_ctx_new_core(void);
/* Frees the context and, through the release function io attached, its handles (on the
 * thread that created it). Accepts NULL. */
void sp_ctx_free(sp_ctx *ctx);
/* For io/sp_ctx_io.c: stores the library handles (borrowed by sp_ctx_geos/sp_ctx_proj)
 * and the function sp_ctx_free calls first to release them. */
void sp_ctx_set_libs(sp_ctx *ctx, void *geos, void *proj, void (*release)(sp_ctx *ctx));
/* For the libraries' error handlers: text (copied; NULL clears) is appended to the next
 * message made with sp_error_gdal. */
void sp_ctx_set_lib_message(sp_ctx *ctx, const char *text);

/* Records an error message (printf format) and returns status, so that callers can
 * write `return sp_error(ctx, SP_ERR_IO, "cannot open '%s'", path);`. */
sp_status sp_error(sp_ctx *ctx, sp_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like sp_error, then appends ": <last GDAL error text>" when GDAL has one. */
sp_status sp_error_gdal(sp_ctx *ctx, sp_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the current message with more context ("layer 'x': " + old message). */
sp_status sp_error_prefix(sp_ctx *ctx, sp_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The last error message; borrowed, valid until the next error or sp_ctx_free.
 * Empty string when no error was recorded. */
const char *sp_ctx_message(const sp_ctx *ctx);
sp_status sp_ctx_status(const sp_ctx *ctx);
void sp_ctx_clear(sp_ctx *ctx);

/* Records a warning (non-fatal): tools print these to stderr after the run. */
void sp_warn(sp_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Number of warnings and the i-th one (borrowed, valid until sp_ctx_free). */
size_t sp_ctx_warning_count(const sp_ctx *ctx);
const char *sp_ctx_warning(const sp_ctx *ctx, size_t i);

/* Borrowed handles, valid for the context's lifetime; NULL in a bare context. */
void *sp_ctx_geos(sp_ctx *ctx); /* GEOSContextHandle_t */
void *sp_ctx_proj(sp_ctx *ctx); /* PJ_CONTEXT * */

/* Inputs: every file a run reads is recorded here (sp_vector, sp_table, the raster and
 * text readers do it), so that no output can replace one (house style rule 10).
 * path is copied; a name that is not a file (PG:..., /vsicurl/...) is ignored.
 * Returns SP_ERR_NOMEM only. */
sp_status sp_ctx_add_input(sp_ctx *ctx, const char *path);
/* Checks path against the recorded inputs: SP_ERR_USAGE, naming both, when path is the
 * same file (device and inode, links resolved) as an input or, with under = true, a
 * folder holding one. A path that does not exist is no input. */
sp_status sp_ctx_check_not_input(sp_ctx *ctx, const char *path, bool under);

/* The folder outputs are being written in (sp_output_begin sets it): an I/O error
 * while that disk is full says so, whatever the underlying library's words were. */
void sp_ctx_set_output_dir(sp_ctx *ctx, const char *dir);

/* Outputs held back for one commit of them all (see sp_output_hold): the context
 * owns the pointer and calls release(pending) from sp_ctx_free when it is still set. */
void sp_ctx_set_pending(sp_ctx *ctx, void *pending, void (*release)(void *));
void *sp_ctx_pending(sp_ctx *ctx);

/* Human-readable name of a status code ("I/O error"...). Static string. */
const char *sp_status_name(sp_status status);

#endif
