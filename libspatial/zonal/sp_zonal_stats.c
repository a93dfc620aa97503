/* sp_zonal_stats: the table of zonal statistics, from stats/sp_stats.def (one line each;
 * each statistic is one file in stats/ exporting its descriptor), parsing a -stats list,
 * and finishing a zone's accumulator into the statistics asked for. */
#include "zonal/sp_zonal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SP_STAT(ID, name) extern const sp_stat_desc sp_stat_##name;
#include "zonal/stats/sp_stats.def"
#undef SP_STAT

const sp_stat_desc *const SP_STATS[SP_NSTATS] = {
#define SP_STAT(ID, name) [SP_ST_##ID] = &sp_stat_##name,
#include "zonal/stats/sp_stats.def"
#undef SP_STAT
};

sp_status sp_stats_parse(sp_ctx *ctx, const char *list, sp_stat **out, int *n)
{
    *out = NULL;
    *n = 0;
    int cap = 1;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    sp_stat *st = calloc((size_t)cap, sizeof *st);
    if (!st)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    int k = 0;
    for (const char *p = list;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char w[24];
        if (!len || len >= sizeof w) {
            free(st);
            return sp_error(ctx, SP_ERR_USAGE, "-stats: empty or overlong name in '%s'", list);
        }
        memcpy(w, p, len);
        w[len] = 0;
        sp_stat s = {0};
        bool found = false;
        for (int i = 0; i < SP_NSTATS && !found; i++)
            found = SP_STATS[i]->parse(w, &s);
        if (!found) {
            char known[256] = "";
            for (int i = 0; i < SP_NSTATS; i++) {
                size_t l = strlen(known);
                snprintf(known + l, sizeof known - l, "%s%s", i ? ", " : "", SP_STATS[i]->names);
            }
            free(st);
            return sp_error(ctx, SP_ERR_USAGE, "-stats: unknown statistic '%s' (known: %s)", w,
                            known);
        }
        snprintf(s.name, sizeof s.name, "%s", w);
        for (int i = 0; i < k; i++)
            if (!strcmp(st[i].name, s.name)) {
                free(st);
                return sp_error(ctx, SP_ERR_USAGE, "-stats: '%s' is given twice", w);
            }
        st[k++] = s;
        if (!e)
            break;
        p = e + 1;
    }
    *out = st;
    *n = k;
    return SP_OK;
}

unsigned sp_zonal_needs(const sp_stat *st, int nst)
{
    unsigned n = 0;
    for (int s = 0; s < nst; s++)
        n |= SP_STATS[st[s].kind]->needs;
    return n;
}

bool sp_zonal_need_var(const sp_stat *st, int nst)
{
    return sp_zonal_needs(st, nst) & SP_NEED_VAR;
}

sp_status sp_zonal_check_stats(sp_ctx *ctx, const sp_stat_desc *const *table)
{
    if (!table)
        table = SP_STATS;
    for (int k = 0; k < SP_NSTATS; k++)
        if (!table[k]->names || !table[k]->parse || !table[k]->finish)
            return sp_error(ctx, SP_ERR_INTERNAL, "statistic %d lacks its %s in its descriptor",
                            k, !table[k]->names ? "name" : !table[k]->parse ? "parser" : "finish");
    return SP_OK;
}

void sp_zonal_acc_finish(const sp_zonal_acc *a, double area, double total, const sp_stat *st,
                         int nst, double *out, double *vw)
{
    bool sorted = false;
    sp_zonal_fin f = {a, area, total, vw, &sorted};
    for (int s = 0; s < nst; s++)
        out[s] = SP_STATS[st[s].kind]->finish(&f, &st[s]);
}
