/* sp_inventory_impl: what the model core (sp_inventory.c) and the sectors
 * (sp_inventory_sectors.c) share. Private to libspatial: not installed. */
#ifndef SP_INVENTORY_IMPL_H
#define SP_INVENTORY_IMPL_H
#include "inventory/sp_inventory.h"

#include <stddef.h>
#include <string.h>

/* Both expect `sp_status rc` and a `fail:` label in the calling function. */
#define FAIL(...)                                                                      \
    do {                                                                               \
        rc = sp_error(ctx, SP_ERR_DATA, __VA_ARGS__);                                  \
        goto fail;                                                                     \
    } while (0)
#define NOMEM()                                                                        \
    do {                                                                               \
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");                             \
        goto fail;                                                                     \
    } while (0)

static inline bool sp_inv_unit_is(const sp_factor *r, const char *unit)
{
    return !strcmp(r->unit, unit);
}

/* Adds class name to the list if new; returns its index, or -1 when out of memory (the
 * list is then unchanged and still owned by the caller). */
int sp_inv_class_add(sp_inv_class **c, int *n, const char *name);

/* The sector-wide end-of-pipe reductions of a scenario (`reduce SECTOR ...`): multiplies
 * E by model->keep[s] and sets the bit of each reduce measure that changed E. */
void sp_inv_finish(const sp_inventory_model *m, sp_sector s, double E[SP_NPOL],
                   uint64_t *applied);

/* A share written 0.85 or 85% into *v; false unless it is a number in [0, 1]. */
bool sp_inv_parse_share(const char *s, double *v);

/* The class a source ends with after the upgrade measures of a kind (boiler retrofit,
 * petrol recovery, autorepair upgrade) whose min it reaches (size >= min): the measure's
 * class when it is better on pollutant p (a lower factor, or with higher a higher
 * removal); the bit of each measure that changed it set in *applied. */
int sp_inv_upgrade(const sp_inventory_model *m, sp_measure_kind kind, double size,
                   const sp_inv_class *c, int n, int cls, int p, bool higher,
                   uint64_t *applied);

/* The facility sector's hooks (sp_inventory_facility.c): a factor row, the end of the
 * table, and the parser of a `facility ...` measure line (w[0] = "facility"). */
sp_status sp_inv_facility_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                              sp_inventory_model *m);
sp_status sp_inv_facility_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m);
sp_status sp_inv_facility_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m,
                                  const char *where);

/* The petrol sector's hooks (sp_inventory_petrol.c). */
sp_status sp_inv_petrol_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                            sp_inventory_model *m);
sp_status sp_inv_petrol_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m);
sp_status sp_inv_petrol_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where);

/* The non-road machinery sector's hooks (sp_inventory_nonroad.c). */
sp_status sp_inv_nonroad_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                             sp_inventory_model *m);
sp_status sp_inv_nonroad_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m);
sp_status sp_inv_nonroad_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m,
                                 const char *where);

/* The auto-repair sector's hooks (sp_inventory_autorepair.c). */
sp_status sp_inv_autorepair_row(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                                sp_inventory_model *m);
sp_status sp_inv_autorepair_end(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m);
sp_status sp_inv_autorepair_measure(sp_ctx *ctx, char **w, int nw, sp_measure *m,
                                    const char *where);

/* room for the largest source struct (checked by sp_inventory_run) */
enum { SP_INV_SRC_MAX = 128 };

#endif
