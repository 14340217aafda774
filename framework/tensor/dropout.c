/* Inverted dropout: y = x * mask, mask drawn from the caller's blo_rng. */
#include "vision_kernels.h"

#include "blo/rng.h"

void dropout_mask(float *mask, int64_t n, float p, struct blo_rng *rng)
{
    const float keep = 1.0f / (1.0f - p);
    for (int64_t i = 0; i < n; i++)
        mask[i] = blo_rng_uniform(rng) >= (double)p ? keep : 0.0f;
}
