/* sp_style: GDAL color-relief text styles, their colours (gdaldem's rules: entries
 * sorted by value, linear interpolation between neighbours, end colours beyond the ends,
 * exact and nearest modes) and a palette lookup table for fast 8-bit tiles. */
#include "core/sp_text.h"
#include "tiles/sp_style.h"
#include "core/sp_share.h"
#include "io/sp_page.h"

#include <unistd.h>

#ifndef SP_STYLES_DIR
#define SP_STYLES_DIR "/usr/local/share/onemap/styles"
#endif

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENTRIES 250

void sp_style_free(sp_style *s)
{
    if (s)
        free(s->e);
    free(s);
}

static void directive(sp_style *s, const char *c)
{
    while (*c == '#' || *c == ' ' || *c == '\t')
        c++;
    const char *keys[] = {"mode:", "title:", "unit:"};
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(keys[k]);
        if (strncmp(c, keys[k], n))
            continue;
        const char *v = c + n;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t len = strcspn(v, "\r\n");
        while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
            len--;
        if (k == 0)
            s->mode = !strncmp(v, "exact", 5) ? SP_STYLE_EXACT
                      : !strncmp(v, "nearest", 7) ? SP_STYLE_NEAREST : SP_STYLE_INTERPOLATE;
        else
            snprintf(k == 1 ? s->title : s->unit, k == 1 ? sizeof s->title : sizeof s->unit,
                     "%.*s", (int)len, v);
    }
}

sp_status sp_style_parse(sp_ctx *ctx, const char *text, const char *name, sp_style **out)
{
    *out = NULL;
    sp_style *s = calloc(1, sizeof *s);
    if (!s || !(s->e = calloc(MAX_ENTRIES, sizeof *s->e))) {
        free(s);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    int line = 0;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        line++;
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), p);
        p = nl ? nl + 1 : NULL;
        char *hash = strchr(buf, '#');
        if (hash) {
            directive(s, hash);
            *hash = 0;
        }
        char *tok[8];
        int n = 0;
        for (char *t = strtok(buf, " \t,:\r"); t; t = strtok(NULL, " \t,:\r"))
            if (n < 8)
                tok[n++] = t;
            else
                n = 9;
        if (n == 0)
            continue;
        if (n < 4 || n > 5) {
            sp_style_free(s);
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: want 'VALUE R G B [A]' (VALUE a number, "
                            "N%% or nv; colours 0-255)", name, line);
        }
        if (s->n == MAX_ENTRIES) {
            sp_style_free(s);
            return sp_error(ctx, SP_ERR_LIMIT, "%s:%d: more than %d entries", name, line,
                            MAX_ENTRIES);
        }
        sp_style_entry *e = &s->e[s->n];
        memset(e, 0, sizeof *e);
        char *end;
        if (!strcmp(tok[0], "nv")) {
            e->nv = true;
        } else {
            e->value = strtod(tok[0], &end);
            if (*end == '%' && end[1] == 0 && end != tok[0])
                e->pct = true;
            else if (*end || end == tok[0] || !isfinite(e->value)) {
                sp_style_free(s);
                return sp_error(ctx, SP_ERR_DATA, "%s:%d: '%s' is not a value (a number, N%% "
                                "or nv; colour names are not supported)", name, line, tok[0]);
            }
        }
        e->rgba[3] = 255;
        for (int k = 1; k < n; k++) {
            long c = strtol(tok[k], &end, 10);
            if (*end || end == tok[k] || c < 0 || c > 255) {
                sp_style_free(s);
                return sp_error(ctx, SP_ERR_DATA, "%s:%d: colour '%s' is not a whole number "
                                "from 0 to 255", name, line, tok[k]);
            }
            e->rgba[k - 1] = (uint8_t)c;
        }
        if (e->nv) {
            s->has_nv = true;
            memcpy(s->nv, e->rgba, 4);
        } else {
            s->n++;
        }
    }
    if (s->n == 0) {
        sp_style_free(s);
        return sp_error(ctx, SP_ERR_DATA, "%s: no colour entries", name);
    }
    *out = s;
    return SP_OK;
}

sp_status sp_style_locate(sp_ctx *ctx, const char *path, char *found, size_t n,
                          const char **out)
{
    char name[512];
    *out = path;
    /* a bare name that is not a file here: an installed style (share/onemap/styles),
     * else (a tool in the build tree) one of the source tree's */
    if (strchr(path, '/') || access(path, F_OK) == 0)
        return SP_OK;
    snprintf(name, sizeof name, "%s%s", path, strchr(path, '.') ? "" : ".txt");
    if (sp_share_find("styles", name, found, n) ||
        (snprintf(found, n, "%s/%s", SP_STYLES_DIR, name) > 0 && access(found, R_OK) == 0)) {
        *out = found;
        return SP_OK;
    }
    return sp_error(ctx, SP_ERR_USAGE, "style '%s': no such file, and no onemap style of that "
                    "name (nox_density, pm25_density, co2_density, vocs_density, pm25_conc, "
                    "pm25_change, no2_conc, score, selected, boundaries)", path);
}

