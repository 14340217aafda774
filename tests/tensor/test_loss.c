/* Softmax family and losses: values and gradchecks. */
#include <criterion/criterion.h>
#include <math.h>
#include "gradcheck.h"

static const int32_t labels[5] = {2, 0, -1, 3, 1}; /* -1 is ignored */

static blo_tensor *loss_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    switch (*(int *)ctx) {
    case 0: return blo_mul(blo_softmax(x[0], 1), x[1]);
    case 1: return blo_mul(blo_log_softmax(x[0], 0), x[1]);
    case 2: return blo_cross_entropy(x[0], labels, -1);
    case 3: return blo_mul(blo_cross_entropy_each(x[0], labels, -1), blo_sum(x[1], 1, FALSE));
    case 4: return blo_mse(x[0], x[1]);
    case 5: return blo_l1(x[0], x[1]);
    case 6: return blo_bce_with_logits(x[0], blo_sigmoid(x[1]));
    default: return blo_kl_div_log(blo_log_softmax(x[0], 1), blo_log_softmax(x[1], 1), 1);
    }
}

Test(loss, grads)
{
    blo_rng r;
    blo_rng_seed(&r, 31);
    gc_input in[2];
    gc_alloc_uniform(&in[0], &r, -2, 2, BLO_SHAPE(5, 4));
    gc_alloc_uniform(&in[1], &r, -2, 2, BLO_SHAPE(5, 4));
    for (int k = 0; k < 8; k++) {
        if (k == 5) { /* l1: keep a - b away from 0 */
            for (int i = 0; i < 20; i++)
                in[1].data[i] = in[0].data[i] + (i % 2 ? 0.5f : -0.5f);
        }
        cr_expect(gradcheck(loss_fn, &k, 2, in, NULL), "loss %d", k);
    }
    gc_free(in, 2);
}

Test(loss, values)
{
    blo_graph *g = blo_graph_new();
    float z[6] = {1, 2, 3, 0, 0, 0};
    int32_t lab[2] = {2, 1};
    blo_tensor *x = blo_leaf(g, z, BLO_SHAPE(2, 3), FALSE);
    blo_tensor *p = blo_softmax(x, -1);
    double s = exp(1) + exp(2) + exp(3);
    cr_expect_float_eq(p->data[2], (float)(exp(3) / s), 1e-6f);
    blo_tensor *ce = blo_cross_entropy(x, lab, -1);
    double want = (-(3 - log(s)) + log(3.0)) / 2;
    cr_expect_float_eq(ce->data[0], (float)want, 1e-5f);
    int32_t lab_ign[2] = {2, 7};
    blo_tensor *ci = blo_cross_entropy(x, lab_ign, 7);
    cr_expect_float_eq(ci->data[0], (float)(-(3 - log(s))), 1e-5f, "ignored sample does not count");
    int32_t bad[2] = {2, 3};
    cr_expect_null(blo_cross_entropy(x, bad, -1));
    cr_expect_eq(blo_graph_error(g)->code, BLO_ERROR_RANGE);
    blo_graph_free(g);
}
