/* check.h: the unit-test harness. Each CHECK is one counted test; a test program prints
 * "N passed, N failed" last and exits non-zero on any failure (tests/run.sh adds up). */
#ifndef CHECK_H
#define CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_pass, check_fail;
/* only the first failures are printed in full, so that a broken property test stays
 * readable */
#define CHECK_QUIET (check_fail > 20)

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (cond)                                                                      \
            check_pass++;                                                              \
        else {                                                                         \
            check_fail++;                                                              \
            if (!CHECK_QUIET) fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                              \
    } while (0)

/* |a - b| <= tol * max(1, |b|) */
#define CHECK_REL(a, b, tol)                                                           \
    do {                                                                               \
        double a_ = (a), b_ = (b);                                                     \
        if (fabs(a_ - b_) <= (tol) * fmax(1.0, fabs(b_)))                              \
            check_pass++;                                                              \
        else {                                                                         \
            check_fail++;                                                              \
            if (!CHECK_QUIET) fprintf(stderr, "%s:%d: CHECK failed: %s = %.17g, expected %s = %.17g\n",  \
                    __FILE__, __LINE__, #a, a_, #b, b_);                               \
        }                                                                              \
    } while (0)

#define CHECK_STR(a, b)                                                                \
    do {                                                                               \
        const char *a_ = (a), *b_ = (b);                                               \
        if (a_ && b_ && strcmp(a_, b_) == 0)                                           \
            check_pass++;                                                              \
        else {                                                                         \
            check_fail++;                                                              \
            if (!CHECK_QUIET) fprintf(stderr, "%s:%d: CHECK failed: %s = \"%s\", expected \"%s\"\n",      \
                    __FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");   \
        }                                                                              \
    } while (0)

/* message contains a substring */
#define CHECK_HAS(hay, needle)                                                         \
    do {                                                                               \
        const char *h_ = (hay), *n_ = (needle);                                        \
        if (h_ && strstr(h_, n_))                                                      \
            check_pass++;                                                              \
        else {                                                                         \
            check_fail++;                                                              \
            if (!CHECK_QUIET) fprintf(stderr, "%s:%d: CHECK failed: \"%s\" does not contain \"%s\"\n",    \
                    __FILE__, __LINE__, h_ ? h_ : "(null)", n_);                       \
        }                                                                              \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_pass, check_fail);
    return check_fail ? 1 : 0;
}

/* splitmix64: deterministic random numbers for property tests */
static inline unsigned long long check_rand_u64(unsigned long long *s)
{
    unsigned long long z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static inline double check_rand(unsigned long long *s, double lo, double hi)
{
    return lo + (hi - lo) * (double)(check_rand_u64(s) >> 11) * 0x1.0p-53;
}

#endif
