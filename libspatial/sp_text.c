/* sp_text: UTF-8 validation (the decoder's table follows RFC 3629 section 4's
 * syntax), byte-order marks and printable messages. */
#include "sp_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

/* length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one */
static size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if (s[k] < 0x80 || s[k] > 0xBF)
            return 0;
    return len;
}

size_t sp_utf8_invalid_at(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = seq_len(p + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

bool sp_utf8_valid(const char *s, size_t n) { return sp_utf8_invalid_at(s, n) == n; }

size_t sp_utf8_cut(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--; /* s[max] continues a character: cut before that character */
    return max;
}

const char *sp_text_skip_bom(const char *s)
{
    return (s && !strncmp(s, "\xEF\xBB\xBF", 3)) ? s + 3 : s;
}

void sp_text_sanitize(char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, o = 0;
    bool junk = false; /* the last byte written was a replacement */
    while (i < n && o < max) {
        size_t k = seq_len(p + i, n - i);
        if (k == 0 || (k == 1 && (p[i] < 0x20 || p[i] == 0x7F))) {
            if (!junk)
                s[o++] = '?';
            junk = true;
            i += k ? k : 1;
            continue;
        }
        if (o + k > max)
            break;
        memmove(s + o, s + i, k);
        o += k;
        i += k;
        junk = false;
    }
    if (i < n) {
        memcpy(s + o, "...", 3);
        o += 3;
    }
    s[o] = '\0';
}

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
