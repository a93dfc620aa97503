/* Unit tests of sp_rng: splitmix64's published first outputs for seed 0 (Vigna's
 * reference: 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f), uniforms in
 * (0, 1), and the normal draws' mean, variance and 97.5 % quantile over 200,000 draws. */
#include "check.h"
#include "core/sp_rng.h"

#include <math.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    uint64_t s = 0;
    CHECK(sp_rng_next(&s) == 0xe220a8397b1dcdafULL);
    CHECK(sp_rng_next(&s) == 0x6e789e6aa1b965f4ULL);
    CHECK(sp_rng_next(&s) == 0x06c45d188009454fULL);
    s = 42;
    double lo = 1, hi = 0;
    for (int i = 0; i < 100000; i++) {
        double u = sp_rng_uniform(&s);
        lo = fmin(lo, u);
        hi = fmax(hi, u);
    }
    CHECK(lo > 0 && hi < 1 && lo < 1e-3 && hi > 1 - 1e-3);
    enum { N = 200000 };
    double *z = malloc(N * sizeof *z), m = 0, v = 0;
    s = 7;
    for (int i = 0; i < N; i++) {
        z[i] = sp_rng_normal(&s);
        m += z[i];
    }
    m /= N;
    for (int i = 0; i < N; i++)
        v += (z[i] - m) * (z[i] - m);
    v /= N - 1;
    qsort(z, N, sizeof *z, cmp);
    CHECK(fabs(m) < 0.01);                   /* standard error 0.0022 */
    CHECK(fabs(v - 1) < 0.015);              /* standard error 0.0032 */
    CHECK(fabs(z[(int)(0.975 * N)] - 1.96) < 0.03);
    free(z);
    uint64_t a = 9, b = 9; /* same seed, same draws */
    CHECK(sp_rng_normal(&a) == sp_rng_normal(&b));
    return check_done();
}
