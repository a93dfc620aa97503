/* sp_score_spec: the sp-score spec file. One directive per line, '#' starts a comment,
 * "double quotes" keep spaces in a value; every error names the file and the line. The
 * format is documented in docs/sp-score.md and samples/score.spec. */
#include "score/sp_score.h"
#include "core/sp_text.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXTOK 32

void sp_score_spec_free(sp_score_spec *s)
{
    if (!s)
        return;
    free(s->id);
    free(s->label);
    for (int i = 0; i < s->nind; i++) {
        free(s->ind[i].name);
        free(s->ind[i].expr.col[0]);
        free(s->ind[i].expr.col[1]);
        free(s->ind[i].label);
        free(s->ind[i].unit);
    }
    free(s->ind);
    for (int i = 0; i < s->nflt; i++) {
        free(s->flt[i].str);
        free(s->flt[i].expr.col[0]);
        free(s->flt[i].expr.col[1]);
        free(s->flt[i].text);
    }
    free(s->flt);
    for (int i = 0; i < s->ntie; i++) {
        free(s->tie[i].expr.col[0]);
        free(s->tie[i].expr.col[1]);
    }
    free(s->tie);
    free(s->ug_members);
    free(s->ug_exposure);
    for (int i = 0; i < s->ncontrib; i++) {
        free(s->contrib[i].label);
        free(s->contrib[i].col);
    }
    free(s->contrib);
    for (int i = 0; i < s->nsyn; i++) {
        free(s->syn[i].pollutant);
        free(s->syn[i].base);
        free(s->syn[i].scen);
    }
    free(s->syn);
    free(s);
}

static bool is_op(char c)
{
    return c == '+' || c == '-' || c == '*' || c == '/';
}

/* One operand at *p: a number, or a column name running to the next operator. */
static bool operand(const char **p, char **col, double *num)
{
    const char *s = *p;
    char *end;
    if (isdigit((unsigned char)s[0]) || s[0] == '.' ||
        ((s[0] == '-' || s[0] == '+') && (isdigit((unsigned char)s[1]) || s[1] == '.'))) {
        *num = strtod(s, &end);
        if (end == s || !isfinite(*num))
            return false;
        *p = end;
        *col = NULL;
        return true;
    }
    const char *e = s;
    while (*e && !is_op(*e))
        e++;
    if (e == s)
        return false;
    *col = strndup(s, (size_t)(e - s));
    *p = e;
    return *col != NULL;
}

static sp_status parse_expr(sp_ctx *ctx, const char *name, int line, const char *s,
                            sp_score_expr *e)
{
    memset(e, 0, sizeof *e);
    const char *p = s;
    if (!operand(&p, &e->col[0], &e->num[0]))
        goto bad;
    if (*p) {
        e->op = *p++;
        if (!is_op(e->op) || !operand(&p, &e->col[1], &e->num[1]) || *p)
            goto bad;
    }
    return SP_OK;
bad:
    free(e->col[0]);
    free(e->col[1]);
    memset(e, 0, sizeof *e);
    return sp_error(ctx, SP_ERR_DATA, "%s:%d: cannot read the value '%s': write COLUMN, "
                    "NUMBER or two of them joined by one of + - * / (no spaces)", name, line, s);
}

static bool parse_direction(const char *s, bool *higher)
{
    if (!strcmp(s, "higher") || !strcmp(s, "high"))
        *higher = true;
    else if (!strcmp(s, "lower") || !strcmp(s, "low"))
        *higher = false;
    else
        return false;
    return true;
}

static bool parse_num(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && !*end && isfinite(*v);
}

static bool parse_int(const char *s, int *v)
{
    char *end;
    long l = strtol(s, &end, 10);
    if (end == s || *end || l < 0 || l > 1000000)
        return false;
    *v = (int)l;
    return true;
}

#define GROW(arr, n) (((arr) = grow((arr), (size_t)(n) + 1, sizeof *(arr))) != NULL)
static void *grow(void *p, size_t n, size_t size)
{
    void *q = realloc(p, n * size);
    if (!q)
        free(p);
    return q;
}

