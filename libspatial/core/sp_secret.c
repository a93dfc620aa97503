/* sp_secret: the password forms of libpq's connection strings and URIs (PostgreSQL
 * documentation, "Connection Strings": keyword/value and URI forms) masked in messages. */
#include "core/sp_secret.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* the end of a keyword value starting at p: quoted, or up to a blank, '&' or a quote */
static const char *value_end(const char *p)
{
    if (*p == '\'') {
        for (p++; *p && *p != '\''; p++)
            p += p[0] == '\\' && p[1];
        return p + (*p == '\'');
    }
    return p + strcspn(p, " \t\n&\"'");
}

/* at p (inside s) a keyword "password" followed by '=': the value's start, else NULL */
static const char *keyword_value(const char *s, const char *p)
{
    if (strncasecmp(p, "password", 8) || (p > s && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                                     (p[-1] >= 'A' && p[-1] <= 'Z'))))
        return NULL;
    const char *q = p + 8;
    q += strspn(q, " \t");
    if (*q != '=')
        return NULL;
    q++;
    return q + strspn(q, " \t");
}

/* at p the "://" of a URI whose authority has user:password@: the password's start and,
 * in *end, its end; else NULL */
static const char *uri_password(const char *p, const char **end)
{
    if (strncmp(p, "://", 3))
        return NULL;
    const char *a = p + 3, *stop = a + strcspn(a, "/?# \t\"'");
    const char *at = NULL;
    for (const char *q = a; q < stop; q++)
        if (*q == '@')
            at = q; /* the last '@' of the authority ends the user info */
    if (!at)
        return NULL;
    const char *colon = memchr(a, ':', (size_t)(at - a));
    if (!colon)
        return NULL;
    *end = at;
    return colon + 1;
}

void sp_secret_mask(char *s, size_t size)
{
    if (!s || !size)
        return;
    size_t n = strlen(s);
    char *out = malloc(n + 3 * (n / 4 + 1) + 1); /* each mask adds at most 3 bytes per 4 */
    if (!out)
        return;
    size_t o = 0;
    for (const char *p = s; *p;) {
        const char *v = keyword_value(s, p), *end = NULL;
        if (v) {
            memcpy(out + o, p, (size_t)(v - p));
            o += (size_t)(v - p);
            end = value_end(v);
        } else if ((v = uri_password(p, &end))) {
            memcpy(out + o, p, (size_t)(v - p));
            o += (size_t)(v - p);
        }
        if (end) {
            memcpy(out + o, "***", 3);
            o += 3;
            p = end;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
    if (o >= size)
        o = size - 1;
    memcpy(s, out, o);
    s[o] = '\0';
    free(out);
}
