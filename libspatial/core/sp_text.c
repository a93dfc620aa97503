/* sp_text: reading text files (whole, as UTF-8, recorded as inputs) and directive
 * files (tokenized lines, errors with NAME:LINE). The UTF-8 rules are sp_utf8's. */
#include "core/sp_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sp_status sp_text_read_file(sp_ctx *ctx, const char *path, const char *what, char **out)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return sp_error(ctx, SP_ERR_IO, "cannot open %s '%s': %s", what, path, strerror(errno));
    sp_status rc = sp_ctx_add_input(ctx, path);
    if (rc) {
        fclose(fp);
        return rc;
    }
    size_t cap = 1 << 16, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    bool err = ferror(fp);
    fclose(fp);
    if (!buf)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (err) {
        free(buf);
        return sp_error(ctx, SP_ERR_IO, "cannot read %s '%s'", what, path);
    }
    buf[len] = 0;
    if (strlen(buf) != len) {
        free(buf);
        return sp_error(ctx, SP_ERR_DATA, "%s '%s' is not a text file", what, path);
    }
    size_t bad = sp_utf8_invalid_at(buf, len);
    if (bad < len) {
        int line = 1;
        for (size_t i = 0; i < bad; i++)
            line += buf[i] == '\n';
        free(buf);
        return sp_error(ctx, SP_ERR_DATA, "%s '%s', line %d: not UTF-8 text (save the file as "
                        "UTF-8)", what, path, line);
    }
    if (!strncmp(buf, "\xEF\xBB\xBF", 3)) /* a byte-order mark, as Excel and Notepad write */
        memmove(buf, buf + 3, len - 2);
    *out = buf;
    return SP_OK;
}

/* tokens separated by blanks, "quotes" keeping blanks (removed), '#' ending the line */
int sp_text_tokenize(char *line, char **tok, int max)
{
    int n = 0;
    char *r = line, *w = line;
    while (*r) {
        while (*r == ' ' || *r == '\t' || *r == '\r')
            r++;
        if (!*r || *r == '#')
            break;
        if (n == max)
            return -2;
        tok[n++] = w;
        bool quoted = false;
        while (*r && (quoted || (*r != ' ' && *r != '\t' && *r != '\r' && *r != '#'))) {
            if (*r == '"')
                quoted = !quoted;
            else
                *w++ = *r;
            r++;
        }
        if (quoted)
            return -1;
        char *next = *r ? r + 1 : r;
        bool stop = *r == '#';
        *w++ = 0;
        r = stop ? (char *)"" : next;
        if (stop)
            break;
    }
    return n;
}

sp_status sp_text_directives(sp_ctx *ctx, const char *text, const char *name, int max,
                             sp_text_line_fn fn, void *user)
{
    char *copy = strdup(text), **tok = malloc((size_t)max * sizeof *tok);
    sp_status rc = copy && tok ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    int line = 0;
    for (char *s = copy, *nl; s && !rc; s = nl ? nl + 1 : NULL) {
        if ((nl = strchr(s, '\n')))
            *nl = 0;
        line++;
        char err[512] = "";
        int n = sp_text_tokenize(s, tok, max);
        if (n < 0)
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: %s", name, line,
                          n == -1 ? "unterminated quote" : "too many values");
        else if (n > 0 && !fn(user, tok, n, err, sizeof err))
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: %s", name, line, err);
    }
    free(copy);
    free(tok);
    return rc;
}

const char *const SP_NAME_FIELDS[] = {"name", "Name", "NAME", "名称", "街道名称", "乡镇街道",
                                      "street_name", NULL};
