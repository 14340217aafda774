/* Attention pieces: scaled scores, causal mask, rotary embedding. */
#include "vision_kernels.h"
#include "internal.h"

#include <math.h>

void causal_fill(float *y, const float *x, int64_t planes, int64_t t, int64_t s, int64_t offset, float value)
{
    for (int64_t pl = 0; pl < planes; pl++)
        for (int64_t i = 0; i < t; i++)
            for (int64_t j = 0; j < s; j++) {
                const int64_t o = (pl * t + i) * s + j;
                y[o] = j > i + offset ? value : x[o];
            }
}

void rope_forward(float *y, const float *x, int64_t planes, int64_t t, int64_t d, int64_t pos0,
                  float theta, float sign)
{
    VK_PARALLEL_FOR_IF(planes * t * d >= 32768)
    for (int64_t pl = 0; pl < planes; pl++)
        for (int64_t i = 0; i < t; i++)
            for (int64_t j = 0; j < d / 2; j++) {
                const double freq = pow((double)theta, -2.0 * (double)j / (double)d);
                const double angle = (double)(pos0 + i) * freq * sign;
                const float c = (float)cos(angle), s = (float)sin(angle);
                const int64_t o = (pl * t + i) * d + 2 * j;
                const float x0 = x[o], x1 = x[o + 1];
                y[o] = x0 * c - x1 * s;
                y[o + 1] = x0 * s + x1 * c;
            }
}

/* ---- differentiable ops ------------------------------------------------------ */

blo_tensor *blo_attention_scores(blo_tensor *q, blo_tensor *k, float scale)
{
    blo_graph *g = blo__graph_of(2, q, k);
    if (!g)
        return NULL;
    if (q->ndim != 4 || k->ndim != 4 || q->shape[0] != k->shape[0] || q->shape[1] != k->shape[1] ||
        q->shape[3] != k->shape[3])
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_attention_scores: expected q [B,H,T,D] and k [B,H,S,D], got %s and %s",
                         blo__shape_str(q), blo__shape_str(k));
    /* [B,H,T,D] x [B,H,S,D]^T -> [B,H,T,S] */
    return blo_mul_scalar(blo__matmul_t(q, k, FALSE, TRUE), scale);
}

/* node: i[0] offset; f[0] fill value.  Masking is a projection: its adjoint
 * is the same mask filling zeros. */
static blo_tensor *mask_op(blo_tensor *x, int64_t offset, float value);

static void mask_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = mask_op(gy, n->i[0], 0.0f);
}

static blo_tensor *mask_op(blo_tensor *x, int64_t offset, float value)
{
    blo_graph *g = blo__graph_of(1, x);
    blo_tensor *y = g ? blo__new_like(x) : NULL;
    if (!y)
        return NULL;
    const int64_t t = x->shape[x->ndim - 2], s = x->shape[x->ndim - 1];
    causal_fill(y->data, x->data, x->numel / (t * s), t, s, offset, value);
    blo_tensor_node *n = blo__record(y, "blo_causal_mask", mask_backward, 1, &x);
    if (n)
        n->i[0] = offset;
    return y;
}

blo_tensor *blo_causal_mask(blo_tensor *scores, int64_t offset)
{
    blo_graph *g = blo__graph_of(1, scores);
    if (!g)
        return NULL;
    if (scores->ndim < 2)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_causal_mask: expected scores [.., T, S], got %s",
                         blo__shape_str(scores));
    return mask_op(scores, offset, -INFINITY);
}

/* node: i[0] pos0; f[0] theta, f[1] sign.  A rotation's adjoint is the
 * rotation by the opposite angle. */
static blo_tensor *rope_op(blo_tensor *x, int64_t pos0, float theta, float sign);

static void rope_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = rope_op(gy, n->i[0], n->f[0], -n->f[1]);
}

static blo_tensor *rope_op(blo_tensor *x, int64_t pos0, float theta, float sign)
{
    blo_graph *g = blo__graph_of(1, x);
    blo_tensor *y = g ? blo__new_like(x) : NULL;
    if (!y)
        return NULL;
    const int64_t t = x->shape[x->ndim - 2], d = x->shape[x->ndim - 1];
    rope_forward(y->data, x->data, x->numel / (t * d), t, d, pos0, theta, sign);
    blo_tensor_node *n = blo__record(y, "blo_rope", rope_backward, 1, &x);
    if (n) {
        n->i[0] = pos0;
        n->f[0] = theta;
        n->f[1] = sign;
    }
    return y;
}

blo_tensor *blo_rope(blo_tensor *x, int64_t pos0, float theta)
{
    blo_graph *g = blo__graph_of(1, x);
    if (!g)
        return NULL;
    if (x->ndim < 2 || x->shape[x->ndim - 1] % 2)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_rope: expected x [.., T, D] with D even, got %s", blo__shape_str(x));
    if (!(theta > 0.0f))
        return blo__fail(g, BLO_ERROR_RANGE, "blo_rope: theta = %g must be positive", theta);
    return rope_op(x, pos0, theta, 1.0f);
}
