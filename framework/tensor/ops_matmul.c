/* Matrix products on cblas_sgemm: batched matmul with broadcast batch dims,
 * transposes by sgemm flags (never materialised), and linear. */
#include "internal.h"

/* Batch extents of t (all dims but the last two), left-padded to 2. */
static void batch2(const blo_tensor *t, int64_t b[2])
{
    int nb = t->ndim - 2;
    b[0] = nb >= 2 ? t->shape[nb - 2] : 1;
    b[1] = nb >= 1 ? t->shape[nb - 1] : 1;
}

static void matmul_t_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    blo_tensor *a = n->in[0], *b = n->in[1];
    gboolean ta = n->i[0], tb = n->i[1];
    if (blo__wants(n, 0)) {
        blo_tensor *d = ta ? blo__matmul_t(b, gy, tb, TRUE) : blo__matmul_t(gy, b, FALSE, !tb);
        gx[0] = blo__sum_to_like(d, a);
    }
    if (blo__wants(n, 1)) {
        blo_tensor *d = tb ? blo__matmul_t(gy, a, TRUE, ta) : blo__matmul_t(a, gy, !ta, FALSE);
        gx[1] = blo__sum_to_like(d, b);
    }
}

/* <gx[k], v> = <gy, op(A) op(V)> or <gy, op(V) op(B)>: the contraction moves
 * onto gy, so the gradient of the other factor is never formed (2-D only). */
static blo_tensor *matmul_t_contract(blo_tensor_node *n, blo_tensor *gy, int k, blo_tensor *v)
{
    blo_tensor *a = n->in[0], *b = n->in[1];
    if (a->ndim != 2 || b->ndim != 2 || !blo__same_shape(v, n->in[k]))
        return NULL;
    gboolean ta = n->i[0], tb = n->i[1];
    blo_tensor *t = k == 0 ? blo__matmul_t(v, b, ta, tb) : blo__matmul_t(a, v, ta, tb);
    return blo_dot(gy, t);
}

blo_tensor *blo__matmul_t(blo_tensor *a, blo_tensor *b, gboolean ta, gboolean tb)
{
    blo_graph *g = blo__graph_of(2, a, b);
    if (!g)
        return NULL;
    if (a->ndim < 2 || b->ndim < 2)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_matmul: inputs %s and %s need at least 2 dimensions",
                         blo__shape_str(a), blo__shape_str(b));
    int64_t ar = a->shape[a->ndim - 2], ac = a->shape[a->ndim - 1];
    int64_t br = b->shape[b->ndim - 2], bc = b->shape[b->ndim - 1];
    int64_t M = ta ? ac : ar, K = ta ? ar : ac, Kb = tb ? bc : br, N = tb ? br : bc;
    int64_t ba[2], bb[2], bo[2];
    batch2(a, ba);
    batch2(b, bb);
    for (int d = 0; d < 2; d++) {
        if (ba[d] != bb[d] && ba[d] != 1 && bb[d] != 1)
            K = -1;
        bo[d] = MAX(ba[d], bb[d]);
    }
    if (K != Kb)
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_matmul: %s%s and %s%s do not multiply", blo__shape_str(a),
                         ta ? "^T" : "", blo__shape_str(b), tb ? "^T" : "");
    int nd = MAX(a->ndim, b->ndim);
    int64_t shape[BLO_MAX_DIMS];
    for (int d = 0; d < nd - 2; d++)
        shape[d] = bo[2 - (nd - 2) + d];
    shape[nd - 2] = M;
    shape[nd - 1] = N;
    blo_tensor *y = blo__new(g, nd, shape);
    if (!y)
        return NULL;
    int64_t nbo = bo[0] * bo[1];
    if (M * N == 0) {
        /* nothing to compute */
    } else if (K == 0) {
        memset(y->data, 0, (size_t)y->numel * sizeof(float));
    } else if (!ta && bb[0] * bb[1] == 1) {
        /* b is shared by every batch: one sgemm over all rows of a */
        blo__sgemm(ta, tb, nbo * M, N, K, 1.0f, a->data, ac, b->data, bc, 0.0f, y->data, N);
    } else {
        for (int64_t i = 0; i < nbo; i++) {
            int64_t i0 = i / bo[1], i1 = i % bo[1];
            int64_t ia = (ba[0] > 1 ? i0 * ba[1] : 0) + (ba[1] > 1 ? i1 : 0);
            int64_t ib = (bb[0] > 1 ? i0 * bb[1] : 0) + (bb[1] > 1 ? i1 : 0);
            blo__sgemm(ta, tb, M, N, K, 1.0f, a->data + ia * ar * ac, ac, b->data + ib * br * bc, bc, 0.0f,
                       y->data + i * M * N, N);
        }
    }
    blo_tensor_node *n = blo__record(y, "blo_matmul", matmul_t_backward, 2, (blo_tensor *[]){a, b});
    if (n) {
        n->contract = matmul_t_contract;
        n->i[0] = ta;
        n->i[1] = tb;
    }
    return y;
}

