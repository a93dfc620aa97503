/* sp_inventory_impl: what a sector file (sectors/sp_sector_*.c) uses: the helpers of its
 * factor rows, classes and measures, and the reader of its registry. Everything here
 * compiles without GDAL: the reader is opaque, its functions are in sp_inventory_fields_io.c.
 * Private to libspatial: not installed. */
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

/* A measure line "SECTOR VERB [MIN_KEY X] [CLS_KEY CLASS]" (w[1] == verb checked; pairs
 * in any order): m->kind = kind, m->min = X (>= 0, default 0), m->cls = CLASS (default
 * dflt, strdup'd); errors "WHERE: expected 'USAGE'" or name the bad number. */
sp_status sp_inv_parse_upgrade(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where,
                               sp_measure_kind kind, const char *verb, const char *min_key,
                               const char *cls_key, const char *dflt, const char *usage);

/* '*' classes give the pollutants a class does not name (boilers, areas). */
void sp_inv_apply_star(sp_inv_class *c, int *n);

/* A share written 0.85 or 85% into *v; false unless it is a number in [0, 1]. */
bool sp_inv_parse_share(const char *s, double *v);

/* The class a source ends with after the upgrade measures of a kind (boiler retrofit,
 * petrol recovery, autorepair upgrade) whose min it reaches (size >= min): the measure's
 * class when it is better on pollutant p (a lower factor, or with higher a higher
 * removal); the bit of each measure that changed it set in *applied. */
int sp_inv_upgrade(const sp_inventory_model *m, sp_measure_kind kind, double size,
                   const sp_inv_class *c, int n, int cls, int p, bool higher,
                   uint64_t *applied);

/* ---- the reader of a sector's registry (sp_inventory_fields_io.c) ---------------
 * k is the index of a field in the sector's own `fields` table. Values go through the
 * user's -values mapping, and an absent or null field takes its -default. Errors name the
 * layer, the feature, the field and the value. */
sp_ctx *sp_invr_ctx(const sp_inv_reader *r);
/* The baseline model (class lists for the class fields); the scenario's measures (NULL:
 * a baseline run). */
const sp_inventory_model *sp_invr_base(const sp_inv_reader *r);
const sp_measures *sp_invr_measures(const sp_inv_reader *r);
/* For messages: the layer's name, the feature's id, field k's name in the layer. */
const char *sp_invr_layer(const sp_inv_reader *r);
long long sp_invr_fid(const sp_inv_reader *r);
const char *sp_invr_field_name(const sp_inv_reader *r, int k);
/* prepare: field k's index (an error listing the layer's fields when required and
 * absent, unless the key has a -default; a field named explicitly is always required). */
sp_status sp_invr_find_field(sp_inv_reader *r, int k, bool required);
/* Field k has values: the layer has it, or it has a -default. */
bool sp_invr_has(const sp_inv_reader *r, int k);
/* This feature has a value for k: the field set and not null, or a -default. */
bool sp_invr_is_set(const sp_inv_reader *r, int k);
/* Field k as text (into buf when mapped); NULL when neither field nor -default. */
const char *sp_invr_text(sp_inv_reader *r, int k, char *buf, size_t n);
/* Field k as a non-negative number; with null_is_zero an absent value is 0. */
sp_status sp_invr_num(sp_inv_reader *r, int k, double *out);
sp_status sp_invr_num_or_zero(sp_inv_reader *r, int k, double *out);
/* An optional fraction: its value, else dflt (the table's); above 1 is an error naming
 * what ("load factor"). */
sp_status sp_invr_fraction(sp_inv_reader *r, int k, double dflt, const char *what,
                           double *out);
/* A class field (text) found in the list c ("unknown WHAT 'x' (known: ...)"). */
sp_status sp_invr_class_of(sp_inv_reader *r, int k, const sp_inv_class *c, int n,
                           const char *what, int *out);
/* The feature's length (line sectors) or area (polygon sectors) in metres: in the
 * output CRS when projected, else in the UTM zone of the data. */
sp_status sp_invr_size(sp_inv_reader *r, double *out);
/* A field by its name, not by a key (road: one share per vehicle class): its index, and
 * the feature's value at an index. */
sp_status sp_invr_field_index(sp_inv_reader *r, const char *name, int *idx);
/* The index of a field by name, or -1 when the layer has none (no error). */
int sp_invr_field_lookup(const sp_inv_reader *r, const char *name);
sp_status sp_invr_num_at(sp_inv_reader *r, int idx, double *out);
/* The road options: fleet shares must sum to 1 within this; beyond it, rescale them. */
double sp_invr_share_tol(const sp_inv_reader *r);
bool sp_invr_renormalise(const sp_inv_reader *r);
/* Field k of this feature was taken from the factor table's rows (road: its road class's
 * AADT, speed or shares; a default load factor): counted once per feature for the run's
 * report (sp_inventory_totals.from_class). */
void sp_invr_from_class(sp_inv_reader *r, int k);
/* size bytes of zeroed memory for the registry's run, the same block at every call;
 * freed with the run. NULL when out of memory. */
void *sp_invr_state(sp_inv_reader *r, size_t size);

/* The emission function of a table entry, from the typed one of a sector. */
#define SP_INV_EMIT(fn, type)                                                           \
    static void fn##_emit(const sp_inventory_model *m, const void *s, double E[SP_NPOL], \
                          uint64_t *applied)                                            \
    {                                                                                   \
        fn(m, (const type *)s, E, applied);                                             \
    }

/* room for the largest source struct (checked by sp_inventory_check_sectors) */
enum { SP_INV_SRC_MAX = 128 };

#endif
