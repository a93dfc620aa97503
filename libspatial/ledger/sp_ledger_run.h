/* sp_ledger_run: the sp-ledger operation: reads the targets file, one sp-inventory totals
 * CSV per year (its scenario_t column: that year's inventory), the park files, and
 * writes the ledger (CSV, one row per target), the synergy per year (CSV), a chart
 * (SVG) and a readable table; all outputs or none. */
#ifndef SP_LEDGER_RUN_H
#define SP_LEDGER_RUN_H

#include "ledger/sp_ledger.h"

#include <stdio.h>

typedef struct {
    const char *targets;  /* targets file */
    const char *bounds;   /* bounds file: 'degree' lines shared between cities (NULL: none) */
    const char *degree;   /* each degree per year (CSV; NULL: none) */
    char **years;         /* YEAR=TOTALS.csv (sp-inventory -totals) */
    char **parks;         /* YEAR=PARK.txt */
    char **draws;         /* YEAR=DRAWS.csv (sp-inventory -mc_draws): the interval of
                           * each target's cumulative change */
    char **measures;      /* NAME=TOTALS.csv: one measure's scenario of the baseline
                           * year (inventory only), for its elasticity */
    const char *park_csv; /* the park's results per year (NULL: none) */
    const char *synergy;  /* synergy CSV (NULL: none) */
    const char *svg;      /* chart (NULL: none) */
    FILE *table;          /* the readable table (NULL: none) */
    char **lco;           /* -lco WRITE_BOM=YES: the CSVs start with a UTF-8 BOM (Excel) */
} sp_ledger_options;

/* Runs the ledger into dst (CSV). Errors: a year given twice, a totals file without the
 * columns sector, pollutant, scenario_t or without 'total' rows, a park file whose year
 * differs from its -park YEAR. */
sp_status sp_ledger_run(sp_ctx *ctx, const char *dst, const sp_ledger_options *o);

#endif
