/* Normalisations and dropout: statistics, running averages, gradients and
 * Hessian-vector products against finite differences. */
#include "hvp_check.h"

#include <criterion/criterion.h>
#include <math.h>

enum { LAYER, RMS, INSTANCE, BATCH_TRAIN, BATCH_EVAL };

typedef struct norm_case {
    int kind;
    gboolean affine;
    float running_mean[8], running_var[8];
} norm_case;

static blo_tensor *norm_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    norm_case *c = ctx;
    blo_tensor *gamma = c->affine ? x[1] : NULL, *beta = c->affine ? x[2] : NULL;
    float rm[8], rv[8];  /* copies: the finite differences must not see updates */
    memcpy(rm, c->running_mean, sizeof rm);
    memcpy(rv, c->running_var, sizeof rv);
    (void)g;
    switch (c->kind) {
    case LAYER: return blo_layer_norm(x[0], gamma, beta, 1e-5f);
    case RMS: return blo_rms_norm(x[0], gamma, 1e-5f);
    case INSTANCE: return blo_instance_norm(x[0], gamma, beta, 1e-5f);
    case BATCH_TRAIN: return blo_batch_norm(x[0], gamma, beta, rm, rv, TRUE, 0.1f, 1e-5f);
    default: return blo_batch_norm(x[0], gamma, beta, rm, rv, FALSE, 0.1f, 1e-5f);
    }
}

static void check_kind(int kind, uint64_t seed)
{
    blo_rng r;
    blo_rng_seed(&r, seed);
    for (int trial = 0; trial < 6; trial++) {
        norm_case c = {.kind = kind, .affine = trial % 2 == 0};
        const int ndim = kind == LAYER || kind == RMS ? 2 + trial % 3 : trial % 2 ? 4 : 2;
        int64_t shape[4] = {2 + (int64_t)blo_rng_below(&r, 2), 2 + (int64_t)blo_rng_below(&r, 3),
                            1 + (int64_t)blo_rng_below(&r, 3), 2 + (int64_t)blo_rng_below(&r, 3)};
        if (kind == INSTANCE && ndim == 2)  /* instance norm needs a spatial extent > 1 */
            shape[2] = 3;
        const int nd = kind == INSTANCE ? 3 + trial % 2 : ndim;
        const int64_t len = kind == LAYER || kind == RMS ? shape[nd - 1] : shape[1];
        for (int k = 0; k < 8; k++) {
            c.running_mean[k] = (float)(blo_rng_uniform(&r) - 0.5);
            c.running_var[k] = (float)(0.5 + blo_rng_uniform(&r));
        }
        gc_input in[3];
        gc_alloc_uniform(&in[0], &r, -2, 2, nd, shape);
        gc_alloc_uniform(&in[1], &r, 0.5f, 1.5f, 1, &len);
        gc_alloc_uniform(&in[2], &r, -1, 1, 1, &len);
        const int n = c.affine ? 3 : 1;
        cr_expect(gradcheck(norm_fn, &c, n, in, NULL), "kind %d trial %d", kind, trial);
        if (trial < 3)
            cr_expect(hvp_check(norm_fn, &c, n, in), "second order: kind %d trial %d", kind, trial);
        gc_free(in, 3);
    }
}

Test(norm, layer_norm_gradients) { check_kind(LAYER, 1); }
Test(norm, rms_norm_gradients) { check_kind(RMS, 2); }
Test(norm, instance_norm_gradients) { check_kind(INSTANCE, 3); }
Test(norm, batch_norm_train_gradients) { check_kind(BATCH_TRAIN, 4); }
Test(norm, batch_norm_eval_gradients) { check_kind(BATCH_EVAL, 5); }

