/* sp_factors: reading the emission factor CSV. A small RFC 4180 reader (quotes, ""
 * escapes, CRLF) is enough here and keeps line numbers exact for the messages, which a
 * generic CSV driver would not give. */
#include "core/sp_factors.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const SP_POL_NAME[SP_NPOL] = {"NOx", "VOCs", "PM2.5", "PM10", "SO2",
                                          "CO",  "CO2",  "fume",  "CO2_scope2", "TSP"};
const char *const SP_POL_COLUMN[SP_NPOL] = {"nox", "vocs", "pm25", "pm10", "so2",
                                            "co",  "co2",  "fume", "co2_s2", "tsp"};

int sp_pollutant_index(const char *name)
{
    for (int i = 0; i < SP_NPOL; i++)
        if (!strcasecmp(name, SP_POL_NAME[i]) || !strcasecmp(name, SP_POL_COLUMN[i]))
            return i;
    return -1;
}

void sp_factors_free(sp_factors *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++) {
        sp_factor *r = &f->rows[i];
        free(r->sector);
        free(r->cls);
        free(r->pollutant);
        free(r->unit);
        free(r->source);
    }
    free(f->rows);
    free(f->path);
    free(f);
}

/* six required columns and an optional seventh, the factor's uncertainty */
enum { NCOL = 7, NREQ = 6 };
static const char *const HEADER[NCOL] = {"sector", "class", "pollutant", "value",
                                         "unit",   "source", "uncertainty"};

/* Splits one CSV record starting at *p into at most NCOL fields (malloc'd, trimmed
 * when unquoted). Advances *p past the record and counts the newlines it crosses in
 * *lines. Returns the number of fields, or -1 (unterminated quote), -2 (too many
 * fields), -3 (out of memory). */
static int split_fields(const char **p, char *fields[NCOL], int *lines);

/* On an error, the fields already split are freed. */
static int split_record(const char **p, char *fields[NCOL], int *lines)
{
    int n = split_fields(p, fields, lines);
    if (n < 0)
        for (int i = 0; i < NCOL; i++) {
            free(fields[i]);
            fields[i] = NULL;
        }
    return n;
}

static int split_fields(const char **p, char *fields[NCOL], int *lines)
{
    const char *s = *p;
    int n = 0;
    for (;;) {
        size_t cap = 64, len = 0;
        char *buf = malloc(cap);
        if (!buf)
            return -3;
        bool quoted = false;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '"') {
            quoted = true;
            s++;
        }
        for (;;) {
            char c = *s;
            if (quoted) {
                if (!c) {
                    free(buf);
                    return -1;
                }
                if (c == '"') {
                    if (s[1] == '"') {
                        s += 2;
                        c = '"';
                    } else {
                        s++;
                        quoted = false;
                        continue;
                    }
                } else {
                    if (c == '\n')
                        (*lines)++;
                    s++;
                }
            } else {
                if (!c || c == ',' || c == '\n' || c == '\r')
                    break;
                s++;
            }
            if (len + 2 > cap) {
                char *nb = realloc(buf, cap *= 2);
                if (!nb) {
                    free(buf);
                    return -3;
                }
                buf = nb;
            }
            buf[len++] = c;
        }
        while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
            len--;
        buf[len] = 0;
        if (n == NCOL) {
            free(buf);
            return -2;
        }
        fields[n++] = buf;
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s == '\r')
            s++;
        if (*s == '\n') {
            s++;
            (*lines)++;
        }
        break;
    }
    *p = s;
    return n;
}

static void free_fields(char *fields[NCOL], int n)
{
    for (int i = 0; i < n; i++) {
        free(fields[i]);
        fields[i] = NULL;
    }
}

/* Skips a comment or blank line at *p; false when *p starts a record. */
static bool skip_blank(const char **p, int *line)
{
    const char *q = *p;
    while (*q == ' ' || *q == '\t' || *q == '\r')
        q++;
    if (*q != '#' && *q != '\n' && *q)
        return false;
    while (*q && *q != '\n')
        q++;
    if (*q == '\n') {
        q++;
        ++*line;
    }
    *p = q;
    return true;
}

