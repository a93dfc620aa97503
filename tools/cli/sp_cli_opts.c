/* sp_cli_opts: the tools' flag tables. sp_cli_parse reads argv with a tool's table, the
 * common flags and the shared vector-input flags; sp_cli_help prints the same table as
 * --help, so a flag cannot be parsed without being documented, or the reverse. */
#include "sp_cli.h"

#include <cpl_string.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the shared vector-input flags ---------------------------------------------- */

enum { IN_L, IN_WHERE, IN_SQL, IN_DIALECT, IN_S_SRS, IN_S_COORD, IN_ENC, IN_OO, IN_MAKEVALID,
       IN_N };
static const struct {
    const char *name, *arg, *help;
    bool per_layer; /* needs a named input when a run reads several */
} IN_FLAGS[IN_N] = {
    [IN_L] = {"-l", "LAYER", "layer to read (repeatable; default: every layer)", true},
    [IN_WHERE] = {"-where", "EXPR", "attribute filter (OGR SQL)", true},
    [IN_SQL] = {"-sql", "STATEMENT", "read the result of an SQL statement instead of layers", true},
    [IN_DIALECT] = {"-dialect", "NAME", "SQL dialect of -sql: OGRSQL or SQLITE", true},
    [IN_S_SRS] = {"-s_srs", "CRS", "override the input's CRS (e.g. a CSV: EPSG:4326)", false},
    [IN_S_COORD] = {"-s_coord", "gcj02|bd09", "lon/lat are Chinese web-map coordinates (GCJ-02,\n"
                    "BD-09): undone before anything else", false},
    [IN_ENC] = {"-enc", "ENCODING", "shapefile .dbf encoding when there is no .cpg (e.g. GBK)",
                false},
    [IN_OO] = {"-oo", "NAME=VALUE", "GDAL open option (repeatable), e.g. for a CSV:\n"
               "-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat", false},
    [IN_MAKEVALID] = {"-makevalid", NULL, "repair invalid polygons (GEOS MakeValid) instead of\n"
                      "refusing them; each repair is reported", false},
};

static int input_index(const sp_cli *c, const char *name, size_t len)
{
    for (int k = 0; k < c->ninputs; k++)
        if (strlen(c->inputs[k].name) == len && !strncmp(c->inputs[k].name, name, len))
            return k;
    return -1;
}

static int set_input(sp_cli *c, int flag, sp_cli_input *in, const char *v)
{
    sp_vector_options *vo = in->vo;
    switch (flag) {
    case IN_L: {
        char **l = sp_cli_keep(c, CSLAddString(CSLDuplicate((char **)vo->layers), v));
        vo->layers = (const char *const *)l;
        vo->nlayers = CSLCount(l);
        return 0;
    }
    case IN_WHERE: vo->where = v; return 0;
    case IN_SQL: vo->sql = v; return 0;
    case IN_DIALECT: vo->dialect = v; return 0;
    case IN_S_SRS: vo->s_srs = v; return 0;
    case IN_S_COORD:
        if (!sp_coord_parse(v, &vo->s_coord))
            return sp_cli_usage(c, "-s_coord: '%s' is not one of wgs84, gcj02, bd09", v);
        return 0;
    case IN_ENC: vo->encoding = v; return 0;
    case IN_OO:
        if (!strchr(v, '=') || *v == '=')
            return sp_cli_usage(c, "-oo wants NAME=VALUE, got '%s'", v);
        vo->open_options = (const char *const *)sp_cli_keep(
            c, CSLAddString(CSLDuplicate((char **)vo->open_options), v));
        return 0;
    case IN_MAKEVALID: vo->makevalid = true; return 0;
    }
    return sp_cli_usage(c, "internal: input flag %d", flag);
}

/* One input flag with its value: "NAME=VALUE" names an input when the tool has several
 * and NAME is one of them; otherwise it is for every input (or, for the per-layer
 * flags, for the one input the run reads: resolved after parsing). */
