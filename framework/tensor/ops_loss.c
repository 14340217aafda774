/* Softmax, log-softmax and losses.  Softmax-family backward runs fused on
 * the first-order path and as composite differentiable ops when recording. */
#include "internal.h"
#include <math.h>

/* y = softmax (log = FALSE) or log-softmax (log = TRUE) of x along the
 * middle axis of [outer, len, inner]. */
static void softmax_kernel(float *y, const float *x, int64_t outer, int64_t len, int64_t inner, gboolean log)
{
    BLO__PAR_FOR_COSTLY(outer * len * inner)
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++) {
            const float *px = x + o * len * inner + i;
            float *py = y + o * len * inner + i;
            float m = -INFINITY;
            for (int64_t j = 0; j < len; j++)   /* fmaxf is a libm call under ISO C */
                m = px[j * inner] > m ? px[j * inner] : m;
            double s = 0;
            for (int64_t j = 0; j < len; j++) {
                float e = expf(px[j * inner] - m);
                s += e;
                if (!log)
                    py[j * inner] = e;
            }
            if (log) {
                float lse = m + (float)log1p(s - 1.0);
                for (int64_t j = 0; j < len; j++)
                    py[j * inner] = px[j * inner] - lse;
            } else {
                float inv = (float)(1.0 / s);
                for (int64_t j = 0; j < len; j++)
                    py[j * inner] *= inv;
            }
        }
}

/* First-order kernels: softmax gx = y (gy - sum(gy y)); log-softmax
 * gx = gy - exp(y) sum(gy). */
static void softmax_grad_kernel(float *gx, const float *gy, const float *y, int64_t outer, int64_t len,
                                int64_t inner, gboolean log)
{
    BLO__PAR_FOR(outer * len * inner)
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++) {
            int64_t base = o * len * inner + i;
            double s = 0;
            for (int64_t j = 0; j < len; j++)
                s += log ? gy[base + j * inner] : (double)gy[base + j * inner] * y[base + j * inner];
            for (int64_t j = 0; j < len; j++) {
                int64_t k = base + j * inner;
                gx[k] = log ? gy[k] - expf(y[k]) * (float)s : y[k] * (gy[k] - (float)s);
            }
        }
}

static void softmax_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    blo_tensor *y = n->out;
    int ax = (int)n->i[0];
    gboolean log = n->i[1];
    if (!blo__recording(y->graph)) {
        blo_tensor *d = blo__new_like(y);
        if (!d)
            return;
        int64_t outer, len, inner;
        blo__split_axis(y, ax, &outer, &len, &inner);
        softmax_grad_kernel(d->data, gy->data, y->data, outer, len, inner, log);
        gx[0] = d;
    } else if (log) {
        gx[0] = blo_sub(gy, blo_mul(blo_exp(y), blo_sum(gy, ax, TRUE)));
    } else {
        gx[0] = blo_mul(y, blo_sub(gy, blo_sum(blo_mul(gy, y), ax, TRUE)));
    }
}

static blo_tensor *softmax_op(blo_tensor *a, int axis, gboolean log)
{
    const char *name = log ? "blo_log_softmax" : "blo_softmax";
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    int ax = blo__axis(g, name, axis, a->ndim);
    if (ax < 0)
        return NULL;
    blo_tensor *y = blo__new_like(a);
    if (!y)
        return NULL;
    int64_t outer, len, inner;
    blo__split_axis(a, ax, &outer, &len, &inner);
    softmax_kernel(y->data, a->data, outer, len, inner, log);
    blo_tensor_node *n = blo__record(y, name, softmax_backward, 1, &a);
    if (n) {
        n->i[0] = ax;
        n->i[1] = log;
    }
    return y;
}

blo_tensor *blo_softmax(blo_tensor *a, int axis) { return softmax_op(a, axis, FALSE); }
blo_tensor *blo_log_softmax(blo_tensor *a, int axis) { return softmax_op(a, axis, TRUE); }

/* ---- cross-entropy ------------------------------------------------------------- */

/* i[0]: mean (1) or per-sample (0); i[1]: ignore_index; i[2]: counted samples;
 * saved[0]: softmax probabilities (constant); ptr: labels copy. */
static void ce_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    blo_tensor *logits = n->in[0], *p = n->saved[0];
    blo_graph *g = logits->graph;
    const int32_t *labels = n->ptr;
    gboolean mean = n->i[0];
    int32_t ignore = (int32_t)n->i[1];
    int64_t N = logits->shape[0], C = logits->shape[1];
    float inv = n->i[2] ? 1.0f / (float)n->i[2] : 0.0f;
    if (!blo__recording(g)) {
        blo_tensor *d = blo__new_like(logits);
        if (!d)
            return;
        BLO__PAR_FOR(N * C)
        for (int64_t r = 0; r < N; r++) {
            float *dr = d->data + r * C;
            const float *pr = p->data + r * C;
            if (labels[r] == ignore) {
                memset(dr, 0, (size_t)C * sizeof(float));
                continue;
            }
            float w = mean ? gy->data[0] * inv : gy->data[r];
            for (int64_t c = 0; c < C; c++)
                dr[c] = pr[c] * w;
            dr[labels[r]] -= w;
        }
        gx[0] = d;
        return;
    }
    /* (softmax(logits) - onehot) * w, w per row: gy (or gy / count), 0 if ignored */
    blo_tensor *onehot = blo_zeros(g, BLO_SHAPE(N, C));
    blo_tensor *rowmask = blo_zeros(g, BLO_SHAPE(N, 1));
    if (!onehot || !rowmask)
        return;
    for (int64_t r = 0; r < N; r++)
        if (labels[r] != ignore) {
            onehot->data[r * C + labels[r]] = 1.0f;
            rowmask->data[r] = mean ? inv : 1.0f;
        }
    blo_tensor *w = mean ? blo_reshape(gy, BLO_SHAPE(1, 1)) : blo_reshape(gy, BLO_SHAPE(N, 1));
    w = blo__mul_const(w, rowmask);
    gx[0] = blo_mul(blo_sub(blo_softmax(logits, 1), onehot), w);
}

