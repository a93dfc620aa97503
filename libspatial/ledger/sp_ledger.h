/* sp_ledger: the pilot's targets tracked year by year (减排台账), and the district's
 * pollution-carbon synergy (减污降碳协同度) two ways: the co-control elasticity on an
 * air-pollutant equivalent, and the coupling coordination degree of a pollution- and a
 * carbon-reduction subsystem with fixed bounds. Pure: no GDAL; sp_ledger_run reads the
 * inventories' totals and the park files and writes the tables. Formulas: docs/methods.md,
 * sp-ledger; the targets file format: samples/targets.txt. */
#ifndef SP_LEDGER_H
#define SP_LEDGER_H

#include "core/sp_factors.h"
#include "ledger/sp_park.h"

enum { SP_LEDGER_MAX_YEARS = 32, SP_LEDGER_MAX_TARGETS = 32, SP_LEDGER_MAX_DEGREES = 8 };

/* What a target measures: a sum of pollutants (t), that sum per unit of GDP, the
 * air-pollutant equivalents (apeq, intensity(apeq): levels of a degree only), one of the
 * park's results (park.apeq_per_t: a degree's level only), or a degree (协同度 with fixed
 * bounds). The park kinds follow SP_IND_PARK_GROSS; a degree is last. */
typedef enum {
    SP_IND_EMISSION, SP_IND_INTENSITY, SP_IND_APEQ, SP_IND_APEQ_INTENSITY, SP_IND_PARK_GROSS,
    SP_IND_PARK_NET, SP_IND_PARK_PER_T, SP_IND_PARK_PER_T_OPS, SP_IND_PARK_APEQ_PER_T,
    SP_IND_PARK_POWER, SP_IND_PARK_CAPACITY, SP_IND_DEGREE
} sp_indicator_kind;

typedef struct {
    char *name;               /* "NOx -3,000 t (2024-2026)" */
    char *indicator;          /* as written: "NOx", "intensity(CO2+CO2_scope2)", "park.net" */
    sp_indicator_kind kind;
    bool pol[SP_NPOL];        /* the pollutants summed (emission, intensity) */
    double goal;              /* the change asked for, signed: -3000 (t) or -18 (%) */
    bool relative;            /* goal in % of the base year's value */
    char *unit;               /* "t", "%", "GWh" */
    int from;                 /* base year (0: the file's baseline) */
    int degree;               /* SP_IND_DEGREE: which of sp_targets.deg */
} sp_target;

/* A 协同度 with fixed bounds (degree NAME POLLUTION WORST BEST CARBON WORST BEST [alpha A]):
 * a pollution level and a carbon level, each normalised to u = (WORST - v) / (WORST -
 * BEST) clamped to 0-1 (0 at the worst bound, 1 at the best), coupled as the district's
 * coordination degree: C = 2 sqrt(u1 u2) / (u1 + u2), T = a u1 + (1 - a) u2, D =
 * sqrt(C T). Bounds fixed in a file, not the district's own goals, give a degree that
 * another city computes the same way from its own figures (-bounds). */
typedef struct {
    char *name;
    sp_target level[2];       /* [0] pollution, [1] carbon */
    double worst[2], best[2];
    double alpha;
} sp_degree;

typedef struct {
    int baseline;             /* the year the reductions count from */
    double pev[SP_NPOL];      /* pollution-equivalent value, kg (0: not in APeq) */
    sp_target t[SP_LEDGER_MAX_TARGETS];
    int nt;
    int gdp_year[SP_LEDGER_MAX_YEARS];
    double gdp[SP_LEDGER_MAX_YEARS];
    int ngdp;
    double els_threshold;     /* |dCO2/CO2| below this: no elasticity (default 0.01) */
    double alpha;             /* CCD weight of the pollution subsystem (default 0.5) */
    int ccd_pol[SP_LEDGER_MAX_TARGETS], nccd_pol;  /* targets of U1 (pollution) */
    int ccd_co2[SP_LEDGER_MAX_TARGETS], nccd_co2;  /* targets of U2 (carbon) */
    sp_degree deg[SP_LEDGER_MAX_DEGREES];
    int ndeg;
    bool cum_sum;             /* 'cumulative sum': an absolute target's reduction is the
                               * sum of each year's against the base year (2024 + 2025 +
                               * 2026), not the last year's alone (the default, 'last') */
} sp_targets;

/* Parses a targets file (errors "NAME:LINE: ..."): a target naming an unknown pollutant
 * or indicator, a goal without a unit, ccd lines naming unknown targets. */