static int input_flag(sp_cli *c, int flag, const char *v)
{
    const char *eq = v ? strchr(v, '=') : NULL;
    int k = c->ninputs > 1 && eq ? input_index(c, v, (size_t)(eq - v)) : -1;
    if (k >= 0) {
        if (!c->inputs[k].named)
            c->inputs[k].named = IN_FLAGS[flag].name;
        return set_input(c, flag, &c->inputs[k], eq + 1);
    }
    if (IN_FLAGS[flag].per_layer && c->ninputs > 1) {
        if (c->npending == (int)(sizeof c->pending / sizeof c->pending[0]))
            return sp_cli_usage(c, "too many unnamed input flags");
        c->pending[c->npending].flag = flag;
        c->pending[c->npending++].value = v;
        return 0;
    }
    for (int j = 0; j < c->ninputs; j++) {
        int rc = set_input(c, flag, &c->inputs[j], v);
        if (rc)
            return rc;
    }
    return 0;
}

static int resolve_pending(sp_cli *c)
{
    int used = -1, nused = 0;
    char names[256] = "";
    for (int k = 0; k < c->ninputs; k++) {
        if (c->inputs[k].src && !*c->inputs[k].src) {
            if (c->inputs[k].named)
                return sp_cli_usage(c, "%s %s=...: this run reads no %s input",
                                    c->inputs[k].named, c->inputs[k].name, c->inputs[k].name);
            continue;
        }
        used = k;
        nused++;
        size_t l = strlen(names);
        snprintf(names + l, sizeof names - l, "%s%s", l ? ", " : "", c->inputs[k].name);
    }
    for (int i = 0; i < c->npending; i++) {
        const char *flag = IN_FLAGS[c->pending[i].flag].name;
        if (nused != 1)
            return sp_cli_usage(c, "%s '%s': this run reads %d vector inputs (%s); name one: "
                                "%s %s=%s", flag, c->pending[i].value, nused, names, flag,
                                used >= 0 ? c->inputs[used].name : "NAME", c->pending[i].value);
        int rc = set_input(c, c->pending[i].flag, &c->inputs[used], c->pending[i].value);
        if (rc)
            return rc;
    }
    c->npending = 0;
    return 0;
}

void sp_cli_add_input(sp_cli *c, const char *name, sp_vector_options *vo,
                      const char *const *src)
{
    if (c->ninputs < SP_CLI_MAX_INPUTS)
        c->inputs[c->ninputs++] = (sp_cli_input){name, vo, src, NULL};
}

char **sp_cli_keep(sp_cli *c, char **list)
{
    if (!list)
        return NULL;
    char ***k = realloc(c->kept, (size_t)(c->nkept + 1) * sizeof *k);
    if (!k) { /* cannot track it: it lives until exit, which is soon */
        return list;
    }
    c->kept = k;
    k[c->nkept] = list;
    c->nkept++;
    return list;
}

/* ---- the table ------------------------------------------------------------------- */

static int nargs(const sp_opt *o)
{
    int n = 0;
    for (const char *s = o->args; s && *s;) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        n++;
        while (*s && *s != ' ')
            s++;
    }
    return n;
}

static bool name_is(const char *names, const char *a)
{
    size_t la = strlen(a);
    for (const char *s = names; s && *s;) {
        const char *bar = strchr(s, '|');
        size_t l = bar ? (size_t)(bar - s) : strlen(s);
        if (l == la && !strncmp(s, a, l))
            return true;
        s = bar ? bar + 1 : NULL;
    }
    return false;
}

