/* sp_inventory: the emission model. The factor table is resolved once into arrays
 * (classes, vehicles x standards, speed bins) so that a source costs a few
 * multiplications; measures are applied either to the model (fleet mixes, reductions)
 * or to the source (boiler retrofits, purifiers). Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sp_sector_index(const char *name)
{
    for (int i = 0; i < SP_NSEC; i++)
        if (!strcasecmp(name, SP_SECTORS[i].name))
            return i;
    return -1;
}

/* ---- measures ---------------------------------------------------------------- */

void sp_measures_free(sp_measures *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++) {
        free(m->m[i].text);
        free(m->m[i].cls);
        free(m->m[i].vehicle);
        free(m->m[i].standard);
    }
    free(m->m);
    free(m->path);
    free(m);
}

static bool parse_num(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && !*end && isfinite(*v);
}

/* A number, optionally followed by '%'; *percent tells which. */
static bool parse_num_pct(const char *s, double *v, bool *percent)
{
    char buf[64];
    size_t n = strlen(s);
    *percent = n && s[n - 1] == '%';
    if (!*percent)
        return parse_num(s, v);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n - 1);
    buf[n - 1] = 0;
    return parse_num(buf, v);
}

/* "reduce SECTOR POLLUTANT|all PERCENT" */
static sp_status parse_reduce(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    m->kind = SP_M_REDUCE;
    if (nw != 4)
        return sp_error(ctx, SP_ERR_DATA, "%s: expected 'reduce SECTOR POLLUTANT|all PERCENT'",
                        where);
    int s = sp_sector_index(w[1]);
    if (s < 0)
        return sp_error(ctx, SP_ERR_DATA, "%s: unknown sector '%s' (known: catering, boiler, "
                        "road, area, facility, petrol, nonroad, autorepair)", where, w[1]);
    m->sector = (sp_sector)s;
    m->pollutant = strcmp(w[2], "all") ? sp_pollutant_index(w[2]) : -1;
    if (strcmp(w[2], "all") && m->pollutant < 0)
        return sp_error(ctx, SP_ERR_DATA, "%s: unknown pollutant '%s' (known: NOx, VOCs, PM2.5, "
                        "PM10, SO2, CO, CO2, fume, CO2_scope2, all)", where, w[2]);
    bool pct;
    if (!parse_num_pct(w[3], &m->percent, &pct) || m->percent < 0 || m->percent > 100)
        return sp_error(ctx, SP_ERR_DATA, "%s: percent '%s' must be between 0 and 100", where,
                        w[3]);
    return SP_OK;
}

