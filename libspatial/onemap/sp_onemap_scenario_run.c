/* sp_onemap_scenario_run: the scenario explorer's data (-scenario CUTS.csv=RESPONSES.csv):
 * each measure's tonnes (sp-inventory -marginal_out: measure,text,pollutant,cut_t,
 * cut_alone_t, and the row 'all' with the interaction) and each street's PM2.5 cut by each
 * measure (a table with the street id and columns ...cutNN_pm25..., e.g. sp-zonal's
 * r_cutNN_pm25_mean), written as scenario.js for the page, which scales each measure's
 * response by its slider (the model being linear in the emissions). */
#include "onemap/sp_onemap_impl.h"
#include "onemap/sp_onemap_tiles_impl.h"
#include "io/sp_page.h"
#include "io/sp_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the responses' column of measure k (1-based): a name holding cutNN_pm25, or -1 */
static int response_col(const sp_table *t, int k)
{
    char want[32];
    snprintf(want, sizeof want, "cut%02d_pm25", k);
    for (int c = 0; c < t->ncols; c++)
        if (strstr(t->cols[c].name, want))
            return c;
    return -1;
}

static sp_status write_measures(sp_ctx *ctx, FILE *fp, const sp_table *cut, int *nm)
{
    int cm = sp_table_find(cut, "measure"), ct = sp_table_find(cut, "text"),
        cp = sp_table_find(cut, "pollutant"), cc = sp_table_find(cut, "cut_t"),
        ca = sp_table_find(cut, "cut_alone_t"), cy = sp_table_find(cut, "cost_yuan"),
        ch = sp_table_find(cut, "reach");
    if (cm < 0 || ct < 0 || cp < 0 || cc < 0 || ca < 0)
        return sp_error(ctx, SP_ERR_DATA, "-scenario: the cuts table needs the columns measure, "
                        "text, pollutant, cut_t and cut_alone_t (sp-inventory -marginal_out)");
    *nm = 0;
    fputs("  \"measures\": [", fp);
    char b1[256], b2[64];
    for (int r = 0; r < cut->nrows; r++) { /* one object per row: the page groups them */
        const char *m = sp_table_text(cut, cm, r, b1, sizeof b1);
        bool all = !strcmp(m, "all");
        int k = all ? 0 : atoi(m);
        if (!all && k < 1)
            return sp_error(ctx, SP_ERR_DATA, "-scenario: row %d: measure '%s' is neither a "
                            "number nor 'all'", r + 2, m);
        *nm = k > *nm ? k : *nm;
        char *text = sp_page_json(sp_table_text(cut, ct, r, b1, sizeof b1), true);
        bool ok1, ok2, ok3 = false;
        double v = sp_table_number(cut, cc, r, &ok1), a = sp_table_number(cut, ca, r, &ok2);
        double y = cy >= 0 ? sp_table_number(cut, cy, r, &ok3) : NAN; /* optional: the cost */
        fprintf(fp, "%s\n    {\"k\": %d, \"text\": \"%s\", \"pollutant\": \"%s\", \"cut\": %.9g, "
                "\"alone\": %.9g, \"cost\": ", r ? "," : "", k, text ? text : "",
                sp_table_text(cut, cp, r, b2, sizeof b2), ok1 && isfinite(v) ? v : 0,
                ok2 && isfinite(a) ? a : 0);
        fprintf(fp, ok3 && isfinite(y) ? "%.9g" : "null", y);
        bool ok4 = false; /* optional: the measure's reach, where its slider starts */
        double h = ch >= 0 ? sp_table_number(cut, ch, r, &ok4) : NAN;
        fprintf(fp, ", \"reach\": %.6g}", ok4 && h >= 0 && h <= 1 ? h : 1.0);
        free(text);
    }
    fputs("\n  ],\n", fp);
    return SP_OK;
}

sp_status sp_onemap_write_scenario(sp_ctx *ctx, const char *dir, const sp_onemap_options *o)
{
    const char *eq = strchr(o->scenario, '=');
    if (!eq || eq == o->scenario || !eq[1])
        return sp_error(ctx, SP_ERR_USAGE, "-scenario '%s': want CUTS.csv=RESPONSES.csv "
                        "(sp-inventory -marginal_out, and each street's cut per measure)",
                        o->scenario);
    char cpath[4096];
    snprintf(cpath, sizeof cpath, "%.*s", (int)(eq - o->scenario), o->scenario);
    sp_table *cut = NULL, *resp = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    sp_status rc = fp ? sp_table_read(ctx, cpath, NULL, &cut) : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = sp_table_read(ctx, eq + 1, NULL, &resp);
    int nm = 0, cid = resp ? sp_table_find(resp, o->id_field ? o->id_field : "code") : -1;
    if (!rc) {
        fputs("window.ONEMAP_SCENARIO = {\n", fp);
        rc = write_measures(ctx, fp, cut, &nm);
    }
    if (!rc && cid < 0)
        rc = sp_error(ctx, SP_ERR_DATA, "-scenario: '%s' has no field '%s' (the street id)", eq + 1,
                      o->id_field ? o->id_field : "code");
    int col[64];
    for (int k = 1; !rc && k <= nm && k <= 64; k++)
        if ((col[k - 1] = response_col(resp, k)) < 0)
            rc = sp_error(ctx, SP_ERR_DATA, "-scenario: '%s' has no column of measure %d's PM2.5 "
                          "cut (a name with cut%02d_pm25)", eq + 1, k, k);
    if (!rc && nm > 64)
        rc = sp_error(ctx, SP_ERR_LIMIT, "-scenario: more than 64 measures");
    if (!rc)
        fputs("  \"response\": {", fp);
    for (int r = 0; !rc && r < resp->nrows; r++) {
        char b[128];
        char *id = sp_page_json(sp_table_text(resp, cid, r, b, sizeof b), true);
        fprintf(fp, "%s\n    \"%s\": [", r ? "," : "", id ? id : "");
        free(id);
        for (int k = 0; k < nm; k++) {
            bool ok;
            double v = sp_table_number(resp, col[k], r, &ok);
            fprintf(fp, "%s%.6g", k ? ", " : "", ok && isfinite(v) ? v : 0);
        }
        fputc(']', fp);
    }
    if (fp) {
        if (!rc)
            fputs("\n  }\n};\n", fp);
        fclose(fp);
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/scenario.js", dir);
    if (!rc)
        rc = sp_page_write(ctx, path, text);
    free(text);
    sp_table_free(cut);
    sp_table_free(resp);
    return rc;
}
