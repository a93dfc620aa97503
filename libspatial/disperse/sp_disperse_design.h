/* sp_disperse_design: the pure parts of a dispersion run that are not the kernel: the
 * ensemble's design (which member assumes what) and the evaluation statistics against
 * monitors (Chang & Hanna 2004). No I/O; unit-tested by hand (tests/unit/test_disperse.c). */
#ifndef SP_DISPERSE_DESIGN_H
#define SP_DISPERSE_DESIGN_H

#include <stdbool.h>
#include <stdint.h>

/* The ensemble: what the model does not know, one member per combination of the cloud
 * assumed where the met file has none, day and night (clear 0, half 4, overcast 8 oktas),
 * calm handling (in proportion to the lowest class's sectors, ISC's rule, or evenly), the
 * mixing height (500, 1,000, 1,500 m) and the initial vertical spread of every source class
 * (x 0.5, 1, 2): 3 x 2 x 3 x 3 = 54 members, m23 (index 22: half cloud, proportional calms,
 * 1,000 m, x1) the central one. The secondary coefficients' factor (x 0.5, 1, 1.5) is
 * assigned in a balanced Latin-square pattern over the other dimensions. */
#define SP_ENSEMBLE_MEMBERS 54
#define SP_ENSEMBLE_CENTRAL 22
typedef struct {
    double cloud;        /* oktas assumed where the file has none */
    double zi;           /* mixing height, m */
    double sz0_factor;   /* multiplies every class's initial sigma_z */
    double beta_factor;  /* multiplies the secondary coefficients */
    bool calm_uniform;   /* calms spread evenly instead of in proportion */
} sp_ensemble_member;
/* Member m (0 <= m < SP_ENSEMBLE_MEMBERS): sz0 varies fastest, then zi, calms, cloud. */
sp_ensemble_member sp_ensemble_member_of(int m);
/* Members of a run: 0 without the ensemble; all 54 with hourly met; 9 with a STAR table
 * (its stability and calms are fixed, so neither cloud nor calms can vary): the members
 * m19-m27 of half cloud and proportional calms, sp_ensemble_member_of(18 + k). */
int sp_ensemble_count(bool ensemble, bool hourly_met);

/* The joint ensemble (sp-disperse -joint N): N members drawn by Latin hypercube sampling
 * (McKay, Beckman & Conover 1979) over everything the answer depends on and the model does
 * not know: the weather (which met file: stations or years), the cloud assumed where the
 * file has none (0, 4 or 8 oktas), calms (in proportion or even), the urban option (off or
 * on, when a population is given), the mixing height (500-1,500 m, uniform), every class's
 * sigma_z0 (x 0.5-2, log-uniform), the release heights (x 0.5-1.5, uniform), the emission
 * factors (one of sp-inventory's Monte-Carlo draws) and the secondary coefficients
 * (x 0.5-1.5). Each dimension's range is cut into N strata and every stratum is used once;
 * a dimension of K categories takes category floor(u K) of the member's u. */
typedef struct sp_joint_member {
    int met;             /* 0 .. nmet-1 */
    double cloud;        /* oktas */
    bool calm_uniform;
    bool urban;
    double zi, sz0_factor, h_factor, beta_factor;
    int draw;            /* 1 .. ndraws (0: no draws, the central inventory) */
} sp_joint_member;
/* Fills out[0..n-1] (splitmix64 from seed: the same seed, the same members); urban false
 * keeps the option off in every member; ndraws 0 leaves draw 0. */
void sp_joint_design(int n, int nmet, int ndraws, bool urban, uint64_t seed,
                     sp_joint_member *out);

/* Evaluation against monitors, Chang & Hanna (2004), Meteorol. Atmos. Phys. 87:167,
 * eq. 1-4: FB = (Co - Cp) / (0.5 (Co + Cp)) (positive when the model is low), NMSE =
 * mean((Co - Cp)^2) / (Co Cp), FAC2 = share of 0.5 <= Cp/Co <= 2, R Pearson's. Accumulate
 * pairs with sp_eval_add (start from a zeroed struct), then sp_eval_finish. */
typedef struct {
    int n, fac2;
    double so, sp, soo, spp, sop, sd2;
} sp_eval_acc;
typedef struct {
    int n;
    double fb, nmse, fac2, r; /* NaN where undefined (see why) */
    const char *why;          /* NULL, or why a figure is NaN (static text) */
} sp_eval_stats;
/* Adds one station: observed and predicted annual means. */
void sp_eval_add(sp_eval_acc *a, double obs, double pred);
/* The statistics of the pairs added. R needs n >= 3 (with 2 points it is always +-1) and
 * variance in both; NMSE and FB need a positive mean of both. Each undefined figure is
 * NaN and s->why says which and why. */
void sp_eval_finish(const sp_eval_acc *a, sp_eval_stats *s);

/* Evaluation against an urban-minus-background increment: with bg >= 0 (the index of the
 * background station), obs_inc[i] = obs[i] - obs[bg] and mod_inc[i] = mod[i] - mod[bg]
 * for every station (the background's own are 0); with bg < 0 they are obs and mod. */
void sp_eval_increments(const double *obs, const double *mod, int n, int bg, double *obs_inc,
                        double *mod_inc);

#define SP_ARM2_MIN 0.5 /* EPA's default minimum and maximum NO2/NOx of ARM2 */
#define SP_ARM2_MAX 0.9
/* EPA's Ambient Ratio Method 2 (Podrez 2015, Atmos. Environ. 103:163; EPA-454/B-15-004
 * section 2.3): the NO2/NOx ratio of a modelled NOx concentration, the sixth-degree
 * polynomial 1.2441 - 2.7383e-3 x - 5.6062e-6 x^2 + 3.4555e-8 x^3 - 5.8345e-11 x^4 +
 * 4.2795e-14 x^5 - 1.1723e-17 x^6 in x = NOx in ppb (ug/m3 / 1.88, NO2's factor at 25 C),
 * bounded to [SP_ARM2_MIN, SP_ARM2_MAX]. */
double sp_arm2_ratio(double nox_ugm3);

#endif