static blo_tensor *ce_op(blo_tensor *logits, const int32_t *labels, int32_t ignore, gboolean mean)
{
    const char *name = mean ? "blo_cross_entropy" : "blo_cross_entropy_each";
    blo_graph *g = blo__graph_of(1, logits);
    if (!g)
        return NULL;
    if (logits->ndim != 2)
        return blo__fail(g, BLO_ERROR_SHAPE, "%s: logits %s, expected [N, C]", name, blo__shape_str(logits));
    if (!labels)
        return blo__fail(g, BLO_ERROR_INVALID_ARG, "%s: labels is NULL", name);
    int64_t N = logits->shape[0], C = logits->shape[1], count = 0;
    for (int64_t r = 0; r < N; r++) {
        if (labels[r] == ignore)
            continue;
        if (labels[r] < 0 || labels[r] >= C)
            return blo__fail(g, BLO_ERROR_RANGE, "%s: label %d of sample %lld outside [0, %lld)", name,
                             labels[r], (long long)r, (long long)C);
        count++;
    }
    blo_tensor *lp = blo__new_like(logits);
    blo_tensor *y = mean ? blo__new(g, 0, NULL) : blo__new(g, BLO_SHAPE(N));
    if (!lp || !y)
        return NULL;
    softmax_kernel(lp->data, logits->data, N, C, 1, TRUE);
    double total = 0;
    for (int64_t r = 0; r < N; r++) {
        float l = labels[r] == ignore ? 0.0f : -lp->data[r * C + labels[r]];
        total += l;
        if (!mean)
            y->data[r] = l;
    }
    if (mean)
        y->data[0] = count ? (float)(total / (double)count) : 0.0f;
    blo_tensor_node *n = blo__record(y, name, ce_backward, 1, &logits);
    if (n) {
        /* probabilities for the fused backward: exp of the log-probabilities */
        BLO__PAR_FOR_COSTLY(lp->numel)
        for (int64_t i = 0; i < lp->numel; i++)
            lp->data[i] = expf(lp->data[i]);
        n->saved[0] = lp;
        n->i[0] = mean;
        n->i[1] = ignore;
        n->i[2] = count;
        n->ptr = blo__arena_dup(g, labels, (size_t)N * sizeof(int32_t));
    }
    return y;
}

blo_tensor *blo_cross_entropy_each(blo_tensor *logits, const int32_t *labels, int32_t ignore_index)
{
    return ce_op(logits, labels, ignore_index, FALSE);
}

blo_tensor *blo_cross_entropy(blo_tensor *logits, const int32_t *labels, int32_t ignore_index)
{
    return ce_op(logits, labels, ignore_index, TRUE);
}

/* ---- regression and divergence losses (composites) ----------------------------- */

static gboolean same_or_fail(blo_tensor *a, blo_tensor *b, const char *name)
{
    blo_graph *g = blo__graph_of(2, a, b);
    if (!g)
        return FALSE;
    if (!blo__same_shape(a, b)) {
        blo__fail(g, BLO_ERROR_SHAPE, "%s: shapes %s and %s differ", name, blo__shape_str(a), blo__shape_str(b));
        return FALSE;
    }
    return TRUE;
}

blo_tensor *blo_mse(blo_tensor *a, blo_tensor *b)
{
    if (!same_or_fail(a, b, "blo_mse"))
        return NULL;
    blo_tensor *d = blo_sub(a, b);
    return blo_mul_scalar(blo_dot(d, d), 1.0f / (float)MAX(a->numel, 1));
}

blo_tensor *blo_l1(blo_tensor *a, blo_tensor *b)
{
    if (!same_or_fail(a, b, "blo_l1"))
        return NULL;
    return blo_mean_all(blo_abs(blo_sub(a, b)));
}

/* mean(softplus(x) - x t): the stable form of BCE on logits. */
blo_tensor *blo_bce_with_logits(blo_tensor *logits, blo_tensor *targets)
{
    if (!same_or_fail(logits, targets, "blo_bce_with_logits"))
        return NULL;
    return blo_mean_all(blo_sub(blo_softplus(logits), blo_mul(logits, targets)));
}

blo_tensor *blo_kl_div_log(blo_tensor *log_p, blo_tensor *log_q, int axis)
{
    if (!same_or_fail(log_p, log_q, "blo_kl_div_log"))
        return NULL;
    blo_tensor *terms = blo_mul(blo_exp(log_p), blo_sub(log_p, log_q));
    if (log_p->ndim == 0)
        return terms;
    return blo_mean_all(blo_sum(terms, axis, FALSE));
}
