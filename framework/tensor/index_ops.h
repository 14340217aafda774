/* framework (private): differentiable gather / scatter-add of blocks.
 *
 * blo__gather_blocks:  y [m*block] (shaped ndim/shape) = x[idx[i]*block + j]
 * blo__scatter_blocks: y (shaped ndim/shape, zeros) += g[i*block + j] at
 *                      idx[i]*block + j
 * Each is the other's adjoint, so gradients of any order stay in the pair.
 * idx must live as long as the graph's tensors (arena memory). */
#ifndef BLO_FRAMEWORK_TENSOR_INDEX_OPS_H
#define BLO_FRAMEWORK_TENSOR_INDEX_OPS_H

#include "internal.h"

blo_tensor *blo__gather_blocks(blo_tensor *x, const int64_t *idx, int64_t m, int64_t block,
                               int ndim, const int64_t *shape);
blo_tensor *blo__scatter_blocks(blo_tensor *g, const int64_t *idx, int64_t m, int64_t block,
                                int ndim, const int64_t *shape);
/* Record an already computed y (e.g. max pool's output) as that gather. */
void blo__record_gather(blo_tensor *y, blo_tensor *x, const int64_t *idx, int64_t m, int64_t block);

#endif
