/* sp_rng: the random numbers of onemap's draws (sp-score's weights, sp-inventory's
 * Monte-Carlo): splitmix64 (Steele, Lea & Flood 2014), a 64-bit state that any seed
 * starts, so the same seed gives the same draws on every machine. Pure. */
#ifndef SP_RNG_H
#define SP_RNG_H

#include <stdint.h>

/* The next 64 random bits; advances *state. */
uint64_t sp_rng_next(uint64_t *state);
/* Uniform in (0, 1), never 0 or 1. */
double sp_rng_uniform(uint64_t *state);
/* Standard normal (Box-Muller: one value per two uniforms). */
double sp_rng_normal(uint64_t *state);

#endif