static int store(sp_cli *c, const sp_opt *o, const char *flag, char **v, int nv)
{
    switch (o->kind) {
    case SP_OPT_SWITCH: *(bool *)o->dst = true; break;
    case SP_OPT_STR: *(const char **)o->dst = v[0]; break;
    case SP_OPT_STRS: {
        char ***l = o->dst, **old = *l;
        *l = CSLAddString(CSLDuplicate(old), v[0]);
        sp_cli_keep(c, *l); /* the old list stays kept: dst may have been copied */
        break;
    }
    case SP_OPT_LIST: {
        char **l = sp_cli_keep(c, sp_cli_split(v[0]));
        if (!l)
            return sp_cli_usage(c, "%s: no values given", flag);
        *(char ***)o->dst = l;
        break;
    }
    case SP_OPT_DOUBLE:
    case SP_OPT_INT:
        for (int k = 0; k < nv; k++) {
            double x;
            int n = 0;
            bool ok = o->kind == SP_OPT_DOUBLE ? sp_cli_double(v[k], &x)
                                               : (sp_cli_int(v[k], &n) && ((x = n), true));
            double whole;
            if (!ok && o->kind == SP_OPT_INT && sp_cli_double(v[k], &whole) && whole == floor(whole))
                return sp_cli_usage(c, "%s: '%s' is out of range (%g-%g)", flag, v[k],
                                    o->min < o->max ? o->min : (double)INT_MIN,
                                    o->min < o->max ? o->max : (double)INT_MAX);
            if (!ok)
                return sp_cli_usage(c, "%s: '%s' is not a %s", flag, v[k],
                                    o->kind == SP_OPT_DOUBLE ? "number" : "whole number");
            if (o->min < o->max && (x < o->min || x > o->max))
                return sp_cli_usage(c, "%s: '%s' is out of range (%g-%g)", flag, v[k], o->min,
                                    o->max);
            if (o->kind == SP_OPT_DOUBLE)
                ((double *)o->dst)[k] = x;
            else
                ((int *)o->dst)[k] = n;
        }
        break;
    case SP_OPT_CALL: return o->fn(c, o, v, o->user);
    case SP_OPT_SECTION: break;
    }
    return 0;
}

int sp_cli_parse(sp_cli *c, const sp_tool_desc *t, const sp_opt *opts, int n, int argc,
                 char **argv, const char **pos)
{
    for (int k = 0; k < t->npos_max; k++)
        pos[k] = NULL;
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "-help")) {
            sp_cli_help(c, t, opts, n, stdout);
            return 3;
        }
        int rc = sp_cli_common(c, argc, argv, &i);
        if (rc == 1)
            continue;
        if (rc > 1)
            return rc;
        const sp_opt *o = NULL;
        for (int k = 0; k < n && !o; k++)
            if (opts[k].kind != SP_OPT_SECTION && name_is(opts[k].name, a))
                o = &opts[k];
        if (o) {
            int nv = nargs(o);
            if (!sp_cli_has(c, argc, argv, i, nv))
                return 2;
            if (o->seen)
                *o->seen = true;
            if ((rc = store(c, o, a, argv + i + 1, nv)))
                return rc;
            i += nv;
            continue;
        }
        int f = -1;
        for (int k = 0; c->ninputs && k < IN_N && f < 0; k++)
            if (!strcmp(a, IN_FLAGS[k].name))
                f = k;
        if (f >= 0) {
            bool has = IN_FLAGS[f].arg != NULL;
            if (has && !sp_cli_has(c, argc, argv, i, 1))
                return 2;
            if ((rc = input_flag(c, f, has ? argv[++i] : NULL)))
                return rc;
            continue;
        }
        if (a[0] == '-' && a[1])
            return sp_cli_usage(c, "unknown option '%s'", a);
        if (npos == t->npos_max)
            return sp_cli_usage(c, "too many arguments: '%s'", a);
        pos[npos++] = a;
    }
    if (npos < t->npos_min)
        return sp_cli_usage(c, "%s", t->pos_error);
    return resolve_pending(c);
}

/* ---- --help --------------------------------------------------------------------- */

static void help_line(FILE *fp, const char *name, const char *args, const char *help)
{
    char head[128], names[64];
    snprintf(names, sizeof names, "%s", name);
    for (char *b = names; (b = strchr(b, '|'));) /* aliases: "-of|-f" -> "-of, -f" */
        *b = '/';
    snprintf(head, sizeof head, "%s%s%s", names, args ? " " : "", args ? args : "");
    if (!help) {
        fprintf(fp, "  %s\n", head);
        return;
    }
    fprintf(fp, "  %-22s", head);
    if (strlen(head) > 22)
        fputs("\n  ", fp), fprintf(fp, "%-22s", "");
    for (const char *s = help ? help : ""; *s;) {
        const char *nl = strchr(s, '\n');
        int l = nl ? (int)(nl - s) : (int)strlen(s);
        fprintf(fp, " %.*s\n", l, s);
        if (!nl)
            return;
        s = nl + 1;
        fprintf(fp, "  %-22s", "");
    }
    fputc('\n', fp);
}

