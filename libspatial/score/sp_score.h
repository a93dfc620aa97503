/* sp_score: the scoring of demonstration-street candidates. The spec file (indicators,
 * filters, ties, synergy pairs; line-numbered errors), normalisation, weighted scores,
 * ranks, the selection, readable reasons, weight-perturbation robustness, pollution-
 * carbon synergy (reduction %, elasticity, co-control quadrant) and inverse-distance
 * weighting. Pure computation on arrays; sp_score_run does the tables and geometry. */
#ifndef SP_SCORE_H
#define SP_SCORE_H

#include "core/sp_ctx.h"

#include <stdint.h>

/* A value: one operand, or two joined by + - * /. An operand is a column (col != NULL)
 * or a number. */
typedef struct {
    char *col[2];
    double num[2];
    char op;         /* 0: col[0]/num[0] alone; else '+', '-', '*', '/' */
} sp_score_expr;

typedef enum { SP_NORM_MINMAX, SP_NORM_ZSCORE, SP_NORM_RANK } sp_score_norm;

typedef struct {
    char *name;
    int line;           /* spec line */
    sp_score_expr expr;
    bool higher;        /* a higher value makes a stronger candidate */
    double weight;      /* > 0; scores use weight / sum of weights */
    sp_score_norm norm;
    char *label;        /* for reasons (default: name) */
    char *unit;         /* for reasons (default: none) */
    double scale;       /* raw = value x scale (default 1; 100 for a percentage) */
} sp_score_indicator;

typedef enum { SP_CMP_GE, SP_CMP_GT, SP_CMP_LE, SP_CMP_LT, SP_CMP_EQ, SP_CMP_NE,
               SP_CMP_PRESENT } sp_score_cmp;

typedef struct {
    int line;
    sp_score_expr expr;
    sp_score_cmp cmp;
    double value;
    char *str;          /* a text compared with == / != (NULL: a number) */
    char *text;         /* the filter as written, for "not eligible" reasons */
} sp_score_filter;

typedef struct {
    int line;
    sp_score_expr expr;
    bool higher;        /* ties go to the higher (or lower) value */
} sp_score_tie;

typedef struct {
    int line;
    char *pollutant;    /* "co2", "nox"...; the co2 pair is the reference */
    char *base, *scen;  /* columns */
} sp_score_syn;

typedef struct {
    int line;
    char *label;        /* "road", "boiler retrofits" */
    char *col;          /* its change in ug/m3 (positive = cleaner) */
} sp_score_contrib;

typedef struct {
    char *id;           /* id column (NULL: the table's first column) */
    char *label;        /* zone name column shown with the id (may be NULL) */
    int select;         /* how many candidates (default 15) */
    bool ties_include;  /* true: every zone tied with the last selected is selected too */
    int reasons;        /* drivers named per reason (default 2) */
    sp_score_indicator *ind;
    int nind;
    sp_score_filter *flt;
    int nflt;
    sp_score_tie *tie;
    int ntie;
    sp_score_syn *syn;
    int nsyn;
    double els_threshold; /* "els_threshold 1%": |dCO2/CO2| under it gives no elasticity
                           * (a measure that hardly moves CO2 would divide by ~0) */
    /* the one-microgram test (a "microgram" line): the columns of the ensemble members'
     * PM2.5 change (a glob, e.g. c_delta_pm25_m*_weighted_mean), the threshold (1 ug/m3)
     * and the share of members that must reach it (0.8) */
    char *ug_members;
    char *ug_exposure;  /* exposure=GLOB: the members' population-weighted change, shown
                         * beside the test's (NULL: none) */
    int ug_line;
    double ug_threshold, ug_p;
    sp_score_contrib *contrib; /* "contrib" lines: what delivers the change */
    int ncontrib;
} sp_score_spec;

/* Parses a spec (text of the file called name, for messages). Errors read
 * "NAME:LINE: ..." (SP_ERR_DATA). *out is owned by the caller (sp_score_spec_free). */
sp_status sp_score_spec_parse(sp_ctx *ctx, const char *text, const char *name,
                              sp_score_spec **out);
void sp_score_spec_free(sp_score_spec *s);

/* The first-order share of y's variance (n members) that a dimension explains: the
 * correlation ratio eta^2 = sum_g n_g (mean_g - mean)^2 / sum_i (y_i - mean)^2 over the
 * members' groups group[i] (0 .. ngroups-1: a categorical dimension's values, or a numeric
 * one's quartiles). 0 when y does not vary; NaN entries are left out. */
double sp_score_eta2(const double *y, const int *group, int n, int ngroups);
/* Groups of a numeric dimension x (n values): each value its own group when there are at
 * most 4 distinct ones, else its quartile by rank (ties share the lower). Returns the
 * number of groups. */
int sp_score_quartiles(const double *x, int n, int *group);

/* Evaluates e with operand values a (col[0] or num[0]) and b; NaN when an operand is
 * NaN, +-inf on division by zero. */
