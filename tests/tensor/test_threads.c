/* Results do not depend on the thread count: a matmul + reduction loss and
 * its gradient are bitwise equal with 1 and 2 threads. */
#include <criterion/criterion.h>
#include "gradcheck.h"
#include "tensor/internal.h"

/* N * M above BLO__PAR_MIN so the elementwise and reduction loops run in parallel */
enum { N = 512, K = 300, M = 300 };

static void run(int threads, const float *a, float *b, float *loss, float *grad)
{
    blo_set_threads(threads);
    cr_assert_eq(blo_get_threads(), threads);
    blo_graph *g = blo_graph_new();
    blo_tensor *ta = blo_from_data(g, a, BLO_SHAPE(N, K));
    blo_tensor *tb = blo_leaf(g, b, BLO_SHAPE(K, M), TRUE);
    blo_tensor *y = blo_tanh(blo_matmul(ta, tb));
    blo_tensor *l = blo_add(blo_sum_all(blo_mul(y, y)), blo_mean_all(blo_softmax(y, 1)));
    l = blo_add(l, blo_sum_all(blo_sum(blo_exp(y), 0, FALSE)));
    memset(grad, 0, sizeof(float) * K * M);
    cr_assert(blo_backward_into(l, tb, grad, NULL));
    *loss = l->data[0];
    blo_graph_free(g);
}

static void alloc_inputs(uint64_t seed, float **a, float **b, float **g1, float **g2)
{
    blo_rng r;
    blo_rng_seed(&r, seed);
    *a = g_new(float, N * K), *b = g_new(float, K * M);
    *g1 = g_new(float, K * M), *g2 = g_new(float, K * M);
    for (int i = 0; i < N * K; i++)
        (*a)[i] = blo_rng_normal(&r) * 0.1f;
    for (int i = 0; i < K * M; i++)
        (*b)[i] = blo_rng_normal(&r) * 0.1f;
}

Test(threads, same_results_with_1_and_2_threads)
{
    float *a, *b, *g1, *g2, l1, l2;
    alloc_inputs(77, &a, &b, &g1, &g2);
    run(1, a, b, &l1, g1);
    run(2, a, b, &l2, g2);
    cr_expect_eq(l1, l2, "loss %.9g vs %.9g", l1, l2);
    cr_expect(memcmp(g1, g2, sizeof(float) * K * M) == 0, "gradients differ between 1 and 2 threads");
    g_free(a);
    g_free(b);
    g_free(g1);
    g_free(g2);
}

/* The load-aware policy: small regions stay serial while the machine is
 * busy, large ones stay parallel, and the choice never changes a result. */
Test(threads, busy_machine_keeps_small_regions_serial)
{
    blo__machine_busy_force(0);
    cr_expect(blo__par_ok(1e6, 262144.0), "quiet: above the threshold goes parallel");
    cr_expect(!blo__par_ok(1e5, 262144.0), "quiet: below the threshold stays serial");
    blo__machine_busy_force(1);
    cr_expect(!blo__par_ok(1e6, 262144.0), "busy: a small region stays serial");
    cr_expect(blo__par_ok(1e9, 262144.0), "busy: a large region still goes parallel");
    blo__machine_busy_force(-1);
}

Test(threads, same_results_quiet_and_busy)
{
    float *a, *b, *g1, *g2, l1, l2;
    alloc_inputs(78, &a, &b, &g1, &g2);
    blo__machine_busy_force(0);
    run(2, a, b, &l1, g1);
    blo__machine_busy_force(1);
    run(2, a, b, &l2, g2);
    blo__machine_busy_force(-1);
    cr_expect_eq(l1, l2, "loss %.9g vs %.9g", l1, l2);
    cr_expect(memcmp(g1, g2, sizeof(float) * K * M) == 0, "gradients differ between quiet and busy");
    g_free(a);
    g_free(b);
    g_free(g1);
    g_free(g2);
}
