/* sp_utf8: UTF-8 validation (the decoder's table follows RFC 3629 section 4's syntax),
 * byte-order marks and printable messages. Pure and context-free, so that the context
 * itself (sp_ctx) can make its messages printable without depending on sp_text. */
#include "core/sp_utf8.h"

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

const char *sp_utf8_skip_bom(const char *s)
{
    return (s && !strncmp(s, "\xEF\xBB\xBF", 3)) ? s + 3 : s;
}

void sp_utf8_sanitize(char *s, size_t max)
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

