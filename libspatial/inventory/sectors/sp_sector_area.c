/* sp_sector_area: the area sector (扬尘): construction sites and other area sources as polygons; by
 * the class's unit, t per m2-month x months, t per m2-yr, or t per source-yr; then each
 * dust control the site has (the table's dustcontrol rows: a control efficiency per
 * pollutant; those marked required are assumed where the registry does not say) keeps
 * (1 - efficiency) of it. Formulas: docs/methods.md, sp-inventory. */
#include "inventory/sp_inventory_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { AREA_CLASS, MONTHS, CONTROLS, NFIELDS };
static const sp_inv_field_desc FIELDS[NFIELDS] = {
    [AREA_CLASS] = {"area.class", "stage"}, [MONTHS] = {"area.months", "months"},
    [CONTROLS] = {"area.controls", "controls"},
};

/* The dust controls of the factor table (dustcontrol,NAME,POLLUTANT|*,EFFICIENCY,fraction
 * and dustcontrol,NAME,required,1,flag): m->state[SP_SEC_AREA]. */
enum { MAX_CONTROLS = 32 };
typedef struct {
    int n;
    char *name[MAX_CONTROLS];
    double eff[MAX_CONTROLS][SP_NPOL];
    uint32_t required; /* bit k: control k is assumed where the registry does not say */
} area_controls;

static void controls_free(void *state)
{
    area_controls *c = state;
    for (int k = 0; c && k < c->n; k++)
        free(c->name[k]);
    free(c);
}

static int control_find(const area_controls *c, const char *name)
{
    for (int k = 0; c && k < c->n; k++)
        if (!strcmp(c->name[k], name))
            return k;
    return -1;
}

static const char *control_list(const area_controls *c, char *buf, size_t n)
{
    buf[0] = 0;
    for (int k = 0, l = 0; c && k < c->n && l < (int)n - 1; k++)
        l += snprintf(buf + l, n - (size_t)l, "%s%s", k ? ", " : "", c->name[k]);
    return buf;
}

static sp_status control_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                             sp_inventory_model *m)
{
    sp_status rc = SP_OK;
    area_controls *c = m->state[SP_SEC_AREA];
    if (!c && !(c = m->state[SP_SEC_AREA] = calloc(1, sizeof *c)))
        NOMEM();
    bool req = !strcmp(r->pollutant, "required");
    int p = req || !strcmp(r->pollutant, "*") ? -1 : sp_pollutant_index(r->pollutant);
    if (req ? !sp_inv_unit_is(r, "flag") || (r->value != 0 && r->value != 1)
            : (!strcmp(r->pollutant, "*") ? false : p < 0) || !sp_inv_unit_is(r, "fraction") ||
                  !(r->value >= 0 && r->value < 1))
        FAIL("%s:%d: dustcontrol rows are 'dustcontrol,NAME,POLLUTANT|*,EFFICIENCY,fraction' "
             "(0 <= efficiency < 1) or 'dustcontrol,NAME,required,0|1,flag'", f->path, r->line);
    int k = control_find(c, r->cls);
    if (k < 0) {
        if (c->n == MAX_CONTROLS)
            FAIL("%s:%d: more than %d dust controls", f->path, r->line, MAX_CONTROLS);
        if (!(c->name[c->n] = strdup(r->cls)))
            NOMEM();
        k = c->n++;
    }
    if (req)
        c->required |= r->value == 1 ? 1u << k : 0;
    else if (p >= 0)
        c->eff[k][p] = r->value;
    else /* '*': every particulate pollutant */
        c->eff[k][SP_PM25] = c->eff[k][SP_PM10] = c->eff[k][SP_TSP] = r->value;
fail:
    return rc;
}

