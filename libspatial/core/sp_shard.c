/* sp_shard: parsing "I/N" and the units of a shard. The split is by whole
 * units of work, fixed by the grid (never by N), so that a shard's part holds the same
 * values whatever N is: sp-merge then writes the single run's bytes. */
#include "core/sp_shard.h"

#include <ctype.h>
#include <stdlib.h>

static bool parse_count(const char *s, const char **end, long *out)
{
    if (!isdigit((unsigned char)*s))
        return false;
    char *e;
    long v = strtol(s, &e, 10);
    if (e - s > 6)
        return false;
    *out = v;
    *end = e;
    return true;
}

bool sp_shard_parse(const char *s, sp_shard *out)
{
    long i, n;
    const char *e;
    if (!s || !parse_count(s, &e, &i) || *e != '/' || !parse_count(e + 1, &e, &n) || *e)
        return false;
    if (n < 1 || n > SP_SHARD_MAX || i >= n)
        return false;
    out->index = (int)i;
    out->count = (int)n;
    return true;
}

void sp_shard_units(const sp_shard *s, int64_t nunits, int64_t *u0, int64_t *u1)
{
    if (!s || s->count <= 0) {
        *u0 = 0;
        *u1 = nunits;
        return;
    }
    int64_t q = nunits / s->count, r = nunits % s->count, i = s->index;
    *u0 = i * q + (i < r ? i : r);
    *u1 = *u0 + q + (i < r ? 1 : 0);
}