sp_status sp_style_read(sp_ctx *ctx, const char *path, sp_style **out)
{
    char *text, found[4096];
    sp_status rc = sp_style_locate(ctx, path, found, sizeof found, &path);
    if (rc)
        return rc;
    rc = sp_text_read_file(ctx, path, "style", &text);
    if (rc)
        return rc;
    rc = sp_style_parse(ctx, text, path, out);
    free(text);
    return rc;
}

bool sp_style_has_pct(const sp_style *s)
{
    for (int i = 0; i < s->n; i++)
        if (s->e[i].pct)
            return true;
    return false;
}

static int cmp_entry(const void *a, const void *b)
{
    double x = ((const sp_style_entry *)a)->value, y = ((const sp_style_entry *)b)->value;
    return (x > y) - (x < y);
}

void sp_style_resolve(sp_style *s, double min, double max)
{
    for (int i = 0; i < s->n; i++)
        if (s->e[i].pct) {
            s->e[i].value = min + s->e[i].value / 100 * (max - min);
            s->e[i].pct = false;
        }
    /* stable for equal values (a step in the ramp): insertion sort keeps file order */
    for (int i = 1; i < s->n; i++)
        for (int j = i; j > 0 && cmp_entry(&s->e[j - 1], &s->e[j]) > 0; j--) {
            sp_style_entry t = s->e[j];
            s->e[j] = s->e[j - 1];
            s->e[j - 1] = t;
        }
}

/* first entry whose value is >= v (n when none) */
static int upper(const sp_style *s, double v)
{
    int a = 0, b = s->n;
    while (a < b) {
        int m = (a + b) / 2;
        if (s->e[m].value < v)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

void sp_style_color(const sp_style *s, double v, bool nodata, uint8_t rgba[4])
{
    static const uint8_t none[4] = {0, 0, 0, 0};
    if (nodata || isnan(v)) {
        memcpy(rgba, s->has_nv ? s->nv : none, 4);
        return;
    }
    int i = upper(s, v);
    if (i == 0 || i == s->n) {
        const sp_style_entry *e = &s->e[i ? s->n - 1 : 0];
        memcpy(rgba, s->mode == SP_STYLE_EXACT && e->value != v ? none : e->rgba, 4);
        return;
    }
    const sp_style_entry *lo = &s->e[i - 1], *hi = &s->e[i];
    if (hi->value == v) {
        memcpy(rgba, hi->rgba, 4);
        return;
    }
    if (s->mode == SP_STYLE_EXACT) {
        memcpy(rgba, none, 4);
        return;
    }
    if (s->mode == SP_STYLE_NEAREST) {
        memcpy(rgba, v - lo->value < hi->value - v ? lo->rgba : hi->rgba, 4);
        return;
    }
    double t = (v - lo->value) / (hi->value - lo->value);
    for (int k = 0; k < 4; k++) {
        /* gdaldem rounds with +0.45 */
        double c = 0.45 + lo->rgba[k] + t * (hi->rgba[k] - lo->rgba[k]);
        rgba[k] = (uint8_t)(c < 0 ? 0 : c > 255 ? 255 : (int)c);
    }
}

void sp_style_lut_build(const sp_style *s, sp_style_lut *lut)
{
    memset(lut, 0, sizeof *lut);
    lut->s = s;
    int next = 1;
    if (s->has_nv)
        memcpy(lut->rgba[next++], s->nv, 4); /* index 1: the nodata colour */
    if (s->mode != SP_STYLE_INTERPOLATE || s->n == 1) {
        for (int i = 0; i < s->n; i++)
            memcpy(lut->rgba[next + i], s->e[i].rgba, 4);
        lut->seg_start[0] = next;
        lut->n = next + s->n;
        return;
    }
    /* steps per segment in proportion to its largest channel change, so that steep
     * segments (a fade-in of alpha, say) get the finer steps */
    int nseg = s->n - 1, room = 256 - next, alloc[256], total = 0;
    double d[256], dsum = 0;
    for (int g = 0; g < nseg; g++) {
        d[g] = 1;
        for (int k = 0; k < 4; k++)
            d[g] = fmax(d[g], abs(s->e[g + 1].rgba[k] - s->e[g].rgba[k]));
        dsum += d[g];
    }
    for (int g = 0; g < nseg; g++) {
        alloc[g] = (int)(room * d[g] / dsum);
        alloc[g] = alloc[g] < 2 ? (room >= 2 * nseg ? 2 : 1) : alloc[g];
        total += alloc[g];
    }
    while (total > room) { /* take back from the largest */
        int big = 0;
        for (int g = 1; g < nseg; g++)
            big = alloc[g] > alloc[big] ? g : big;
        alloc[big]--;
        total--;
    }
    for (int g = 0; g < nseg; g++) {
        int steps = alloc[g];
        lut->seg_start[g] = next;
        lut->seg_steps[g] = steps;
        const sp_style_entry *lo = &s->e[g], *hi = &s->e[g + 1];
        for (int j = 0; j < steps; j++) {
            double f = steps > 1 ? (double)j / (steps - 1) : 0;
            sp_style_color(s, lo->value + f * (hi->value - lo->value), false, lut->rgba[next + j]);
        }
        next += steps;
    }
    lut->n = next;
}

int sp_style_lut_index(const sp_style_lut *lut, double v, bool nodata)
{
    const sp_style *s = lut->s;
    if (nodata || isnan(v))
        return s->has_nv ? 1 : 0;
    int i = upper(s, v);
    if (s->mode != SP_STYLE_INTERPOLATE || s->n == 1) {
        int base = lut->seg_start[0];
        if (i < s->n && s->e[i].value == v)
            return base + i;
        if (s->mode == SP_STYLE_EXACT)
            return 0;
        if (i == 0)
            return base;
        if (i == s->n)
            return base + s->n - 1;
        return v - s->e[i - 1].value < s->e[i].value - v ? base + i - 1 : base + i;
    }
    if (i == 0)
        return lut->seg_start[0];
    if (i == s->n)
        return lut->seg_start[s->n - 2] + lut->seg_steps[s->n - 2] - 1;
    int g = i - 1, steps = lut->seg_steps[g];
    double span = s->e[i].value - s->e[g].value;
    double f = span > 0 ? (v - s->e[g].value) / span : 1;
    int j = (int)(f * (steps - 1) + 0.5);
    return lut->seg_start[g] + (j < 0 ? 0 : j >= steps ? steps - 1 : j);
}

sp_status sp_style_outline_parse(sp_ctx *ctx, const char *text, const char *name,
                                 double *width, uint8_t rgba[4])
{
    *width = 1.5;
    rgba[0] = rgba[1] = rgba[2] = 40;
    rgba[3] = 255;
    int line = 0;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        char buf[256];
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), p);
        p = nl ? nl + 1 : NULL;
        line++;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = 0;
        char key[32];
        double v[4];
        int n = sscanf(buf, "%31s %lf %lf %lf %lf", key, &v[0], &v[1], &v[2], &v[3]);
        if (n <= 0)
            continue;
        if (!strcmp(key, "width") && n == 2 && v[0] >= 0 && v[0] <= 64) {
            *width = v[0];
        } else if (!strcmp(key, "color") && (n == 4 || n == 5)) {
            for (int k = 0; k < n - 1; k++) {
                if (!(v[k] >= 0 && v[k] <= 255) || v[k] != (int)v[k])
                    return sp_error(ctx, SP_ERR_DATA, "%s:%d: colours are whole numbers from 0 "
                                    "to 255", name, line);
                rgba[k] = (uint8_t)v[k];
            }
            if (n == 4)
                rgba[3] = 255;
        } else {
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: want 'width PX' (0-64) or 'color R G B "
                            "[A]'", name, line);
        }
    }
    return SP_OK;
}