blo_tensor *blo_matmul(blo_tensor *a, blo_tensor *b)
{
    return blo__matmul_t(a, b, FALSE, FALSE);
}

/* ---- linear: y [rows, out] = x [rows, in] W^T + b --------------------------- */

static void linear_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    blo_tensor *x = n->in[0], *w = n->in[1];
    int64_t out = w->shape[0], in = w->shape[1], rows = gy->numel / MAX(out, 1);
    /* x may have extra leading dims: work on its [rows, in] form */
    blo_tensor *x2 = x->ndim == 2 ? x : blo_reshape(x, BLO_SHAPE(-1, in));
    blo_tensor *g2 = gy->ndim == 2 ? gy : blo_reshape(gy, BLO_SHAPE(-1, out));
    if (blo__wants(n, 0)) {
        blo_tensor *dx = blo__matmul_t(g2, w, FALSE, FALSE);
        gx[0] = x->ndim == 2 ? dx : blo_reshape(dx, x->ndim, x->shape);
    }
    if (blo__wants(n, 1)) {
        /* first order with W a view of the flat leaf: dW = gy^T x added
         * straight into the flat gradient (sgemm beta = 1) */
        float *sink = blo__grad_sink(n, 1);
        if (sink)
            blo__sgemm(TRUE, FALSE, out, in, rows, 1.0f, g2->data, out, x2->data, in, 1.0f, sink, in);
        else
            gx[1] = blo__matmul_t(g2, x2, TRUE, FALSE);
    }
    if (n->n_in > 2 && blo__wants(n, 2)) {
        float *sink = blo__grad_sink(n, 2);
        if (sink) {
            /* threads own column ranges and sum rows in order: the same
             * result with any thread count */
            enum { COLS_PER_TASK = 64 };
            int64_t tasks = (out + COLS_PER_TASK - 1) / COLS_PER_TASK;
            BLO__PAR_FOR(rows * out)
            for (int64_t t = 0; t < tasks; t++) {
                int64_t j0 = t * COLS_PER_TASK, j1 = MIN(out, j0 + COLS_PER_TASK);
                for (int64_t r = 0; r < rows; r++)
                    for (int64_t j = j0; j < j1; j++)
                        sink[j] += g2->data[r * out + j];
            }
        } else {
            gx[2] = blo__sum_to_like(g2, n->in[2]);
        }
    }
}

/* <dW, V> = <gy, x V^T> (see matmul_t_contract); x and b use backward. */
static blo_tensor *linear_contract(blo_tensor_node *n, blo_tensor *gy, int k, blo_tensor *v)
{
    blo_tensor *w = n->in[1];
    if (k != 1 || !blo__same_shape(v, w))
        return NULL;
    return blo_dot(gy, blo_linear(n->in[0], v, NULL));
}

blo_tensor *blo_linear(blo_tensor *x, blo_tensor *w, blo_tensor *b)
{
    blo_graph *g = b ? blo__graph_of(3, x, w, b) : blo__graph_of(2, x, w);
    if (!g)
        return NULL;
    if (w->ndim != 2 || x->ndim < 1 || x->shape[x->ndim - 1] != w->shape[1] ||
        (b && b->numel != w->shape[0]))
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_linear: x %s, W %s, b %s: expected x [.., in], W [out, in], b [out]",
                         blo__shape_str(x), blo__shape_str(w), b ? blo__shape_str(b) : "none");
    int64_t in = w->shape[1], out = w->shape[0], rows = x->numel / MAX(in, 1);
    int64_t shape[BLO_MAX_DIMS];
    memcpy(shape, x->shape, sizeof shape);
    shape[x->ndim - 1] = out;
    blo_tensor *y = blo__new(g, x->ndim, shape);
    if (!y)
        return NULL;
    float beta = 0.0f;
    if (b) {
        for (int64_t r = 0; r < rows; r++)
            memcpy(y->data + r * out, b->data, (size_t)out * sizeof(float));
        beta = 1.0f;
    }
    if (in == 0) {
        if (!b)
            memset(y->data, 0, (size_t)y->numel * sizeof(float));
    } else if (rows * out > 0) {
        blo__sgemm(FALSE, TRUE, rows, out, in, 1.0f, x->data, in, w->data, in, beta, y->data, out);
    }
    blo_tensor_node *n = b ? blo__record(y, "blo_linear", linear_backward, 3, (blo_tensor *[]){x, w, b})
                           : blo__record(y, "blo_linear", linear_backward, 2, (blo_tensor *[]){x, w});
    if (n)
        n->contract = linear_contract;
    return y;
}
