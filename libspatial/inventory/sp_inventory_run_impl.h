/* sp_inventory_run_impl: what the run (sp_inventory_run.c) shares with the field
 * reader (sp_inventory_fields_io.c) and the Monte-Carlo draws (sp_inventory_mc_io.c).
 * Private to libspatial: not installed. */
#ifndef SP_INVENTORY_RUN_IMPL_H
#define SP_INVENTORY_RUN_IMPL_H
#include "inventory/sp_inventory_impl.h"
#include "inventory/sp_inventory_run.h"
#include "io/sp_vector.h"

/* The sources kept for the Monte-Carlo draws (sp_inventory_mc_io.c): each source's struct
 * as its reader filled it, and the doubles it points at (sp_sector_desc.ext_offset; road:
 * the vehicle shares), set again from share_off at each draw. */
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
/* Keeps one source (share: its nveh per-feature doubles, else NULL); false when
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
                        const sp_inv_climate *climate, int year, const sp_inv_mc_set *set,
                        int n, uint64_t seed, sp_inventory_totals *t);


/* One sector's run, and the reader its sector file sees (opaque there): its input, the
 * feature being read, field indices, output layer and totals. */
struct sp_inv_reader {
    sp_ctx *ctx;
    const sp_inventory_options *o;
    const sp_inventory_model *base, *scen; /* scen NULL: baseline only */
    sp_vector *v;
    sp_sector sec;
    const sp_sector_desc *desc;
    int fbase;            /* the sector's first field in the options' arrays */
    int idx[SP_INV_MAX_FIELDS]; /* field index of the sector's field k, -1 when absent */
    const sp_feature *f;  /* the feature being read */
    long long serial;     /* its number in the run (1, 2, ...) */
    long long noted[SP_INV_MAX_FIELDS]; /* the serial whose default of field k was counted */
    void *state;          /* sp_invr_state's block */
    size_t state_size;
    OGRCoordinateTransformationH measure_ct; /* geographic -> UTM for lengths/areas */
    OGRLayerH out;
    int out_first;        /* index of the first emission field in the output */
    int *field_map;       /* input field k -> output field k (OGR_F_SetFromWithMap) */
    sp_inventory_totals *t;
    sp_inv_mc_set *mc;    /* sources kept for the Monte-Carlo draws (NULL: none) */
    const sp_inv_dated *dated; /* -year with dated measures: pro rata (n 0: none) */
    const struct sp_inv_marginal *marg; /* -marginal (NULL: none) */
};
typedef struct sp_inv_reader sector_run;

/* -marginal (sp_inventory_marginal_run.c): the models of the measures' prefixes and of each
 * measure alone, and the pollutants whose cuts are written. */
typedef struct sp_inv_marginal {
    sp_inv_dated prefix;           /* every measure in full: model k has measures 1..k+1 */
    sp_inventory_model **alone;    /* model k: measure k alone */
    sp_measures *one;              /* their one-measure lists (borrowed measures) */
    int pol[SP_NPOL], npol;
} sp_inv_marginal;
/* Builds m for o->marginal (nothing when it is NULL); t->marg and t->alone allocated. */
sp_status sp_inv_marginal_new(sp_ctx *ctx, const sp_factors *f, const sp_measures *ms,
                              const sp_inventory_options *o, sp_inventory_totals *t,
                              sp_inv_marginal *m);
void sp_inv_marginal_free(sp_inv_marginal *m);
/* The columns cutNN_POL of the output layer defn (after the inventory's). */
sp_status sp_inv_marginal_fields(sp_ctx *ctx, const sp_inv_marginal *m, OGRFeatureDefnH defn);
/* A source's cuts into its output feature (from field first) and the totals. */
void sp_inv_marginal_source(const sp_inv_marginal *m, const sp_sector_desc *d, const void *src,
                            const double eb[SP_NPOL], sp_inventory_totals *t, OGRFeatureH of,
                            int first);

#endif