static sp_status indicator(sp_ctx *ctx, const char *name, int line, char **tok, int n,
                           sp_score_spec *s)
{
    if (n < 6)
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: indicator wants NAME VALUE higher|lower "
                        "WEIGHT minmax|zscore|rank [label=TEXT] [unit=TEXT] [scale=K]",
                        name, line);
    for (int i = 0; i < s->nind; i++)
        if (!strcmp(s->ind[i].name, tok[1]))
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: indicator '%s' is already defined on "
                            "line %d", name, line, tok[1], s->ind[i].line);
    sp_score_indicator d = {.line = line, .scale = 1};
    if (!parse_direction(tok[3], &d.higher))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: direction '%s' is not higher or lower",
                        name, line, tok[3]);
    if (!parse_num(tok[4], &d.weight))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: weight '%s' is not a number", name, line,
                        tok[4]);
    if (d.weight <= 0)
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: weight %s of '%s' must be positive (to "
                        "favour low values write 'lower'; to drop it, delete the line)",
                        name, line, tok[4], tok[1]);
    if (!strcmp(tok[5], "minmax"))
        d.norm = SP_NORM_MINMAX;
    else if (!strcmp(tok[5], "zscore"))
        d.norm = SP_NORM_ZSCORE;
    else if (!strcmp(tok[5], "rank"))
        d.norm = SP_NORM_RANK;
    else
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: normalisation '%s' is not minmax, zscore "
                        "or rank", name, line, tok[5]);
    const char *label = NULL, *unit = NULL;
    for (int i = 6; i < n; i++) {
        if (!strncmp(tok[i], "label=", 6))
            label = tok[i] + 6;
        else if (!strncmp(tok[i], "unit=", 5))
            unit = tok[i] + 5;
        else if (!strncmp(tok[i], "scale=", 6)) {
            if (!parse_num(tok[i] + 6, &d.scale) || d.scale == 0)
                return sp_error(ctx, SP_ERR_DATA, "%s:%d: scale '%s' is not a non-zero "
                                "number", name, line, tok[i] + 6);
        } else
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown indicator option '%s' (label=, "
                            "unit=, scale=)", name, line, tok[i]);
    }
    sp_status rc = parse_expr(ctx, name, line, tok[2], &d.expr);
    if (rc)
        return rc;
    d.name = strdup(tok[1]);
    d.label = strdup(label ? label : tok[1]);
    d.unit = strdup(unit ? unit : "");
    if (!d.name || !d.label || !d.unit || !GROW(s->ind, s->nind)) {
        free(d.name);
        free(d.label);
        free(d.unit);
        free(d.expr.col[0]);
        free(d.expr.col[1]);
        s->nind = 0;
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    s->ind[s->nind++] = d;
    return SP_OK;
}

