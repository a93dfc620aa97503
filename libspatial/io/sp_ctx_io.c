/* sp_ctx_io: GDAL, GEOS and PROJ attached to a core context. GDAL errors are captured
 * with a thread-local handler pushed for the context's lifetime, so that the library
 * itself never prints (house style rule 2) and messages reach the tools. */
#include "io/sp_ctx_io.h"

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <geos_c.h>
#include <proj.h>
#include <stdio.h>

static void gdal_handler(CPLErr cls, CPLErrorNum num, const char *text)
{
    sp_ctx *ctx = CPLGetErrorHandlerUserData();
    if (!ctx || !text)
        return;
    if (cls >= CE_Failure)
        sp_ctx_set_lib_message(ctx, text);
    else if (cls == CE_Warning)
        sp_warn(ctx, "%s", text);
    else if (cls == CE_Debug) /* --config CPL_DEBUG ON: shown as GDAL shows it */
        CPLDefaultErrorHandler(cls, num, text);
}

static void geos_handler(const char *text, void *user)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "GEOS: %s", text);
    sp_ctx_set_lib_message(user, buf);
}

static void proj_handler(void *user, int level, const char *text)
{
    (void)level;
    (void)user;
    (void)text; /* PROJ errors are read back with proj_context_errno_string */
}

/* what sp_ctx_free calls first: the handler popped, the handles released */
static void release(sp_ctx *ctx)
{
    GEOSContextHandle_t geos = sp_ctx_geos(ctx);
    PJ_CONTEXT *proj = sp_ctx_proj(ctx);
    if (geos && proj)
        CPLPopErrorHandler();
    if (geos)
        GEOS_finish_r(geos);
    if (proj)
        proj_context_destroy(proj);
    sp_ctx_set_libs(ctx, NULL, NULL, NULL);
}

sp_ctx *sp_ctx_new(void)
{
    sp_ctx *ctx = sp_ctx_new_core();
    if (!ctx)
        return NULL;
    GEOSContextHandle_t geos = GEOS_init_r();
    PJ_CONTEXT *proj = proj_context_create();
    sp_ctx_set_libs(ctx, geos, proj, release);
    if (!geos || !proj) {
        if (geos)
            GEOS_finish_r(geos);
        if (proj)
            proj_context_destroy(proj);
        sp_ctx_set_libs(ctx, NULL, NULL, NULL);
        sp_ctx_free(ctx);
        return NULL;
    }
    GEOSContext_setErrorMessageHandler_r(geos, geos_handler, ctx);
    proj_log_func(proj, ctx, proj_handler);
    GDALAllRegister();
    CPLPushErrorHandlerEx(gdal_handler, ctx);
    return ctx;
}

sp_status sp_ctx_add_dataset(sp_ctx *ctx, void *ds, const char *path)
{
    sp_status rc = sp_ctx_add_input(ctx, path);
    char **files = ds ? GDALGetFileList((GDALDatasetH)ds) : NULL;
    for (char **f = files; f && *f && !rc; f++)
        rc = sp_ctx_add_input(ctx, *f);
    CSLDestroy(files);
    return rc;
}
