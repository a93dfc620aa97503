/* sp_disperse_impl: what the run (sp_disperse_run.c) shares with its evaluation
 * (sp_disperse_eval_io.c). Private to libspatial: not installed. */
#ifndef SP_DISPERSE_IMPL_H
#define SP_DISPERSE_IMPL_H
#include "disperse/sp_disperse_run.h"
#include "io/sp_raster.h"

/* -eval: reads the stations (o->stations with o->eval_in, in the grid's CRS), compares
 * band of out at each with the observed field (less the background station's, with
 * o->eval_bg), fills rep's statistics and rep->eval_csv (one row per station). Chang &
 * Hanna (2004), Meteorol. Atmos. Phys. 87:167, eq. 1-4. */
sp_status sp_disperse_evaluate(sp_ctx *ctx, const sp_disperse_options *o, const sp_raster *out,
                               int band, sp_disperse_report *rep);

/* The LAYER metadata of the grid at path (the sector sp-grid -l gridded) into buf, or
 * NULL when it has none. */
const char *sp_disperse_grid_layer(const char *path, char *buf, size_t n);
/* Reads o->met (hourly, with o->met_opts and cloud oktas where the file has none; the sun
 * at g's centre) or o->star into star; rep gets the sun's place and the urban layer. */
sp_status sp_disperse_read_star(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                                double cloud, sp_star *star, sp_disperse_report *rep);
/* -profiles: the STAR table each base input's sector meets (its time profile weighting
 * the hours of o->met) into stars[i], NULL for an input without a profile (the common
 * table); the sectors into rep->profiled. Needs hourly weather. */
sp_status sp_disperse_profile_stars(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                                    sp_star **stars, sp_disperse_report *rep);

/* -monthly: the STAR table of month (1-12) each of the n inputs meets (its sector's time
 * profile weighting the month's hours with -profiles, else the month's hours) into
 * stars[i]. Needs hourly weather. */
sp_status sp_disperse_month_stars(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                                  const sp_disperse_input *in, int n, int month, sp_star *stars);

/* The joint ensemble (o->joint members, sp_disperse_design.h): draws the members into
 * rep->joint, reads their weather (a STAR table per met file, cloud, calms and urban
 * option, each once), scales each sector's grid by the member's emission-factor draw
 * (o->emis_draws) and adds each member's change of every band into dst[m * nb + b]. r
 * holds the o->nbase baseline then the scenario rasters. */
sp_status sp_disperse_joint(sp_ctx *ctx, const sp_disperse_options *o, sp_raster **r, int nb,
                            double **dst, sp_disperse_report *rep);

/* -shard (sp_disperse_shard_run.c): refuses what needs the whole grid, reads the whole
 * grid of in[0] into *full, sets o's rows (the shard's, the input rows their strips read)
 * and each input's nonneg (from the whole grid, into *nonneg, owned by the caller). */
sp_status sp_disperse_shard_setup(sp_ctx *ctx, sp_disperse_options *o, sp_disperse_input *in,
                                  int nin, sp_grid *full, bool **nonneg);
/* A shard's part: out (its rows of full), with the inputs (grids, weather, tables) named
 * and hashed in the sidecar, and how the merged grid is written (wo). */
sp_status sp_disperse_write_part(sp_ctx *ctx, const char *dst, const sp_disperse_options *o,
                                 const sp_raster *out, const sp_grid *full,
                                 const sp_raster_write_options *wo);

/* A convolver for kernel k on grid g (a shard's window of o->full_nrows rows when
 * o->row1: computing rows o->row0.. from input rows o->in_row0..). */
sp_status sp_disperse_convolver(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                                const sp_kernel *k, sp_convolver **cv);

/* Dry deposition of a grid's coarse particles (sp_disperse_deposit_run.c): with
 * o->deposition, a band named pm10 is dispersed as its PM2.5 part (the band pm25 of the
 * same grid: no deposition) plus the rest (2.5-10 um, mass-mean aerodynamic diameter
 * o->dep_diam[0], settling at sp_settling_velocity); a band named tsp as that plus its
 * part above PM10 (o->dep_diam[1]). A grid without the finer band takes all of it as the
 * coarser part (said once). */
typedef struct {
    int b25, b10, btsp;   /* the grid's bands (-1: none) */
    sp_convolver *cv[2];  /* coarse and large kernels (NULL: not needed) */
    double vd[2];         /* their settling velocities, m/s */
    double keep[2];       /* their kernels' sums over the plain kernel's */
    double *fine, *mid;   /* work arrays */
} sp_deposit;
/* Prepares the kernels r needs for class c (cleared and not needed: SP_OK, nothing). */
sp_status sp_deposit_begin(sp_ctx *ctx, sp_deposit *d, const sp_disperse_options *o,
                           const sp_raster *r, const sp_star *star, const sp_disperse_class *c,
                           double dx, double plain_sum);
/* Whether band b of r is dispersed with deposition. */
bool sp_deposit_band(const sp_deposit *d, int b);
/* dst += scale x the deposited field of band b (cv0: the plain kernel's convolver). */
sp_status sp_deposit_apply(sp_ctx *ctx, sp_deposit *d, const sp_raster *r, int b,
                           sp_convolver *cv0, double scale, double *dst);
void sp_deposit_end(sp_deposit *d);

/* The fields of n inputs (in: each one's class and scale; r: their grids) into out[b] (+=),
 * each input with its own STAR table stars[i] (NULL entries or stars NULL: star); with
 * factor, each profiled input's kernel sum over the common table's; deposition as
 * sp_deposit says; progress in *step of steps; rep (may be NULL) gets the deposition. */
sp_status sp_disperse_model(sp_ctx *ctx, const sp_disperse_input *in, sp_raster **r, int n,
                            const sp_disperse_options *o, const sp_star *star,
                            sp_star *const *stars, double *factor, double **out, int *step,
                            int steps, sp_disperse_report *rep);
/* -monthly: the fields of each month (sp_disperse_monthly_run.c): nb bands of the inputs,
 * base_/scen_/delta_ (or bare without a scenario) P_monthMM, into *out (owned by the
 * caller); rep->month_weights the months' shares of the hours, whose weighted mean of the
 * months is the annual field. */
sp_status sp_disperse_monthly(sp_ctx *ctx, const sp_disperse_options *o, sp_raster **r,
                              const int *nb, sp_raster **out, sp_disperse_report *rep);

#endif