static sp_status parse_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    const char *usage = NULL;
    if (nw >= 2 && !strcmp(w[0], "boiler") && !strcmp(w[1], "retrofit")) {
        m->kind = SP_M_RETROFIT;
        m->cls = strdup("low");
        for (int i = 2; i < nw; i += 2) {
            if (i + 1 >= nw) {
                usage = "boiler retrofit [min_mw X] [to CLASS]";
                break;
            }
            if (!strcmp(w[i], "min_mw")) {
                if (!parse_num(w[i + 1], &m->min) || m->min < 0)
                    return sp_error(ctx, SP_ERR_DATA, "%s: min_mw '%s' is not a "
                                    "non-negative number", where, w[i + 1]);
            } else if (!strcmp(w[i], "to")) {
                free(m->cls);
                m->cls = strdup(w[i + 1]);
            } else {
                usage = "boiler retrofit [min_mw X] [to CLASS]";
                break;
            }
        }
    } else if (nw >= 2 && !strcmp(w[0], "catering") && !strcmp(w[1], "purifier")) {
        m->kind = SP_M_PURIFIER;
        m->cls = strdup("high");
        for (int i = 2; i < nw; i += 2) {
            if (i + 1 >= nw) {
                usage = "catering purifier [min_stoves N] [class CLASS]";
                break;
            }
            if (!strcmp(w[i], "min_stoves")) {
                if (!parse_num(w[i + 1], &m->min) || m->min < 0)
                    return sp_error(ctx, SP_ERR_DATA, "%s: min_stoves '%s' is not a "
                                    "non-negative number", where, w[i + 1]);
            } else if (!strcmp(w[i], "class")) {
                free(m->cls);
                m->cls = strdup(w[i + 1]);
            } else {
                usage = "catering purifier [min_stoves N] [class CLASS]";
                break;
            }
        }
    } else if (nw >= 1 && !strcmp(w[0], "road") && nw >= 2 && !strcmp(w[1], "remove")) {
        m->kind = SP_M_REMOVE;
        if (nw != 4)
            usage = "road remove VEHICLE STANDARD";
        else {
            m->vehicle = strdup(w[2]);
            m->standard = strdup(w[3]);
        }
    } else if (nw >= 2 && !strcmp(w[0], "road") && !strcmp(w[1], "nev")) {
        m->kind = SP_M_NEV;
        if (nw != 4)
            usage = "road nev VEHICLE SHARE";
        else {
            m->vehicle = strdup(w[2]);
            if (!sp_inv_parse_share(w[3], &m->share))
                return sp_error(ctx, SP_ERR_DATA, "%s: share '%s' must be between 0 and 1 "
                                "(or 0%% and 100%%)", where, w[3]);
        }
    } else if (!strcmp(w[0], "facility")) {
        return sp_inv_facility_measure(ctx, w, nw, m, where);
    } else if (!strcmp(w[0], "petrol")) {
        return sp_inv_petrol_measure(ctx, w, nw, m, where);
    } else if (!strcmp(w[0], "nonroad")) {
        return sp_inv_nonroad_measure(ctx, w, nw, m, where);
    } else if (!strcmp(w[0], "autorepair")) {
        return sp_inv_autorepair_measure(ctx, w, nw, m, where);
    } else if (!strcmp(w[0], "reduce")) {
        return parse_reduce(ctx, w, nw, m, where);
    } else {
        return sp_error(ctx, SP_ERR_DATA,
                        "%s: unknown measure '%s%s%s' (known: boiler retrofit, catering "
                        "purifier, road remove, road nev, facility, petrol recovery, nonroad nev, "
                        "autorepair upgrade, reduce)",
                        where, w[0], nw > 1 ? " " : "", nw > 1 ? w[1] : "");
    }
    if (usage)
        return sp_error(ctx, SP_ERR_DATA, "%s: expected '%s'", where, usage);
    if ((m->kind == SP_M_RETROFIT || m->kind == SP_M_PURIFIER) && !m->cls)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if ((m->kind == SP_M_REMOVE && (!m->vehicle || !m->standard)) ||
        (m->kind == SP_M_NEV && !m->vehicle))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return SP_OK;
}

