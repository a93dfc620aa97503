/* sp_disperse_run: the sp-disperse operation: emission grids (sp-grid's t/yr per cell,
 * any projected CRS, square cells) and a meteorology (hourly observations or a STAR
 * table) -> annual-mean ground-level concentrations in ug/m3, one band per pollutant;
 * with a scenario, baseline, scenario and their difference in one file. GDAL/PROJ side
 * of sp_disperse. */
#ifndef SP_DISPERSE_RUN_H
#define SP_DISPERSE_RUN_H

#include "disperse/sp_disperse.h"
#include "io/sp_part.h"
#include "io/sp_vector.h"

#include <stdint.h>

typedef struct {
    const char *path;  /* an emission grid (borrowed) */
    double height;     /* its sources' release height, m (NaN: from the classes table) */
    double sz0;        /* their initial vertical spread, m */
    double scale;      /* emission factor applied first, 0-1 (1; for fugitive dust the
                        * transportable fraction x site control factor) */
    const bool *nonneg; /* per band: no negative value in the whole grid (set by the run
                           for a shard, whose window cannot say); NULL: from the grid */
} sp_disperse_input;

typedef struct {
    const sp_disperse_input *base; /* baseline grids, summed (each with its class) */
    int nbase;
    const sp_disperse_input *scen; /* scenario grids, one per baseline grid, or none */
    int nscen;
    const char *classes;  /* sector,height_m,sz0_m table for grids whose height is NaN */
    const char *profiles; /* time profiles per sector (sp_profile.h): each grid's sector
                           * (LAYER) meets the weather of its own hours (needs -met) */
    const char *met;      /* hourly observations (CSV), or */
    const char *star;     /* a STAR table (CSV) */
    const char *star_out; /* write the STAR table here (optional) */
    const char *rose_out; /* the wind rose SVG (NULL: beside DST, DST's stem + .windrose.svg) */
    const char *kernel_out; /* write the first input's kernel (ug/m3 per g/s), optional */
    const char *stations; /* -eval: points with observed annual means (optional) */
    sp_vector_options eval_in; /* how to read them (a CSV: -oo X_POSSIBLE_NAMES=lon ...,
                                * -s_srs); t_srs is set to the grid's */
    const char *obs_field;/* their field (default "obs") */
    const char *eval_band;/* the band compared (default the first) */
    const char *eval_id;  /* the field naming each station (default: its FID) */
    const char *eval_bg;  /* the id of a background station: every other station's
                           * observed and modelled values less its (NULL: none) */
    double zi, rmax;
    const char *monthly;  /* -monthly FILE.tif: each month's fields too (needs -met) */
    bool deposition;      /* dry deposition of the coarse parts of bands pm10 and tsp (on) */
    double dep_diam[2];   /* their mass-mean aerodynamic diameters, um: 2.5-10 um and above
                           * 10 um (6 and 20: assumptions, docs/methods.md) */
    bool ensemble;        /* with scen: add the members' changes delta_P_mNN (docs/methods.md, the ensemble) */
    int joint;            /* > 0: instead, a joint ensemble of this many members (Latin
                           * hypercube, sp_disperse_design.h) */
    const char *const *joint_met; /* more met files (stations, years) for it; -met is one */
    int njoint_met;
    const char *emis_draws; /* sp-inventory -mc_sectors: each member's emission factors */
    uint64_t joint_seed;  /* its seed (default 1) */
    double no2_ratio;     /* > 0: add NO2 = ratio x NOx bands (0.5-0.9); 0: off */
    bool no2_arm2;        /* add NO2 = ARM2's ratio of each cell's NOx x NOx (instead) */
    /* secondary PM2.5 (off when nsec = 0): the grid-mean increment is sum_p beta_p x E_p,
     * E_p the precursor's total in kt/yr over the grid (bands named sec_name[p]), beta in
     * ug/m3 per kt/yr; spread like the precursors under a Gaussian of sec_sigma m */
    const char *const *sec_name;
    const double *sec_beta;
    int nsec;
    double sec_sigma;
    sp_met_options met_opts;
    const int *bands;     /* 1-based bands of the inputs; NULL/0: all */
    int nbands;
    bool float64;         /* Float64 output (default Float32) */
    char **co;            /* creation options (borrowed) */
    int threads;
    int64_t max_mem;      /* refuse a run needing more memory than this (bytes; 0: no limit) */
    sp_part_run part;     /* -shard I/N: DST is the shard's part (its rows, the bits of the
                             whole run) with a sidecar for sp-merge; not with -eval,
                             -monthly, ensembles, -star_out or -kernel_out, and no wind rose */
    int row0, row1;       /* the rows computed (set by the run: a shard's; row1 0: all) */
    int in_row0, in_row1; /* the input rows read for them (their strips and halos) */
    int full_nrows;       /* the whole grid's rows */
    sp_progress_fn progress;
    void *progress_user;
} sp_disperse_options;
/* Sets in[i].height and .sz0 of every input whose height is NaN from the classes table
 * (CSV sector,height_m,sz0_m) by the grid's LAYER metadata (the inventory layer sp-grid
 * gridded). Errors name the grid, the sector or the table's row. */
