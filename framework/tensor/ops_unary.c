/* Unary elementwise ops.  Backward: a fused kernel gx = gy * f'(x) on the
 * first-order path; composite differentiable ops when recording (so smooth
 * ops have exact second derivatives).  Piecewise-linear ops multiply by a
 * constant derivative mask either way. */
#include "internal.h"
#include <math.h>

typedef enum {
    U_NEG, U_ADDS, U_MULS, U_EXP, U_LOG, U_POW, U_SQRT, U_ABS, U_CLAMP, U_RELU, U_LEAKY,
    U_SIGMOID, U_TANH, U_SILU, U_SOFTPLUS, U_SIN, U_COS,
} ukind;

static const char *const unames[] = {
    "blo_neg", "blo_add_scalar", "blo_mul_scalar", "blo_exp", "blo_log", "blo_pow_scalar",
    "blo_sqrt", "blo_abs", "blo_clamp", "blo_relu", "blo_leaky_relu", "blo_sigmoid", "blo_tanh",
    "blo_silu", "blo_softplus", "blo_sin", "blo_cos",
};

static inline float sigm(float x)
{
    return 1.0f / (1.0f + expf(-x));
}

/* softplus(x) = log(1 + e^x), computed without overflow. */
static inline float softplus(float x)
{
    return x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x));
}

#define U_LOOP(EXPR)                                            \
    do {                                                        \
        BLO__PAR_FOR(n)                                         \
        for (int64_t i = 0; i < n; i++) { float x = px[i]; py[i] = (EXPR); } \
    } while (0)

static void u_forward(ukind k, float *restrict py, const float *restrict px, int64_t n, float p, float q)
{
    switch (k) {
    case U_NEG: U_LOOP(-x); break;
    case U_ADDS: U_LOOP(x + p); break;
    case U_MULS: U_LOOP(x * p); break;
    case U_EXP: U_LOOP(expf(x)); break;
    case U_LOG: U_LOOP(logf(x)); break;
    case U_POW: U_LOOP(powf(x, p)); break;
    case U_SQRT: U_LOOP(sqrtf(x)); break;
    case U_ABS: U_LOOP(fabsf(x)); break;
    case U_CLAMP: U_LOOP(x < p ? p : x > q ? q : x); break;
    case U_RELU: U_LOOP(x > 0 ? x : 0.0f); break;
    case U_LEAKY: U_LOOP(x > 0 ? x : p * x); break;
    case U_SIGMOID: U_LOOP(sigm(x)); break;
    case U_TANH: U_LOOP(tanhf(x)); break;
    case U_SILU: U_LOOP(x * sigm(x)); break;
    case U_SOFTPLUS: U_LOOP(softplus(x)); break;
    case U_SIN: U_LOOP(sinf(x)); break;
    case U_COS: U_LOOP(cosf(x)); break;
    }
}

/* gx = gy * f'(x) with y = f(x). */
#define G_LOOP(EXPR)                                                            \
    do {                                                                        \
        BLO__PAR_FOR(n)                                                         \
        for (int64_t i = 0; i < n; i++) { float x = px[i], y = py[i]; (void)x; (void)y; \
            float d = (EXPR); pg[i] = pgy[i] * d; }                             \
    } while (0)

static void u_grad(ukind k, float *restrict pg, const float *restrict pgy, const float *restrict px,
                   const float *restrict py,
                   int64_t n, float p, float q)
{
    switch (k) {
    case U_NEG: G_LOOP(-1.0f); break;
    case U_ADDS: G_LOOP(1.0f); break;
    case U_MULS: G_LOOP(p); break;
    case U_EXP: G_LOOP(y); break;
    case U_LOG: G_LOOP(1.0f / x); break;
    case U_POW: G_LOOP(p * powf(x, p - 1.0f)); break;
    case U_SQRT: G_LOOP(0.5f / y); break;
    /* restrict + the derivative in its own variable let these vectorise */
    case U_ABS: G_LOOP(x > 0 ? 1.0f : x < 0 ? -1.0f : 0.0f); break;
    case U_CLAMP: G_LOOP(x >= p && x <= q ? 1.0f : 0.0f); break;
    case U_RELU: G_LOOP(x > 0 ? 1.0f : 0.0f); break;
    case U_LEAKY: G_LOOP(x > 0 ? 1.0f : p); break;
    case U_SIGMOID: G_LOOP(y * (1.0f - y)); break;
    case U_TANH: G_LOOP(1.0f - y * y); break;
    case U_SILU: G_LOOP(sigm(x) * (1.0f + x * (1.0f - sigm(x)))); break;
    case U_SOFTPLUS: G_LOOP(sigm(x)); break;
    case U_SIN: G_LOOP(cosf(x)); break;
    case U_COS: G_LOOP(-sinf(x)); break;
    }
}

/* TRUE for ops whose derivative is piecewise constant (no second derivative). */
static gboolean u_linear_pieces(ukind k)
{
    return k == U_NEG || k == U_ADDS || k == U_MULS || k == U_ABS || k == U_CLAMP ||
           k == U_RELU || k == U_LEAKY;
}

