/* Reductions: sum/mean over everything or one axis, max, var, dot.
 * Sums accumulate in double over a fixed partition (thread-count independent). */
#include "internal.h"
#include <blo/optim.h>
#include <math.h>

/* ---- whole-tensor -------------------------------------------------------------- */

static void sum_all_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo_broadcast_to(gy, n->in[0]->ndim, n->in[0]->shape);
}

blo_tensor *blo_sum_all(blo_tensor *a)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    blo_tensor *y = blo__new(g, 0, NULL);
    if (!y)
        return NULL;
    y->data[0] = (float)blo__sum_f(a->data, a->numel);
    blo__record(y, "blo_sum_all", sum_all_backward, 1, &a);
    return y;
}

blo_tensor *blo_mean_all(blo_tensor *a)
{
    if (!a)
        return NULL;
    return blo_mul_scalar(blo_sum_all(a), a->numel ? 1.0f / (float)a->numel : 0.0f);
}

static void dot_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    if (blo__wants(n, 0))
        gx[0] = blo_mul(n->in[1], gy);
    if (blo__wants(n, 1))
        gx[1] = blo_mul(n->in[0], gy);
}

blo_tensor *blo_dot(blo_tensor *a, blo_tensor *b)
{
    blo_graph *g = blo__graph_of(2, a, b);
    if (!g)
        return NULL;
    if (a->numel != b->numel)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_dot: shapes %s and %s differ", blo__shape_str(a),
                         blo__shape_str(b));
    blo_tensor *y = blo__new(g, 0, NULL);
    if (!y)
        return NULL;
    y->data[0] = (float)blo_vec_dot((size_t)a->numel, a->data, b->data);
    blo__record(y, "blo_dot", dot_backward, 2, (blo_tensor *[]){a, b});
    return y;
}

/* ---- along one axis -------------------------------------------------------------- */

/* Output shape of a reduction over ax. */
static int reduced_shape(const blo_tensor *a, int ax, gboolean keepdim, int64_t *shape)
{
    int nd = 0;
    for (int d = 0; d < a->ndim; d++) {
        if (d != ax)
            shape[nd++] = a->shape[d];
        else if (keepdim)
            shape[nd++] = 1;
    }
    return nd;
}

/* gy of a reduction, reshaped to keepdim form and broadcast back to x's shape. */
static blo_tensor *expand_back(blo_tensor *gy, const blo_tensor *x, int ax)
{
    int64_t shape[BLO_MAX_DIMS];
    memcpy(shape, x->shape, sizeof shape);
    shape[ax] = 1;
    return blo_broadcast_to(blo_reshape(gy, x->ndim, shape), x->ndim, x->shape);
}

static void sum_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = expand_back(gy, n->in[0], (int)n->i[0]);
}

blo_tensor *blo_sum(blo_tensor *a, int axis, gboolean keepdim)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    int ax = blo__axis(g, "blo_sum", axis, a->ndim);
    if (ax < 0)
        return NULL;
    int64_t shape[BLO_MAX_DIMS], outer, len, inner;
    int nd = reduced_shape(a, ax, keepdim, shape);
    blo_tensor *y = blo__new(g, nd, shape);
    if (!y)
        return NULL;
    blo__split_axis(a, ax, &outer, &len, &inner);
    BLO__PAR_FOR(a->numel)
    for (int64_t o = 0; o < outer; o++) {
        const float *src = a->data + o * len * inner;
        float *dst = y->data + o * inner;
        if (inner == 1) {
            double s = 0;
            for (int64_t j = 0; j < len; j++)
                s += src[j];
            dst[0] = (float)s;
            continue;
        }
        memset(dst, 0, (size_t)inner * sizeof(float));
        for (int64_t j = 0; j < len; j++)
            for (int64_t i = 0; i < inner; i++)
                dst[i] += src[j * inner + i];
    }
    blo_tensor_node *n = blo__record(y, "blo_sum", sum_backward, 1, &a);
    if (n)
        n->i[0] = ax;
    return y;
}

blo_tensor *blo_mean(blo_tensor *a, int axis, gboolean keepdim)
{
    blo_tensor *s = blo_sum(a, axis, keepdim);
    if (!s)
        return NULL;
    int ax = axis < 0 ? axis + a->ndim : axis;
    return blo_mul_scalar(s, 1.0f / (float)MAX(a->shape[ax], 1));
}

/* max: gradient flows to the first maximal element of each slice. */
static void max_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo__mul_const(expand_back(gy, n->in[0], (int)n->i[0]), n->saved[0]);
}

blo_tensor *blo_max(blo_tensor *a, int axis, gboolean keepdim)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    int ax = blo__axis(g, "blo_max", axis, a->ndim);
    if (ax < 0)
        return NULL;
    if (a->shape[ax] == 0)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_max: empty axis %d of %s", axis, blo__shape_str(a));
    int64_t shape[BLO_MAX_DIMS], outer, len, inner;
    int nd = reduced_shape(a, ax, keepdim, shape);
    blo_tensor *y = blo__new(g, nd, shape);
    blo_tensor *mask = a->node && blo__recording(g) ? blo__new_zeros_like(a) : NULL;
    if (!y)
        return NULL;
    blo__split_axis(a, ax, &outer, &len, &inner);
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++) {
            const float *src = a->data + o * len * inner + i;
            int64_t best = 0;
            for (int64_t j = 1; j < len; j++)
                if (src[j * inner] > src[best * inner])
                    best = j;
            y->data[o * inner + i] = src[best * inner];
            if (mask)
                mask->data[(o * len + best) * inner + i] = 1.0f;
        }
    blo_tensor_node *n = blo__record(y, "blo_max", max_backward, 1, &a);
    if (n) {
        n->i[0] = ax;
        n->saved[0] = mask;
    }
    return y;
}

blo_tensor *blo_var(blo_tensor *a, int axis, gboolean keepdim, gboolean unbiased)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    int ax = blo__axis(g, "blo_var", axis, a->ndim);
    if (ax < 0)
        return NULL;
    int64_t len = a->shape[ax];
    if (len - (unbiased ? 1 : 0) <= 0)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_var: axis %d of %s too short", axis, blo__shape_str(a));
    blo_tensor *d = blo_sub(a, blo_mean(a, ax, TRUE));
    return blo_mul_scalar(blo_sum(blo_mul(d, d), ax, keepdim), 1.0f / (float)(len - (unbiased ? 1 : 0)));
}