sp_status sp_disperse_resolve_classes(sp_ctx *ctx, const char *table, sp_disperse_input *in,
                                      int n);
/* Sets the defaults: no inputs, zi 1000 m, rmax 10 km, 2 threads, secondary sigma 20 km. */
void sp_disperse_options_init(sp_disperse_options *o);

enum { SP_ENSEMBLE_STARS = 6 }; /* the members' STAR tables: cloud 0/4/8 x calms */
typedef struct {
    sp_star star;
    double lat, lon;      /* where the sun was computed */
    double urban_height;  /* the urban option's night layer, m (0: rural) */
    /* the stability distribution (A-F, fractions) of each of the members' STAR tables,
     * cloud-major (index cloud * 2 + even calms), with -ensemble */
    double member_stab[SP_ENSEMBLE_STARS][6];
    struct sp_joint_member *joint; /* -joint: the members drawn (owned; sp_disperse_design.h) */
    double (*joint_stab)[6];       /* and the stability distribution of each (owned) */
    double *joint_efactor;         /* and its emission change over the central one (owned) */
    int njoint;
    int nout;             /* output bands */
    int first_member;     /* the first ensemble member band (== nout without -ensemble) */
    char **name;          /* their names (owned) */
    double *min, *mean, *max; /* over the grid, ug/m3 (owned) */
    char *rose_path;      /* the SVG written (owned) */
    /* -profiles: each profiled input's sector and its kernel-integrated concentration with
     * the profile over the flat year's (the emission-weather correlation) */
    int nprofiled;
    char profiled[16][32];
    double profile_factor[16];
    int nstations;        /* -eval: stations compared (the background not counted) */
    char *eval_csv;       /* -eval: one row per station (owned; written as DST.eval.csv) */
    double fb, nmse, fac2, r; /* Chang & Hanna (2004) measures, modelled vs observed */
    const char *eval_why;     /* NULL, or why a measure is NaN (static text) */
    double dep_vd[2];         /* deposition: the coarse and large parts' settling, m/s */
    double dep_keep[2];       /* the first grid's kernel sum with it over without (0: not run) */
    double month_hours[12];   /* -monthly: the hours of each month used */
    char month_weights[160];  /* their shares, "0.0849,..." (the MONTH_WEIGHTS metadata) */
} sp_disperse_report;
/* Frees what the report owns (names, the rose path) and zeroes it; accepts NULL. */
void sp_disperse_report_free(sp_disperse_report *r);

/* Runs the model and writes dst (GeoTIFF, atomically, with the STAR table and the wind
 * rose: all or none). Errors: a grid without CRS or geographic (SP_ERR_DATA), cells not
 * square, grids that differ, bad met lines (file and line named). */
sp_status sp_disperse_run(sp_ctx *ctx, const char *dst, const sp_disperse_options *o,
                          sp_disperse_report *rep);

#endif
