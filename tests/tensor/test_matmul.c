/* matmul (batched, broadcast batch dims) and linear: values and gradchecks. */
#include <criterion/criterion.h>
#include "gradcheck.h"

static blo_tensor *matmul_fn(blo_graph *g, blo_tensor *const *x, void *c)
{
    blo_tensor *y = blo_matmul(x[0], x[1]);
    return blo_mul(y, y);
}

static void check_mm(int nda, const int64_t *sa, int ndb, const int64_t *sb, uint64_t seed)
{
    blo_rng r;
    blo_rng_seed(&r, seed);
    gc_input in[2];
    gc_alloc_uniform(&in[0], &r, -1, 1, nda, sa);
    gc_alloc_uniform(&in[1], &r, -1, 1, ndb, sb);
    cr_expect(gradcheck(matmul_fn, NULL, 2, in, NULL), "seed %llu", (unsigned long long)seed);
    gc_free(in, 2);
}

Test(matmul, grad_shapes)
{
    check_mm(BLO_SHAPE(3, 4), BLO_SHAPE(4, 5), 1);
    check_mm(BLO_SHAPE(2, 3, 4), BLO_SHAPE(4, 2), 2);          /* shared b */
    check_mm(BLO_SHAPE(3, 4), BLO_SHAPE(2, 4, 2), 3);          /* shared a */
    check_mm(BLO_SHAPE(2, 1, 3, 4), BLO_SHAPE(3, 4, 2), 4);    /* broadcast batch */
    check_mm(BLO_SHAPE(2, 2, 2, 3), BLO_SHAPE(2, 2, 3, 2), 5);
}

static blo_tensor *linear_fn(blo_graph *g, blo_tensor *const *x, void *c)
{
    blo_tensor *y = blo_linear(x[0], x[1], c ? x[2] : NULL);
    return blo_mul(y, blo_tanh(y));
}

Test(matmul, linear_grad)
{
    blo_rng r;
    blo_rng_seed(&r, 9);
    gc_input in[3];
    gc_alloc_uniform(&in[0], &r, -1, 1, BLO_SHAPE(5, 4));
    gc_alloc_uniform(&in[1], &r, -1, 1, BLO_SHAPE(3, 4));
    gc_alloc_uniform(&in[2], &r, -1, 1, BLO_SHAPE(3));
    cr_expect(gradcheck(linear_fn, in, 3, in, NULL), "with bias");
    cr_expect(gradcheck(linear_fn, NULL, 2, in, NULL), "without bias");
    g_free(in[0].data);
    gc_alloc_uniform(&in[0], &r, -1, 1, BLO_SHAPE(2, 2, 4));
    cr_expect(gradcheck(linear_fn, in, 3, in, NULL), "3-d input");
    gc_free(in, 3);
}

Test(matmul, values)
{
    blo_graph *g = blo_graph_new();
    float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 0, 0, 1, 1, 1}, bias[2] = {10, 20};
    blo_tensor *A = blo_leaf(g, a, BLO_SHAPE(2, 3), FALSE), *B = blo_leaf(g, b, BLO_SHAPE(3, 2), FALSE);
    blo_tensor *y = blo_matmul(A, B);
    float want[4] = {4, 5, 10, 11};
    for (int i = 0; i < 4; i++)
        cr_expect_float_eq(y->data[i], want[i], 1e-6f);
    /* linear with W = B^T laid out [out, in] */
    float w[6] = {1, 0, 1, 0, 1, 1};
    blo_tensor *l = blo_linear(A, blo_leaf(g, w, BLO_SHAPE(2, 3), FALSE), blo_leaf(g, bias, BLO_SHAPE(2), FALSE));
    for (int i = 0; i < 4; i++)
        cr_expect_float_eq(l->data[i], want[i] + bias[i % 2], 1e-6f);
    cr_expect_null(blo_matmul(A, A));
    cr_expect_eq(blo_graph_error(g)->code, BLO_ERROR_SHAPE);
    blo_graph_free(g);
}
