/* sp_page: helpers of the pages written beside tiles (sp_tiles_side, sp_onemap). */
#include "io/sp_page.h"
#include "io/sp_output.h"
#include "core/sp_share.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SP_LEAFLET_DIR
#define SP_LEAFLET_DIR "/usr/local/share/onemap/leaflet"
#endif

sp_status sp_page_mkdir(sp_ctx *ctx, const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return sp_error(ctx, SP_ERR_IO, "cannot create folder '%s': %s", path, strerror(errno));
    return SP_OK;
}

sp_status sp_page_write(sp_ctx *ctx, const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (!fp || fputs(text, fp) < 0) {
        if (fp)
            fclose(fp);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    bool bad = ferror(fp);
    return (fclose(fp) || bad) ? sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", path, strerror(errno)) : SP_OK;
}

sp_status sp_page_copy(sp_ctx *ctx, const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return sp_error(ctx, SP_ERR_IO, "cannot read '%s': %s", from, strerror(errno));
    FILE *out = fopen(to, "wb");
    sp_status rc = out ? SP_OK : sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", to, strerror(errno));
    char buf[65536];
    size_t n;
    while (!rc && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", to, strerror(errno));
    fclose(in);
    if (out && fclose(out) && !rc)
        rc = sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", to, strerror(errno));
    return rc;
}

/* JSON string content (" and \ escaped, control characters dropped; apostrophes too
 * with js, for a single-quoted JavaScript string); malloc'd, never cut: NULL when out of
 * memory */
char *sp_page_json(const char *s, bool js)
{
    char *out = malloc(2 * strlen(s) + 1), *k = out;
    for (; out && *s; s++) {
        if (*s == '"' || *s == '\\' || (js && *s == '\''))
            *k++ = '\\';
        if ((unsigned char)*s >= 0x20)
            *k++ = *s;
    }
    if (out)
        *k = 0;
    return out;
}

/* XML/HTML text (& < > " escaped) */
char *sp_page_xml(const char *s)
{
    char *out = malloc(6 * strlen(s) + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (; *s; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                        : *s == '"' ? "&quot;" : NULL;
        if (e) {
            memcpy(out + k, e, strlen(e));
            k += strlen(e);
        } else {
            out[k++] = *s;
        }
    }
    out[k] = 0;
    return out;
}

sp_status sp_page_leaflet(sp_ctx *ctx, const char *dir, const char *leaflet, const char *what,
                          bool *copied)
{
    *copied = false;
    /* -leaflet, $ONEMAP_LEAFLET, the installed copy beside the tool (PREFIX/share/onemap/
     * leaflet), else (a tool in the build tree) the copy the build fetched from npm */
    const char *ldir = leaflet ? leaflet : getenv("ONEMAP_LEAFLET");
    char share[4096];
    if (!ldir && sp_share_dir(share, sizeof share - 16)) {
        strcat(share, "/leaflet");
        ldir = share;
    }
    if (!ldir)
        ldir = SP_LEAFLET_DIR;
    char from[8400], to[8400], path[4200];
    snprintf(from, sizeof from, "%s/leaflet.js", ldir);
    if (!sp_path_exists(from)) {
        if (leaflet)
            return sp_error(ctx, SP_ERR_USAGE, "-leaflet: no leaflet.js in '%s'", ldir);
        sp_warn(ctx, "no Leaflet in '%s' (make fetches it from npm; or give -leaflet DIR): %s "
                "was not written", ldir, what);
        return SP_OK;
    }
    sp_status rc;
    snprintf(path, sizeof path, "%s/leaflet", dir);
    if ((rc = sp_page_mkdir(ctx, path)))
        return rc;
    snprintf(path, sizeof path, "%s/leaflet/images", dir);
    if ((rc = sp_page_mkdir(ctx, path)))
        return rc;
    const char *files[] = {"leaflet.js", "leaflet.css", "images/layers.png",
                           "images/layers-2x.png", "images/marker-icon.png"};
    for (int i = 0; i < 5 && !rc; i++) {
        snprintf(from, sizeof from, "%s/%s", ldir, files[i]);
        snprintf(to, sizeof to, "%s/leaflet/%s", dir, files[i]);
        if (i < 2 || sp_path_exists(from))
            rc = sp_page_copy(ctx, from, to);
    }
    *copied = !rc;
    return rc;
}
