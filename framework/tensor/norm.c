/* Batch, instance, layer and RMS normalisation.
 *
 * Written entirely with the differentiable core ops (mean, sub, mul, pow), so
 * their gradients are exact to any order; the statistics are per-axis means
 * of equally sized groups, so two successive means give the mean over two
 * axes. */
#include "internal.h"

#include <math.h>

/* (x - mean) / sqrt(var + eps) with the statistics over `axis` (biased var). */
static blo_tensor *standardize(blo_tensor *x, int axis, float eps)
{
    blo_tensor *xc = blo_sub(x, blo_mean(x, axis, TRUE));
    blo_tensor *var = blo_mean(blo_mul(xc, xc), axis, TRUE);
    return blo_mul(xc, blo_pow_scalar(blo_add_scalar(var, eps), -0.5f));
}

/* y * gamma + beta with gamma, beta [len] broadcast along `axis` of y. */
static blo_tensor *affine(blo_tensor *y, blo_tensor *gamma, blo_tensor *beta, int axis)
{
    if (!y)
        return NULL;
    int64_t shape[BLO_MAX_DIMS];
    for (int d = 0; d < y->ndim; d++)
        shape[d] = d == axis ? y->shape[axis] : 1;
    if (gamma)
        y = blo_mul(y, blo_reshape(gamma, y->ndim, shape));
    if (beta)
        y = blo_add(y, blo_reshape(beta, y->ndim, shape));
    return y;
}

/* gamma / beta (either may be NULL) must be [len]. */
static gboolean params_check(blo_graph *g, const char *op, blo_tensor *gamma, blo_tensor *beta, int64_t len)
{
    blo_tensor *p[2] = {gamma, beta};
    for (int k = 0; k < 2; k++)
        if (p[k] && (p[k]->ndim != 1 || p[k]->shape[0] != len)) {
            blo__fail(g, BLO_ERROR_SHAPE, "%s: %s must be [%" G_GINT64_FORMAT "], got %s", op,
                      k ? "beta" : "gamma", len, blo__shape_str(p[k]));
            return FALSE;
        }
    return TRUE;
}

/* The graph of x and the optional parameters (NULL if any input is NULL
 * because an earlier op failed). */
static blo_graph *graph_of_opt(blo_tensor *x, blo_tensor *gamma, blo_tensor *beta)
{
    blo_tensor *ts[3] = {x, gamma, beta};
    int n = 1;
    if (gamma)
        ts[n++] = gamma;
    if (beta)
        ts[n++] = beta;
    return blo__graph_of_array(ts, n);
}

blo_tensor *blo_layer_norm(blo_tensor *x, blo_tensor *gamma, blo_tensor *beta, float eps)
{
    blo_graph *g = graph_of_opt(x, gamma, beta);
    if (!g || !params_check(g, "blo_layer_norm", gamma, beta, x->shape[x->ndim - 1]))
        return NULL;
    return affine(standardize(x, -1, eps), gamma, beta, x->ndim - 1);
}

blo_tensor *blo_rms_norm(blo_tensor *x, blo_tensor *gamma, float eps)
{
    blo_graph *g = graph_of_opt(x, gamma, NULL);
    if (!g || !params_check(g, "blo_rms_norm", gamma, NULL, x->shape[x->ndim - 1]))
        return NULL;
    blo_tensor *ms = blo_mean(blo_mul(x, x), -1, TRUE);
    return affine(blo_mul(x, blo_pow_scalar(blo_add_scalar(ms, eps), -0.5f)), gamma, NULL, x->ndim - 1);
}

/* x [N,C,H,W] (or [N,C]) as [N, C, H*W]. */
static blo_tensor *as_ncl(blo_graph *g, const char *op, blo_tensor *x)
{
    if (x->ndim != 4 && x->ndim != 2 && x->ndim != 3)
        return blo__fail(g, BLO_ERROR_SHAPE, "%s: expected x [N,C], [N,C,L] or [N,C,H,W], got %s", op,
                         blo__shape_str(x));
    return blo_reshape(x, BLO_SHAPE(x->shape[0], x->shape[1], x->numel / (x->shape[0] * x->shape[1])));
}

blo_tensor *blo_instance_norm(blo_tensor *x, blo_tensor *gamma, blo_tensor *beta, float eps)
{
    blo_graph *g = graph_of_opt(x, gamma, beta);
    if (!g || !params_check(g, "blo_instance_norm", gamma, beta, x->ndim > 1 ? x->shape[1] : 0))
        return NULL;
    blo_tensor *y = standardize(as_ncl(g, "blo_instance_norm", x), 2, eps);
    y = affine(y, gamma, beta, 1);
    return y ? blo_reshape(y, x->ndim, x->shape) : NULL;
}

blo_tensor *blo_batch_norm(blo_tensor *x, blo_tensor *gamma, blo_tensor *beta, float *running_mean,
                           float *running_var, gboolean training, float momentum, float eps)
{
    const char *op = "blo_batch_norm";
    blo_graph *g = graph_of_opt(x, gamma, beta);
    if (!g || !params_check(g, op, gamma, beta, x->ndim > 1 ? x->shape[1] : 0))
        return NULL;
    blo_tensor *x3 = as_ncl(g, op, x);
    if (!x3)
        return NULL;
    const int64_t c = x3->shape[1], count = x3->shape[0] * x3->shape[2];
    blo_tensor *y;
    if (training) {
        if (count < 2 && running_var)
            return blo__fail(g, BLO_ERROR_SHAPE, "%s: training needs more than one value per channel, got %s",
                             op, blo__shape_str(x));
        /* statistics over axes 0 and 2: mean of per-(n, c) means */
        blo_tensor *mean = blo_mean(blo_mean(x3, 2, TRUE), 0, TRUE);          /* [1, C, 1] */
        blo_tensor *xc = blo_sub(x3, mean);
        blo_tensor *var = blo_mean(blo_mean(blo_mul(xc, xc), 2, TRUE), 0, TRUE);
        y = blo_mul(xc, blo_pow_scalar(blo_add_scalar(var, eps), -0.5f));
        if (y && running_mean && running_var) {
            const float unbias = (float)count / (float)(count - 1);
            for (int64_t k = 0; k < c; k++) {
                running_mean[k] = (1.0f - momentum) * running_mean[k] + momentum * mean->data[k];
                running_var[k] = (1.0f - momentum) * running_var[k] + momentum * var->data[k] * unbias;
            }
        }
    } else {
        if (!running_mean || !running_var)
            return blo__fail(g, BLO_ERROR_INVALID_ARG, "%s: evaluation mode needs running_mean and running_var", op);
        blo_tensor *scale = blo__new(g, BLO_SHAPE(1, c, 1)), *shift = blo__new(g, BLO_SHAPE(1, c, 1));
        if (!scale || !shift)
            return NULL;
        for (int64_t k = 0; k < c; k++) {
            scale->data[k] = 1.0f / sqrtf(running_var[k] + eps);
            shift->data[k] = -running_mean[k] * scale->data[k];
        }
        y = blo_add(blo_mul(x3, scale), shift);
    }
    y = affine(y, gamma, beta, 1);
    return y ? blo_reshape(y, x->ndim, x->shape) : NULL;
}
