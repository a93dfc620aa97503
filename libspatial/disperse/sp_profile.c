/* sp_profile: parsing time profiles and spreading an annual total over the hours. */
#include "disperse/sp_profile.h"
#include "disperse/sp_met.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sp_profiles_free(sp_profiles *p)
{
    free(p->p);
    p->p = NULL;
    p->n = 0;
}

const sp_profile *sp_profile_of(const sp_profiles *p, const char *sector)
{
    for (int i = 0; p && i < p->n; i++)
        if (!strcmp(p->p[i].sector, sector))
            return &p->p[i];
    return NULL;
}

double sp_profile_weight(const sp_profile *p, int month, int dow, int hour)
{
    return p->month[month - 1] * p->dow[dow - 1] * p->hour[hour];
}

/* the profile of sector, added (all factors 1) when new; NULL when out of memory */
static sp_profile *profile(sp_profiles *p, const char *sector)
{
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->p[i].sector, sector))
            return &p->p[i];
    sp_profile *n = realloc(p->p, (size_t)(p->n + 1) * sizeof *n);
    if (!n)
        return NULL;
    p->p = n;
    n += p->n++;
    memset(n, 0, sizeof *n);
    snprintf(n->sector, sizeof n->sector, "%s", sector);
    for (int k = 0; k < 12; k++)
        n->month[k] = 1;
    for (int k = 0; k < 7; k++)
        n->dow[k] = 1;
    for (int k = 0; k < 24; k++)
        n->hour[k] = 1;
    return n;
}

/* one CSV line's first fields, in place (quotes around a field removed; a comma inside
 * quotes kept); returns the count */
static int split(char *l, char **f, int max)
{
    int n = 0;
    while (*l && n < max) {
        if (*l == '"') {
            f[n++] = ++l;
            while (*l && *l != '"')
                l++;
            if (*l)
                *l++ = 0;
            while (*l && *l != ',')
                l++;
        } else {
            f[n++] = l;
            while (*l && *l != ',')
                l++;
        }
        if (*l == ',')
            *l++ = 0;
    }
    return n;
}

sp_status sp_profiles_parse(sp_ctx *ctx, const char *text, const char *name, sp_profiles *out)
{
    memset(out, 0, sizeof *out);
    char *buf = strdup(text);
    unsigned char (*seen)[12 + 7 + 24] = NULL; /* per profile: which factors were given */
    int nseen = 0;
    sp_status rc = buf ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    int line = 0;
    bool header = false;
    for (char *l = buf, *next; !rc && l; l = next) {
        if ((next = strchr(l, '\n')))
            *next++ = 0;
        line++;
        size_t len = strlen(l);
        if (len && l[len - 1] == '\r')
            l[len - 1] = 0;
        if (!*l || *l == '#')
            continue;
        char *f[8];
        int n = split(l, f, 8);
        if (!header) {
            header = true;
            if (n < 4 || strcmp(f[0], "sector") || strcmp(f[1], "kind") || strcmp(f[2], "index") ||
                strcmp(f[3], "factor"))
                rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: the header is not "
                              "'sector,kind,index,factor[,basis]'", name, line);
            continue;
        }
        char *end;
        double idx = n >= 4 ? strtod(f[2], &end) : NAN;
        bool idx_ok = n >= 4 && end != f[2] && !*end;
        double v = n >= 4 ? strtod(f[3], &end) : NAN;
        bool v_ok = n >= 4 && end != f[3] && !*end && isfinite(v) && v >= 0;
        int kind = n < 4 ? -1 : !strcmp(f[1], "month") ? 0 : !strcmp(f[1], "dow") ? 1
                   : !strcmp(f[1], "hour") ? 2 : -1;
        int lo = kind == 2 ? 0 : 1, hi = kind == 0 ? 12 : kind == 1 ? 7 : 23;
        if (n < 4 || !*f[0] || strlen(f[0]) >= sizeof out->p->sector) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: expected sector,kind,index,factor", name, line);
        } else if (kind < 0) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: kind '%s' is not month, dow or hour", name,
                          line, f[1]);
        } else if (!idx_ok || idx != floor(idx) || idx < lo || idx > hi) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: %s index '%s' is not %d-%d", name, line, f[1],
                          f[2], lo, hi);
        } else if (!v_ok) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: factor '%s' is not a number >= 0", name, line,
                          f[3]);
        } else {
            sp_profile *p = profile(out, f[0]);
            if (p && out->n > nseen) {
                void *ns = realloc(seen, (size_t)out->n * sizeof *seen);
                if (!ns) {
                    rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
                    break;
                }
                seen = ns;
                memset(seen[nseen], 0, sizeof *seen);
                nseen = out->n;
            }
            if (!p) {
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
                break;
            }
            int slot = kind == 0 ? (int)idx - 1 : kind == 1 ? 12 + (int)idx - 1 : 19 + (int)idx;
            if (seen[p - out->p][slot]) {
                rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: %s %s %g is given twice", name, line, f[0],
                              f[1], idx);
                break;
            }
            seen[p - out->p][slot] = 1;
            *(kind == 0 ? &p->month[(int)idx - 1] : kind == 1 ? &p->dow[(int)idx - 1]
                                                  : &p->hour[(int)idx]) = v;
        }
    }
    if (!rc && !header)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: no profile rows", name);
    free(seen);
    free(buf);
    if (rc)
        sp_profiles_free(out);
    return rc;
}

int sp_profile_hourly(const sp_profile *p, int year, double total, double *out)
{
    static const int DAYS[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int n = 0;
    double sum = 0;
    for (int m = 1; m <= 12; m++)
        for (int d = 1; d <= DAYS[m - 1] + (m == 2 && leap); d++) {
            int dow = sp_met_day_of_week(year, m, d);
            for (int h = 0; h < 24; h++)
                sum += out[n++] = sp_profile_weight(p, m, dow, h);
        }
    if (!(sum > 0))
        return -1;
    for (int i = 0; i < n; i++)
        out[i] = total * out[i] / sum;
    return n;
}
