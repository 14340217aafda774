/* Engine behaviour: unreachable leaves, no-grad, detach, errors, views as
 * wrt, accumulation, blo_backward_into adding into its buffer. */
#include <criterion/criterion.h>
#include <math.h>
#include "gradcheck.h"

Test(autodiff, unreachable_leaf_gets_zeros)
{
    blo_graph *g = blo_graph_new();
    float a[2] = {1, 2}, b[3] = {1, 1, 1};
    blo_tensor *ta = blo_leaf(g, a, BLO_SHAPE(2), TRUE), *tb = blo_leaf(g, b, BLO_SHAPE(3), TRUE);
    blo_tensor *gr[2];
    cr_assert(blo_grad(blo_dot(ta, ta), (blo_tensor *[]){ta, tb}, 2, gr, FALSE, NULL));
    cr_expect(gr[0]->data[0] == 2 && gr[0]->data[1] == 4);
    cr_expect(gr[1]->numel == 3 && gr[1]->data[0] == 0 && gr[1]->data[2] == 0);
    blo_graph_free(g);
}

Test(autodiff, no_grad_and_detach_stop_gradients)
{
    blo_graph *g = blo_graph_new();
    float a[2] = {1, 2};
    blo_tensor *ta = blo_leaf(g, a, BLO_SHAPE(2), TRUE);
    blo_graph_push_no_grad(g);
    blo_tensor *c = blo_mul(ta, ta);
    blo_graph_pop_no_grad(g);
    cr_expect_null(c->node, "nothing recorded in no-grad mode");
    blo_tensor *y = blo_add(blo_sum_all(blo_mul(ta, blo_detach(ta))), blo_sum_all(c));
    blo_tensor *gr;
    cr_assert(blo_grad(y, &ta, 1, &gr, FALSE, NULL));
    cr_expect(gr->data[0] == 1 && gr->data[1] == 2, "only the non-detached factor is differentiated");
    blo_graph_free(g);
}

Test(autodiff, errors_are_reported_by_grad)
{
    blo_graph *g = blo_graph_new();
    float a[6] = {0};
    blo_tensor *ta = blo_leaf(g, a, BLO_SHAPE(2, 3), TRUE);
    blo_tensor *bad = blo_sum_all(blo_matmul(ta, ta));
    blo_tensor *gr = (blo_tensor *)1;
    GError *err = NULL;
    cr_expect_not(blo_grad(bad, &ta, 1, &gr, FALSE, &err));
    cr_assert_not_null(err);
    cr_expect_eq(err->code, BLO_ERROR_SHAPE);
    cr_expect(strstr(err->message, "blo_matmul") != NULL, "%s", err->message);
    cr_expect_null(gr);
    g_clear_error(&err);
    blo_graph_reset(g);
    ta = blo_leaf(g, a, BLO_SHAPE(2, 3), TRUE);
    cr_expect_not(blo_grad(blo_mul(ta, ta), &ta, 1, &gr, FALSE, &err), "non-scalar y");
    cr_expect_eq(err->code, BLO_ERROR_SHAPE);
    g_clear_error(&err);
    blo_graph_free(g);
}

Test(autodiff, views_as_wrt_and_backward_into_adds)
{
    blo_graph *g = blo_graph_new();
    float flat[5] = {1, 2, 3, 4, 5};
    blo_tensor *t = blo_leaf(g, flat, BLO_SHAPE(5), TRUE);
    blo_tensor *w = blo_view(t, 1, BLO_SHAPE(2, 2));
    /* y = sum(w^2) + 3 * flat[0] : uses the view twice via two expressions */
    blo_tensor *y = blo_add(blo_sum_all(blo_mul(w, w)), blo_mul_scalar(blo_view(t, 0, BLO_SHAPE(1)), 3));
    y = blo_sum_all(y);
    blo_tensor *gw;
    cr_assert(blo_grad(y, &w, 1, &gw, FALSE, NULL));
    cr_expect(gw->ndim == 2 && gw->data[0] == 4 && gw->data[3] == 10);
    float out[5] = {100, 100, 100, 100, 100};
    cr_assert(blo_backward_into(y, t, out, NULL));
    float want[5] = {103, 104, 106, 108, 110};
    for (int i = 0; i < 5; i++)
        cr_expect_float_eq(out[i], want[i], 1e-6f, "element %d", i);
    blo_graph_free(g);
}

