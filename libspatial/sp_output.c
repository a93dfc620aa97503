/* sp_output: temporary-folder-then-rename writes (house style rule 10). Renames are
 * within one folder's parent, hence on one file system, hence atomic per file. */
#include "sp_output.h"

#include <cpl_conv.h>

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool sp_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int sp_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p) {
            rc = -1;
            break;
        }
        snprintf(p, n, "%s/%s", path, e->d_name);
        if (sp_remove_tree(p) != 0)
            rc = -1;
        free(p);
    }
    closedir(d);
    return rmdir(path) == 0 ? rc : -1;
}

static void output_free(sp_output *out)
{
    free(out->dst);
    free(out->tmpdir);
    free(out->path);
    out->dst = out->tmpdir = out->path = NULL;
}

static sp_status begin(sp_ctx *ctx, sp_output *out, const char *dst, bool folder);

sp_status sp_output_begin(sp_ctx *ctx, sp_output *out, const char *dst)
{
    return begin(ctx, out, dst, false);
}

sp_status sp_output_begin_folder(sp_ctx *ctx, sp_output *out, const char *dst)
{
    return begin(ctx, out, dst, true);
}

static sp_status begin(sp_ctx *ctx, sp_output *out, const char *dst, bool folder)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (stat(dst, &st) == 0 && S_ISDIR(st.st_mode) != folder)
        return sp_error(ctx, SP_ERR_IO, folder ? "cannot write folder '%s': a file has that name"
                                               : "cannot write '%s': it is a folder", dst);
    char *d1 = strdup(dst), *d2 = strdup(dst);
    if (!d1 || !d2) {
        free(d1);
        free(d2);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    const char *dir = dirname(d1), *base = basename(d2);
    sp_status rc = SP_OK;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rc = sp_error(ctx, SP_ERR_IO, "cannot write '%s': folder '%s' does not exist", dst, dir);
        goto done;
    }
    size_t n = strlen(dir) + strlen(base) + 32;
    out->tmpdir = malloc(n);
    out->dst = strdup(dst);
    if (!out->tmpdir || !out->dst) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    snprintf(out->tmpdir, n, "%s/.%s.tmp-XXXXXX", dir, base);
    if (!mkdtemp(out->tmpdir)) {
        rc = sp_error(ctx, SP_ERR_IO, "cannot write in folder '%s': %s", dir, strerror(errno));
        free(out->tmpdir);
        out->tmpdir = NULL;
        goto done;
    }
    n = strlen(out->tmpdir) + strlen(base) + 2;
    out->path = malloc(n);
    if (!out->path) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    snprintf(out->path, n, "%s/%s", out->tmpdir, base);
done:
    free(d1);
    free(d2);
    if (rc)
        sp_output_abort(out);
    return rc;
}

sp_status sp_output_commit(sp_ctx *ctx, sp_output *out)
{
    char *d1 = strdup(out->dst);
    if (!d1) {
        sp_output_abort(out);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    const char *dir = dirname(d1);
    DIR *d = opendir(out->tmpdir);
    sp_status rc = SP_OK;
    if (!d) {
        rc = sp_error(ctx, SP_ERR_IO, "cannot read '%s': %s", out->tmpdir, strerror(errno));
        goto done;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char from[4096], to[4096];
        if ((size_t)snprintf(from, sizeof from, "%s/%s", out->tmpdir, e->d_name) >= sizeof from ||
            (size_t)snprintf(to, sizeof to, "%s/%s", dir, e->d_name) >= sizeof to) {
            rc = sp_error(ctx, SP_ERR_IO, "path too long under '%s'", dir);
            break;
        }
        struct stat st;
        if (stat(to, &st) == 0 && S_ISDIR(st.st_mode) && sp_remove_tree(to) != 0) {
            rc = sp_error(ctx, SP_ERR_IO, "cannot replace folder '%s'", to);
            break;
        }
        if (rename(from, to) != 0) {
            rc = sp_error(ctx, SP_ERR_IO, "cannot move '%s' to '%s': %s", from, to,
                          strerror(errno));
            break;
        }
    }
    closedir(d);
done:
    free(d1);
    sp_output_abort(out);
    return rc;
}

void sp_output_abort(sp_output *out)
{
    if (out->tmpdir)
        sp_remove_tree(out->tmpdir);
    output_free(out);
}

bool sp_output_pin_date(void)
{
    if (CPLGetConfigOption("OGR_CURRENT_DATE", NULL))
        return false; /* the user's own date wins */
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    return true;
}

void sp_output_unpin_date(bool pinned)
{
    if (pinned)
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
}