static sp_status area_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                          sp_inventory_model *m)
{
    if (!strcmp(r->sector, "dustcontrol"))
        return control_row(ctx, f, r, m);
    sp_status rc = SP_OK;
    int p;
    if ((rc = sp_inv_row_check(ctx, f, r, false, &p)))
        return rc;
    int u = sp_inv_unit_is(r, "t/m2-month")    ? SP_AREA_PER_M2_MONTH
            : sp_inv_unit_is(r, "t/m2-yr")     ? SP_AREA_PER_M2_YR
            : sp_inv_unit_is(r, "t/source-yr") ? SP_AREA_PER_SOURCE_YR
                                               : SP_AREA_NONE;
    if (u == SP_AREA_NONE)
        FAIL("%s:%d: area rows are in t/m2-month, t/m2-yr or t/source-yr, not '%s'", f->path,
             r->line, r->unit);
    int k = sp_inv_class_add(&m->area, &m->narea, r->cls);
    if (k < 0)
        NOMEM();
    m->area[k].v[p] = r->value;
    m->area[k].unit[p] = u;
    m->area[k].has[p] = true;
fail:
    return rc;
}

/* area control NAME [min_m2 X]: every site of X m2 or more gets control NAME. */
static sp_status area_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where)
{
    m->op = 0;
    m->min = 0;
    if ((nw != 3 && nw != 5) || (nw == 5 && strcmp(w[3], "min_m2")))
        return sp_error(ctx, SP_ERR_DATA, "%s: expected 'area control NAME [min_m2 X]'", where);
    char *end;
    if (nw == 5 && (m->min = strtod(w[4], &end), end == w[4] || *end || !(m->min >= 0)))
        return sp_error(ctx, SP_ERR_DATA, "%s: min_m2 '%s' is not an area in m2", where, w[4]);
    return (m->cls = strdup(w[2])) ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
}

static sp_status area_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m)
{
    sp_inv_apply_star(m->area, &m->narea);
    char known[1024];
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *x = &ms->m[i];
        if (x->kind == SP_M_SECTOR && x->sector == SP_SEC_AREA &&
            control_find(m->state[SP_SEC_AREA], x->cls) < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown dust control '%s' (known: %s; "
                            "the factor table's dustcontrol rows)", ms->path, x->line, x->cls,
                            control_list(m->state[SP_SEC_AREA], known, sizeof known));
    }
    return SP_OK;
}

void sp_inventory_area(const sp_inventory_model *m, const sp_area_src *s, double E[SP_NPOL],
                       uint64_t *applied)
{
    *applied = 0;
    const sp_inv_class *c = &m->area[s->cls];
    for (int p = 0; p < SP_NPOL; p++) {
        switch (c->unit[p]) {
        case SP_AREA_PER_M2_MONTH: E[p] = s->area_m2 * s->months * c->v[p]; break;
        case SP_AREA_PER_M2_YR: E[p] = s->area_m2 * c->v[p]; break;
        case SP_AREA_PER_SOURCE_YR: E[p] = c->v[p]; break;
        case SP_AREA_NONE: E[p] = 0; break; /* the class has no row for p */
        default: E[p] = NAN; /* not reached: every unit is listed */
        }
    }
    /* the site's controls, and those the scenario's measures add */
    const area_controls *dc = m->state[SP_SEC_AREA];
    uint32_t has = s->controls;
    for (int i = 0; dc && m->measures && i < m->measures->n; i++) {
        const sp_measure *x = &m->measures->m[i];
        if (x->kind != SP_M_SECTOR || x->sector != SP_SEC_AREA || s->area_m2 < x->min)
            continue;
        int k = control_find(dc, x->cls);
        if (k >= 0 && !(has & 1u << k)) {
            has |= 1u << k;
            *applied |= (uint64_t)1 << i;
        }
    }
    for (int k = 0; dc && k < dc->n; k++)
        if (has & 1u << k)
            for (int p = 0; p < SP_NPOL; p++)
                E[p] *= 1 - dc->eff[k][p];
    sp_inv_finish(m, SP_SEC_AREA, E, applied);
}
SP_INV_EMIT(sp_inventory_area, sp_area_src)