Test(autodiff, shared_subexpressions_accumulate)
{
    blo_graph *g = blo_graph_new();
    float a[1] = {3};
    blo_tensor *x = blo_leaf(g, a, BLO_SHAPE(1), TRUE);
    blo_tensor *s = blo_mul(x, x);                     /* x^2 */
    blo_tensor *y = blo_sum_all(blo_add(blo_mul(s, s), blo_add(s, x))); /* x^4 + x^2 + x */
    blo_tensor *gr, *hr;
    cr_assert(blo_grad(y, &x, 1, &gr, TRUE, NULL));
    cr_expect_float_eq(gr->data[0], 4 * 27 + 6 + 1, 1e-4f);
    cr_assert(blo_grad(blo_sum_all(gr), &x, 1, &hr, FALSE, NULL));
    cr_expect_float_eq(hr->data[0], 12 * 9 + 2, 1e-4f);
    blo_graph_free(g);
}

Test(autodiff, where_with_infinite_branch)
{
    blo_graph *g = blo_graph_new();
    float a[3] = {1, 2, 3}, m[3] = {1, 0, 1};
    blo_tensor *x = blo_leaf(g, a, BLO_SHAPE(3), TRUE);
    blo_tensor *y = blo_where(blo_from_data(g, m, BLO_SHAPE(3)), x, blo_full(g, 0, NULL, -INFINITY));
    cr_expect(y->data[0] == 1 && isinf(y->data[1]) && y->data[2] == 3);
    blo_tensor *p = blo_softmax(y, 0), *gr;
    cr_expect_eq(p->data[1], 0.0f);
    cr_assert(blo_grad(blo_dot(p, blo_from_data(g, a, BLO_SHAPE(3))), &x, 1, &gr, FALSE, NULL));
    for (int i = 0; i < 3; i++)
        cr_expect(isfinite(gr->data[i]), "gradient %d finite", i);
    cr_expect_eq(gr->data[1], 0.0f);
    blo_graph_free(g);
}

/* The first-order sink path (linear writes dW/db straight into the flat
 * gradient) agrees with the recorded path, also when the views and the flat
 * vector get gradient from other uses as well, and when out is non-zero. */
Test(autodiff, linear_gradient_sinks_match_recorded_path)
{
    enum { N = 5, I = 4, O = 3, P = O * I + O + 2 };
    blo_rng r;
    blo_rng_seed(&r, 44);
    float theta[P], x[N * I], out[P], acc0[P];
    for (int i = 0; i < P; i++)
        theta[i] = blo_rng_normal(&r);
    for (int i = 0; i < N * I; i++)
        x[i] = blo_rng_normal(&r);
    int32_t labels[N] = {0, 1, 2, 1, 0};
    blo_tensor *ref = NULL;
    for (int pass = 0; pass < 3; pass++) {
        blo_graph *g = blo_graph_new();
        blo_tensor *t = blo_leaf(g, theta, BLO_SHAPE(P), TRUE);
        blo_tensor *w = blo_view(t, 2, BLO_SHAPE(O, I)), *b = blo_view(t, 2 + O * I, BLO_SHAPE(O));
        blo_tensor *o = blo_linear(blo_from_data(g, x, BLO_SHAPE(N, I)), w, b);
        blo_tensor *loss = blo_add(blo_cross_entropy(o, labels, -1), blo_add(blo_dot(w, w), blo_dot(t, t)));
        if (pass == 0) {
            cr_assert(blo_grad(loss, &t, 1, &ref, TRUE, NULL));
            memcpy(acc0, ref->data, sizeof acc0);
        } else if (pass == 1) {
            blo_tensor *gr;
            cr_assert(blo_grad(loss, &t, 1, &gr, FALSE, NULL));
            for (int i = 0; i < P; i++)
                cr_expect_float_eq(gr->data[i], acc0[i], 1e-5f, "blo_grad element %d", i);
        } else {
            for (int i = 0; i < P; i++)
                out[i] = 1.0f;
            cr_assert(blo_backward_into(loss, t, out, NULL));
            for (int i = 0; i < P; i++)
                cr_expect_float_eq(out[i], acc0[i] + 1.0f, 1e-5f, "backward_into element %d", i);
        }
        blo_graph_free(g);
    }
}
