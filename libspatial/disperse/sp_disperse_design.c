/* sp_disperse_design: the ensemble's members and the evaluation statistics, pure. */
#include "disperse/sp_disperse_design.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "core/sp_rng.h"

sp_ensemble_member sp_ensemble_member_of(int m)
{
    static const double ZI[3] = {500, 1000, 1500}, SZ[3] = {0.5, 1, 2}, BETA[3] = {0.5, 1.5, 1};
    static const double CLOUD[3] = {0, 4, 8};
    int sz = m % 3, zi = m / 3 % 3, calm = m / 9 % 2, cloud = m / 18 % 3;
    return (sp_ensemble_member){CLOUD[cloud], ZI[zi], SZ[sz], BETA[(sz + zi + calm + cloud) % 3],
                                calm != 0};
}

int sp_ensemble_count(bool ensemble, bool hourly_met)
{
    return !ensemble ? 0 : hourly_met ? SP_ENSEMBLE_MEMBERS : 9;
}

void sp_eval_add(sp_eval_acc *a, double ob, double p)
{
    a->n++;
    a->so += ob, a->sp += p, a->soo += ob * ob, a->spp += p * p, a->sop += ob * p;
    a->sd2 += (ob - p) * (ob - p);
    a->fac2 += ob > 0 && p / ob >= 0.5 && p / ob <= 2;
}

void sp_eval_finish(const sp_eval_acc *a, sp_eval_stats *s)
{
    int n = a->n;
    *s = (sp_eval_stats){n, NAN, NAN, NAN, NAN, NULL};
    if (n < 1) {
        s->why = "no station";
        return;
    }
    double mo = a->so / n, mp = a->sp / n;
    s->fac2 = (double)a->fac2 / n;
    if (mo > 0 && mp > 0) {
        s->fb = (mo - mp) / (0.5 * (mo + mp));
        s->nmse = (a->sd2 / n) / (mo * mp);
    } else {
        s->why = mo > 0 ? "no FB or NMSE: the model's mean at the stations is 0"
                        : "no FB or NMSE: the observed mean is not positive";
    }
    double cov = a->sop / n - mo * mp, vo = a->soo / n - mo * mo, vp = a->spp / n - mp * mp;
    if (n < 3)
        s->why = s->why ? s->why : "no R: fewer than 3 stations (with 2 it is always +-1)";
    else if (!(vo > 0 && vp > 0))
        s->why = s->why ? s->why : "no R: the observed or modelled values do not vary";
    else
        s->r = cov / sqrt(vo * vp);
}

void sp_eval_increments(const double *obs, const double *mod, int n, int bg, double *obs_inc,
                        double *mod_inc)
{
    double ob = bg >= 0 ? obs[bg] : 0, mb = bg >= 0 ? mod[bg] : 0;
    for (int i = 0; i < n; i++) {
        obs_inc[i] = obs[i] - ob;
        mod_inc[i] = mod[i] - mb;
    }
}

double sp_arm2_ratio(double nox_ugm3)
{
    static const double C[7] = {1.2441, -2.7383e-3, -5.6062e-6, 3.4555e-8, -5.8345e-11,
                                4.2795e-14, -1.1723e-17};
    double x = nox_ugm3 / 1.88, r = 0;
    for (int k = 6; k >= 0; k--) /* Horner */
        r = r * x + C[k];
    return !(r > SP_ARM2_MIN) ? SP_ARM2_MIN : r > SP_ARM2_MAX ? SP_ARM2_MAX : r;
}

/* One column of the hypercube: u[i] in [0, 1), each of the n strata [k/n, (k+1)/n) once. */
static void lhs_column(int n, uint64_t *state, int *perm, double *u)
{
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)(sp_rng_next(state) % (uint64_t)(i + 1));
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (int i = 0; i < n; i++)
        u[i] = (perm[i] + sp_rng_uniform(state)) / n;
}

void sp_joint_design(int n, int nmet, int ndraws, bool urban, uint64_t seed,
                     sp_joint_member *out)
{
    enum { MET, CLOUD, CALM, URBAN, ZI, SZ0, H, DRAW, BETA, NDIM };
    static const double CLOUD_OKTAS[3] = {0, 4, 8};
    int *perm = malloc((size_t)(n > 0 ? n : 1) * sizeof *perm);
    double *u = malloc((size_t)(n > 0 ? n : 1) * NDIM * sizeof *u);
    if (!perm || !u) { /* the caller's memory is checked first; nothing is drawn */
        free(perm);
        free(u);
        return;
    }
    uint64_t state = seed ? seed : 1;
    for (int d = 0; d < NDIM; d++)
        lhs_column(n, &state, perm, u + (size_t)d * n);
    for (int i = 0; i < n; i++) {
        const double *v = u + i;
#define U(d) v[(size_t)(d) * n]
        sp_joint_member *m = &out[i];
        m->met = nmet > 0 ? (int)(U(MET) * nmet) : 0;
        m->cloud = CLOUD_OKTAS[(int)(U(CLOUD) * 3)];
        m->calm_uniform = U(CALM) >= 0.5;
        m->urban = urban && U(URBAN) >= 0.5;
        m->zi = 500 + 1000 * U(ZI);
        m->sz0_factor = pow(2, -1 + 2 * U(SZ0)); /* 0.5-2, log-uniform */
        m->h_factor = 0.5 + U(H);
        m->draw = ndraws > 0 ? 1 + (int)(U(DRAW) * ndraws) : 0;
        m->beta_factor = 0.5 + U(BETA);
#undef U
    }
    free(perm);
    free(u);
}
