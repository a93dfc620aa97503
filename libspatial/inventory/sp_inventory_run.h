/* sp_inventory_run: the whole inventory run, the operation's entry point: the options
 * (every input and output), the registries read through OGR, the inventory written
 * through sp_dest, the totals and the Monte-Carlo draws. The pure model is
 * sp_inventory.h's. */
#ifndef SP_INVENTORY_RUN_H
#define SP_INVENTORY_RUN_H
#include "inventory/sp_inventory.h"
#include "io/sp_dest.h"
#include "io/sp_vector.h"

typedef struct {
    const char *factors;          /* -f: the factor table (required by sp_inventory_run) */
    const char *measures;         /* -m: the scenario's measures (NULL: baseline only) */
    const char *dst;              /* the inventory (required by sp_inventory_run) */
    const char *totals_out;       /* -totals CSV ("-": stdout; NULL: none) */
    const char *mc_out;           /* -mc_out: the intervals as CSV (needs mc > 0) */
    const char *mc_draws_out;     /* -mc_draws: each draw's totals as CSV (needs mc > 0) */
    const char *mc_sectors_out;   /* -mc_sectors: each draw's totals per sector as CSV,
                                   * draw 0 the central values (needs mc > 0) */
    const char *mc_inventories;   /* -mc_inventories: a folder of one inventory per draw */
    const char *src[SP_NSEC];     /* input dataset per sector (NULL: sector not run) */
    sp_vector_options in[SP_NSEC]; /* how to read it: one layer (-l), -where, -sql,
                                    * -s_srs, -s_coord, -enc, -oo, -makevalid; t_srs and
                                    * keep_crs are set by the run */
    const char *field[SP_INV_MAX_FIELDS]; /* activity field names (NULL: not available) */
    const char *values[SP_INV_MAX_FIELDS]; /* -values: "FROM=TO,FROM=TO" mapping of a field's text
                                     * (有=1,无=0; 川菜=chinese) before it is read */
    const char *defaults[SP_INV_MAX_FIELDS]; /* -default: the value of an absent or null field */
    const char *t_srs;            /* output CRS (NULL: each input's own CRS) */
    const char *format;           /* OGR driver (default GPKG) */
    double share_tol;             /* fleet shares must sum to 1 within this (0.01) */
    const char *climate;          /* -climate: hourly weather (a CSV with TEMP and DEWP or RH:
                                   * the UCI Beijing files) for the road rows' climate
                                   * corrections (NULL: none) */
    const char *marginal;         /* -marginal POLS (nox,pm25...): with -m, each measure's
                                   * own cut of them per source, columns cutNN_POL (NULL: no) */
    const char *marginal_out;     /* -marginal_out FILE.csv: those cuts summed, each measure's
                                   * cut alone and the interaction (needs -marginal) */
    int year;                     /* -year Y: the inventory of year Y: a measure dated in
                                   * it counts pro rata, one dated later not at all (0: every
                                   * measure in full) */
    const sp_inv_climate *climate_hours; /* its hours (read from climate by sp_inventory_run,
                                          * or given by a caller; NULL: none) */
    int mc;                       /* Monte-Carlo draws of the factors' uncertainty (0: none) */
    uint64_t seed;                /* their seed (default 1) */
    bool renormalise;             /* beyond share_tol: rescale instead of failing */
    sp_dest_options write;        /* -lco, -dsco, -nln, -overwrite, -append (sp_dest) */
    sp_progress_fn progress;
    void *progress_user;
} sp_inventory_options;
/* Sets the defaults: no sector inputs, the default field names (the sectors' fields tables), share
 * tolerance 0.01. */
void sp_inventory_options_init(sp_inventory_options *o);