static sp_status prepare_area(sp_inv_reader *r)
{
    sp_status rc;
    if (!sp_invr_base(r)->narea)
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "the factor table has no area rows");
    if ((rc = sp_invr_find_field(r, AREA_CLASS, false)) || (rc = sp_invr_find_field(r, MONTHS, false)) ||
        (rc = sp_invr_find_field(r, CONTROLS, false)))
        return rc;
    return SP_OK;
}

/* The site's controls: the field's names (separated by ';', ',' or blanks; "none" for
 * none), or, where it has no value, the table's required ones (counted as assumed). */
static sp_status read_controls(sp_inv_reader *r, sp_area_src *s)
{
    const area_controls *c = sp_invr_base(r)->state[SP_SEC_AREA];
    char buf[512], known[1024];
    const char *v = sp_invr_is_set(r, CONTROLS) ? sp_invr_text(r, CONTROLS, buf, sizeof buf) : NULL;
    s->controls = 0;
    if (!v || !v[strspn(v, " ;,\t")]) {
        s->controls = c ? c->required : 0;
        if (s->controls)
            sp_invr_from_class(r, CONTROLS);
        return SP_OK;
    }
    char copy[512];
    snprintf(copy, sizeof copy, "%s", v);
    for (char *save = NULL, *t = strtok_r(copy, " ;,\t", &save); t; t = strtok_r(NULL, " ;,\t", &save)) {
        if (!strcmp(t, "none"))
            continue;
        int k = control_find(c, t);
        if (k < 0)
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld, field '%s': "
                            "unknown dust control '%s' (known: %s; the factor table's dustcontrol "
                            "rows)", sp_invr_layer(r), sp_invr_fid(r),
                            sp_invr_field_name(r, CONTROLS), t, control_list(c, known, sizeof known));
        s->controls |= 1u << k;
    }
    return SP_OK;
}

static sp_status read_area(sp_inv_reader *r, void *src)
{
    sp_area_src *s = src;
    const sp_inventory_model *m = sp_invr_base(r);
    sp_status rc;
    if ((rc = sp_invr_size(r, &s->area_m2)))
        return rc;
    if (sp_invr_has(r, AREA_CLASS)) {
        if ((rc = sp_invr_class_of(r, AREA_CLASS, m->area, m->narea, "area class", &s->cls)))
            return rc;
    } else if ((s->cls = sp_inv_class_find(m->area, m->narea, "*")) < 0) {
        return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s' has no class field '%s' and the "
                        "factor table has no 'area,*' rows", sp_invr_layer(r),
                        sp_invr_field_name(r, AREA_CLASS));
    }
    if ((rc = read_controls(r, s)))
        return rc;
    s->months = 12;
    bool per_month = false;
    for (int p = 0; p < SP_NPOL; p++)
        per_month |= m->area[s->cls].unit[p] == SP_AREA_PER_M2_MONTH;
    if (per_month) {
        if (!sp_invr_has(r, MONTHS))
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s': the area factors are per month "
                            "but there is no field '%s' (-map area.months=FIELD)",
                            sp_invr_layer(r), sp_invr_field_name(r, MONTHS));
        if ((rc = sp_invr_num(r, MONTHS, &s->months)))
            return rc;
        if (s->months > 12)
            return sp_error(sp_invr_ctx(r), SP_ERR_DATA, "layer '%s', feature %lld, field '%s': %g "
                            "months in a year", sp_invr_layer(r), sp_invr_fid(r),
                            sp_invr_field_name(r, MONTHS), s->months);
    }
    return SP_OK;
}

const sp_sector_desc sp_sector_area = {
    .name = "area", .geom = SP_GEOM_POLYGON,
    .help = "area sources (polygons): class (stage), months active and dust controls",
    .rows = {"area", "dustcontrol"}, .fields = FIELDS, .nfields = NFIELDS,
    .measure = area_measure, .measures = "area control",
    .row = area_row, .end = area_end, .state_free = controls_free,
    .emit = sp_inventory_area_emit, .src_size = sizeof(sp_area_src),
    .prepare = prepare_area, .read = read_area,
};
