/* sp_rng: splitmix64 and what is drawn from it (see sp_rng.h). */
#include "core/sp_rng.h"

#include <math.h>

uint64_t sp_rng_next(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double sp_rng_uniform(uint64_t *state)
{
    return ((double)(sp_rng_next(state) >> 11) + 0.5) * 0x1.0p-53;
}

double sp_rng_normal(uint64_t *state)
{
    double u = sp_rng_uniform(state), v = sp_rng_uniform(state);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}