typedef struct {
    long long n[SP_NSEC];             /* sources per sector (0: sector not run) */
    bool run[SP_NSEC];
    double base[SP_NSEC][SP_NPOL];    /* baseline t/yr */
    double scen[SP_NSEC][SP_NPOL];    /* scenario t/yr (== base without measures) */
    long long changed[SP_NSEC];       /* sources a measure changed */
    /* registries as they come: per activity field (the options' numbering), how many
     * sources took it from -default (the field absent or null) and how many from the
     * factor table's rows (road: its road class; a default load factor) */
    long long from_default[SP_INV_MAX_FIELDS], from_class[SP_INV_MAX_FIELDS];
    bool scenario;
    int nmarg;                        /* -marginal: the measures (0: none) */
    double *marg, *alone;             /* their cuts per measure x pollutant, t/yr: given the
                                       * ones before it, and alone (owned) */
    long long *msources;              /* the sources each measure changes (given the ones
                                       * before it; owned) */
    long clim_hours;                  /* -climate: hours used (0: no climate correction) */
    char clim_note[1024];             /* "car NOx x1.031, ...": the multipliers not 1 */
    int mc;                           /* draws made (0: none) */
    uint64_t seed;                    /* their seed */
    double *mc_base, *mc_scen;        /* per draw x sector x pollutant, t/yr (owned) */
} sp_inventory_totals;
/* Frees the Monte-Carlo arrays of t. */
void sp_inventory_totals_free(sp_inventory_totals *t);
/* The median and the 2.5 % and 97.5 % quantiles over the draws of: the baseline (what 0),
 * the scenario (1), the change scenario - baseline (2) or the change in % (3), of sector
 * sec (SP_NSEC: the total of the sectors run) and pollutant p. NaN without draws. */
void sp_inventory_mc_interval(const sp_inventory_totals *t, int sec, int p, int what,
                              double *median, double *lo, double *hi);
/* Writes the Monte-Carlo intervals as CSV (sector,pollutant,draws, then median, lo95,
 * hi95 of baseline_t, scenario_t, change_t and change_pct), atomically. */
sp_status sp_inventory_write_mc(sp_ctx *ctx, const sp_inventory_totals *t, const char *path);
/* Writes each draw's totals over the sectors run (draw,pollutant,baseline_t,scenario_t,seed):
 * what sp-ledger pairs across years (the same seed and table give the same draws). */
sp_status sp_inventory_write_mc_draws(sp_ctx *ctx, const sp_inventory_totals *t,
                                      const char *path);
/* Writes each draw's totals per sector and pollutant as CSV
 * "draw,sector,pollutant,baseline_t,scenario_t,seed", with draw 0 the central inventory's,
 * atomically: what sp-disperse -emis_draws scales each sector's grid by. */
sp_status sp_inventory_write_mc_sectors(sp_ctx *ctx, const sp_inventory_totals *t,
                                        const char *path);
/* Writes each of the n draws of the factors (those of sp-inventory -mc n with o->seed, so
 * the same as -mc_draws' rows) as an inventory: dir/draw_001.gpkg ... (the scenario's
 * with measures), the inputs of a concentration ensemble. dir must be an existing
 * folder; with sp_output_hold, the files are moved in with the other outputs. */
sp_status sp_inventory_write_mc_inventories(sp_ctx *ctx, const sp_factors *f,
                                            const sp_measures *ms,
                                            const sp_inventory_options *o, int n,
                                            const char *dir);

/* Computes every selected sector and writes dst (one layer per sector, input fields
 * kept, emission columns nox..fume in t/yr and a `measures` column added). With
 * measures, the layers hold the scenario and totals hold both. Atomic; deterministic
 * (same inputs, same bytes). */
sp_status sp_inventory_make(sp_ctx *ctx, const sp_factors *f, const sp_measures *m,
                           const char *dst, const sp_inventory_options *o,
                           sp_inventory_totals *totals);
/* Writes the totals as CSV (sector,pollutant,baseline_t,scenario_t,change_pct),
 * atomically; "-" writes to stdout. */
sp_status sp_inventory_write_totals(sp_ctx *ctx, const sp_inventory_totals *t,
                                    const char *path);

/* The operation: reads o->factors (and o->measures), writes o->dst and every other
 * output o names (totals, Monte-Carlo intervals, draws, draw inventories), all or none:
 * they are committed together at the end, and nothing is left when any fails. totals
 * gets the figures (free with sp_inventory_totals_free, also after an error). */
sp_status sp_inventory_run(sp_ctx *ctx, const sp_inventory_options *o, sp_inventory_totals *totals);
/* -marginal_out: per measure and pollutant its cut given the ones before it and alone
 * (t/yr), then a row 'all' with the scenario's cut and the interaction (the cuts alone
 * summed less the scenario's: 0 for measures on different sources). */
sp_status sp_inventory_write_marginal(sp_ctx *ctx, const sp_inventory_totals *t,
                                      const sp_measures *ms, const char *path);

#endif
