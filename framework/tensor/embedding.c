/* Row and element gathers: embedding, gather_rows, and the index form of
 * max pooling and nearest resize.  A gather's adjoint is a scatter-add with
 * the same indices and vice versa, so the pair is closed under
 * differentiation. */
#include "tensor/vision_kernels.h"

#include <string.h>

void gather_blocks(float *out, const float *x, const int64_t *idx, int64_t m, int64_t block)
{
    if (block == 1) {
        #pragma omp parallel for schedule(static) if (m > 65536)
        for (int64_t i = 0; i < m; i++)
            out[i] = x[idx[i]];
        return;
    }
    for (int64_t i = 0; i < m; i++)
        memcpy(out + i * block, x + idx[i] * block, (size_t)block * sizeof(float));
}

void scatter_add_blocks(float *gx, const float *g, const int64_t *idx, int64_t m, int64_t block)
{
    /* Sequential: indices may repeat, and the summation order stays fixed. */
    for (int64_t i = 0; i < m; i++) {
        float *d = gx + idx[i] * block;
        const float *s = g + i * block;
        for (int64_t j = 0; j < block; j++)
            d[j] += s[j];
    }
}
