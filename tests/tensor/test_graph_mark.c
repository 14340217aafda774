/* Graph marks: a recorded prefix (an MLP's per-sample losses) shared by
 * several backward passes gives exactly the gradients of fresh graphs;
 * rewinds reuse their memory, clear errors, and a mark dies with a reset. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <blo/blo.h>
#include "tensor/internal.h"   /* BLO__ASAN */

enum { N = 48, I = 12, H = 20, C = 5 };
enum { W1 = 0, B1 = H * I, W2 = B1 + H, B2 = W2 + C * H, NP = B2 + C };

static float X[N * I], theta[NP], weights[3][N];
static int32_t labels[N];

static void data_init(void)
{
    blo_rng r;
    blo_rng_seed(&r, 11);
    blo_init_normal(X, N * I, 0, 1, &r);
    blo_init_kaiming_uniform(theta, NP, I, &r);
    for (int k = 0; k < 3; k++)
        blo_init_normal(weights[k], N, 0, 2, &r);
    for (int i = 0; i < N; i++)
        labels[i] = (int32_t)blo_rng_below(&r, C);
}

/* Per-sample cross-entropy of the MLP theta: the prefix. */
static blo_tensor *per_sample_losses(blo_graph *g, blo_tensor *t)
{
    blo_tensor *x = blo_leaf(g, X, BLO_SHAPE(N, I), FALSE);
    blo_tensor *h = blo_relu(blo_linear(x, blo_view(t, W1, BLO_SHAPE(H, I)), blo_view(t, B1, BLO_SHAPE(H))));
    blo_tensor *o = blo_linear(h, blo_view(t, W2, BLO_SHAPE(C, H)), blo_view(t, B2, BLO_SHAPE(C)));
    return blo_cross_entropy_each(o, labels, -1);
}

/* mean sigmoid(w) * losses, and its gradients in theta and w (the suffix). */
static void suffix_grads(blo_graph *g, blo_tensor *t, blo_tensor *losses, float *w, float *g_theta, float *g_w)
{
    blo_tensor *tw = blo_leaf(g, w, BLO_SHAPE(N), TRUE);
    blo_tensor *f = blo_mean_all(blo_mul(blo_sigmoid(tw), losses));
    blo_tensor *wrt[2] = { t, tw }, *out[2];
    cr_assert(blo_grad(f, wrt, 2, out, FALSE, NULL));
    memcpy(g_theta, out[0]->data, sizeof(float) * NP);
    memcpy(g_w, out[1]->data, sizeof(float) * N);
}

/* A fresh graph holding the prefix, *m marking its end. */
static blo_graph *recorded_prefix(blo_tensor **t, blo_tensor **losses, blo_graph_mark *m)
{
    data_init();
    blo_graph *g = blo_graph_new();
    *t = blo_leaf(g, theta, BLO_SHAPE(NP), TRUE);
    *losses = per_sample_losses(g, *t);
    cr_assert_not_null(*losses);
    *m = blo_graph_get_mark(g);
    return g;
}

Test(graph_mark, shared_prefix_gives_the_gradients_of_fresh_graphs)
{
    blo_tensor *t, *losses;
    blo_graph_mark m;
    blo_graph *g = recorded_prefix(&t, &losses, &m);
    static float want_t[3][NP], want_w[3][N], got_t[NP], got_w[N];
    blo_graph *fresh = blo_graph_new();
    for (int k = 0; k < 3; k++) {
        blo_graph_reset(fresh);
        blo_tensor *tf = blo_leaf(fresh, theta, BLO_SHAPE(NP), TRUE);
        suffix_grads(fresh, tf, per_sample_losses(fresh, tf), weights[k], want_t[k], want_w[k]);
    }
    /* in an order that differs from the fresh one, and twice over */
    const int order[6] = { 2, 0, 1, 1, 2, 0 };
    for (int r = 0; r < 6; r++) {
        int k = order[r];
        blo_graph_rewind(g, m);
        suffix_grads(g, t, losses, weights[k], got_t, got_w);
        cr_assert(memcmp(got_t, want_t[k], sizeof got_t) == 0, "theta gradient differs (weights %d, pass %d)", k, r);
        cr_assert(memcmp(got_w, want_w[k], sizeof got_w) == 0, "w gradient differs (weights %d, pass %d)", k, r);
    }
    /* a second-order suffix on the same prefix: the Hessian-vector product
     * of a fresh graph */
    static float v[NP], hv_fresh[NP];
    for (int i = 0; i < NP; i++)
        v[i] = (float)((i % 7) - 3) * 0.1f;
    blo_graph_reset(fresh);
    blo_tensor *tf = blo_leaf(fresh, theta, BLO_SHAPE(NP), TRUE), *hv;
    blo_tensor *vf = blo_leaf(fresh, v, BLO_SHAPE(NP), FALSE);
    cr_assert(blo_hvp(blo_mean_all(per_sample_losses(fresh, tf)), &tf, 1, &vf, &hv, NULL));
    memcpy(hv_fresh, hv->data, sizeof hv_fresh);
    blo_graph_rewind(g, m);
    blo_tensor *vg = blo_leaf(g, v, BLO_SHAPE(NP), FALSE);
    cr_assert(blo_hvp(blo_mean_all(losses), &t, 1, &vg, &hv, NULL));
    cr_expect(memcmp(hv->data, hv_fresh, sizeof hv_fresh) == 0, "HVP on a rewound graph differs");
    blo_graph_free(g);
    blo_graph_free(fresh);
}