double sp_score_expr_eval(const sp_score_expr *e, double a, double b);
/* Whether value passes the filter (a NaN passes only... never). */
bool sp_score_filter_pass(const sp_score_filter *f, double value);

/* Inputs of the scoring: nz zones, nind = spec->nind raw values per zone (row-major;
 * finite for eligible zones), ntie tie-key values per zone, and each zone's position in
 * id order (the last tie rule). */
typedef struct {
    int nz;
    const double *raw;     /* nz x nind, already x scale */
    const bool *eligible;
    const double *tiekey;  /* nz x ntie */
    const int *idorder;    /* 0..nz-1 */
} sp_score_input;

typedef struct {
    double *norm;       /* nz x nind, NaN for ineligible zones */
    double *pts;        /* nz x nind weighted contributions (score = their sum) */
    double *score;      /* nz, NaN when ineligible */
    int *rank;          /* nz, 1-based; 0 when ineligible */
    bool *selected;     /* nz */
    double *stability;  /* nz: share of draws that select the zone (NaN: no draws) */
    double *median;     /* nind: median raw value over the eligible zones */
    bool *constant;     /* nind: the same value in every eligible zone: it ranks nothing
                         * (normalised to 0, never a reason) */
    double *smaa_best, *smaa_median, *smaa_worst, *smaa_top; /* nz each, or NULL:
                           sp_score_smaa's figures, filled by the caller */
    int neligible, nselected;
    int cut_ties;       /* zones tied on score with the last selected one, outside the
                           selection (ties order) or added to it (ties include) */
} sp_score_result;
/* Frees the result's arrays; accepts NULL. */
void sp_score_result_free(sp_score_result *r);

/* Normalises, scores, ranks and selects; then draws random weights (each weight x
 * (1 + U(-perturb, perturb)), splitmix64 seeded with seed) `draws` times and counts how
 * often each zone is selected. Scores are 100 x sum(w_i n_i) / sum(w_i): 0..100 with
 * min-max and rank normalisation. Equal scores (1e-9) fall to the tie keys, then id. */
sp_status sp_score_compute(sp_ctx *ctx, const sp_score_spec *s, const sp_score_input *in,
                           int draws, double perturb, uint64_t seed, sp_score_result *out);

/* One draw of weights from a Dirichlet distribution with parameters kappa x w / sum(w):
 * on the simplex, with mean w / sum(w) and a spread that shrinks as kappa grows (each
 * weight's variance is m (1 - m) / (kappa + 1)). Gammas by Marsaglia & Tsang (2000),
 * normals by Box-Muller, uniforms from splitmix64 (*state). out has n entries. */
void sp_score_dirichlet(uint64_t *state, const double *w, int n, double kappa, double *out);

/* SMAA rank acceptability (Lahdelma & Salminen 2001): draws weight vectors from
 * sp_score_dirichlet(kappa) around the spec's weights, ranks the eligible zones by the
 * same normalised values each time, and gives per zone the 5th, 50th and 95th
 * percentile of its rank (best, median, worst rank in 90 % of the draws) and the share
 * of draws in which it is among the `select` first (NaN for ineligible zones). */
sp_status sp_score_smaa(sp_ctx *ctx, const sp_score_spec *s, const sp_score_input *in,
                        const sp_score_result *r, int draws, double kappa, uint64_t seed,
                        double *best, double *median, double *worst, double *top);

/* "LABEL VALUE UNIT (R.Rx median); ..." naming the n indicators with the largest positive
 * contributions of zone z, in buf. */
void sp_score_reason(const sp_score_spec *s, const sp_score_input *in,
                     const sp_score_result *r, int z, int n, char *buf, size_t size);

/* Pollution-carbon synergy of one zone (co-control coordinate system, Mao et al.): the
 * reductions in percent of the base (positive = the scenario emits less), the elasticity
 * Els = (dAP/AP) / (dCO2/CO2), and the quadrant: 1 both fall (synergy), 2 AP falls and
 * CO2 rises, 3 both rise, 4 CO2 falls and AP rises, 0 on an axis (no change in one).
 * NaN where a base is 0 (or dCO2 is 0, for Els). */
void sp_score_synergy(double base_ap, double scen_ap, double base_co2, double scen_co2,
                      double *red_ap, double *red_co2, double *els, int *quadrant);
/* "synergy", "air only", "both rise", "carbon only", "no change" for quadrants 1-4, 0. */
const char *sp_score_quadrant_name(int quadrant);

/* The ensemble summary of one zone from its n member values (NaN ones skipped): the
 * median, the 10th and 90th percentiles (linear between order statistics, as numpy's
 * default) and the share of members >= threshold. All NaN when no value. */
void sp_score_ensemble(const double *v, int n, double threshold, double *median, double *lo,
                       double *hi, double *p);

/* Inverse-distance weighting: sum(v_i / d_i^p) / sum(1 / d_i^p); a distance of 0 gives
 * that value. NaN when n is 0. */
double sp_score_idw(const double *d, const double *v, int n, double power);

#endif
