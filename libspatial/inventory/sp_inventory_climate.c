/* sp_inventory_climate: the hours of a year in the temperature and humidity cells of the
 * 2014 road-vehicle guideline's exhaust corrections, and the mean correction over them
 * (sp_inventory.h, "climate"). Pure arithmetic. */
#include "inventory/sp_inventory.h"

#include <math.h>
#include <string.h>

const char *const SP_CLIM_NAME[SP_CLIM_NCOND] = {"cold", "hot", "dry", "humid", "hot_dry",
                                                 "hot_humid"};

void sp_inv_climate_add(sp_inv_climate *c, double t_c, double rh_pct)
{
    if (!isfinite(t_c) || !isfinite(rh_pct)) {
        c->skipped++;
        return;
    }
    int ti = t_c < 10 ? 0 : t_c <= 24 ? 1 : t_c <= 25 ? 2 : 3;
    int ri = rh_pct < 50 ? 0 : rh_pct > 50 ? 2 : 1;
    c->hours[ti][ri] += 1;
    c->used++;
}

double sp_inv_rh_from_dewpoint(double t_c, double td_c)
{
    const double a = 17.625, b = 243.04;
    double rh = 100 * exp(a * td_c / (b + td_c) - a * t_c / (b + t_c));
    return rh > 100 ? 100 : rh;
}

int sp_inv_climate_cond(const char *name)
{
    for (int k = 0; k < SP_CLIM_NCOND; k++)
        if (!strcmp(name, SP_CLIM_NAME[k]))
            return k;
    return -1;
}

double sp_inv_climate_mean(const sp_inv_climate *c, const double f[SP_CLIM_NCOND])
{
    if (!c || c->used <= 0)
        return 1;
    double sum = 0;
    for (int ti = 0; ti < SP_CLIM_NT; ti++)
        for (int ri = 0; ri < SP_CLIM_NRH; ri++) {
            bool warm = ti >= 2; /* above 24 C */
            double x = 1;
            if (ti == 0)
                x *= f[SP_CLIM_COLD];
            if (ti == 3)
                x *= f[SP_CLIM_HOT];
            if (ri == 0)
                x *= f[SP_CLIM_DRY] * (warm ? f[SP_CLIM_HOT_DRY] : 1);
            if (ri == 2)
                x *= f[SP_CLIM_HUMID] * (warm ? f[SP_CLIM_HOT_HUMID] : 1);
            sum += c->hours[ti][ri] * x;
        }
    return sum / (double)c->used;
}
