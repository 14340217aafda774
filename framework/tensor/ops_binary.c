/* Binary elementwise ops with NumPy broadcasting: add, sub, mul, div, where.
 * blo_mul is the reference example of the op mechanism (internal.h). */
#include "internal.h"

typedef enum { BIN_ADD, BIN_SUB, BIN_MUL, BIN_DIV } bin_kind;

/* y[i] = a[i] (op) b[i] over n items with strides sa, sb in {0, 1}. */
#define BIN_LOOP(EXPR)                                                        \
    do {                                                                      \
        if (sa && sb) {                                                       \
            BLO__PAR_FOR(n)                                                   \
            for (int64_t i = 0; i < n; i++) { float x = pa[i], z = pb[i]; py[i] = (EXPR); } \
        } else if (sa) {                                                      \
            float z = pb[0];                                                  \
            for (int64_t i = 0; i < n; i++) { float x = pa[i]; py[i] = (EXPR); } \
        } else if (sb) {                                                      \
            float x = pa[0];                                                  \
            for (int64_t i = 0; i < n; i++) { float z = pb[i]; py[i] = (EXPR); } \
        } else {                                                              \
            float x = pa[0], z = pb[0];                                       \
            for (int64_t i = 0; i < n; i++) py[i] = (EXPR);                   \
        }                                                                     \
    } while (0)

/* py never aliases pa/pb (fresh output); pa and pb may alias each other (read only). */
static void bin_run(bin_kind k, float *restrict py, const float *restrict pa, const float *restrict pb, int64_t n,
                    int sa, int sb)
{
    switch (k) {
    case BIN_ADD: BIN_LOOP(x + z); break;
    case BIN_SUB: BIN_LOOP(x - z); break;
    case BIN_MUL: BIN_LOOP(x * z); break;
    case BIN_DIV: BIN_LOOP(x / z); break;
    }
}

/* The broadcast result of a (op) b, unrecorded. */
static blo_tensor *bin_forward(const char *name, bin_kind k, blo_tensor *a, blo_tensor *b)
{
    blo_graph *g = blo__graph_of(2, a, b);
    if (!g)
        return NULL;
    int nd;
    int64_t shape[BLO_MAX_DIMS];
    if (!blo__broadcast_shape(g, name, a, b, &nd, shape))
        return NULL;
    blo_tensor *y = blo__new(g, nd, shape);
    if (!y)
        return NULL;
    if (a->numel == y->numel && b->numel == y->numel) {
        bin_run(k, y->data, a->data, b->data, y->numel, 1, 1);
        return y;
    }
    if (b->numel == 1 || a->numel == 1) {
        bin_run(k, y->data, a->data, b->data, y->numel, a->numel != 1, b->numel != 1);
        return y;
    }
    int64_t o4[4], sa[4], sb[4];
    blo__shape4(y, o4);
    blo__strides4(a, o4, sa);
    blo__strides4(b, o4, sb);
    int64_t rows = o4[0] * o4[1] * o4[2];
    BLO__PAR_FOR(y->numel)
    for (int64_t r = 0; r < rows; r++) {
        int64_t i0 = r / (o4[1] * o4[2]), i1 = (r / o4[2]) % o4[1], i2 = r % o4[2];
        bin_run(k, y->data + r * o4[3], a->data + i0 * sa[0] + i1 * sa[1] + i2 * sa[2],
                b->data + i0 * sb[0] + i1 * sb[1] + i2 * sb[2], o4[3], sa[3] != 0, sb[3] != 0);
    }
    return y;
}

static void add_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    if (blo__wants(n, 0))
        gx[0] = blo__sum_to_like(gy, n->in[0]);
    if (blo__wants(n, 1))
        gx[1] = blo__sum_to_like(gy, n->in[1]);
}

static void sub_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    if (blo__wants(n, 0))
        gx[0] = blo__sum_to_like(gy, n->in[0]);
    if (blo__wants(n, 1))
        gx[1] = blo_neg(blo__sum_to_like(gy, n->in[1]));
}

/* d(a b) = gy b da + gy a db: written with blo_mul itself, so differentiable. */
static void mul_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    if (blo__wants(n, 0))
        gx[0] = blo__sum_to_like(blo_mul(gy, n->in[1]), n->in[0]);
    if (blo__wants(n, 1))
        gx[1] = blo__sum_to_like(blo_mul(gy, n->in[0]), n->in[1]);
}