sp_status sp_measures_parse(sp_ctx *ctx, const char *text, const char *name, sp_measures **out)
{
    *out = NULL;
    sp_measures *ms = calloc(1, sizeof *ms);
    if (!ms || !(ms->path = strdup(name)) ||
        !(ms->m = calloc(SP_MAX_MEASURES, sizeof *ms->m))) {
        sp_measures_free(ms);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    sp_status rc = SP_OK;
    int line = 0;
    for (const char *p = text; *p;) {
        line++;
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char buf[1024];
        if (len >= sizeof buf) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: line too long", name, line);
            goto fail;
        }
        memcpy(buf, p, len);
        buf[len] = 0;
        p += len + (e ? 1 : 0);
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = 0;
        char *w[16];
        int nw = 0;
        for (char *s = strtok(buf, " \t\r"); s; s = strtok(NULL, " \t\r")) {
            if (nw == 16) {
                rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: too many words", name, line);
                goto fail;
            }
            w[nw++] = s;
        }
        if (!nw)
            continue;
        if (ms->n == SP_MAX_MEASURES) {
            rc = sp_error(ctx, SP_ERR_LIMIT, "%s:%d: more than %d measures", name, line,
                          SP_MAX_MEASURES);
            goto fail;
        }
        char where[512];
        snprintf(where, sizeof where, "%s:%d", name, line);
        sp_measure *m = &ms->m[ms->n++];
        m->line = line;
        if ((rc = parse_measure(ctx, w, nw, m, where)))
            goto fail;
        char txt[1024] = "";
        for (int i = 0; i < nw; i++) {
            size_t l = strlen(txt);
            snprintf(txt + l, sizeof txt - l, "%s%s", i ? " " : "", w[i]);
        }
        if (!(m->text = strdup(txt))) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    if (!ms->n) {
        rc = sp_error(ctx, SP_ERR_DATA, "%s: no measures (an empty scenario is the "
                      "baseline: leave out -m)", name);
        goto fail;
    }
    *out = ms;
    return SP_OK;
fail:
    sp_measures_free(ms);
    return rc;
}

sp_status sp_measures_read(sp_ctx *ctx, const char *path, sp_measures **out)
{
    *out = NULL;
    char *buf;
    sp_status rc = sp_text_read_file(ctx, path, "measures file", &buf);
    if (rc)
        return rc;
    rc = sp_measures_parse(ctx, buf, path, out);
    free(buf);
    return rc;
}

/* ---- model ------------------------------------------------------------------- */

static void free_classes(sp_inv_class *c, int n)
{
    for (int i = 0; i < n; i++)
        free(c[i].name);
    free(c);
}

void sp_inventory_model_free(sp_inventory_model *m)
{
    if (!m)
        return;
    free_classes(m->cuisine, m->ncuisine);
    free_classes(m->removal, m->nremoval);
    free_classes(m->boiler, m->nboiler);
    free_classes(m->area, m->narea);
    free_classes(m->petrol, m->npetrol);
    free_classes(m->nonroad, m->nnonroad);
    free_classes(m->repair, m->nrepair);
    for (int i = 0; i < m->nveh; i++) {
        sp_inv_vehicle *v = &m->veh[i];
        for (int k = 0; k < v->nstd; k++)
            free(v->std[k]);
        free(v->std);
        free(v->mix);
        free(v->ef);
        free(v->name);
    }
    free(m->veh);
    free(m->speed);
    free(m->fleet);
    free(m);
}

/* The sector owning the rows of table sector name, or -1. */
static int row_owner(const char *name)
{
    for (int s = 0; s < SP_NSEC; s++)
        for (int k = 0; k < SP_SECTOR_MAX_ROWS && SP_SECTORS[s].rows[k]; k++)
            if (!strcmp(name, SP_SECTORS[s].rows[k]))
                return s;
    return -1;
}

/* Every row goes to the sector owning it, after each sector's first pass (begin). */
static sp_status build_rows(sp_ctx *ctx, const sp_factors *f, sp_inventory_model *m)
{
    sp_status rc;
    for (int s = 0; s < SP_NSEC; s++)
        if (SP_SECTORS[s].begin && (rc = SP_SECTORS[s].begin(ctx, f, m)))
            return rc;
    for (int i = 0; i < f->n; i++) {
        const sp_factor *r = &f->rows[i];
        int s = row_owner(r->sector);
        if (s < 0) {
            char known[256] = "";
            for (int k = 0; k < SP_NSEC; k++)
                for (int j = 0; j < SP_SECTOR_MAX_ROWS && SP_SECTORS[k].rows[j]; j++) {
                    size_t l = strlen(known);
                    snprintf(known + l, sizeof known - l, "%s%s", l ? ", " : "",
                             SP_SECTORS[k].rows[j]);
                }
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown sector '%s' (known: %s)", f->path,
                            r->line, r->sector, known);
        }
        if ((rc = SP_SECTORS[s].row(ctx, f, r, m)))
            return rc;
    }
    return SP_OK;
}