/* One data record fld[0..n-1] (owned; taken into f on success, freed otherwise). */
static sp_status add_record(sp_ctx *ctx, sp_factors *f, char **fld, int n, int at, int *cap)
{
    const char *name = f->path;
    sp_status rc = SP_OK;
    char *end;
    bool ok_n = n == NREQ || (n == NCOL && f->has_uncertainty);
    double v = ok_n ? strtod(fld[3], &end) : 0, unc = 0;
    if (!ok_n) {
        rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: %d field(s), expected %s", name, at, n,
                      f->has_uncertainty ? "6 or 7 (sector,class,pollutant,value,unit,source"
                                           "[,uncertainty])"
                                         : "6 (sector,class,pollutant,value,unit,source)");
        goto fail;
    }
    if (n == NCOL && fld[6][0]) { /* "40%": the 95 % interval is value / 1.4 to value x 1.4 */
        char *e2;
        unc = strtod(fld[6], &e2) / 100;
        if (e2 == fld[6] || strcmp(e2, "%") || !(unc > 0 && unc <= 10)) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: uncertainty '%s' is not a percentage "
                          "(e.g. 40%%, above 0 and at most 1000%%)", name, at, fld[6]);
            goto fail;
        }
    }
    for (int i = 0; i < NREQ; i++)
        if (!fld[i][0]) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: the %s is empty%s", name, at, HEADER[i],
                          i == 5 ? " (every factor needs its source, or the word "
                                   "'assumption' and why)" : "");
            goto fail;
        }
    if (end == fld[3] || *end || !isfinite(v)) {
        rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: value '%s' is not a number", name, at, fld[3]);
        goto fail;
    }
    const sp_factor *d = sp_factors_find(f, fld[0], fld[1], fld[2]);
    if (d) {
        rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: %s/%s/%s is already given on line %d", name, at,
                      fld[0], fld[1], fld[2], d->line);
        goto fail;
    }
    if (f->n == *cap) {
        int nc = *cap ? *cap * 2 : 64;
        sp_factor *nr = realloc(f->rows, (size_t)nc * sizeof *nr);
        if (!nr) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto fail;
        }
        f->rows = nr;
        *cap = nc;
    }
    sp_factor *r = &f->rows[f->n++];
    r->sector = fld[0];
    r->cls = fld[1];
    r->pollutant = fld[2];
    free(fld[3]);
    r->unit = fld[4];
    r->source = fld[5];
    r->value = v;
    r->uncertainty = unc;
    r->line = at;
    if (n == NCOL)
        free(fld[6]);
    memset(fld, 0, NCOL * sizeof *fld);
    return SP_OK;
fail:
    free_fields(fld, n);
    return rc;
}

sp_status sp_factors_parse(sp_ctx *ctx, const char *text, const char *name, sp_factors **out)
{
    *out = NULL;
    sp_factors *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(name))) {
        free(f);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    sp_status rc = SP_OK;
    const char *p = text;
    int line = 1, cap = 0;
    bool header = false;
    char *fld[NCOL] = {0};
    while (*p && !rc) {
        int at = line;
        if (skip_blank(&p, &line))
            continue;
        int n = split_record(&p, fld, &line);
        if (n == -3) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        } else if (n == -1 || n == -2) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: %s", name, at,
                          n == -1 ? "unterminated quoted field"
                                  : "more than 7 fields (quote a source that has commas)");
        } else if (!header) {
            bool good = n == NREQ || n == NCOL;
            for (int i = 0; good && i < n; i++)
                good = !strcasecmp(fld[i], HEADER[i]);
            f->has_uncertainty = good && n == NCOL;
            free_fields(fld, n);
            if (!good)
                rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: the header must be "
                              "'sector,class,pollutant,value,unit,source[,uncertainty]'", name, at);
            header = true;
        } else {
            rc = add_record(ctx, f, fld, n, at, &cap);
        }
    }
    if (!rc && !header)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: empty factor table (no header)", name);
    if (rc) {
        sp_factors_free(f);
        return rc;
    }
    *out = f;
    return SP_OK;
}


sp_status sp_factors_read(sp_ctx *ctx, const char *path, sp_factors **out)
{
    *out = NULL;
    char *buf;
    sp_status rc = sp_text_read_file(ctx, path, "factor table", &buf);
    if (rc)
        return rc;
    /* skip a UTF-8 byte order mark: spreadsheets write one */
    const char *text = !strncmp(buf, "\xEF\xBB\xBF", 3) ? buf + 3 : buf;
    rc = sp_factors_parse(ctx, text, path, out);
    free(buf);
    return rc;
}

const sp_factor *sp_factors_find(const sp_factors *f, const char *sector, const char *cls,
                                 const char *pollutant)
{
    for (int i = 0; i < f->n; i++) {
        const sp_factor *r = &f->rows[i];
        if (!strcmp(r->sector, sector) && !strcmp(r->cls, cls) &&
            !strcmp(r->pollutant, pollutant))
            return r;
    }
    return NULL;
}

sp_status sp_factors_get(sp_ctx *ctx, const sp_factors *f, const char *sector,
                         const char *cls, const char *pollutant, const char *unit,
                         const sp_factor **row)
{
    *row = sp_factors_find(f, sector, cls, pollutant);
    if (*row && strcmp((*row)->unit, unit))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: %s/%s/%s has unit '%s', expected '%s'",
                        f->path, (*row)->line, sector, cls, pollutant, (*row)->unit, unit);
    return SP_OK;
}
