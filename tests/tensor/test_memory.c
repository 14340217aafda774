/* Memory: 1000 training steps of a small MLP keep the arena constant after
 * the first step (run under ASan/valgrind for leaks), including a
 * Hessian-vector product per step. */
#include <criterion/criterion.h>
#include <blo/optim.h>
#include "gradcheck.h"

enum { B = 16, I = 20, H = 32, C = 4 };
enum { W1 = 0, B1 = H * I, W2 = B1 + H, B2 = W2 + C * H, NP = B2 + C };

static blo_tensor *mlp(blo_graph *g, blo_tensor *theta, float *X, const int32_t *y)
{
    blo_tensor *x = blo_leaf(g, X, BLO_SHAPE(B, I), FALSE);
    blo_tensor *h = blo_relu(blo_linear(x, blo_view(theta, W1, BLO_SHAPE(H, I)), blo_view(theta, B1, BLO_SHAPE(H))));
    blo_tensor *o = blo_linear(h, blo_view(theta, W2, BLO_SHAPE(C, H)), blo_view(theta, B2, BLO_SHAPE(C)));
    return blo_cross_entropy(o, y, -1);
}

Test(memory, arena_flat_over_1000_steps)
{
    blo_rng r;
    blo_rng_seed(&r, 5);
    float *theta = g_new(float, NP), *grad = g_new(float, NP), *v = g_new(float, NP);
    float X[B * I];
    int32_t y[B];
    blo_init_kaiming_uniform(theta, NP, I, &r);
    blo_init_normal(v, NP, 0, 1, &r);
    blo_optimizer *opt = blo_optimizer_new(NP, &(blo_opt_config){.kind = BLO_OPT_SGD, .lr = 0.05, .momentum = 0.9});
    blo_graph *g = blo_graph_new();
    size_t after_first = 0;
    float first_loss = 0, last_loss = 0;
    for (int step = 0; step < 1000; step++) {
        blo_init_normal(X, B * I, 0, 1, &r);
        for (int i = 0; i < B; i++)
            y[i] = X[i * I] > 0 ? (X[i * I + 1] > 0 ? 0 : 1) : (X[i * I + 2] > 0 ? 2 : 3);
        blo_graph_reset(g);
        blo_tensor *t = blo_leaf(g, theta, BLO_SHAPE(NP), TRUE);
        blo_tensor *loss = mlp(g, t, X, y);
        if (step % 2) {
            blo_vec_zero(NP, grad);
            cr_assert(blo_backward_into(loss, t, grad, NULL));
        } else { /* alternate with the recorded path and an HVP */
            blo_tensor *gt, *hv;
            cr_assert(blo_grad(loss, &t, 1, &gt, TRUE, NULL));
            cr_assert(blo_grad(blo_dot(gt, blo_leaf(g, v, BLO_SHAPE(NP), FALSE)), &t, 1, &hv, FALSE, NULL));
            blo_vec_copy(NP, gt->data, grad);
        }
        blo_optimizer_step(opt, theta, grad);
        if (step == 0) {
            first_loss = loss->data[0];
        } else if (step == 1) {
            after_first = blo_graph_arena_bytes(g);
        } else {
            cr_assert_eq(blo_graph_arena_bytes(g), after_first, "arena grew at step %d", step);
        }
        last_loss = loss->data[0];
    }
    cr_expect_gt(after_first, 0);
    cr_expect_lt(last_loss, first_loss, "training makes progress: %g -> %g", first_loss, last_loss);
    blo_graph_free(g);
    blo_optimizer_free(opt);
    g_free(theta);
    g_free(grad);
    g_free(v);
}