sp_status sp_inventory_check_sectors(sp_ctx *ctx, const sp_sector_desc *table)
{
    if (!table)
        table = SP_SECTORS;
    for (int s = 0; s < SP_NSEC; s++) {
        const sp_sector_desc *d = &table[s];
        if (!d->name || !d->rows[0] || !d->row || !d->emit || !d->src_size || !d->help)
            return sp_error(ctx, SP_ERR_INTERNAL, "sector %d (%s) lacks its %s in SP_SECTORS",
                            s, d->name ? d->name : "no name",
                            !d->name ? "name" : !d->rows[0] ? "factor rows" : !d->row ? "row parser"
                            : !d->emit ? "emission function" : !d->src_size ? "source size"
                            : "--help text");
        bool field = false;
        for (int k = 0; k < SP_NFIELDS; k++)
            field |= SP_INV_FIELDS[k].sector == (sp_sector)s;
        if (!field)
            return sp_error(ctx, SP_ERR_INTERNAL, "sector '%s' has no activity field in "
                            "SP_INV_FIELDS", d->name);
    }
    for (int k = 0; k < SP_NFIELDS; k++) {
        const sp_inv_field_desc *fd = &SP_INV_FIELDS[k];
        const char *sec = table[fd->sector].name;
        size_t l = fd->key ? strlen(sec) : 0;
        if (!fd->key || !fd->def || strncmp(fd->key, sec, l) ||
            fd->key[l] != '.')
            return sp_error(ctx, SP_ERR_INTERNAL, "activity field %d is not 'SECTOR.name' with "
                            "a default in SP_INV_FIELDS", k);
    }
    return SP_OK;
}


static sp_status check_class_measures(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    char known[1024];
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind == SP_M_RETROFIT && (sp_inv_class_find(m->boiler, m->nboiler, x->cls) < 0 ||
                                         !strcmp(x->cls, "*")))
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown boiler class '%s' (known: %s)",
                            ms->path, x->line, x->cls,
                            sp_inv_class_list(m->boiler, m->nboiler, known, sizeof known));
        if (x->kind == SP_M_PURIFIER && sp_inv_class_find(m->removal, m->nremoval, x->cls) < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown purifier class '%s' (known: %s)",
                            ms->path, x->line, x->cls,
                            sp_inv_class_list(m->removal, m->nremoval, known, sizeof known));
        if (x->kind == SP_M_REDUCE)
            for (int p = 0; p < SP_NPOL; p++)
                if (x->pollutant < 0 || x->pollutant == p)
                    m->keep[x->sector][p] *= 1 - x->percent / 100;
    }
    return SP_OK;
}



sp_status sp_inventory_model_new(sp_ctx *ctx, const sp_factors *f, const sp_measures *ms,
                                 sp_inventory_model **out)
{
    *out = NULL;
    sp_inventory_model *m = calloc(1, sizeof *m);
    if (!m)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    m->factors = f;
    m->measures = ms;
    for (int s = 0; s < SP_NSEC; s++)
        for (int p = 0; p < SP_NPOL; p++)
            m->keep[s][p] = 1;
    sp_status rc;
    if ((rc = sp_inventory_check_sectors(ctx, NULL)) || (rc = build_rows(ctx, f, m)))
        goto fail;
    for (int s = 0; s < SP_NSEC; s++)
        if (SP_SECTORS[s].end && (rc = SP_SECTORS[s].end(ctx, ms, m)))
            goto fail;
    if ((rc = check_class_measures(ctx, ms, m)))
        goto fail;
    *out = m;
    return SP_OK;
fail:
    sp_inventory_model_free(m);
    return rc;
}

int sp_inventory_speed_bin(const sp_inventory_model *m, double speed)
{
    if (!m->nspeed)
        return 0;
    for (int b = 0; b < m->nspeed; b++)
        if (speed >= m->speed[b].lo && speed < m->speed[b].hi)
            return b;
    return -1;
}