/* y = a / b: da = gy / b, db = -gy y / b. */
static void div_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    blo_tensor *gyb = blo_div(gy, n->in[1]);
    if (blo__wants(n, 0))
        gx[0] = blo__sum_to_like(gyb, n->in[0]);
    if (blo__wants(n, 1))
        gx[1] = blo__sum_to_like(blo_neg(blo_mul(gyb, n->out)), n->in[1]);
}

static blo_tensor *bin_op(const char *name, bin_kind k, blo_backward_fn bw, blo_tensor *a, blo_tensor *b)
{
    blo_tensor *y = bin_forward(name, k, a, b);
    blo__record(y, name, bw, 2, (blo_tensor *[]){a, b});
    return y;
}

blo_tensor *blo_add(blo_tensor *a, blo_tensor *b) { return bin_op("blo_add", BIN_ADD, add_backward, a, b); }
blo_tensor *blo_sub(blo_tensor *a, blo_tensor *b) { return bin_op("blo_sub", BIN_SUB, sub_backward, a, b); }
blo_tensor *blo_mul(blo_tensor *a, blo_tensor *b) { return bin_op("blo_mul", BIN_MUL, mul_backward, a, b); }
blo_tensor *blo_div(blo_tensor *a, blo_tensor *b) { return bin_op("blo_div", BIN_DIV, div_backward, a, b); }

/* ---- multiplication by a constant mask (not differentiated) ----------------- */

static void mul_const_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    gx[0] = blo__sum_to_like(blo__mul_const(gy, n->saved[0]), n->in[0]);
}

blo_tensor *blo__mul_const(blo_tensor *a, blo_tensor *mask)
{
    blo_tensor *y = bin_forward("mul_const", BIN_MUL, a, mask);
    blo_tensor_node *n = blo__record(y, "mul_const", mul_const_backward, 1, &a);
    if (n)
        n->saved[0] = mask;
    return y;
}

/* ---- where(mask, a, b): mask constant, all three broadcast ------------------- */

static void where_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    blo_tensor *mask = n->saved[0];
    blo_tensor *zero = blo_zeros(gy->graph, 0, NULL);
    if (blo__wants(n, 0))
        gx[0] = blo__sum_to_like(blo_where(mask, gy, zero), n->in[0]);
    if (blo__wants(n, 1))
        gx[1] = blo__sum_to_like(blo_where(mask, zero, gy), n->in[1]);
}

blo_tensor *blo_where(blo_tensor *mask, blo_tensor *a, blo_tensor *b)
{
    blo_graph *g = blo__graph_of(3, mask, a, b);
    if (!g)
        return NULL;
    int nd, nd2;
    int64_t s1[BLO_MAX_DIMS], s2[BLO_MAX_DIMS];
    if (!blo__broadcast_shape(g, "blo_where", a, b, &nd, s1))
        return NULL;
    blo_tensor *ab = blo__wrap(g, NULL, nd, s1); /* shape carrier only */
    if (!ab || !blo__broadcast_shape(g, "blo_where", mask, ab, &nd2, s2))
        return NULL;
    blo_tensor *y = blo__new(g, nd2, s2);
    if (!y)
        return NULL;
    int64_t o4[4], sm[4], sa[4], sb[4];
    blo__shape4(y, o4);
    blo__strides4(mask, o4, sm);
    blo__strides4(a, o4, sa);
    blo__strides4(b, o4, sb);
    for (int64_t i0 = 0; i0 < o4[0]; i0++)
        for (int64_t i1 = 0; i1 < o4[1]; i1++)
            for (int64_t i2 = 0; i2 < o4[2]; i2++) {
                const float *pm = mask->data + i0 * sm[0] + i1 * sm[1] + i2 * sm[2];
                const float *pa = a->data + i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
                const float *pb = b->data + i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
                float *py = y->data + ((i0 * o4[1] + i1) * o4[2] + i2) * o4[3];
                for (int64_t i3 = 0; i3 < o4[3]; i3++)
                    py[i3] = pm[i3 * sm[3]] != 0.0f ? pa[i3 * sa[3]] : pb[i3 * sb[3]];
            }
    blo_tensor_node *n = blo__record(y, "blo_where", where_backward, 2, (blo_tensor *[]){a, b});
    if (n)
        n->saved[0] = mask;
    return y;
}