void sp_cli_help(const sp_cli *c, const sp_tool_desc *t, const sp_opt *opts, int n, FILE *fp)
{
    fprintf(fp, "Usage: %s %s\n\n%s\n", c->tool, t->synopsis, t->about);
    for (int k = 0; k < n; k++) {
        const sp_opt *o = &opts[k];
        if (o->kind == SP_OPT_SECTION)
            fprintf(fp, "%s\n", o->help);
        else
            help_line(fp, o->name, o->args, o->help);
    }
    if (c->ninputs) {
        fprintf(fp, "Vector input%s (GDAL's flags):\n", c->ninputs > 1 ? "s" : "");
        if (c->ninputs > 1) {
            fprintf(fp, "  Inputs are named");
            for (int k = 0; k < c->ninputs; k++)
                fprintf(fp, "%s %s", k ? "," : "", c->inputs[k].name);
            fprintf(fp, ".\n  A value NAME=VALUE is for that input (-enc %s=GBK); without a\n"
                        "  name it is for every input, except -l, -where, -sql and -dialect,\n"
                        "  which need the name when a run reads several inputs.\n",
                    c->inputs[0].name);
        }
        for (int k = 0; k < IN_N; k++)
            help_line(fp, IN_FLAGS[k].name, IN_FLAGS[k].arg, IN_FLAGS[k].help);
    }
    fprintf(fp, "Common:\n");
    help_line(fp, "-q", NULL, "quiet: no progress, no summary (warnings and errors stay)");
    help_line(fp, "-max_mem", "SIZE", "refuse work needing more memory (default 4G)");
    help_line(fp, "--config", "KEY VALUE", "GDAL configuration option");
    help_line(fp, "--help, --version", NULL, NULL);
    if (t->notes)
        fprintf(fp, "\n%s", t->notes);
    fprintf(fp, "\nExamples:\n");
    for (const char *s = t->examples; s && *s;) {
        const char *nl = strchr(s, '\n');
        int l = nl ? (int)(nl - s) : (int)strlen(s);
        fprintf(fp, "  %.*s\n", l, s);
        s = nl ? nl + 1 : s + l;
    }
    fprintf(fp, "\nExit codes: 0 ok, 1 failure, 2 usage error.\n");
}

/* ---- -shard and the run's options for a part's sidecar ---------------------------- */

int sp_cli_shard(sp_cli *c, const sp_opt *o, char **v, void *user)
{
    (void)o;
    sp_part_run *p = user;
    if (!sp_shard_parse(v[0], &p->shard))
        return sp_cli_usage(c, "-shard: '%s' is not I/N with 0 <= I < N <= %d (0-based, as "
                            "SLURM_ARRAY_TASK_ID with --array=0-(N-1))", v[0], SP_SHARD_MAX);
    p->tool = c->tool;
    return 0;
}

void sp_cli_run_args(sp_cli *c, int argc, char **argv, const char *dst, sp_part_run *run)
{
    char **l = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-shard") || !strcmp(argv[i], "-from_parts")) {
            i++; /* how the run is split, not what it makes */
            continue;
        }
        if (argv[i] != dst && strcmp(argv[i], "-q"))
            l = CSLAddString(l, argv[i]);
    }
    size_t n = 0;
    for (char **p = l; p && *p; p++)
        n += strlen(*p) + 3;
    char *s = calloc(n + 1, 1);
    for (char **p = l; s && p && *p; p++) {
        if (p != l)
            strcat(s, " ");
        strcat(s, *p);
    }
    char **keep = sp_cli_keep(c, CSLAddString(NULL, s ? s : ""));
    free(s);
    run->args = keep ? keep[0] : "";
    run->argv = (const char *const *)sp_cli_keep(c, l);
}
