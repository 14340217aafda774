/* Row and element gathers: embedding, gather_rows, and the index form of
 * max pooling and nearest resize.  A gather's adjoint is a scatter-add with
 * the same indices and vice versa, so the pair is closed under
 * differentiation. */
#include "vision_kernels.h"
#include "index_ops.h"

#include <string.h>

void gather_blocks(float *out, const float *x, const int64_t *idx, int64_t m, int64_t block)
{
    if (block == 1) {
        VK_PARALLEL_FOR_IF(m > 65536)
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

/* ---- differentiable pair ------------------------------------------------------ */

/* node: ptr = idx, i[0] = m, i[1] = block, i[2] = ndim and i[3..6] = shape of
 * the input (what the backward must produce). */
static void index_record(blo_tensor *y, const char *name, blo_backward_fn bw, blo_tensor *x,
                         const int64_t *idx, int64_t m, int64_t block)
{
    blo_tensor_node *n = blo__record(y, name, bw, 1, &x);
    if (!n)
        return;
    n->ptr = idx;
    n->i[0] = m;
    n->i[1] = block;
    n->i[2] = x->ndim;
    for (int d = 0; d < BLO_MAX_DIMS; d++)
        n->i[3 + d] = x->shape[d];
}

static void gather_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo__scatter_blocks(gy, n->ptr, n->i[0], n->i[1], (int)n->i[2], &n->i[3]);
}

static void scatter_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo__gather_blocks(gy, n->ptr, n->i[0], n->i[1], (int)n->i[2], &n->i[3]);
}

blo_tensor *blo__gather_blocks(blo_tensor *x, const int64_t *idx, int64_t m, int64_t block,
                               int ndim, const int64_t *shape)
{
    blo_graph *g = blo__graph_of(1, x);
    blo_tensor *y = g ? blo__new(g, ndim, shape) : NULL;
    if (!y)
        return NULL;
    gather_blocks(y->data, x->data, idx, m, block);
    index_record(y, "gather", gather_backward, x, idx, m, block);
    return y;
}

void blo__record_gather(blo_tensor *y, blo_tensor *x, const int64_t *idx, int64_t m, int64_t block)
{
    index_record(y, "gather", gather_backward, x, idx, m, block);
}

blo_tensor *blo__scatter_blocks(blo_tensor *gin, const int64_t *idx, int64_t m, int64_t block,
                                int ndim, const int64_t *shape)
{
    blo_graph *g = blo__graph_of(1, gin);
    blo_tensor *y = g ? blo__new(g, ndim, shape) : NULL;
    if (!y)
        return NULL;
    memset(y->data, 0, (size_t)y->numel * sizeof(float));
    scatter_add_blocks(y->data, gin->data, idx, m, block);
    index_record(y, "scatter_add", scatter_backward, gin, idx, m, block);
    return y;
}

/* ---- public API ----------------------------------------------------------------- */

blo_tensor *blo_embedding(blo_tensor *table, const int32_t *ids, int64_t n)
{
    blo_graph *g = blo__graph_of(1, table);
    if (!g)
        return NULL;
    if (table->ndim != 2 || n < 0 || (n > 0 && !ids))
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_embedding: expected a table [V, D] and n >= 0 ids, got %s",
                         blo__shape_str(table));
    int64_t *idx = blo__arena_alloc(g, (size_t)MAX(n, 1) * sizeof(int64_t));
    if (!idx)
        return NULL;
    for (int64_t i = 0; i < n; i++) {
        if (ids[i] < 0 || ids[i] >= table->shape[0])
            return blo__fail(g, BLO_ERROR_RANGE, "blo_embedding: id %d at %" G_GINT64_FORMAT
                             " is outside the table's %" G_GINT64_FORMAT " rows", ids[i], i, table->shape[0]);
        idx[i] = ids[i];
    }
    return blo__gather_blocks(table, idx, n, table->shape[1], 2, (int64_t[]){n, table->shape[1]});
}

blo_tensor *blo_gather_rows(blo_tensor *a, const int32_t *idx32)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    if (a->ndim != 2 || !idx32)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_gather_rows: expected a [N, C] and N indices, got %s",
                         blo__shape_str(a));
    const int64_t rows = a->shape[0], cols = a->shape[1];
    int64_t *idx = blo__arena_alloc(g, (size_t)MAX(rows, 1) * sizeof(int64_t));
    if (!idx)
        return NULL;
    for (int64_t i = 0; i < rows; i++) {
        if (idx32[i] < 0 || idx32[i] >= cols)
            return blo__fail(g, BLO_ERROR_RANGE, "blo_gather_rows: index %d of row %" G_GINT64_FORMAT
                             " is outside [0, %" G_GINT64_FORMAT ")", idx32[i], i, cols);
        idx[i] = i * cols + idx32[i];
    }
    return blo__gather_blocks(a, idx, rows, 1, 1, (int64_t[]){rows});
}
