/* sp_factors: the emission factor table of sp-inventory. A CSV file with one row per
 * sector/class/pollutant: value, unit and the source of the number, so that every
 * figure of an inventory can be traced to a standard, a guideline, a paper, or a row
 * that says it is an assumption. Pure parsing and look-up: no GDAL. */
#ifndef SP_FACTORS_H
#define SP_FACTORS_H
#include "core/sp_ctx.h"
#include "core/sp_text.h"

/* The pollutants of every inventory, in this order. Output columns use the short
 * names (nox, vocs, pm25...), the factor table the usual names (NOx, VOCs, PM2.5...).
 * "fume" is cooking oil fume (油烟), the pollutant Beijing's catering limit names.
 * CO2 is scope 1 (burnt on site); CO2_scope2 (column co2_s2) is the CO2 of purchased
 * electricity and heat, emitted at the plants, reported apart and never added to CO2. */
/* TSP is the total suspended particulate (总悬浮颗粒物), the dust sources' measure: a
 * sector or class without a TSP row takes its PM10 (sp_inventory: every particle of
 * exhaust, combustion and cooking is below 10 um), so TSP >= PM10 wherever rows agree. */
enum { SP_NOX, SP_VOCS, SP_PM25, SP_PM10, SP_SO2, SP_CO, SP_CO2, SP_FUME, SP_CO2_S2, SP_TSP,
       SP_NPOL };
extern const char *const SP_POL_NAME[SP_NPOL];   /* "NOx", "VOCs", "PM2.5", ... */
extern const char *const SP_POL_COLUMN[SP_NPOL]; /* "nox", "vocs", "pm25", ... */
/* Index of a pollutant by its table name or column name (case-insensitive), or -1. */
int sp_pollutant_index(const char *name);

typedef struct {
    char *sector, *cls, *pollutant, *unit, *source;
    double value;
    double uncertainty; /* relative half-width of the 95 % interval as a factor: 0.4 for
                         * "40%" (value / 1.4 .. value x 1.4, lognormal); 0: none */
    int line; /* line in the file, for messages */
} sp_factor;

typedef struct {
    char *path; /* file name used in messages */
    sp_factor *rows;
    int n;
    bool has_uncertainty; /* the header has the seventh column */
} sp_factors;

/* Parses CSV text with the header "sector,class,pollutant,value,unit,source" and an
 * optional seventh column "uncertainty" ("40%": lognormal, the 95 % interval from value /
 * 1.4 to value x 1.4; empty: none) (quoted fields with "" escapes; blank lines and lines
 * starting with '#' are skipped). Every row must have a finite value and a non-empty
 * source. A duplicate
 * sector/class/pollutant is an error. Errors name the file and the line. On success
 * *out is owned by the caller (sp_factors_free). */
sp_status sp_factors_parse(sp_ctx *ctx, const char *text, const char *name, sp_factors **out);
/* Reads and parses a file. */
sp_status sp_factors_read(sp_ctx *ctx, const char *path, sp_factors **out);
void sp_factors_free(sp_factors *f);

/* The row for sector/class/pollutant (exact match, case-sensitive class), or NULL. */
const sp_factor *sp_factors_find(const sp_factors *f, const char *sector, const char *cls,
                                 const char *pollutant);
/* Like sp_factors_find, then checks the row's unit; a row with another unit is an error
 * naming the line and both units. *row is NULL (and SP_OK) when there is no row. */
sp_status sp_factors_get(sp_ctx *ctx, const sp_factors *f, const char *sector,
                         const char *cls, const char *pollutant, const char *unit,
                         const sp_factor **row);

#endif