sp_status sp_targets_parse(sp_ctx *ctx, const char *text, const char *name, sp_targets **out);
/* The same after a bounds file (bounds_text, bounds_name; NULL: none) that holds 'degree'
 * lines only, shared between cities: the targets may name its degrees. */
sp_status sp_targets_parse_with(sp_ctx *ctx, const char *bounds_text, const char *bounds_name,
                                const char *text, const char *name, sp_targets **out);
/* Reads the targets file, after the bounds file when bounds is not NULL. */
sp_status sp_targets_read(sp_ctx *ctx, const char *path, const char *bounds, sp_targets **out);
void sp_targets_free(sp_targets *t);

/* One year of the district: the inventory's totals (t/yr, the scenario of that year),
 * and the park's results when a park file was given for it. */
typedef struct {
    int year;
    double E[SP_NPOL];        /* the district: inventory + the park's stacks */
    double E_inv[SP_NPOL];    /* the inventory alone */
    bool has_park;
    sp_park_result park;
    int ndraws;               /* Monte-Carlo draws of the inventory (0: none) */
    const double *draws;      /* ndraws x SP_NPOL scenario totals, t (borrowed) */
} sp_ledger_year;

/* One target's row. */
typedef struct {
    int base_year, last_year;
    double base;                          /* the indicator in the base year */
    double value[SP_LEDGER_MAX_YEARS];    /* per year given (NaN: cannot be computed) */
    double cumulative;                    /* last year - base (or in % of base) */
    double cum_sum;                       /* the sum over the years after the base up to
                                           * the last of (year - base); NaN for a %
                                           * target or when a year between is missing */
    double counted;                       /* what share and remaining count: cumulative,
                                           * or cum_sum with 'cumulative sum' */
    double share;                         /* counted / goal */
    double remaining;                     /* goal - counted */
    double cum_lo, cum_hi;                /* 95 % interval of cumulative over paired
                                           * draws of the base and last years (NaN:
                                           * no draws, or a park target) */
    const char *missing;                  /* why it cannot be computed, or NULL */
} sp_target_row;

/* The synergy of one year against the baseline year. */
typedef struct {
    int year;
    double apeq0, apeq;        /* air-pollutant equivalents (kg / PEV) */
    double co2_0, co2;         /* scope 1 + 2 */
    double d_apeq, d_co2;      /* relative changes */
    double els;                /* dAPeq/APeq / dCO2/CO2, NaN under the threshold */
    const char *els_note;      /* "synergy", "trade-off", "carbon-neutral measure"... */
    double u1, u2, c, t, d;    /* coupling coordination (NaN without ccd lines) */
} sp_synergy;

/* The indicator of target t in year y (NaN with *why when it cannot be computed: no
 * GDP for that year, no park file). */
double sp_ledger_indicator(const sp_targets *tg, const sp_target *t, const sp_ledger_year *y,
                           const char **why);
/* Degree k of tg in year y: D, with u[2], C and T when not NULL (NaN with *why when a
 * level cannot be computed). */
double sp_ledger_degree(const sp_targets *tg, int k, const sp_ledger_year *y, double u[2],
                        double *c, double *t, const char **why);
/* The rows of every target over the years (sorted by year, the baseline among them). */
void sp_ledger_rows(const sp_targets *tg, const sp_ledger_year *years, int ny,
                    sp_target_row *rows);
/* The elasticity part of s (apeq, co2, their changes, els and its note) from the
 * emissions E0 (before) and E1 (after); the coordination fields are left alone. */
void sp_ledger_els(const sp_targets *tg, const double E0[SP_NPOL], const double E1[SP_NPOL],
                   sp_synergy *s);
/* The 95 % intervals of the rows' cumulative changes, where the base and the last year
 * have the same number of draws (draw d of both uses the same factors: same seed). */
void sp_ledger_intervals(const sp_targets *tg, const sp_ledger_year *years, int ny,
                         sp_target_row *rows);
/* The synergy of every year after the baseline (out[ny], returns how many). */
int sp_ledger_synergy(const sp_targets *tg, const sp_ledger_year *years, int ny,
                      const sp_target_row *rows, sp_synergy *out);
/* Coupling coordination: C = 2 sqrt(U1 U2) / (U1 + U2), T = a U1 + (1 - a) U2,
 * D = sqrt(C T); C = 0 when U1 + U2 = 0. */
void sp_ledger_ccd(double u1, double u2, double alpha, double *c, double *t, double *d);

#endif
