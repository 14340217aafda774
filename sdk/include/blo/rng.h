/* blo SDK: seeded random numbers.
 *
 * xoshiro256** seeded through splitmix64.  A stream is a plain value: copy it
 * to checkpoint it.  Results never depend on the thread count: parallel code
 * derives one stream per work item with blo_rng_fork(), not per thread.
 */
#ifndef BLO_RNG_H
#define BLO_RNG_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct blo_rng {
    uint64_t s[4];
} blo_rng;

void     blo_rng_seed(blo_rng *r, uint64_t seed);
/* An independent stream for work item `id`, derived from r without advancing it. */
blo_rng  blo_rng_fork(const blo_rng *r, uint64_t id);
uint64_t blo_rng_next(blo_rng *r);
double   blo_rng_uniform(blo_rng *r);              /* [0, 1) */
float    blo_rng_normal(blo_rng *r);               /* N(0, 1) */
uint64_t blo_rng_below(blo_rng *r, uint64_t n);    /* uniform in [0, n), unbiased */
void     blo_rng_shuffle(blo_rng *r, int64_t *items, size_t n);

#ifdef __cplusplus
}
#endif

#endif
