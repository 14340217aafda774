/* Unary elementwise ops: gradchecks on random shapes, away from kinks. */
#include <criterion/criterion.h>
#include <math.h>
#include "gradcheck.h"

typedef struct {
    blo_tensor *(*f0)(blo_tensor *);
    blo_tensor *(*f1)(blo_tensor *, float);
    float p;
} unary_case;

static blo_tensor *apply_unary(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    const unary_case *c = ctx;
    /* square the result so second derivatives of the op itself matter */
    blo_tensor *y = c->f0 ? c->f0(x[0]) : c->f1(x[0], c->p);
    return blo_mul(y, y);
}

static void check_unary(unary_case c, float lo, float hi, const float *kinks, int nk)
{
    blo_rng r;
    blo_rng_seed(&r, 11);
    for (int nd = 0; nd <= 4; nd++) {
        int64_t shape[4];
        gc_random_shape(&r, nd, 4, shape);
        gc_input in;
        gc_alloc_uniform(&in, &r, lo, hi, nd, shape);
        gc_fill_away_from(&in, &r, lo, hi, kinks, nk, 0.05f);
        cr_expect(gradcheck(apply_unary, &c, 1, &in, NULL), "ndim %d", nd);
        gc_free(&in, 1);
    }
}

static const float zero[] = {0};

Test(unary, neg) { check_unary((unary_case){.f0 = blo_neg}, -2, 2, NULL, 0); }
Test(unary, exp) { check_unary((unary_case){.f0 = blo_exp}, -2, 1, NULL, 0); }
Test(unary, log) { check_unary((unary_case){.f0 = blo_log}, 0.5f, 3, NULL, 0); }
Test(unary, sqrt) { check_unary((unary_case){.f0 = blo_sqrt}, 0.5f, 3, NULL, 0); }
Test(unary, abs) { check_unary((unary_case){.f0 = blo_abs}, -2, 2, zero, 1); }
Test(unary, relu) { check_unary((unary_case){.f0 = blo_relu}, -2, 2, zero, 1); }
Test(unary, sigmoid) { check_unary((unary_case){.f0 = blo_sigmoid}, -3, 3, NULL, 0); }
Test(unary, tanh) { check_unary((unary_case){.f0 = blo_tanh}, -2, 2, NULL, 0); }
Test(unary, silu) { check_unary((unary_case){.f0 = blo_silu}, -3, 3, NULL, 0); }
Test(unary, softplus) { check_unary((unary_case){.f0 = blo_softplus}, -3, 3, NULL, 0); }
Test(unary, sin) { check_unary((unary_case){.f0 = blo_sin}, -3, 3, NULL, 0); }
Test(unary, cos) { check_unary((unary_case){.f0 = blo_cos}, -3, 3, NULL, 0); }
Test(unary, add_scalar) { check_unary((unary_case){.f1 = blo_add_scalar, .p = 0.7f}, -2, 2, NULL, 0); }
Test(unary, mul_scalar) { check_unary((unary_case){.f1 = blo_mul_scalar, .p = -1.5f}, -2, 2, NULL, 0); }
Test(unary, pow_scalar) { check_unary((unary_case){.f1 = blo_pow_scalar, .p = 2.5f}, 0.3f, 2, NULL, 0); }
Test(unary, leaky_relu) { check_unary((unary_case){.f1 = blo_leaky_relu, .p = 0.1f}, -2, 2, zero, 1); }

static blo_tensor *clamp_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    blo_tensor *y = blo_clamp(x[0], -0.5f, 0.8f);
    return blo_mul(y, x[0]);
}

Test(unary, clamp)
{
    blo_rng r;
    blo_rng_seed(&r, 5);
    gc_input in;
    gc_alloc_uniform(&in, &r, -2, 2, BLO_SHAPE(5, 3));
    const float kinks[] = {-0.5f, 0.8f};
    gc_fill_away_from(&in, &r, -2, 2, kinks, 2, 0.05f);
    cr_expect(gradcheck(clamp_fn, NULL, 1, &in, NULL));
    gc_free(&in, 1);
}

static blo_tensor *prelu_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    return blo_prelu(x[0], x[1]);
}

Test(unary, prelu)
{
    blo_rng r;
    blo_rng_seed(&r, 6);
    gc_input in[2];
    gc_alloc_uniform(&in[0], &r, -2, 2, BLO_SHAPE(2, 3, 4));
    gc_fill_away_from(&in[0], &r, -2, 2, zero, 1, 0.05f);
    gc_alloc_uniform(&in[1], &r, 0, 0.5f, BLO_SHAPE(3));
    cr_expect(gradcheck(prelu_fn, NULL, 2, in, NULL), "per-channel slope");
    g_free(in[1].data);
    gc_alloc_uniform(&in[1], &r, 0, 0.5f, BLO_SHAPE(1));
    cr_expect(gradcheck(prelu_fn, NULL, 2, in, NULL), "shared slope");
    gc_free(in, 2);
}

Test(unary, values)
{
    blo_graph *g = blo_graph_new();
    float a[4] = {-1, 0, 0.5f, 2};
    blo_tensor *x = blo_leaf(g, a, BLO_SHAPE(4), FALSE);
    blo_tensor *s = blo_sigmoid(x), *sp = blo_softplus(x), *c = blo_clamp(x, -0.5f, 1);
    for (int i = 0; i < 4; i++) {
        cr_expect_float_eq(s->data[i], 1 / (1 + expf(-a[i])), 1e-6f);
        cr_expect_float_eq(sp->data[i], logf(1 + expf(a[i])), 1e-6f);
    }
    cr_expect_float_eq(c->data[0], -0.5f, 0);
    cr_expect_float_eq(c->data[3], 1.0f, 0);
    blo_graph_free(g);
}