char *sp_style_qml(const sp_style *s, int band)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return NULL;
    const char *type = s->mode == SP_STYLE_INTERPOLATE ? "INTERPOLATED"
                       : s->mode == SP_STYLE_EXACT     ? "EXACT"
                                                       : "DISCRETE";
    double lo = s->n ? s->e[0].value : 0, hi = s->n ? s->e[s->n - 1].value : 0;
    bool oom = false;
    fprintf(fp, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n <pipe>\n"
            "  <rasterrenderer type=\"singlebandpseudocolor\" band=\"%d\" opacity=\"1\" "
            "alphaBand=\"-1\" classificationMin=\"%.15g\" classificationMax=\"%.15g\">\n"
            "   <rastershader>\n    <colorrampshader colorRampType=\"%s\" "
            "classificationMode=\"1\" clip=\"0\">\n", band, lo, hi, type);
    for (int i = 0; i < s->n; i++) {
        const sp_style_entry *e = &s->e[i];
        /* nearest: each colour up to halfway to the next entry (QGIS's discrete classes
         * take the colour of the first item at or above a value) */
        double v = s->mode != SP_STYLE_NEAREST ? e->value
                   : i + 1 < s->n ? 0.5 * (e->value + s->e[i + 1].value) : INFINITY;
        char vs[64], label[160];
        if (isinf(v))
            snprintf(vs, sizeof vs, "inf");
        else
            snprintf(vs, sizeof vs, "%.15g", v);
        snprintf(label, sizeof label, "%.6g%s%.*s", e->value, s->unit[0] ? " " : "",
                 (int)strcspn(s->unit, ","), s->unit); /* "ug/m3", not its comment */
        char *lx = sp_page_xml(label); /* the unit may hold & or < */
        oom |= !lx;
        fprintf(fp, "     <item alpha=\"%d\" value=\"%s\" color=\"#%02x%02x%02x\" label=\"%s\"/>\n",
                e->rgba[3], vs, e->rgba[0], e->rgba[1], e->rgba[2], lx ? lx : "");
        free(lx);
    }
    fputs("    </colorrampshader>\n   </rastershader>\n  </rasterrenderer>\n </pipe>\n"
          "</qgis>\n", fp);
    bool bad = ferror(fp) != 0 || oom;
    fclose(fp);
    if (bad) {
        free(text);
        return NULL;
    }
    return text;
}
