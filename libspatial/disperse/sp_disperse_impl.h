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

#endif
