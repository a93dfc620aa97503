/* sp_score_run: the sp-score operation: the zone table (sp-zonal output, plus joined
 * tables), optional monitoring stations (containment or IDW), the synergy columns, the
 * scoring of sp_score, and the ranked table out as CSV, GeoPackage or GeoJSON. */
#ifndef SP_SCORE_RUN_H
#define SP_SCORE_RUN_H

#include "score/sp_score.h"
#include "io/sp_table.h"
#include "io/sp_vector.h"

typedef struct {
    const char *spec;          /* spec file path (required) */
    const char *layer;         /* layer of the table (default: the first) */
    const char *const *joins;  /* more tables joined by id: "FILE" or "NAME=FILE" (its
                                  columns are then called NAME_<column>) */
    int njoins;
    const char *zones;         /* zone polygons joined by id, when the table has none */
    const char *stations;      /* monitoring stations: points with a value */
    const char *station_field; /* default "pm25"; the column is station_<field> */
    sp_vector_options st;      /* the stations' -s_srs, -s_coord, layers */
    double idw_power;          /* default 2 */
    int draws;                 /* robustness draws (default 1000; 0: none) */
    double perturb;            /* relative weight perturbation (default 0.2 = +-20 %) */
    double smaa_kappa;         /* SMAA: Dirichlet concentration around the weights (100) */
    uint64_t seed;             /* default 1 */
    char **include;            /* more table columns copied to the output (NULL-terminated) */
    const char *members;       /* sp-disperse's DST.members.csv: the spread of the microgram
                                * test explained by each dimension (NULL: none) */
    sp_table_write_options write; /* -lco, -dsco, -nln of the output */
    const char *format;        /* "CSV", "GPKG", "GeoJSON"; NULL: from dst's extension */
} sp_score_options;
/* Sets the defaults: pm25 stations, IDW power 2, 1000 draws of +-20 %, seed 1, SMAA
 * kappa 100. */
void sp_score_options_init(sp_score_options *o);

typedef struct {
    int nzones, neligible, nselected, cut_ties;
    sp_table *table;  /* the output table, rows in rank order (owned; freed below) */
    int c_id, c_label, c_rank, c_score, c_stability, c_selected, c_reason; /* -1: absent */
    /* the one-microgram test (spec "microgram" line; n_ug = -1 without one): how many
     * zones reach p_1ug >= ug_p, of the `select` the plan asks for */
    int n_ug, select;
    int n_ug_selected;  /* of which selected */
    double ug_p, ug_threshold;
} sp_score_report;
/* Frees the report's table and zeroes it; accepts NULL. */
void sp_score_report_free(sp_score_report *r);

/* The one-microgram list of a report with a microgram line (rep->n_ug >= 0): row indices
 * of rep->table by p_1ug, then by the median change (dc_pm25_ugm3), highest first, rows
 * without p left out; as many as reach the test or as the plan asks (rep->select),
 * whichever is more, at most max. Returns how many were written to rows (0 without a
 * microgram line). */
int sp_score_ug_order(const sp_score_report *rep, int *rows, int max);

/* Scores every zone of table_path by the spec and writes dst (atomic, deterministic).
 * Errors: spec lines (file:line), unknown columns (lists the table's), duplicate ids,
 * values that are not numbers for an eligible zone (names zone, column and line). */
sp_status sp_score_run(sp_ctx *ctx, const char *table_path, const char *dst,
                       const sp_score_options *o, sp_score_report *rep);

#endif