Test(graph_mark, rewinds_reuse_the_memory_of_large_suffixes)
{
    blo_tensor *t, *losses;
    blo_graph_mark m;
    blo_graph *g = recorded_prefix(&t, &losses, &m);
    float *kept = g_memdup2(losses->data, N * sizeof(float));
    size_t after_first = 0;
    for (int r = 0; r < 50; r++) {
        blo_graph_rewind(g, m);
        /* 3 MB: more than the arena's first block, so the suffix needs new blocks */
        blo_tensor *big = blo_full(g, BLO_SHAPE(768, 1024), 1.0f);
        cr_assert_not_null(big);
        cr_assert_float_eq(big->data[768 * 1024 - 1], 1.0f, 0);
        cr_assert(memcmp(losses->data, kept, N * sizeof(float)) == 0, "the suffix overwrote the prefix");
        if (r == 0)
            after_first = blo_graph_arena_bytes(g);
        else
            cr_assert_eq(blo_graph_arena_bytes(g), after_first, "arena grew at rewind %d", r);
    }
    /* a reset folds the spare blocks into one that fits prefix and suffix */
    blo_graph_reset(g);
    cr_expect_eq(blo_graph_arena_bytes(g), after_first);
    blo_graph_free(g);
    g_free(kept);
}

Test(graph_mark, rewind_clears_errors_and_keeps_the_prefix)
{
    blo_tensor *t, *losses;
    blo_graph_mark m;
    blo_graph *g = recorded_prefix(&t, &losses, &m);
    float first = losses->data[0];
    cr_assert_null(blo_add(losses, blo_zeros(g, BLO_SHAPE(N + 1))), "shape mismatch must fail");
    cr_assert_not_null(blo_graph_error(g));
    blo_graph_rewind(g, m);
    cr_expect_null(blo_graph_error(g), "rewind clears the sticky error");
    blo_tensor *f = blo_mean_all(losses);
    blo_tensor *gt;
    cr_assert(blo_grad(f, &t, 1, &gt, FALSE, NULL));
    cr_expect_float_eq(losses->data[0], first, 0);
    blo_graph_free(g);
}

Test(graph_mark, a_reset_voids_the_mark)
{
    blo_tensor *t, *losses;
    blo_graph_mark m;
    blo_graph *g = recorded_prefix(&t, &losses, &m);
    cr_assert_gt(m.tape_len, 0);
    blo_graph_reset(g);
    /* rebuild a longer tape: the old mark must not cut it to a stale length */
    t = blo_leaf(g, theta, BLO_SHAPE(NP), TRUE);
    per_sample_losses(g, t);
    blo_mean_all(per_sample_losses(g, t));
    blo_graph_rewind(g, m);
    cr_expect_eq(blo_graph_get_mark(g).tape_len, 0, "rewinding to a void mark resets the graph");
    blo_graph_free(g);
}

Test(graph_mark, marks_nest_and_dropped_or_foreign_marks_reset)
{
    blo_tensor *t, *losses;
    blo_graph_mark m1;
    blo_graph *g = recorded_prefix(&t, &losses, &m1);
    blo_full(g, BLO_SHAPE(768, 1024), 1.0f);          /* a new block after m1 */
    blo_graph_mark m2 = blo_graph_get_mark(g);
    blo_graph_rewind(g, m1);                          /* drops m2 */
    blo_tensor *again = blo_mean_all(losses);         /* the tape grows past m2 again */
    blo_full(g, BLO_SHAPE(16), 0.0f);
    cr_assert_not_null(again);
    cr_assert_geq(blo_graph_get_mark(g).tape_len, m2.tape_len);
    blo_graph_rewind(g, m2);
    cr_expect_eq(blo_graph_get_mark(g).tape_len, 0, "a mark dropped by an older rewind resets the graph");

    blo_graph *other = blo_graph_new();
    t = blo_leaf(g, theta, BLO_SHAPE(NP), TRUE);
    losses = per_sample_losses(g, t);
    blo_graph_mark mg = blo_graph_get_mark(g);
    blo_graph_mark mo = blo_graph_get_mark(other);
    blo_graph_rewind(g, mo);
    cr_expect_eq(blo_graph_get_mark(g).tape_len, 0, "another graph's mark resets the graph");
    blo_graph_rewind(g, mg);                          /* dropped by that reset */
    cr_expect_eq(blo_graph_get_mark(g).tape_len, 0);
    blo_graph_free(other);
    blo_graph_free(g);
}

Test(graph_mark, an_error_before_the_mark_survives_the_rewind)
{
    data_init();
    blo_graph *g = blo_graph_new();
    blo_tensor *x = blo_leaf(g, X, BLO_SHAPE(N, I), FALSE);
    cr_assert_null(blo_add(x, blo_zeros(g, BLO_SHAPE(N + 1, I))));
    blo_graph_mark m = blo_graph_get_mark(g);
    blo_graph_rewind(g, m);
    cr_expect_not_null(blo_graph_error(g), "the prefix is broken: its error must stay");
    blo_graph_free(g);
}

/* In the sanitizer build dropped arena memory is poisoned: reading a tensor
 * after the rewind that dropped it is reported (and aborts the test's process). */
#ifdef BLO__ASAN
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "abort_on_error=1"; }

Test(graph_mark, asan_reports_a_tensor_used_after_its_rewind, .signal = SIGABRT)
{
    blo_graph *g = blo_graph_new();
    blo_graph_mark m = blo_graph_get_mark(g);
    blo_tensor *t = blo_full(g, BLO_SHAPE(16), 1.0f);
    float *data = t->data;
    blo_graph_rewind(g, m);
    volatile float v = data[3];   /* poisoned: ASan aborts here */
    (void)v;
    blo_graph_free(g);
}
#else
Test(graph_mark, asan_reports_a_tensor_used_after_its_rewind)
{
    cr_skip_test("needs the AddressSanitizer build (build-asan) to see poisoned arena memory");
}
#endif
