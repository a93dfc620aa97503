/* sp_disperse_monthly_run: each month's fields (-monthly). A grid's annual total is spread
 * over the months as its time profile's weights fall in them (the month's share of the
 * weighted hours; flat: of the hours), and a month's emission meets that month's weather,
 * its hours weighted by the same profile. Month m's field is the plain model with that
 * month's STAR table and the grid scaled by (w_m / W) / (h_m / H): the month's share of
 * the emission over its share of the hours, so the hours-weighted mean of the months,
 * sum_m (h_m / H) C_m, is the annual field with the same profiles (exactly where calms
 * are spread evenly, -calm_uniform: spread in proportion, each month's calms follow that
 * month's winds). */
#include "disperse/sp_disperse_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sp_status names(sp_ctx *ctx, const sp_disperse_options *o, const sp_raster *r0, int nb,
                       sp_raster *out)
{
    static const char *const PREFIX[3] = {"base_", "scen_", "delta_"};
    int groups = o->nscen ? 3 : 1;
    for (int m = 0; m < 12; m++)
        for (int g = 0; g < groups; g++)
            for (int b = 0; b < nb; b++) {
                char nm[96];
                snprintf(nm, sizeof nm, "%s%s_month%02d", o->nscen ? PREFIX[g] : "",
                         r0->name && r0->name[b] ? r0->name[b] : "band", m + 1);
                sp_status rc = sp_raster_set_name(ctx, out, (m * groups + g) * nb + b, nm);
                if (rc)
                    return rc;
            }
    return sp_raster_set_unit(ctx, out, "ug/m3");
}

sp_status sp_disperse_monthly(sp_ctx *ctx, const sp_disperse_options *o, sp_raster **r,
                              const int *nbp, sp_raster **out, sp_disperse_report *rep)
{
    *out = NULL;
    if (!o->met)
        return sp_error(ctx, SP_ERR_USAGE, "-monthly needs hourly weather (-met): a month's "
                        "emission meets that month's hours");
    int nb = *nbp, nin = o->nbase + o->nscen, groups = o->nscen ? 3 : 1;
    sp_star *st = malloc((size_t)12 * nin * sizeof *st);
    sp_disperse_input *in = malloc((size_t)nin * sizeof *in);
    sp_raster *mon = sp_raster_new(ctx, &r[0]->grid, 12 * groups * nb);
    sp_status rc = !st || !in ? sp_error(ctx, SP_ERR_NOMEM, "out of memory")
                   : !mon     ? (sp_ctx_status(ctx) ? sp_ctx_status(ctx) : SP_ERR_NOMEM)
                              : names(ctx, o, r[0], nb, mon);
    if (!rc)
        memcpy(in, o->base, (size_t)o->nbase * sizeof *in);
    if (!rc && o->nscen)
        memcpy(in + o->nbase, o->scen, (size_t)o->nscen * sizeof *in);
    double hours = 0, w[34] = {0};
    for (int m = 0; m < 12 && !rc; m++) { /* every month's tables first: the year's sums */
        rc = sp_disperse_month_stars(ctx, o, &r[0]->grid, in, nin, m + 1, st + (size_t)m * nin);
        for (int i = 0; !rc && i < nin; i++)
            w[i] += st[(size_t)m * nin + i].weight_sum;
        if (!rc)
            hours += rep->month_hours[m] = (double)st[(size_t)m * nin].hours;
    }
    size_t len = 0;
    for (int m = 0; m < 12 && !rc; m++)
        len += (size_t)snprintf(rep->month_weights + len, sizeof rep->month_weights - len, "%s%.6g",
                                m ? "," : "", rep->month_hours[m] / hours);
    int step = 0;
    sp_disperse_options om = *o; /* the months' progress is not the run's */
    om.progress = NULL;
    size_t cells = (size_t)r[0]->grid.ncols * r[0]->grid.nrows;
    for (int m = 0; m < 12 && !rc; m++) {
        sp_disperse_input im[34];
        sp_star *sm[34];
        for (int i = 0; i < nin; i++) {
            const sp_star *s = &st[(size_t)m * nin + i];
            im[i] = in[i];
            im[i].scale *= (s->weight_sum / w[i]) / (rep->month_hours[m] / hours);
            sm[i] = (sp_star *)s;
        }
        double **dst = mon->band + (size_t)m * groups * nb;
        rc = sp_disperse_model(ctx, im, r, o->nbase, &om, NULL, sm, NULL, dst, &step, 1, NULL);
        if (!rc && o->nscen)
            rc = sp_disperse_model(ctx, im + o->nbase, r + o->nbase, o->nscen, &om, NULL,
                                   sm + o->nbase, NULL, dst + nb, &step, 1, NULL);
        for (int b = 0; !rc && o->nscen && b < nb; b++)
            for (size_t q = 0; q < cells; q++)
                dst[2 * nb + b][q] = dst[b][q] - dst[nb + b][q];
    }
    free(st);
    free(in);
    if (rc)
        sp_raster_free(mon);
    else
        *out = mon;
    return rc;
}