static sp_status filter(sp_ctx *ctx, const char *name, int line, char **tok, int n,
                        sp_score_spec *s)
{
    static const char *ops[] = {">=", ">", "<=", "<", "==", "!=", "present"};
    sp_score_filter f = {.line = line};
    int k = 0;
    if (n == 3 || n == 4)
        for (; k < 7; k++)
            if (!strcmp(tok[2], ops[k]))
                break;
    if ((n != 3 && n != 4) || k == 7 || (k == 6) != (n == 3))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: filter wants VALUE >=|>|<=|<|==|!= NUMBER, "
                        "or VALUE present", name, line);
    f.cmp = (sp_score_cmp)k;
    if (n == 4 && !parse_num(tok[3], &f.value)) {
        /* a text: == and != compare a text column's cells (e.g. filter type != 乡) */
        if (f.cmp != SP_CMP_EQ && f.cmp != SP_CMP_NE)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: '%s' is not a number (a text can only be "
                            "compared with == or !=)", name, line, tok[3]);
        if (!(f.str = strdup(tok[3])))
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    sp_status rc = parse_expr(ctx, name, line, tok[1], &f.expr);
    if (rc) {
        free(f.str);
        return rc;
    }
    char text[512];
    snprintf(text, sizeof text, "%s %s%s%s", tok[1], tok[2], n == 4 ? " " : "",
             n == 4 ? tok[3] : "");
    if (!(f.text = strdup(text)) || !GROW(s->flt, s->nflt)) {
        free(f.str);
        free(f.text);
        free(f.expr.col[0]);
        free(f.expr.col[1]);
        s->nflt = 0;
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    s->flt[s->nflt++] = f;
    return SP_OK;
}

static sp_status set_str(sp_ctx *ctx, char **dst, const char *v)
{
    free(*dst);
    if (!(*dst = strdup(v)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return SP_OK;
}

/* One function per directive; each gets the line's words tok[0..n-1] (tok[0] the
 * directive) and fills the spec. */
#define DIRECTIVE(fn)                                                                  \
    static sp_status fn(sp_ctx *ctx, const char *name, int line, char **tok, int n,   \
                        sp_score_spec *s)

DIRECTIVE(d_column)
{
    const char *d = tok[0];
    if (n != 2)
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: %s wants one column name", name, line, d);
    return set_str(ctx, !strcmp(d, "id") ? &s->id : &s->label, tok[1]);
}

DIRECTIVE(d_count)
{
    const char *d = tok[0];
    int v;
    if (n != 2 || !parse_int(tok[1], &v) || (d[0] == 's' && v < 1) || (d[0] == 'r' && v > 10))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: %s wants %s", name, line, d,
                        d[0] == 's' ? "a whole number of zones, at least 1"
                                    : "a whole number from 0 to 10");
    *(d[0] == 's' ? &s->select : &s->reasons) = v;
    return SP_OK;
}

DIRECTIVE(d_ties)
{
    if (n != 2 || (strcmp(tok[1], "order") && strcmp(tok[1], "include")))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: ties wants 'order' (exactly the number "
                        "selected, ties broken by the tie rules then id) or 'include' (every "
                        "zone tied with the last selected is selected too)", name, line);
    s->ties_include = !strcmp(tok[1], "include");
    return SP_OK;
}

DIRECTIVE(d_tie)
{
    sp_score_tie t = {.line = line};
    if (n != 3 || !parse_direction(tok[2], &t.higher))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: tie wants VALUE higher|lower", name, line);
    sp_status rc = parse_expr(ctx, name, line, tok[1], &t.expr);
    if (rc)
        return rc;
    if (!GROW(s->tie, s->ntie)) {
        free(t.expr.col[0]);
        free(t.expr.col[1]);
        s->ntie = 0;
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    s->tie[s->ntie++] = t;
    return SP_OK;
}

DIRECTIVE(d_synergy)
{
    if (n != 4)
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: synergy wants POLLUTANT BASE_COLUMN "
                        "SCENARIO_COLUMN (one line for co2, one per air pollutant)", name, line);
    for (int i = 0; i < s->nsyn; i++)
        if (!strcmp(s->syn[i].pollutant, tok[1]))
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: synergy '%s' is already given on line %d",
                            name, line, tok[1], s->syn[i].line);
    sp_score_syn y = {.line = line, .pollutant = strdup(tok[1]), .base = strdup(tok[2]),
                      .scen = strdup(tok[3])};
    if (!y.pollutant || !y.base || !y.scen || !GROW(s->syn, s->nsyn)) {
        free(y.pollutant);
        free(y.base);
        free(y.scen);
        s->nsyn = 0;
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    s->syn[s->nsyn++] = y;
    return SP_OK;
}

DIRECTIVE(d_microgram)
{
    if (n < 2 || n > 5 || s->ug_members)
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: %s", name, line, s->ug_members
                        ? "one microgram line only"
                        : "microgram wants MEMBER_COLUMNS [exposure=COLUMNS] [threshold=UG] "
                          "[p=SHARE], e.g. microgram c_delta_pm25_m??_mean "
                          "exposure=c_delta_pm25_m??_weighted_mean threshold=1 p=0.8");
    for (int i = 2; i < n; i++) {
        if (!strncmp(tok[i], "exposure=", 9)) {
            sp_status rc = tok[i][9] ? set_str(ctx, &s->ug_exposure, tok[i] + 9)
                                     : sp_error(ctx, SP_ERR_DATA, "%s:%d: exposure= wants the "
                                                "members' columns", name, line);
            if (rc)
                return rc;
            continue;
        }
        double *dst = !strncmp(tok[i], "threshold=", 10) ? &s->ug_threshold
                      : !strncmp(tok[i], "p=", 2)        ? &s->ug_p
                                                         : NULL;
        char *end;
        double v = dst ? strtod(strchr(tok[i], '=') + 1, &end) : NAN;
        if (!dst || *end || !isfinite(v) || v < 0 || (dst == &s->ug_p && v > 1))
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: '%s': want threshold=UG (>= 0) or "
                            "p=SHARE (0-1)", name, line, tok[i]);
        *dst = v;
    }
    s->ug_line = line;
    return set_str(ctx, &s->ug_members, tok[1]);
}