static void unary_backward(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx)
{
    ukind k = (ukind)n->i[0];
    float p = n->f[0], q = n->f[1];
    blo_tensor *x = n->in[0], *y = n->out;
    blo_graph *g = x->graph;
    if (!blo__recording(g) || u_linear_pieces(k)) {
        blo_tensor *d = blo__new_like(x);
        if (!d)
            return;
        if (!blo__recording(g)) {
            u_grad(k, d->data, gy->data, x->data, y->data, x->numel, p, q);
            gx[0] = d;
            return;
        }
        /* derivative mask as a constant, then gy * mask (recorded) */
        blo_tensor *ones = blo_full(g, x->ndim, x->shape, 1.0f);
        if (!ones)
            return;
        u_grad(k, d->data, ones->data, x->data, y->data, x->numel, p, q);
        gx[0] = blo__mul_const(gy, d);
        return;
    }
    switch (k) {
    case U_EXP: gx[0] = blo_mul(gy, y); break;
    case U_LOG: gx[0] = blo_div(gy, x); break;
    case U_POW: gx[0] = blo_mul(gy, blo_mul_scalar(blo_pow_scalar(x, p - 1.0f), p)); break;
    case U_SQRT: gx[0] = blo_div(blo_mul_scalar(gy, 0.5f), y); break;
    case U_SIGMOID: gx[0] = blo_mul(gy, blo_mul(y, blo_add_scalar(blo_neg(y), 1.0f))); break;
    case U_TANH: gx[0] = blo_mul(gy, blo_add_scalar(blo_neg(blo_mul(y, y)), 1.0f)); break;
    case U_SILU: {
        blo_tensor *s = blo_sigmoid(x);
        blo_tensor *ds = blo_mul(s, blo_add_scalar(blo_neg(s), 1.0f));
        gx[0] = blo_mul(gy, blo_add(s, blo_mul(x, ds)));
        break;
    }
    case U_SOFTPLUS: gx[0] = blo_mul(gy, blo_sigmoid(x)); break;
    case U_SIN: gx[0] = blo_mul(gy, blo_cos(x)); break;
    case U_COS: gx[0] = blo_neg(blo_mul(gy, blo_sin(x))); break;
    default: break;
    }
}

static blo_tensor *unary(ukind k, blo_tensor *a, float p, float q)
{
    blo_graph *g = blo__graph_of(1, a);
    if (!g)
        return NULL;
    blo_tensor *y = blo__new_like(a);
    if (!y)
        return NULL;
    u_forward(k, y->data, a->data, a->numel, p, q);
    blo_tensor_node *n = blo__record(y, unames[k], unary_backward, 1, &a);
    if (n) {
        n->i[0] = k;
        n->f[0] = p;
        n->f[1] = q;
    }
    return y;
}

blo_tensor *blo_neg(blo_tensor *a) { return unary(U_NEG, a, 0, 0); }
blo_tensor *blo_add_scalar(blo_tensor *a, float s) { return unary(U_ADDS, a, s, 0); }
blo_tensor *blo_mul_scalar(blo_tensor *a, float s) { return unary(U_MULS, a, s, 0); }
blo_tensor *blo_exp(blo_tensor *a) { return unary(U_EXP, a, 0, 0); }
blo_tensor *blo_log(blo_tensor *a) { return unary(U_LOG, a, 0, 0); }
blo_tensor *blo_pow_scalar(blo_tensor *a, float p) { return unary(U_POW, a, p, 0); }
blo_tensor *blo_sqrt(blo_tensor *a) { return unary(U_SQRT, a, 0, 0); }
blo_tensor *blo_abs(blo_tensor *a) { return unary(U_ABS, a, 0, 0); }
blo_tensor *blo_relu(blo_tensor *a) { return unary(U_RELU, a, 0, 0); }
blo_tensor *blo_leaky_relu(blo_tensor *a, float slope) { return unary(U_LEAKY, a, slope, 0); }
blo_tensor *blo_sigmoid(blo_tensor *a) { return unary(U_SIGMOID, a, 0, 0); }
blo_tensor *blo_tanh(blo_tensor *a) { return unary(U_TANH, a, 0, 0); }
blo_tensor *blo_silu(blo_tensor *a) { return unary(U_SILU, a, 0, 0); }
blo_tensor *blo_softplus(blo_tensor *a) { return unary(U_SOFTPLUS, a, 0, 0); }
blo_tensor *blo_sin(blo_tensor *a) { return unary(U_SIN, a, 0, 0); }
blo_tensor *blo_cos(blo_tensor *a) { return unary(U_COS, a, 0, 0); }

blo_tensor *blo_clamp(blo_tensor *a, float lo, float hi)
{
    if (a && lo > hi)
        return blo__fail(a->graph, BLO_ERROR_RANGE, "blo_clamp: lo %g > hi %g", lo, hi);
    return unary(U_CLAMP, a, lo, hi);
}

/* prelu(x, slope) = max(x, 0) + slope * min(x, 0), slope [C] over axis 1 or [1]. */
blo_tensor *blo_prelu(blo_tensor *a, blo_tensor *slope)
{
    blo_graph *g = blo__graph_of(2, a, slope);
    if (!g)
        return NULL;
    if (slope->numel != 1 && (a->ndim < 2 || slope->numel != a->shape[1]))
        return blo__fail(g, BLO_ERROR_SHAPE, "blo_prelu: slope %s, expected [1] or [C] for input %s",
                         blo__shape_str(slope), blo__shape_str(a));
    blo_tensor *s = slope;
    if (slope->numel != 1) {
        int64_t shp[BLO_MAX_DIMS] = {1, slope->numel, 1, 1};
        s = blo_reshape(slope, a->ndim, shp);
    }
    blo_tensor *pos = blo_relu(a);
    blo_tensor *neg = blo_sub(a, pos); /* min(x, 0) */
    return blo_add(pos, blo_mul(neg, s));
}
