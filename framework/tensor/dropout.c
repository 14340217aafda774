/* Inverted dropout: y = x * mask, mask drawn from the caller's blo_rng. */
#include "vision_kernels.h"

#include "internal.h"

#include <string.h>

void dropout_mask(float *mask, int64_t n, float p, struct blo_rng *rng)
{
    const float keep = 1.0f / (1.0f - p);
    for (int64_t i = 0; i < n; i++)
        mask[i] = blo_rng_uniform(rng) >= (double)p ? keep : 0.0f;
}

blo_tensor *blo_dropout(blo_tensor *x, float p, gboolean training, blo_rng *rng)
{
    blo_graph *g = blo__graph_of(1, x);
    if (!g)
        return NULL;
    if (!(p >= 0.0f && p <= 1.0f))
        return blo__fail(g, BLO_ERROR_RANGE, "blo_dropout: p = %g must be in [0, 1]", p);
    if (!training || p == 0.0f)
        return x;
    if (!rng)
        return blo__fail(g, BLO_ERROR_INVALID_ARG, "blo_dropout: training mode needs an rng");
    blo_tensor *mask = blo__new_like(x);
    if (!mask)
        return NULL;
    if (p >= 1.0f)
        memset(mask->data, 0, (size_t)mask->numel * sizeof(float));
    else
        dropout_mask(mask->data, mask->numel, p, rng);
    return blo__mul_const(x, mask);
}