DIRECTIVE(d_contrib)
{
    if (n != 3)
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: contrib wants LABEL COLUMN (the change in "
                        "ug/m3 that LABEL delivers)", name, line);
    sp_score_contrib c = {.line = line, .label = strdup(tok[1]), .col = strdup(tok[2])};
    if (!c.label || !c.col || !GROW(s->contrib, s->ncontrib)) {
        free(c.label);
        free(c.col);
        s->ncontrib = 0;
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    s->contrib[s->ncontrib++] = c;
    return SP_OK;
}

DIRECTIVE(d_els_threshold)
{
    char *end = NULL;
    double v = n == 2 ? strtod(tok[1], &end) : NAN;
    if (n != 2 || end == tok[1] || strcmp(end, "%") || !(v >= 0 && v <= 100))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: els_threshold wants PERCENT%% (e.g. 1%%)",
                        name, line);
    s->els_threshold = v / 100;
    return SP_OK;
}

static const struct {
    const char *name;
    sp_status (*fn)(sp_ctx *, const char *, int, char **, int, sp_score_spec *);
} DIRECTIVES[] = {
    {"els_threshold", d_els_threshold},
    {"id", d_column},       {"label", d_column},         {"select", d_count},
    {"ties", d_ties},       {"tie", d_tie},              {"reasons", d_count},
    {"filter", filter},     {"synergy", d_synergy},      {"indicator", indicator},
    {"microgram", d_microgram}, {"contrib", d_contrib},
};

static sp_status directive(sp_ctx *ctx, const char *name, int line, char **tok, int n,
                           sp_score_spec *s)
{
    char known[256] = "";
    for (size_t k = 0; k < sizeof DIRECTIVES / sizeof *DIRECTIVES; k++) {
        if (!strcmp(tok[0], DIRECTIVES[k].name))
            return DIRECTIVES[k].fn(ctx, name, line, tok, n, s);
        size_t l = strlen(known);
        snprintf(known + l, sizeof known - l, "%s%s", k ? ", " : "", DIRECTIVES[k].name);
    }
    return sp_error(ctx, SP_ERR_DATA, "%s:%d: unknown directive '%s' (known: %s)", name, line,
                    tok[0], known);
}

sp_status sp_score_spec_parse(sp_ctx *ctx, const char *text, const char *name,
                              sp_score_spec **out)
{
    *out = NULL;
    sp_score_spec *s = calloc(1, sizeof *s);
    char *buf = strdup(text);
    if (!s || !buf) {
        free(s);
        free(buf);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    s->select = 15;
    s->reasons = 2;
    s->ug_threshold = 1;
    s->ug_p = 0.8;
    s->els_threshold = 0.01;
    sp_status rc = SP_OK;
    int line = 0;
    for (char *p = buf; p && !rc;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        line++;
        char *tok[MAXTOK];
        int n = sp_text_tokenize(p, tok, MAXTOK);
        if (n == -1)
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: a quote is not closed", name, line);
        else if (n == -2)
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: more than %d words", name, line, MAXTOK);
        else if (n > 0)
            rc = directive(ctx, name, line, tok, n, s);
        p = nl ? nl + 1 : NULL;
    }
    free(buf);
    if (!rc && s->nind == 0)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: no indicator: a spec needs at least one "
                      "'indicator' line", name);
    if (!rc && s->nsyn) {
        int co2 = -1;
        for (int i = 0; i < s->nsyn; i++)
            if (!strcmp(s->syn[i].pollutant, "co2"))
                co2 = i;
        if (co2 < 0)
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: synergy needs a 'synergy co2 BASE SCEN' "
                          "line: CO2 is the reference of the co-control coordinates",
                          name, s->syn[0].line);
        else if (s->nsyn == 1)
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: synergy needs at least one air pollutant "
                          "besides co2", name, s->syn[0].line);
        else if (co2 != 0) { /* co2 first (the run relies on it), the others in order */
            sp_score_syn t = s->syn[co2];
            memmove(s->syn + 1, s->syn, (size_t)co2 * sizeof *s->syn);
            s->syn[0] = t;
        }
    }
    if (rc)
        sp_score_spec_free(s);
    else
        *out = s;
    return rc;
}