Test(norm, batch_norm_statistics_and_running_averages)
{
    blo_rng r;
    blo_rng_seed(&r, 6);
    gc_input x;
    gc_alloc_uniform(&x, &r, 1, 3, 4, (int64_t[]){4, 3, 2, 5});
    float rm[3] = {0, 0, 0}, rv[3] = {1, 1, 1};
    blo_graph *g = blo_graph_new();
    blo_tensor *t = blo_leaf(g, x.data, 4, x.shape, FALSE);
    blo_tensor *y = blo_batch_norm(t, NULL, NULL, rm, rv, TRUE, 0.1f, 0.0f);
    cr_assert_not_null(y);
    for (int64_t c = 0; c < 3; c++) {
        double s = 0, s2 = 0, xs = 0, xs2 = 0;
        for (int64_t n = 0; n < 4; n++)
            for (int64_t i = 0; i < 10; i++) {
                const int64_t at = (n * 3 + c) * 10 + i;
                s += y->data[at], s2 += (double)y->data[at] * y->data[at];
                xs += x.data[at], xs2 += (double)x.data[at] * x.data[at];
            }
        cr_expect(fabs(s / 40) < 1e-5 && fabs(s2 / 40 - 1) < 1e-4, "channel %ld: mean %g var %g", (long)c, s / 40,
                  s2 / 40);
        const double mean = xs / 40, var_unbiased = (xs2 - 40 * mean * mean) / 39;
        cr_expect(fabs(rm[c] - 0.1 * mean) < 1e-5, "running mean %g vs %g", rm[c], 0.1 * mean);
        cr_expect(fabs(rv[c] - (0.9 + 0.1 * var_unbiased)) < 1e-4, "running var %g", rv[c]);
    }
    /* evaluation uses the running statistics */
    blo_tensor *e = blo_batch_norm(t, NULL, NULL, rm, rv, FALSE, 0.1f, 0.0f);
    cr_expect_float_eq(e->data[0], (x.data[0] - rm[0]) / sqrtf(rv[0]), 1e-5f);
    cr_expect_null(blo_batch_norm(t, NULL, NULL, NULL, NULL, FALSE, 0.1f, 0.0f));
    blo_graph_free(g);
    gc_free(&x, 1);
}

Test(norm, layer_and_rms_norm_values)
{
    float x[4] = {1, 2, 3, 6};
    blo_graph *g = blo_graph_new();
    blo_tensor *t = blo_leaf(g, x, BLO_SHAPE(1, 4), FALSE);
    blo_tensor *ln = blo_layer_norm(t, NULL, NULL, 0.0f), *rn = blo_rms_norm(t, NULL, 0.0f);
    /* mean 3, var 3.5; rms sqrt(12.5) */
    cr_expect_float_eq(ln->data[0], -2.0f / sqrtf(3.5f), 1e-5f);
    cr_expect_float_eq(rn->data[3], 6.0f / sqrtf(12.5f), 1e-5f);
    blo_graph_free(g);
}

/* ---- dropout ---- */

static blo_tensor *dropout_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    blo_rng r;  /* the same mask at every evaluation */
    blo_rng_seed(&r, 42);
    (void)g, (void)ctx;
    return blo_dropout(x[0], 0.3f, TRUE, &r);
}

Test(dropout, mask_scaling_determinism_and_gradient)
{
    enum { N = 20000 };
    float *x = g_new(float, N);
    for (int i = 0; i < N; i++)
        x[i] = 1.0f;
    blo_graph *g = blo_graph_new();
    blo_tensor *t = blo_leaf(g, x, BLO_SHAPE(N), FALSE);
    blo_rng r1, r2;
    blo_rng_seed(&r1, 9);
    blo_rng_seed(&r2, 9);
    blo_tensor *a = blo_dropout(t, 0.25f, TRUE, &r1), *b = blo_dropout(t, 0.25f, TRUE, &r2);
    cr_assert(a && b);
    int kept = 0;
    for (int i = 0; i < N; i++) {
        cr_assert(a->data[i] == 0.0f || fabsf(a->data[i] - 1.0f / 0.75f) < 1e-6f);
        cr_assert_eq(a->data[i], b->data[i], "same seed, same mask");
        kept += a->data[i] != 0.0f;
    }
    cr_expect(fabs(kept / (double)N - 0.75) < 0.02, "kept fraction %g", kept / (double)N);
    cr_expect_eq(blo_dropout(t, 0.5f, FALSE, NULL), t, "identity in evaluation mode");
    cr_expect_null(blo_dropout(t, 1.5f, TRUE, &r1));
    blo_graph_free(g);
    g_free(x);

    blo_rng r;
    blo_rng_seed(&r, 3);
    gc_input in;
    gc_alloc_uniform(&in, &r, -1, 1, 2, (int64_t[]){5, 7});
    cr_expect(gradcheck(dropout_fn, NULL, 1, &in, NULL));
    cr_expect(hvp_check(dropout_fn, NULL, 1, &in));
    gc_free(&in, 1);
}
