/* sp_inventory_classes: the helpers every sector uses (its classes, a factor row's
 * checks, a share, '*' classes, the upgrade and end-of-pipe measures). They sit below
 * the sectors: a sector file uses them and nothing of another sector or of the model, so
 * that no two inventory files depend on each other. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number, optionally followed by '%' (*percent tells which); finite. */
static bool number_pct(const char *s, double *v, bool *percent)
{
    char buf[64], *end;
    size_t n = strlen(s);
    *percent = n && s[n - 1] == '%';
    const char *t = s;
    if (*percent) {
        if (n >= sizeof buf)
            return false;
        memcpy(buf, s, n - 1);
        buf[n - 1] = 0;
        t = buf;
    }
    *v = strtod(t, &end);
    return end != t && !*end && isfinite(*v);
}

bool sp_inv_parse_share(const char *s, double *v)
{
    bool pct;
    if (!number_pct(s, v, &pct))
        return false;
    if (pct)
        *v /= 100;
    return *v >= 0 && *v <= 1;
}

int sp_inv_class_find(const sp_inv_class *c, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(c[i].name, name))
            return i;
    return -1;
}

const char *sp_inv_class_list(const sp_inv_class *c, int n, char *buf, size_t size)
{
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "%s%s", i ? ", " : "", c[i].name);
    }
    if (!n)
        snprintf(buf, size, "none in the factor table");
    return buf;
}

int sp_inv_class_add(sp_inv_class **c, int *n, const char *name)
{
    int i = sp_inv_class_find(*c, *n, name);
    if (i >= 0)
        return i;
    sp_inv_class *nc = realloc(*c, (size_t)(*n + 1) * sizeof *nc);
    if (!nc)
        return -1;
    *c = nc;
    memset(&nc[*n], 0, sizeof nc[*n]);
    if (!(nc[*n].name = strdup(name)))
        return -1;
    return (*n)++;
}

/* The row's pollutant (index into *p) must be known, or '*' where star allows it (then
 * *p = -1), and its value non-negative. */
sp_status sp_inv_row_check(sp_ctx *ctx, const sp_factors *f, const sp_factor *r, bool star,
                           int *p)
{
    *p = sp_pollutant_index(r->pollutant);
    if (*p < 0 && !(star && !strcmp(r->pollutant, "*")))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown pollutant '%s' (known: NOx, VOCs, "
                        "PM2.5, PM10, SO2, CO, CO2, fume, CO2_scope2)", f->path, r->line, r->pollutant);
    if (r->value < 0)
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: a factor cannot be negative", f->path, r->line);
    return SP_OK;
}

/* ---- sources ----------------------------------------------------------------- */

void sp_inv_finish(const sp_inventory_model *m, sp_sector s, double E[SP_NPOL],
                   uint64_t *applied)
{
    for (int p = 0; p < SP_NPOL; p++) {
        if (m->keep[s][p] != 1 && E[p] > 0 && m->measures)
            for (int i = 0; i < m->measures->n; i++) {
                const sp_measure *x = &m->measures->m[i];
                if (x->kind == SP_M_REDUCE && x->sector == s && x->percent > 0 &&
                    (x->pollutant < 0 || x->pollutant == p))
                    *applied |= (uint64_t)1 << i;
            }
        E[p] *= m->keep[s][p];
    }
}

int sp_inv_upgrade(const sp_inventory_model *m, sp_measure_kind kind, double size,
                   const sp_inv_class *c, int n, int cls, int p, bool higher,
                   uint64_t *applied)
{
    for (int i = 0; m->measures && i < m->measures->n; i++) {
        const sp_measure *x = &m->measures->m[i];
        if (x->kind != kind || size < x->min)
            continue;
        int to = sp_inv_class_find(c, n, x->cls);
        if (to >= 0 && to != cls && (higher ? c[to].v[p] > c[cls].v[p] : c[to].v[p] < c[cls].v[p])) {
            cls = to;
            *applied |= (uint64_t)1 << i;
        }
    }
    return cls;
}

void sp_inv_apply_star(sp_inv_class *c, int *n)
{
    int star = sp_inv_class_find(c, *n, "*");
    if (star < 0)
        return;
    for (int i = 0; i < *n; i++) {
        if (i == star)
            continue;
        for (int p = 0; p < SP_NPOL; p++)
            if (!c[i].has[p]) {
                c[i].v[p] = c[star].v[p];
                c[i].unit[p] = c[star].unit[p];
            }
    }
}

sp_status sp_inv_parse_upgrade(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where,
                               sp_measure_kind kind, const char *verb, const char *min_key,
                               const char *cls_key, const char *dflt, const char *usage)
{
    if (nw < 2 || strcmp(w[1], verb) || nw % 2)
        return sp_error(ctx, SP_ERR_DATA, "%s: expected '%s'", where, usage);
    m->kind = kind;
    const char *cls = dflt;
    for (int i = 2; i < nw; i += 2) {
        char *end;
        if (!strcmp(w[i], min_key)) {
            m->min = strtod(w[i + 1], &end);
            if (end == w[i + 1] || *end || !(m->min >= 0) || !isfinite(m->min))
                return sp_error(ctx, SP_ERR_DATA, "%s: %s '%s' is not a non-negative number",
                                where, min_key, w[i + 1]);
        } else if (!strcmp(w[i], cls_key)) {
            cls = w[i + 1];
        } else {
            return sp_error(ctx, SP_ERR_DATA, "%s: expected '%s'", where, usage);
        }
    }
    return (m->cls = strdup(cls)) ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
}
