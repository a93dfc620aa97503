/* sp_inventory_run_impl: what the run (sp_inventory_run.c) shares with the field
 * helpers and the newer sectors' readers (sp_inventory_fields.c, sp_inventory_readers.c).
 * Private to libspatial: not installed. */
#ifndef SP_INVENTORY_RUN_IMPL_H
#define SP_INVENTORY_RUN_IMPL_H
#include "inventory/sp_inventory_impl.h"
#include "inventory/sp_inventory_run.h"
#include "io/sp_vector.h"

/* The sources kept for the Monte-Carlo draws (sp_inventory_mc_io.c): each source's struct
 * as its reader filled it, and the road links' vehicle shares (the struct's pointer is
 * set again from share_off at each draw). */
typedef struct {
    int sec;
    size_t share_off;
    _Alignas(max_align_t) unsigned char src[SP_INV_SRC_MAX];
} sp_inv_mc_src;
typedef struct {
    sp_inv_mc_src *s;
    size_t n, cap;
    double *share;
    size_t nshare, capshare;
} sp_inv_mc_set;
/* Keeps one source (share: nveh vehicle shares of a road link, else NULL); false when
 * out of memory. */
bool sp_inv_mc_add(sp_inv_mc_set *set, int sec, const void *src, size_t size,
                   const double *share, int nveh);
void sp_inv_mc_free(sp_inv_mc_set *set);
/* One draw of the table: f's rows copied into rows (f->n of them), those with an
 * uncertainty drawn from *state (the generator sp_inv_mc_run uses: the same seed, the
 * same draws). */
void sp_inv_mc_draw_rows(const sp_factors *f, sp_factor *rows, uint64_t *state);
/* Draws the factors n times (seed) and computes every kept source's baseline and
 * scenario with each draw: t->mc_base and t->mc_scen. */
sp_status sp_inv_mc_run(sp_ctx *ctx, const sp_factors *f, const sp_measures *ms,
                        const sp_inv_mc_set *set, int n, uint64_t seed,
                        sp_inventory_totals *t);


/* One sector's run: its input, field indices, output layer and totals. */
typedef struct {
    sp_ctx *ctx;
    const sp_inventory_options *o;
    const sp_inventory_model *base, *scen; /* scen NULL: baseline only */
    sp_vector *v;
    sp_sector sec;
    int idx[SP_NFIELDS];  /* field index, -1 when absent */
    int *share_idx;       /* per vehicle */
    double *share;
    OGRCoordinateTransformationH measure_ct; /* geographic -> UTM for lengths/areas */
    OGRLayerH out;
    int out_first;        /* index of the first emission field in the output */
    int *field_map;       /* input field k -> output field k (OGR_F_SetFromWithMap) */
    sp_inventory_totals *t;
    sp_inv_mc_set *mc;    /* sources kept for the Monte-Carlo draws (NULL: none) */
} sector_run;

/* Whether activity key k has a value to read: the field is in the layer, or -default
 * gives one (every documented key takes a -default when the field is absent). */
static inline bool sp_invr_has(const sector_run *r, int k)
{
    return r->idx[k] >= 0 || r->o->defaults[k];
}
/* Field k of f as text after the -values mapping (into buf when mapped); the -default when
 * the field is absent or null; NULL when neither. Borrowed until the next feature. */
const char *sp_invr_text(sector_run *r, const sp_feature *f, int k, char *buf, size_t n);
/* The source's layer name, for messages. */
const char *sp_invr_layer_name(const sector_run *r, const sp_feature *f);
/* Field index of key k into r->idx[k]; required: an error listing the layer's fields
 * when absent, unless the key has a -default. A field named explicitly is required. */
sp_status sp_invr_find_field(sector_run *r, int k, bool required);
/* Field k of f as a number, after -values mapping; the -default when the field is
 * absent or null. Errors name the layer, the feature, the field and the value. */
sp_status sp_invr_num(sector_run *r, const sp_feature *f, int k, double *out);
/* The same with null as 0 (flags of sp_vector_number). */
sp_status sp_invr_num_flags(sector_run *r, const sp_feature *f, int k, unsigned flags,
                            double *out);
/* An optional fraction field k: its value (after -values, or its -default), else dflt
 * (the factor table's); above 1 is an error naming what ("load factor"). */
sp_status sp_invr_fraction(sector_run *r, const sp_feature *f, int k, double dflt,
                           const char *what, double *out);
/* A class field (text) after -values mapping (or its -default), found in the list c. */
sp_status sp_invr_class_of(sector_run *r, const sp_feature *f, int k, const sp_inv_class *c,
                           int n, const char *what, int *out);

/* The readers of the facility, petrol, nonroad and autorepair sectors (sp_inventory_readers.c). */
sp_status sp_invr_prepare_facility(sector_run *r);
sp_status sp_invr_read_facility(sector_run *r, const sp_feature *f, void *src);
sp_status sp_invr_prepare_petrol(sector_run *r);
sp_status sp_invr_read_petrol(sector_run *r, const sp_feature *f, void *src);
sp_status sp_invr_prepare_nonroad(sector_run *r);
sp_status sp_invr_read_nonroad(sector_run *r, const sp_feature *f, void *src);
sp_status sp_invr_prepare_autorepair(sector_run *r);
sp_status sp_invr_read_autorepair(sector_run *r, const sp_feature *f, void *src);

#endif
