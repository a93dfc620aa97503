/* sp_score_spread: which of the ensemble's dimensions drives each street's spread. Each
 * member column of the table (..._mNN_...) is matched to row mNN of sp-disperse's members
 * file; a numeric dimension is grouped by quartiles, a categorical one by its values; the
 * share of the street's variance between the groups is the dimension's first-order share
 * (with Latin hypercube members, the dimensions are close to independent). Columns ending
 * in _pct (what a member gave) and _draw (an id) are not dimensions. */
#include "score/sp_score_impl.h"
#include "io/sp_table.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>

/* The member number of a column called ..._mNN_... (or ending _mNN); -1 when none. */
static int member_of(const char *name)
{
    for (const char *p = name; (p = strstr(p, "_m")); p += 2) {
        char *end;
        long k = strtol(p + 2, &end, 10);
        if (end > p + 2 && (*end == '_' || !*end) && k > 0 && k < 100000)
            return (int)k;
    }
    return -1;
}

static bool number(const char *s, double *v)
{
    char *end;
    *v = s && *s ? strtod(s, &end) : NAN;
    return s && *s && !*end && isfinite(*v);
}

/* A dimension's groups for the n members at rows mrow[] of the members table. */
static int dim_groups(const sp_table *mt, int c, const int *mrow, int n, int *group)
{
    char b[128];
    double *x = malloc((size_t)n * sizeof *x);
    bool numeric = x != NULL;
    for (int i = 0; numeric && i < n; i++)
        numeric = number(sp_table_text(mt, c, mrow[i], b, sizeof b), &x[i]);
    int ng = 0;
    if (numeric) {
        ng = sp_score_quartiles(x, n, group);
    } else { /* categorical: group ids in order of appearance, at most 64 */
        char seen[64][64];
        for (int i = 0; i < n; i++) {
            const char *v = sp_table_text(mt, c, mrow[i], b, sizeof b);
            int g = 0;
            while (g < ng && strcmp(seen[g], v))
                g++;
            if (g == ng && ng < 64)
                snprintf(seen[ng++], sizeof seen[0], "%s", v);
            group[i] = g < 64 ? g : -1;
        }
    }
    free(x);
    return ng;
}

sp_status sp_score_spread(sp_ctx *ctx, const sp_score_spec *s, const char *members, sp_table *t)
{
    if (!s->ug_members)
        return sp_error(ctx, SP_ERR_USAGE, "-members needs a microgram line in the spec");
    sp_table *mt = NULL;
    sp_status rc = sp_table_read(ctx, members, NULL, &mt);
    if (rc)
        return rc;
    int cm = sp_table_find(mt, "member"), n = 0;
    int *col = malloc((size_t)(t->ncols + 1) * sizeof *col), *mrow = malloc((size_t)(t->ncols + 1) * sizeof *mrow);
    double *y = malloc((size_t)(t->ncols + 1) * sizeof *y);
    int dims[64], ndim = 0, out[64];
    char b[64], want[16];
    if (!col || !mrow || !y)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    else if (cm < 0)
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' is not an sp-disperse members file (no column "
                      "'member')", members);
    for (int c = 0; !rc && c < t->ncols; c++) {
        if (fnmatch(s->ug_members, t->cols[c].name, 0))
            continue;
        int k = member_of(t->cols[c].name), row = -1;
        snprintf(want, sizeof want, "m%02d", k);
        for (int r = 0; k > 0 && r < mt->nrows && row < 0; r++)
            if (!strcmp(sp_table_text(mt, cm, r, b, sizeof b), want))
                row = r;
        if (row < 0)
            rc = sp_error(ctx, SP_ERR_DATA, "-members: column '%s' names no member of '%s'",
                          t->cols[c].name, members);
        col[n] = c, mrow[n++] = row;
    }
    for (int c = 0; !rc && c < mt->ncols && ndim < 64; c++) {
        const char *nm = mt->cols[c].name;
        size_t l = strlen(nm);
        /* outcomes (..._pct) and ids (..._draw) are not dimensions */
        if (c != cm && !(l > 4 && !strcmp(nm + l - 4, "_pct")) &&
            !(l > 5 && !strcmp(nm + l - 5, "_draw")))
            dims[ndim++] = c;
    }
    for (int k = 0; !rc && k < ndim; k++) {
        char name[160];
        snprintf(name, sizeof name, "spread_%s", mt->cols[dims[k]].name);
        if ((out[k] = sp_table_add_number(t, name)) < 0)
            rc = sp_error(ctx, SP_ERR_DATA, "cannot add column '%s'", name);
    }
    int ctext = rc ? -1 : sp_table_add_text(t, "ug_spread", OFTString);
    if (!rc && ctext < 0)
        rc = sp_error(ctx, SP_ERR_DATA, "cannot add column 'ug_spread'");
    /* each dimension's groups of the members, once */
    int *g = rc ? NULL : malloc((size_t)(ndim ? ndim : 1) * (size_t)(n ? n : 1) * sizeof *g), ng[64];
    if (!rc && !g)
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int k = 0; !rc && k < ndim; k++)
        ng[k] = dim_groups(mt, dims[k], mrow, n, g + (size_t)k * n);
    for (int r = 0; !rc && r < t->nrows; r++) {
        double share[64];
        for (int i = 0; i < n; i++) {
            const sp_table_col *cl = &t->cols[col[i]];
            y[i] = cl->numeric ? cl->num[r] : (number(cl->str[r], &y[i]) ? y[i] : NAN);
        }
        for (int k = 0; k < ndim; k++)
            t->cols[out[k]].num[r] = share[k] = sp_score_eta2(y, g + (size_t)k * n, n, ng[k]);
        char text[512] = "spread (first-order shares):";
        size_t len = strlen(text);
        bool used[64] = {false};
        for (int q = 0; q < 3 && q < ndim; q++) { /* the three largest */
            int best = -1;
            for (int k = 0; k < ndim; k++)
                if (!used[k] && (best < 0 || share[k] > share[best]))
                    best = k;
            used[best] = true;
            len += (size_t)snprintf(text + len, sizeof text - len, "%s %s %.0f %%", q ? "," : "",
                                    mt->cols[dims[best]].name, 100 * share[best]);
        }
        if (!sp_table_set_text(t, ctext, r, text))
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    free(g);
    free(col);
    free(mrow);
    free(y);
    sp_table_free(mt);
    return rc;
}
